//! wip
pub mod crypto;
mod endpoint;
mod error;
pub use endpoint::{Endpoint, TargetWriter, write_json};
pub use error::{ApiError, BuildError, ConfigError, Error, VerifyError};
pub use http::Method;
