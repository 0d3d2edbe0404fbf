//! `#[wechat(file)]`: an upload declared with the macro sends, byte for byte, the
//! request of the hand-written impls in `runtime/src/features/media.rs` and `tests/media.rs`, and
//! round-trips through the sandbox's two upload routes.

mod media_seed;

use media_seed::{COUPON_UPLOAD, png_bytes};
use wechat_endpoint::media::{MediaFile, MediaId, MediaUrl};
use wechat_endpoint::sandbox::{Received, Sandbox};
use wechat_endpoint::{BuildError, Endpoint, Method, TargetWriter, wechat_endpoint};

/// `POST v3/merchant/media/upload` (图片上传): the common case, one line of fields.
#[wechat_endpoint(POST, "v3/merchant/media/upload", response = MediaId)]
struct Upload {
    #[wechat(file)]
    file: MediaFile,
}

/// `POST …/product-coupon/media/upload-image`, borrowing the file, with an extra `meta`
/// field.
#[wechat_endpoint(POST, "v3/marketing/partner/product-coupon/media/upload-image", response = MediaUrl)]
struct UploadCouponImage<'a> {
    #[wechat(file)]
    file: &'a wechat_endpoint::media::MediaFile,
    brand_id: &'a str,
}

mod hand {
    use super::*;

    /// The impl of `runtime/src/features/media.rs`'s example: no `write_body`.
    pub(crate) struct Upload {
        pub(crate) file: MediaFile,
    }

    impl Endpoint for Upload {
        type Response = MediaId;
        const METHOD: Method = Method::POST;
        const PATH_TEMPLATE: &'static str = "v3/merchant/media/upload";

        fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
            target.push_path("v3/merchant/media/upload");
            Ok(())
        }

        fn media_file(&self) -> Option<&MediaFile> {
            Some(&self.file)
        }
    }

    /// The impls of `tests/media.rs`: an empty object for the extra fields, and one
    /// extra `meta` field.
    pub(crate) use crate::media_seed::{UploadCouponImage, UploadImage as UploadWithEmptyObject};
}

/// The request as the sandbox received it, with the random multipart boundary replaced
/// by a fixed one: method, target, `Content-Type` and body.
fn normalised(request: &Received) -> (Method, String, String, Vec<u8>) {
    let content_type = request.headers["content-type"].to_str().unwrap();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("multipart").as_bytes();
    let mut body = Vec::with_capacity(request.body.len());
    let mut rest = &request.body[..];
    while let Some(at) = rest.windows(boundary.len()).position(|window| window == boundary) {
        body.extend_from_slice(&rest[..at]);
        body.extend_from_slice(b"BOUNDARY");
        rest = &rest[at + boundary.len()..];
    }
    body.extend_from_slice(rest);
    (request.method.clone(), request.target.clone(), "multipart/form-data; boundary=BOUNDARY".to_owned(), body)
}

/// The `meta` part of a normalised body.
fn meta_of(body: &[u8]) -> String {
    let body = String::from_utf8_lossy(body);
    let start = body.find("Content-Type: application/json\r\n\r\n").expect("meta part") + 34;
    let end = start + body[start..].find("\r\n--BOUNDARY").expect("meta end");
    body[start..end].to_owned()
}

/// The target and body an endpoint writes itself.
fn written<E: Endpoint>(endpoint: &E) -> (String, Vec<u8>) {
    let mut target = String::new();
    endpoint.write_target(&mut TargetWriter::new(&mut target, "/")).unwrap();
    let mut body = Vec::new();
    endpoint.write_body(&mut body).unwrap();
    (target, body)
}

