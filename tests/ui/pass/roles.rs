// Every role: path values, query pairs (GET and DELETE by default, any method with
// `#[wechat(query)]`) and JSON members (POST, PUT and PATCH by default, DELETE with
// `#[wechat(body)]`).
use serde::Deserialize;
use wechat_endpoint::{Endpoint, Method, wechat_endpoint};

#[derive(Deserialize)]
pub struct Stores {
    pub total_count: u64,
}

#[wechat_endpoint(GET, "v3/product-coupons/<product_coupon_id>/stocks/<stock_id>/associated-stores", response = Stores)]
pub struct ListAssociatedStores {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
    pub page_size: Option<u32>,
    pub page_token: Option<String>,
}

#[wechat_endpoint(POST, "v3/product-coupons/<product_coupon_id>/stocks/<stock_id>/deactivate")]
pub struct DeactivateStock {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
    #[wechat(query)]
    pub debug: Option<bool>,
}

#[wechat_endpoint(PUT, "v3/notify-configs/<config_id>")]
pub struct PutNotifyConfig {
    pub config_id: u64,
    pub notify_url: String,
}

#[wechat_endpoint(PATCH, "v3/product-coupons/<product_coupon_id>")]
pub struct UpdateProductCoupon {
    pub product_coupon_id: String,
    #[wechat(body)]
    pub brand_id: String,
}

#[wechat_endpoint(DELETE, "v3/notify-configs/<config_id>")]
pub struct DeleteNotifyConfig {
    pub config_id: u64,
    pub brand_id: String,
    #[wechat(body)]
    pub reason: String,
    #[wechat(query)]
    pub dry_run: bool,
}

const fn endpoint<E: Endpoint<Response = R>, R>(method: Method) -> Method {
    method
}

const _: Method = endpoint::<ListAssociatedStores, Stores>(Method::GET);
const _: Method = endpoint::<DeactivateStock, ()>(Method::POST);
const _: Method = endpoint::<PutNotifyConfig, ()>(Method::PUT);
const _: Method = endpoint::<UpdateProductCoupon, ()>(Method::PATCH);
const _: Method = endpoint::<DeleteNotifyConfig, ()>(Method::DELETE);

fn main() {}
