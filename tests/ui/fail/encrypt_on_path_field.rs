use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/users/<id_card_number>/verify")]
pub struct Verify {
    #[wechat(encrypt)]
    pub id_card_number: String,
}

fn main() {}
