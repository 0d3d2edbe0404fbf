//! Every way a call can fail, each with what the caller needs to act on it.

use std::path::PathBuf;

use bytes::Bytes;
use http::{Method, StatusCode};

/// What went wrong with a call. Match on the variant to decide what to do; every
/// variant that saw an answer keeps its `Request-ID` and raw body.
///
/// Neither its `Display` nor its `Debug` holds user data: no path or query value (URLs
/// are stripped from transport errors), no answer body (`Debug` shows its length), no
/// value quoted by a JSON error.
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
    Sign(crate::crypto::CryptoError),

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
    /// closed before a complete answer arrived. For calls that change state the outcome
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

    /// No complete answer arrived within the configured timeout, once the request was,
    /// or may have been, written. For calls that change state the outcome is unknown:
    /// query before retrying with the same idempotency key. A connection still opening
    /// when the whole-call timeout ends is reported here too; a connect timeout shorter
    /// than the whole-call timeout makes it an [`Error::Connect`].
    #[error("{method} {path}: no complete answer within the timeout")]
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

    /// The gateway answered with a non-2xx status.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// A 2xx answer failed signature verification and was discarded unparsed.
    #[error("{status} answer refused{}", request_id_suffix(.request_id.as_deref()))]
    Verify {
        /// Why the answer was refused.
        #[source]
        source: VerifyError,
        /// The answer's status.
        status: StatusCode,
        /// The answer's `Request-ID`, when it had one.
        request_id: Option<String>,
        /// The raw answer body, kept for investigation; it is not trustworthy.
        body: Bytes,
        /// Tries made, this one included.
        tries: u32,
    },

    /// A verified 2xx answer did not decode into the endpoint's response type.
    #[error("{status} answer did not decode into the response type{}", request_id_suffix(.request_id.as_deref()))]
    Decode {
        /// The JSON error, shown without the values it may quote.
        #[source]
        source: JsonError,
        /// The answer's status.
        status: StatusCode,
        /// The answer's `Request-ID`.
        request_id: Option<String>,
        /// The raw, verified answer body.
        body: Bytes,
        /// Tries made, the successful one included.
        tries: u32,
    },

    /// The answer body exceeded the configured limit; reading stopped there.
    #[error("{status} answer exceeds the {limit}-byte limit{}", request_id_suffix(.request_id.as_deref()))]
    AnswerTooLarge {
        /// The configured limit.
        limit: usize,
        /// The answer's status.
        status: StatusCode,
        /// The answer's `Request-ID`.
        request_id: Option<String>,
        /// Tries made, this one included.
        tries: u32,
    },

    /// A sensitive field could not be encrypted or decrypted.
    #[error("a sensitive field could not be encrypted or decrypted")]
    Sensitive(#[source] crate::crypto::CryptoError),

    /// Platform certificates could not be downloaded or used.
    #[error("platform certificates: {problem}")]
    PlatformCertificates {
        /// What went wrong.
        problem: String,
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
    Media(#[from] crate::media::MediaError),

    /// A bill download failed once its file was asked for. The `written` bytes that
    /// reached the destination are not a verified bill and must be discarded; a
    /// download to a path leaves that path untouched.
    #[error("bill download failed{}", written_suffix(*.written))]
    Download {
        /// What went wrong.
        #[source]
        source: crate::bill::DownloadError,
        /// Bytes written to the destination before the failure.
        written: u64,
        /// The file answer's `Request-ID`, when one arrived.
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

/// A JSON document that did not decode. serde_json's own message may quote values of
/// the document (`invalid type: string "13800138000", expected u64`), which are user
/// data: this error's `Display` and `Debug` say only what kind of problem it is, where
/// (line and column), and the name of a missing or unknown field. The full serde_json
/// error is [`get_ref`](Self::get_ref).
pub struct JsonError(serde_json::Error);

impl JsonError {
    pub(crate) fn new(error: serde_json::Error) -> Self {
        JsonError(error)
    }

    /// The serde_json error, whose message may quote the document.
    pub fn get_ref(&self) -> &serde_json::Error {
        &self.0
    }

    /// The serde_json error, whose message may quote the document.
    pub fn into_inner(self) -> serde_json::Error {
        self.0
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use serde_json::error::Category;
        let error = &self.0;
        let message = error.to_string();
        let field = ["missing field `", "unknown field `"].into_iter().find_map(|prefix| {
            let name = message.strip_prefix(prefix)?;
            name.find('`').map(|end| format!("{prefix}{}`", &name[..end]))
        });
        let kind = match error.classify() {
            Category::Io => "the JSON could not be read",
            Category::Syntax => "not valid JSON",
            Category::Eof => "the JSON ends early",
            Category::Data => "a value does not fit the expected type",
        };
        write!(f, "{} at line {}, column {}", field.as_deref().unwrap_or(kind), error.line(), error.column())
    }
}

impl std::fmt::Debug for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JsonError({self})")
    }
}

impl std::error::Error for JsonError {}

/// A body in `Debug` output: its length, never its bytes.
struct BodyLen(usize);

impl std::fmt::Debug for BodyLen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{} bytes]", self.0)
    }
}

