//! Verifying signed responses and callbacks: `Wechatpay-*` headers, the 300-second window,
//! key selection by serial, SHA256withRSA.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::HeaderMap;

use super::signing::{SCHEME, response_message};
use super::{PlatformCertificate, VerifyingKey, utc};

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

/// A certificate serial in the one form serials are compared in: a certificate serial
/// is a hexadecimal number, so `0a1b`, `0A1B` and `A1B` are the same serial and all
/// come out as `A1B` (`0` for zero). Anything that is not hexadecimal digits, such as a
/// public key's `PUB_KEY_ID_…`, is an identifier compared exactly and comes out as is.
///
/// ```
/// use wechat_endpoint::verify::normalize_serial;
///
/// assert_eq!(normalize_serial("003a1b2c"), "3A1B2C");
/// assert_eq!(normalize_serial("PUB_KEY_ID_0119000091912025112800000000000001"), "PUB_KEY_ID_0119000091912025112800000000000001");
/// ```
pub fn normalize_serial(serial: &str) -> Cow<'_, str> {
    if !is_hex_serial(serial) {
        return Cow::Borrowed(serial);
    }
    let digits = serial.trim_start_matches('0');
    if digits.is_empty() {
        return Cow::Borrowed("0");
    }
    if digits.bytes().any(|b| b.is_ascii_lowercase()) {
        Cow::Owned(digits.to_ascii_uppercase())
    } else {
        Cow::Borrowed(digits)
    }
}

