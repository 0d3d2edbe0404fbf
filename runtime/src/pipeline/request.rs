//! A request ready to sign: its method, target and payload are final, and it knows
//! where it goes.

use std::fmt;

use bytes::Bytes;
use http::Method;

use crate::pipeline::error::{BuildError, Error};
use crate::pipeline::multipart::{MediaError, MediaFile, Multipart, multipart};

/// What a request sends, and what its signature covers. Its `Debug` shows lengths only.
#[derive(Clone)]
pub(crate) enum Payload {
    /// No body.
    Empty,
    /// A JSON body, signed as sent.
    Json(Bytes),
    /// A `multipart/form-data` body whose signature covers the `meta` JSON only.
    Multipart(Multipart),
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payload::Empty => f.write_str("Empty"),
            Payload::Json(body) => write!(f, "Json([{} bytes])", body.len()),
            Payload::Multipart(multipart) => multipart.fmt(f),
        }
    }
}

impl Payload {
    /// The payload for a body an endpoint wrote, with its media file, in the part named
    /// `file_part`, when it uploads one.
    pub(crate) fn new(file: Option<&MediaFile>, file_part: &str, body: Vec<u8>) -> Result<Self, MediaError> {
        Ok(match file {
            Some(file) => Payload::Multipart(multipart(file, file_part, &body)?),
            None if body.is_empty() => Payload::Empty,
            None => Payload::Json(Bytes::from(body)),
        })
    }

    /// The bytes the signature covers.
    pub(crate) fn signed(&self) -> &[u8] {
        match self {
            Payload::Empty => b"",
            Payload::Json(body) => body,
            Payload::Multipart(multipart) => &multipart.meta,
        }
    }
}

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    /// The base URL's host; the backup host after a connection failure, when one is set.
    Gateway,
    /// The scheme, host and port of this URL, one the client was configured to send to;
    /// the primary host fails over as [`Route::Gateway`] does.
    Origin(reqwest::Url),
}

/// A request ready to sign: its target and payload are final. It has no `Debug`: its
/// target holds path and query values.
pub(crate) struct Prepared<'a> {
    pub(crate) method: Method,
    /// The path template: names the call in traces and errors, never holds values.
    pub(crate) template: &'a str,
    /// The path from the origin's root, and the query: what is signed and sent.
    pub(crate) target: String,
    pub(crate) payload: Payload,
    /// Whether sending it twice does no harm.
    pub(crate) idempotent: bool,
    /// The id of the key sensitive values were encrypted with, for `Wechatpay-Serial`.
    pub(crate) encrypted_with: Option<String>,
    pub(crate) route: Route,
}

/// Whether a method may be sent twice without harm.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS)
}

/// A target whose sensitive values were sealed, back as text.
pub(crate) fn target_text(target: Vec<u8>) -> Result<String, Error> {
    // Markers and ciphertexts are ASCII: the target stays UTF-8.
    String::from_utf8(target).map_err(|_| Error::Sensitive(crate::crypto::CryptoError::EncryptFailed))
}

/// The URL for `target` at `origin`'s scheme, host and port, refusing any target that
/// the URL parser would rewrite: the bytes signed must be the bytes sent. Errors name
/// `template`, never the target, which holds path and query values.
pub(crate) fn url_for(origin: &reqwest::Url, target: &str, template: &str) -> Result<reqwest::Url, BuildError> {
    let (path, query) = target.split_once('?').map_or((target, None), |(p, q)| (p, Some(q)));
    if !path.starts_with('/') {
        let problem = "it does not start with `/`".to_owned();
        return Err(BuildError::Target { path: template.to_owned(), problem });
    }
    // The origin was parsed once; only the path and query are parsed here.
    let mut url = origin.clone();
    url.set_path(path);
    url.set_query(query);
    if url.path() != path || url.query() != query {
        let part = if url.path() != path { "path" } else { "query" };
        return Err(BuildError::Target {
            path: template.to_owned(),
            problem: format!("the URL parser would rewrite its {part}"),
        });
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_errors_name_the_template_not_the_values() {
        let origin = reqwest::Url::parse("http://127.0.0.1:1").unwrap();
        for target in ["/v3/x/ORDER-SECRET-42/../y?a=PHONE", "/v3/x/ORDER-SECRET-42/%2e%2e/y?a=PHONE"] {
            let error = url_for(&origin, target, "v3/x/{id}").unwrap_err();
            let text = format!("{} {error:?}", crate::pipeline::error::chain(&error));
            assert!(!text.contains("SECRET") && !text.contains("PHONE"), "{text}");
            assert!(text.contains("v3/x/{id}") && text.contains("would rewrite its path"), "{text}");
        }
        let error = url_for(&origin, "/v3/x?a=PHONE#frag", "v3/x").unwrap_err();
        assert!(error.to_string().contains("would rewrite its query"), "{error}");
        let url = url_for(&origin, "/v3/x/a%2Fb?a=1+2&b=%3D", "v3/x/{id}").unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:1/v3/x/a%2Fb?a=1+2&b=%3D");
    }
}
