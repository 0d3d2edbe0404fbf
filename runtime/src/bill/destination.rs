//! Where a verified bill goes: a path, filled through a temporary file beside it, or,
//! for the blocking client, any `std::io::Write`.

use std::path::{Path, PathBuf};

#[cfg(feature = "blocking")]
use tokio::io::AsyncWrite;

use super::{BillFile, DownloadError, Downloaded};
use crate::client::Client;
use crate::error::Error;

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

    /// Streams `bill` into the temporary file and renames it into place once verified;
    /// on any error the temporary file is removed and the path left as it was.
    pub(super) async fn fill(mut self, client: &Client, bill: &BillFile) -> Result<Downloaded, Error> {
        let done = client.download_file(bill, &mut self.file).await.map_err(|error| match error {
            // Nothing reached the path itself.
            Error::Download { source, request_id, tries, .. } => {
                Error::Download { source, written: 0, request_id, tries }
            }
            other => other,
        })?;
        let fail = |problem, source, tries| Error::Download {
            source: DownloadError::Destination { path: self.path.clone(), problem, source },
            written: 0,
            request_id: done.request_id.clone(),
            tries,
        };
        self.file
            .sync_all()
            .await
            .map_err(|e| fail("cannot save the bill to disk before moving it to", e, done.tries))?;
        drop(self.file);
        self.temp.persist(&self.path).map_err(|e| fail("cannot move the verified bill to", e.error, done.tries))?;
        Ok(done)
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