/// Written by hand: answer bodies and JSON errors may hold user data.
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Config(e) => f.debug_tuple("Config").field(e).finish(),
            Error::Build(e) => f.debug_tuple("Build").field(e).finish(),
            Error::Sign(e) => f.debug_tuple("Sign").field(e).finish(),
            Error::Transport { method, path, source, tries } => f
                .debug_struct("Transport")
                .field("method", method)
                .field("path", path)
                .field("source", source)
                .field("tries", tries)
                .finish(),
            Error::Connect { method, path, source, tries } => f
                .debug_struct("Connect")
                .field("method", method)
                .field("path", path)
                .field("source", source)
                .field("tries", tries)
                .finish(),
            Error::Timeout { method, path, source, tries } => f
                .debug_struct("Timeout")
                .field("method", method)
                .field("path", path)
                .field("source", source)
                .field("tries", tries)
                .finish(),
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::Verify { source, status, request_id, body, tries } => f
                .debug_struct("Verify")
                .field("source", source)
                .field("status", status)
                .field("request_id", request_id)
                .field("body", &BodyLen(body.len()))
                .field("tries", tries)
                .finish(),
            Error::Decode { source, status, request_id, body, tries } => f
                .debug_struct("Decode")
                .field("source", source)
                .field("status", status)
                .field("request_id", request_id)
                .field("body", &BodyLen(body.len()))
                .field("tries", tries)
                .finish(),
            Error::AnswerTooLarge { limit, status, request_id, tries } => f
                .debug_struct("AnswerTooLarge")
                .field("limit", limit)
                .field("status", status)
                .field("request_id", request_id)
                .field("tries", tries)
                .finish(),
            Error::Sensitive(e) => f.debug_tuple("Sensitive").field(e).finish(),
            Error::PlatformCertificates { problem } => {
                f.debug_struct("PlatformCertificates").field("problem", problem).finish()
            }
            Error::BlockingInAsyncContext => f.write_str("BlockingInAsyncContext"),
            Error::Media(e) => f.debug_tuple("Media").field(e).finish(),
            Error::Download { source, written, request_id, tries } => f
                .debug_struct("Download")
                .field("source", source)
                .field("written", written)
                .field("request_id", request_id)
                .field("tries", tries)
                .finish(),
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
    /// The `Request-ID` of the answer this error came from, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.request_id.as_deref(),
            Error::Verify { request_id, .. }
            | Error::Decode { request_id, .. }
            | Error::AnswerTooLarge { request_id, .. }
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
            | Error::AnswerTooLarge { tries, .. }
            | Error::Download { tries, .. } => *tries,
            _ => 0,
        }
    }

    /// Records the number of tries made.
    pub(crate) fn with_tries(mut self, made: u32) -> Self {
        match &mut self {
            Error::Api(api) => api.tries = made,
            Error::Connect { tries, .. }
            | Error::Transport { tries, .. }
            | Error::Timeout { tries, .. }
            | Error::Verify { tries, .. }
            | Error::Decode { tries, .. }
            | Error::AnswerTooLarge { tries, .. }
            | Error::Download { tries, .. } => *tries = made,
            _ => {}
        }
        self
    }

    /// The status of the answer this error came from, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Verify { status, .. } | Error::Decode { status, .. } | Error::AnswerTooLarge { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }
}

