//! Bill download against the sandbox over loopback: plain and gzip files, both hash
//! types, to a writer and to a path, and every way a download can go wrong.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use http::StatusCode;
use wechat_endpoint::bill::{BillFile, DownloadError, FundFlowBill, HashType, TradeBill};
use wechat_endpoint::sandbox::{Fault, Sandbox, SandboxBill};
use wechat_endpoint::{Error, Method, RetryPolicy};

fn started(bill: SandboxBill) -> (Sandbox, wechat_endpoint::Client) {
    let sandbox = Sandbox::start().unwrap();
    sandbox.serve_bill(bill);
    let client = sandbox.client().unwrap();
    (sandbox, client)
}

/// The files in `dir`, by name.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_plain_trade_bill_streams_into_a_writer() {
    let bill = SandboxBill::of_size(3 * 1024 * 1024 + 17);
    let (sandbox, client) = started(bill.clone());
    let mut out = Vec::new();
    let done = client.download(&TradeBill::new("2024-05-01"), &mut out).await.unwrap();
    assert_eq!(out, bill.contents());
    assert_eq!(done.written, bill.size);
    assert_eq!(done.received, bill.size);
    assert!(!done.gzip);
    assert_eq!(done.hash_type, HashType::Sha1);
    assert_eq!(done.hash_value.len(), 40);
    assert_eq!(done.tries, 1);
    assert!(done.request_id.is_some_and(|id| id.starts_with("sandbox-")));

    // Two signed requests: the bill, then its file with a normal Authorization.
    let received = sandbox.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].target, "/v3/bill/tradebill?bill_date=2024-05-01");
    assert!(received[1].target.starts_with("/v3/billdownload/file?token="));
    assert_eq!(received[1].status, StatusCode::OK);
    assert!(received[1].headers.contains_key("authorization"));
}

#[tokio::test]
async fn a_gzip_bill_is_decompressed_and_hashed_as_the_plain_bill() {
    let bill = SandboxBill::of_size(2 * 1024 * 1024).sha256();
    let (sandbox, client) = started(bill.clone());
    let mut out = Vec::new();
    let done = client.download(&TradeBill::new("2024-05-01").bill_type("SUCCESS").gzip(), &mut out).await.unwrap();
    assert!(done.gzip);
    assert_eq!(out, bill.contents());
    assert_eq!(done.written, bill.size);
    assert!(done.received < done.written / 4, "{done:?}");
    assert_eq!(done.hash_type, HashType::Sha256);
    assert_eq!(sandbox.received()[0].target, "/v3/bill/tradebill?bill_date=2024-05-01&bill_type=SUCCESS&tar_type=GZIP");
}

#[tokio::test]
async fn fund_flow_bills_download_too() {
    let bill = SandboxBill::of_size(100_000);
    let (_sandbox, client) = started(bill.clone());
    for request in [FundFlowBill::new("2024-05-01"), FundFlowBill::new("2024-05-01").account_type("OPERATION").gzip()] {
        let mut out = Vec::new();
        client.download(&request, &mut out).await.unwrap();
        assert_eq!(out, bill.contents());
    }
}

#[tokio::test]
async fn a_corrupted_file_is_refused_and_the_caller_told_to_discard_it() {
    for gzip in [false, true] {
        let bill = SandboxBill::of_size(1024 * 1024).corrupted();
        let (_sandbox, client) = started(bill.clone());
        let mut request = TradeBill::new("2024-05-01");
        request.gzip = gzip;
        let mut out = Vec::new();
        let error = client.download(&request, &mut out).await.unwrap_err();
        let Error::Download { source, written, .. } = &error else { panic!("expected Error::Download, got {error:?}") };
        assert_eq!(*written, bill.size);
        assert_eq!(out.len() as u64, bill.size, "everything was written, then refused");
        assert!(matches!(source, DownloadError::HashMismatch { hash_type: HashType::Sha1, .. }));
        let text = error.to_string();
        assert!(text.contains("discard"), "{text}");
        assert!(error.request_id().is_some());
        assert_eq!(error.tries(), 1);
    }
}

