use wechat_endpoint::sensitive::Sensitive;
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/fixture/profitsharing/receivers/add")]
pub struct AddReceiver {
    #[wechat(encrypt)]
    pub name: Sensitive,
    #[wechat(encrypt)]
    pub phone: Option<Sensitive>,
}

fn main() {}
