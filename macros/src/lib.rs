//! The `#[wechat_endpoint]` attribute; see the `wechat-endpoint` crate.
use proc_macro::TokenStream;

/// Declares a WeChat Pay APIv3 endpoint; see the `wechat-endpoint` crate's docs.
#[proc_macro_attribute]
pub fn wechat_endpoint(_args: TokenStream, input: TokenStream) -> TokenStream {
    input
}
