//! The contract between a declared endpoint and the client.

use std::fmt::{self, Display, Write as _};

use http::Method;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::pipeline::error::BuildError;
use crate::pipeline::multipart::{DEFAULT_FILE_PART, MediaFile};

/// One WeChat Pay APIv3 operation: its method, where it lives, what it sends and what it
/// returns.
///
/// `#[wechat_endpoint]` generates this impl; it can also be written by hand. The client
/// asks the endpoint to write its request target and body once, into buffers it owns,
/// signs exactly those bytes and sends exactly those bytes.
///
/// ```
/// use wechat_endpoint::{BuildError, Endpoint, Method, TargetWriter};
///
/// /// `GET v3/pay/transactions/id/{transaction_id}?mchid=…`
/// struct QueryOrder<'a> {
///     transaction_id: &'a str,
///     mchid: &'a str,
/// }
///
/// impl Endpoint for QueryOrder<'_> {
///     type Response = serde_json::Value;
///     const METHOD: Method = Method::GET;
///     const PATH_TEMPLATE: &'static str = "v3/pay/transactions/id/{transaction_id}";
///
///     fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
///         target.push_path("v3/pay/transactions/id/");
///         target.push_segment("transaction_id", self.transaction_id)?;
///         target.push_query(&[("mchid", self.mchid)])
///     }
/// }
///
/// let mut buf = String::new();
/// let order = QueryOrder { transaction_id: "4200/0?", mchid: "1900009191" };
/// order.write_target(&mut TargetWriter::new(&mut buf, "/"))?;
/// assert_eq!(buf, "/v3/pay/transactions/id/4200%2F0%3F?mchid=1900009191");
/// # Ok::<(), BuildError>(())
/// ```
pub trait Endpoint {
    /// The response's type; `()` for endpoints that respond with `204 No Content`.
    type Response: DeserializeOwned;

    /// The HTTP method.
    const METHOD: Method;

    /// The path as declared, placeholders included; it names the call in traces and
    /// errors and never carries user data. `#[wechat_endpoint]` writes it without a
    /// leading `/`, placeholders as `{name}`, the way the WeChat Pay documentation
    /// writes paths.
    const PATH_TEMPLATE: &'static str;

    /// Whether sending the request twice does no harm, which allows retries after
    /// `5xx`, `429` and dropped connections. `None` (the default) decides by method:
    /// `GET`, `PUT` and `DELETE` are idempotent, `POST` and `PATCH` are not. A `POST`
    /// whose body carries an idempotency key (`out_trade_no`, `out_request_no`…) may set
    /// `Some(true)`.
    const IDEMPOTENT: Option<bool> = None;

    /// Writes the request target: the path (each value percent-encoded as one segment)
    /// and the query string.
    ///
    /// # Errors
    ///
    /// A [`BuildError`] naming the value that cannot be sent, as
    /// [`TargetWriter::push_segment`] and [`TargetWriter::push_query`] report it; the
    /// client then sends nothing.
    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError>;

    /// Writes the body bytes into `body`; leaving it empty sends no body.
    ///
    /// The default sends no body. JSON bodies use [`write_json`].
    ///
    /// # Errors
    ///
    /// A [`BuildError`] (usually [`BuildError::Body`]) when the body cannot be written;
    /// the client then sends nothing.
    fn write_body(&self, body: &mut Vec<u8>) -> Result<(), BuildError> {
        let _ = body;
        Ok(())
    }

    /// The file of a media upload; `None` (the default) for every other endpoint.
    ///
    /// When it is `Some`, the request is sent as `multipart/form-data`: a `meta` part
    /// holding `{"filename":…,"sha256":…}` followed by the fields
    /// [`write_body`](Self::write_body) wrote (a JSON object, or nothing), and a part
    /// named [`FILE_PART`](Self::FILE_PART) (`file`) with the file. The signature covers the `meta` JSON only. See
    /// [`media`](crate::media).
    fn media_file(&self) -> Option<&MediaFile> {
        None
    }

