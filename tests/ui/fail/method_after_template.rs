use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint("v3/stocks/<stock_id>", GET)]
pub struct GetStock {
    pub stock_id: String,
}

fn main() {}
