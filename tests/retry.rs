//! Retries, back-off and fail-over against the sandbox.

mod common;

use std::time::{Duration, Instant};

use common::*;
use http::StatusCode;
use serde_json::json;
use wechat_endpoint::sandbox::{Fault, Sandbox, parse_authorization};
use wechat_endpoint::{Error, Method, RetryPolicy};

fn fast() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(50))
}

fn nonces(sandbox: &Sandbox) -> Vec<String> {
    sandbox
        .received()
        .iter()
        .map(|r| parse_authorization(r.headers["authorization"].to_str().unwrap()).unwrap().nonce.to_owned())
        .collect()
}

#[tokio::test]
async fn an_idempotent_call_is_retried_with_the_same_bytes_and_a_fresh_signature() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().retry(fast()).build().unwrap();
    sandbox.inject(Fault::ServerError);
    sandbox.inject(Fault::DropConnection);
    let listed = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
    assert_eq!(listed.total_count, 0);
    let received = sandbox.received();
    assert_eq!(received.len(), 3);
    assert!(received.windows(2).all(|w| w[0].target == w[1].target && w[0].body == w[1].body));
    let nonces = nonces(&sandbox);
    assert!(nonces[0] != nonces[1] && nonces[1] != nonces[2]);
}

#[tokio::test]
async fn tries_are_bounded_and_counted() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().retry(fast().max_tries(3)).build().unwrap();
    for _ in 0..5 {
        sandbox.inject(Fault::ServiceUnavailable);
    }
    let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
    assert_eq!(error.api_code(), Some("SYSTEM_ERROR"));
    assert_eq!(error.tries(), 3);
    assert!(error.request_id().is_some());
    assert_eq!(sandbox.received().len(), 3);
}

#[tokio::test]
async fn a_post_is_not_retried_unless_allowed() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().retry(fast()).build().unwrap();
    let call = ChangeStores::new(true, PRODUCT_COUPON_ID, STOCK_ID, &["1"]);
    for fault in [Fault::ServerError, Fault::DropConnection, Fault::RateLimited { retry_after: None }] {
        sandbox.inject(fault);
        let error = client.send(&call).await.unwrap_err();
        assert_eq!(error.tries(), 1, "{error:?}");
    }
    assert_eq!(sandbox.received().len(), 3);

    // Allowed for the client…
    let allowed = sandbox.client_builder().retry(fast().non_idempotent(true)).build().unwrap();
    sandbox.inject(Fault::ServerError);
    allowed.send(&call).await.unwrap();
    let received = sandbox.received();
    assert_eq!(received.len(), 5);
    assert_eq!(received[3].body, received[4].body);

    // …or for one request.
    sandbox.inject(Fault::ServerError);
    let answer = client
        .request(Method::POST, "v3/marketing/partner/product-coupon/product-coupons/{p}/stocks/{s}/associate-stores")
        .path("p", PRODUCT_COUPON_ID)
        .path("s", STOCK_ID)
        .json(&json!({"brand_id": BRAND_ID, "store_list": [{"store_id": "2"}]}))
        .idempotent(true)
        .send()
        .await
        .unwrap();
    assert_eq!(answer["total_count"], 1);
    assert_eq!(sandbox.received().len(), 7);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().retry(fast()).build().unwrap();
    sandbox.inject(Fault::RateLimited { retry_after: Some(1) });
    let started = Instant::now();
    client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(sandbox.received().len(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_stops() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().retry(fast().budget(Duration::from_millis(500))).build().unwrap();
    sandbox.inject(Fault::RateLimited { retry_after: Some(30) });
    let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(error.tries(), 1);
    let Error::Api(api) = error else { panic!() };
    assert_eq!(api.retry_after, Some(Duration::from_secs(30)));
}

#[tokio::test]
async fn other_4xx_timeouts_and_forged_answers_are_final() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().retry(fast()).timeout(Duration::from_millis(300)).build().unwrap();
    let mut call = ListStores::new(PRODUCT_COUPON_ID, STOCK_ID);
    call.page_size = Some(1000);
    let error = client.send(&call).await.unwrap_err();
    assert_eq!(error.api_code(), Some("PARAM_ERROR"));
    assert_eq!(error.tries(), 1);

    sandbox.inject(Fault::Slow(Duration::from_secs(2)));
    let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { tries: 1, .. }), "{error:?}");

    sandbox.inject(Fault::WrongSignature);
    let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
    assert!(matches!(error, Error::Verify { tries: 1, .. }), "{error:?}");
}

fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    url
}

#[tokio::test]
async fn connection_failures_are_retried_even_for_a_post_and_fail_over_to_the_backup() {
    let sandbox = Sandbox::start().unwrap();
    let dead = closed_port_url();
    let alone = sandbox.client_builder().base_url(&dead).retry(fast()).build().unwrap();
    let call = ChangeStores::new(true, PRODUCT_COUPON_ID, STOCK_ID, &["1"]);
    let error = alone.send(&call).await.unwrap_err();
    assert!(matches!(error, Error::Transport { tries: 3, .. }), "{error:?}");

    let with_backup =
        sandbox.client_builder().base_url(&dead).backup_base_url(sandbox.base_url()).retry(fast()).build().unwrap();
    let answer = with_backup.send(&call).await.unwrap();
    assert_eq!(answer.total_count, 1);
    assert_eq!(sandbox.received().len(), 1, "the POST reached the gateway exactly once");
}

#[test]
fn a_backup_with_another_path_is_refused() {
    let sandbox = Sandbox::start().unwrap();
    let error = sandbox.client_builder().backup_base_url(format!("{}other/", sandbox.base_url())).build().unwrap_err();
    assert!(error.to_string().contains("backup base URL"), "{error}");
    sandbox.client_builder().backup_host().build().unwrap();
}
