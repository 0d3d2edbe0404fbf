//! Verifying signed answers and callbacks: `Wechatpay-*` headers, the 300-second window,
//! key selection by serial, SHA256withRSA.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::HeaderMap;

use crate::crypto::{PlatformCertificate, VerifyingKey};
use crate::error::VerifyError;
use crate::signing::{SCHEME, answer_message};

/// How far a signed timestamp may be from the local clock, in seconds.
pub const MAX_CLOCK_SKEW_SECS: i64 = 300;

/// The prefix of the gateway's deliberately wrong probe signatures.
pub const PROBE_PREFIX: &str = "WECHATPAY/SIGNTEST/";

/// Header names, as the gateway spells them.
pub mod header {
    /// Unix seconds of the signature.
    pub const TIMESTAMP: &str = "Wechatpay-Timestamp";
    /// The signer's nonce.
    pub const NONCE: &str = "Wechatpay-Nonce";
    /// The base64 signature.
    pub const SIGNATURE: &str = "Wechatpay-Signature";
    /// The serial (or `PUB_KEY_ID_…`) of the signing key.
    pub const SERIAL: &str = "Wechatpay-Serial";
    /// The signature algorithm.
    pub const SIGNATURE_TYPE: &str = "Wechatpay-Signature-Type";
    /// The gateway's id for one call.
    pub const REQUEST_ID: &str = "Request-ID";
}

/// The keys that answers and callbacks are verified with, selected by
/// `Wechatpay-Serial`: the WeChat Pay public key when the serial is its
/// `PUB_KEY_ID_…`, else the platform certificate with that serial. Both may be present
/// at once during a migration. Cloning is cheap: keys are shared.
#[derive(Debug, Default, Clone)]
pub struct VerifyingKeys {
    public_key: Option<(String, Arc<VerifyingKey>)>,
    certificates: HashMap<String, Arc<PlatformCertificate>>,
}

impl VerifyingKeys {
    /// No keys yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the WeChat Pay public key and its `PUB_KEY_ID_…`.
    pub fn set_public_key(&mut self, id: impl Into<String>, key: VerifyingKey) {
        self.public_key = Some((id.into(), Arc::new(key)));
    }

    /// Adds (or replaces) a platform certificate, keyed by its serial.
    pub fn insert_certificate(&mut self, certificate: PlatformCertificate) {
        self.certificates.insert(certificate.serial().to_owned(), Arc::new(certificate));
    }

    /// Drops the certificates that expired before `now`.
    pub fn remove_expired(&mut self, now: SystemTime) {
        self.certificates.retain(|_, cert| cert.not_after() >= now);
    }

    /// The public key's `PUB_KEY_ID_…`, when one is set.
    pub fn public_key_id(&self) -> Option<&str> {
        self.public_key.as_ref().map(|(id, _)| id.as_str())
    }

    /// The serials of the platform certificates held.
    pub fn certificate_serials(&self) -> impl Iterator<Item = &str> {
        self.certificates.keys().map(String::as_str)
    }

    /// Whether no key at all is held.
    pub fn is_empty(&self) -> bool {
        self.public_key.is_none() && self.certificates.is_empty()
    }

    /// The key for `serial`.
    pub fn get(&self, serial: &str) -> Option<&VerifyingKey> {
        match &self.public_key {
            Some((id, key)) if id == serial => Some(key),
            _ => self.certificates.get(serial).map(|cert| cert.key()),
        }
    }

    /// The key sensitive fields are encrypted with, and its id for `Wechatpay-Serial`:
    /// the public key when one is set, else the most recent platform certificate valid
    /// at `now`.
    pub fn encryption_key(&self, now: SystemTime) -> Option<(&str, &VerifyingKey)> {
        if let Some((id, key)) = &self.public_key {
            return Some((id, key));
        }
        self.certificates
            .values()
            .filter(|cert| cert.is_valid_at(now))
            .max_by_key(|cert| cert.not_before())
            .map(|cert| (cert.serial(), cert.key()))
    }

    /// Verifies a signed answer or callback: its headers and its raw body bytes, at
    /// Unix time `now`.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8], now: i64) -> Result<(), VerifyError> {
        let signed = SignedHeaders::from_headers(headers)?;
        signed.check_time(now)?;
        let key = self.get(signed.serial).ok_or_else(|| VerifyError::UnknownSerial(signed.serial.to_owned()))?;
        let mut message = Vec::new();
        answer_message(&mut message, signed.timestamp_text, signed.nonce, body);
        let refused = || {
            if signed.signature.starts_with(PROBE_PREFIX) {
                VerifyError::SignatureProbe
            } else {
                VerifyError::BadSignature
            }
        };
        let signature = BASE64.decode(signed.signature).map_err(|_| refused())?;
        key.verify(&message, &signature).map_err(|_| refused())
    }
}

/// The `Wechatpay-*` headers of a signed message, checked for presence and form.
#[derive(Debug, Clone, Copy)]
pub struct SignedHeaders<'a> {
    /// `Wechatpay-Timestamp` as sent.
    pub timestamp_text: &'a str,
    /// `Wechatpay-Timestamp` as a number.
    pub timestamp: i64,
    /// `Wechatpay-Nonce`.
    pub nonce: &'a str,
    /// `Wechatpay-Signature`, base64.
    pub signature: &'a str,
    /// `Wechatpay-Serial`.
    pub serial: &'a str,
}

impl<'a> SignedHeaders<'a> {
    /// Reads the headers; a missing, repeated or non-text header is an error, and so is a
    /// `Wechatpay-Signature-Type` other than `WECHATPAY2-SHA256-RSA2048`.
    pub fn from_headers(headers: &'a HeaderMap) -> Result<Self, VerifyError> {
        let timestamp_text = required(headers, header::TIMESTAMP)?;
        let nonce = required(headers, header::NONCE)?;
        let signature = required(headers, header::SIGNATURE)?;
        let serial = required(headers, header::SERIAL)?;
        if let Some(kind) = optional(headers, header::SIGNATURE_TYPE)?
            && kind != SCHEME
        {
            return Err(VerifyError::UnsupportedSignatureType(kind.to_owned()));
        }
        let timestamp = timestamp_text
            .parse::<i64>()
            .ok()
            .filter(|_| timestamp_text.bytes().all(|b| b.is_ascii_digit()))
            .ok_or(VerifyError::InvalidHeader { name: header::TIMESTAMP, problem: "not Unix seconds" })?;
        Ok(SignedHeaders { timestamp_text, timestamp, nonce, signature, serial })
    }

    /// Refuses a timestamp more than [`MAX_CLOCK_SKEW_SECS`] from `now`.
    pub fn check_time(&self, now: i64) -> Result<(), VerifyError> {
        if now.abs_diff(self.timestamp) > MAX_CLOCK_SKEW_SECS.unsigned_abs() {
            return Err(VerifyError::ClockSkew { timestamp: self.timestamp, now });
        }
        Ok(())
    }
}

fn required<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, VerifyError> {
    optional(headers, name)?.ok_or(VerifyError::MissingHeader(name))
}

fn optional<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<Option<&'a str>, VerifyError> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else { return Ok(None) };
    if values.next().is_some() {
        return Err(VerifyError::InvalidHeader { name, problem: "sent more than once" });
    }
    let text = value.to_str().map_err(|_| VerifyError::InvalidHeader { name, problem: "not visible ASCII" })?;
    if text.is_empty() {
        return Err(VerifyError::InvalidHeader { name, problem: "empty" });
    }
    Ok(Some(text))
}
