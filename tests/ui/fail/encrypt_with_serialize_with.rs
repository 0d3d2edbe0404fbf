use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/fixture/profitsharing/receivers/add")]
pub struct AddReceiver {
    #[wechat(encrypt)]
    #[serde(serialize_with = "upper")]
    pub name: String,
    #[wechat(encrypt)]
    #[serde(rename = "mobile", with = "as_upper")]
    pub phone: String,
}

fn upper<S: serde::Serializer>(value: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_uppercase())
}

mod as_upper {
    pub fn serialize<S: serde::Serializer>(value: &str, serializer: S) -> Result<S::Ok, S::Error> {
        super::upper(value, serializer)
    }
}

fn main() {}
