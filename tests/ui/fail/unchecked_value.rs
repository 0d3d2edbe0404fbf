use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, "v3/certificates", unchecked = true)]
pub struct Certificates {}

fn main() {}
