//! Every typed endpoint of `wechat_endpoint::apis` called against the sandbox with a
//! minimal valid request (the calls are generated, in `apis_every_operation/calls.rs`),
//! its response decoded into the generated response type.
//!
//! The three operations whose response is a file are fetched instead: their typed request
//! writes the file's URL, which `download_file` fetches and checks.
#![cfg(feature = "apis")]

use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest as _, Sha256};
use wechat_endpoint::bill::BillFile;
use wechat_endpoint::catalog::{OPERATIONS, ResponseBody};
use wechat_endpoint::media::MediaFile;
use wechat_endpoint::sandbox::{CATALOG_FILE, KeyMode, Sandbox};
use wechat_endpoint::{Endpoint, Error, TargetWriter, apis};

#[rustfmt::skip]
#[path = "apis_every_operation/calls.rs"]
mod calls;

/// A new order number each time (the sandbox keeps orders), of `min_length` characters
/// at least.
fn order(min_length: usize) -> String {
    static ORDERS: AtomicUsize = AtomicUsize::new(0);
    let mut order = format!("sandbox-order-{:04}", ORDERS.fetch_add(1, Ordering::Relaxed));
    while order.len() < min_length {
        order.push('0');
    }
    order
}

fn png() -> MediaFile {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.resize(64, 0);
    MediaFile::from_bytes("sandbox.png", bytes).unwrap()
}

#[tokio::test]
async fn every_typed_endpoint_is_served_and_its_response_decoded() {
    // Platform certificates and the public key both, so that `v3/certificates` is served.
    let sandbox = Sandbox::start_with(KeyMode::Combined).unwrap();
    let client = sandbox.client().unwrap();
    let mut served = 0;
    let mut failures = Vec::new();
    for (op, call) in OPERATIONS.iter().zip(calls::CALLS) {
        if op.response.body == ResponseBody::File {
            continue;
        }
        match call(&client).await {
            Ok(()) => served += 1,
            Err(error) => failures.push(format!("{op} ({}): {error}", op.rust_path)),
        }
    }
    // The three whose response is a file: the typed request writes the file's URL, and
    // `download_file` fetches it.
    let catalog_file: String = Sha256::digest(CATALOG_FILE).iter().map(|b| format!("{b:02x}")).collect();
    let bill = client.send(&apis::bill::GetTradebill::new("2026-01-01")).await.unwrap();
    let token = bill.download_url.split_once("token=").unwrap().1;
    let files = [
        (
            "billdownload/file",
            download(&sandbox, &apis::billdownload::GetFile::new(token), bill.hash_type.as_str(), &bill.hash_value)
                .await,
        ),
        (
            "transferdownload/elecvoucherfile",
            download(&sandbox, &apis::transferdownload::GetElecvoucherfile::new("1", "1"), "SHA256", &catalog_file)
                .await,
        ),
        (
            "transferdownload/signfile",
            download(&sandbox, &apis::transferdownload::GetSignfile::new("1"), "SHA256", &catalog_file).await,
        ),
    ];
    for (path, file) in files {
        match file {
            Ok(bytes) if path.starts_with("billdownload") || bytes == CATALOG_FILE => served += 1,
            Ok(_) => failures.push(format!("{path}: another file")),
            Err(error) => failures.push(format!("{path}: {error:?}")),
        }
    }
    println!("{served} of {} typed endpoints served and their responses decoded or downloaded", OPERATIONS.len());
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), OPERATIONS.len(), failures.join("\n"));
    assert_eq!(served, 1018);
    assert_eq!(OPERATIONS.iter().filter(|op| op.response.body == ResponseBody::File).count(), 3);
}

/// Downloads the file a typed request of a file response points at, checking its hash.
async fn download<E: Endpoint>(sandbox: &Sandbox, request: &E, hash_type: &str, hash: &str) -> Result<Vec<u8>, Error> {
    let base = sandbox.base_url();
    let base_path = reqwest::Url::parse(&base).unwrap().path().to_owned();
    let target = url(request, &base_path);
    let origin = base.trim_end_matches('/').trim_end_matches(base_path.trim_end_matches('/'));
    let file: BillFile = serde_json::from_value(serde_json::json!({
        "hash_type": hash_type,
        "hash_value": hash,
        "download_url": format!("{origin}{target}"),
    }))
    .unwrap();
    let mut out = Vec::new();
    sandbox.client()?.download_file(&file, &mut out).await?;
    Ok(out)
}

/// `send` cannot read a file response: the file is not signed, and decoding one says to
/// download it.
#[tokio::test]
async fn sending_a_file_response_is_an_error_that_says_to_download_it() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let error = client.send(&apis::transferdownload::GetSignfile::new("1")).await.unwrap_err();
    assert!(matches!(error, Error::Verify { .. }), "{error:?}");
    let error = serde_json::from_str::<wechat_endpoint::bill::FileResponse>("{}").unwrap_err();
    assert!(error.to_string().contains("Client::download_file"), "{error}");
}

fn url<E: Endpoint>(request: &E, base_path: &str) -> String {
    let mut target = String::new();
    request.write_target(&mut TargetWriter::new(&mut target, base_path)).unwrap();
    target
}

/// A response that does not fit its typed response is `Error::Decode`, naming the member
/// as a path and never its value.
#[tokio::test]
async fn a_response_that_does_not_fit_names_the_member_without_its_value() {
    use apis::marketing::partner::product_coupon::product_coupons::stocks::{
        DisassociateStores, DisassociateStoresStoreList,
    };
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let request = DisassociateStores::new("1", "2", "3", vec![DisassociateStoresStoreList::new("4")]);
    let cases = [
        (
            serde_json::json!({ "total_count": 1, "failed_store_list": [{ "store_id": "SECRET-1", "code": "C" }] }),
            "missing field `failed_store_list.message`",
        ),
        (
            serde_json::json!({ "total_count": "SECRET-2" }),
            "a value does not fit the expected type: member `total_count`",
        ),
        (serde_json::json!({ "success_store_list": [] }), "missing field `total_count`"),
    ];
    for (body, expected) in cases {
        let served = body.clone();
        sandbox.route(
            http::Method::POST,
            "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores",
            move |_| wechat_endpoint::sandbox::SandboxResponse::ok(served.clone()),
        );
        let error = client.send(&request).await.unwrap_err();
        let Error::Decode { source, .. } = &error else { panic!("{error:?}") };
        assert_eq!(source.to_string(), expected);
        assert!(!format!("{error} {error:?}").contains("SECRET"), "{error:?}");
    }
}
