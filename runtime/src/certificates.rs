//! Certificate mode: download `/v3/certificates`, decrypt each certificate with the
//! APIv3 key, keep every one still valid, refresh in the background and on demand.
//!
//! Trust on first use: when the client starts with no certificate, the first download
//! can only be checked through the AEAD (the APIv3 key is a secret shared with the
//! gateway alone) and through the answer's signature made by one of the certificates it
//! carries. Configure a certificate or the public key up front
//! (`ClientBuilder::platform_certificate_pem`, `public_key_pem`) to avoid relying on it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use http::Method;
use serde::Deserialize;

use crate::client::{Client, Payload, Prepared};
use crate::crypto::PlatformCertificate;
use crate::error::{Error, VerifyError};
use crate::notify::EncryptedResource;
use crate::signing;

/// Default time between background refreshes: well under the 12 h a new certificate is
/// published ahead of use.
pub const DEFAULT_REFRESH_INTERVAL: Duration = Duration::from_secs(6 * 3600);
/// On-demand refreshes (after an unknown serial) are at most this frequent.
pub const MIN_REFRESH_GAP: Duration = Duration::from_secs(60);

/// Refresh bookkeeping shared by every clone of a client.
#[derive(Debug)]
pub(crate) struct Refresher {
    pub(crate) interval: Duration,
    /// The last refresh an unknown serial caused; scheduled and explicit ones do not
    /// count, so a rotation right after them is still picked up.
    last_on_demand: Mutex<Option<Instant>>,
    /// One download at a time; callers that waited see the fresh keys.
    running: tokio::sync::Mutex<()>,
    background: std::sync::atomic::AtomicBool,
}

impl Refresher {
    pub(crate) fn new(interval: Duration) -> Self {
        Refresher {
            interval,
            last_on_demand: Mutex::new(None),
            running: tokio::sync::Mutex::new(()),
            background: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

#[derive(Deserialize)]
struct CertificatesAnswer {
    data: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    serial_no: String,
    encrypt_certificate: EncryptedResource,
}

impl Client {
    /// Downloads the platform certificates now and keeps every one still valid, next
    /// to those already held; answers the serials held afterwards.
    pub async fn refresh_certificates(&self) -> Result<Vec<String>, Error> {
        let refresher = self.refresher().ok_or_else(|| Error::PlatformCertificates {
            problem: "certificate refresh is not enabled: set an APIv3 key and ClientBuilder::certificate_refresh"
                .into(),
        })?;
        let _running = refresher.running.lock().await;
        self.download_certificates().await
    }

    /// Downloads the platform certificates for a request with sensitive values, when no
    /// key to encrypt them with is held: once, however many such requests wait for it.
    pub(crate) async fn refresh_for_encryption(&self) -> Result<(), Error> {
        let Some(refresher) = self.refresher() else { return Ok(()) };
        let _running = refresher.running.lock().await;
        if self.verifying_keys().encryption_key(SystemTime::now()).is_some() {
            // A download we waited for brought one.
            return Ok(());
        }
        self.download_certificates().await.map(drop)
    }

    async fn download_certificates(&self) -> Result<Vec<String>, Error> {
        let certificates_error = |problem: String| Error::PlatformCertificates { problem };
        let mut target = self.base_path().to_owned();
        target.push_str("v3/certificates");
        let request = Prepared {
            method: Method::GET,
            template: "v3/certificates",
            target,
            payload: Payload::Empty,
            idempotent: true,
            encrypted_with: None,
        };
        let answer = Box::pin(self.execute_unverified(request)).await?;
        let parsed: CertificatesAnswer = serde_json::from_slice(&answer.body)
            .map_err(|e| certificates_error(format!("the /v3/certificates answer did not decode: {e}")))?;
        let mut keys = (*self.verifying_keys()).clone();
        let now = SystemTime::now();
        keys.remove_expired(now);
        for entry in parsed.data {
            let pem = self.decrypt_resource(&entry.encrypt_certificate).map_err(|e| {
                certificates_error(format!("certificate {}: {}", entry.serial_no, crate::error::chain(&e)))
            })?;
            let pem = std::str::from_utf8(&pem)
                .map_err(|_| certificates_error(format!("certificate {} is not PEM text", entry.serial_no)))?;
            let cert = PlatformCertificate::from_pem(pem, self.backend())
                .map_err(|e| certificates_error(format!("certificate {}: {e}", entry.serial_no)))?;
            if cert.serial() != entry.serial_no {
                return Err(certificates_error(format!(
                    "certificate listed as {} has serial {}",
                    entry.serial_no,
                    cert.serial()
                )));
            }
            if cert.not_after() >= now {
                keys.insert_certificate(cert);
            }
        }
        // The answer must verify with the keys it brings or those already held.
        keys.verify(&answer.headers, &answer.body, signing::unix_now()).map_err(|source| Error::Verify {
            source,
            status: answer.status,
            request_id: answer.request_id.clone(),
            body: answer.body.clone(),
            tries: answer.tries,
        })?;
        let serials = keys.certificate_serials().map(str::to_owned).collect();
        self.replace_keys(Arc::new(keys));
        tracing::info!(?serials, "platform certificates refreshed");
        Ok(serials)
    }

    /// Refreshes after an answer or callback named `serial`, which no key held has; at
    /// most once per [`MIN_REFRESH_GAP`], so forged callbacks with made-up serials cannot
    /// make this client hammer the gateway. Answers whether `serial` is known now.
    pub(crate) async fn refresh_for_unknown_serial(&self, serial: &str) -> bool {
        let Some(refresher) = self.refresher() else {
            return false;
        };
        let _running = refresher.running.lock().await;
        if self.verifying_keys().get(serial).is_some() {
            // A refresh we waited for brought it.
            return true;
        }
        {
            let mut last = refresher.last_on_demand.lock().unwrap_or_else(|e| e.into_inner());
            if last.is_some_and(|at| at.elapsed() < MIN_REFRESH_GAP) {
                return false;
            }
            *last = Some(Instant::now());
        }
        match self.download_certificates().await {
            Ok(serials) => serials.iter().any(|s| s == serial),
            Err(error) => {
                tracing::warn!(error = %crate::error::chain(&error), "platform certificate refresh failed");
                false
            }
        }
    }

    /// Starts the background refresh once, on the runtime of the first call.
    pub(crate) fn ensure_background_refresh(&self) {
        let Some(refresher) = self.refresher() else { return };
        if refresher.background.swap(true, std::sync::atomic::Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            refresher.background.store(false, std::sync::atomic::Ordering::Release);
            return;
        };
        let weak = self.downgrade();
        let interval = refresher.interval;
        runtime.spawn(async move {
            loop {
                tokio::time::sleep(interval).await;
                let Some(client) = Client::upgrade(&weak) else { return };
                if let Err(error) = client.refresh_certificates().await {
                    tracing::warn!(error = %crate::error::chain(&error), "background certificate refresh failed");
                }
            }
        });
    }
}

/// The serial a verification failure names, when fresh certificates may cure it.
pub(crate) fn unknown_serial(error: &VerifyError) -> Option<&str> {
    match error {
        VerifyError::UnknownSerial(serial) => Some(serial),
        _ => None,
    }
}
