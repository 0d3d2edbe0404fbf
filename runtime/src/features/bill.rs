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
//! A failure after writing began is an [`Error::Download`] whose `written` counts the
//! bytes that reached the destination: they are not a verified bill and must be
//! discarded. [`Client::download_to_path`] writes to a temporary file beside the path
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

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use flate2::write::MultiGzDecoder;
use http::Method;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncWrite, AsyncWriteExt as _};

pub use crate::crypto::HashType;
pub use crate::pipeline::error::DownloadError;

use crate::crypto::Hasher;
use crate::features::dynamic::DynamicRequest;
use crate::pipeline::client::Client;
use crate::pipeline::endpoint::{Endpoint, TargetWriter};
use crate::pipeline::error::{BuildError, Error};
use crate::pipeline::request::{Payload, Prepared, Route};
use crate::pipeline::response::StreamedResponse;
use crate::pipeline::stream::{Sink, Source};

/// The gzip magic bytes.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The response to a bill request: where the file is and its digest.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillFile {
    /// `SHA1` or `SHA256`.
    pub hash_type: String,
    /// The digest of the bill, in hex (of the decompressed bill for a gzip file).
    pub hash_value: String,
    /// Where to fetch the file; valid for a few minutes.
    pub download_url: String,
}

impl fmt::Debug for BillFile {
    /// The `download_url` is shown without its query, which carries the download token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match self.download_url.split_once('?') {
            Some((base, _)) => format!("{base}?…"),
            None => self.download_url.clone(),
        };
        f.debug_struct("BillFile")
            .field("hash_type", &self.hash_type)
            .field("hash_value", &self.hash_value)
            .field("download_url", &url)
            .finish()
    }
}

/// A bill written out and verified.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Downloaded {
    /// Bytes written: the bill, decompressed.
    pub written: u64,
    /// Bytes received: smaller than `written` for a gzip file.
    pub received: u64,
    /// Whether the file came gzip-compressed.
    pub gzip: bool,
    /// The digest algorithm.
    pub hash_type: HashType,
    /// The digest, lower-case hex; it matched the announced one.
    pub hash_value: String,
    /// The file response's `Request-ID`, when it had one.
    pub request_id: Option<String>,
    /// Tries made to fetch the file.
    pub tries: u32,
}

fn response_error(field: &'static str, problem: String) -> Error {
    Error::Download { source: DownloadError::Response { field, problem }, written: 0, request_id: None, tries: 0 }
}

/// `GET v3/bill/tradebill`: the trade bill of one day.
///
/// ```
/// use wechat_endpoint::bill::TradeBill;
/// let request = TradeBill::new("2024-05-01").bill_type("SUCCESS").gzip();
/// assert_eq!(request.bill_type.as_deref(), Some("SUCCESS"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TradeBill {
    /// `YYYY-MM-DD`.
    pub bill_date: String,
    /// `ALL` (the gateway's default), `SUCCESS` or `REFUND`.
    pub bill_type: Option<String>,
    /// For a service provider: the sub-merchant whose bill it is.
    pub sub_mchid: Option<String>,
    /// Ask for a gzip file (`tar_type=GZIP`).
    pub gzip: bool,
}

impl TradeBill {
    /// The trade bill of `bill_date` (`YYYY-MM-DD`).
    pub fn new(bill_date: impl Into<String>) -> Self {
        TradeBill { bill_date: bill_date.into(), bill_type: None, sub_mchid: None, gzip: false }
    }

    /// Sets `bill_type`.
    pub fn bill_type(mut self, bill_type: impl Into<String>) -> Self {
        self.bill_type = Some(bill_type.into());
        self
    }

    /// Sets `sub_mchid`.
    pub fn sub_mchid(mut self, sub_mchid: impl Into<String>) -> Self {
        self.sub_mchid = Some(sub_mchid.into());
        self
    }

    /// Asks for a gzip file.
    pub fn gzip(mut self) -> Self {
        self.gzip = true;
        self
    }
}

