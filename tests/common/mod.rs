//! Hand-written endpoints for the product-coupon store-association family, shared by the
//! integration tests.
#![allow(dead_code)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wechat_endpoint::crypto::PrivateKey;
use wechat_endpoint::{BuildError, Endpoint, Method, TargetWriter, write_json};

pub const PRODUCT_COUPON_ID: &str = "1000000013";
pub const STOCK_ID: &str = "1000000013001";
pub const BRAND_ID: &str = "120344";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Store {
    pub store_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FailedStore {
    pub store_id: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StoresResult {
    pub total_count: u64,
    #[serde(default)]
    pub success_store_list: Vec<Store>,
    #[serde(default)]
    pub failed_store_list: Vec<FailedStore>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AssociatedStores {
    pub total_count: u64,
    #[serde(default)]
    pub data: Vec<Store>,
    pub next_page_token: Option<String>,
}

/// `POST …/stocks/{stock_id}/associate-stores` or `…/disassociate-stores`.
#[derive(Debug, Clone)]
pub struct ChangeStores {
    pub associate: bool,
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
    pub store_list: Vec<Store>,
}

impl ChangeStores {
    pub fn new(associate: bool, product_coupon_id: &str, stock_id: &str, stores: &[&str]) -> Self {
        ChangeStores {
            associate,
            product_coupon_id: product_coupon_id.into(),
            stock_id: stock_id.into(),
            brand_id: BRAND_ID.into(),
            store_list: stores.iter().map(|s| Store { store_id: (*s).into() }).collect(),
        }
    }
}

impl Endpoint for ChangeStores {
    type Response = StoresResult;
    const METHOD: Method = Method::POST;
    const PATH_TEMPLATE: &'static str = "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/(dis)associate-stores";

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        target.push_path("v3/marketing/partner/product-coupon/product-coupons/");
        target.push_segment("product_coupon_id", &self.product_coupon_id)?;
        target.push_path("/stocks/");
        target.push_segment("stock_id", &self.stock_id)?;
        target.push_path(if self.associate { "/associate-stores" } else { "/disassociate-stores" });
        Ok(())
    }

    fn write_body(&self, body: &mut Vec<u8>) -> Result<(), BuildError> {
        #[derive(Serialize)]
        struct Body<'a> {
            brand_id: &'a str,
            store_list: &'a [Store],
        }
        write_json(body, &Body { brand_id: &self.brand_id, store_list: &self.store_list })
    }
}

/// `GET …/stocks/{stock_id}/associated-stores?brand_id=…&page_size=…&page_token=…`.
#[derive(Debug, Clone)]
pub struct ListStores {
    pub product_coupon_id: String,
    pub stock_id: String,
    pub brand_id: String,
    pub page_size: Option<u32>,
    pub page_token: Option<String>,
}

impl ListStores {
    pub fn new(product_coupon_id: &str, stock_id: &str) -> Self {
        ListStores {
            product_coupon_id: product_coupon_id.into(),
            stock_id: stock_id.into(),
            brand_id: BRAND_ID.into(),
            page_size: None,
            page_token: None,
        }
    }
}

impl ListStores {
    pub fn path_template(&self) -> &'static str {
        <Self as Endpoint>::PATH_TEMPLATE
    }
}

impl Endpoint for ListStores {
    type Response = AssociatedStores;
    const METHOD: Method = Method::GET;
    const PATH_TEMPLATE: &'static str =
        "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/associated-stores";

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        #[derive(Serialize)]
        struct Query<'a> {
            brand_id: &'a str,
            page_size: Option<u32>,
            page_token: Option<&'a str>,
        }
        target.push_path("v3/marketing/partner/product-coupon/product-coupons/");
        target.push_segment("product_coupon_id", &self.product_coupon_id)?;
        target.push_path("/stocks/");
        target.push_segment("stock_id", &self.stock_id)?;
        target.push_path("/associated-stores");
        target.push_query(&Query {
            brand_id: &self.brand_id,
            page_size: self.page_size,
            page_token: self.page_token.as_deref(),
        })
    }
}

/// Decrypts every base64 string of `value` that is a 256-byte OAEP ciphertext.
pub fn decrypt_all(value: &Value, key: &PrivateKey) -> Value {
    match value {
        Value::String(text) => match BASE64.decode(text) {
            Ok(bytes) if bytes.len() == 256 => {
                Value::String(String::from_utf8(key.decrypt_oaep(&bytes).expect("decrypts").to_vec()).unwrap())
            }
            _ => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(|v| decrypt_all(v, key)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), decrypt_all(v, key))).collect()),
        other => other.clone(),
    }
}
