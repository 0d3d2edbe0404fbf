//! 图片上传: uploads an image twice, to `v3/merchant/media/upload` through a declared
//! endpoint (responds with a `media_id`) and to
//! `v3/marketing/partner/product-coupon/media/upload-image` through the dynamic form
//! (responds with a `media_url`), printing each verified response.
//!
//! The request is `multipart/form-data`: a `meta` part `{"filename":…,"sha256":…}` and
//! a `file` part; the signature covers the `meta` JSON only.
//!
//! With no `WECHATPAY_MCHID` set it runs against the offline sandbox; with the
//! `WECHATPAY_*` variables set (see the README) it calls the configured host. Give a
//! JPEG, PNG or BMP path to upload it; without one a 1×1 PNG is sent.
//!
//! ```text
//! cargo run --example upload_image
//! cargo run --example upload_image -- path/to/logo.png
//! ```

use std::process::ExitCode;

use wechat_endpoint::media::{MediaFile, MediaId, MediaUrl};
use wechat_endpoint::sandbox::Sandbox;
use wechat_endpoint::{Client, ClientBuilder, Method, wechat_endpoint};

/// `POST v3/merchant/media/upload`: the file is the request; the client adds its name
/// and SHA-256 as the `meta` part.
#[wechat_endpoint(POST, "v3/merchant/media/upload", response = MediaId)]
pub struct UploadImage {
    #[wechat(file)]
    pub file: MediaFile,
}

/// A 1×1 PNG, WeChat green.
const PIXEL_PNG: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde\x00\x00\x00\x0c\x49\x44\x41\x54\x78\x9c\x63\x60\x3f\x98\x00\x00\x01\xfb\x01\x29\x07\x0a\x67\xb2\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", wechat_endpoint::error_chain(&*error));
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let file = match std::env::args_os().nth(1) {
        // Read once; the SHA-256 is computed while reading.
        Some(path) => MediaFile::open(path).await?,
        None => MediaFile::from_bytes("pixel.png", PIXEL_PNG)?,
    };
    eprintln!(
        "uploading {} ({} bytes, {}, sha256 {})",
        file.filename(),
        file.len(),
        file.content_type().unwrap_or("no known content type"),
        file.sha256_hex()
    );
    // Keeps the sandbox running until the end of `run`.
    let (client, _sandbox) = client()?;

    let response = client.send(&UploadImage { file: file.clone() }).await?;
    println!("v3/merchant/media/upload (signature verified): media_id = {}", response.media_id);

    let response: MediaUrl = client
        .request(Method::POST, "v3/marketing/partner/product-coupon/media/upload-image")
        .file(file)
        .send_as()
        .await?;
    println!(
        "v3/marketing/partner/product-coupon/media/upload-image (signature verified): media_url = {}",
        response.media_url
    );
    Ok(())
}

/// The configured client, or a sandbox and a client for it when no credentials are set.
fn client() -> Result<(Client, Option<Sandbox>), Box<dyn std::error::Error>> {
    if std::env::var_os(wechat_endpoint::env::MCHID).is_some() {
        let client = ClientBuilder::from_env()?.user_agent_suffix("upload-image-example").build()?;
        eprintln!("calling the configured host as merchant {}", client.mchid());
        return Ok((client, None));
    }
    let sandbox = Sandbox::start()?;
    eprintln!("WECHATPAY_MCHID is not set: using the offline sandbox at {}", sandbox.base_url());
    Ok((sandbox.client()?, Some(sandbox)))
}