impl Endpoint for TradeBill {
    type Response = BillFile;
    const METHOD: Method = Method::GET;
    const PATH_TEMPLATE: &'static str = "v3/bill/tradebill";

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        #[derive(Serialize)]
        struct Query<'a> {
            bill_date: &'a str,
            sub_mchid: Option<&'a str>,
            bill_type: Option<&'a str>,
            tar_type: Option<&'a str>,
        }
        target.push_path("v3/bill/tradebill");
        target.push_query(&Query {
            bill_date: &self.bill_date,
            sub_mchid: self.sub_mchid.as_deref(),
            bill_type: self.bill_type.as_deref(),
            tar_type: self.gzip.then_some("GZIP"),
        })
    }
}

/// `GET v3/bill/fundflowbill`: the fund flow bill of one day.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FundFlowBill {
    /// `YYYY-MM-DD`.
    pub bill_date: String,
    /// `BASIC` (the gateway's default), `OPERATION` or `FEES`.
    pub account_type: Option<String>,
    /// Ask for a gzip file (`tar_type=GZIP`).
    pub gzip: bool,
}

impl FundFlowBill {
    /// The fund flow bill of `bill_date` (`YYYY-MM-DD`).
    pub fn new(bill_date: impl Into<String>) -> Self {
        FundFlowBill { bill_date: bill_date.into(), account_type: None, gzip: false }
    }

    /// Sets `account_type`.
    pub fn account_type(mut self, account_type: impl Into<String>) -> Self {
        self.account_type = Some(account_type.into());
        self
    }

    /// Asks for a gzip file.
    pub fn gzip(mut self) -> Self {
        self.gzip = true;
        self
    }
}

impl Endpoint for FundFlowBill {
    type Response = BillFile;
    const METHOD: Method = Method::GET;
    const PATH_TEMPLATE: &'static str = "v3/bill/fundflowbill";

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        #[derive(Serialize)]
        struct Query<'a> {
            bill_date: &'a str,
            account_type: Option<&'a str>,
            tar_type: Option<&'a str>,
        }
        target.push_path("v3/bill/fundflowbill");
        target.push_query(&Query {
            bill_date: &self.bill_date,
            account_type: self.account_type.as_deref(),
            tar_type: self.gzip.then_some("GZIP"),
        })
    }
}

impl Client {
    /// Asks for a bill with `request` and streams its file into `out`, decompressing a
    /// gzip file and checking the announced hash; returns what was written.
    ///
    /// On [`Error::Download`] the bytes already written to `out` (its `written`) are not
    /// a verified bill: discard them. [`download_to_path`](Self::download_to_path) does
    /// that for you.
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
    pub async fn download_file<W>(&self, file: &BillFile, out: &mut W) -> Result<Downloaded, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let wanted = Wanted::check(file, &self.stream_limits().sources)?;
        let mut sink = BillSink::new(&wanted, self.stream_limits().max_bytes, out);
        let streamed = self.fetch(&wanted, &mut sink).await?;
        Ok(sink.downloaded(streamed))
    }

    /// The second step alone, to a path; see [`download_to_path`](Self::download_to_path).
    pub async fn download_file_to_path(&self, file: &BillFile, path: impl AsRef<Path>) -> Result<Downloaded, Error> {
        Destination::create(path.as_ref())?.fill(self, file).await
    }

    /// Streams the file `wanted` names into `sink`: a signed `GET`, its response streamed
    /// and unverified, retried and timed as the client's pipeline does.
    async fn fetch<S: Sink>(&self, wanted: &Wanted, sink: &mut S) -> Result<StreamedResponse, Error> {
        let url = &wanted.url;
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
}

/// A bill response checked: the digest its file must have, and where the file is.
struct Wanted {
    hash_type: HashType,
    /// Lower-case hex.
    expected: String,
    url: reqwest::Url,
}

impl Wanted {
    /// Checks `file`'s digest and URL; the URL must be under one of `sources`.
    fn check(file: &BillFile, sources: &[Source]) -> Result<Self, Error> {
        let hash_type = HashType::parse(&file.hash_type)
            .ok_or_else(|| response_error("hash_type", format!("`{}` is neither SHA1 nor SHA256", file.hash_type)))?;
        let expected = file.hash_value.trim().to_ascii_lowercase();
        if expected.len() != hash_type.hex_len() || !expected.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(response_error(
                "hash_value",
                format!("is not {} hex digits of {hash_type}", hash_type.hex_len()),
            ));
        }
        let url = download_url(&file.download_url, sources)?;
        Ok(Wanted { hash_type, expected, url })
    }
}

