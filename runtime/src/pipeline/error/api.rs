//! A non-2xx response from the gateway.

use std::time::Duration;

use bytes::Bytes;
use http::{Method, StatusCode};

use super::{BodyLen, request_id_suffix};

/// A non-2xx response from the gateway, and the call it answered.
///
/// `code`, `message` and `detail` come from the JSON error body when it is one; `body`
/// always keeps the raw bytes. `Display` shows the call (method and path template), the
/// status, code, message and `Request-ID`; `Debug` also leaves out the body and
/// `detail`, which may echo the values sent, showing only the body's length and the
/// names in `detail`.
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The method of the call.
    pub method: Method,
    /// The path template of the call; it holds no path or query value.
    pub path: String,
    /// The HTTP status.
    pub status: StatusCode,
    /// The error code, e.g. `PARAM_ERROR`, `SIGN_ERROR`, `RATELIMIT_EXCEEDED`.
    pub code: Option<String>,
    /// The human-readable message.
    pub message: Option<String>,
    /// The optional `detail` object (`field`, `value`, `issue`, `location`).
    pub detail: Option<serde_json::Value>,
    /// The response's `Request-ID`, to quote to WeChat Pay support.
    pub request_id: Option<String>,
    /// The raw response body, JSON or not.
    pub body: Bytes,
    /// The `Retry-After` the gateway asked for, in seconds, when it did.
    pub retry_after: Option<Duration>,
    /// Tries made, this one included.
    pub tries: u32,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {} {}: {}{}",
            self.method,
            self.path,
            self.status,
            self.code.as_deref().unwrap_or("(no code)"),
            self.message.as_deref().unwrap_or("(no message)"),
            request_id_suffix(self.request_id.as_deref())
        )
    }
}

impl std::fmt::Debug for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let detail_keys = self.detail.as_ref().map(|detail| match detail.as_object() {
            Some(object) => object.keys().map(String::as_str).collect::<Vec<_>>(),
            None => Vec::new(),
        });
        f.debug_struct("ApiError")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("detail", &detail_keys)
            .field("request_id", &self.request_id)
            .field("body", &BodyLen(self.body.len()))
            .field("retry_after", &self.retry_after)
            .field("tries", &self.tries)
            .finish()
    }
}

/// A non-2xx response as one try read it, before the call it belongs to is done.
#[derive(Clone)]
pub(crate) struct Refusal {
    pub(crate) status: StatusCode,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) body: Bytes,
}

impl ApiError {
    /// The error for `refusal`, the last response of the call `method path` after `tries`
    /// tries; its JSON body, when it is one, gives the code, message and detail.
    pub(crate) fn new(method: Method, path: String, refusal: Refusal, tries: u32) -> Self {
        #[derive(serde::Deserialize)]
        struct Body {
            code: Option<String>,
            message: Option<String>,
            detail: Option<serde_json::Value>,
        }
        let Refusal { status, request_id, retry_after, body } = refusal;
        let (code, message, detail) = match serde_json::from_slice::<Body>(&body) {
            Ok(b) => (b.code, b.message, b.detail),
            Err(_) => (None, None, None),
        };
        ApiError { method, path, status, code, message, detail, request_id, body, retry_after, tries }
    }
}
