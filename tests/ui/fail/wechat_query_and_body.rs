use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/stocks/<stock_id>/deactivate")]
pub struct Deactivate {
    pub stock_id: String,
    #[wechat(query, body)]
    pub brand_id: String,
}

fn main() {}
