use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, 42)]
pub struct GetStock {}

fn main() {}
