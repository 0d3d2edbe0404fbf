//! Bills: `v3/bill/tradebill` and `v3/bill/fundflowbill` describe a generated bill of
//! configurable size, and `v3/billdownload/file` streams it, plain or gzip, generating
//! it as it goes so that a bill of any size costs no memory.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::future::Future as _;
use std::io::Write as _;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;
use http::header::HOST;
use http::{Method, StatusCode};
use http_body_util::BodyExt as _;
use hyper::body::{Body, Frame, SizeHint};
use serde_json::json;
use sha2::Digest as _;

use super::lock;
use super::routes::{Reply, Route, Router, SandboxRequest, SandboxResponse};
use crate::crypto::signing::nonce;
use crate::features::bill::{AccountType, BillType, HashType};

/// Where bill files are served.
const FILE_PATH: &str = "/v3/billdownload/file";
/// Plain bill bytes generated per frame.
const CHUNK: usize = 64 * 1024;
/// Download tokens kept; older ones are forgotten past this.
const MAX_TOKENS: usize = 10_000;

/// The bill the sandbox serves, set with [`Sandbox::serve_bill`](super::Sandbox::serve_bill).
///
/// Its text is generated: a trade-bill header line, then rows of fixed-width fields, cut
/// at `size` bytes. A request with `tar_type=GZIP` gets it gzip-compressed; the announced
/// hash is always that of the plain bill, as the gateway's is.
///
/// ```
/// use wechat_endpoint::sandbox::SandboxBill;
/// let bill = SandboxBill::of_size(1 << 20).sha256().corrupted();
/// assert_eq!(bill.contents().len(), 1 << 20);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SandboxBill {
    /// The plain bill's size in bytes.
    pub size: u64,
    /// The announced digest's algorithm. A name the client does not know
    /// ([`HashType::Other`]) is announced as given, with a SHA-256 digest.
    pub hash_type: HashType,
    /// Serve a file whose middle byte differs from the bill the hash was computed over.
    pub corrupt: bool,
    /// Break the connection after this many bytes of the file (as sent, compressed or
    /// not).
    pub cut_after: Option<u64>,
}

impl Default for SandboxBill {
    /// A 16 KiB bill with a SHA1 digest, the gateway's usual.
    fn default() -> Self {
        SandboxBill::of_size(16 * 1024)
    }
}

impl SandboxBill {
    /// A bill of `size` bytes with a SHA1 digest.
    pub fn of_size(size: u64) -> Self {
        SandboxBill { size, hash_type: HashType::Sha1, corrupt: false, cut_after: None }
    }

    /// Announces a SHA256 digest instead of SHA1.
    pub fn sha256(mut self) -> Self {
        self.hash_type = HashType::Sha256;
        self
    }

    /// Serves a file that differs by one byte from the bill the hash was computed over.
    pub fn corrupted(mut self) -> Self {
        self.corrupt = true;
        self
    }

    /// Breaks the connection after `bytes` bytes of the file.
    pub fn cut_after(mut self, bytes: u64) -> Self {
        self.cut_after = Some(bytes);
        self
    }

    /// The plain bill, uncorrupted, as the announced hash covers it; held in memory, so
    /// for small bills.
    pub fn contents(&self) -> Vec<u8> {
        let mut text = BillText::new(self.size, None);
        let mut all = Vec::with_capacity(usize::try_from(self.size).unwrap_or(0));
        while let Some(chunk) = text.next_chunk(CHUNK) {
            all.extend_from_slice(&chunk);
        }
        all
    }

    /// The announced digest, in hex: computed over the whole bill, so a moment for a
    /// large one.
    fn digest(&self) -> String {
        let mut text = BillText::new(self.size, None);
        let mut sha1 = sha1::Sha1::new();
        let mut sha256 = sha2::Sha256::new();
        while let Some(chunk) = text.next_chunk(CHUNK) {
            match self.hash_type {
                HashType::Sha1 => sha1.update(&chunk),
                _ => sha256.update(&chunk),
            }
        }
        match self.hash_type {
            HashType::Sha1 => crate::crypto::hex(&sha1.finalize()),
            _ => crate::crypto::hex(&sha256.finalize()),
        }
    }
}

/// The bill being served and the download tokens handed out.
pub(crate) struct Bills {
    current: Mutex<(SandboxBill, String)>,
    issued: Mutex<HashMap<String, Issued>>,
}

#[derive(Clone)]
struct Issued {
    bill: SandboxBill,
    gzip: bool,
}

impl Bills {
    pub(crate) fn new() -> Self {
        let bill = SandboxBill::default();
        let digest = bill.digest();
        Bills { current: Mutex::new((bill, digest)), issued: Mutex::default() }
    }

