//! The sandbox's side of WeChat Pay's keys: the public key, platform certificates, which
//! one signs each response, and the `/v3/certificates` route.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::{Method, StatusCode};
use serde_json::json;

use super::routes::{Route, Router, SandboxResponse};
use super::{WECHATPAY_PRIVATE_KEY_PEM, WECHATPAY_PUBLIC_KEY_ID};
use crate::crypto::signing::{SCHEME, nonce, response_message, unix_now};
use crate::crypto::verify::header;
use crate::crypto::{ApiV3Key, Backend, CryptoError, PrivateKey};

/// The serial of the sandbox's first platform certificate.
pub const CERTIFICATE_SERIAL: &str = "3A1B2C3D4E5F60718293A4B5C6D7E8F901234567";
/// The serial of the certificate [`super::Sandbox::rotate_certificate`] moves to.
pub const ROTATED_CERTIFICATE_SERIAL: &str = "5B6C7D8E9F00112233445566778899AABBCCDDEE";
const CERTIFICATE_PEM: &str = include_str!("keys/wechatpay_certificate.pem");
const ROTATED_CERTIFICATE_PEM: &str = include_str!("keys/rotated_certificate.pem");
pub(super) const ROTATED_PRIVATE_KEY_PEM: &str = include_str!("keys/rotated_private_key.pem");

/// Which WeChat Pay keys the sandbox has and signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyMode {
    /// The WeChat Pay public key only (`PUB_KEY_ID_…`); `/v3/certificates` responds with 404,
    /// as it does for merchants onboarded since late 2024.
    PublicKey,
    /// Platform certificates only, served at `/v3/certificates`.
    Certificate,
    /// Both, as during a migration: responses are signed by each in turn.
    Combined,
}

struct Certificate {
    serial: String,
    pem: String,
    /// The validity window as `/v3/certificates` states it, matching the certificate.
    effective_time: String,
    expire_time: String,
    key: PrivateKey,
}

impl Certificate {
    /// A certificate and its private key; the serial and window are read from it.
    fn new(pem: &str, private_key_pem: &str, backend: Backend) -> Result<Self, CryptoError> {
        let parsed = crate::crypto::PlatformCertificate::from_pem(pem, backend)?;
        Ok(Certificate {
            serial: parsed.serial().to_owned(),
            pem: pem.to_owned(),
            effective_time: beijing_time(parsed.not_before())?,
            expire_time: beijing_time(parsed.not_after())?,
            key: PrivateKey::from_pem(private_key_pem, backend)?,
        })
    }
}

/// A time as the gateway writes them, RFC 3339 in Beijing time.
fn beijing_time(time: std::time::SystemTime) -> Result<String, CryptoError> {
    time::OffsetDateTime::from(time)
        .to_offset(time::macros::offset!(+8))
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| CryptoError::Key(format!("certificate time: {e}")))
}

/// How the sandbox writes a serial.
type Spelling = fn(&str) -> String;

/// The keys, the mode, and what is served.
pub(crate) struct Platform {
    mode: std::sync::RwLock<KeyMode>,
    public_key: PrivateKey,
    /// Served at `/v3/certificates`; the last one signs.
    certificates: std::sync::RwLock<Vec<Arc<Certificate>>>,
    /// The serial of the listed certificate that signs instead of the last one.
    signing_serial: std::sync::RwLock<Option<String>>,
    rotated: std::sync::Mutex<Option<Arc<Certificate>>>,
    /// How serials are written in `Wechatpay-Serial` and `serial_no`.
    spelling: std::sync::RwLock<Option<Spelling>>,
    signed: AtomicU64,
}

/// The key that signs one response.
enum Signer<'a> {
    PublicKey(&'a PrivateKey),
    Certificate(Arc<Certificate>),
}

impl Platform {
    pub(crate) fn new(mode: KeyMode, backend: Backend) -> Result<Self, CryptoError> {
        let first = Certificate::new(CERTIFICATE_PEM, WECHATPAY_PRIVATE_KEY_PEM, backend)?;
        let rotated = Certificate::new(ROTATED_CERTIFICATE_PEM, ROTATED_PRIVATE_KEY_PEM, backend)?;
        Ok(Platform {
            mode: std::sync::RwLock::new(mode),
            public_key: PrivateKey::from_pem(WECHATPAY_PRIVATE_KEY_PEM, backend)?,
            certificates: std::sync::RwLock::new(vec![Arc::new(first)]),
            signing_serial: std::sync::RwLock::default(),
            rotated: std::sync::Mutex::new(Some(Arc::new(rotated))),
            spelling: std::sync::RwLock::default(),
            signed: AtomicU64::new(0),
        })
    }

    pub(crate) fn mode(&self) -> KeyMode {
        *self.mode.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn set_mode(&self, mode: KeyMode) {
        *self.mode.write().unwrap_or_else(|e| e.into_inner()) = mode;
    }

    /// Adds the second certificate and signs with it from now on; `None` once done.
    pub(crate) fn rotate(&self) -> Option<&'static str> {
        let next = self.rotated.lock().unwrap_or_else(|e| e.into_inner()).take()?;
        self.certificates.write().unwrap_or_else(|e| e.into_inner()).push(next);
        *self.signing_serial.write().unwrap_or_else(|e| e.into_inner()) = None;
        Some(ROTATED_CERTIFICATE_SERIAL)
    }