#[tokio::test]
async fn a_download_to_a_path_renames_only_a_verified_bill() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tradebill-2024-05-01.csv");
    let bill = SandboxBill::of_size(1024 * 1024 + 3);
    let (sandbox, client) = started(bill.clone());
    let done = client.download_to_path(&TradeBill::new("2024-05-01").gzip(), &path).await.unwrap();
    assert_eq!(done.written, bill.size);
    assert_eq!(std::fs::read(&path).unwrap(), bill.contents());
    assert_eq!(files_in(dir.path()), ["tradebill-2024-05-01.csv"]);

    // A corrupted bill leaves the verified one in place and no temporary file behind.
    sandbox.serve_bill(SandboxBill::of_size(2048).corrupted());
    let error = client.download_to_path(&TradeBill::new("2024-05-01"), &path).await.unwrap_err();
    assert!(
        matches!(error, Error::Download { source: DownloadError::HashMismatch { .. }, written: 0, .. }),
        "{error:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), bill.contents());
    assert_eq!(files_in(dir.path()), ["tradebill-2024-05-01.csv"]);
}

#[tokio::test]
async fn a_path_that_cannot_be_written_fails_before_the_bill_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let (sandbox, client) = started(SandboxBill::default());
    let error = client
        .download_to_path(&TradeBill::new("2024-05-01"), dir.path().join("missing-dir/bill.csv"))
        .await
        .unwrap_err();
    assert!(matches!(&error, Error::Download { source: DownloadError::Destination { .. }, .. }), "{error:?}");
    assert!(error.to_string().contains("nothing was written"), "{error}");
    assert!(sandbox.received().is_empty());
}

#[tokio::test]
async fn a_connection_cut_mid_file_is_a_download_error() {
    for gzip in [false, true] {
        let bill = SandboxBill::of_size(4 * 1024 * 1024).cut_after(20_000);
        let (_sandbox, client) = started(bill);
        let mut request = TradeBill::new("2024-05-01");
        request.gzip = gzip;
        let mut out = Vec::new();
        let error = client.download(&request, &mut out).await.unwrap_err();
        let Error::Download { source, written, .. } = &error else { panic!("expected Error::Download, got {error:?}") };
        assert!(matches!(source, DownloadError::Transfer(_) | DownloadError::Gzip(_)), "{source:?}");
        assert_eq!(*written, out.len() as u64);
        assert!(*written > 0);
    }
}

#[tokio::test]
async fn the_file_request_is_retried_before_anything_is_written() {
    let bill = SandboxBill::of_size(50_000);
    let (sandbox, client) = started(bill.clone());
    let file = client.send(&TradeBill::new("2024-05-01")).await.unwrap();
    sandbox.inject(Fault::ServiceUnavailable);
    let mut out = Vec::new();
    let done = client.download_file(&file, &mut out).await.unwrap();
    assert_eq!(done.tries, 2);
    assert_eq!(out, bill.contents());

    let client = sandbox.client_builder().retry(RetryPolicy::none()).build().unwrap();
    sandbox.inject(Fault::ServerError);
    let error = client.download_file(&file, &mut Vec::new()).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(error.api_code(), Some("SYSTEM_ERROR"));
}

#[tokio::test]
async fn an_unusable_bill_response_is_refused_before_the_file_is_asked_for() {
    let (sandbox, client) = started(SandboxBill::default());
    let good = client.send(&TradeBill::new("2024-05-01")).await.unwrap();
    let cases = [
        (BillFile { hash_type: "MD5".into(), ..good.clone() }, "hash_type"),
        (BillFile { hash_value: "abc".into(), ..good.clone() }, "hash_value"),
        (BillFile { download_url: "no url".into(), ..good.clone() }, "download_url"),
    ];
    for (file, field) in cases {
        let error = client.download_file(&file, &mut Vec::new()).await.unwrap_err();
        assert!(
            matches!(&error, Error::Download { source: DownloadError::Response { field: f, .. }, written: 0, .. } if *f == field),
            "{error:?}"
        );
    }
    assert_eq!(sandbox.received().len(), 1, "only the bill request was sent");

    let unknown = BillFile { download_url: good.download_url.replace("token=", "token=x"), ..good };
    let error = client.download_file(&unknown, &mut Vec::new()).await.unwrap_err();
    assert_eq!(error.api_code(), Some("RESOURCE_NOT_EXISTS"));
}

