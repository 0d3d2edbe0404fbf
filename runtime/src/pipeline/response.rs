//! What a call returns: a buffered 2xx response with the context of its call, which the
//! errors made from it carry, or the summary of a streamed one.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::crypto::verify::VerifyError;
use crate::pipeline::error::{Error, JsonError};

/// A buffered 2xx response, and the call it answered.
pub(crate) struct Response<'r> {
    pub(crate) method: &'r Method,
    pub(crate) template: &'r str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) request_id: Option<String>,
    pub(crate) body: Bytes,
    pub(crate) tries: u32,
    /// Whether its signature was verified.
    pub(crate) verified: bool,
}

impl fmt::Debug for Response<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("method", self.method)
            .field("template", &self.template)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("body_len", &self.body.len())
            .field("tries", &self.tries)
            .field("verified", &self.verified)
            .finish_non_exhaustive()
    }
}

impl Response<'_> {
    /// Decodes the response; an empty body (a 204) decodes as JSON `null`, so `()` and
    /// `Option<T>` responses work.
    pub(crate) fn decode<T: DeserializeOwned>(self) -> Result<T, Error> {
        let bytes: &[u8] = if self.body.is_empty() { b"null" } else { &self.body };
        serde_json::from_slice(bytes).map_err(|json| Error::Decode {
            method: self.method.clone(),
            path: self.template.to_owned(),
            source: JsonError::new(json),
            status: self.status,
            request_id: self.request_id,
            body: self.body,
            tries: self.tries,
        })
    }

    /// The error for a response its caller refused after checking it another way.
    pub(crate) fn refused(self, source: VerifyError) -> Error {
        Error::Verify {
            method: self.method.clone(),
            path: self.template.to_owned(),
            source,
            status: self.status,
            request_id: self.request_id,
            body: self.body,
            tries: self.tries,
        }
    }
}

/// A streamed 2xx response, once its body went to the sink.
#[derive(Debug, Clone)]
pub(crate) struct StreamedResponse {
    pub(crate) status: StatusCode,
    pub(crate) request_id: Option<String>,
    pub(crate) tries: u32,
    /// Bytes of the body received.
    pub(crate) received: u64,
}
