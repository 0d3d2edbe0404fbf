//! Every typed endpoint of `wechat_endpoint::apis` called against the sandbox with a
//! minimal valid request (the calls are generated, in `apis_every_operation/calls.rs`),
//! its response decoded into the generated response type.
//!
//! The exceptions, each tested below: the operations whose response is a file (their
//! typed request writes the file's URL, fetched with `download_file`), and the uploads
//! whose form names its file part otherwise than the `file` part the client sends.
#![cfg(feature = "apis")]

use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest as _, Sha256};
use wechat_endpoint::bill::BillFile;
use wechat_endpoint::catalog::{Body, JsonType, OPERATIONS, Operation, ResponseBody};
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

/// Why `send` cannot complete an operation, if it cannot.
fn exception(op: &Operation) -> Option<&'static str> {
    if op.response.body == ResponseBody::File {
        return Some("file response");
    }
    match op.body {
        Body::Multipart(parts) if parts.iter().any(|p| p.schema.ty == JsonType::File && p.name != "file") => {
            Some("upload whose file part is not `file`")
        }
        _ => None,
    }
}

#[tokio::test]
async fn every_typed_endpoint_is_served_and_its_response_decoded() {
    // Platform certificates and the public key both, so that `v3/certificates` is served.
    let sandbox = Sandbox::start_with(KeyMode::Combined).unwrap();
    let client = sandbox.client().unwrap();
    let mut served = 0;
    let mut exceptions = Vec::new();
    let mut failures = Vec::new();
    for (op, call) in OPERATIONS.iter().zip(calls::CALLS) {
        if let Some(why) = exception(op) {
            exceptions.push(format!("{op} ({why})"));
            continue;
        }
        match call(&client).await {
            Ok(()) => served += 1,
            Err(error) => failures.push(format!("{op} ({}): {error}", op.rust_path)),
        }
    }
    println!("{served} of {} typed endpoints served and decoded; exceptions: {exceptions:#?}", OPERATIONS.len());
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), OPERATIONS.len(), failures.join("\n"));
    assert_eq!(served + exceptions.len(), 1018);
    assert_eq!(exceptions.len(), 5, "{exceptions:#?}");
}

/// The typed requests of the file responses write the file's URL; the file is fetched
/// with `download_file`, and `send` says it cannot read a file.
#[tokio::test]
async fn file_responses_are_downloaded_from_the_typed_requests_url() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let hash: String = Sha256::digest(CATALOG_FILE).iter().map(|b| format!("{b:02x}")).collect();
    let base = sandbox.base_url();
    let base_path = reqwest::Url::parse(&base).unwrap().path().to_owned();
    let targets = [
        url(&apis::transferdownload::GetElecvoucherfile::new("1", "1"), &base_path),
        url(&apis::transferdownload::GetSignfile::new("1"), &base_path),
    ];
    for target in targets {
        let origin = base.trim_end_matches('/').trim_end_matches(base_path.trim_end_matches('/')).to_owned();
        let file: BillFile = serde_json::from_value(serde_json::json!({
            "hash_type": "SHA256",
            "hash_value": hash,
            "download_url": format!("{origin}{target}"),
        }))
        .unwrap();
        let mut out = Vec::new();
        client.download_file(&file, &mut out).await.unwrap_or_else(|e| panic!("{target}: {e}"));
        assert_eq!(out, CATALOG_FILE);
    }
    assert!(client.send(&apis::transferdownload::GetSignfile::new("1")).await.is_err());
    let error = serde_json::from_str::<wechat_endpoint::bill::FileResponse>("{}").unwrap_err();
    assert!(error.to_string().contains("Client::download_file"), "{error}");
}

fn url<E: Endpoint>(request: &E, base_path: &str) -> String {
    let mut target = String::new();
    request.write_target(&mut TargetWriter::new(&mut target, base_path)).unwrap();
    target
}

#[tokio::test]
async fn uploads_whose_file_part_is_named_otherwise_are_refused_naming_it() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let mut refused = 0;
    for (op, call) in OPERATIONS.iter().zip(calls::CALLS) {
        if exception(op) != Some("upload whose file part is not `file`") {
            continue;
        }
        let Err(Error::Api(error)) = call(&client).await else { panic!("{op} was not refused") };
        let part = op.body.members().iter().find(|m| m.schema.ty == JsonType::File).unwrap();
        assert_eq!(error.detail.as_ref().unwrap()["field"], part.name, "{op}");
        refused += 1;
    }
    assert_eq!(refused, 2);
}
