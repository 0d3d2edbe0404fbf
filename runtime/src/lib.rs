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
//! | `apis` | no | a typed endpoint for every APIv3 operation in [`apis`] |
//! | `apis-<area>` | no | those under `v3/<area>/` only (`apis-pay`, `apis-marketing`…) |
//!
//! # Layout
//!
//! The crate is built in layers, each depending only on those below it (a test checks
//! that no file imports from a layer above its own, and that no files import each other
//! in a circle):
//!
//! | layer | folder | what |
//! | --- | --- | --- |
//! | base | `crypto/`, `template.rs`, `catalog.rs` | keys, signatures ([`signing`]), verification ([`verify`]), AES-GCM, digests; the path template grammar; the [`catalog`] of operations |
//! | pipeline | `pipeline/` | the one request pipeline: endpoints, preparation, tries and retries, errors |
//! | features | `features/` | bills, media, callbacks, platform certificates, sensitive values, payments, the dynamic form |
//! | apis | `apis/` | the typed endpoints, generated from the catalog |
//! | assembly | `builder.rs` | [`ClientBuilder`]: checks the configuration and wires the layers together |
//! | adapters | `adapters/` | the blocking client, the axum extractor, the sandbox |
mod adapters;
pub mod apis;
mod builder;
pub mod catalog;
pub mod crypto;
mod features;
mod pipeline;
mod template;

#[cfg(feature = "axum")]
pub use adapters::axum;
#[cfg(feature = "blocking")]
pub use adapters::blocking;
#[cfg(feature = "sandbox")]
pub use adapters::sandbox;
pub use builder::{
    ClientBuilder, DEFAULT_BACKUP_BASE_URL, DEFAULT_BASE_URL, DEFAULT_BILL_DEADLINE, DEFAULT_MAX_BILL_BYTES, env,
};
pub use crypto::verify::{CertificateOutOfWindow, VerifyError};
pub use crypto::{signing, verify};
pub use features::dynamic::DynamicRequest;
pub use features::{bill, media, notify, payment, sensitive};
pub use http::Method;
pub use pipeline::client::Client;
pub use pipeline::endpoint::{Endpoint, TargetWriter, write_json};
pub use pipeline::error::chain as error_chain;
pub use pipeline::error::{
    ApiError, BuildError, ConfigError, DownloadError, Error, JsonError, PlatformCertificatesError, TemplateError,
};
pub use pipeline::retry::RetryPolicy;
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

    pub use crate::features::sensitive::{encrypt, encrypt_option};
    pub use crate::pipeline::endpoint::{Endpoint, TargetWriter, write_json};
    pub use crate::pipeline::error::BuildError;
    pub use crate::pipeline::multipart::MediaFile;
}
