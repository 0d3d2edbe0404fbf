//! Every way a call can fail, each with what the caller needs to act on it.
//!
//! An [`Error`] is built once, when its call is over, with the call's context: the
//! method and path template, the tries made, and the status, `Request-ID` and raw body
//! of the response it ended with, where there was one. The error types of features that
//! [`Error`] carries ([`DownloadError`], [`PlatformCertificatesError`], the media
//! upload's `MediaError`) live beside it, so that it depends on no feature.

mod api;
mod build;
mod certificates;
mod config;
mod download;
mod json;

use bytes::Bytes;
use http::{Method, StatusCode};

pub use api::ApiError;
pub(crate) use api::Refusal;
pub(crate) use build::parse_template;
pub use build::{BuildError, TemplateError};
pub use certificates::PlatformCertificatesError;
pub use config::ConfigError;
pub use download::DownloadError;
pub use json::JsonError;

use crate::crypto::CryptoError;
use crate::crypto::verify::VerifyError;
use crate::pipeline::multipart::MediaError;

/// What went wrong with a call. Match on the variant to decide what to do; every
/// variant that saw a response keeps its `Request-ID` and raw body, and those of a call
/// name it by method and path template.
///
/// Neither its `Display` nor its `Debug` holds user data: no path or query value (URLs
/// are stripped from transport errors, calls are named by their path template), no
/// response body (`Debug` shows its length), no value quoted by a JSON error.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client's configuration is unusable; reported by `build()`.
    #[error(transparent)]
    Config(#[from] ConfigError),

    /// The request, or front-end payment parameters, could not be built from the values
    /// given; nothing was sent or signed.
    #[error(transparent)]
    Build(#[from] BuildError),

    /// Signing failed; nothing was sent.
    #[error("could not sign the request: {0}")]
    Sign(CryptoError),

    /// No connection to the gateway could be opened: refused, unreachable, a host name
    /// that does not resolve, or a TCP or TLS handshake that failed or did not finish
    /// within the connect timeout. The request never left this machine, so sending it
    /// again is safe for any method; the client has already retried it as its
    /// [`RetryPolicy`](crate::RetryPolicy) allows, on the backup host when one is set.
    #[error("{method} {path}: could not connect to the gateway; the request was not sent")]
    Connect {
        /// Method of the call.
        method: Method,
        /// Path template of the call.
        path: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
        /// Tries made, this one included.
        tries: u32,
    },

    /// The connection failed once the request was, or may have been, written: reset or
    /// closed before a complete response arrived. For calls that change state the outcome
    /// is unknown: query before retrying with the same idempotency key.
    #[error("{method} {path}: the connection failed after the request may have been sent")]
    Transport {
        /// Method of the call.
        method: Method,
        /// Path template of the call.
        path: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
        /// Tries made, this one included.
        tries: u32,
    },

    /// No complete response arrived within the [`timeout`](crate::ClientBuilder::timeout)
    /// of a try, once the request was, or may have been, written. For calls that change
    /// state the outcome is unknown: query before retrying with the same idempotency key.
    /// A connection still opening when the try's timeout ends is reported here too; a
    /// connect timeout shorter than the timeout makes it an [`Error::Connect`].
    #[error("{method} {path}: no complete response within the timeout")]
    Timeout {
        /// Method of the call.
        method: Method,
        /// Path template of the call.
        path: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
        /// Tries made, this one included.
        tries: u32,
    },

    /// The gateway responded with a non-2xx status.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// A 2xx response failed signature verification and was discarded unparsed.
    #[error("{method} {path}: {status} response refused{}", request_id_suffix(.request_id.as_deref()))]
    Verify {
        /// Method of the call.
        method: Method,
        /// Path template of the call.
        path: String,
        /// Why the response was refused.
        #[source]
        source: VerifyError,
        /// The response's status.
        status: StatusCode,
        /// The response's `Request-ID`, when it had one.
        request_id: Option<String>,
        /// The raw response body, kept for investigation; it is not trustworthy.
        body: Bytes,
        /// Tries made, this one included.
        tries: u32,
    },

    /// A verified 2xx response did not decode into the endpoint's response type.
    #[error(
        "{method} {path}: {status} response did not decode into the response type{}",
        request_id_suffix(.request_id.as_deref())
    )]
    Decode {
        /// Method of the call.
        method: Method,
        /// Path template of the call.
        path: String,
        /// The JSON error, shown without the values it may quote.
        #[source]
        source: JsonError,
        /// The response's status.
        status: StatusCode,
        /// The response's `Request-ID`.
        request_id: Option<String>,
        /// The raw, verified response body.
        body: Bytes,
        /// Tries made, the successful one included.
        tries: u32,
    },

    /// The response body exceeded the configured limit; reading stopped there.
    #[error(
        "{method} {path}: {status} response exceeds the {limit}-byte limit{}",
        request_id_suffix(.request_id.as_deref())
    )]
    ResponseTooLarge {
        /// Method of the call.
        method: Method,
        /// Path template of the call.
        path: String,
        /// The configured limit.
        limit: usize,
        /// The response's status.
        status: StatusCode,
        /// The response's `Request-ID`.
        request_id: Option<String>,
        /// Tries made, this one included.
        tries: u32,
    },

    /// A sensitive field could not be encrypted or decrypted.
    #[error("a sensitive field could not be encrypted or decrypted")]
    Sensitive(#[source] CryptoError),

    /// Platform certificates could not be downloaded or used.
    #[error("platform certificates could not be used")]
    PlatformCertificates {
        /// What went wrong.
        #[source]
        source: PlatformCertificatesError,
    },

    /// The blocking client was called from async code a runtime is polling (a task, or
    /// a future under `block_on`). Blocking that thread would stall the runtime, and
    /// deadlock it when the call needs that runtime; nothing was sent. Use the async
    /// client there, or call the blocking one from `tokio::task::spawn_blocking`.
    #[error(
        "the blocking client was called from async code a tokio runtime is polling (a task or a \
         `block_on` future): blocking this thread would stall that runtime, or deadlock it if the call \
         needs it; nothing was sent. Use the async `Client` here, or call from \
         `tokio::task::spawn_blocking`"
    )]
    BlockingInAsyncContext,

    /// A media file could not be prepared for upload; nothing was sent.
    #[error(transparent)]
    Media(#[from] MediaError),

    /// A bill download failed once its file was asked for. The `written` bytes that
    /// reached the destination are not a verified bill and must be discarded; a
    /// download to a path leaves that path untouched.
    #[error("bill download failed{}", written_suffix(*.written))]
    Download {
        /// What went wrong.
        #[source]
        source: DownloadError,
        /// Bytes written to the destination before the failure.
        written: u64,
        /// The file response's `Request-ID`, when one arrived.
        request_id: Option<String>,
        /// Tries made to fetch the file, the last one included.
        tries: u32,
    },
}

