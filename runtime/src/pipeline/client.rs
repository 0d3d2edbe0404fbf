//! The client: the pipeline's state, shared by every clone, and what the features
//! above the pipeline may ask of it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use http::{HeaderMap, HeaderValue};

use crate::crypto::signing::{MerchantSigner, unix_now};
use crate::crypto::verify::{VerifyError, VerifyingKeys};
use crate::crypto::{ApiV3Key, Backend, PrivateKey};
use crate::pipeline::error::Error;
use crate::pipeline::retry::RetryPolicy;
use crate::pipeline::stream::StreamLimits;

/// A WeChat Pay APIv3 client: cheap to clone, meant to be built once and shared.
///
/// Keys are parsed once by [`ClientBuilder::build`](crate::ClientBuilder::build); every
/// clone shares them and one connection pool.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

/// A future a [`KeyRefresh`] returns.
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Fetches verifying keys the client lacks: certificate mode's downloads of
/// `v3/certificates`. The certificates feature provides it and the builder wires it in,
/// so that the pipeline, which calls it, depends on nothing above it.
pub(crate) trait KeyRefresh: Send + Sync {
    /// Starts the background refresh on `runtime`, unless it runs already.
    fn start_background(&self, client: &Client, runtime: &tokio::runtime::Handle);

    /// Downloads now; returns the serials held afterwards.
    fn refresh<'a>(&'a self, client: &'a Client) -> BoxFuture<'a, Result<Vec<String>, Error>>;

    /// Makes sure a key to encrypt sensitive values with is held, downloading once
    /// however many requests wait for it.
    fn for_encryption<'a>(&'a self, client: &'a Client) -> BoxFuture<'a, Result<(), Error>>;

    /// After a response or callback named `serial`, which no key held has: refreshes if
    /// that may help; returns whether `serial` is known now.
    fn for_unknown_serial<'a>(&'a self, client: &'a Client, serial: &'a str) -> BoxFuture<'a, bool>;
}

/// The state every clone shares, as `ClientBuilder::build` assembles it, checked. Only
/// the pipeline reads it; the features above it ask the [`Client`] through the methods
/// below.
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// The primary host: its scheme, host and port, parsed once.
    pub(crate) origin: reqwest::Url,
    /// The host used after a connection failure, when fail-over is configured.
    pub(crate) backup_origin: Option<reqwest::Url>,
    /// The base URL's path.
    pub(crate) base_path: String,
    pub(crate) signer: MerchantSigner,
    /// Swapped whole when platform certificates are refreshed.
    pub(crate) keys: RwLock<Arc<VerifyingKeys>>,
    pub(crate) user_agent: HeaderValue,
    /// `Wechatpay-Serial` for requests with no sensitive values: the public key's id.
    pub(crate) wechatpay_serial: Option<HeaderValue>,
    /// Each try of a buffered call; each wait on the network of a streamed one.
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) streams: StreamLimits,
    pub(crate) retry: RetryPolicy,
    pub(crate) apiv3_key: Option<ApiV3Key>,
    pub(crate) backend: Backend,
    /// Present in certificate mode.
    pub(crate) key_refresh: Option<Box<dyn KeyRefresh>>,
}

/// A client that does not keep the shared state alive: for background tasks that stop
/// once the last clone is dropped.
pub(crate) struct WeakClient(Weak<Inner>);

impl WeakClient {
    pub(crate) fn upgrade(&self) -> Option<Client> {
        self.0.upgrade().map(|inner| Client { inner })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("mchid", &inner.signer.mchid())
            .field("merchant_serial", &inner.signer.serial())
            .field("base_url", &format_args!("{}{}", inner.origin.origin().ascii_serialization(), inner.base_path))
            .field("backup_origin", &inner.backup_origin.as_ref().map(|url| url.origin().ascii_serialization()))
            .field("public_key_id", &self.verifying_keys().wechatpay_public_key_id().map(str::to_owned))
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client with these settings; the background refresh starts when a runtime is
    /// at hand.
    pub(crate) fn new(inner: Inner) -> Self {
        let client = Client { inner: Arc::new(inner) };
        client.ensure_background_refresh();
        client
    }

    pub(crate) fn downgrade(&self) -> WeakClient {
        WeakClient(Arc::downgrade(&self.inner))
    }

    /// The merchant id this client signs as.
    pub fn mchid(&self) -> &str {
        self.inner.signer.mchid()
    }

    /// The keys responses are verified with now.
    pub fn verifying_keys(&self) -> Arc<VerifyingKeys> {
        self.inner.keys.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn replace_keys(&self, keys: Arc<VerifyingKeys>) {
        *self.inner.keys.write().unwrap_or_else(|e| e.into_inner()) = keys;
    }

    /// The base URL's path: where request targets start.
    pub(crate) fn base_path(&self) -> &str {
        &self.inner.base_path
    }

    /// The merchant's signer, for what the client signs without sending it.
    pub(crate) fn signer(&self) -> &MerchantSigner {
        &self.inner.signer
    }

    /// The APIv3 key, when one is configured.
    pub(crate) fn apiv3_key(&self) -> Option<&ApiV3Key> {
        self.inner.apiv3_key.as_ref()
    }

    pub(crate) fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// The merchant key, for sensitive fields the gateway encrypted.
    pub(crate) fn merchant_key(&self) -> &PrivateKey {
        self.inner.signer.key()
    }

    /// Where streamed responses may come from, and how much and how long they may take.
    pub(crate) fn stream_limits(&self) -> &StreamLimits {
        &self.inner.streams
    }

    /// Certificate mode's refresh, when it is on.
    pub(crate) fn key_refresh(&self) -> Option<&dyn KeyRefresh> {
        self.inner.key_refresh.as_deref()
    }

    /// Starts the background refresh on the tokio runtime this runs on, unless it runs
    /// already or there is none to run. Outside a runtime it does nothing: the next call
    /// made on one starts it.
    pub(crate) fn ensure_background_refresh(&self) {
        if let Some(refresh) = self.key_refresh()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            refresh.start_background(self, &runtime);
        }
    }

    /// Starts the background refresh on `runtime`, unless it runs already: the blocking
    /// client's own runtime.
    #[cfg(feature = "blocking")]
    pub(crate) fn start_background_refresh(&self, runtime: &tokio::runtime::Handle) {
        if let Some(refresh) = self.key_refresh() {
            refresh.start_background(self, runtime);
        }
    }

    /// Verifies a signed response or callback; in certificate mode an unknown serial may
    /// trigger a refresh first (shared and spaced, as the certificates feature
    /// describes).
    pub(crate) async fn verify_signed(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), VerifyError> {
        self.ensure_background_refresh();
        let Err(error) = self.verify_now(headers, body) else { return Ok(()) };
        match (&error, self.key_refresh()) {
            (VerifyError::UnknownSerial(serial), Some(refresh)) if refresh.for_unknown_serial(self, serial).await => {
                self.verify_now(headers, body)
            }
            _ => Err(error),
        }
    }

    fn verify_now(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), VerifyError> {
        self.inner.keys.read().unwrap_or_else(|e| e.into_inner()).verify(headers, body, unix_now())
    }
}
