use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/stocks/<stock_id>/deactivate")]
#[wechat(query)]
pub struct Deactivate {
    pub stock_id: String,
}

fn main() {}
