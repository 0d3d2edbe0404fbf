//! Turning the file's bytes into the bill: gzip recognised and inflated in bounded
//! steps, the bill hashed and written as it comes out.

use std::io::Write as _;

use flate2::write::MultiGzDecoder;
use tokio::io::{AsyncWrite, AsyncWriteExt as _};

use super::DownloadError;
use crate::crypto::Hasher;

/// The gzip magic bytes.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Turns the file's bytes into the bill: recognises gzip by its magic bytes, inflates it
/// in bounded steps, hashes and writes what comes out.
pub(super) struct Unpack {
    state: UnpackState,
    pub(super) hasher: Hasher,
    pub(super) written: u64,
    pub(super) received: u64,
    /// The most bytes received, and the most written.
    limit: u64,
}

enum UnpackState {
    /// Fewer than two bytes seen: not yet known whether the file is gzip.
    Sniffing(Vec<u8>),
    Plain,
    Gzip(Box<MultiGzDecoder<Vec<u8>>>),
}

impl Unpack {
    pub(super) fn new(hasher: Hasher, limit: u64) -> Self {
        Unpack {
            state: UnpackState::Sniffing(Vec::with_capacity(GZIP_MAGIC.len())),
            hasher,
            written: 0,
            received: 0,
            limit,
        }
    }

    pub(super) fn is_gzip(&self) -> bool {
        matches!(self.state, UnpackState::Gzip(_))
    }

    pub(super) async fn push<W: AsyncWrite + Unpin + ?Sized>(
        &mut self,
        chunk: &[u8],
        out: &mut W,
    ) -> Result<(), DownloadError> {
        self.received += chunk.len() as u64;
        if self.received > self.limit {
            return Err(DownloadError::FileTooLarge { limit: self.limit });
        }
        if let UnpackState::Sniffing(seen) = &mut self.state {
            let wanted = GZIP_MAGIC.len() - seen.len();
            let (head, _) = chunk.split_at(wanted.min(chunk.len()));
            seen.extend_from_slice(head);
            if seen.len() < GZIP_MAGIC.len() {
                return Ok(());
            }
            let seen = std::mem::take(seen);
            self.state = if seen == GZIP_MAGIC {
                // Output is drained after every write, so the buffer stays small.
                UnpackState::Gzip(Box::new(MultiGzDecoder::new(Vec::with_capacity(64 * 1024))))
            } else {
                UnpackState::Plain
            };
            self.feed(&seen, out).await?;
            return self.feed(&chunk[head.len()..], out).await;
        }
        self.feed(chunk, out).await
    }

    async fn feed<W: AsyncWrite + Unpin + ?Sized>(
        &mut self,
        mut data: &[u8],
        out: &mut W,
    ) -> Result<(), DownloadError> {
        match &mut self.state {
            UnpackState::Sniffing(_) => unreachable!("fed only once the format is known"),
            UnpackState::Plain => emit(&mut self.hasher, &mut self.written, self.limit, data, out).await,
            UnpackState::Gzip(decoder) => {
                // `write` takes only as much input as one internal buffer of output
                // allows (a few dozen KiB), so a highly compressed chunk cannot balloon
                // in memory: drain after every call.
                while !data.is_empty() {
                    let taken = decoder.write(data).map_err(DownloadError::Gzip)?;
                    data = &data[taken..];
                    let mut produced = std::mem::take(decoder.get_mut());
                    if taken == 0 && produced.is_empty() {
                        return Err(DownloadError::Gzip(std::io::Error::new(
                            std::io::ErrorKind::InvalidData,
                            "bytes after the end of the gzip stream",
                        )));
                    }
                    emit(&mut self.hasher, &mut self.written, self.limit, &produced, out).await?;
                    produced.clear();
                    *decoder.get_mut() = produced;
                }
                Ok(())
            }
        }
    }

    pub(super) async fn finish<W: AsyncWrite + Unpin + ?Sized>(&mut self, out: &mut W) -> Result<(), DownloadError> {
        if let UnpackState::Sniffing(seen) = &mut self.state {
            // A file of fewer than two bytes is not gzip.
            let seen = std::mem::take(seen);
            self.state = UnpackState::Plain;
            return self.feed(&seen, out).await;
        }
        if let UnpackState::Gzip(decoder) = &mut self.state {
            decoder.try_finish().map_err(DownloadError::Gzip)?;
            let produced = std::mem::take(decoder.get_mut());
            emit(&mut self.hasher, &mut self.written, self.limit, &produced, out).await?;
        }
        Ok(())
    }
}

