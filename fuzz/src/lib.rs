//! What the fuzz targets share: a plain-text message format the fuzzer mutates well, and
//! the sandbox's keys.
//!
//! A message is header lines, an empty line, then the body:
//!
//! ```text
//! now: 1732752010
//! Wechatpay-Timestamp: 1732752010
//! Wechatpay-Nonce: A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6
//! Wechatpay-Serial: PUB_KEY_ID_0119000091912025112800000000000001
//! Wechatpay-Signature: NjPf…
//!
//! {"total_count":1}
//! ```
//!
//! `now` is not a header: it is the verifier's clock. Without it the clock is the first
//! `Wechatpay-Timestamp` that parses, else 0, so most inputs get past the 300 s window.
//! A line without `:`, or whose name or value `http` refuses, is skipped.

use http::{HeaderMap, HeaderName, HeaderValue};
use wechat_endpoint::crypto::{Backend, PlatformCertificate, VerifyingKey};
use wechat_endpoint::sandbox;
use wechat_endpoint::verify::VerifyingKeys;

/// The test platform certificate, serial [`sandbox::CERTIFICATE_SERIAL`], same key as
/// the sandbox's WeChat Pay public key.
pub const CERTIFICATE_PEM: &str = include_str!("../../tests/data/wechatpay_certificate.pem");

/// A message split into headers, body and clock.
#[derive(Debug)]
pub struct Message<'a> {
    /// The headers `http` accepted, in order, repeats kept.
    pub headers: HeaderMap,
    /// Everything after the first empty line.
    pub body: &'a [u8],
    /// The verifier's Unix time.
    pub now: i64,
}

/// Splits `data` as the module documentation describes.
pub fn parse_message(data: &[u8]) -> Message<'_> {
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &data[data.len()..]),
    };
    let mut headers = HeaderMap::new();
    let mut now = None;
    for line in head.split(|&b| b == b'\n') {
        let Some(colon) = line.iter().position(|&b| b == b':') else { continue };
        let name = &line[..colon];
        let value = &line[colon + 1..];
        let value = value.strip_prefix(b" ").unwrap_or(value);
        if name == b"now" {
            now = std::str::from_utf8(value).ok().and_then(|v| v.parse::<i64>().ok());
            continue;
        }
        let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name), HeaderValue::from_bytes(value)) else { continue };
        headers.append(name, value);
    }
    let now = now.unwrap_or_else(|| {
        headers.get_all("wechatpay-timestamp").iter().find_map(|v| v.to_str().ok()?.parse::<i64>().ok()).unwrap_or(0)
    });
    Message { headers, body, now }
}

/// The sandbox's verifying keys for `backend`: its WeChat Pay public key
/// ([`sandbox::WECHATPAY_PUBLIC_KEY_ID`]) and the test platform certificate.
pub fn sandbox_keys(backend: Backend) -> VerifyingKeys {
    let mut keys = VerifyingKeys::new();
    let key = VerifyingKey::from_pem(sandbox::WECHATPAY_PUBLIC_KEY_PEM, backend).expect("sandbox public key");
    keys.set_wechatpay_public_key(sandbox::WECHATPAY_PUBLIC_KEY_ID, key);
    keys.insert_certificate(PlatformCertificate::from_pem(CERTIFICATE_PEM, backend).expect("test certificate"));
    keys
}
