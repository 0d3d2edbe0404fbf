//! An offline stand-in for the WeChat Pay gateway: a real HTTP server on `127.0.0.1`
//! that checks every request's signature like the gateway and signs every response.
//!
//! ```
//! use wechat_endpoint::sandbox::Sandbox;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start()?;
//! let client = sandbox.client()?;
//! let stores: serde_json::Value = client
//!     .request(wechat_endpoint::Method::GET, "v3/marketing/partner/product-coupon/product-coupons/{id}/stocks/{stock}/associated-stores")
//!     .path("id", "1000000013")
//!     .path("stock", "1000000013001")
//!     .query(&[("brand_id", "120344")])
//!     .send()
//!     .await?;
//! assert_eq!(stores["total_count"], 0);
//! # Ok(()) }
//! ```
//!
//! It runs on its own thread with its own runtime, so it serves async and blocking
//! clients alike, and stops when the [`Sandbox`] is dropped.
//!
//! What it checks, in order, responding `401 SIGN_ERROR` with a message naming the
//! failed check: an `Accept` and a `User-Agent` header; an `Authorization` header in the
//! `WECHATPAY2-SHA256-RSA2048` scheme with its five fields (any order); the merchant id
//! and certificate serial; the timestamp within 300 s; the signature over the method,
//! the raw request target, the timestamp, the nonce and the raw body (for a
//! `multipart/form-data` upload, the `meta` part alone); a nonce never seen before.
//!
//! It serves every operation of [`crate::catalog`]: a request is checked against its
//! operation as the gateway checks it (required members, JSON types, enum values, length
//! and numeric bounds, nested objects and arrays; sensitive members must decrypt under the
//! key `Wechatpay-Serial` names), a failure is `400 PARAM_ERROR` with
//! `detail{field, location, issue}` naming the member, and a valid request gets the
//! operation's status with a body synthesised from its response schema, echoing request
//! values of the same name, sensitive members encrypted under the merchant key. The same
//! request gets the same body. Your own routes ([`Sandbox::route`]) and the routes below
//! come first.
//!
//! Besides its routes for the product-coupon store association, it serves
//! `GET v3/capital/capitallhh/banks/search-banks-by-bank-account`, whose `account_number`
//! is a sensitive value in the query: it must decrypt with the key `Wechatpay-Serial`
//! names ([`decrypt_sensitive`], [`SandboxRequest::decrypt_sensitive`] for your own
//! routes), or the response is `400 PARAM_ERROR`. It serves the media
//! uploads `v3/merchant/media/upload` and
//! `v3/marketing/partner/product-coupon/media/upload-image` (checking that the file's
//! SHA-256 is the one `meta` declares), and the bill requests `v3/bill/tradebill` and
//! `v3/bill/fundflowbill` with their streamed files ([`Sandbox::serve_bill`]).
//!
//! It places JSAPI and App orders (`POST v3/pay/transactions/jsapi`, `…/app` and
//! `v3/pay/partner/transactions/jsapi`), responding with a `prepay_id`, and checks the
//! front-end payment parameters a handler signs for it the way WeChat's client does
//! ([`Sandbox::check_jsapi_payment`], [`Sandbox::check_app_payment`]).

mod auth;
mod bill;
mod invocation;
mod media;
mod notify;
mod operations;
mod platform;
mod routes;
mod sensitive;
mod server;
mod stores;
mod synthesis;
mod transactions;
mod validate;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use http::{Method, StatusCode};

pub use auth::{Authorization, parse_authorization};
pub use bill::SandboxBill;
pub use invocation::PaymentCheckError;
pub use notify::{Delivery, SandboxNotification};
pub use operations::CATALOG_FILE;
pub use platform::{CERTIFICATE_SERIAL, KeyMode, ROTATED_CERTIFICATE_SERIAL};
pub use routes::{Handler, SandboxRequest, SandboxResponse};
pub use sensitive::{SEARCH_BANKS_BY_BANK_ACCOUNT, decrypt_sensitive};

use crate::builder::ClientBuilder;
use crate::pipeline::client::Client;
use crate::pipeline::error::{ConfigError, Error};

