// `#[wechat(encrypt)]` on each type it takes, owned and borrowed, with serde's other
// attributes, on a POST and on a DELETE's body.
use wechat_endpoint::sensitive::Sensitive;
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(POST, "v3/fixture/profitsharing/receivers/add")]
pub struct AddReceiver<'a> {
    pub account: &'a str,
    #[wechat(encrypt)]
    pub name: String,
    #[wechat(encrypt)]
    pub alias: &'a str,
    #[wechat(body, encrypt)]
    #[serde(rename = "mobile", skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[wechat(encrypt)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[wechat(encrypt)]
    pub id_card_name: std::string::String,
    #[wechat(encrypt)]
    pub note: core::option::Option<std::string::String>,
    #[wechat(encrypt)]
    pub remark: Option<&'static str>,
    pub bank_accounts: Vec<Sensitive>,
}

#[wechat_endpoint(DELETE, "v3/fixture/profitsharing/receivers/<account>")]
pub struct DeleteReceiver<T> {
    pub account: T,
    #[wechat(body, encrypt)]
    pub name: String,
}

const fn endpoint<E: Endpoint>() {}
const _: () = endpoint::<AddReceiver<'static>>();
const _: () = endpoint::<DeleteReceiver<u64>>();

fn main() {}
