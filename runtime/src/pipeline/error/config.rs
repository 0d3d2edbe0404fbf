//! Configuration problems, reported by `build()` and `from_env()`.

use std::path::PathBuf;

use crate::crypto::utc;

/// A configuration problem found by `build()` or `from_env()`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A configured platform certificate had already expired at `build()`: it would
    /// verify nothing. Configure its successor (or the WeChat Pay public key).
    #[error("platform certificate `{serial}` expired at {}", utc(.not_after))]
    CertificateExpired {
        /// The certificate's serial, as it states it.
        serial: String,
        /// The end of its validity window.
        not_after: std::time::SystemTime,
    },
    /// A required setting was not given.
    #[error("{0} is required")]
    Missing(&'static str),
    /// A setting was given but is unusable.
    #[error("{what} is invalid: {problem}")]
    Invalid {
        /// The setting.
        what: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// A key file could not be read.
    #[error("{what}: cannot read {}", .path.display())]
    Read {
        /// The setting.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An environment variable is set but unusable.
    #[error("environment variable {var} is invalid: {problem}")]
    Env {
        /// The variable.
        var: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client")]
    Http(#[source] reqwest::Error),
}
