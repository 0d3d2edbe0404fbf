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
//! gateway is reachable: a failed download is not remembered, and the next caller tries
//! again, the gap apart).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use http::Method;
use serde::Deserialize;

use crate::crypto::signing::unix_now;
use crate::crypto::verify::{is_hex_serial, normalize_serial};
use crate::crypto::{EncryptedResource, PlatformCertificate};
use crate::pipeline::call::Check;
use crate::pipeline::client::{BoxFuture, Client, KeyRefresh};
use crate::pipeline::endpoint::TargetWriter;
use crate::pipeline::error::{Error, JsonError, PlatformCertificatesError};
use crate::pipeline::request::{Payload, Prepared, Route};

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
    /// so a message naming it is refused as
    /// [`VerifyError::CertificateNotValid`](crate::VerifyError::CertificateNotValid).
    ///
    /// # Errors
    ///
    /// [`Error::PlatformCertificates`] when refresh is not enabled or the response cannot
    /// be used (a certificate that does not decrypt under the APIv3 key, or whose
    /// serial is not the one listed), [`Error::Verify`] when the response's signature is
    /// refused, and any error of the call itself.
    pub async fn refresh_certificates(&self) -> Result<Vec<String>, Error> {
        let refresh = self.key_refresh().ok_or(PlatformCertificatesError::NotEnabled)?;
        refresh.refresh(self).await
    }
}

impl KeyRefresh for Refresher {
    fn start_background(&self, client: &Client, runtime: &tokio::runtime::Handle) {
        let mut task = self.background.lock().unwrap_or_else(|e| e.into_inner());
        // A task whose runtime has shut down counts as stopped.
        if task.as_ref().is_some_and(|task| !task.is_finished()) {
            return;
        }
        let weak = client.downgrade();
        let interval = self.interval;
        *task = Some(runtime.spawn(async move {
            loop {
                tokio::time::sleep(interval).await;
                let Some(client) = weak.upgrade() else { return };
                if let Err(error) = client.refresh_certificates().await {
                    tracing::warn!(error = %crate::pipeline::error::chain(&error), "background certificate refresh failed");
                }
            }
        }));
    }

    fn refresh<'a>(&'a self, client: &'a Client) -> BoxFuture<'a, Result<Vec<String>, Error>> {
        Box::pin(async move {
            let mut downloads = self.downloads.lock().await;
            download_recorded(client, &mut downloads).await
        })
    }

    fn for_encryption<'a>(&'a self, client: &'a Client) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let mut downloads = self.downloads.lock().await;
            if client.verifying_keys().encryption_key(SystemTime::now()).is_some() {
                // A download we waited for brought one.
                return Ok(());
            }
            download_recorded(client, &mut downloads).await.map(drop)
        })
    }

    /// Refreshes as the [module](self) describes.
    fn for_unknown_serial<'a>(&'a self, client: &'a Client, serial: &'a str) -> BoxFuture<'a, bool> {
        Box::pin(async move {
            if !is_hex_serial(serial) {
                return false;
            }
            let seen = Instant::now();
            let mut downloads = self.downloads.lock().await;
            if client.verifying_keys().certificate(serial).is_some() {
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
                if let Err(error) = download_recorded(client, &mut downloads).await {
                    tracing::warn!(error = %crate::pipeline::error::chain(&error), "platform certificate refresh failed");
                    return false;
                }
            }
            if client.verifying_keys().certificate(&serial).is_some() {
                return true;
            }
            downloads.remember_unlisted(serial);
            false
        })
    }
}

/// Downloads, noting when a download that succeeded finished.
async fn download_recorded(client: &Client, downloads: &mut Downloads) -> Result<Vec<String>, Error> {
    let serials = download(client).await?;
    downloads.last_success_finished = Some(Instant::now());
    Ok(serials)
}

/// `GET v3/certificates`: the response is read unverified, its certificates decrypted
/// with the APIv3 key, and its signature then checked with the keys it brings or those
/// already held.
async fn download(client: &Client) -> Result<Vec<String>, Error> {
    let mut target = String::new();
    TargetWriter::new(&mut target, client.base_path()).push_path(CERTIFICATES_PATH);
    let request = Prepared {
        method: Method::GET,
        template: CERTIFICATES_PATH,
        target,
        payload: Payload::Empty,
        idempotent: true,
        encrypted_with: None,
        route: Route::Gateway,
    };
    let response = Box::pin(client.call(&request, Check::Nothing)).await?;
    let parsed: CertificatesResponse =
        serde_json::from_slice(&response.body).map_err(|e| PlatformCertificatesError::Response(JsonError::new(e)))?;
    // Refresh is on only with an APIv3 key.
    let apiv3_key = client.apiv3_key().ok_or(PlatformCertificatesError::NotEnabled)?;
    let mut keys = (*client.verifying_keys()).clone();
    keys.remove_expired(SystemTime::now());
    for Entry { serial_no: serial, encrypt_certificate } in parsed.data {
        let pem = match encrypt_certificate.decrypt(apiv3_key) {
            Ok(pem) => pem,
            Err(source) => return Err(PlatformCertificatesError::Decrypt { serial, source }.into()),
        };
        let Ok(pem) = std::str::from_utf8(&pem) else {
            return Err(PlatformCertificatesError::NotPem { serial }.into());
        };
        let cert = match PlatformCertificate::from_pem(pem, client.backend()) {
            Ok(cert) => cert,
            Err(source) => return Err(PlatformCertificatesError::Certificate { serial, source }.into()),
        };
        if normalize_serial(cert.serial()) != normalize_serial(&serial) {
            let actual = cert.serial().to_owned();
            return Err(PlatformCertificatesError::SerialMismatch { listed: serial, actual }.into());
        }
        // Held even outside its window: a message naming it is then refused as not
        // valid rather than as unknown.
        keys.insert_certificate(cert);
    }
    // The response must verify with the keys it brings or those already held.
    if let Err(source) = keys.verify(&response.headers, &response.body, unix_now()) {
        return Err(response.refused(source));
    }
    let serials = keys.certificate_serials().map(str::to_owned).collect();
    client.replace_keys(Arc::new(keys));
    tracing::info!(?serials, "platform certificates refreshed");
    Ok(serials)
}
