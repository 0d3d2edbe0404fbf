use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, "v3/product-coupons/<product_coupon_id>/stocks/<stock_idd>")]
pub struct GetStock {
    pub product_coupon_id: String,
    pub stock_id: String,
}

fn main() {}
