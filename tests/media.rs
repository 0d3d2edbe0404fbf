//! Media upload against the sandbox over loopback: the typed and dynamic forms, files
//! from memory and from a path, the `meta` signature, and what the sandbox refuses.

mod media_seed;

use http::StatusCode;
use media_seed::{COUPON_UPLOAD, MERCHANT_UPLOAD, UploadCouponImage, UploadImage, png_bytes};
use serde_json::json;
use wechat_endpoint::media::{MediaError, MediaFile, MediaId};
use wechat_endpoint::sandbox::{MCHID, MERCHANT_PRIVATE_KEY_PEM, MERCHANT_SERIAL, Received, Sandbox};
use wechat_endpoint::signing::{MerchantSigner, nonce, unix_now};
use wechat_endpoint::{Error, Method};

fn header<'a>(request: &'a Received, name: &str) -> &'a str {
    request.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// The `meta` part of a multipart body, found the plain way.
fn meta_of(request: &Received) -> serde_json::Value {
    let body = String::from_utf8_lossy(&request.body);
    let start = body.find("\r\n\r\n{").expect("meta part") + 4;
    let end = start + body[start..].find("\r\n--").expect("meta end");
    serde_json::from_str(&body[start..end]).expect("meta is JSON")
}

#[tokio::test]
async fn a_typed_upload_is_signed_over_meta_and_responds_with_a_media_id() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let file = MediaFile::from_bytes("门店 logo.png", png_bytes(50_000)).unwrap();
    let sha256 = file.sha256_hex();
    let response = client.send(&UploadImage { file }).await.unwrap();
    assert_eq!(response.media_id, format!("sandbox-media-{sha256}"));

    let received = sandbox.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.status, StatusCode::OK);
    assert!(header(request, "content-type").starts_with("multipart/form-data; boundary="));
    assert_eq!(header(request, "accept"), "application/json");
    assert_eq!(meta_of(request), json!({ "filename": "门店 logo.png", "sha256": sha256 }));
    let body = String::from_utf8_lossy(&request.body);
    assert!(body.contains(
        "Content-Disposition: form-data; name=\"file\"; filename=\"门店 logo.png\"\r\nContent-Type: image/png\r\n"
    ));
}

#[tokio::test]
async fn extra_meta_fields_follow_filename_and_sha256() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let file = MediaFile::from_bytes("coupon.JPG", png_bytes(10)).unwrap();
    let response = client.send(&UploadCouponImage { file: &file, brand_id: "120344" }).await.unwrap();
    assert!(response.media_url.ends_with(&file.sha256_hex()), "{}", response.media_url);
    let received = sandbox.received();
    let body = String::from_utf8_lossy(&received[0].body);
    let expected_meta = format!(r#"{{"filename":"coupon.JPG","sha256":"{}","brand_id":"120344"}}"#, file.sha256_hex());
    assert!(body.contains(&expected_meta), "{body}");
    assert!(body.contains("Content-Type: image/jpeg\r\n"));
}

#[tokio::test]
async fn the_dynamic_form_uploads_too() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let file = MediaFile::from_bytes("a.bmp", png_bytes(100)).unwrap();
    let response = client
        .request(Method::POST, COUPON_UPLOAD)
        .json(&json!({ "brand_id": "120344" }))
        .file(file.clone())
        .send()
        .await
        .unwrap();
    assert!(response["media_url"].as_str().unwrap().ends_with(&file.sha256_hex()));
    assert_eq!(meta_of(&sandbox.received()[0])["brand_id"], "120344");

    let response: MediaId = client.request(Method::POST, MERCHANT_UPLOAD).file(file).send_as().await.unwrap();
    assert!(response.media_id.starts_with("sandbox-media-"));
}

#[tokio::test]
async fn files_from_a_path_hash_as_files_from_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop front.jpeg");
    let bytes = png_bytes(300_000);
    std::fs::write(&path, &bytes).unwrap();
    let from_memory = MediaFile::from_bytes("shop front.jpeg", bytes).unwrap();
    let opened = MediaFile::open(&path).await.unwrap();
    let opened_blocking = MediaFile::open_blocking(&path).unwrap();
    for file in [&opened, &opened_blocking] {
        assert_eq!(file.filename(), "shop front.jpeg");
        assert_eq!(file.content_type(), Some("image/jpeg"));
        assert_eq!(file.sha256(), from_memory.sha256());
        assert_eq!(file.content(), from_memory.content());
    }
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    client.send(&UploadImage { file: opened }).await.unwrap();
}

#[tokio::test]
async fn unreadable_paths_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.png");
    let error = MediaFile::open(&missing).await.unwrap_err();
    assert!(matches!(error, MediaError::Read { .. }));
    assert!(error.to_string().contains("missing.png"), "{error}");
    let error = MediaFile::open_blocking(dir.path()).unwrap_err();
    assert!(matches!(error, MediaError::Read { .. }), "{error:?}");
    let empty = dir.path().join("empty.png");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(MediaFile::open(&empty).await.unwrap_err(), MediaError::Empty { .. }));
}