#[test]
fn the_generated_impl_is_the_hand_written_one() {
    let file = MediaFile::from_bytes("logo.png", png_bytes(100)).unwrap();
    let generated = Upload { file: file.clone() };
    let hand = hand::Upload { file: file.clone() };
    assert_eq!(<Upload as Endpoint>::METHOD, Method::POST);
    assert_eq!(<Upload as Endpoint>::PATH_TEMPLATE, <hand::Upload as Endpoint>::PATH_TEMPLATE);
    assert_eq!(<Upload as Endpoint>::IDEMPOTENT, None);
    // No extra fields: no body, so the `meta` is `filename` and `sha256` alone.
    assert_eq!(written(&generated), ("/v3/merchant/media/upload".to_owned(), Vec::new()));
    assert_eq!(written(&generated), written(&hand));
    assert!(std::ptr::eq(generated.media_file().unwrap(), &generated.file));

    let generated = UploadCouponImage { file: &file, brand_id: "120344" };
    let hand = hand::UploadCouponImage { file: &file, brand_id: "120344" };
    assert_eq!(written(&generated), (format!("/{COUPON_UPLOAD}"), br#"{"brand_id":"120344"}"#.to_vec()));
    assert_eq!(written(&generated), written(&hand));
    assert!(std::ptr::eq(generated.media_file().unwrap(), &file));
}

#[tokio::test]
async fn a_merchant_upload_is_sent_byte_for_byte_like_by_hand() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let file = MediaFile::from_bytes("门店 \"logo\".png", png_bytes(5_000)).unwrap();
    let sha256 = file.sha256_hex();

    let generated = client.send(&Upload { file: file.clone() }).await.unwrap();
    let by_hand = client.send(&hand::Upload { file: file.clone() }).await.unwrap();
    let with_empty_object = client.send(&hand::UploadWithEmptyObject { file: file.clone() }).await.unwrap();
    assert_eq!(generated.media_id, format!("sandbox-media-{sha256}"));
    assert_eq!(generated, by_hand);
    assert_eq!(generated, with_empty_object);

    let received: Vec<_> = sandbox.received().iter().map(normalised).collect();
    assert_eq!(received.len(), 3);
    assert_eq!(received[0], received[1]);
    assert_eq!(received[0], received[2], "`{{}}` and no extra fields give the same request");
    assert_eq!(received[0].1, "/v3/merchant/media/upload");
    assert_eq!(meta_of(&received[0].3), format!(r#"{{"filename":"门店 \"logo\".png","sha256":"{sha256}"}}"#));
}

#[tokio::test]
async fn a_coupon_image_upload_with_an_extra_field_is_sent_like_by_hand() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let file = MediaFile::from_bytes("coupon.JPG", png_bytes(10)).unwrap();
    let sha256 = file.sha256_hex();

    let generated = client.send(&UploadCouponImage { file: &file, brand_id: "120344" }).await.unwrap();
    let by_hand = client.send(&hand::UploadCouponImage { file: &file, brand_id: "120344" }).await.unwrap();
    assert_eq!(generated.media_url, format!("https://sandbox.invalid/product-coupon/media/{sha256}"));
    assert_eq!(generated, by_hand);

    let received: Vec<_> = sandbox.received().iter().map(normalised).collect();
    assert_eq!(received[0], received[1]);
    assert_eq!(received[0].1, format!("/{COUPON_UPLOAD}"));
    assert_eq!(
        meta_of(&received[0].3),
        format!(r#"{{"filename":"coupon.JPG","sha256":"{sha256}","brand_id":"120344"}}"#)
    );
    let body = String::from_utf8_lossy(&received[0].3);
    assert!(body.contains("name=\"file\"; filename=\"coupon.JPG\"\r\nContent-Type: image/jpeg\r\n"), "{body}");
}

/// The file held in an `Arc`, shared by several requests.
#[wechat_endpoint(POST, "v3/merchant/media/upload", response = MediaId)]
struct UploadShared {
    #[wechat(file)]
    file: std::sync::Arc<MediaFile>,
}

#[test]
fn the_blocking_client_uploads_too_and_the_file_may_be_shared() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.blocking_client().unwrap();
    let file = MediaFile::from_bytes("a.bmp", png_bytes(10)).unwrap();
    let response = client.send(&Upload { file: file.clone() }).unwrap();
    assert_eq!(response.media_id, format!("sandbox-media-{}", file.sha256_hex()));

    let shared = std::sync::Arc::new(file);
    let endpoint = UploadShared { file: shared.clone() };
    assert!(std::ptr::eq(endpoint.media_file().unwrap(), &*shared));
    assert_eq!(client.send(&endpoint).unwrap(), response);
    let received = sandbox.received();
    assert_eq!(normalised(&received[0]), normalised(&received[1]));
}

/// The file's place among the other roles: path values and query pairs go to the target,
/// the other fields (serde attributes applied) to `meta`, the file to neither.
mod roles {
    use super::*;

    #[wechat_endpoint(POST, "v3/stores/<store_id>/images", response = MediaUrl, idempotent)]
    struct UploadStoreImage {
        store_id: String,
        #[wechat(query)]
        sub_mchid: String,
        #[serde(rename = "type")]
        image_kind: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        caption: Option<String>,
        #[wechat(file)]
        image: MediaFile,
    }

    #[test]
    fn path_query_meta_and_file() {
        let image = MediaFile::from_bytes("a.png", png_bytes(1)).unwrap();
        let endpoint = UploadStoreImage {
            store_id: "s/1".into(),
            sub_mchid: "1900000109".into(),
            image_kind: "LOGO",
            caption: None,
            image,
        };
        let (target, body) = written(&endpoint);
        assert_eq!(target, "/v3/stores/s%2F1/images?sub_mchid=1900000109");
        assert_eq!(String::from_utf8(body).unwrap(), r#"{"type":"LOGO"}"#);
        assert_eq!(endpoint.media_file().unwrap().filename(), "a.png");
        assert_eq!(<UploadStoreImage as Endpoint>::IDEMPOTENT, Some(true));
    }
}

/// `POST v3/mch-manage/…/upload` reads its file from `submission_file`, and its other
/// form members (`item_id`, `manage_record_id`) from the `meta` JSON.
#[wechat_endpoint(POST, "v3/mch-manage/submission-files/sub-mchid/{sub_mchid}/upload", response = serde_json::Value)]
pub struct UploadSubmission {
    pub sub_mchid: String,
    pub item_id: String,
    pub manage_record_id: String,
    #[wechat(file = "submission_file")]
    pub file: MediaFile,
}

#[tokio::test]
async fn an_upload_sends_its_file_in_the_part_the_operation_names() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let file = MediaFile::from_bytes("form.png", png_bytes(64)).unwrap();
    let upload = UploadSubmission {
        sub_mchid: "1900000109".into(),
        item_id: "ITEM_1".into(),
        manage_record_id: "RECORD_1".into(),
        file,
    };
    client.send(&upload).await.unwrap();
    let received = sandbox.received();
    let body = String::from_utf8_lossy(&received.last().unwrap().body).into_owned();
    assert!(body.contains("name=\"submission_file\"; filename=\"form.png\""), "{body}");
    assert!(body.contains(r#""item_id":"ITEM_1","manage_record_id":"RECORD_1""#), "{body}");
}
