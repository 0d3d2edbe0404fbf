//! Fetching a bill file: the signed `GET` of its `download_url`, streamed by the
//! pipeline through [`Unpack`] into the destination.

use std::path::Path;

use http::Method;
use tokio::io::AsyncWrite;

use super::destination::Destination;
use super::sink::{BillSink, checked};
use super::{BillFile, Downloaded};
use crate::features::dynamic::DynamicRequest;
use crate::pipeline::client::Client;
use crate::pipeline::endpoint::Endpoint;
use crate::pipeline::error::Error;
use crate::pipeline::request::{Payload, Prepared, Route};
use crate::pipeline::response::StreamedResponse;
use crate::pipeline::stream::Sink;

impl Client {
    /// Asks for a bill with `request` and streams its file into `out`, decompressing a
    /// gzip file and checking the announced hash; returns what was written.
    ///
    /// On [`Error::Download`] the bytes already written to `out` (its `written`) are not
    /// a verified bill: discard them. [`download_to_path`](Self::download_to_path) does
    /// that for you.
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send) for the bill request, then:
    /// [`Error::Download`] when the file cannot be fetched, verified or written: its
    /// `DownloadError` says why, from an unusable `hash_type`, `hash_value` or `download_url`
    /// or an origin the client does not send to (nothing was sent), to a hash mismatch, and
    /// its `written` counts the bytes to discard; [`Error::Connect`], [`Error::Transport`],
    /// [`Error::Timeout`], [`Error::Api`] or [`Error::ResponseTooLarge`] when the file request
    /// itself failed.
    pub async fn download<E, W>(&self, request: &E, out: &mut W) -> Result<Downloaded, Error>
    where
        E: Endpoint<Response = BillFile>,
        W: AsyncWrite + Unpin + ?Sized,
    {
        let file = self.send(request).await?;
        self.download_file(&file, out).await
    }

    /// Asks for a bill with `request` and writes it to `path`, through a temporary file
    /// beside it that is renamed to `path` only once the hash matched. On any error
    /// `path` is left as it was and the temporary file removed.
    ///
    /// The file is created readable and writable by its owner only (mode 0600 on Unix):
    /// a bill is financial data. An existing file at `path` is replaced.
    ///
    /// # Errors
    ///
    /// As [`download`](Self::download), and
    /// [`Error::Download`] with [`DownloadError::Destination`](crate::bill::DownloadError::Destination)
    /// when no temporary file can be created beside `path` (checked before anything is
    /// sent) or the verified bill cannot be moved to `path`.
    pub async fn download_to_path<E>(&self, request: &E, path: impl AsRef<Path>) -> Result<Downloaded, Error>
    where
        E: Endpoint<Response = BillFile>,
    {
        let destination = Destination::create(path.as_ref())?;
        let file = self.send(request).await?;
        self.fill(destination, &file).await
    }

    /// The second step alone: streams the file `file` describes into `out`; see
    /// [`download`](Self::download).
    ///
    /// # Errors
    ///
    /// [`Error::Download`] when the file cannot be fetched, verified or written: its
    /// `DownloadError` says why, from an unusable `hash_type`, `hash_value` or `download_url`
    /// or an origin the client does not send to (nothing was sent), to a hash mismatch, and
    /// its `written` counts the bytes to discard; [`Error::Connect`], [`Error::Transport`],
    /// [`Error::Timeout`], [`Error::Api`] or [`Error::ResponseTooLarge`] when the file request
    /// itself failed.
    pub async fn download_file<W>(&self, file: &BillFile, out: &mut W) -> Result<Downloaded, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let (url, expected) = checked(file, &self.stream_limits().sources)?;
        let mut sink = BillSink::new(expected, self.stream_limits().max_bytes, out);
        let streamed = self.fetch(&url, &mut sink).await?;
        Ok(sink.downloaded(streamed))
    }

    /// The second step alone, to a path; see [`download_to_path`](Self::download_to_path).
    ///
    /// # Errors
    ///
    /// As [`download_file`](Self::download_file), and
    /// [`Error::Download`] with [`DownloadError::Destination`](crate::bill::DownloadError::Destination)
    /// when no temporary file can be created beside `path` (checked before anything is
    /// sent) or the verified bill cannot be moved to `path`.
    pub async fn download_file_to_path(&self, file: &BillFile, path: impl AsRef<Path>) -> Result<Downloaded, Error> {
        self.fill(Destination::create(path.as_ref())?, file).await
    }

    /// Streams the file at `url` into `sink`: a signed `GET`, its response streamed and
    /// unverified, retried, timed and traced as every call of the pipeline.
    async fn fetch<S: Sink>(&self, url: &reqwest::Url, sink: &mut S) -> Result<StreamedResponse, Error> {
        let mut target = url.path().to_owned();
        if let Some(query) = url.query() {
            target.push('?');
            target.push_str(query);
        }
        let request = Prepared {
            method: Method::GET,
            // The path alone names the call: the query carries the download token.
            template: url.path(),
            target,
            payload: Payload::Empty,
            idempotent: true,
            encrypted_with: None,
            route: Route::Origin(url.clone()),
        };
        self.call_streamed(&request, sink).await
    }

    /// Streams `bill` into `destination`'s temporary file and moves it into place once
    /// verified; on any error the temporary file is removed and the path left as it was.
    async fn fill(&self, destination: Destination, bill: &BillFile) -> Result<Downloaded, Error> {
        let limits = self.stream_limits();
        let (url, expected) = checked(bill, &limits.sources)?;
        let mut sink = destination.into_sink(expected, limits.max_bytes);
        let streamed = self.fetch(&url, &mut sink).await?;
        Ok(sink.downloaded(streamed))
    }
}

impl DynamicRequest<'_> {
    /// Sends this bill request and streams the file its response names into `out`; see
    /// [`Client::download`].
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send) for the bill request, then as
    /// [`Client::download_file`].
    pub async fn download<W>(self, out: &mut W) -> Result<Downloaded, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let client = self.client;
        let file: BillFile = self.send_as().await?;
        client.download_file(&file, out).await
    }

    /// Sends this bill request and writes the file to `path`; see
    /// [`Client::download_to_path`].
    ///
    /// # Errors
    ///
    /// As [`send`](Self::send) for the bill request, then as
    /// [`Client::download_file_to_path`].
    pub async fn download_to_path(self, path: impl AsRef<Path>) -> Result<Downloaded, Error> {
        let client = self.client;
        let destination = Destination::create(path.as_ref())?;
        let file: BillFile = self.send_as().await?;
        client.fill(destination, &file).await
    }
}
