// The generated code is clean under strict lints a user crate may deny.
#![deny(
    warnings,
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub,
    unused_qualifications,
    unused_lifetimes,
    single_use_lifetimes,
    unused_results,
    trivial_casts,
    trivial_numeric_casts,
    variant_size_differences,
    clippy::all,
    clippy::pedantic
)]
//! Strict lints.

use wechat_endpoint::{Endpoint, wechat_endpoint};

/// A GET with path, query and borrowed values.
#[wechat_endpoint(GET, "v3/stocks/<stock_id>/stores")]
#[derive(Debug)]
pub struct ListStores<'a, T> {
    /// Path.
    pub stock_id: &'a str,
    /// Query.
    pub brand_id: T,
    /// Query.
    pub page_size: Option<u32>,
}

/// A POST with a body.
#[wechat_endpoint(POST, "v3/stocks/<stock_id>/deactivate")]
#[derive(Debug)]
pub struct Deactivate {
    /// Path.
    pub stock_id: u64,
    /// Body.
    #[serde(rename = "brand")]
    pub brand_id: String,
}

/// An idempotent POST with encrypted fields.
#[wechat_endpoint(POST, "v3/fixture/profitsharing/receivers/add", idempotent)]
#[derive(Debug)]
pub struct AddReceiver<'a> {
    /// Body.
    pub account: &'a str,
    /// Encrypted.
    #[wechat(encrypt)]
    pub name: Option<&'a str>,
    /// Encrypted.
    #[wechat(encrypt)]
    pub alias: Option<String>,
}

/// An upload with an extra `meta` field.
#[wechat_endpoint(POST, "v3/fixture/marketing/partner/product-coupon/media/upload-image")]
#[derive(Debug)]
pub struct UploadImage<'a> {
    /// File.
    #[wechat(file)]
    pub file: &'a wechat_endpoint::media::MediaFile,
    /// Meta.
    pub brand_id: &'a str,
}

const fn endpoint<E: Endpoint>() {}
const _: () = endpoint::<ListStores<'static, String>>();
const _: () = endpoint::<Deactivate>();
const _: () = endpoint::<AddReceiver<'static>>();
const _: () = endpoint::<UploadImage<'static>>();

fn main() {}
