//! Compile-time checked, signed and verified calls to the WeChat Pay APIv3
//! (微信支付 APIv3).
//!
//! Declare an endpoint as a struct; the [`wechat_endpoint`](macro@wechat_endpoint)
//! attribute binds each `{placeholder}` of the path, written as the WeChat Pay
//! documentation writes it, to the field of the same name and implements [`Endpoint`]:
//!
//! ```
//! use serde::{Deserialize, Serialize};
//! use wechat_endpoint::wechat_endpoint;
//!
//! #[derive(Serialize)]
//! pub struct Store {
//!     pub store_id: String,
//! }
//!
//! #[derive(Debug, Deserialize)]
//! pub struct DisassociateStoresResponse {
//!     pub total_count: u64,
//! }
//!
//! #[wechat_endpoint(POST, "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores", response = DisassociateStoresResponse)]
//! pub struct DisassociateStores {
//!     pub product_coupon_id: String,
//!     pub stock_id: String,
//!     pub brand_id: String,
//!     pub store_list: Vec<Store>,
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Offline: the sandbox checks signatures like the gateway and signs its responses.
//! let sandbox = wechat_endpoint::sandbox::Sandbox::start()?;
//! let client = sandbox.client()?;
//! let response = client
//!     .send(&DisassociateStores {
//!         product_coupon_id: "1000000013".into(),
//!         stock_id: "1000000013001".into(),
//!         brand_id: "120344".into(),
//!         store_list: vec![Store { store_id: "100000001".into() }],
//!     })
//!     .await?;
//! assert_eq!(response.total_count, 1);
//! # Ok(()) }
//! ```
//!
//! [`Client::send`] builds the request target and body once, signs exactly those bytes
//! (SHA256withRSA, `Authorization: WECHATPAY2-SHA256-RSA2048 …`), sends them, verifies
//! the response's signature before parsing it, and returns the typed response or an
//! [`Error`] the caller can act on.
//!
//! # Features
//!
//! | feature | default | what |
//! | --- | --- | --- |
//! | `aws-lc` | yes | SHA256withRSA through aws-lc-rs |
//! | `rustls` | yes | HTTPS through reqwest's rustls |
//! | `rust-crypto` | no | SHA256withRSA through the pure-Rust `rsa` and `sha2` crates |
//! | `blocking` | no | [`blocking::Client`] |
//! | `sandbox` | no | [`sandbox::Sandbox`], an offline gateway on loopback |
#[cfg(feature = "axum")]
pub mod axum;
pub mod bill;
#[cfg(feature = "blocking")]
pub mod blocking;
mod builder;
pub mod catalog;
mod certificates;
mod client;
pub mod crypto;
mod dynamic;
mod endpoint;
mod error;
pub mod media;
pub mod notify;
pub mod payment;
mod retry;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod sensitive;
pub mod signing;
mod template;
pub mod verify;

pub use builder::{
    ClientBuilder, DEFAULT_BACKUP_BASE_URL, DEFAULT_BASE_URL, DEFAULT_BILL_DEADLINE, DEFAULT_MAX_BILL_BYTES, env,
};
pub use client::Client;
pub use dynamic::DynamicRequest;
pub use endpoint::{Endpoint, TargetWriter, write_json};
pub use error::chain as error_chain;
pub use error::{
    ApiError, BuildError, CertificateOutOfWindow, ConfigError, Error, JsonError, TemplateError, VerifyError,
};
pub use http::Method;
pub use retry::RetryPolicy;
#[doc = include_str!("../docs/wechat_endpoint.md")]
pub use wechat_endpoint_macros::wechat_endpoint;

// `#[wechat_endpoint]` names this crate `::wechat_endpoint`, in user crates and here: the
// runtime declares its own endpoints (`bill::TradeBill`…) with its macro.
extern crate self as wechat_endpoint;

/// What generated code reaches through; not a public API. Named after the version that
/// `wechat-endpoint-macros`, pinned to this crate's exactly, generates code for (see
/// `PRIVATE` in its `expand.rs`).
#[doc(hidden)]
pub mod __private_0_1_0 {
    pub use http::Method;
    pub use serde;
    pub use std::fmt::Display;
    pub use std::marker::PhantomData;
    pub use std::option::Option;
    pub use std::result::Result;
    pub use std::string::String;
    pub use std::vec::Vec;

    pub use crate::endpoint::{Endpoint, TargetWriter, write_json};
    pub use crate::error::BuildError;
    pub use crate::media::MediaFile;
    pub use crate::sensitive::{encrypt, encrypt_option};
}
