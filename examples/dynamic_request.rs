//! The untyped form: calls an endpoint nobody declared, on the same signing and
//! verifying pipeline, and reads the response as JSON.
//!
//! With no `WECHATPAY_MCHID` set it runs against the offline sandbox; with the
//! `WECHATPAY_*` variables set it calls the configured host.
//!
//! ```text
//! cargo run --example dynamic_request
//! ```

use std::process::ExitCode;

use serde_json::json;
use wechat_endpoint::sandbox::Sandbox;
use wechat_endpoint::{ClientBuilder, Method};

const STOCK: &str = "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}";

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
    let sandbox;
    let client = if std::env::var_os(wechat_endpoint::env::MCHID).is_some() {
        ClientBuilder::from_env()?.build()?
    } else {
        sandbox = Sandbox::start()?;
        eprintln!("WECHATPAY_MCHID is not set: using the offline sandbox at {}", sandbox.base_url());
        sandbox.client()?
    };

    // POST with path values and a JSON body.
    let associated = client
        .request(Method::POST, format!("{STOCK}/associate-stores"))
        .path("product_coupon_id", "1000000013")
        .path("stock_id", "1000000013001")
        .json(&json!({ "brand_id": "120344", "store_list": [{ "store_id": "100000001" }] }))
        .send()
        .await?;
    println!("associate-stores (signature verified):\n{}", serde_json::to_string_pretty(&associated)?);

    // GET with a query string; `None` values are left out.
    let listed = client
        .request(Method::GET, format!("{STOCK}/associated-stores"))
        .path("product_coupon_id", "1000000013")
        .path("stock_id", "1000000013001")
        .query(&[("brand_id", Some("120344")), ("page_size", Some("10")), ("page_token", None)])
        .send()
        .await?;
    println!("associated-stores (signature verified):\n{}", serde_json::to_string_pretty(&listed)?);
    println!("stores: {}", listed["total_count"]);
    Ok(())
}
