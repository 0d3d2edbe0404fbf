// Generated code names everything through absolute paths, so the user's names cannot
// change what it means: here `Result`, `Option`, `Some`, `Ok`, `Vec`, `String`,
// `Display`, `Serialize`, `serde`, `core`, `encrypt`, `encrypt_option` and `MediaFile`
// all mean something else.
#![allow(non_camel_case_types, non_snake_case, dead_code)]

pub type Result<T> = std::result::Result<T, ()>;
pub struct Vec;
pub struct Option;
pub trait Display {}
pub trait Serialize {}
pub fn Ok() {}
pub fn Some() {}
pub fn encrypt() {}
pub fn encrypt_option() {}
pub fn __wechat_endpoint_encrypt_option_str() {}
pub struct MediaFile;
pub fn __media_file() {}
pub mod serde {}
pub mod core {}
pub mod wechat {}
pub struct __WechatEndpointBody;

/// A trait whose methods have the names the generated code calls.
pub trait Lookalike {
    fn push_path(&mut self, _: &str) {}
    fn push_segment(&mut self, _: &str, _: &u64) {}
    fn push_query(&mut self, _: &u64) {}
}
impl<T> Lookalike for T {}

use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/stocks/<stock_id>")]
pub struct UpdateStock {
    pub stock_id: std::string::String,
    pub brand_id: std::string::String,
    pub tag: __WechatEndpointBody2,
    #[wechat(query)]
    pub page: std::option::Option<u32>,
}

#[derive(::serde::Serialize)]
pub struct __WechatEndpointBody2;

#[wechat_endpoint(POST, "v3/receivers", idempotent)]
pub struct AddReceiver<'a> {
    #[wechat(encrypt)]
    pub name: std::string::String,
    #[wechat(encrypt)]
    pub alias: std::option::Option<std::string::String>,
    #[wechat(encrypt)]
    pub email: std::option::Option<&'a str>,
}

#[wechat_endpoint(POST, "v3/merchant/media/upload")]
pub struct Upload {
    #[wechat(file)]
    pub file: wechat_endpoint::media::MediaFile,
}

const fn endpoint<E: wechat_endpoint::Endpoint>() {}
const _: () = endpoint::<UpdateStock>();
const _: () = endpoint::<AddReceiver<'static>>();
const _: () = endpoint::<Upload>();

fn main() {}