/// The sandbox's merchant id.
pub const MCHID: &str = "1900009191";
/// The serial of the sandbox merchant's API certificate.
pub const MERCHANT_SERIAL: &str = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
/// The id of the sandbox's WeChat Pay public key.
pub const WECHATPAY_PUBLIC_KEY_ID: &str = "PUB_KEY_ID_0119000091912025112800000000000001";
/// The test-only merchant private key (PKCS#8) the sandbox's clients sign with. Public;
/// never valid anywhere real.
pub const MERCHANT_PRIVATE_KEY_PEM: &str = include_str!("keys/merchant_private_key.pem");
/// The test-only merchant public key the sandbox checks requests with.
pub const MERCHANT_PUBLIC_KEY_PEM: &str = include_str!("keys/merchant_public_key.pem");
/// The test-only WeChat Pay public key the sandbox's responses verify with.
pub const WECHATPAY_PUBLIC_KEY_PEM: &str = include_str!("keys/wechatpay_public_key.pem");
/// The sandbox merchant's APIv3 key. Public; never valid anywhere real.
pub const APIV3_KEY: &str = "Q7r1kV9xT2mB8nC4zL6pW0sD3fH5jK7a";
/// The test-only WeChat Pay private key the sandbox signs responses with.
pub const WECHATPAY_PRIVATE_KEY_PEM: &str = include_str!("keys/wechatpay_private_key.pem");

/// A fault the sandbox injects into one response, to test how a client copes.
///
/// A bill file's request (`GET v3/billdownload/file`) takes faults like any other
/// request; the signature faults leave its response as it is, since the gateway does not
/// sign bill files, and are used up all the same.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// The response is signed over different bytes.
    WrongSignature,
    /// The signature is a `WECHATPAY/SIGNTEST/` probe.
    SignatureProbe,
    /// The response is signed correctly but 10 minutes ago.
    StaleTimestamp,
    /// The response is signed correctly but names a key serial nobody has.
    UnknownSerial,
    /// The `Wechatpay-*` signature headers are left out.
    MissingSignatureHeaders,
    /// The `Wechatpay-*` signature headers carry bytes that are not text.
    JunkSignatureHeaders,
    /// Each `Wechatpay-*` signature header is sent twice.
    DuplicateSignatureHeaders,
    /// The body is changed after it was signed.
    BodyAlteredAfterSigning,
    /// `500 SYSTEM_ERROR`, without calling the route.
    ServerError,
    /// `503 SYSTEM_ERROR`, without calling the route.
    ServiceUnavailable,
    /// `429 RATELIMIT_EXCEEDED`, with `Retry-After` when given, without calling the route.
    RateLimited {
        /// The `Retry-After` header, in seconds.
        retry_after: Option<u64>,
    },
    /// The response is held back this long before it is sent.
    Slow(Duration),
    /// The connection is closed without a response, after the request was read.
    DropConnection,
}

/// One request the sandbox received, as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    /// The method.
    pub method: Method,
    /// The raw request target.
    pub target: String,
    /// The headers.
    pub headers: http::HeaderMap,
    /// The raw body.
    pub body: bytes::Bytes,
    /// The status the sandbox responded with (or would have, for a dropped connection).
    pub status: StatusCode,
}

