//! The bill requests: `GET v3/bill/tradebill` and `GET v3/bill/fundflowbill`.

use http::Method;
use serde::Serialize;

use super::BillFile;
use crate::endpoint::{Endpoint, TargetWriter};
use crate::error::BuildError;

/// `GET v3/bill/tradebill`: the trade bill of one day.
///
/// ```
/// use wechat_endpoint::bill::TradeBill;
/// let request = TradeBill::new("2024-05-01").bill_type("SUCCESS").gzip();
/// assert_eq!(request.bill_type.as_deref(), Some("SUCCESS"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TradeBill {
    /// `YYYY-MM-DD`.
    pub bill_date: String,
    /// `ALL` (the gateway's default), `SUCCESS` or `REFUND`.
    pub bill_type: Option<String>,
    /// For a service provider: the sub-merchant whose bill it is.
    pub sub_mchid: Option<String>,
    /// Ask for a gzip file (`tar_type=GZIP`).
    pub gzip: bool,
}

impl TradeBill {
    /// The trade bill of `bill_date` (`YYYY-MM-DD`).
    pub fn new(bill_date: impl Into<String>) -> Self {
        TradeBill { bill_date: bill_date.into(), bill_type: None, sub_mchid: None, gzip: false }
    }

    /// Sets `bill_type`.
    pub fn bill_type(mut self, bill_type: impl Into<String>) -> Self {
        self.bill_type = Some(bill_type.into());
        self
    }

    /// Sets `sub_mchid`.
    pub fn sub_mchid(mut self, sub_mchid: impl Into<String>) -> Self {
        self.sub_mchid = Some(sub_mchid.into());
        self
    }

    /// Asks for a gzip file.
    pub fn gzip(mut self) -> Self {
        self.gzip = true;
        self
    }
}

impl Endpoint for TradeBill {
    type Response = BillFile;
    const METHOD: Method = Method::GET;
    const PATH_TEMPLATE: &'static str = "v3/bill/tradebill";

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        #[derive(Serialize)]
        struct Query<'a> {
            bill_date: &'a str,
            sub_mchid: Option<&'a str>,
            bill_type: Option<&'a str>,
            tar_type: Option<&'a str>,
        }
        target.push_path("v3/bill/tradebill");
        target.push_query(&Query {
            bill_date: &self.bill_date,
            sub_mchid: self.sub_mchid.as_deref(),
            bill_type: self.bill_type.as_deref(),
            tar_type: self.gzip.then_some("GZIP"),
        })
    }
}

/// `GET v3/bill/fundflowbill`: the fund flow bill of one day.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FundFlowBill {
    /// `YYYY-MM-DD`.
    pub bill_date: String,
    /// `BASIC` (the gateway's default), `OPERATION` or `FEES`.
    pub account_type: Option<String>,
    /// Ask for a gzip file (`tar_type=GZIP`).
    pub gzip: bool,
}

impl FundFlowBill {
    /// The fund flow bill of `bill_date` (`YYYY-MM-DD`).
    pub fn new(bill_date: impl Into<String>) -> Self {
        FundFlowBill { bill_date: bill_date.into(), account_type: None, gzip: false }
    }

    /// Sets `account_type`.
    pub fn account_type(mut self, account_type: impl Into<String>) -> Self {
        self.account_type = Some(account_type.into());
        self
    }

    /// Asks for a gzip file.
    pub fn gzip(mut self) -> Self {
        self.gzip = true;
        self
    }
}

impl Endpoint for FundFlowBill {
    type Response = BillFile;
    const METHOD: Method = Method::GET;
    const PATH_TEMPLATE: &'static str = "v3/bill/fundflowbill";

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        #[derive(Serialize)]
        struct Query<'a> {
            bill_date: &'a str,
            account_type: Option<&'a str>,
            tar_type: Option<&'a str>,
        }
        target.push_path("v3/bill/fundflowbill");
        target.push_query(&Query {
            bill_date: &self.bill_date,
            account_type: self.account_type.as_deref(),
            tar_type: self.gzip.then_some("GZIP"),
        })
    }
}
