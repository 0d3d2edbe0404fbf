// Declarations the catalog checks accept: serialised names (`rename`, `rename_all`,
// `skip`, `skip_serializing_if`), an `Option` for a required member, borrowed fields,
// encrypted sensitive members, integers for numbers, and types the macro does not judge.
use std::borrow::Cow;

use wechat_endpoint::sensitive::Sensitive;
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[derive(serde::Serialize)]
pub struct Store {
    pub store_id: String,
}

#[wechat_endpoint(
    POST,
    "/v3/marketing/partner/product-coupon/product-coupons/{coupon}/stocks/{stock}/disassociate-stores"
)]
pub struct DisassociateStores<'a> {
    pub coupon: &'a str,
    pub stock: u64,
    pub brand_id: Cow<'a, str>,
    pub store_list: &'a [Store],
}

#[wechat_endpoint(GET, "v3/pay/transactions/out-trade-no/<out_trade_no>")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub struct QueryByOutTradeNo {
    pub out_trade_no: String,
    #[serde(rename = "mchid")]
    pub merchant: String,
    #[serde(skip)]
    pub local_note: String,
}

#[wechat_endpoint(PATCH, "v3/marketing/busifavor/stocks/<stock_id>/budget", idempotent)]
pub struct UpdateBudget {
    pub stock_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_max_coupons: Option<u32>,
    pub current_max_coupons: serde_json::Value,
    #[serde(with = "as_text")]
    pub current_max_coupons_by_day: u32,
    pub modify_budget_request_no: Option<String>,
}

mod as_text {
    pub fn serialize<S: serde::Serializer>(value: &u32, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(*value)
    }
}

#[wechat_endpoint(POST, "v3/profitsharing/receivers/add")]
pub struct AddReceiver<'a> {
    pub appid: &'a str,
    pub r#type: &'a str,
    pub account: &'a str,
    pub relation_type: &'a str,
    #[wechat(encrypt)]
    pub name: Option<&'a str>,
}

#[wechat_endpoint(POST, "v3/profitsharing/receivers/add")]
pub struct AddReceiverSensitive<'a> {
    pub appid: &'a str,
    pub r#type: &'a str,
    pub account: &'a str,
    pub relation_type: &'a str,
    pub name: Sensitive,
}

#[wechat_endpoint(POST, "v3/payscore/partner/permissions/assess-user-risk-level")]
pub struct AssessUserRisk {
    #[wechat(query)]
    pub sub_mchid: String,
    pub service_id: String,
    pub appid: String,
}

const fn endpoint<E: Endpoint>() {}
const _: () = endpoint::<DisassociateStores<'static>>();
const _: () = endpoint::<QueryByOutTradeNo>();
const _: () = endpoint::<UpdateBudget>();
const _: () = endpoint::<AddReceiver<'static>>();
const _: () = endpoint::<AddReceiverSensitive<'static>>();
const _: () = endpoint::<AssessUserRisk>();

fn main() {}
