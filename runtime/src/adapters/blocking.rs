//! A blocking client with the same API as the async one (feature `blocking`).
//!
//! It drives the async client on a small runtime of its own, so it can be used from any
//! thread that is not polling async code: plain threads (while other threads run tokio,
//! too), `tokio::task::spawn_blocking` closures, `tokio::task::block_in_place` and
//! threads holding a runtime's enter guard. Called from async code a runtime is polling
//! (a task, or a future under `block_on`), it refuses with
//! [`Error::BlockingInAsyncContext`]: blocking there would stall that runtime, and
//! deadlock it when the call needs it. Dropping it is safe anywhere.

use std::fmt::Display;
use std::path::Path;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use http::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::builder::ClientBuilder;
use crate::features::bill::{BillFile, Downloaded, SyncWriter};
use crate::features::media::MediaFile;
use crate::features::payment::{AppPayment, JsapiPayment};
use crate::pipeline::endpoint::Endpoint;
use crate::pipeline::error::{ConfigError, Error};

/// A blocking WeChat Pay client: cheap to clone, shared between threads.
#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Arc<OwnedRuntime>,
}

/// The runtime the calls run on, shared by every clone.
#[derive(Debug)]
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl Drop for OwnedRuntime {
    /// Shuts the runtime down without waiting for its threads: a plain drop blocks, and
    /// panics when the last clone is dropped inside async code.
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl ClientBuilder {
    /// Builds a [blocking client](Client).
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`]; [`Error::Config`] also when the client's own runtime
    /// cannot be started.
    pub fn build_blocking(self) -> Result<Client, Error> {
        let inner = self.build()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("wechat-endpoint-blocking")
            .enable_all()
            .build()
            .map_err(|e| ConfigError::Invalid { what: "the blocking client's runtime", problem: e.to_string() })?;
        inner.start_background_refresh(runtime.handle());
        Ok(Client { inner, runtime: Arc::new(OwnedRuntime(Some(runtime))) })
    }
}

impl Client {
    /// Starts a configuration; finish it with [`ClientBuilder::build_blocking`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The async client this one drives.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// Calls `endpoint`, blocking until the verified response is decoded.
    ///
    /// # Errors
    ///
    /// As [`crate::Client::send`], and [`Error::BlockingInAsyncContext`] when called from async code a runtime is polling
    /// (nothing was sent).
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Response, Error> {
        self.block_on(self.inner.send(endpoint))
    }

    /// Verifies, decrypts and decodes a callback; see
    /// [`crate::Client::verify_notification`]. Inside an async runtime it verifies with the
    /// keys held, without a certificate refresh.
    ///
    /// # Errors
    ///
    /// As [`crate::Client::verify_notification`].
    pub fn verify_notification<T: DeserializeOwned>(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<crate::features::notify::Notification<T>, crate::features::notify::NotificationError> {
        if polling_async_code() {
            return self.inner.verify_notification_at(headers, body, crate::crypto::signing::unix_now());
        }
        self.run(self.inner.verify_notification(headers, body))
    }

    /// Signs the parameters of a JSAPI or mini-program payment; see
    /// [`crate::Client::jsapi_payment`]. Nothing is sent, so it may be called anywhere,
    /// inside an async runtime too.
    ///
    /// # Errors
    ///
    /// As [`crate::Client::jsapi_payment`].
    pub fn jsapi_payment(&self, app_id: &str, prepay_id: &str) -> Result<JsapiPayment, Error> {
        self.inner.jsapi_payment(app_id, prepay_id)
    }

    /// [`jsapi_payment`](Self::jsapi_payment) at a given timestamp and nonce; see
    /// [`crate::Client::jsapi_payment_at`].
    ///
    /// # Errors
    ///
    /// As [`crate::Client::jsapi_payment_at`].
    pub fn jsapi_payment_at(
        &self,
        app_id: &str,
        prepay_id: &str,
        timestamp: i64,
        nonce: &str,
    ) -> Result<JsapiPayment, Error> {
        self.inner.jsapi_payment_at(app_id, prepay_id, timestamp, nonce)
    }

    /// Signs the parameters of an App payment; see [`crate::Client::app_payment`].
    /// Nothing is sent, so it may be called anywhere, inside an async runtime too.
    ///
    /// # Errors
    ///
    /// As [`crate::Client::app_payment`].
    pub fn app_payment(&self, app_id: &str, prepay_id: &str) -> Result<AppPayment, Error> {
        self.inner.app_payment(app_id, prepay_id)
    }

    /// [`app_payment`](Self::app_payment) at a given timestamp and nonce; see
    /// [`crate::Client::app_payment_at`].
    ///
    /// # Errors
    ///
    /// As [`crate::Client::app_payment_at`].
    pub fn app_payment_at(
        &self,
        app_id: &str,
        prepay_id: &str,
        timestamp: i64,
        nonce: &str,
    ) -> Result<AppPayment, Error> {
        self.inner.app_payment_at(app_id, prepay_id, timestamp, nonce)
    }

    /// Starts an untyped request; see [`crate::Client::request`].
    pub fn request(&self, method: Method, template: impl Into<String>) -> DynamicRequest<'_> {
        DynamicRequest { client: self, inner: self.inner.request(method, template) }
    }

    /// Asks for a bill with `request` and streams its file into `out`; see
    /// [`crate::Client::download`]. On [`Error::Download`] the bytes already written to
    /// `out` are not a verified bill: discard them.
    ///
    /// # Errors
    ///
    /// As [`crate::Client::download`], and [`Error::BlockingInAsyncContext`] when called from async code a runtime is polling
    /// (nothing was sent).
    pub fn download<E, W>(&self, request: &E, out: &mut W) -> Result<Downloaded, Error>
    where
        E: Endpoint<Response = BillFile>,
        W: std::io::Write + ?Sized,
    {
        self.block_on(self.inner.download(request, &mut SyncWriter(out)))
    }

    /// Asks for a bill with `request` and writes it to `path` once verified; see
    /// [`crate::Client::download_to_path`].
    ///
    /// # Errors
    ///
    /// As [`crate::Client::download_to_path`], and [`Error::BlockingInAsyncContext`] when called from async code a runtime is polling
    /// (nothing was sent).
    pub fn download_to_path<E>(&self, request: &E, path: impl AsRef<Path>) -> Result<Downloaded, Error>
    where
        E: Endpoint<Response = BillFile>,
    {
        self.block_on(self.inner.download_to_path(request, path))
    }

    /// Streams the file `file` describes into `out`; see [`crate::Client::download_file`].
    ///
    /// # Errors
    ///
    /// As [`crate::Client::download_file`], and [`Error::BlockingInAsyncContext`] when called from async code a runtime is polling
    /// (nothing was sent).
    pub fn download_file<W>(&self, file: &BillFile, out: &mut W) -> Result<Downloaded, Error>
    where
        W: std::io::Write + ?Sized,
    {
        self.block_on(self.inner.download_file(file, &mut SyncWriter(out)))
    }

    /// Writes the file `file` describes to `path` once verified; see
    /// [`crate::Client::download_file_to_path`].
    ///
    /// # Errors
    ///
    /// As [`crate::Client::download_file_to_path`], and [`Error::BlockingInAsyncContext`] when called from async code a runtime is polling
    /// (nothing was sent).
    pub fn download_file_to_path(&self, file: &BillFile, path: impl AsRef<Path>) -> Result<Downloaded, Error> {
        self.block_on(self.inner.download_file_to_path(file, path))
    }

    fn block_on<F: Future<Output = Result<T, Error>>, T>(&self, call: F) -> Result<T, Error> {
        if polling_async_code() {
            return Err(Error::BlockingInAsyncContext);
        }
        self.run(call)
    }

    /// Polls `call` on this thread until it is done, inside this client's runtime: its
    /// worker drives the timers and sockets the call waits on and runs the tasks it
    /// spawns. `Runtime::block_on` would do the same but panics on threads that merely
    /// have another runtime's context, such as `spawn_blocking` threads.
    fn run<F: Future>(&self, call: F) -> F::Output {
        struct Unpark(std::thread::Thread);
        impl Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
            fn wake_by_ref(self: &Arc<Self>) {
                self.0.unpark();
            }
        }
        let runtime = self.runtime.0.as_ref().expect("the runtime lives as long as the client");
        let _entered = runtime.enter();
        let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
        let mut cx = Context::from_waker(&waker);
        let mut call = pin!(call);
        loop {
            if let Poll::Ready(output) = call.as_mut().poll(&mut cx) {
                return output;
            }
            std::thread::park();
        }
    }
}

/// Whether a tokio runtime is polling async code on this thread right now: a task, or a
/// future under `block_on`. tokio has no public check for this (tokio-rs/tokio#3559,
/// #7769), and `Handle::try_current` also succeeds on threads that may block
/// (`spawn_blocking`, `block_in_place`, an enter guard). What tells them apart is the
/// cooperative budget: tokio sets a finite one only while it polls a task or a
/// `block_on` future, and lifts it for blocking code. Spending it shows whether it is
/// finite; the first guard puts it back as it was. A task wrapped in
/// `tokio::task::unconstrained` has no budget and is not recognised.
fn polling_async_code() -> bool {
    use tokio::task::coop::poll_proceed;
    let mut cx = Context::from_waker(Waker::noop());
    let Poll::Ready(_restore) = poll_proceed(&mut cx) else { return true };
    // The budget is a `u8`: more steps than that mean it is unlimited.
    for _ in 0..=u8::MAX {
        match poll_proceed(&mut cx) {
            Poll::Ready(spent) => spent.made_progress(),
            Poll::Pending => return true,
        }
    }
    false
}

/// The blocking form of [`crate::DynamicRequest`].
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct DynamicRequest<'c> {
    client: &'c Client,
    inner: crate::DynamicRequest<'c>,
}

impl DynamicRequest<'_> {
    /// Sets the value of the `{name}` placeholder.
    pub fn path(mut self, name: impl Into<String>, value: impl Display) -> Self {
        self.inner = self.inner.path(name, value);
        self
    }

    /// Adds query pairs; see [`crate::DynamicRequest::query`].
    pub fn query<T: Serialize + ?Sized>(mut self, query: &T) -> Self {
        self.inner = self.inner.query(query);
        self
    }

    /// Sets the JSON body.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        self.inner = self.inner.json(body);
        self
    }

    /// Makes this a media upload of `file`; see [`crate::DynamicRequest::file`].
    pub fn file(mut self, file: MediaFile) -> Self {
        self.inner = self.inner.file(file);
        self
    }

    /// Sends this bill request and streams the file into `out`; see
    /// [`crate::DynamicRequest::download`].
    ///
    /// # Errors
    ///
    /// As [`crate::DynamicRequest::download`], and [`Error::BlockingInAsyncContext`] when called from async code a runtime is polling
    /// (nothing was sent).
    pub fn download<W: std::io::Write + ?Sized>(self, out: &mut W) -> Result<Downloaded, Error> {
        self.client.block_on(self.inner.download(&mut SyncWriter(out)))
    }

    /// Sends this bill request and writes the file to `path` once verified; see
    /// [`crate::DynamicRequest::download_to_path`].
    ///
    /// # Errors
    ///
    /// As [`crate::DynamicRequest::download_to_path`], and [`Error::BlockingInAsyncContext`] when called from async code a runtime is polling
    /// (nothing was sent).
    pub fn download_to_path(self, path: impl AsRef<Path>) -> Result<Downloaded, Error> {
        self.client.block_on(self.inner.download_to_path(path))
    }

    /// Sends the request and returns the JSON body.
    ///
    /// # Errors
    ///
    /// As [`crate::DynamicRequest::send`], and [`Error::BlockingInAsyncContext`] when called from async code a runtime is polling
    /// (nothing was sent).
    pub fn send(self) -> Result<serde_json::Value, Error> {
        self.client.block_on(self.inner.send())
    }

    /// Sends the request and decodes the response into `T`.
    ///
    /// # Errors
    ///
    /// As [`crate::DynamicRequest::send_as`], and [`Error::BlockingInAsyncContext`] when called from async code a runtime is polling
    /// (nothing was sent).
    pub fn send_as<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.client.block_on(self.inner.send_as())
    }
}
