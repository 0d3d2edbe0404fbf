use wechat_endpoint::wechat_endpoint;

// One message per mistake, all from one build; the struct itself is still emitted, so
// `stock_id` below compiles.
#[wechat_endpoint(get, "v3/stocks/<stock_idd>", reply = Stock)]
pub struct GetStock {
    pub stock_id: String,
    #[wechat(qurey)]
    pub brand_id: String,
    #[wechat(body)]
    pub page_size: u32,
}

pub fn stock_id(request: &GetStock) -> &str {
    &request.stock_id
}

fn main() {}
