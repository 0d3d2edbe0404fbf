//! The bill requests, `GET v3/bill/tradebill` and `GET v3/bill/fundflowbill`, and the
//! values their `bill_type` and `account_type` take.
//!
//! The values are the gateway's, from its OpenAPI description (`v3/bill/tradebill.yaml`,
//! `v3/bill/fundflowbill.yaml` and the `BillType`, `BillAccountType` enumerations of
//! `definitions/Enumerations.yaml` in wechatpay-openapi) and the API reference pages
//! "申请交易账单" and "申请资金账单".

use super::BillFile;
use crate::features::values::gateway_values;
use wechat_endpoint_macros::wechat_endpoint;

gateway_values! {
    /// Which orders a trade bill lists (`bill_type` of `GET v3/bill/tradebill`).
    ///
    /// ```
    /// use wechat_endpoint::bill::BillType;
    /// assert_eq!(BillType::Success.as_str(), "SUCCESS");
    /// assert_eq!(BillType::from("REFUND"), BillType::Refund);
    /// assert_eq!(BillType::from("NEW_KIND"), BillType::Other("NEW_KIND".into()));
    /// ```
    pub enum BillType {
        /// `ALL`, the gateway's default: every order of the day, recharge refunds
        /// excluded.
        All = "ALL",
        /// `SUCCESS`: the orders paid that day, recharge refunds excluded.
        Success = "SUCCESS",
        /// `REFUND`: the orders refunded that day, recharge refunds excluded.
        Refund = "REFUND",
        /// `RECHARGE_REFUND`: the recharge refunds of the day.
        RechargeRefund = "RECHARGE_REFUND",
        /// `ALL_SPECIAL`: every order of the day, in the customised bill.
        AllSpecial = "ALL_SPECIAL",
        /// `SUC_SPECIAL`: the orders paid that day, in the customised bill.
        SucSpecial = "SUC_SPECIAL",
        /// `REF_SPECIAL`: the orders refunded that day, in the customised bill.
        RefSpecial = "REF_SPECIAL",
    }
}

gateway_values! {
    /// Which account a fund flow bill covers (`account_type` of
    /// `GET v3/bill/fundflowbill`).
    ///
    /// ```
    /// use wechat_endpoint::bill::AccountType;
    /// assert_eq!(AccountType::Operation.as_str(), "OPERATION");
    /// assert_eq!(AccountType::from("FEES"), AccountType::Fees);
    /// ```
    pub enum AccountType {
        /// `BASIC`, the gateway's default: the basic account (基本账户).
        Basic = "BASIC",
        /// `OPERATION`: the operation account (运营账户).
        Operation = "OPERATION",
        /// `FEES`: the fees account (手续费账户).
        Fees = "FEES",
    }
}

/// `GET v3/bill/tradebill`: the trade bill of one day.
///
/// ```
/// use wechat_endpoint::bill::{BillType, TradeBill};
/// let request = TradeBill::new("2024-05-01").bill_type(BillType::Success).gzip();
/// assert_eq!(request.bill_type, Some(BillType::Success));
/// ```
// The query pairs go in the order of the fields, which is the documentation's.
#[wechat_endpoint(GET, "v3/bill/tradebill", response = BillFile)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TradeBill {
    /// `YYYY-MM-DD`.
    pub bill_date: String,
    /// For a service provider: the sub-merchant whose bill it is.
    pub sub_mchid: Option<String>,
    /// Which orders; the gateway's default is [`BillType::All`].
    pub bill_type: Option<BillType>,
    /// Ask for a gzip file (`tar_type=GZIP`).
    #[serde(rename = "tar_type", serialize_with = "tar_type_gzip", skip_serializing_if = "is_false")]
    pub gzip: bool,
}

impl TradeBill {
    /// The trade bill of `bill_date` (`YYYY-MM-DD`).
    pub fn new(bill_date: impl Into<String>) -> Self {
        TradeBill { bill_date: bill_date.into(), bill_type: None, sub_mchid: None, gzip: false }
    }

    /// Sets `bill_type`.
    pub fn bill_type(mut self, bill_type: BillType) -> Self {
        self.bill_type = Some(bill_type);
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

/// `GET v3/bill/fundflowbill`: the fund flow bill of one day.
#[wechat_endpoint(GET, "v3/bill/fundflowbill", response = BillFile)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FundFlowBill {
    /// `YYYY-MM-DD`.
    pub bill_date: String,
    /// Which account; the gateway's default is [`AccountType::Basic`].
    pub account_type: Option<AccountType>,
    /// Ask for a gzip file (`tar_type=GZIP`).
    #[serde(rename = "tar_type", serialize_with = "tar_type_gzip", skip_serializing_if = "is_false")]
    pub gzip: bool,
}

impl FundFlowBill {
    /// The fund flow bill of `bill_date` (`YYYY-MM-DD`).
    pub fn new(bill_date: impl Into<String>) -> Self {
        FundFlowBill { bill_date: bill_date.into(), account_type: None, gzip: false }
    }

    /// Sets `account_type`.
    pub fn account_type(mut self, account_type: AccountType) -> Self {
        self.account_type = Some(account_type);
        self
    }

    /// Asks for a gzip file.
    pub fn gzip(mut self) -> Self {
        self.gzip = true;
        self
    }
}

/// `tar_type=GZIP` for a bill request's `gzip: true`; `false` leaves `tar_type` out.
fn tar_type_gzip<S: serde::Serializer>(_gzip: &bool, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str("GZIP")
}

fn is_false(value: &bool) -> bool {
    !*value
}
