//! wip
#[cfg(feature = "blocking")]
pub mod blocking;
mod builder;
mod client;
pub mod crypto;
mod dynamic;
mod endpoint;
mod error;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod signing;
pub mod verify;

pub use builder::{ClientBuilder, DEFAULT_BASE_URL, env};
pub use client::Client;
pub use dynamic::DynamicRequest;
pub use endpoint::{Endpoint, TargetWriter, write_json};
pub use error::{ApiError, BuildError, ConfigError, Error, VerifyError};
pub use http::Method;
pub use wechat_endpoint_macros::wechat_endpoint;

/// What generated code reaches through; not a public API.
#[doc(hidden)]
pub mod __private {
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
}
