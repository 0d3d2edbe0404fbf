//! Streamed responses (bill files): where they may come from, how large and how slow they
//! may be, and the sink their bytes go to.
//!
//! A streamed response is never held whole. Its request carries a signed `Authorization`,
//! so it goes only to an origin the client was configured for. Each wait on the network
//! is bounded by the client's `timeout`, and the whole download, from the first try to
//! the last byte, by a deadline: a whole-call timeout would cut a large file off.

use std::time::Duration;

use tokio::time::Instant;

use crate::pipeline::error::DownloadError;

/// Where streamed responses may be fetched from, and how much and how long a download may
/// take; set up by `ClientBuilder::build`.
#[derive(Debug, Clone)]
pub(crate) struct StreamLimits {
    /// The accepted places, the client's base URL first.
    pub(crate) sources: Vec<Source>,
    /// Bytes received at most; the sink may hold what it writes to the same limit.
    pub(crate) max_bytes: u64,
    /// From the first try to the last byte.
    pub(crate) deadline: Duration,
}

/// A base URL streamed responses may be fetched under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Source {
    /// `scheme://host[:port]`, as the URL standard serialises it.
    pub(crate) origin: String,
    /// The path prefix, ending in `/`.
    pub(crate) path: String,
}

impl Source {
    /// The place `url` (a checked base URL: http(s), a host, no credentials) stands for.
    pub(crate) fn new(url: &url::Url) -> Self {
        let mut path = url.path().to_owned();
        if !path.ends_with('/') {
            path.push('/');
        }
        Source { origin: url.origin().ascii_serialization(), path }
    }
}

/// Where a streamed response's bytes go, chunk by chunk.
pub(crate) trait Sink {
    /// Takes the next chunk of the body.
    async fn write(&mut self, chunk: &[u8]) -> Result<(), DownloadError>;

    /// Takes the end of the body: checks what arrived and puts it in place.
    async fn finish(&mut self) -> Result<(), DownloadError>;

    /// Bytes that reached the destination the caller sees, as
    /// [`Error::Download`](crate::Error::Download) reports them.
    fn written(&self) -> u64;
}

/// The end of a download: when it must be over, and the limit that set it, for the
/// error that says so.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    pub(crate) at: Instant,
    pub(crate) after: Duration,
}

impl Deadline {
    /// A deadline `after` from now.
    pub(crate) fn after(after: Duration) -> Self {
        Deadline { at: Instant::now() + after, after }
    }

    /// Waits for `future` for `idle` at most, and not past the deadline.
    pub(crate) async fn wait<F: Future>(&self, idle: Duration, future: F) -> Result<F::Output, DownloadError> {
        let idle_end = Instant::now() + idle;
        match tokio::time::timeout_at(idle_end.min(self.at), future).await {
            Ok(output) => Ok(output),
            Err(_) if idle_end < self.at => Err(DownloadError::Stalled(idle)),
            Err(_) => Err(DownloadError::Deadline(self.after)),
        }
    }
}

/// Streams the rest of `response` into `sink`, then finishes it; returns the bytes
/// received. `idle` bounds each wait for a chunk, `deadline` all of them, and
/// `max_bytes` what is received.
pub(crate) async fn stream_into<S: Sink>(
    mut response: reqwest::Response,
    sink: &mut S,
    idle: Duration,
    deadline: Deadline,
    max_bytes: u64,
) -> Result<u64, DownloadError> {
    if response.content_length().is_some_and(|length| length > max_bytes) {
        return Err(DownloadError::FileTooLarge { limit: max_bytes });
    }
    let mut received = 0_u64;
    // Both time limits are checked while waiting for the network, never in the middle
    // of a write, so what the sink reports as written stays exact.
    while let Some(chunk) =
        deadline.wait(idle, response.chunk()).await?.map_err(|e| DownloadError::Transfer(e.without_url()))?
    {
        received += chunk.len() as u64;
        if received > max_bytes {
            return Err(DownloadError::FileTooLarge { limit: max_bytes });
        }
        sink.write(&chunk).await?;
    }
    sink.finish().await?;
    Ok(received)
}