/// Writes an error and its chain of sources on one line: `error: cause: cause`, for
/// logs and messages.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A body in `Debug` output: its length, never its bytes.
struct BodyLen(usize);

impl std::fmt::Debug for BodyLen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{} bytes]", self.0)
    }
}

/// `f.debug_struct(name)` with each binding as a field of its own name.
macro_rules! debug_struct {
    ($f:expr, $name:literal { $($field:ident),* $(,)? }) => {
        $f.debug_struct($name)$(.field(stringify!($field), $field))*.finish()
    };
}

/// Written by hand: response bodies and JSON errors may hold user data, so a body shows
/// as its length.
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Config(e) => f.debug_tuple("Config").field(e).finish(),
            Error::Build(e) => f.debug_tuple("Build").field(e).finish(),
            Error::Sign(e) => f.debug_tuple("Sign").field(e).finish(),
            Error::Transport { method, path, source, tries } => {
                debug_struct!(f, "Transport" { method, path, source, tries })
            }
            Error::Connect { method, path, source, tries } => {
                debug_struct!(f, "Connect" { method, path, source, tries })
            }
            Error::Timeout { method, path, source, tries } => {
                debug_struct!(f, "Timeout" { method, path, source, tries })
            }
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::Verify { method, path, source, status, request_id, body, tries } => {
                let body = &BodyLen(body.len());
                debug_struct!(f, "Verify" { method, path, source, status, request_id, body, tries })
            }
            Error::Decode { method, path, source, status, request_id, body, tries } => {
                let body = &BodyLen(body.len());
                debug_struct!(f, "Decode" { method, path, source, status, request_id, body, tries })
            }
            Error::ResponseTooLarge { method, path, limit, status, request_id, tries } => {
                debug_struct!(f, "ResponseTooLarge" { method, path, limit, status, request_id, tries })
            }
            Error::Sensitive(e) => f.debug_tuple("Sensitive").field(e).finish(),
            Error::PlatformCertificates { source } => debug_struct!(f, "PlatformCertificates" { source }),
            Error::BlockingInAsyncContext => f.write_str("BlockingInAsyncContext"),
            Error::Media(e) => f.debug_tuple("Media").field(e).finish(),
            Error::Download { source, written, request_id, tries } => {
                debug_struct!(f, "Download" { source, written, request_id, tries })
            }
        }
    }
}

fn written_suffix(written: u64) -> String {
    match written {
        0 => String::from("; nothing was written to the destination"),
        n => format!("; the {n} bytes written are not a verified bill: discard them"),
    }
}

fn request_id_suffix(request_id: Option<&str>) -> String {
    request_id.map(|id| format!(" (Request-ID {id})")).unwrap_or_default()
}

impl Error {
    /// The `Request-ID` of the response this error came from, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.request_id.as_deref(),
            Error::Verify { request_id, .. }
            | Error::Decode { request_id, .. }
            | Error::ResponseTooLarge { request_id, .. }
            | Error::Download { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The gateway's error code (`SIGN_ERROR`, `SYSTEM_ERROR`…) of an [`Error::Api`].
    pub fn api_code(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.code.as_deref(),
            _ => None,
        }
    }

    /// How many tries the call made before it failed; 0 when nothing was sent.
    pub fn tries(&self) -> u32 {
        match self {
            Error::Api(api) => api.tries,
            Error::Connect { tries, .. }
            | Error::Transport { tries, .. }
            | Error::Timeout { tries, .. }
            | Error::Verify { tries, .. }
            | Error::Decode { tries, .. }
            | Error::ResponseTooLarge { tries, .. }
            | Error::Download { tries, .. } => *tries,
            _ => 0,
        }
    }

    /// The status of the response this error came from, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Verify { status, .. } | Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }
}

impl From<PlatformCertificatesError> for Error {
    fn from(source: PlatformCertificatesError) -> Self {
        Error::PlatformCertificates { source }
    }
}
