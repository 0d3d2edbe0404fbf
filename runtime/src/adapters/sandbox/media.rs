//! Media uploads: the `multipart/form-data` parts, the signed `meta` part, and the two
//! upload routes.

use std::sync::Arc;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::routes::{Route, Router, SandboxRequest, SandboxResponse};

const MERCHANT_UPLOAD: &str = "v3/merchant/media/upload";
const PRODUCT_COUPON_UPLOAD: &str = "v3/marketing/partner/product-coupon/media/upload-image";
/// The image types the upload routes take.
const IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png", "image/bmp"];

/// One part of a `multipart/form-data` body.
#[derive(Debug)]
pub(super) struct Part {
    pub(super) name: String,
    pub(super) filename: Option<String>,
    pub(super) content_type: Option<String>,
    pub(super) data: Bytes,
}

/// What the request signature covers: the `meta` part of a `multipart/form-data` body,
/// the whole body otherwise. The error is a `PARAM_ERROR` message.
pub(super) fn signed_part(headers: &HeaderMap, body: &Bytes) -> Result<Bytes, String> {
    let Some(boundary) = multipart_boundary(headers)? else {
        return Ok(body.clone());
    };
    parts(&boundary, body)?
        .into_iter()
        .find(|part| part.name == "meta")
        .map(|part| part.data)
        .ok_or_else(|| "the multipart body has no `meta` part".to_owned())
}

/// The parts of a `multipart/form-data` request; an error naming what is wrong when it
/// is not one or does not parse.
pub(super) fn form_parts(headers: &HeaderMap, body: &Bytes) -> Result<Vec<Part>, String> {
    let boundary = multipart_boundary(headers)?.ok_or("the body must be multipart/form-data")?;
    parts(&boundary, body)
}

/// The boundary when the request is `multipart/form-data`.
fn multipart_boundary(headers: &HeaderMap) -> Result<Option<String>, String> {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let mut params = value.split(';').map(str::trim);
    if !params.next().is_some_and(|essence| essence.eq_ignore_ascii_case("multipart/form-data")) {
        return Ok(None);
    }
    params
        .filter_map(|param| param.split_once('='))
        .find(|(key, _)| key.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value.trim().trim_matches('"').to_owned())
        .filter(|boundary| !boundary.is_empty())
        .map(Some)
        .ok_or_else(|| "Content-Type multipart/form-data has no boundary".to_owned())
}

/// Splits a `multipart/form-data` body into its parts.
pub(super) fn parts(boundary: &str, body: &Bytes) -> Result<Vec<Part>, String> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut rest =
        find(body, delimiter).map(|at| at + delimiter.len()).ok_or("the multipart body has no boundary line")?;
    let mut parts = Vec::new();
    loop {
        if body[rest..].starts_with(b"--") {
            return Ok(parts);
        }
        let start = rest
            + body[rest..].strip_prefix(b"\r\n").map(|_| 2).ok_or("a multipart boundary line does not end in CRLF")?;
        let headers_end = find(&body[start..], b"\r\n\r\n")
            .map(|at| start + at)
            .ok_or("a multipart part has no blank line after its headers")?;
        let mut closing = Vec::with_capacity(delimiter.len() + 2);
        closing.extend_from_slice(b"\r\n");
        closing.extend_from_slice(delimiter);
        let data_start = headers_end + 4;
        let data_end = find(&body[data_start..], &closing)
            .map(|at| data_start + at)
            .ok_or("a multipart part is not closed by a boundary")?;
        let headers =
            std::str::from_utf8(&body[start..headers_end]).map_err(|_| "multipart part headers are not UTF-8")?;
        parts.push(part(headers, body.slice(data_start..data_end))?);
        rest = data_end + closing.len();
    }
}

fn part(headers: &str, data: Bytes) -> Result<Part, String> {
    let mut name = None;
    let mut filename = None;
    let mut content_type = None;
    for line in headers.split("\r\n") {
        let (key, value) = line.split_once(':').ok_or_else(|| format!("multipart header line `{line}` has no `:`"))?;
        let value = value.trim();
        if key.trim().eq_ignore_ascii_case("content-disposition") {
            if !value.starts_with("form-data") {
                return Err(format!("Content-Disposition `{value}` is not form-data"));
            }
            name = disposition_param(value, "name");
            filename = disposition_param(value, "filename");
        } else if key.trim().eq_ignore_ascii_case("content-type") {
            content_type = Some(value.to_owned());
        }
    }
    let name = name.ok_or("a multipart part has no Content-Disposition name")?;
    Ok(Part { name, filename, content_type, data })
}

