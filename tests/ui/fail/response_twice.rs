use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, "v3/stocks/<stock_id>", response = String, response = u64)]
pub struct GetStock {
    pub stock_id: String,
}

fn main() {}
