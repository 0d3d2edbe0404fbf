// One literal segment away from a catalog path: a typo, most likely.
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(
    POST,
    "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/disassociate-store"
)]
pub struct DisassociateStores {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
}

fn main() {}