#[tokio::test]
async fn bad_bill_requests_are_the_gateways_errors() {
    let (_sandbox, client) = started(SandboxBill::default());
    let error = client.download(&TradeBill::new("2024/05/01"), &mut Vec::new()).await.unwrap_err();
    assert_eq!(error.api_code(), Some("PARAM_ERROR"));
}

#[tokio::test]
async fn the_dynamic_form_downloads_any_endpoint_responding_with_a_bill_file() {
    let dir = tempfile::tempdir().unwrap();
    let bill = SandboxBill::of_size(200_000).sha256();
    let (_sandbox, client) = started(bill.clone());
    let mut out = Vec::new();
    let done = client
        .request(Method::GET, "v3/bill/fundflowbill")
        .query(&[("bill_date", "2024-05-01"), ("tar_type", "GZIP")])
        .download(&mut out)
        .await
        .unwrap();
    assert!(done.gzip);
    assert_eq!(out, bill.contents());
    let path = dir.path().join("fund.csv");
    client
        .request(Method::GET, "v3/bill/tradebill")
        .query(&[("bill_date", "2024-05-01")])
        .download_to_path(&path)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), bill.contents());
}

#[test]
fn the_blocking_client_downloads_to_a_writer_and_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start().unwrap();
    let bill = SandboxBill::of_size(500_000);
    sandbox.serve_bill(bill.clone());
    let client = sandbox.blocking_client().unwrap();
    let mut out = Vec::new();
    let done = client.download(&TradeBill::new("2024-05-01").gzip(), &mut out).unwrap();
    assert!(done.gzip);
    assert_eq!(out, bill.contents());
    let path = dir.path().join("bill.csv");
    let mut file = std::fs::File::create(dir.path().join("direct.csv")).unwrap();
    client.download(&TradeBill::new("2024-05-01"), &mut file).unwrap();
    client.download_to_path(&TradeBill::new("2024-05-01"), &path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), bill.contents());
    assert_eq!(std::fs::read(dir.path().join("direct.csv")).unwrap(), bill.contents());
    let mut out = Vec::new();
    client.request(Method::GET, "v3/bill/tradebill").query(&[("bill_date", "2024-05-01")]).download(&mut out).unwrap();
    assert_eq!(out, bill.contents());

    sandbox.serve_bill(SandboxBill::of_size(1000).corrupted());
    let error = client.download_to_path(&TradeBill::new("2024-05-01"), &path).unwrap_err();
    assert!(matches!(error, Error::Download { .. }), "{error:?}");
    assert_eq!(std::fs::read(&path).unwrap(), bill.contents());
}

/// A bill response for a file at `url`, as one read back from storage or built by hand.
fn bill_file(url: String) -> BillFile {
    BillFile { hash_type: "SHA1".into(), hash_value: "0".repeat(40), download_url: url }
}

/// A loopback listener that responds to each connection with `response` on its own thread,
/// once the request head has arrived.
fn serve(response: fn(TcpStream)) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                    head.push(byte[0]);
                }
                response(stream);
            });
        }
    });
    addr
}

/// 128 MiB of zeros in about 130 KB: gzip members of 1 MiB each, one after the other.
fn gzip_bomb() -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&vec![0; 1 << 20]).unwrap();
    encoder.finish().unwrap().repeat(128)
}

