use wechat_endpoint::sensitive::Sensitive;
use wechat_endpoint::wechat_endpoint;

// Sensitive values inside a struct or a `Vec` take the type `Sensitive` instead.
#[wechat_endpoint(POST, "v3/fixture/profitsharing/receivers/add")]
pub struct AddReceiver {
    #[wechat(encrypt)]
    pub bank_accounts: Vec<String>,
    #[wechat(encrypt)]
    pub id_card_number: u64,
    #[wechat(encrypt)]
    pub contact: Contact,
}

#[derive(serde::Serialize)]
pub struct Contact {
    pub name: Sensitive,
}

fn main() {}
