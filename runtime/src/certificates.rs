//! Certificate mode: download `/v3/certificates`, decrypt each certificate with the
//! APIv3 key, keep what it lists next to the certificates still valid, refresh in the
//! background and on demand. A certificate is used only within its validity window.
//!
//! Trust rests on the APIv3 key: the downloaded certificates are trusted because they
//! decrypt under it, and the download's response may be signed by a certificate it
//! brings, so whoever holds the APIv3 key (and can respond in the gateway's place) can
//! feed this client certificates, a certificate configured up front notwithstanding. A
//! client that starts with no certificate has nothing else to check the first download
//! with. To rest trust on configured keys alone, use the WeChat Pay public key or
//! configured certificates with `ClientBuilder::certificate_refresh(false)`.
//!
//! On-demand refreshes (after a message names a serial no certificate held has) are
//! shared and spaced, so that callbacks forged with made-up serials can neither make
//! this client hammer the gateway nor keep a genuine new serial from its refresh:
//! - concurrent callers share one download: a caller is served by any download that
//!   finished after its serial was seen (the gateway lists a certificate before it
//!   signs with it, about a day ahead);
//! - a serial such a download did not list causes no other download for
//!   [`UNLISTED_SERIAL_MEMORY`];
//! - otherwise the caller gets a download of its own, started no sooner than
//!   [`MIN_REFRESH_GAP`] after the previous on-demand one (it waits for that);
//! - `PUB_KEY_ID_…` ids and anything that is not a hexadecimal serial cause none.
//!
//! So forged serials cause at most one download per [`MIN_REFRESH_GAP`], and a genuine
//! new serial gets a download that lists it after waiting at most that gap (while the
//! gateway responses: a failed download is not remembered, and the next caller tries
//! again, the gap apart).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use http::Method;
use serde::Deserialize;

use crate::client::{Client, Payload, Prepared};
use crate::crypto::PlatformCertificate;
use crate::endpoint::TargetWriter;
use crate::error::{Error, VerifyError};
use crate::notify::EncryptedResource;
use crate::signing;
use crate::verify::{is_hex_serial, normalize_serial};

/// The platform certificate download, under the base URL's path.
const CERTIFICATES_PATH: &str = "v3/certificates";

/// Default time between background refreshes: well under the 12 h a new certificate is
/// published ahead of use.
pub const DEFAULT_REFRESH_INTERVAL: Duration = Duration::from_secs(6 * 3600);
/// On-demand refreshes (after an unknown serial) start at least this far apart; a
/// caller whose serial needs one waits until the gap has passed.
pub const MIN_REFRESH_GAP: Duration = Duration::from_secs(5);
/// How long a serial that a fresh download did not list causes no other download.
pub const UNLISTED_SERIAL_MEMORY: Duration = Duration::from_secs(60);
/// At most this many unlisted serials are remembered; beyond it, forged serials are
/// still bounded by [`MIN_REFRESH_GAP`].
const MAX_UNLISTED_SERIALS: usize = 1024;

/// Refresh bookkeeping shared by every clone of a client.
#[derive(Debug)]
pub(crate) struct Refresher {
    pub(crate) interval: Duration,
    /// Held for the whole of a download: one at a time, and callers that waited see
    /// the fresh keys.
    downloads: tokio::sync::Mutex<Downloads>,
    /// The background refresh task, once started.
    background: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

#[derive(Debug, Default)]
struct Downloads {
    /// When the last download that succeeded finished.
    last_success_finished: Option<Instant>,
    /// When the last on-demand download started; scheduled and explicit ones do not
    /// count, so a rotation right after them is still picked up at once.
    last_on_demand: Option<Instant>,
    /// Normalised serials a download started after they were seen did not list.
    unlisted: HashMap<String, Instant>,
}

impl Downloads {
    fn recently_unlisted(&self, serial: &str) -> bool {
        self.unlisted.get(serial).is_some_and(|at| at.elapsed() < UNLISTED_SERIAL_MEMORY)
    }

