//! A blocking client with the same API as the async one (feature `blocking`).
//!
//! It drives the async client on a small runtime of its own, so it can be used from
//! plain threads. Calling it from inside an async runtime is refused with
//! [`Error::BlockingInAsyncContext`] instead of stalling that runtime.

use std::fmt::Display;
use std::path::Path;
use std::sync::Arc;

use http::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::bill::{BillFile, Downloaded, SyncWriter};
use crate::builder::ClientBuilder;
use crate::endpoint::Endpoint;
use crate::error::{ConfigError, Error};
use crate::media::MediaFile;

/// A blocking WeChat Pay client: cheap to clone, shared between threads.
#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Arc<tokio::runtime::Runtime>,
}

impl ClientBuilder {
    /// Builds a [blocking client](Client).
    pub fn build_blocking(self) -> Result<Client, Error> {
        let inner = self.build()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("wechat-endpoint-blocking")
            .enable_all()
            .build()
            .map_err(|e| ConfigError::Invalid { what: "the blocking client's runtime", problem: e.to_string() })?;
        inner.start_background_refresh(runtime.handle());
        Ok(Client { inner, runtime: Arc::new(runtime) })
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

    /// Calls `endpoint`, blocking until the verified answer is decoded.
    pub fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Response, Error> {
        self.block_on(self.inner.send(endpoint))
    }

    /// Verifies, decrypts and decodes a callback; see
    /// [`crate::Client::verify_notification`]. Inside an async runtime it verifies with the
    /// keys held, without a certificate refresh.
    pub fn verify_notification<T: DeserializeOwned>(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<crate::notify::Notification<T>, crate::notify::NotificationError> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return self.inner.verify_notification_at(headers, body, crate::signing::unix_now());
        }
        self.runtime.block_on(self.inner.verify_notification(headers, body))
    }

    /// Starts an untyped request; see [`crate::Client::request`].
    pub fn request(&self, method: Method, template: impl Into<String>) -> DynamicRequest<'_> {
        DynamicRequest { client: self, inner: self.inner.request(method, template) }
    }

    /// Asks for a bill with `request` and streams its file into `out`; see
    /// [`crate::Client::download`]. On [`Error::Download`] the bytes already written to
    /// `out` are not a verified bill: discard them.
    pub fn download<E, W>(&self, request: &E, out: &mut W) -> Result<Downloaded, Error>
    where
        E: Endpoint<Response = BillFile>,
        W: std::io::Write + ?Sized,
    {
        self.block_on(self.inner.download(request, &mut SyncWriter(out)))
    }

    /// Asks for a bill with `request` and writes it to `path` once verified; see
    /// [`crate::Client::download_to_path`].
    pub fn download_to_path<E>(&self, request: &E, path: impl AsRef<Path>) -> Result<Downloaded, Error>
    where
        E: Endpoint<Response = BillFile>,
    {
        self.block_on(self.inner.download_to_path(request, path))
    }

    /// Streams the file `file` describes into `out`; see [`crate::Client::download_file`].
    pub fn download_file<W>(&self, file: &BillFile, out: &mut W) -> Result<Downloaded, Error>
    where
        W: std::io::Write + ?Sized,
    {
        self.block_on(self.inner.download_file(file, &mut SyncWriter(out)))
    }

    /// Writes the file `file` describes to `path` once verified; see
    /// [`crate::Client::download_file_to_path`].
    pub fn download_file_to_path(&self, file: &BillFile, path: impl AsRef<Path>) -> Result<Downloaded, Error> {
        self.block_on(self.inner.download_file_to_path(file, path))
    }

    fn block_on<F: Future<Output = Result<T, Error>>, T>(&self, call: F) -> Result<T, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::BlockingInAsyncContext);
        }
        self.runtime.block_on(call)
    }
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
    pub fn download<W: std::io::Write + ?Sized>(self, out: &mut W) -> Result<Downloaded, Error> {
        self.client.block_on(self.inner.download(&mut SyncWriter(out)))
    }

    /// Sends this bill request and writes the file to `path` once verified; see
    /// [`crate::DynamicRequest::download_to_path`].
    pub fn download_to_path(self, path: impl AsRef<Path>) -> Result<Downloaded, Error> {
        self.client.block_on(self.inner.download_to_path(path))
    }

    /// Sends the request and answers the JSON body.
    pub fn send(self) -> Result<serde_json::Value, Error> {
        self.client.block_on(self.inner.send())
    }

    /// Sends the request and decodes the answer into `T`.
    pub fn send_as<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.client.block_on(self.inner.send_as())
    }
}
