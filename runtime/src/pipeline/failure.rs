//! How one try failed, before the call is over: the retry loop classifies it, and the
//! last one becomes the call's [`Error`], built once with the call's context.

use std::fmt;

use bytes::Bytes;
use http::StatusCode;

use crate::crypto::CryptoError;
use crate::crypto::verify::VerifyError;
use crate::pipeline::error::{ApiError, BuildError, DownloadError, Error, Refusal, chain};
use crate::pipeline::request::Prepared;

/// How one try failed.
pub(crate) enum Failure {
    /// The target cannot be sent as signed; nothing was sent.
    Build(BuildError),
    /// Signing failed; nothing was sent.
    Sign(CryptoError),
    /// No connection could be opened; nothing was sent.
    Connect(reqwest::Error),
    /// The connection failed once the request may have been written.
    Transport(reqwest::Error),
    /// No complete response within the timeout, once the request may have been written.
    Timeout(reqwest::Error),
    /// A non-2xx response.
    Refused(Refusal),
    /// A response body over the limit.
    TooLarge { limit: usize, status: StatusCode, request_id: Option<String> },
    /// A 2xx response whose signature was refused.
    Unverified { source: VerifyError, status: StatusCode, request_id: Option<String>, body: Bytes },
    /// A streamed response's headers did not arrive in time.
    Stream(DownloadError),
}

impl Failure {
    /// Classifies a failed exchange by what the gateway could have seen. reqwest
    /// reports a failure of its connector (TCP connect, TLS handshake, either one's
    /// timeout under `connect_timeout`) as `is_connect()`: the request was not written.
    /// Any other timeout or broken connection came after the request was handed to a
    /// connection.
    ///
    /// The error keeps no URL: it holds path and query values, which no error text may
    /// carry.
    pub(crate) fn exchange(source: reqwest::Error) -> Self {
        let source = source.without_url();
        if source.is_connect() {
            Failure::Connect(source)
        } else if source.is_timeout() {
            Failure::Timeout(source)
        } else {
            Failure::Transport(source)
        }
    }

    /// The error a call of `request` ends with when this was its last try, the
    /// `tries`-th; a streamed call had written nothing yet.
    pub(crate) fn into_error(self, request: &Prepared<'_>, tries: u32) -> Error {
        let method = request.method.clone();
        let path = request.template.to_owned();
        match self {
            Failure::Build(error) => Error::Build(error),
            Failure::Sign(error) => Error::Sign(error),
            Failure::Connect(source) => Error::Connect { method, path, source, tries },
            Failure::Transport(source) => Error::Transport { method, path, source, tries },
            Failure::Timeout(source) => Error::Timeout { method, path, source, tries },
            Failure::Refused(refusal) => Error::Api(Box::new(ApiError::new(method, path, refusal, tries))),
            Failure::TooLarge { limit, status, request_id } => {
                Error::ResponseTooLarge { method, path, limit, status, request_id, tries }
            }
            Failure::Unverified { source, status, request_id, body } => {
                Error::Verify { method, path, source, status, request_id, body, tries }
            }
            Failure::Stream(source) => Error::Download { source, written: 0, request_id: None, tries },
        }
    }
}

/// For the log line of a retry; it names neither the call (the span does) nor any
/// value of it.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Build(error) => write!(f, "{}", chain(error)),
            Failure::Sign(error) => write!(f, "could not sign the request: {error}"),
            Failure::Connect(error) => write!(f, "could not connect to the gateway: {}", chain(error)),
            Failure::Transport(error) => write!(f, "the connection failed: {}", chain(error)),
            Failure::Timeout(error) => write!(f, "no complete response within the timeout: {}", chain(error)),
            Failure::Refused(Refusal { status, request_id: Some(id), .. }) => {
                write!(f, "{status} response (Request-ID {id})")
            }
            Failure::Refused(refusal) => write!(f, "{} response", refusal.status),
            Failure::TooLarge { limit, status, .. } => write!(f, "{status} response exceeds the {limit}-byte limit"),
            Failure::Unverified { source, status, .. } => write!(f, "{status} response refused: {source}"),
            Failure::Stream(error) => write!(f, "{}", chain(error)),
        }
    }
}
