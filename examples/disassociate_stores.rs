//! 批次取消关联门店: associates a store with a product-coupon stock, lists the stock's
//! stores, then disassociates the store, printing each verified response.
//!
//! With no `WECHATPAY_MCHID` set it runs against the offline sandbox; with the
//! `WECHATPAY_*` variables set (see the README) it calls the configured host.
//!
//! ```text
//! cargo run --example disassociate_stores
//! ```

use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use wechat_endpoint::sandbox::Sandbox;
use wechat_endpoint::{Client, ClientBuilder, wechat_endpoint};

/// One store.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Store {
    pub store_id: String,
}

/// A store the gateway could not (dis)associate, and why.
#[derive(Debug, Serialize, Deserialize)]
pub struct FailedStore {
    pub store_id: String,
    pub code: String,
    pub message: String,
}

/// The response of `associate-stores` and `disassociate-stores`.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoresResult {
    pub total_count: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub success_store_list: Vec<Store>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed_store_list: Vec<FailedStore>,
}

/// The response of `associated-stores`.
#[derive(Debug, Serialize, Deserialize)]
pub struct AssociatedStores {
    pub total_count: u64,
    #[serde(default)]
    pub data: Vec<Store>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

/// `POST …/stocks/{stock_id}/associate-stores`: 批次关联门店.
#[wechat_endpoint(POST, "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/associate-stores", response = StoresResult)]
pub struct AssociateStores {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
    pub store_list: Vec<Store>,
}

/// `POST …/stocks/{stock_id}/disassociate-stores`: 批次取消关联门店.
#[wechat_endpoint(POST, "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/disassociate-stores", response = StoresResult)]
pub struct DisassociateStores {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
    pub store_list: Vec<Store>,
}

/// `GET …/stocks/{stock_id}/associated-stores?brand_id=…&page_size=…&page_token=…`:
/// 获取批次关联门店列表.
#[wechat_endpoint(GET, "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/associated-stores", response = AssociatedStores)]
pub struct ListAssociatedStores {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
    pub page_size: Option<u32>,
    pub page_token: Option<String>,
}

const PRODUCT_COUPON_ID: &str = "1000000013";
const STOCK_ID: &str = "1000000013001";
const BRAND_ID: &str = "120344";
const STORE_ID: &str = "100000001";

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
    // Keeps the sandbox running until the end of `run`.
    let (client, _sandbox) = client()?;
    let stores = vec![Store { store_id: STORE_ID.into() }];

    let associated = client
        .send(&AssociateStores {
            product_coupon_id: PRODUCT_COUPON_ID.into(),
            stock_id: STOCK_ID.into(),
            brand_id: BRAND_ID.into(),
            store_list: stores.clone(),
        })
        .await?;
    print("associate-stores", &associated)?;

    let listed = client
        .send(&ListAssociatedStores {
            product_coupon_id: PRODUCT_COUPON_ID.into(),
            stock_id: STOCK_ID.into(),
            brand_id: BRAND_ID.into(),
            page_size: Some(10),
            page_token: None,
        })
        .await?;
    print("associated-stores", &listed)?;

    let disassociated = client
        .send(&DisassociateStores {
            product_coupon_id: PRODUCT_COUPON_ID.into(),
            stock_id: STOCK_ID.into(),
            brand_id: BRAND_ID.into(),
            store_list: stores,
        })
        .await?;
    print("disassociate-stores", &disassociated)?;
    Ok(())
}

/// The configured client, or a sandbox and a client for it when no credentials are set.
fn client() -> Result<(Client, Option<Sandbox>), Box<dyn std::error::Error>> {
    if std::env::var_os(wechat_endpoint::env::MCHID).is_some() {
        let client = ClientBuilder::from_env()?.user_agent_suffix("disassociate-stores-example").build()?;
        eprintln!("calling the configured host as merchant {}", client.mchid());
        return Ok((client, None));
    }
    let sandbox = Sandbox::start()?;
    eprintln!("WECHATPAY_MCHID is not set: using the offline sandbox at {}", sandbox.base_url());
    Ok((sandbox.client()?, Some(sandbox)))
}

fn print(call: &str, response: &impl Serialize) -> Result<(), serde_json::Error> {
    println!("{call} (signature verified):\n{}", serde_json::to_string_pretty(response)?);
    Ok(())
}
