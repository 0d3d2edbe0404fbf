//! 批次取消关联门店: associates a store with a product-coupon stock, lists the stock's
//! stores, then disassociates the store, printing each verified answer.
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
use wechat_endpoint::{BuildError, Client, ClientBuilder, Endpoint, Method, TargetWriter, write_json};

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

/// The answer of `associate-stores` and `disassociate-stores`.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoresResult {
    pub total_count: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub success_store_list: Vec<Store>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed_store_list: Vec<FailedStore>,
}

/// The answer of `associated-stores`.
#[derive(Debug, Serialize, Deserialize)]
pub struct AssociatedStores {
    pub total_count: u64,
    #[serde(default)]
    pub data: Vec<Store>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

const PREFIX: &str = "v3/marketing/partner/product-coupon/product-coupons/";

/// Writes `…/product-coupons/{product_coupon_id}/stocks/{stock_id}/{action}`.
fn stock_target(t: &mut TargetWriter<'_>, coupon: &str, stock: &str, action: &str) -> Result<(), BuildError> {
    t.push_path(PREFIX);
    t.push_segment("product_coupon_id", coupon)?;
    t.push_path("/stocks/");
    t.push_segment("stock_id", stock)?;
    t.push_path(action);
    Ok(())
}

#[derive(Serialize)]
struct StoresBody<'a> {
    brand_id: &'a str,
    store_list: &'a [Store],
}

/// `POST …/stocks/{stock_id}/associate-stores`
pub struct AssociateStores {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
    pub store_list: Vec<Store>,
}

impl Endpoint for AssociateStores {
    type Response = StoresResult;
    const METHOD: Method = Method::POST;
    const PATH_TEMPLATE: &'static str =
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/associate-stores";

    fn write_target(&self, t: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        stock_target(t, &self.product_coupon_id, &self.stock_id, "/associate-stores")
    }

    fn write_body(&self, body: &mut Vec<u8>) -> Result<(), BuildError> {
        write_json(body, &StoresBody { brand_id: &self.brand_id, store_list: &self.store_list })
    }
}

/// `POST …/stocks/{stock_id}/disassociate-stores`
pub struct DisassociateStores {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
    pub store_list: Vec<Store>,
}

impl Endpoint for DisassociateStores {
    type Response = StoresResult;
    const METHOD: Method = Method::POST;
    const PATH_TEMPLATE: &'static str =
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores";

    fn write_target(&self, t: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        stock_target(t, &self.product_coupon_id, &self.stock_id, "/disassociate-stores")
    }

    fn write_body(&self, body: &mut Vec<u8>) -> Result<(), BuildError> {
        write_json(body, &StoresBody { brand_id: &self.brand_id, store_list: &self.store_list })
    }
}

/// `GET …/stocks/{stock_id}/associated-stores?brand_id=…&page_size=…&page_token=…`
pub struct ListAssociatedStores {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
    pub page_size: Option<u32>,
    pub page_token: Option<String>,
}

impl Endpoint for ListAssociatedStores {
    type Response = AssociatedStores;
    const METHOD: Method = Method::GET;
    const PATH_TEMPLATE: &'static str =
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/associated-stores";

    fn write_target(&self, t: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        #[derive(Serialize)]
        struct Query<'a> {
            brand_id: &'a str,
            page_size: Option<u32>,
            page_token: Option<&'a str>,
        }
        stock_target(t, &self.product_coupon_id, &self.stock_id, "/associated-stores")?;
        t.push_query(&Query {
            brand_id: &self.brand_id,
            page_size: self.page_size,
            page_token: self.page_token.as_deref(),
        })
    }
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
            eprintln!("error: {error}");
            let mut source = std::error::Error::source(&*error);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
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

fn print(call: &str, answer: &impl Serialize) -> Result<(), serde_json::Error> {
    println!("{call} (signature verified):\n{}", serde_json::to_string_pretty(answer)?);
    Ok(())
}