    fn remember_unlisted(&mut self, serial: String) {
        if self.unlisted.len() >= MAX_UNLISTED_SERIALS {
            self.unlisted.retain(|_, at| at.elapsed() < UNLISTED_SERIAL_MEMORY);
        }
        if self.unlisted.len() < MAX_UNLISTED_SERIALS {
            self.unlisted.insert(serial, Instant::now());
        }
    }
}

impl Refresher {
    pub(crate) fn new(interval: Duration) -> Self {
        Refresher { interval, downloads: tokio::sync::Mutex::default(), background: Mutex::new(None) }
    }
}

#[derive(Deserialize)]
struct CertificatesResponse {
    data: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    serial_no: String,
    encrypt_certificate: EncryptedResource,
}

impl Client {
    /// Downloads the platform certificates now and keeps every one it lists, next to
    /// those already held that are still valid; returns the serials held afterwards.
    /// A listed certificate outside its validity window is held but used for nothing,
    /// so a message naming it is refused as [`VerifyError::CertificateNotValid`].
    ///
    /// # Errors
    ///
    /// [`Error::PlatformCertificates`] when refresh is not enabled or the response cannot
    /// be used (a certificate that does not decrypt under the APIv3 key, or whose
    /// serial is not the one listed), [`Error::Verify`] when the response's signature is
    /// refused, and any error of the call itself.
    pub async fn refresh_certificates(&self) -> Result<Vec<String>, Error> {
        let refresher = self.refresher().ok_or_else(|| Error::PlatformCertificates {
            problem: "certificate refresh is not enabled: set an APIv3 key and ClientBuilder::certificate_refresh"
                .into(),
        })?;
        let mut downloads = refresher.downloads.lock().await;
        self.download_recorded(&mut downloads).await
    }

    /// Downloads, noting when a download that succeeded finished.
    async fn download_recorded(&self, downloads: &mut Downloads) -> Result<Vec<String>, Error> {
        let serials = self.download_certificates().await?;
        downloads.last_success_finished = Some(Instant::now());
        Ok(serials)
    }

    /// Downloads the platform certificates for a request with sensitive values, when no
    /// key to encrypt them with is held: once, however many such requests wait for it.
    pub(crate) async fn refresh_for_encryption(&self) -> Result<(), Error> {
        let Some(refresher) = self.refresher() else { return Ok(()) };
        let mut downloads = refresher.downloads.lock().await;
        if self.verifying_keys().encryption_key(SystemTime::now()).is_some() {
            // A download we waited for brought one.
            return Ok(());
        }
        self.download_recorded(&mut downloads).await.map(drop)
    }

    async fn download_certificates(&self) -> Result<Vec<String>, Error> {
        let certificates_error = |problem: String| Error::PlatformCertificates { problem };
        let mut target = String::new();
        TargetWriter::new(&mut target, self.base_path()).push_path(CERTIFICATES_PATH);
        let request = Prepared {
            method: Method::GET,
            template: CERTIFICATES_PATH,
            target,
            payload: Payload::Empty,
            idempotent: true,
            encrypted_with: None,
        };
        let response = Box::pin(self.execute_unverified(request)).await?;
        let parsed: CertificatesResponse = serde_json::from_slice(&response.body)
            .map_err(|e| certificates_error(format!("the /v3/certificates response did not decode: {e}")))?;
        let mut keys = (*self.verifying_keys()).clone();
        keys.remove_expired(SystemTime::now());
        for entry in parsed.data {
            let pem = self.decrypt_resource(&entry.encrypt_certificate).map_err(|e| {
                certificates_error(format!("certificate {}: {}", entry.serial_no, crate::error::chain(&e)))
            })?;
            let pem = std::str::from_utf8(&pem)
                .map_err(|_| certificates_error(format!("certificate {} is not PEM text", entry.serial_no)))?;
            let cert = PlatformCertificate::from_pem(pem, self.backend())
                .map_err(|e| certificates_error(format!("certificate {}: {e}", entry.serial_no)))?;
            if normalize_serial(cert.serial()) != normalize_serial(&entry.serial_no) {
                return Err(certificates_error(format!(
                    "certificate listed as {} has serial {}",
                    entry.serial_no,
                    cert.serial()
                )));
            }
            // Held even outside its window: a message naming it is then refused as not
            // valid rather than as unknown.
            keys.insert_certificate(cert);
        }
        // The response must verify with the keys it brings or those already held.
        keys.verify(&response.headers, &response.body, signing::unix_now()).map_err(|source| Error::Verify {
            source,
            status: response.status,
            request_id: response.request_id.clone(),
            body: response.body.clone(),
            tries: response.tries,
        })?;
        let serials = keys.certificate_serials().map(str::to_owned).collect();
        self.replace_keys(Arc::new(keys));
        tracing::info!(?serials, "platform certificates refreshed");
        Ok(serials)
    }