    /// Lists one more certificate, without signing with it; returns its serial.
    pub(crate) fn add(&self, pem: &str, private_key_pem: &str, backend: Backend) -> Result<String, CryptoError> {
        let certificate = Certificate::new(pem, private_key_pem, backend)?;
        let serial = certificate.serial.clone();
        let mut certificates = self.certificates.write().unwrap_or_else(|e| e.into_inner());
        // The last one signs: keep the current signer last.
        let at = certificates.len().saturating_sub(1);
        certificates.insert(at, Arc::new(certificate));
        Ok(serial)
    }

    /// Signs with the listed certificate `serial` from now on; `false` when none is.
    pub(crate) fn sign_with(&self, serial: &str) -> bool {
        let listed = self.certificates.read().unwrap_or_else(|e| e.into_inner()).iter().any(|c| c.serial == serial);
        if listed {
            *self.signing_serial.write().unwrap_or_else(|e| e.into_inner()) = Some(serial.to_owned());
        }
        listed
    }

    pub(crate) fn set_spelling(&self, spelling: Spelling) {
        *self.spelling.write().unwrap_or_else(|e| e.into_inner()) = Some(spelling);
    }

    /// `serial` as the sandbox writes it.
    fn spell(&self, serial: &str) -> String {
        match *self.spelling.read().unwrap_or_else(|e| e.into_inner()) {
            Some(spelling) => spelling(serial),
            None => serial.to_owned(),
        }
    }

    fn signer(&self) -> Signer<'_> {
        let use_certificate = match self.mode() {
            KeyMode::PublicKey => false,
            KeyMode::Certificate => true,
            KeyMode::Combined => self.signed.fetch_add(1, Ordering::Relaxed) % 2 == 1,
        };
        if use_certificate {
            let certificates = self.certificates.read().unwrap_or_else(|e| e.into_inner());
            let chosen = self.signing_serial.read().unwrap_or_else(|e| e.into_inner()).clone();
            let current = match chosen {
                Some(serial) => certificates.iter().find(|c| c.serial == serial),
                None => certificates.last(),
            };
            if let Some(current) = current {
                return Signer::Certificate(current.clone());
            }
        }
        Signer::PublicKey(&self.public_key)
    }

    /// The `Wechatpay-*` headers for `body`, signed now by the key the mode selects.
    pub(crate) fn sign(&self, body: &[u8], options: SignOptions) -> Result<Vec<(&'static str, String)>, CryptoError> {
        let timestamp = (unix_now() - options.age_secs).to_string();
        let nonce = nonce();
        let signer = self.signer();
        let (serial, key) = match &signer {
            Signer::PublicKey(key) => (WECHATPAY_PUBLIC_KEY_ID.to_owned(), *key),
            Signer::Certificate(cert) => (self.spell(&cert.serial), &cert.key),
        };
        let signature = if options.probe {
            format!("{}{}", crate::crypto::verify::PROBE_PREFIX, BASE64.encode(&nonce))
        } else {
            let mut message = Vec::new();
            response_message(&mut message, &timestamp, &nonce, options.signed_body.unwrap_or(body));
            BASE64.encode(key.sign(&message)?)
        };
        let serial = options.serial.map_or(serial, str::to_owned);
        Ok(vec![
            (header::TIMESTAMP, timestamp),
            (header::NONCE, nonce),
            (header::SIGNATURE, signature),
            (header::SERIAL, serial),
            (header::SIGNATURE_TYPE, SCHEME.to_owned()),
        ])
    }

    /// The `/v3/certificates` response: every certificate, encrypted with the APIv3 key.
    fn certificates_response(&self, apiv3_key: &ApiV3Key) -> SandboxResponse {
        if self.mode() == KeyMode::PublicKey {
            return SandboxResponse::error(
                StatusCode::NOT_FOUND,
                "RESOURCE_NOT_EXISTS",
                "this merchant verifies with the WeChat Pay public key; it has no platform certificate",
            );
        }
        let certificates = self.certificates.read().unwrap_or_else(|e| e.into_inner()).clone();
        let mut data = Vec::new();
        for cert in certificates {
            let nonce: String = nonce().chars().take(crate::crypto::NONCE_LEN).collect();
            let Ok(ciphertext) = apiv3_key.encrypt(&nonce, "certificate", cert.pem.as_bytes()) else {
                return SandboxResponse::error(StatusCode::INTERNAL_SERVER_ERROR, "SYSTEM_ERROR", "encryption failed");
            };
            data.push(json!({
                "serial_no": self.spell(&cert.serial),
                "effective_time": cert.effective_time,
                "expire_time": cert.expire_time,
                "encrypt_certificate": {
                    "algorithm": "AEAD_AES_256_GCM",
                    "nonce": nonce,
                    "associated_data": "certificate",
                    "ciphertext": ciphertext,
                },
            }));
        }
        SandboxResponse::ok(json!({ "data": data }))
    }
}

/// How to sign one message.
#[derive(Default, Clone, Copy)]
pub(crate) struct SignOptions<'a> {
    /// Seconds to date the signature back.
    pub(crate) age_secs: i64,
    /// Sign these bytes instead of the body.
    pub(crate) signed_body: Option<&'a [u8]>,
    /// Send a `WECHATPAY/SIGNTEST/` probe instead of a signature.
    pub(crate) probe: bool,
    /// Name this serial instead of the signer's.
    pub(crate) serial: Option<&'a str>,
}

pub(crate) fn register(router: &mut Router, platform: Arc<Platform>, apiv3_key: ApiV3Key) {
    router.add(Route::new(
        Method::GET,
        "v3/certificates",
        Arc::new(move |_| platform.certificates_response(&apiv3_key)),
    ));
}
