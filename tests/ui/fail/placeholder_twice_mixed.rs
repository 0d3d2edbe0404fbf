use wechat_endpoint::wechat_endpoint;

// `{name}` and `<name>` are one placeholder syntax: the same name twice is one placeholder twice.
#[wechat_endpoint(GET, "v3/stocks/{stock_id}/copies/<stock_id>")]
pub struct GetCopy {
    pub stock_id: String,
}

fn main() {}
