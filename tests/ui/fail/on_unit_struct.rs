use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, "v3/certificates")]
pub struct ListCertificates;

fn main() {}
