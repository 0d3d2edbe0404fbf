//! The request signature (`Authorization`) and the messages that the gateway and this
//! client sign.

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use rand::Rng as _;
use rand::distr::Alphanumeric;

use super::{CryptoError, PrivateKey};

/// The scheme of the `Authorization` header and the value of `Wechatpay-Signature-Type`.
pub const SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";

/// Writes the message a request signature covers into `out` (cleared first):
/// `METHOD\nTARGET\nTIMESTAMP\nNONCE\nBODY\n`.
pub fn request_message(out: &mut Vec<u8>, method: &str, target: &str, timestamp: i64, nonce: &str, body: &[u8]) {
    out.clear();
    out.reserve(method.len() + target.len() + nonce.len() + body.len() + 32);
    out.extend_from_slice(method.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(target.as_bytes());
    out.push(b'\n');
    // Into the buffer itself: no string for the number.
    let _ = std::io::Write::write_fmt(out, format_args!("{timestamp}"));
    out.push(b'\n');
    out.extend_from_slice(nonce.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(body);
    out.push(b'\n');
}

/// Writes the message a response or callback signature covers into `out` (cleared
/// first): `TIMESTAMP\nNONCE\nBODY\n`, where `timestamp` is the header's text as sent.
pub fn response_message(out: &mut Vec<u8>, timestamp: &str, nonce: &str, body: &[u8]) {
    out.clear();
    out.reserve(timestamp.len() + nonce.len() + body.len() + 3);
    out.extend_from_slice(timestamp.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(nonce.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(body);
    out.push(b'\n');
}

/// A fresh nonce: 32 characters of `[0-9A-Za-z]` from the thread-local CSPRNG (ChaCha,
/// seeded and reseeded from the operating system).
pub fn nonce() -> String {
    rand::rng().sample_iter(Alphanumeric).take(32).map(char::from).collect()
}

/// The current Unix time in seconds.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Signs requests as one merchant: its `mchid`, its API certificate serial and its
/// private key.
#[derive(Debug)]
pub struct MerchantSigner {
    mchid: String,
    serial: String,
    key: PrivateKey,
}

impl MerchantSigner {
    /// A signer for `mchid` with the key whose certificate has serial `serial`.
    pub fn new(mchid: impl Into<String>, serial: impl Into<String>, key: PrivateKey) -> Self {
        MerchantSigner { mchid: mchid.into(), serial: serial.into(), key }
    }

    /// The merchant id.
    pub fn mchid(&self) -> &str {
        &self.mchid
    }

    /// The merchant API certificate serial.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// The merchant private key, which also decrypts the sensitive fields the gateway
    /// encrypted.
    pub(crate) fn key(&self) -> &PrivateKey {
        &self.key
    }

    /// Signs `message` with the merchant key (SHA256withRSA) and returns the signature in
    /// standard base64: the form every signature this crate hands out takes.
    pub(crate) fn sign_base64(&self, message: &[u8]) -> Result<String, CryptoError> {
        Ok(BASE64.encode(self.key.sign(message)?))
    }

    /// The `Authorization` header value for one request. `scratch` is a reusable buffer
    /// for the signed message.
    ///
    /// # Errors
    ///
    /// [`CryptoError::SignFailed`] when the key fails to sign.
    pub fn authorization(
        &self,
        scratch: &mut Vec<u8>,
        method: &str,
        target: &str,
        body: &[u8],
        timestamp: i64,
        nonce: &str,
    ) -> Result<String, CryptoError> {
        request_message(scratch, method, target, timestamp, nonce, body);
        let signature = self.key.sign(scratch)?;
        let mut header = String::with_capacity(520);
        let _ = write!(header, "{SCHEME} mchid=\"{}\",nonce_str=\"{nonce}\",signature=\"", self.mchid);
        BASE64.encode_string(signature, &mut header);
        let _ = write!(header, "\",timestamp=\"{timestamp}\",serial_no=\"{}\"", self.serial);
        Ok(header)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_32_alphanumerics_and_differ() {
        let a = nonce();
        let b = nonce();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }

    #[test]
    fn request_message_has_five_lines() {
        let mut out = Vec::new();
        request_message(&mut out, "GET", "/v3/x?a=1", 1732752001, "N", b"");
        assert_eq!(out, b"GET\n/v3/x?a=1\n1732752001\nN\n\n");
    }
}
