use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, "v3/certificates")]
pub fn list_certificates() {}

fn main() {}