#[tokio::test]
async fn download_urls_off_the_configured_hosts_are_refused_before_anything_is_sent() {
    let sandbox = Sandbox::start().unwrap();
    // A listener that accepts nothing: any connection attempt stays in its backlog.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let gateway = sandbox.base_url().trim_start_matches("http://").trim_end_matches('/').to_owned();
    let file = "/v3/billdownload/file?token=SECRET-TOKEN";
    let client = sandbox.client_builder().timeout(Duration::from_secs(2)).build().unwrap();
    let prefixed =
        sandbox.client_builder().base_url(format!("{}prefix/", sandbox.base_url())).timeout(Duration::from_secs(2));
    let prefixed = prefixed.build().unwrap();
    let cases = [
        // Another port, another host name for the same address, another scheme.
        (&client, format!("http://127.0.0.1:{port}{file}"), Some(format!("http://127.0.0.1:{port}"))),
        (&client, format!("http://localhost:{port}{file}"), Some(format!("http://localhost:{port}"))),
        (&client, format!("https://{gateway}{file}"), Some(format!("https://{gateway}"))),
        (&client, format!("https://api.mch.weixin.qq.com{file}"), Some("https://api.mch.weixin.qq.com".into())),
        // The configured host as credentials ahead of another host.
        (&client, format!("http://{gateway}@127.0.0.1:{port}{file}"), None),
        // The configured origin, but outside the base path.
        (&prefixed, format!("http://{gateway}{file}"), None),
    ];
    for (client, url, origin) in cases {
        let error = client.download_file(&bill_file(url.clone()), &mut Vec::new()).await.unwrap_err();
        let text = wechat_endpoint::error_chain(&error);
        assert!(matches!(&error, Error::Download { written: 0, tries: 0, .. }), "{url}: {error:?}");
        assert!(!text.contains("SECRET-TOKEN"), "{text}");
        match origin {
            Some(origin) => {
                assert!(
                    matches!(&error, Error::Download { source: DownloadError::UnconfiguredOrigin { origin: o }, .. } if *o == origin),
                    "{url}: {error:?}"
                );
                assert!(text.contains(&format!("`{origin}`")), "{text}");
            }
            None => assert!(
                matches!(&error, Error::Download { source: DownloadError::Response { field: "download_url", .. }, .. }),
                "{url}: {error:?}"
            ),
        }
    }
    listener.set_nonblocking(true).unwrap();
    let accepted = listener.accept();
    assert!(
        matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the listener was connected to: {accepted:?}"
    );
    assert!(sandbox.received().is_empty(), "{:?}", sandbox.received());
}

#[tokio::test]
async fn a_host_allowed_on_the_builder_is_fetched_from() {
    let addr = serve(|mut stream| {
        let body = b"bill";
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body);
    });
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().allow_bill_download_from(format!("http://{addr}/files/")).build().unwrap();
    let file = BillFile {
        hash_type: "SHA1".into(),
        // `printf bill | sha1sum`
        hash_value: "c692d6a10598e0a801576fdd4ecf3c37e45bfbc4".into(),
        download_url: format!("http://{addr}/files/bill?token=x"),
    };
    let mut out = Vec::new();
    client.download_file(&file, &mut out).await.unwrap();
    assert_eq!(out, b"bill");
    let outside = bill_file(format!("http://{addr}/other/bill?token=x"));
    let error = client.download_file(&outside, &mut Vec::new()).await.unwrap_err();
    assert!(wechat_endpoint::error_chain(&error).contains("outside the base path `/files/`"), "{error:?}");

    for bad in ["http://example.com/", "ftp://127.0.0.1/", "https://user:pw@example.com/"] {
        let error = sandbox.client_builder().allow_bill_download_from(bad).build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{bad}: {error:?}");
        assert!(error.to_string().contains("bill download URL"), "{error}");
    }
}

