//! The product-coupon store-association family, served statefully.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use http::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use super::routes::{Route, Router, SandboxRequest, SandboxResponse};

const STOCK: &str = "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}";
/// Stores per call, as the gateway allows.
const MAX_STORES_PER_CALL: usize = 50;
const MAX_PAGE_SIZE: usize = 50;
const DEFAULT_PAGE_SIZE: usize = 10;

/// Associated stores per (product coupon, stock, brand).
type Associations = HashMap<(String, String, String), BTreeSet<String>>;

#[derive(Deserialize)]
struct StoresBody {
    brand_id: Option<String>,
    store_list: Option<Vec<Store>>,
}

#[derive(Deserialize)]
struct Store {
    store_id: String,
}

pub(crate) fn register(router: &mut Router) {
    let state: Arc<Mutex<Associations>> = Arc::default();
    let s = state.clone();
    router.add(Route::new(
        Method::POST,
        &format!("{STOCK}/associate-stores"),
        Arc::new(move |req| change(&s, req, true)),
    ));
    let s = state.clone();
    router.add(Route::new(
        Method::POST,
        &format!("{STOCK}/disassociate-stores"),
        Arc::new(move |req| change(&s, req, false)),
    ));
    router.add(Route::new(Method::GET, &format!("{STOCK}/associated-stores"), Arc::new(move |req| list(&state, req))));
}

fn param_error(message: impl Into<String>) -> SandboxResponse {
    SandboxResponse::error(StatusCode::BAD_REQUEST, "PARAM_ERROR", message)
}

fn key(req: &SandboxRequest, brand_id: &str) -> (String, String, String) {
    let value = |name| req.path_value(name).unwrap_or_default().to_owned();
    (value("product_coupon_id"), value("stock_id"), brand_id.to_owned())
}

fn change(state: &Mutex<Associations>, req: &SandboxRequest, associate: bool) -> SandboxResponse {
    let body: StoresBody = match req.json() {
        Ok(body) => body,
        Err(response) => return response,
    };
    let Some(brand_id) = body.brand_id.filter(|b| !b.is_empty()) else {
        return param_error("brand_id is required");
    };
    let Some(stores) = body.store_list.filter(|l| !l.is_empty()) else {
        return param_error("store_list is required and must not be empty");
    };
    if stores.len() > MAX_STORES_PER_CALL {
        return param_error(format!("store_list has {} stores; at most {MAX_STORES_PER_CALL}", stores.len()));
    }
    let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
    let associated = state.entry(key(req, &brand_id)).or_default();
    let mut distinct = BTreeSet::new();
    let (mut success, mut failed) = (Vec::new(), Vec::new());
    for Store { store_id } in stores {
        if !distinct.insert(store_id.clone()) {
            continue;
        }
        let done = if associate {
            associated.insert(store_id.clone());
            true
        } else {
            associated.remove(&store_id)
        };
        if done {
            success.push(json!({ "store_id": store_id }));
        } else {
            failed.push(json!({
                "store_id": store_id,
                "code": "STORE_NOT_ASSOCIATED",
                "message": "门店未关联该批次",
            }));
        }
    }
    let mut response = BTreeMap::new();
    response.insert("total_count", json!(distinct.len()));
    if !success.is_empty() {
        response.insert("success_store_list", Value::Array(success));
    }
    if !failed.is_empty() {
        response.insert("failed_store_list", Value::Array(failed));
    }
    SandboxResponse::ok(json!(response))
}

fn list(state: &Mutex<Associations>, req: &SandboxRequest) -> SandboxResponse {
    let Some(brand_id) = req.query_value("brand_id").filter(|b| !b.is_empty()) else {
        return param_error("brand_id is required in the query");
    };
    let page_size = match req.query_value("page_size").map(str::parse::<usize>) {
        None => DEFAULT_PAGE_SIZE,
        Some(Ok(n)) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
        Some(_) => return param_error(format!("page_size must be a number from 1 to {MAX_PAGE_SIZE}")),
    };
    let offset = match req.query_value("page_token").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => return param_error("page_token is not one this API returned"),
    };
    let state = state.lock().unwrap_or_else(|e| e.into_inner());
    let stores: Vec<&String> = state.get(&key(req, brand_id)).map(|s| s.iter().collect()).unwrap_or_default();
    let page: Vec<Value> = stores.iter().skip(offset).take(page_size).map(|id| json!({ "store_id": id })).collect();
    let mut response = json!({ "total_count": stores.len(), "data": page });
    if offset + page_size < stores.len() {
        response["next_page_token"] = json!((offset + page_size).to_string());
    }
    SandboxResponse::ok(response)
}
