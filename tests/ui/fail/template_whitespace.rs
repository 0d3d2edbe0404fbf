use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, "v3/stocks/<stock_id>/associated stores")]
pub struct ListStores {
    pub stock_id: String,
}

fn main() {}