    /// Serves `bill` from the next bill request on.
    pub(crate) fn set(&self, bill: SandboxBill) {
        let digest = bill.digest();
        *lock(&self.current) = (bill, digest);
    }
}

pub(crate) fn register(router: &mut Router, bills: &Arc<Bills>) {
    let b = bills.clone();
    router.add(Route::serving(Method::GET, &FILE_PATH[1..], Arc::new(move |req| serve_file(&b, req))));
    let b = bills.clone();
    let bill_types: Vec<&str> = BillType::KNOWN.iter().map(BillType::as_str).collect();
    router.add(Route::new(
        Method::GET,
        "v3/bill/tradebill",
        Arc::new(move |req| describe(&b, req, "bill_type", &bill_types)),
    ));
    let b = bills.clone();
    let account_types: Vec<&str> = AccountType::KNOWN.iter().map(AccountType::as_str).collect();
    router.add(Route::new(
        Method::GET,
        "v3/bill/fundflowbill",
        Arc::new(move |req| describe(&b, req, "account_type", &account_types)),
    ));
}

fn param_error(message: impl Into<String>) -> SandboxResponse {
    SandboxResponse::error(StatusCode::BAD_REQUEST, "PARAM_ERROR", message)
}

/// Responds to a bill request: the digest and a download URL on this sandbox.
fn describe(bills: &Bills, req: &SandboxRequest, kind: &str, kinds: &[&str]) -> SandboxResponse {
    let Some(date) = req.query_value("bill_date") else {
        return param_error("bill_date is required in the query");
    };
    let is_date = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if !is_date {
        return param_error(format!("bill_date `{date}` is not YYYY-MM-DD"));
    }
    if let Some(value) = req.query_value(kind)
        && !kinds.contains(&value)
    {
        return param_error(format!("{kind} `{value}` is not one of {}", kinds.join(", ")));
    }
    let gzip = match req.query_value("tar_type") {
        None => false,
        Some("GZIP") => true,
        Some(other) => return param_error(format!("tar_type `{other}` is not GZIP")),
    };
    let Some(host) = req.headers.get(HOST).and_then(|h| h.to_str().ok()) else {
        return param_error("the request has no Host header");
    };
    let (bill, digest) = lock(&bills.current).clone();
    let token = nonce();
    {
        let mut issued = lock(&bills.issued);
        if issued.len() >= MAX_TOKENS {
            issued.clear();
        }
        issued.insert(token.clone(), Issued { bill: bill.clone(), gzip });
    }
    SandboxResponse::ok(json!({
        "hash_type": bill.hash_type.as_str(),
        "hash_value": digest,
        "download_url": format!("http://{host}{FILE_PATH}?token={token}"),
    }))
}

/// Streams the file a download token names (`GET v3/billdownload/file?token=…`), once
/// the request passed the gateway's checks like any other.
fn serve_file(bills: &Bills, req: &SandboxRequest) -> Reply {
    let token = req.query_value("token").unwrap_or_default();
    let Some(issued) = lock(&bills.issued).get(token).cloned() else {
        return Reply::Signed(SandboxResponse::error(
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_EXISTS",
            "the download token is unknown",
        ));
    };
    let body = FileBody::new(&issued.bill, issued.gzip).map_err(|cut| Box::new(cut) as _).boxed_unsync();
    let content_type = if issued.gzip { "application/x-gzip" } else { "application/octet-stream" };
    Reply::File { content_type, body }
}

/// The error a file body ends with when told to break the connection.
#[derive(Debug)]
struct CutOnPurpose;

impl std::fmt::Display for CutOnPurpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("bill file cut short by the sandbox")
    }
}

impl std::error::Error for CutOnPurpose {}

