//! Where a verified bill goes: a path, filled through a temporary file beside it, or,
//! for the blocking client, any `std::io::Write`.

use std::path::{Path, PathBuf};

#[cfg(feature = "blocking")]
use tokio::io::AsyncWrite;

use super::sink::{BillSink, Expected};
use super::{DownloadError, Downloaded};
use crate::pipeline::error::Error;
use crate::pipeline::response::StreamedResponse;
use crate::pipeline::stream::Sink;

/// A path to fill through a temporary file beside it.
pub(super) struct Destination {
    path: PathBuf,
    file: tokio::fs::File,
    temp: tempfile::TempPath,
}

impl Destination {
    pub(super) fn create(path: &Path) -> Result<Self, Error> {
        let fail = |problem, source| Error::Download {
            source: DownloadError::Destination { path: path.to_owned(), problem, source },
            written: 0,
            request_id: None,
            tries: 0,
        };
        let name = path.file_name().ok_or_else(|| {
            fail("the destination does not end in a file name:", std::io::Error::from(std::io::ErrorKind::InvalidInput))
        })?;
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let mut prefix = std::ffi::OsString::from(".");
        prefix.push(name);
        prefix.push(".");
        let temp = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".part")
            .tempfile_in(dir)
            .map_err(|e| fail("cannot create a temporary file beside", e))?;
        let (file, temp) = temp.into_parts();
        Ok(Destination { path: path.to_owned(), file: tokio::fs::File::from_std(file), temp })
    }

    /// The sink that fills the temporary file with the bill `expected` describes, at
    /// most `limit` bytes, and moves it into place once verified.
    pub(super) fn into_sink(self, expected: Expected, limit: u64) -> PathSink {
        let Destination { path, file, temp } = self;
        PathSink { bill: BillSink::new(expected, limit, file), temp: Some(temp), path }
    }
}

/// A bill on its way to a path: written to a temporary file beside it, which is moved
/// into place once verified. The path receives nothing before, so nothing counts as
/// written to it; the temporary file goes when the sink is dropped unfinished.
pub(super) struct PathSink {
    bill: BillSink<tokio::fs::File>,
    temp: Option<tempfile::TempPath>,
    path: PathBuf,
}

impl PathSink {
    /// What was written, once the sink finished.
    pub(super) fn downloaded(self, streamed: StreamedResponse) -> Downloaded {
        self.bill.downloaded(streamed)
    }

    fn failed(&self, problem: &'static str, source: std::io::Error) -> DownloadError {
        DownloadError::Destination { path: self.path.clone(), problem, source }
    }
}

impl Sink for PathSink {
    async fn write(&mut self, chunk: &[u8]) -> Result<(), DownloadError> {
        self.bill.write(chunk).await
    }

    async fn finish(&mut self) -> Result<(), DownloadError> {
        self.bill.finish().await?;
        if let Err(e) = self.bill.out.sync_all().await {
            return Err(self.failed("cannot save the bill to disk before moving it to", e));
        }
        let Some(temp) = self.temp.take() else { return Ok(()) };
        temp.persist(&self.path).map_err(|e| self.failed("cannot move the verified bill to", e.error))
    }

    fn written(&self) -> u64 {
        0
    }
}

/// A blocking [`std::io::Write`] seen as an [`AsyncWrite`], for the blocking client: its
/// calls run on the caller's thread, which is the one that blocks anyway.
#[cfg(feature = "blocking")]
pub(crate) struct SyncWriter<'a, W: std::io::Write + ?Sized>(pub(crate) &'a mut W);

#[cfg(feature = "blocking")]
impl<W: std::io::Write + ?Sized> AsyncWrite for SyncWriter<'_, W> {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::task::Poll::Ready(self.get_mut().0.write(buf))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(self.get_mut().0.flush())
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(self.get_mut().0.flush())
    }
}
