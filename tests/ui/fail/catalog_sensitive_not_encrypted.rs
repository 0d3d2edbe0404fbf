// A member WeChat Pay marks sensitive goes encrypted.
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/profitsharing/receivers/add")]
pub struct AddReceiver<'a> {
    pub appid: &'a str,
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub account: &'a str,
    pub relation_type: &'a str,
    pub name: Option<&'a str>,
}

fn main() {}
