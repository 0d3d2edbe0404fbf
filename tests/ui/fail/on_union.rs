use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, "v3/stocks/<stock_id>")]
pub union GetStock {
    pub stock_id: u64,
}

fn main() {}