/// A bill file, generated frame by frame and compressed on the way when asked.
struct FileBody {
    text: BillText,
    encoder: Option<GzEncoder<Vec<u8>>>,
    sent: u64,
    cut_after: Option<u64>,
    /// A pause before the cut, so that what was sent leaves the server first.
    cutting: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl FileBody {
    fn new(bill: &SandboxBill, gzip: bool) -> Self {
        let corrupt_at = (bill.corrupt && bill.size > 0).then_some(bill.size / 2);
        FileBody {
            text: BillText::new(bill.size, corrupt_at),
            encoder: gzip.then(|| GzEncoder::new(Vec::with_capacity(CHUNK), Compression::fast())),
            sent: 0,
            cut_after: bill.cut_after,
            cutting: None,
        }
    }
}

impl Body for FileBody {
    type Data = Bytes;
    type Error = CutOnPurpose;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, CutOnPurpose>>> {
        let this = self.get_mut();
        loop {
            if this.cut_after.is_some_and(|limit| this.sent >= limit) {
                let pause = this
                    .cutting
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(std::time::Duration::from_millis(50))));
                return pause.as_mut().poll(cx).map(|()| Some(Err(CutOnPurpose)));
            }
            let mut data = match this.text.next_chunk(CHUNK) {
                Some(plain) => match &mut this.encoder {
                    None => plain,
                    Some(encoder) => {
                        // Writing to a Vec cannot fail.
                        let _ = encoder.write_all(&plain);
                        std::mem::take(encoder.get_mut())
                    }
                },
                None => match this.encoder.take() {
                    Some(encoder) => encoder.finish().unwrap_or_default(),
                    None => return Poll::Ready(None),
                },
            };
            if let Some(limit) = this.cut_after {
                data.truncate(usize::try_from(limit - this.sent).unwrap_or(usize::MAX));
            }
            if data.is_empty() {
                continue;
            }
            this.sent += data.len() as u64;
            return Poll::Ready(Some(Ok(Frame::data(Bytes::from(data)))));
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self.encoder {
            None => SizeHint::with_exact(self.text.size - self.text.produced),
            Some(_) => SizeHint::default(),
        }
    }
}

/// The bill's text: a header line, then fixed-width rows, cut at `size` bytes.
struct BillText {
    size: u64,
    produced: u64,
    row: u64,
    line: String,
    /// How much of `line` was already handed out.
    line_at: usize,
    corrupt_at: Option<u64>,
}

const HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r\n";

impl BillText {
    fn new(size: u64, corrupt_at: Option<u64>) -> Self {
        BillText { size, produced: 0, row: 0, line: String::new(), line_at: 0, corrupt_at }
    }

    fn next_line(&mut self) {
        self.line.clear();
        self.line_at = 0;
        let row = self.row;
        self.row += 1;
        if row == 0 {
            self.line.push_str(HEADER);
            return;
        }
        let seconds = row % 86_400;
        let cents = row * 7919 % 100_000;
        let _ = write!(
            self.line,
            "`2024-05-01 {:02}:{:02}:{:02},`wx2421b1c4370ec43b,`{},`0,`,`4200000{:021},`SANDBOX{:025},`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`SUCCESS,`OTHERS,`CNY,`{}.{:02},`0.00,`0,`0,`0.00,`0.00,`,`,`sandbox goods,`,`0.00000,`0.60%,`{}.{:02},`0.00,`\r\n",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60,
            super::MCHID,
            row,
            row,
            cents / 100,
            cents % 100,
            cents / 100,
            cents % 100,
        );
    }

    /// Up to `max` more bytes, `None` at the end.
    fn next_chunk(&mut self, max: usize) -> Option<Vec<u8>> {
        let left = self.size - self.produced;
        if left == 0 {
            return None;
        }
        let want = usize::try_from(left).unwrap_or(usize::MAX).min(max);
        let mut out = Vec::with_capacity(want);
        while out.len() < want {
            if self.line_at == self.line.len() {
                self.next_line();
            }
            let rest = &self.line.as_bytes()[self.line_at..];
            let take = rest.len().min(want - out.len());
            out.extend_from_slice(&rest[..take]);
            self.line_at += take;
        }
        if let Some(at) = self.corrupt_at
            && (self.produced..self.produced + out.len() as u64).contains(&at)
        {
            out[(at - self.produced) as usize] ^= 0x01;
        }
        self.produced += out.len() as u64;
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_has_exactly_the_size_asked_in_any_chunking() {
        let whole = SandboxBill::of_size(100_000).contents();
        assert_eq!(whole.len(), 100_000);
        assert!(whole.starts_with(HEADER.as_bytes()));
        for max in [1, 7, 1000] {
            let mut text = BillText::new(100_000, None);
            let mut again = Vec::new();
            while let Some(chunk) = text.next_chunk(max) {
                assert!(chunk.len() <= max);
                again.extend_from_slice(&chunk);
            }
            assert_eq!(again, whole);
        }
    }

    #[test]
    fn corruption_changes_one_byte() {
        let whole = SandboxBill::of_size(10_000).contents();
        let mut text = BillText::new(10_000, Some(5_000));
        let mut corrupted = Vec::new();
        while let Some(chunk) = text.next_chunk(999) {
            corrupted.extend_from_slice(&chunk);
        }
        let differing: Vec<usize> = (0..whole.len()).filter(|&i| whole[i] != corrupted[i]).collect();
        assert_eq!(differing, vec![5_000]);
    }
}
