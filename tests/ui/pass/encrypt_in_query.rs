// `#[wechat(encrypt)]` on query fields: a GET's, a DELETE's, and a POST's
// `#[wechat(query)]` field, of each type it takes.
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(GET, "v3/capital/capitallhh/banks/search-banks-by-bank-account")]
pub struct SearchBanksByBankAccount {
    #[wechat(encrypt)]
    pub account_number: String,
}

#[wechat_endpoint(GET, "v3/receivers")]
pub struct OnGet<'a> {
    #[wechat(encrypt)]
    pub name: &'a str,
    #[wechat(encrypt)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[wechat(encrypt)]
    pub email: Option<&'a str>,
    pub offset: u32,
}

#[wechat_endpoint(DELETE, "v3/receivers")]
pub struct OnDelete {
    #[wechat(encrypt)]
    pub name: String,
}

#[wechat_endpoint(POST, "v3/receivers")]
pub struct MarkedQuery {
    #[wechat(query, encrypt)]
    pub name: String,
    pub kind: String,
}

const fn endpoint<E: Endpoint>() {}
const _: () = endpoint::<SearchBanksByBankAccount>();
const _: () = endpoint::<OnGet<'static>>();
const _: () = endpoint::<OnDelete>();
const _: () = endpoint::<MarkedQuery>();

fn main() {}