    /// The name of the multipart part that carries the file of a media upload: `file`,
    /// as nearly every upload names it. A few operations name it otherwise
    /// (`POST v3/mch-manage/…/upload` takes `submission_file`); `#[wechat(file =
    /// "submission_file")]` sets it. ASCII letters, digits, `_` and `-` only: another
    /// name fails the call with [`MediaError::PartName`](crate::media::MediaError::PartName)
    /// before anything is sent.
    const FILE_PART: &'static str = DEFAULT_FILE_PART;
}

/// Serialises `value` as JSON into `body`: the usual [`Endpoint::write_body`].
///
/// # Errors
///
/// [`BuildError::Body`] when `value` does not serialise to JSON (a map with non-string
/// keys, a `Serialize` impl that fails).
pub fn write_json<T: Serialize + ?Sized>(body: &mut Vec<u8>, value: &T) -> Result<(), BuildError> {
    serde_json::to_writer(body, value).map_err(BuildError::Body)
}

/// Characters kept as they are in a path segment: RFC 3986 unreserved ones. Everything
/// else, `/`, `?`, `#`, `%` and non-ASCII bytes included, is percent-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Builds a request target in one buffer: the path, then `?` and the query when there is
/// one.
///
/// The buffer starts with the base URL's path (`/` for the gateway); the endpoint then
/// appends its own path relative to it.
#[derive(Debug)]
pub struct TargetWriter<'a> {
    buf: &'a mut String,
    /// Where the query begins, once a `?` has been written.
    query_start: Option<usize>,
}

impl<'a> TargetWriter<'a> {
    /// Starts a target in `buf` (cleared first) at `base_path`, the path of the base URL;
    /// a missing trailing `/` is added.
    pub fn new(buf: &'a mut String, base_path: &str) -> Self {
        buf.clear();
        if !base_path.starts_with('/') {
            buf.push('/');
        }
        buf.push_str(base_path);
        if !buf.ends_with('/') {
            buf.push('/');
        }
        TargetWriter { buf, query_start: None }
    }

    /// Appends literal path text from the endpoint's template, as it is. A leading `/`
    /// right after the base path is dropped, so `"/v3/…"` and `"v3/…"` are the same.
    pub fn push_path(&mut self, literal: &str) {
        debug_assert!(self.query_start.is_none(), "path written after the query");
        let literal = if self.buf.ends_with('/') { literal.strip_prefix('/').unwrap_or(literal) } else { literal };
        self.buf.push_str(literal);
    }

    /// Appends `value` percent-encoded as exactly one path segment.
    ///
    /// `name` names the value in errors. An empty value, `.` and `..` are refused: no
    /// encoding keeps them one segment once a URL is normalised.
    ///
    /// # Errors
    ///
    /// [`BuildError::PathValue`] naming `name` when the value is empty, `.` or `..`, or its
    /// `Display` fails; nothing is appended then.
    pub fn push_segment<V: Display + ?Sized>(&mut self, name: &'static str, value: &V) -> Result<(), BuildError> {
        self.write_segment(value).map_err(|problem| BuildError::PathValue { name: name.into(), problem })
    }

    /// [`push_segment`](Self::push_segment) for a placeholder named at run time.
    pub(crate) fn push_segment_dynamic(&mut self, name: &str, value: &str) -> Result<(), BuildError> {
        self.write_segment(value).map_err(|problem| BuildError::PathValue { name: name.to_owned().into(), problem })
    }

