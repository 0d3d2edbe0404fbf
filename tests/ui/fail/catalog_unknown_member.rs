// A member the operation does not have: the nearest name, or the list of members.
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(
    POST,
    "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/disassociate-stores"
)]
pub struct DisassociateStores {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_idd: String,
    pub store_list: Vec<serde_json::Value>,
    pub shop: String,
}

fn main() {}
