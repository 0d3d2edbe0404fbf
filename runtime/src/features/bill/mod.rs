//! Bill download: ask for a bill, then stream its file to a writer or a path, checking
//! the hash the signed response announced.
//!
//! Asking for a bill (`GET v3/bill/tradebill`, `v3/bill/fundflowbill`, or any endpoint
//! whose response is [`BillFile`]) gets a signed response naming a `download_url` and the file's
//! `hash_type` and `hash_value`. The file itself is not signed: it is fetched with a
//! normal `Authorization`, its response signature is not checked, and its hash is checked
//! instead, over the bill as written out.
//!
//! The file is streamed: it goes to the destination chunk by chunk and is never held in
//! memory whole. A gzip file (asked for with `tar_type=GZIP`, recognised by its magic
//! bytes) is decompressed on the way, and the hash is checked over the decompressed
//! bill: the gateway documents `hash_value` as the digest of the original bill (gzip
//! files to be decompressed first), and the official Java SDK
//! (`wechatpay-java`, `BillDownloadServiceExtension` with `DigestBillEntity`) computes
//! it over the stream after `GZIPInputStream`.
//!
//! ```
//! use wechat_endpoint::bill::TradeBill;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = wechat_endpoint::sandbox::Sandbox::start()?;
//! let client = sandbox.client()?;
//! let mut bill = Vec::new();
//! let done = client.download(&TradeBill::new("2024-05-01").gzip(), &mut bill).await?;
//! assert_eq!(done.written, bill.len() as u64);
//! assert!(done.gzip);
//! # Ok(()) }
//! ```
//!
//! A failure after writing began is an [`Error::Download`](crate::Error::Download) whose `written` counts the
//! bytes that reached the destination: they are not a verified bill and must be
//! discarded. [`Client::download_to_path`](crate::Client::download_to_path) writes to a temporary file beside the path
//! and renames it only once the hash matched, so the path never holds an unverified
//! bill.
//!
//! # Where a file is fetched from, how much and for how long
//!
//! The file request carries a signed `Authorization`, so it goes only where the client
//! sends its calls: a `download_url` must have the scheme, host and port of the base URL
//! (or of the backup base URL) and a path under its path, or be under a URL added with
//! [`ClientBuilder::allow_bill_download_from`](crate::ClientBuilder::allow_bill_download_from).
//! Anything else (another host, port or scheme, credentials ahead of the host) is refused
//! before a connection is opened. Hosts are compared as the URL standard normalises them
//! (lower case, IDNA to punycode, default port dropped).
//!
//! A download stops with an error naming the limit at
//! [`max_bill_bytes`](crate::ClientBuilder::max_bill_bytes) received, or written once
//! decompressed (default [`DEFAULT_MAX_BILL_BYTES`](crate::DEFAULT_MAX_BILL_BYTES), 1 GiB),
//! and at [`bill_deadline`](crate::ClientBuilder::bill_deadline) after the file was first
//! asked for (default [`DEFAULT_BILL_DEADLINE`](crate::DEFAULT_BILL_DEADLINE), 10 min), on top
//! of the client's [`timeout`](crate::ClientBuilder::timeout) for each wait on the network.

mod destination;
mod download;
mod error;
mod file;
mod request;
mod sink;
mod source;
mod unpack;

#[cfg(feature = "blocking")]
pub(crate) use destination::SyncWriter;
pub use error::DownloadError;
pub use file::{BillFile, Downloaded, FileResponse};
pub use request::{AccountType, BillType, FundFlowBill, TradeBill};

pub use crate::crypto::HashType;
