//! A bill file on its way: the digest its signed bill response announced, checked
//! before anything is sent, and the sink that unpacks, hashes and writes the file.

use tokio::io::{AsyncWrite, AsyncWriteExt as _};

use super::error::response_error;
use super::source::download_url;
use super::unpack::Unpack;
use super::{BillFile, DownloadError, Downloaded, HashType};
use crate::crypto::Hasher;
use crate::pipeline::error::Error;
use crate::pipeline::response::StreamedResponse;
use crate::pipeline::stream::{Sink, Source};

/// The digest a bill file must have, from its signed bill response.
pub(super) struct Expected {
    hasher: Hasher,
    hash_type: HashType,
    /// Lower-case hex.
    value: String,
}

/// Checks `file`'s digest and URL before anything is sent; the URL must be under one of
/// `sources`.
pub(super) fn checked(file: &BillFile, sources: &[Source]) -> Result<(reqwest::Url, Expected), Error> {
    let hasher = Hasher::new(&file.hash_type)
        .ok_or_else(|| response_error("hash_type", format!("`{}` is neither SHA1 nor SHA256", file.hash_type)))?;
    let hash_type = file.hash_type.clone();
    let value = file.hash_value.trim().to_ascii_lowercase();
    if value.len() != hasher.hex_len() || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(response_error("hash_value", format!("is not {} hex digits of {hash_type}", hasher.hex_len())));
    }
    let url = download_url(&file.download_url, sources)?;
    Ok((url, Expected { hasher, hash_type, value }))
}

/// A bill file on its way to `out`: unpacked, hashed and written chunk by chunk, and
/// its digest checked at the end.
pub(super) struct BillSink<W> {
    unpack: Unpack,
    pub(super) out: W,
    hash_type: HashType,
    expected: String,
}

impl<W: AsyncWrite + Unpin> BillSink<W> {
    pub(super) fn new(expected: Expected, limit: u64, out: W) -> Self {
        let Expected { hasher, hash_type, value } = expected;
        BillSink { unpack: Unpack::new(hasher, limit), out, hash_type, expected: value }
    }

    /// What was written, once the sink finished.
    pub(super) fn downloaded(self, streamed: StreamedResponse) -> Downloaded {
        Downloaded {
            written: self.unpack.written,
            received: streamed.received,
            gzip: self.unpack.is_gzip(),
            hash_type: self.hash_type,
            hash_value: self.expected,
            request_id: streamed.request_id,
            tries: streamed.tries,
        }
    }
}

impl<W: AsyncWrite + Unpin> Sink for BillSink<W> {
    async fn write(&mut self, chunk: &[u8]) -> Result<(), DownloadError> {
        self.unpack.push(chunk, &mut self.out).await
    }

    async fn finish(&mut self) -> Result<(), DownloadError> {
        self.unpack.finish(&mut self.out).await?;
        self.out.flush().await.map_err(DownloadError::Write)?;
        let actual = self.unpack.hasher.finish_hex();
        if actual != self.expected {
            return Err(DownloadError::HashMismatch {
                hash_type: self.hash_type.clone(),
                expected: self.expected.clone(),
                actual,
                written: self.unpack.written,
            });
        }
        Ok(())
    }

    fn written(&self) -> u64 {
        self.unpack.written
    }
}