#[tokio::test]
async fn an_unknown_extension_fails_before_anything_is_sent() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let file = MediaFile::from_bytes("scan.tiff", png_bytes(10)).unwrap();
    let error = client.send(&UploadImage { file: file.clone() }).await.unwrap_err();
    assert!(
        matches!(&error, Error::Media(MediaError::UnknownContentType { filename }) if filename == "scan.tiff"),
        "{error:?}"
    );
    assert!(error.to_string().contains("with_content_type"), "{error}");
    assert_eq!(error.tries(), 0);
    assert!(sandbox.received().is_empty());

    // Named, it goes; the sandbox takes JPEG, PNG and BMP only and says so.
    let error = client.send(&UploadImage { file: file.with_content_type("image/tiff").unwrap() }).await.unwrap_err();
    assert_eq!(error.api_code(), Some("PARAM_ERROR"));
    assert!(error.to_string().contains("image/tiff"), "{error}");
}

#[tokio::test]
async fn extra_meta_that_is_not_an_object_fails_before_anything_is_sent() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let file = MediaFile::from_bytes("a.png", png_bytes(10)).unwrap();
    for extra in [json!([1, 2]), json!({ "sha256": "00" })] {
        let error =
            client.request(Method::POST, MERCHANT_UPLOAD).json(&extra).file(file.clone()).send().await.unwrap_err();
        assert!(matches!(error, Error::Media(MediaError::Meta(_))), "{error:?}");
    }
    assert!(sandbox.received().is_empty());
}

#[test]
fn the_blocking_client_uploads() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.blocking_client().unwrap();
    let file = MediaFile::from_bytes("a.png", png_bytes(1000)).unwrap();
    let response = client.send(&UploadImage { file: file.clone() }).unwrap();
    assert!(response.media_id.ends_with(&file.sha256_hex()));
    let response = client.request(Method::POST, COUPON_UPLOAD).file(file).send().unwrap();
    assert!(response["media_url"].is_string());
}

/// Sends a multipart upload by hand: `meta` and `file` as given, signed over `signed`.
async fn send_by_hand(sandbox: &Sandbox, meta: &str, file: &[u8], signed: &[u8]) -> (StatusCode, serde_json::Value) {
    let key = wechat_endpoint::crypto::SigningKey::from_pem(MERCHANT_PRIVATE_KEY_PEM, Default::default()).unwrap();
    let signer = MerchantSigner::new(MCHID, MERCHANT_SERIAL, key);
    let target = format!("/{MERCHANT_UPLOAD}");
    let authorization = signer.authorization(&mut Vec::new(), "POST", &target, signed, unix_now(), &nonce()).unwrap();
    let boundary = "by-hand-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{meta}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = reqwest::Client::new()
        .post(format!("http://{}{target}", sandbox.addr()))
        .header("authorization", authorization)
        .header("accept", "application/json")
        .header("user-agent", "media-test")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, serde_json::from_slice(&response.bytes().await.unwrap()).unwrap())
}

#[tokio::test]
async fn the_sandbox_checks_the_meta_signature_and_the_file_hash() {
    let sandbox = Sandbox::start().unwrap();
    let file = png_bytes(1000);
    let sha256 = MediaFile::from_bytes("a.png", file.clone()).unwrap().sha256_hex();
    let meta = format!(r#"{{"filename":"a.png","sha256":"{sha256}"}}"#);

    // Signed over the meta as sent: accepted.
    let (status, response) = send_by_hand(&sandbox, &meta, &file, meta.as_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{response}");

    // Meta changed after signing (here: spaces the signer did not see).
    let tampered = meta.replace(':', ": ");
    let (status, response) = send_by_hand(&sandbox, &tampered, &file, meta.as_bytes()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{response}");
    assert_eq!(response["code"], "SIGN_ERROR");

    // Signed over the whole body instead of the meta: refused as the gateway does.
    let (status, response) = send_by_hand(&sandbox, &meta, &file, b"not the meta").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{response}");

    // Signed correctly, but the file is not the one meta describes.
    let mut other = file.clone();
    other[500] ^= 1;
    let (status, response) = send_by_hand(&sandbox, &meta, &other, meta.as_bytes()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{response}");
    assert_eq!(response["code"], "PARAM_ERROR");
    assert!(response["message"].as_str().unwrap().contains("sha256"), "{response}");

    // A meta without its sha256.
    let bare = r#"{"filename":"a.png"}"#;
    let (status, response) = send_by_hand(&sandbox, bare, &file, bare.as_bytes()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{response}");
}
