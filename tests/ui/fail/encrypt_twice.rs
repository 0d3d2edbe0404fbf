use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/fixture/profitsharing/receivers/add")]
pub struct AddReceiver {
    #[wechat(encrypt)]
    #[wechat(encrypt)]
    pub name: String,
}

fn main() {}
