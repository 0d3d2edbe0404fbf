use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, "")]
pub struct Nowhere {}

fn main() {}
