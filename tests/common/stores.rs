//! The hand-written endpoints of the product-coupon store family and their responses:
//! the one set the integration tests call, the macro's byte-identity tests compare
//! against, and the `macro_build` benchmark times (it is `macro_seed::hand` there).

use serde::{Deserialize, Serialize};
use wechat_endpoint::{BuildError, Endpoint, Method, TargetWriter, write_json};

pub const PRODUCT_COUPON_ID: &str = "1000000013";
pub const STOCK_ID: &str = "1000000013001";
pub const BRAND_ID: &str = "120344";

/// A store in `store_list[]` and in the responses' store lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    pub store_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FailedStore {
    pub store_id: String,
    pub code: String,
    pub message: String,
}

/// The response of `associate-stores` and `disassociate-stores`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StoresResult {
    pub total_count: u64,
    #[serde(default)]
    pub success_store_list: Vec<Store>,
    #[serde(default)]
    pub failed_store_list: Vec<FailedStore>,
}

/// The response of `associated-stores`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AssociatedStores {
    pub total_count: u64,
    #[serde(default)]
    pub data: Vec<Store>,
    pub next_page_token: Option<String>,
}

/// The response of `PATCH …/stocks/{stock_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Stock {
    pub stock_id: String,
}

/// `POST …/stocks/{stock_id}/associate-stores` ([`AssociateStores`]) or
/// `…/disassociate-stores` ([`DisassociateStores`]): one body, two paths.
#[derive(Debug, Clone)]
pub struct ChangeStores<const ASSOCIATE: bool> {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
    pub store_list: Vec<Store>,
}

pub type AssociateStores = ChangeStores<true>;
pub type DisassociateStores = ChangeStores<false>;

impl<const ASSOCIATE: bool> ChangeStores<ASSOCIATE> {
    pub fn new(product_coupon_id: &str, stock_id: &str, stores: &[&str]) -> Self {
        ChangeStores {
            product_coupon_id: product_coupon_id.into(),
            stock_id: stock_id.into(),
            brand_id: BRAND_ID.into(),
            store_list: stores.iter().map(|s| Store { store_id: (*s).into() }).collect(),
        }
    }
}

impl<const ASSOCIATE: bool> Endpoint for ChangeStores<ASSOCIATE> {
    type Response = StoresResult;
    const METHOD: Method = Method::POST;
    const PATH_TEMPLATE: &'static str = if ASSOCIATE {
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/associate-stores"
    } else {
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores"
    };

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        target.push_path("v3/marketing/partner/product-coupon/product-coupons/");
        target.push_segment("product_coupon_id", &self.product_coupon_id)?;
        target.push_path("/stocks/");
        target.push_segment("stock_id", &self.stock_id)?;
        target.push_path(if ASSOCIATE { "/associate-stores" } else { "/disassociate-stores" });
        Ok(())
    }

    fn write_body(&self, body: &mut Vec<u8>) -> Result<(), BuildError> {
        #[derive(Serialize)]
        struct Body<'a> {
            brand_id: &'a str,
            store_list: &'a [Store],
        }
        write_json(body, &Body { brand_id: &self.brand_id, store_list: &self.store_list })
    }
}

/// `GET …/stocks/{stock_id}/associated-stores?brand_id=…&page_size=…&page_token=…`.
#[derive(Debug, Clone)]
pub struct ListStores {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
    pub page_size: Option<u32>,
    pub page_token: Option<String>,
}

impl ListStores {
    pub fn new(product_coupon_id: &str, stock_id: &str) -> Self {
        ListStores {
            product_coupon_id: product_coupon_id.into(),
            stock_id: stock_id.into(),
            brand_id: BRAND_ID.into(),
            page_size: None,
            page_token: None,
        }
    }

    pub fn path_template(&self) -> &'static str {
        <Self as Endpoint>::PATH_TEMPLATE
    }
}

impl Endpoint for ListStores {
    type Response = AssociatedStores;
    const METHOD: Method = Method::GET;
    const PATH_TEMPLATE: &'static str =
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/associated-stores";

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        #[derive(Serialize)]
        struct Query<'a> {
            brand_id: &'a str,
            page_size: Option<u32>,
            page_token: Option<&'a str>,
        }
        target.push_path("v3/marketing/partner/product-coupon/product-coupons/");
        target.push_segment("product_coupon_id", &self.product_coupon_id)?;
        target.push_path("/stocks/");
        target.push_segment("stock_id", &self.stock_id)?;
        target.push_path("/associated-stores");
        target.push_query(&Query {
            brand_id: &self.brand_id,
            page_size: self.page_size,
            page_token: self.page_token.as_deref(),
        })
    }
}

/// `PATCH …/product-coupons/{product_coupon_id}/stocks/{stock_id}`.
#[derive(Debug, Clone)]
pub struct UpdateStock {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
    pub out_request_no: String,
    pub remark: Option<String>,
}

impl Endpoint for UpdateStock {
    type Response = Stock;
    const METHOD: Method = Method::PATCH;
    const PATH_TEMPLATE: &'static str =
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}";

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        target.push_path("v3/marketing/partner/product-coupon/product-coupons/");
        target.push_segment("product_coupon_id", &self.product_coupon_id)?;
        target.push_path("/stocks/");
        target.push_segment("stock_id", &self.stock_id)
    }

    fn write_body(&self, body: &mut Vec<u8>) -> Result<(), BuildError> {
        #[derive(Serialize)]
        struct Body<'a> {
            brand_id: &'a str,
            out_request_no: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            remark: Option<&'a str>,
        }
        write_json(
            body,
            &Body { brand_id: &self.brand_id, out_request_no: &self.out_request_no, remark: self.remark.as_deref() },
        )
    }
}

/// `DELETE v3/fixture/users/{openid}/coupons/{coupon_code}?brand_id=…&out_request_no=…`: a path of
/// the tests' own (WeChat Pay has no DELETE with an optional query pair).
#[derive(Debug, Clone)]
pub struct DeleteCoupon {
    pub openid: String,
    pub coupon_code: String,
    pub brand_id: String,
    pub out_request_no: Option<String>,
}

impl Endpoint for DeleteCoupon {
    type Response = ();
    const METHOD: Method = Method::DELETE;
    const PATH_TEMPLATE: &'static str = "v3/fixture/users/{openid}/coupons/{coupon_code}";

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        target.push_path("v3/fixture/users/");
        target.push_segment("openid", &self.openid)?;
        target.push_path("/coupons/");
        target.push_segment("coupon_code", &self.coupon_code)?;
        target.push_query(&[
            ("brand_id", Some(self.brand_id.as_str())),
            ("out_request_no", self.out_request_no.as_deref()),
        ])
    }
}
