use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, "v3/stocks/<stock_id>", answer = String, idempotent)]
pub struct GetStock {
    pub stock_id: String,
}

fn main() {}