/// A bill file on its way to `out`: unpacked, hashed and written chunk by chunk, and
/// its digest checked at the end.
struct BillSink<W> {
    unpack: Unpack,
    out: W,
    hash_type: HashType,
    expected: String,
}

impl<W: AsyncWrite + Unpin> BillSink<W> {
    fn new(wanted: &Wanted, limit: u64, out: W) -> Self {
        BillSink {
            unpack: Unpack::new(wanted.hash_type, limit),
            out,
            hash_type: wanted.hash_type,
            expected: wanted.expected.clone(),
        }
    }

    /// What was written, once the sink finished.
    fn downloaded(self, streamed: StreamedResponse) -> Downloaded {
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
        let actual = std::mem::replace(&mut self.unpack.hasher, Hasher::new(self.hash_type)).finish_hex();
        if actual != self.expected {
            let written = self.unpack.written;
            return Err(DownloadError::HashMismatch {
                hash_type: self.hash_type,
                expected: self.expected.clone(),
                actual,
                written,
            });
        }
        Ok(())
    }

    fn written(&self) -> u64 {
        self.unpack.written
    }
}

/// `scheme://host[:port]` of `url`, port only when not the scheme's default; also for
/// schemes whose origin the URL standard leaves opaque (`ftp:`, `file:`).
fn origin_text(url: &reqwest::Url) -> String {
    let mut text = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        text.push_str(&format!(":{port}"));
    }
    text
}

/// Parses a `download_url` and checks it is under one of `sources`: same scheme, host
/// and port, and a path under the source's path.
fn download_url(text: &str, sources: &[Source]) -> Result<reqwest::Url, Error> {
    let url = reqwest::Url::parse(text).map_err(|e| response_error("download_url", format!("is not a URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(response_error(
            "download_url",
            format!("carries credentials ahead of its host `{}`", url.host_str().unwrap_or_default()),
        ));
    }
    let origin = url.origin();
    let source = sources.iter().find(|source| origin.is_tuple() && origin.ascii_serialization() == source.origin);
    let Some(source) = source else {
        let error = DownloadError::UnconfiguredOrigin { origin: origin_text(&url) };
        return Err(Error::Download { source: error, written: 0, request_id: None, tries: 0 });
    };
    if !url.path().starts_with(&source.path) {
        return Err(response_error("download_url", format!("has a path outside the base path `{}`", source.path)));
    }
    Ok(url)
}

/// Turns the file's bytes into the bill: recognises gzip by its magic bytes, inflates it
/// in bounded steps, hashes and writes what comes out.
struct Unpack {
    state: UnpackState,
    hasher: Hasher,
    written: u64,
    received: u64,
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
    fn new(hash_type: HashType, limit: u64) -> Self {
        Unpack {
            state: UnpackState::Sniffing(Vec::with_capacity(GZIP_MAGIC.len())),
            hasher: Hasher::new(hash_type),
            written: 0,
            received: 0,
            limit,
        }
    }

    fn is_gzip(&self) -> bool {
        matches!(self.state, UnpackState::Gzip(_))
    }

