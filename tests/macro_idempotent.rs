//! The `idempotent` argument against the sandbox: a POST declared `idempotent` is sent
//! again, with the same bytes, after a `5xx`; one that is not is sent once; and
//! `idempotent = false` stops the retries of a GET.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use wechat_endpoint::sandbox::{Fault, Sandbox};
use wechat_endpoint::{Client, Endpoint, RetryPolicy, wechat_endpoint};

const PRODUCT_COUPON_ID: &str = "1000000013";
const STOCK_ID: &str = "1000000013001";
const BRAND_ID: &str = "120344";

#[derive(Debug, Clone, Serialize)]
struct StoreRef {
    store_id: String,
}

#[derive(Debug, Deserialize)]
struct StoresResult {
    total_count: u64,
}

/// `disassociate-stores` carries `out_request_no`-like keys in real use: sending it twice
/// does no harm.
#[wechat_endpoint(
    POST,
    "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/disassociate-stores",
    response = StoresResult,
    idempotent
)]
struct DisassociateStores {
    product_coupon_id: &'static str,
    stock_id: &'static str,
    brand_id: &'static str,
    store_list: Vec<StoreRef>,
}

/// The same POST, undeclared: not retried.
#[wechat_endpoint(
    POST,
    "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/disassociate-stores",
    response = StoresResult
)]
struct DisassociateStoresOnce {
    product_coupon_id: &'static str,
    stock_id: &'static str,
    brand_id: &'static str,
    store_list: Vec<StoreRef>,
}

/// The same POST with the explicit form.
#[wechat_endpoint(
    POST,
    "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/disassociate-stores",
    response = StoresResult,
    idempotent = true
)]
struct DisassociateStoresExplicit {
    product_coupon_id: &'static str,
    stock_id: &'static str,
    brand_id: &'static str,
    store_list: Vec<StoreRef>,
}

/// A GET, retried by default, and one declared `idempotent = false`.
#[wechat_endpoint(
    GET,
    "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/associated-stores",
    response = StoresResult
)]
struct ListStores {
    product_coupon_id: &'static str,
    stock_id: &'static str,
    brand_id: &'static str,
}

#[wechat_endpoint(
    GET,
    "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/<stock_id>/associated-stores",
    response = StoresResult,
    idempotent = false
)]
struct ListStoresOnce {
    product_coupon_id: &'static str,
    stock_id: &'static str,
    brand_id: &'static str,
}

fn client(sandbox: &Sandbox) -> Client {
    let fast = RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(50));
    sandbox.client_builder().retry(fast).build().unwrap()
}

fn stores() -> Vec<StoreRef> {
    vec![StoreRef { store_id: "100000001".into() }]
}

#[test]
fn the_constant() {
    assert_eq!(DisassociateStores::IDEMPOTENT, Some(true));
    assert_eq!(DisassociateStoresExplicit::IDEMPOTENT, Some(true));
    assert_eq!(DisassociateStoresOnce::IDEMPOTENT, None);
    assert_eq!(ListStores::IDEMPOTENT, None);
    assert_eq!(ListStoresOnce::IDEMPOTENT, Some(false));
}

#[tokio::test]
async fn an_idempotent_post_is_sent_again_with_the_same_bytes() {
    let sandbox = Sandbox::start().unwrap();
    let client = client(&sandbox);
    sandbox.inject(Fault::ServerError);
    let endpoint = DisassociateStores {
        product_coupon_id: PRODUCT_COUPON_ID,
        stock_id: STOCK_ID,
        brand_id: BRAND_ID,
        store_list: stores(),
    };
    let response = client.send(&endpoint).await.unwrap();
    assert_eq!(response.total_count, 1);
    let received = sandbox.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].status, 500);
    assert_eq!(received[1].status, 200);
    assert_eq!((&received[0].target, &received[0].body), (&received[1].target, &received[1].body));

    // Through a dropped connection and a `429` too.
    sandbox.inject(Fault::DropConnection);
    sandbox.inject(Fault::RateLimited { retry_after: None });
    client.send(&endpoint).await.unwrap();
    assert_eq!(sandbox.received().len(), 5);

    let explicit = DisassociateStoresExplicit {
        product_coupon_id: PRODUCT_COUPON_ID,
        stock_id: STOCK_ID,
        brand_id: BRAND_ID,
        store_list: stores(),
    };
    sandbox.inject(Fault::ServerError);
    client.send(&explicit).await.unwrap();
    assert_eq!(sandbox.received().len(), 7);
}

#[tokio::test]
async fn a_post_without_it_is_sent_once() {
    let sandbox = Sandbox::start().unwrap();
    let client = client(&sandbox);
    sandbox.inject(Fault::ServerError);
    let endpoint = DisassociateStoresOnce {
        product_coupon_id: PRODUCT_COUPON_ID,
        stock_id: STOCK_ID,
        brand_id: BRAND_ID,
        store_list: stores(),
    };
    let error = client.send(&endpoint).await.unwrap_err();
    assert_eq!(error.tries(), 1, "{error:?}");
    assert_eq!(error.status(), Some(http::StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(sandbox.received().len(), 1);
}

#[tokio::test]
async fn idempotent_false_stops_the_retries_of_a_get() {
    let sandbox = Sandbox::start().unwrap();
    let client = client(&sandbox);
    sandbox.inject(Fault::ServerError);
    let response = client
        .send(&ListStores { product_coupon_id: PRODUCT_COUPON_ID, stock_id: STOCK_ID, brand_id: BRAND_ID })
        .await
        .unwrap();
    assert_eq!(response.total_count, 0);
    assert_eq!(sandbox.received().len(), 2, "a GET is retried by default");

    sandbox.inject(Fault::ServerError);
    let error = client
        .send(&ListStoresOnce { product_coupon_id: PRODUCT_COUPON_ID, stock_id: STOCK_ID, brand_id: BRAND_ID })
        .await
        .unwrap_err();
    assert_eq!(error.tries(), 1, "{error:?}");
    assert_eq!(sandbox.received().len(), 3);
}
