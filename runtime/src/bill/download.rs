//! Fetching a bill file: the signed `GET` of its `download_url`, streamed through
//! [`Unpack`] into the destination.

use std::path::Path;
use std::time::Instant;

use http::header::{ACCEPT, AUTHORIZATION, RETRY_AFTER, USER_AGENT};
use http::{HeaderValue, Method};
use tokio::io::{AsyncWrite, AsyncWriteExt as _};
use tracing::Instrument as _;

use super::destination::Destination;
use super::error::response_error;
use super::source::download_url;
use super::unpack::{Hasher, Unpack};
use super::{BillFile, DownloadError, Downloaded};
use crate::client::{Client, ReadError, read_body, transport_error};
use crate::dynamic::DynamicRequest;
use crate::endpoint::Endpoint;
use crate::error::{ApiError, Error};
use crate::retry::{Verdict, parse_retry_after, verdict};
use crate::signing;
use crate::verify::header;

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
        destination.fill(self, &file).await
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
        // The path alone: the query carries the download token, and a URL that will be
        // refused may carry anything ahead of its host.
        let url_path = reqwest::Url::parse(&file.download_url).map(|url| url.path().to_owned()).unwrap_or_default();
        let span = tracing::info_span!(
            "wechatpay",
            method = "GET",
            path = %url_path,
            written = tracing::field::Empty,
            request_id = tracing::field::Empty,
            tries = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self.fetch(file, out).instrument(span.clone()).await;
        let _entered = span.enter();
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(done) => {
                span.record("written", done.written);
                span.record("tries", done.tries);
                if let Some(id) = &done.request_id {
                    span.record("request_id", id.as_str());
                }
                tracing::debug!("bill verified");
            }
            Err(error) => {
                span.record("tries", error.tries());
                if let Some(id) = error.request_id() {
                    span.record("request_id", id);
                }
                tracing::warn!(error = %crate::error::chain(error), "bill download failed");
            }
        }
        result
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
        Destination::create(path.as_ref())?.fill(self, file).await
    }

    async fn fetch<W>(&self, file: &BillFile, out: &mut W) -> Result<Downloaded, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let hasher = Hasher::new(&file.hash_type)
            .ok_or_else(|| response_error("hash_type", format!("`{}` is neither SHA1 nor SHA256", file.hash_type)))?;
        let hash_type = file.hash_type.clone();
        let expected = file.hash_value.trim().to_ascii_lowercase();
        if expected.len() != hasher.hex_len() || !expected.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(response_error("hash_value", format!("is not {} hex digits of {hash_type}", hasher.hex_len())));
        }
        let limits = &self.inner.bills;
        let url = download_url(&file.download_url, &limits.sources)?;
        let mut target = url.path().to_owned();
        if let Some(query) = url.query() {
            target.push('?');
            target.push_str(query);
        }
        let deadline = tokio::time::Instant::now() + limits.deadline;
        let (mut response, tries) = tokio::time::timeout_at(deadline, self.open_file(&url, &target, url.path()))
            .await
            .map_err(|_| Error::Download {
                source: DownloadError::Deadline(limits.deadline),
                written: 0,
                request_id: None,
                tries: 0,
            })??;
        let request_id = response.headers().get(header::REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let fail = |source, written| Error::Download { source, written, request_id: request_id.clone(), tries };
        if response.content_length().is_some_and(|length| length > limits.max_bytes) {
            return Err(fail(DownloadError::FileTooLarge { limit: limits.max_bytes }, 0));
        }
        let idle = self.inner.timeout;
        let mut unpack = Unpack::new(hasher, limits.max_bytes);
        let streamed: Result<(), DownloadError> = async {
            loop {
                // Both limits are checked while waiting for the network, never in the
                // middle of a write, so `written` stays exact.
                let idle_end = tokio::time::Instant::now() + idle;
                let chunk = match tokio::time::timeout_at(idle_end.min(deadline), response.chunk()).await {
                    Ok(chunk) => chunk.map_err(|e| DownloadError::Transfer(e.without_url()))?,
                    Err(_) if idle_end < deadline => return Err(DownloadError::Stalled(idle)),
                    Err(_) => return Err(DownloadError::Deadline(limits.deadline)),
                };
                let Some(chunk) = chunk else { break };
                unpack.push(&chunk, out).await?;
            }
            unpack.finish(out).await?;
            out.flush().await.map_err(DownloadError::Write)
        }
        .await;
        if let Err(source) = streamed {
            return Err(fail(source, unpack.written));
        }
        let (written, received, gzip) = (unpack.written, unpack.received, unpack.is_gzip());
        let actual = unpack.hasher.finish_hex();
        if actual != expected {
            return Err(fail(DownloadError::HashMismatch { hash_type, expected, actual, written }, written));
        }
        Ok(Downloaded { written, received, gzip, hash_type, hash_value: actual, request_id, tries })
    }

    /// Sends the signed GET for the file until a 2xx response's headers arrive, retrying
    /// as the policy allows; the body is left unread.
    async fn open_file(
        &self,
        url: &reqwest::Url,
        target: &str,
        template: &str,
    ) -> Result<(reqwest::Response, u32), Error> {
        let policy = &self.inner.retry;
        let started = Instant::now();
        let mut tries = 0;
        loop {
            tries += 1;
            let error = match self.open_file_once(url, target, template).await {
                Ok(response) => return Ok((response, tries)),
                Err(error) => error.with_tries(tries),
            };
            let Verdict::Retry { retry_after, .. } = verdict(&error, true, policy) else {
                return Err(error);
            };
            let delay = policy.delay(tries + 1, retry_after);
            if tries >= policy.max_tries || started.elapsed() + delay > policy.budget {
                return Err(error);
            }
            tracing::info!(error = %crate::error::chain(&error), try_ = tries, ?delay, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    async fn open_file_once(
        &self,
        url: &reqwest::Url,
        target: &str,
        template: &str,
    ) -> Result<reqwest::Response, Error> {
        let inner = &*self.inner;
        let authorization = inner
            .signer
            .authorization(&mut Vec::new(), "GET", target, b"", signing::unix_now(), &signing::nonce())
            .map_err(Error::Sign)?;
        let mut builder = inner
            .http
            .get(url.clone())
            .header(AUTHORIZATION, authorization)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, inner.user_agent.clone());
        if let Some(serial) = &inner.wechatpay_serial {
            builder = builder.header(header::SERIAL, serial.clone());
        }
        // The client's timeout bounds the wait for the response's headers, then each wait
        // for the next chunk: a whole-call limit would cut large bills off.
        let mut response = match tokio::time::timeout(inner.timeout, builder.send()).await {
            Err(_) => {
                return Err(Error::Download {
                    source: DownloadError::Stalled(inner.timeout),
                    written: 0,
                    request_id: None,
                    tries: 1,
                });
            }
            // The URL carries the download token: keep it out of errors.
            Ok(sent) => sent.map_err(|source| transport_error(&Method::GET, template, source.without_url()))?,
        };
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let request_id = response.headers().get(header::REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let retry_after = parse_retry_after(response.headers().get(RETRY_AFTER));
        let limit = inner.max_response_bytes;
        let body = match read_body(&mut response, limit).await {
            Ok(body) => body,
            Err(ReadError::Transport(source)) => {
                return Err(transport_error(&Method::GET, template, source.without_url()));
            }
            Err(ReadError::TooLarge) => {
                return Err(Error::ResponseTooLarge { limit, status, request_id, tries: 1 });
            }
        };
        Err(Error::Api(Box::new(ApiError::from_response(status, request_id, retry_after, body))))
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
        destination.fill(client, &file).await
    }
}