/// A non-2xx answer from the gateway.
///
/// `code`, `message` and `detail` come from the JSON error body when it is one; `body`
/// always keeps the raw bytes. `Display` shows the status, code, message and
/// `Request-ID`; `Debug` also leaves out the body and `detail`, which may echo the
/// values sent, showing only the body's length and the names in `detail`.
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The error code, e.g. `PARAM_ERROR`, `SIGN_ERROR`, `RATELIMIT_EXCEEDED`.
    pub code: Option<String>,
    /// The human-readable message.
    pub message: Option<String>,
    /// The optional `detail` object (`field`, `value`, `issue`, `location`).
    pub detail: Option<serde_json::Value>,
    /// The answer's `Request-ID`, to quote to WeChat Pay support.
    pub request_id: Option<String>,
    /// The raw answer body, JSON or not.
    pub body: Bytes,
    /// The `Retry-After` the gateway asked for, in seconds, when it did.
    pub retry_after: Option<std::time::Duration>,
    /// Tries made, this one included.
    pub tries: u32,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}{}",
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

impl ApiError {
    pub(crate) fn from_answer(
        status: StatusCode,
        request_id: Option<String>,
        retry_after: Option<std::time::Duration>,
        body: Bytes,
    ) -> Self {
        #[derive(serde::Deserialize)]
        struct Body {
            code: Option<String>,
            message: Option<String>,
            detail: Option<serde_json::Value>,
        }
        let parsed = serde_json::from_slice::<Body>(&body).ok();
        let (code, message, detail) = match parsed {
            Some(b) => (b.code, b.message, b.detail),
            None => (None, None, None),
        };
        ApiError { status, code, message, detail, request_id, body, retry_after, tries: 1 }
    }
}

