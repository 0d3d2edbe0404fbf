use wechat_endpoint::wechat_endpoint;

// Messages quote a placeholder the way the template writes it: `{name}` here.
#[wechat_endpoint(GET, "v3/product-coupons/{product_coupon_id}/stocks/{stock_idd}")]
pub struct GetStock {
    pub product_coupon_id: String,
    pub stock_id: String,
}

#[wechat_endpoint(GET, "v3/stocks/{stock_id}")]
pub struct GetStockAgain {
    #[wechat(query)]
    pub stock_id: String,
}

fn main() {}
