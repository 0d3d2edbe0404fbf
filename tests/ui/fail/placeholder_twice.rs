use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, "v3/stocks/<stock_id>/copies/<stock_id>")]
pub struct GetCopy {
    pub stock_id: String,
}

fn main() {}