/// Whether `serial` can be a certificate serial: hexadecimal digits only, at most 64 of
/// them (X.509 serials are at most 20 octets; leading zeros leave room).
pub(crate) fn is_hex_serial(serial: &str) -> bool {
    !serial.is_empty() && serial.len() <= 64 && serial.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The keys that responses and callbacks are verified with, selected by
/// `Wechatpay-Serial`: the WeChat Pay public key when the serial is its
/// `PUB_KEY_ID_…`, else the platform certificate with that serial (compared as
/// [`normalize_serial`] does), used only within its validity window. Both may be
/// present at once during a migration. Cloning is cheap: keys are shared.
#[derive(Debug, Default, Clone)]
pub struct VerifyingKeys {
    wechatpay_public_key: Option<(String, Arc<VerifyingKey>)>,
    /// Keyed by the normalised serial.
    certificates: HashMap<String, Arc<PlatformCertificate>>,
}

impl VerifyingKeys {
    /// No keys yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the WeChat Pay public key and its `PUB_KEY_ID_…`.
    pub fn set_wechatpay_public_key(&mut self, id: impl Into<String>, key: VerifyingKey) {
        self.wechatpay_public_key = Some((id.into(), Arc::new(key)));
    }

    /// Adds (or replaces) a platform certificate, keyed by its serial: one held
    /// already under another spelling of the same serial is replaced. A certificate
    /// outside its validity window may be held; it verifies and encrypts nothing until
    /// (or after) its window.
    pub fn insert_certificate(&mut self, certificate: PlatformCertificate) {
        self.certificates.insert(normalize_serial(certificate.serial()).into_owned(), Arc::new(certificate));
    }

    /// Drops the certificates that expired before `now`.
    pub fn remove_expired(&mut self, now: SystemTime) {
        self.certificates.retain(|_, cert| cert.not_after() >= now);
    }

    /// The public key's `PUB_KEY_ID_…`, when one is set.
    pub fn wechatpay_public_key_id(&self) -> Option<&str> {
        self.wechatpay_public_key.as_ref().map(|(id, _)| id.as_str())
    }

    /// The serials of the platform certificates held, as each certificate states its
    /// own (upper-case hex), whatever their validity windows.
    pub fn certificate_serials(&self) -> impl Iterator<Item = &str> {
        self.certificates.values().map(|cert| cert.serial())
    }

    /// The platform certificate with `serial` (compared as [`normalize_serial`] does),
    /// whatever its validity window.
    pub fn certificate(&self, serial: &str) -> Option<&PlatformCertificate> {
        self.certificates.get(normalize_serial(serial).as_ref()).map(|cert| &**cert)
    }

    /// Whether no key at all is held.
    pub fn is_empty(&self) -> bool {
        self.wechatpay_public_key.is_none() && self.certificates.is_empty()
    }

    /// The key for `serial`: the public key when `serial` is exactly its
    /// `PUB_KEY_ID_…`, else the key of the platform certificate with that serial,
    /// whatever its validity window ([`verify`](Self::verify) checks the window).
    pub fn get(&self, serial: &str) -> Option<&VerifyingKey> {
        match &self.wechatpay_public_key {
            Some((id, key)) if id == serial => Some(key),
            _ => self.certificate(serial).map(|cert| cert.key()),
        }
    }

    /// The key to verify a message naming `serial` with at `at`.
    fn key_at(&self, serial: &str, at: SystemTime) -> Result<&VerifyingKey, VerifyError> {
        if let Some((id, key)) = &self.wechatpay_public_key
            && id == serial
        {
            return Ok(key);
        }
        let cert = self.certificate(serial).ok_or_else(|| VerifyError::UnknownSerial(serial.to_owned()))?;
        if !cert.is_valid_at(at) {
            return Err(VerifyError::CertificateNotValid(Box::new(CertificateOutOfWindow {
                serial: cert.serial().to_owned(),
                not_before: cert.not_before(),
                not_after: cert.not_after(),
                at,
            })));
        }
        Ok(cert.key())
    }

    /// The key sensitive fields are encrypted with, and its id for `Wechatpay-Serial`:
    /// the public key when one is set, else the most recent platform certificate valid
    /// at `now`.
    pub fn encryption_key(&self, now: SystemTime) -> Option<(&str, &VerifyingKey)> {
        if let Some((id, key)) = &self.wechatpay_public_key {
            return Some((id, key));
        }
        self.certificates
            .values()
            .filter(|cert| cert.is_valid_at(now))
            .max_by_key(|cert| cert.not_before())
            .map(|cert| (cert.serial(), cert.key()))
    }

    /// Verifies a signed response or callback: its headers and its raw body bytes, at
    /// Unix time `now`. A platform certificate verifies only when `now` lies within its
    /// validity window.
    ///
    /// # Errors
    ///
    /// A [`VerifyError`] naming the first check that failed: headers, the 300-second
    /// window, an unknown serial, a certificate outside its validity window at `now`,
    /// a probe or a bad signature.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8], now: i64) -> Result<(), VerifyError> {
        let signed = SignedHeaders::from_headers(headers)?;
        signed.check_time(now)?;
        let key = self.key_at(signed.serial, unix_time(now))?;
        let mut message = Vec::new();
        response_message(&mut message, signed.timestamp_text, signed.nonce, body);
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

/// Why a signed response (or callback) was refused. Each check has its own variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A `Wechatpay-*` header is missing: a 2xx response without a signature is a forgery.
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
        /// The response's `Wechatpay-Timestamp`.
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

/// Unix seconds as a `SystemTime`; times before 1970 are 1970.
fn unix_time(secs: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).unwrap_or(0))
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
    ///
    /// # Errors
    ///
    /// [`VerifyError::MissingHeader`], [`VerifyError::InvalidHeader`] (repeated, not text,
    /// empty, or a timestamp that is not Unix seconds) or
    /// [`VerifyError::UnsupportedSignatureType`].
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
    ///
    /// # Errors
    ///
    /// [`VerifyError::ClockSkew`] past [`MAX_CLOCK_SKEW_SECS`].
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{Backend, PrivateKey};

    const KEY: &str = include_str!("../adapters/sandbox/keys/wechatpay_private_key.pem");
    /// Serial `3A1B2C3D4E5F60718293A4B5C6D7E8F901234567`, valid 2026-01-01 to 2035-12-30 UTC.
    const CERTIFICATE: &str = include_str!("../adapters/sandbox/keys/wechatpay_certificate.pem");
    const SERIAL: &str = "3A1B2C3D4E5F60718293A4B5C6D7E8F901234567";
    /// Serial `0E1D…8293`, valid 2015-01-01 to 2020-01-01 UTC.
    const EXPIRED: &str = include_str!("../../../tests/data/expired_certificate.pem");
    /// Serial `4F75…F002`, valid 2090-01-01 to 2095-01-01 UTC.
    const FUTURE: &str = include_str!("../../../tests/data/future_certificate.pem");
    /// 2030-01-01T00:00:00Z and 2036-05-27T00:00:00Z.
    const IN_WINDOW: i64 = 1_893_456_000;
    const AFTER_WINDOW: i64 = 2_095_459_200;

    fn certificate(pem: &str) -> PlatformCertificate {
        PlatformCertificate::from_pem(pem, Backend::default()).unwrap()
    }

    /// Headers of a message signed at `timestamp` by the sandbox key, naming `serial`.
    fn signed(body: &[u8], timestamp: i64, serial: &str) -> HeaderMap {
        let key = PrivateKey::from_pem(KEY, Backend::default()).unwrap();
        let mut message = Vec::new();
        response_message(&mut message, &timestamp.to_string(), "NONCE", body);
        let mut headers = HeaderMap::new();
        headers.insert(header::TIMESTAMP, timestamp.to_string().parse().unwrap());
        headers.insert(header::NONCE, "NONCE".parse().unwrap());
        headers.insert(header::SIGNATURE, BASE64.encode(key.sign(&message).unwrap()).parse().unwrap());
        headers.insert(header::SERIAL, serial.parse().unwrap());
        headers
    }

    #[test]
    fn serials_are_hex_numbers_and_public_key_ids_are_exact() {
        assert_eq!(normalize_serial("3a1b2c"), "3A1B2C");
        assert_eq!(normalize_serial("00003A1B2C"), "3A1B2C");
        assert_eq!(normalize_serial("0e1D"), "E1D");
        assert_eq!(normalize_serial("0000"), "0");
        assert_eq!(
            normalize_serial("PUB_KEY_ID_0119000091912025112800000000000001"),
            "PUB_KEY_ID_0119000091912025112800000000000001"
        );
        assert_eq!(normalize_serial("pub_key_id_01"), "pub_key_id_01");
        assert_eq!(normalize_serial(""), "");
    }

    #[test]
    fn a_certificate_verifies_only_within_its_window_at_the_time_given() {
        let mut keys = VerifyingKeys::new();
        keys.insert_certificate(certificate(CERTIFICATE));
        let body = b"{\"ok\":true}";
        keys.verify(&signed(body, IN_WINDOW, SERIAL), body, IN_WINDOW).unwrap();
        let refused = keys.verify(&signed(body, AFTER_WINDOW, SERIAL), body, AFTER_WINDOW).unwrap_err();
        let VerifyError::CertificateNotValid(window) = &refused else { panic!("{refused:?}") };
        let CertificateOutOfWindow { serial, not_before, not_after, at } = &**window;
        assert_eq!(serial, SERIAL);
        assert_eq!(*not_before, UNIX_EPOCH + Duration::from_secs(1_767_225_600));
        assert_eq!(*not_after, UNIX_EPOCH + Duration::from_secs(2_082_585_600));
        assert_eq!(*at, UNIX_EPOCH + Duration::from_secs(AFTER_WINDOW as u64));
        assert_eq!(
            refused.to_string(),
            "platform certificate `3A1B2C3D4E5F60718293A4B5C6D7E8F901234567` is valid from 2026-01-01T00:00:00Z to 2035-12-30T00:00:00Z, not at 2036-05-27T00:00:00Z"
        );
    }

    #[test]
    fn serials_match_in_any_case_and_with_leading_zeros() {
        let mut keys = VerifyingKeys::new();
        keys.insert_certificate(certificate(CERTIFICATE));
        keys.insert_certificate(certificate(EXPIRED));
        let body = b"{}";
        for serial in [SERIAL, "3a1b2c3d4e5f60718293a4b5c6d7e8f901234567", "003A1B2C3D4E5F60718293A4B5C6D7E8F901234567"]
        {
            keys.verify(&signed(body, IN_WINDOW, serial), body, IN_WINDOW).unwrap();
        }
        // The expired certificate's own serial starts with a zero digit.
        for serial in ["0E1D2C3B4A59687786950A1B2C3D4E5F60718293", "e1d2c3b4a59687786950a1b2c3d4e5f60718293"] {
            assert_eq!(keys.certificate(serial).unwrap().serial(), "0E1D2C3B4A59687786950A1B2C3D4E5F60718293");
        }
        // One certificate per serial, whatever the spelling it came with.
        keys.insert_certificate(certificate(CERTIFICATE));
        assert_eq!(keys.certificate_serials().count(), 2);
    }

    #[test]
    fn encryption_uses_a_certificate_valid_at_the_time_given() {
        let mut keys = VerifyingKeys::new();
        keys.insert_certificate(certificate(EXPIRED));
        keys.insert_certificate(certificate(FUTURE));
        assert!(keys.encryption_key(unix_time(IN_WINDOW)).is_none(), "only expired and future certificates");
        keys.insert_certificate(certificate(CERTIFICATE));
        assert_eq!(keys.encryption_key(unix_time(IN_WINDOW)).unwrap().0, SERIAL);
        assert!(keys.encryption_key(unix_time(AFTER_WINDOW)).is_none());
        let in_2091 = unix_time(3_818_448_000);
        assert_eq!(keys.encryption_key(in_2091).unwrap().0, "4F7574757265000000000000000000000000F002");
    }
}
