//! Bill download against the sandbox over loopback: plain and gzip files, both hash
//! types, to a writer and to a path, and every way a download can go wrong.

use std::path::Path;

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
async fn an_unusable_bill_answer_is_refused_before_the_file_is_asked_for() {
    let (sandbox, client) = started(SandboxBill::default());
    let good = client.send(&TradeBill::new("2024-05-01")).await.unwrap();
    let cases = [
        (BillFile { hash_type: "MD5".into(), ..good.clone() }, "hash_type"),
        (BillFile { hash_value: "abc".into(), ..good.clone() }, "hash_value"),
        (
            BillFile { download_url: "http://example.com/v3/billdownload/file?token=x".into(), ..good.clone() },
            "download_url",
        ),
        (BillFile { download_url: "no url".into(), ..good.clone() }, "download_url"),
    ];
    for (file, field) in cases {
        let error = client.download_file(&file, &mut Vec::new()).await.unwrap_err();
        assert!(
            matches!(&error, Error::Download { source: DownloadError::Answer { field: f, .. }, written: 0, .. } if *f == field),
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
async fn the_dynamic_form_downloads_any_endpoint_answering_a_bill_file() {
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
