//! Media upload: a file and its `meta` JSON sent as `multipart/form-data`, with the
//! request signature over the `meta` JSON alone.
//!
//! An upload endpoint returns its file from [`Endpoint::media_file`]; its
//! [`write_body`](crate::Endpoint::write_body) writes the extra `meta` fields, if any, as a JSON
//! object. The client then sends two parts:
//!
//! - `meta` (`application/json`): `{"filename":…,"sha256":…}` followed by the extra
//!   fields, byte for byte the JSON the signature covers;
//! - `file`: the file, with the content type its name implies.
//!
//! ```
//! use wechat_endpoint::media::{MediaFile, MediaId};
//! use wechat_endpoint::{BuildError, Endpoint, Method, TargetWriter};
//!
//! /// `POST v3/merchant/media/upload`.
//! struct UploadImage {
//!     file: MediaFile,
//! }
//!
//! impl Endpoint for UploadImage {
//!     type Response = MediaId;
//!     const METHOD: Method = Method::POST;
//!     const PATH_TEMPLATE: &'static str = "v3/merchant/media/upload";
//!
//!     fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
//!         target.push_path("v3/merchant/media/upload");
//!         Ok(())
//!     }
//!
//!     fn media_file(&self) -> Option<&MediaFile> {
//!         Some(&self.file)
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = wechat_endpoint::sandbox::Sandbox::start()?;
//! let client = sandbox.client()?;
//! let file = MediaFile::from_bytes("logo.png", &b"\x89PNG\r\n\x1a\n...."[..])?;
//! let response = client.send(&UploadImage { file }).await?;
//! assert!(!response.media_id.is_empty());
//! # Ok(()) }
//! ```
//!
//! [`Endpoint::media_file`]: crate::Endpoint::media_file
//! [`Endpoint`]: crate::Endpoint

use serde::{Deserialize, Serialize};

pub use crate::pipeline::multipart::{CONTENT_TYPES, MAX_MEDIA_BYTES, MediaError, MediaFile, content_type_for};

/// The response of `v3/merchant/media/upload` and similar: the id to quote in later calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaId {
    /// The uploaded file's id.
    pub media_id: String,
}

/// The response of image uploads that give a URL, such as
/// `v3/marketing/partner/product-coupon/media/upload-image`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaUrl {
    /// Where the uploaded image is served.
    pub media_url: String,
}