    fn write_segment<V: Display + ?Sized>(&mut self, value: &V) -> Result<(), &'static str> {
        let start = self.buf.len();
        let problem = match write!(SegmentEncoder(self.buf), "{value}") {
            Err(_) => "its Display implementation returned an error",
            Ok(()) => match &self.buf[start..] {
                "" => "it is empty",
                "." | ".." => "`.` and `..` cannot be sent as a path segment",
                _ => return Ok(()),
            },
        };
        self.buf.truncate(start);
        Err(problem)
    }

    /// Appends an already form-encoded query string.
    pub(crate) fn push_encoded_query(&mut self, encoded: &str) {
        if encoded.is_empty() {
            return;
        }
        match self.query_start {
            Some(_) => self.buf.push('&'),
            None => {
                self.buf.push('?');
                self.query_start = Some(self.buf.len());
            }
        }
        self.buf.push_str(encoded);
    }

    /// Appends the fields of `query` (a struct, a map, or a sequence of pairs) to the
    /// query string, `application/x-www-form-urlencoded`. `None` values are left out; the
    /// `?` is written only when there is something after it.
    ///
    /// # Errors
    ///
    /// [`BuildError::Query`] when `query` is not a flat struct, map or sequence of pairs of
    /// scalar values.
    pub fn push_query<T: Serialize + ?Sized>(&mut self, query: &T) -> Result<(), BuildError> {
        let mark = self.buf.len();
        let start = match self.query_start {
            Some(start) => start,
            None => {
                self.buf.push('?');
                mark + 1
            }
        };
        let written = {
            let mut pairs = form_urlencoded::Serializer::for_suffix(&mut *self.buf, start);
            query.serialize(serde_urlencoded::Serializer::new(&mut pairs)).map(|_| ())
        };
        match written {
            Err(e) => {
                self.buf.truncate(mark);
                Err(BuildError::Query(e))
            }
            Ok(()) if self.buf.len() == start => {
                self.buf.truncate(mark);
                Ok(())
            }
            Ok(()) => {
                self.query_start = Some(start);
                Ok(())
            }
        }
    }

    /// The target written so far.
    pub fn as_str(&self) -> &str {
        self.buf
    }
}

/// Percent-encodes whatever `Display` writes, straight into the target buffer.
struct SegmentEncoder<'a>(&'a mut String);

impl fmt::Write for SegmentEncoder<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend(percent_encoding::utf8_percent_encode(s, SEGMENT));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(f: impl FnOnce(&mut TargetWriter<'_>) -> Result<(), BuildError>) -> Result<String, BuildError> {
        let mut buf = String::new();
        f(&mut TargetWriter::new(&mut buf, "/"))?;
        Ok(buf)
    }

    #[test]
    fn segments_are_encoded_as_one() {
        let t = target(|t| {
            t.push_path("/v3/a/");
            t.push_segment("id", "a/b?c#d%e f 中文..")
        })
        .unwrap();
        assert_eq!(t, "/v3/a/a%2Fb%3Fc%23d%25e%20f%20%E4%B8%AD%E6%96%87..");
    }

    #[test]
    fn dot_and_empty_segments_are_refused() {
        for bad in ["", ".", ".."] {
            let err = target(|t| t.push_segment("stock_id", bad)).unwrap_err();
            assert!(err.to_string().contains("stock_id"), "{err}");
        }
    }

    #[test]
    fn query_leaves_out_none_and_joins_calls() {
        #[derive(Serialize)]
        struct Q<'a> {
            brand_id: &'a str,
            page_size: Option<u32>,
            page_token: Option<&'a str>,
        }
        let t = target(|t| {
            t.push_path("v3/x");
            t.push_query(&Q { brand_id: "1 2&3", page_size: Some(10), page_token: None })?;
            t.push_query(&[("k", "v")])
        })
        .unwrap();
        assert_eq!(t, "/v3/x?brand_id=1+2%263&page_size=10&k=v");

        let t = target(|t| {
            t.push_path("v3/x");
            t.push_query(&Vec::<(String, String)>::new())?;
            t.push_query(&[("page_token", None::<&str>)])
        })
        .unwrap();
        assert_eq!(t, "/v3/x");
    }
}
