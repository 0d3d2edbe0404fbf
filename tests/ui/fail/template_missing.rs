use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, response = String)]
pub struct GetStock {
    pub stock_id: String,
}

fn main() {}