    async fn push<W: AsyncWrite + Unpin + ?Sized>(&mut self, chunk: &[u8], out: &mut W) -> Result<(), DownloadError> {
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

    async fn finish<W: AsyncWrite + Unpin + ?Sized>(&mut self, out: &mut W) -> Result<(), DownloadError> {
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

/// A path to fill through a temporary file beside it.
struct Destination {
    path: PathBuf,
    file: tokio::fs::File,
    temp: tempfile::TempPath,
}

impl Destination {
    fn create(path: &Path) -> Result<Self, Error> {
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
    async fn fill(self, client: &Client, bill: &BillFile) -> Result<Downloaded, Error> {
        let wanted = Wanted::check(bill, &client.stream_limits().sources)?;
        let Destination { path, file, temp } = self;
        let mut sink =
            PathSink { bill: BillSink::new(&wanted, client.stream_limits().max_bytes, file), temp: Some(temp), path };
        let streamed = client.fetch(&wanted, &mut sink).await?;
        Ok(sink.bill.downloaded(streamed))
    }
}

/// A bill on its way to a path: written to a temporary file beside it, which is moved
/// into place once verified. The path receives nothing before, so nothing counts as
/// written to it; the temporary file goes when the sink is dropped unfinished.
struct PathSink {
    bill: BillSink<tokio::fs::File>,
    temp: Option<tempfile::TempPath>,
    path: PathBuf,
}

impl PathSink {
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

impl DynamicRequest<'_> {
    /// Sends this bill request and streams the file its response names into `out`; see
    /// [`Client::download`].
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
    pub async fn download_to_path(self, path: impl AsRef<Path>) -> Result<Downloaded, Error> {
        let client = self.client;
        let destination = Destination::create(path.as_ref())?;
        let file: BillFile = self.send_as().await?;
        destination.fill(client, &file).await
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

#[cfg(test)]
mod tests {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use flate2::Compression;
    use flate2::write::GzEncoder;
    use sha2::Digest as _;

    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    /// Feeds `file` in `step`-byte chunks; returns what came out and whether it was gzip.
    async fn unpack(file: &[u8], step: usize) -> Result<(Vec<u8>, bool, String), DownloadError> {
        let mut unpack = Unpack::new(HashType::Sha256, u64::MAX);
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
        let mut unpack = Unpack::new(HashType::Sha1, u64::MAX);
        let mut out = Largest(0, 0);
        unpack.push(&packed, &mut out).await.unwrap();
        unpack.finish(&mut out).await.unwrap();
        assert_eq!(out.1, 64 * 1024 * 1024);
        assert!(out.0 <= 256 * 1024, "a single write of {} bytes", out.0);
    }

    fn sources(urls: &[&str]) -> Vec<Source> {
        urls.iter().map(|url| Source::new(&url::Url::parse(url).unwrap())).collect()
    }

    fn refused_origin(url: &str, sources: &[Source]) -> String {
        match download_url(url, sources) {
            Err(Error::Download { source: DownloadError::UnconfiguredOrigin { origin }, written: 0, .. }) => origin,
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn download_urls_are_accepted_only_under_the_configured_base_urls() {
        let gateway = sources(&["https://api.mch.weixin.qq.com/", "https://api2.wechatpay.cn/"]);
        for good in [
            "https://api.mch.weixin.qq.com/v3/billdownload/file?token=x",
            "https://api2.wechatpay.cn/v3/billdownload/file?token=x",
            // The same host and port, as the URL standard normalises them.
            "https://API.Mch.Weixin.QQ.com/v3/billdownload/file?token=x",
            "https://api.mch.weixin.qq.com:443/v3/billdownload/file?token=x",
            "HTTPS://api.mch.weixin.qq.com/v3/billdownload/file?token=x",
        ] {
            assert!(download_url(good, &gateway).is_ok(), "{good}");
        }
        for (bad, origin) in [
            ("https://evil.example/v3/billdownload/file?token=x", "https://evil.example"),
            (
                "https://api.mch.weixin.qq.com.evil.example/v3/billdownload/file",
                "https://api.mch.weixin.qq.com.evil.example",
            ),
            ("https://api.mch.weixin.qq.com./v3/billdownload/file", "https://api.mch.weixin.qq.com."),
            // Another port, another scheme.
            ("https://api.mch.weixin.qq.com:8443/v3/billdownload/file", "https://api.mch.weixin.qq.com:8443"),
            ("http://api.mch.weixin.qq.com/v3/billdownload/file", "http://api.mch.weixin.qq.com"),
            ("ftp://api.mch.weixin.qq.com/v3/billdownload/file", "ftp://api.mch.weixin.qq.com"),
            ("wss://api.mch.weixin.qq.com/v3/billdownload/file", "wss://api.mch.weixin.qq.com"),
            // Look-alike hosts: a Cyrillic `а`, an IP address, loopback in any build.
            ("https://\u{430}pi.mch.weixin.qq.com/v3/billdownload/file", "https://xn--pi-6kc.mch.weixin.qq.com"),
            ("https://203.0.113.9/v3/billdownload/file", "https://203.0.113.9"),
            ("http://127.0.0.1:8080/v3/billdownload/file?token=x", "http://127.0.0.1:8080"),
            ("http://localhost/x", "http://localhost"),
        ] {
            assert_eq!(refused_origin(bad, &gateway), origin);
        }

        // Credentials ahead of the host are refused wherever the host is, and not shown.
        for bad in [
            "https://api.mch.weixin.qq.com@evil.example/v3/billdownload/file",
            "https://user:SECRET@api.mch.weixin.qq.com/v3/billdownload/file",
        ] {
            let error = download_url(bad, &gateway).unwrap_err();
            let text = crate::pipeline::error::chain(&error);
            assert!(
                matches!(&error, Error::Download { source: DownloadError::Response { field: "download_url", .. }, .. }),
                "{error:?}"
            );
            assert!(text.contains("credentials"), "{text}");
            assert!(!text.contains("SECRET") && !text.contains("api.mch.weixin.qq.com@"), "{text}");
        }

        // Loopback http only for a client configured for that very origin.
        let sandbox = sources(&["http://127.0.0.1:8080/"]);
        assert!(download_url("http://127.0.0.1:8080/v3/billdownload/file?token=x", &sandbox).is_ok());
        assert_eq!(refused_origin("http://127.0.0.1:8081/v3/billdownload/file", &sandbox), "http://127.0.0.1:8081");
        assert_eq!(refused_origin("http://localhost:8080/v3/billdownload/file", &sandbox), "http://localhost:8080");
        assert_eq!(refused_origin("https://127.0.0.1:8080/v3/billdownload/file", &sandbox), "https://127.0.0.1:8080");
        assert_eq!(
            refused_origin("https://api.mch.weixin.qq.com/v3/billdownload/file", &sandbox),
            "https://api.mch.weixin.qq.com"
        );

        // A base path is a prefix the path must stay under, dot segments resolved first.
        let proxied = sources(&["https://proxy.example/wechatpay"]);
        assert!(download_url("https://proxy.example/wechatpay/v3/billdownload/file", &proxied).is_ok());
        for bad in [
            "https://proxy.example/v3/billdownload/file",
            "https://proxy.example/wechatpay-other/v3/billdownload/file",
            "https://proxy.example/wechatpay/../v3/billdownload/file",
            "https://proxy.example/wechatpay/%2e%2e/v3/billdownload/file",
        ] {
            let error = download_url(bad, &proxied).unwrap_err();
            assert!(error.to_string().contains("nothing was written"), "{error}");
            assert!(
                crate::pipeline::error::chain(&error).contains("outside the base path `/wechatpay/`"),
                "{bad}: {error:?}"
            );
        }

        for bad in ["not a url", "", "/v3/billdownload/file"] {
            let error = download_url(bad, &gateway).unwrap_err();
            assert!(
                matches!(&error, Error::Download { source: DownloadError::Response { field: "download_url", .. }, .. }),
                "{error:?}"
            );
        }
    }

    #[tokio::test]
    async fn nothing_past_the_limit_is_received_or_written() {
        let bill = vec![b'a'; 100_000];
        let packed = gzip(&bill);
        for (file, limit, exact) in [(&bill, 100_000, true), (&packed, 100_000, true), (&bill, 99_999, false)] {
            let mut unpack = Unpack::new(HashType::Sha1, limit);
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
        let mut unpack = Unpack::new(HashType::Sha1, 50_000);
        let mut out = Vec::new();
        let error = unpack.push(&packed, &mut out).await.unwrap_err();
        assert!(matches!(error, DownloadError::BillTooLarge { limit: 50_000 }), "{error:?}");
        assert!(out.len() <= 50_000);
        // A file received past the limit stops there, whatever it would inflate to.
        let mut unpack = Unpack::new(HashType::Sha1, 10);
        let error = unpack.push(&packed, &mut Vec::new()).await.unwrap_err();
        assert!(matches!(error, DownloadError::FileTooLarge { limit: 10 }), "{error:?}");
    }

    #[test]
    fn debug_hides_the_download_token() {
        let file = BillFile {
            hash_type: "SHA1".into(),
            hash_value: "0".repeat(40),
            download_url: "https://api.mch.weixin.qq.com/v3/billdownload/file?token=SECRET".into(),
        };
        assert!(!format!("{file:?}").contains("SECRET"));
    }
}