/// Hashes and writes `data`, unless that would take the bill past `limit` bytes.
async fn emit<W: AsyncWrite + Unpin + ?Sized>(
    hasher: &mut Hasher,
    written: &mut u64,
    limit: u64,
    data: &[u8],
    out: &mut W,
) -> Result<(), DownloadError> {
    if data.is_empty() {
        return Ok(());
    }
    if *written + data.len() as u64 > limit {
        return Err(DownloadError::BillTooLarge { limit });
    }
    hasher.update(data);
    out.write_all(data).await.map_err(DownloadError::Write)?;
    *written += data.len() as u64;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use flate2::Compression;
    use flate2::write::GzEncoder;
    use sha2::Digest as _;

    use super::*;
    use crate::crypto::HashType;

    fn hasher(hash_type: HashType) -> Hasher {
        Hasher::new(&hash_type).unwrap()
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    /// Feeds `file` in `step`-byte chunks; returns what came out and whether it was gzip.
    async fn unpack(file: &[u8], step: usize) -> Result<(Vec<u8>, bool, String), DownloadError> {
        let mut unpack = Unpack::new(hasher(HashType::Sha256), u64::MAX);
        let mut out = Vec::new();
        for chunk in file.chunks(step.max(1)) {
            unpack.push(chunk, &mut out).await?;
        }
        unpack.finish(&mut out).await?;
        let gzip = unpack.is_gzip();
        Ok((out, gzip, unpack.hasher.finish_hex()))
    }

    #[tokio::test]
    async fn plain_and_gzip_files_come_out_as_the_bill_in_any_chunking() {
        let bill: Vec<u8> = (0..200_000u32).flat_map(|i| format!("`{i},`row\r\n").into_bytes()).collect();
        let digest = crate::crypto::hex(&sha2::Sha256::digest(&bill));
        let packed = gzip(&bill);
        for step in [1, 2, 3, 1000, 65536, usize::MAX] {
            let (out, gz, hash) = unpack(&bill, step).await.unwrap();
            assert!(!gz);
            assert_eq!(out, bill);
            assert_eq!(hash, digest);
            let (out, gz, hash) = unpack(&packed, step).await.unwrap();
            assert!(gz);
            assert_eq!(out, bill);
            assert_eq!(hash, digest);
        }
        let twice = [packed.clone(), packed.clone()].concat();
        let (out, _, _) = unpack(&twice, 4096).await.unwrap();
        assert_eq!(out.len(), bill.len() * 2);
    }

    #[tokio::test]
    async fn tiny_files_are_plain() {
        for file in [&b""[..], b"x", &GZIP_MAGIC[..1]] {
            let (out, gz, _) = unpack(file, 1).await.unwrap();
            assert!(!gz);
            assert_eq!(out, file);
        }
    }

    #[tokio::test]
    async fn cut_or_corrupt_gzip_is_an_error() {
        let packed = gzip(&vec![b'a'; 100_000]);
        for cut in [3, 10, packed.len() / 2, packed.len() - 1] {
            let result = unpack(&packed[..cut], 512).await;
            assert!(matches!(result, Err(DownloadError::Gzip(_))), "cut at {cut}: {result:?}");
        }
        let mut bad_crc = packed.clone();
        let at = bad_crc.len() - 6;
        bad_crc[at] ^= 1;
        assert!(matches!(unpack(&bad_crc, 512).await, Err(DownloadError::Gzip(_))));
    }

    #[tokio::test]
    async fn a_gzip_bomb_is_inflated_in_small_steps() {
        struct Largest(usize, usize);
        impl AsyncWrite for Largest {
            fn poll_write(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
                self.0 = self.0.max(buf.len());
                self.1 += buf.len();
                Poll::Ready(Ok(buf.len()))
            }
            fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
                Poll::Ready(Ok(()))
            }
            fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
                Poll::Ready(Ok(()))
            }
        }
        let packed = gzip(&vec![0; 64 * 1024 * 1024]);
        let mut unpack = Unpack::new(hasher(HashType::Sha1), u64::MAX);
        let mut out = Largest(0, 0);
        unpack.push(&packed, &mut out).await.unwrap();
        unpack.finish(&mut out).await.unwrap();
        assert_eq!(out.1, 64 * 1024 * 1024);
        assert!(out.0 <= 256 * 1024, "a single write of {} bytes", out.0);
    }

    #[tokio::test]
    async fn nothing_past_the_limit_is_received_or_written() {
        let bill = vec![b'a'; 100_000];
        let packed = gzip(&bill);
        for (file, limit, exact) in [(&bill, 100_000, true), (&packed, 100_000, true), (&bill, 99_999, false)] {
            let mut unpack = Unpack::new(hasher(HashType::Sha1), limit);
            let mut out = Vec::new();
            let mut result = Ok(());
            for chunk in file.chunks(4096) {
                result = unpack.push(chunk, &mut out).await;
                if result.is_err() {
                    break;
                }
            }
            if result.is_ok() {
                result = unpack.finish(&mut out).await;
            }
            assert_eq!(result.is_ok(), exact, "{result:?}");
            assert!(out.len() as u64 <= limit);
            assert_eq!(out.len() as u64, unpack.written);
        }
        // A small file inflating past the limit stops at the limit.
        let mut unpack = Unpack::new(hasher(HashType::Sha1), 50_000);
        let mut out = Vec::new();
        let error = unpack.push(&packed, &mut out).await.unwrap_err();
        assert!(matches!(error, DownloadError::BillTooLarge { limit: 50_000 }), "{error:?}");
        assert!(out.len() <= 50_000);
        // A file received past the limit stops there, whatever it would inflate to.
        let mut unpack = Unpack::new(hasher(HashType::Sha1), 10);
        let error = unpack.push(&packed, &mut Vec::new()).await.unwrap_err();
        assert!(matches!(error, DownloadError::FileTooLarge { limit: 10 }), "{error:?}");
    }
}
