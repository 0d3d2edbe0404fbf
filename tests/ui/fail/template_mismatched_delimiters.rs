use wechat_endpoint::wechat_endpoint;

// `{` closes with `}` and `<` with `>`.
#[wechat_endpoint(GET, "v3/stocks/{stock_id>")]
pub struct GetStock {
    pub stock_id: String,
}

fn main() {}