/// Why a signed answer (or callback) was refused. Each check has its own variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A `Wechatpay-*` header is missing: a 2xx answer without a signature is a forgery.
    #[error("header `{0}` is missing")]
    MissingHeader(&'static str),
    /// A header is present but unusable: not text, sent twice, not a number…
    #[error("header `{name}` is invalid: {problem}")]
    InvalidHeader {
        /// The header.
        name: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// `Wechatpay-Signature-Type` names an algorithm this client does not accept.
    #[error("signature type `{0}` is not WECHATPAY2-SHA256-RSA2048")]
    UnsupportedSignatureType(String),
    /// The timestamp is more than 300 seconds away from this machine's clock.
    #[error("timestamp {timestamp} is {}s away from the local clock {now} (limit 300s)", .now.abs_diff(*.timestamp))]
    ClockSkew {
        /// The answer's `Wechatpay-Timestamp`.
        timestamp: i64,
        /// The local Unix time.
        now: i64,
    },
    /// `Wechatpay-Serial` names no key this client knows.
    #[error("no verifying key has serial `{0}`")]
    UnknownSerial(String),
    /// `Wechatpay-Serial` names a platform certificate that is not valid at the time of
    /// verification: it expired, or its window has not begun. A certificate is trusted
    /// only within its window.
    #[error("{0}")]
    CertificateNotValid(Box<CertificateOutOfWindow>),
    /// The signature is a `WECHATPAY/SIGNTEST/` probe: the gateway checking that
    /// signatures are verified. It fails like any bad signature.
    #[error("signature is a WECHATPAY/SIGNTEST/ probe and does not verify")]
    SignatureProbe,
    /// The signature does not match the timestamp, nonce and body.
    #[error("signature does not verify")]
    BadSignature,
}

/// A platform certificate used outside its validity window: which one, its window,
/// and the time of use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("platform certificate `{serial}` is valid from {} to {}, not at {}", utc(.not_before), utc(.not_after), utc(.at))]
#[non_exhaustive]
pub struct CertificateOutOfWindow {
    /// The certificate's serial, as it states it.
    pub serial: String,
    /// The start of its validity window.
    pub not_before: std::time::SystemTime,
    /// The end of its validity window.
    pub not_after: std::time::SystemTime,
    /// The time of use.
    pub at: std::time::SystemTime,
}

/// A time as UTC `YYYY-MM-DDTHH:MM:SSZ`, for messages.
pub(crate) fn utc(time: &std::time::SystemTime) -> String {
    match x509_cert::der::DateTime::from_system_time(*time) {
        Ok(time) => time.to_string(),
        Err(_) => format!("{time:?}"),
    }
}

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

/// The request could not be built from the endpoint's values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A path value cannot be sent as one segment.
    #[error("path value `{name}` cannot be used: {problem}")]
    PathValue {
        /// The placeholder.
        name: std::borrow::Cow<'static, str>,
        /// What is wrong with the value.
        problem: &'static str,
    },
    /// A path placeholder of a dynamic request was given no value, or a value was
    /// given for no placeholder.
    #[error("path placeholder `{name}`: {problem}")]
    Placeholder {
        /// The placeholder.
        name: String,
        /// What is wrong.
        problem: &'static str,
    },
    /// The query values could not be serialised.
    #[error("the query values could not be serialised")]
    Query(#[source] serde_urlencoded::ser::Error),
    /// The body could not be serialised.
    #[error("the JSON body could not be serialised")]
    Body(#[source] serde_json::Error),
    /// A value given for front-end payment parameters ([`crate::payment`]) cannot be
    /// signed as the front end will send it; nothing was signed.
    #[error("payment parameter `{member}` cannot be used: {problem}")]
    PaymentParameter {
        /// The member the value is for, as the front end names it (`appId`, `prepayid`…;
        /// `prepay_id` for the id inside JSAPI's `package`).
        member: &'static str,
        /// What is wrong with the value.
        problem: &'static str,
    },
    /// The path template of a dynamic request breaks the template grammar.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// The target is not one a URL can carry unchanged. The target itself holds path
    /// and query values, so the error names the path template instead.
    #[error("the request target of `{path}` would not be sent as signed: {problem}")]
    Target {
        /// The path template of the call.
        path: String,
        /// What changes it.
        problem: String,
    },
}

/// A path template (of a dynamic request, or of a sandbox route) that breaks the grammar
/// `#[wechat_endpoint]` checks at compile time: `/`-separated segments of RFC 3986 path
/// characters or whole-segment `{name}` placeholders; no query, fragment, empty, `.` or
/// `..` segment, space or control character. Every problem found is listed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("path template `{}` is invalid: {}", .template.escape_debug(), .problems.join("; "))]
#[non_exhaustive]
pub struct TemplateError {
    /// The template as given.
    pub template: String,
    /// What is wrong with it, one entry per problem, in order.
    pub problems: Vec<String>,
}

impl TemplateError {
    pub(crate) fn new(template: &str, problems: Vec<crate::template::Problem>) -> Self {
        TemplateError { template: template.to_owned(), problems: problems.into_iter().map(|p| p.message).collect() }
    }
}

/// Parses `template` with the grammar of [`TemplateError`].
pub(crate) fn parse_template(template: &str) -> Result<crate::template::Template, TemplateError> {
    crate::template::parse_template(template).map_err(|problems| TemplateError::new(template, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_say_what_and_where_without_values() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Order {
            out_trade_no: String,
            total: u64,
        }
        let cases = [
            (
                r#"{"out_trade_no":"ORDER-SECRET-42","total":"13800138000"}"#,
                "a value does not fit the expected type at line 1, column 55",
            ),
            (r#"{"out_trade_no":"ORDER-SECRET-42"}"#, "missing field `total` at line 1, column 34"),
            (r#"{"out_trade_no":"ORDER-SECRET-42""#, "the JSON ends early at line 1, column 33"),
            (r#"{"out_trade_no":ORDER-SECRET-42}"#, "not valid JSON at line 1, column 17"),
        ];
        for (json, expected) in cases {
            let error = JsonError::new(serde_json::from_str::<Order>(json).unwrap_err());
            assert_eq!(error.to_string(), expected);
            assert_eq!(format!("{error:?}"), format!("JsonError({expected})"));
        }
    }

    #[test]
    fn target_errors_name_the_template_not_the_values() {
        let error = crate::client::url_for("http://127.0.0.1:1", "/v3/x/ORDER-SECRET-42/../y?a=PHONE", "v3/x/{id}")
            .unwrap_err();
        let text = format!("{} {error:?}", chain(&error));
        assert!(!text.contains("SECRET") && !text.contains("PHONE"), "{text}");
        assert!(text.contains("v3/x/{id}") && text.contains("would rewrite its path"), "{text}");
    }
}
