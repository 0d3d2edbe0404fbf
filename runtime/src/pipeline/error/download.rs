//! Why a streamed download, a bill file, failed once its file was asked for.

use std::path::PathBuf;
use std::time::Duration;

use crate::crypto::HashType;

/// Why a bill download failed once its file was asked for; carried by
/// [`Error::Download`](super::Error::Download).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DownloadError {
    /// The bill response cannot be used: an unknown `hash_type`, a `hash_value` that is not
    /// hex of the right length, a `download_url` that is not an https URL.
    #[error("the bill response's `{field}` {problem}")]
    Response {
        /// The field.
        field: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// The file's digest is not the one announced: the file was altered or cut short.
    #[error("the {hash_type} of the {written}-byte bill is {actual}, not the announced {expected}")]
    HashMismatch {
        /// The digest algorithm.
        hash_type: HashType,
        /// The digest the signed bill response announced.
        expected: String,
        /// The digest of what arrived.
        actual: String,
        /// Bytes written.
        written: u64,
    },
    /// The file is not valid gzip, or is cut short.
    #[error("the gzip file is corrupt or cut short")]
    Gzip(#[source] std::io::Error),
    /// The file response broke off.
    #[error("the file transfer broke off")]
    Transfer(#[source] reqwest::Error),
    /// No data arrived for the client's [`timeout`](crate::ClientBuilder::timeout).
    #[error("no data arrived for {0:?} (the client's `timeout`)")]
    Stalled(Duration),
    /// The download did not finish within
    /// [`bill_deadline`](crate::ClientBuilder::bill_deadline) of the file being asked for.
    #[error("the download did not finish within its {0:?} deadline (`bill_deadline`)")]
    Deadline(Duration),
    /// The file as received is larger than
    /// [`max_bill_bytes`](crate::ClientBuilder::max_bill_bytes): by its `Content-Length`,
    /// or by what arrived.
    #[error("the file is larger than the {limit}-byte limit (`max_bill_bytes`)")]
    FileTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The bill, decompressed, is larger than
    /// [`max_bill_bytes`](crate::ClientBuilder::max_bill_bytes); nothing past the limit
    /// was written.
    #[error("the bill is larger than the {limit}-byte limit (`max_bill_bytes`) once decompressed")]
    BillTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The `download_url` is not under a base URL the client is configured for; nothing
    /// was sent. Only the origin is named: the rest of the URL carries the download token.
    #[error(
        "the download_url's origin `{origin}` is not one the client sends to (its base URL, backup base URL \
         or `allow_bill_download_from`); nothing was sent"
    )]
    UnconfiguredOrigin {
        /// `scheme://host[:port]` of the refused URL.
        origin: String,
    },
    /// Writing to the destination failed.
    #[error("writing the bill failed")]
    Write(#[source] std::io::Error),
    /// The destination path could not be prepared or the verified bill moved into place.
    #[error("{problem} {}", .path.display())]
    Destination {
        /// The destination path.
        path: PathBuf,
        /// What could not be done.
        problem: &'static str,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}