/// A `key="value"` parameter of a Content-Disposition, with `\"` and `\\` unescaped.
fn disposition_param(value: &str, key: &str) -> Option<String> {
    let mut rest = value;
    while let Some(at) = rest.find(';') {
        rest = rest[at + 1..].trim_start();
        let Some(after) = rest.strip_prefix(key).and_then(|r| r.strip_prefix("=\"")) else {
            continue;
        };
        let mut text = String::new();
        let mut chars = after.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => text.push(chars.next()?),
                '"' => return Some(text),
                c => text.push(c),
            }
        }
        return None;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

fn param_error(message: impl Into<String>) -> SandboxResponse {
    SandboxResponse::error(StatusCode::BAD_REQUEST, "PARAM_ERROR", message)
}

pub(super) fn register(router: &mut Router) {
    router.add(Route::new(
        Method::POST,
        MERCHANT_UPLOAD,
        Arc::new(|req| {
            upload(req).map_or_else(
                |error| error,
                |sha256| SandboxResponse::ok(json!({ "media_id": format!("sandbox-media-{sha256}") })),
            )
        }),
    ));
    router.add(Route::new(
        Method::POST,
        PRODUCT_COUPON_UPLOAD,
        Arc::new(|req| {
            upload(req).map_or_else(
                |error| error,
                |sha256| {
                    SandboxResponse::ok(json!({
                        "media_url": format!("https://sandbox.invalid/product-coupon/media/{sha256}")
                    }))
                },
            )
        }),
    ));
}

/// Checks an upload as the gateway does; returns the file's SHA-256 in hex.
fn upload(req: &SandboxRequest) -> Result<String, SandboxResponse> {
    let boundary = multipart_boundary(&req.headers)
        .map_err(param_error)?
        .ok_or_else(|| param_error("an upload is sent as multipart/form-data"))?;
    let parts = parts(&boundary, &req.body).map_err(param_error)?;
    let one = |name: &str| {
        let mut named = parts.iter().filter(|part| part.name == name);
        match (named.next(), named.next()) {
            (Some(part), None) => Ok(part),
            (None, _) => Err(param_error(format!("the `{name}` part is missing"))),
            (Some(_), Some(_)) => Err(param_error(format!("the `{name}` part is sent twice"))),
        }
    };
    let (meta, file) = (one("meta")?, one("file")?);
    if meta.content_type.as_deref().is_none_or(|t| !t.to_ascii_lowercase().starts_with("application/json")) {
        return Err(param_error("the `meta` part is not application/json"));
    }
    let meta: serde_json::Map<String, Value> =
        serde_json::from_slice(&meta.data).map_err(|e| param_error(format!("meta: {e}")))?;
    let Some(filename) = meta.get("filename").and_then(Value::as_str).filter(|f| !f.is_empty()) else {
        return Err(param_error("meta.filename is required"));
    };
    let Some(declared) = meta.get("sha256").and_then(Value::as_str) else {
        return Err(param_error("meta.sha256 is required"));
    };
    if file.filename.as_deref() != Some(filename) {
        return Err(param_error(format!(
            "the file part's filename {:?} is not meta.filename {filename:?}",
            file.filename.as_deref().unwrap_or_default()
        )));
    }
    let content_type = file.content_type.as_deref().unwrap_or_default();
    if !IMAGE_TYPES.iter().any(|t| t.eq_ignore_ascii_case(content_type)) {
        return Err(param_error(format!(
            "the file's content type `{content_type}` is not one of {}",
            IMAGE_TYPES.join(", ")
        )));
    }
    let actual = crate::crypto::hex(&Sha256::digest(&file.data));
    if !declared.eq_ignore_ascii_case(&actual) {
        return Err(param_error(format!(
            "meta.sha256 {declared} is not the SHA-256 of the {}-byte file ({actual})",
            file.data.len()
        )));
    }
    Ok(actual)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_split_at_the_boundary() {
        let body = Bytes::from_static(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"q\\\"x.png\"\r\nContent-Type: image/png\r\n\r\n\r\n--Xy\r\n\r\n--XyZ--\r\n",
        );
        let parts = parts("XyZ", &body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "meta");
        assert_eq!(parts[0].data.as_ref(), b"{\"a\":1}");
        assert_eq!(parts[1].filename.as_deref(), Some("q\"x.png"));
        assert_eq!(parts[1].content_type.as_deref(), Some("image/png"));
        assert_eq!(parts[1].data.as_ref(), b"\r\n--Xy\r\n");
    }

    #[test]
    fn malformed_bodies_are_errors() {
        for body in [
            &b""[..],
            b"--XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\nno end",
            b"--XyZ\r\nno blank line",
            b"--XyZ\r\nContent-Type: a/b\r\n\r\nx\r\n--XyZ--",
        ] {
            assert!(parts("XyZ", &Bytes::copy_from_slice(body)).is_err());
        }
    }
}