#[tokio::test]
async fn a_gzip_bomb_stops_at_the_size_limit_and_leaves_the_path_untouched() {
    let addr = serve(|mut stream| {
        let bomb = gzip_bomb();
        let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", bomb.len());
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&bomb);
    });
    let sandbox = Sandbox::start().unwrap();
    let limit = 4 << 20;
    let client = sandbox
        .client_builder()
        .allow_bill_download_from(format!("http://{addr}/"))
        .max_bill_bytes(limit)
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tradebill.csv");
    std::fs::write(&path, "yesterday's verified bill").unwrap();
    let file = bill_file(format!("http://{addr}/v3/billdownload/file?token=x"));

    let error = client.download_file_to_path(&file, &path).await.unwrap_err();
    assert!(
        matches!(&error, Error::Download { source: DownloadError::BillTooLarge { limit: l }, written: 0, .. } if *l == limit),
        "{error:?}"
    );
    assert!(wechat_endpoint::error_chain(&error).contains("4194304-byte limit (`max_bill_bytes`) once decompressed"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "yesterday's verified bill");
    assert_eq!(files_in(dir.path()), ["tradebill.csv"]);

    // To a writer: nothing past the limit is written.
    let mut out = Vec::new();
    let error = client.download_file(&file, &mut out).await.unwrap_err();
    let Error::Download { source: DownloadError::BillTooLarge { .. }, written, .. } = error else {
        panic!("{error:?}")
    };
    assert_eq!(written, out.len() as u64);
    assert!(written <= limit);
}

#[tokio::test]
async fn the_size_limit_holds_for_the_file_received_and_the_bill_written() {
    let limit = 1 << 20;
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().max_bill_bytes(limit).build().unwrap();

    // Exactly at the limit, plain or gzip: accepted.
    let bill = SandboxBill::of_size(limit);
    sandbox.serve_bill(bill.clone());
    for request in [TradeBill::new("2024-05-01"), TradeBill::new("2024-05-01").gzip()] {
        let mut out = Vec::new();
        client.download(&request, &mut out).await.unwrap();
        assert_eq!(out, bill.contents());
    }

    // Past it: a plain file is refused by its Content-Length before anything is read,
    // a gzip file once the bill it inflates to passes the limit.
    sandbox.serve_bill(SandboxBill::of_size(limit + 1));
    let mut out = Vec::new();
    let error = client.download(&TradeBill::new("2024-05-01"), &mut out).await.unwrap_err();
    assert!(
        matches!(&error, Error::Download { source: DownloadError::FileTooLarge { limit: l }, written: 0, .. } if *l == limit),
        "{error:?}"
    );
    assert!(out.is_empty());
    assert!(wechat_endpoint::error_chain(&error).contains("larger than the 1048576-byte limit (`max_bill_bytes`)"));
    let error = client.download(&TradeBill::new("2024-05-01").gzip(), &mut out).await.unwrap_err();
    let Error::Download { source: DownloadError::BillTooLarge { .. }, written, .. } = error else {
        panic!("{error:?}")
    };
    assert_eq!(written, out.len() as u64);
    assert!(written <= limit);

    let error = sandbox.client_builder().max_bill_bytes(0).build().unwrap_err();
    assert!(error.to_string().contains("bill size limit"), "{error}");
}

#[tokio::test]
async fn a_slow_drip_stops_at_the_download_deadline() {
    // One byte every 100 ms: never idle for the client's timeout, never done.
    let addr = serve(|mut stream| {
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n";
        let _ = stream.write_all(head.as_bytes());
        for _ in 0..600 {
            if stream.write_all(b"a").and_then(|()| stream.flush()).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let sandbox = Sandbox::start().unwrap();
    let deadline = Duration::from_secs(1);
    let client = sandbox
        .client_builder()
        .base_url(format!("http://{addr}/"))
        .timeout(Duration::from_secs(5))
        .bill_deadline(deadline)
        .build()
        .unwrap();
    let started = Instant::now();
    let mut out = Vec::new();
    let error = client
        .download_file(&bill_file(format!("http://{addr}/v3/billdownload/file?token=x")), &mut out)
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    let Error::Download { source: DownloadError::Deadline(d), written, .. } = &error else { panic!("{error:?}") };
    assert_eq!(*d, deadline);
    assert_eq!(*written, out.len() as u64);
    assert!(*written > 0, "some bytes dripped in before the deadline");
    assert!(wechat_endpoint::error_chain(&error).contains("within its 1s deadline (`bill_deadline`)"), "{error}");
    // The deadline is the feature: a generous bound, far below the drip's minute.
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");

    let error = sandbox.client_builder().bill_deadline(Duration::ZERO).build().unwrap_err();
    assert!(error.to_string().contains("bill deadline"), "{error}");
}
