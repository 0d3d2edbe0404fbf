use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/stocks/<stock_id>/deactivate")]
pub struct Deactivate {
    #[wechat(body)]
    pub stock_id: String,
}

fn main() {}