pub(crate) struct State {
    pub(crate) merchant_key: crate::crypto::VerifyingKey,
    pub(crate) platform: Arc<platform::Platform>,
    pub(crate) apiv3_key: crate::crypto::ApiV3Key,
    pub(crate) nonces: Mutex<std::collections::HashSet<String>>,
    pub(crate) faults: Mutex<VecDeque<Fault>>,
    pub(crate) random_faults: Mutex<Option<RandomFaults>>,
    pub(crate) router: RwLock<routes::Router>,
    pub(crate) received: Mutex<Vec<Received>>,
    pub(crate) bills: Arc<bill::Bills>,
    pub(crate) orders: Arc<transactions::Orders>,
    pub(crate) operations: operations::Operations,
}

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("addr", &self.addr).finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts a sandbox on `127.0.0.1` on a free port, serving every catalog operation.
    ///
    /// # Errors
    ///
    /// As [`start_with`](Self::start_with).
    pub fn start() -> std::io::Result<Sandbox> {
        Self::start_with(KeyMode::PublicKey)
    }

    /// Starts a sandbox whose WeChat Pay keys are in `mode`: the public key, platform
    /// certificates (served at `/v3/certificates`), or both.
    ///
    /// # Errors
    ///
    /// The I/O error when no loopback port can be bound or the server's thread and runtime
    /// cannot be started; an error naming the key when a bundled key does not parse.
    pub fn start_with(mode: KeyMode) -> std::io::Result<Sandbox> {
        let key_error = |e: crate::crypto::CryptoError| std::io::Error::other(format!("sandbox key: {e}"));
        let backend = crate::crypto::Backend::default();
        let platform = Arc::new(platform::Platform::new(mode, backend).map_err(key_error)?);
        let apiv3_key = crate::crypto::ApiV3Key::new(APIV3_KEY).map_err(std::io::Error::other)?;
        let mut router = routes::Router::default();
        stores::register(&mut router);
        platform::register(&mut router, platform.clone(), apiv3_key.clone());
        media::register(&mut router);
        sensitive::register(&mut router);
        let bills = Arc::new(bill::Bills::new());
        bill::register(&mut router, &bills);
        let orders = Arc::new(transactions::Orders::default());
        transactions::register(&mut router, &orders);
        let state = Arc::new(State {
            merchant_key: crate::crypto::VerifyingKey::from_pem(MERCHANT_PUBLIC_KEY_PEM, backend).map_err(key_error)?,
            platform,
            apiv3_key,
            nonces: Mutex::default(),
            faults: Mutex::default(),
            random_faults: Mutex::default(),
            router: RwLock::new(router),
            received: Mutex::default(),
            bills,
            orders,
            operations: operations::Operations::default(),
        });
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("wechat-endpoint-sandbox")
            .enable_all()
            .build()?;
        let (shutdown, stop) = tokio::sync::oneshot::channel();
        let serving = state.clone();
        let thread = std::thread::Builder::new().name("wechat-endpoint-sandbox".into()).spawn(move || {
            runtime.block_on(server::serve(listener, serving, stop));
            runtime.shutdown_timeout(Duration::from_secs(1));
        })?;
        Ok(Sandbox { addr, state, shutdown: Some(shutdown), thread: Some(thread) })
    }

    /// The sandbox's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to configure a client with: `http://127.0.0.1:<port>/`.
    pub fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// A client builder configured for this sandbox (its merchant, keys and URL), to
    /// adjust before `build()`.
    pub fn client_builder(&self) -> ClientBuilder {
        let builder = ClientBuilder::new()
            .mchid(MCHID)
            .merchant_serial(MERCHANT_SERIAL)
            .private_key_pem(MERCHANT_PRIVATE_KEY_PEM)
            .apiv3_key(APIV3_KEY)
            .base_url(self.base_url());
        match self.state.platform.mode() {
            KeyMode::PublicKey => builder.wechatpay_public_key_pem(WECHATPAY_PUBLIC_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM),
            KeyMode::Certificate => builder,
            KeyMode::Combined => builder
                .wechatpay_public_key_pem(WECHATPAY_PUBLIC_KEY_ID, WECHATPAY_PUBLIC_KEY_PEM)
                .certificate_refresh(true),
        }
    }

    /// Changes which keys the sandbox has and signs with.
    pub fn set_key_mode(&self, mode: KeyMode) {
        self.state.platform.set_mode(mode);
    }

    /// Adds a second platform certificate to `/v3/certificates` and signs every response
    /// after this with it: a certificate rotation. Returns its serial, or `None` when
    /// the sandbox has rotated already.
    pub fn rotate_certificate(&self) -> Option<&'static str> {
        self.state.platform.rotate()
    }

    /// Lists one more platform certificate at `/v3/certificates` (PEM text, with the
    /// PEM private key it is signed with), without signing with it yet; returns its
    /// serial, read from it. Any certificate goes, expired or not yet valid ones too:
    /// the sandbox serves what it is given, as a misbehaving gateway would.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the certificate or the key does not parse.
    pub fn add_certificate(&self, pem: &str, private_key_pem: &str) -> Result<String, Error> {
        let backend = crate::crypto::Backend::default();
        self.state
            .platform
            .add(pem, private_key_pem, backend)
            .map_err(|e| ConfigError::Invalid { what: "the sandbox certificate", problem: e.to_string() }.into())
    }

    /// Signs responses and callbacks with the listed certificate `serial` from now on (in
    /// certificate and combined mode), until the next rotation; `false` when no listed
    /// certificate has that serial.
    pub fn sign_with_certificate(&self, serial: &str) -> bool {
        self.state.platform.sign_with(serial)
    }

    /// Writes every certificate serial through `spelling` from now on, in responses' and
    /// callbacks' `Wechatpay-Serial` and in the `serial_no` of `/v3/certificates`: to
    /// test that serials are compared as hexadecimal numbers (`str::to_lowercase`, or
    /// leading zeros).
    pub fn spell_serials(&self, spelling: fn(&str) -> String) {
        self.state.platform.set_spelling(spelling);
    }

    /// A client configured for this sandbox.
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`].
    pub fn client(&self) -> Result<Client, Error> {
        self.client_builder().build()
    }

    /// A blocking client configured for this sandbox.
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build_blocking`].
    #[cfg(feature = "blocking")]
    pub fn blocking_client(&self) -> Result<crate::adapters::blocking::Client, Error> {
        self.client_builder().build_blocking()
    }

    /// From now on, each response with no queued fault gets one of `faults`, picked at
    /// random, with probability `rate` (0 to 1); the same `seed` gives the same sequence
    /// for the same order of requests. An empty list or a zero rate turns it off.
    pub fn inject_randomly(&self, rate: f64, faults: Vec<Fault>, seed: u64) {
        use rand::SeedableRng as _;
        *lock(&self.state.random_faults) = (rate > 0.0 && !faults.is_empty()).then(|| RandomFaults {
            rate: rate.min(1.0),
            faults,
            rng: rand::rngs::StdRng::seed_from_u64(seed),
        });
    }

    /// Injects `fault` into the next response; several calls queue several faults, one
    /// per response, in order.
    pub fn inject(&self, fault: Fault) {
        lock(&self.state.faults).push_back(fault);
    }

    /// Serves `template` (`{name}` or `<name>` placeholders, each a whole segment) for
    /// `method` with `handler`, after the signature checks pass. A later route wins over
    /// an earlier one, the built-in ones included.
    ///
    /// # Panics
    ///
    /// When `template` breaks the template grammar (see [`crate::TemplateError`]; a
    /// query, a fragment, an empty segment, an unmatched brace…), with the problems in
    /// the message, like a router given a bad path. [`try_route`](Self::try_route)
    /// returns them instead.
    pub fn route<F>(&self, method: Method, template: &str, handler: F)
    where
        F: Fn(&SandboxRequest) -> SandboxResponse + Send + Sync + 'static,
    {
        if let Err(error) = self.try_route(method, template, handler) {
            panic!("Sandbox::route: {error}");
        }
    }

    /// [`route`](Self::route), returning a template that breaks the grammar as an error.
    ///
    /// # Errors
    ///
    /// [`crate::TemplateError`] naming every problem of `template`; nothing is registered.
    pub fn try_route<F>(&self, method: Method, template: &str, handler: F) -> Result<(), crate::TemplateError>
    where
        F: Fn(&SandboxRequest) -> SandboxResponse + Send + Sync + 'static,
    {
        let route = routes::Route::parse(method, template, Arc::new(handler))?;
        self.state.router.write().unwrap_or_else(|e| e.into_inner()).add(route);
        Ok(())
    }

    /// Serves `bill` to the bill requests that follow (`GET v3/bill/tradebill` and
    /// `v3/bill/fundflowbill`, which respond with a `download_url` on this sandbox). Its digest
    /// is computed here, over the whole bill: a moment for a large one. The file is
    /// generated as it is sent, so a bill of any size costs the sandbox no memory. The
    /// file is served on the same request path as every route: checked like any request,
    /// recorded in [`received`](Self::received), and open to injected faults.
    pub fn serve_bill(&self, bill: SandboxBill) {
        self.state.bills.set(bill);
    }

    /// Every request received so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.state.received).clone()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

pub(crate) struct RandomFaults {
    rate: f64,
    faults: Vec<Fault>,
    rng: rand::rngs::StdRng,
}

impl State {
    pub(crate) fn random_fault(&self) -> Option<Fault> {
        use rand::Rng as _;
        let mut random = lock(&self.random_faults);
        let random = random.as_mut()?;
        if !random.rng.random_bool(random.rate) {
            return None;
        }
        let index = random.rng.random_range(0..random.faults.len());
        Some(random.faults[index].clone())
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
