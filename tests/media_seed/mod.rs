//! Hand-written media upload endpoints, shared by the upload tests and the macro's
//! byte-identity tests.
#![allow(dead_code)] // Each includer uses its own part.

use serde_json::json;
use wechat_endpoint::media::{MediaFile, MediaId, MediaUrl};
use wechat_endpoint::{BuildError, Endpoint, Method, TargetWriter, write_json};

pub const MERCHANT_UPLOAD: &str = "v3/merchant/media/upload";
pub const COUPON_UPLOAD: &str = "v3/marketing/partner/product-coupon/media/upload-image";

/// `POST v3/merchant/media/upload`, written by hand as the macro would write it.
pub struct UploadImage {
    pub file: MediaFile,
}

impl Endpoint for UploadImage {
    type Response = MediaId;
    const METHOD: Method = Method::POST;
    const PATH_TEMPLATE: &'static str = MERCHANT_UPLOAD;

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        target.push_path(MERCHANT_UPLOAD);
        Ok(())
    }

    fn write_body(&self, body: &mut Vec<u8>) -> Result<(), BuildError> {
        body.extend_from_slice(b"{}");
        Ok(())
    }

    fn media_file(&self) -> Option<&MediaFile> {
        Some(&self.file)
    }
}

/// `POST …/product-coupon/media/upload-image` with an extra `meta` field.
pub struct UploadCouponImage<'a> {
    pub file: &'a MediaFile,
    pub brand_id: &'a str,
}

impl Endpoint for UploadCouponImage<'_> {
    type Response = MediaUrl;
    const METHOD: Method = Method::POST;
    const PATH_TEMPLATE: &'static str = COUPON_UPLOAD;

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        target.push_path(COUPON_UPLOAD);
        Ok(())
    }

    fn write_body(&self, body: &mut Vec<u8>) -> Result<(), BuildError> {
        write_json(body, &json!({ "brand_id": self.brand_id }))
    }

    fn media_file(&self) -> Option<&MediaFile> {
        Some(self.file)
    }
}

/// Bytes that look like a PNG to a person; the sandbox checks types by name only.
pub fn png_bytes(len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..len).map(|i| (i * 31 % 251) as u8));
    bytes
}
