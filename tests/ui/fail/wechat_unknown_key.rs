use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/stocks/<stock_id>/deactivate")]
pub struct Deactivate {
    pub stock_id: String,
    #[wechat(bdy)]
    pub brand_id: String,
    #[wechat(header)]
    pub idempotency_key: String,
    #[wechat]
    pub reason: String,
}

fn main() {}
