// A struct that derives serde itself keeps its `#[serde(...)]` attributes; the helper
// structs follow them too. Either attribute order works.
use serde::{Deserialize, Serialize};
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(GET, "v3/users/<openid>/coupons")]
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE", deny_unknown_fields)]
pub struct ListCoupons {
    #[serde(rename = "open_id")]
    pub openid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

#[derive(Debug, serde::Serialize)]
#[wechat_endpoint(POST, "v3/users/<openid>/coupons")]
pub struct SendCoupon {
    pub openid: String,
    #[serde(rename = "stock")]
    pub stock_id: String,
}

const fn endpoint<E: Endpoint>() {}
const _: () = endpoint::<ListCoupons>();
const _: () = endpoint::<SendCoupon>();

fn main() {}