    /// Refreshes after a response or callback named `serial`, which no certificate held
    /// has, as the [module](crate::certificates) describes; returns whether `serial` is
    /// known now.
    pub(crate) async fn refresh_for_unknown_serial(&self, serial: &str) -> bool {
        let Some(refresher) = self.refresher() else {
            return false;
        };
        if !is_hex_serial(serial) {
            return false;
        }
        let seen = Instant::now();
        let mut downloads = refresher.downloads.lock().await;
        if self.verifying_keys().certificate(serial).is_some() {
            return true;
        }
        let serial = normalize_serial(serial).into_owned();
        if downloads.recently_unlisted(&serial) {
            return false;
        }
        let downloaded_since_seen = downloads.last_success_finished.is_some_and(|finished| finished >= seen);
        if !downloaded_since_seen {
            if let Some(last) = downloads.last_on_demand {
                tokio::time::sleep_until(tokio::time::Instant::from_std(last + MIN_REFRESH_GAP)).await;
            }
            downloads.last_on_demand = Some(Instant::now());
            if let Err(error) = self.download_recorded(&mut downloads).await {
                tracing::warn!(error = %crate::error::chain(&error), "platform certificate refresh failed");
                return false;
            }
        }
        if self.verifying_keys().certificate(&serial).is_some() {
            return true;
        }
        downloads.remember_unlisted(serial);
        false
    }

    /// Starts the background refresh on the tokio runtime this runs on, unless it runs
    /// already. Outside a runtime it does nothing: the next call made on one starts it.
    pub(crate) fn ensure_background_refresh(&self) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            self.start_background_refresh(&runtime);
        }
    }

    /// Starts the background refresh on `runtime`, unless it runs already (a task whose
    /// runtime has shut down counts as stopped). It stops when the last clone of the
    /// client is dropped.
    pub(crate) fn start_background_refresh(&self, runtime: &tokio::runtime::Handle) {
        let Some(refresher) = self.refresher() else { return };
        let mut task = refresher.background.lock().unwrap_or_else(|e| e.into_inner());
        if task.as_ref().is_some_and(|task| !task.is_finished()) {
            return;
        }
        let weak = self.downgrade();
        let interval = refresher.interval;
        *task = Some(runtime.spawn(async move {
            loop {
                tokio::time::sleep(interval).await;
                let Some(client) = Client::upgrade(&weak) else { return };
                if let Err(error) = client.refresh_certificates().await {
                    tracing::warn!(error = %crate::error::chain(&error), "background certificate refresh failed");
                }
            }
        }));
    }
}

/// The serial a verification failure names, when fresh certificates may cure it.
pub(crate) fn unknown_serial(error: &VerifyError) -> Option<&str> {
    match error {
        VerifyError::UnknownSerial(serial) => Some(serial),
        _ => None,
    }
}
