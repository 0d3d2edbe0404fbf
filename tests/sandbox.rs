//! The client against the sandbox over loopback: the happy path, every fault, hostile
//! path values, concurrency.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::*;
use http::StatusCode;
use serde_json::json;
use wechat_endpoint::sandbox::{Fault, Sandbox, SandboxResponse, parse_authorization};
use wechat_endpoint::{Error, Method, RetryPolicy, VerifyError};

fn started() -> (Sandbox, wechat_endpoint::Client) {
    let sandbox = Sandbox::start().expect("sandbox starts");
    let client = sandbox.client().expect("sandbox client builds");
    (sandbox, client)
}

#[tokio::test]
async fn associate_list_disassociate() {
    let (_sandbox, client) = started();
    let response = client.send(&ChangeStores::new(true, PRODUCT_COUPON_ID, STOCK_ID, &["100000001"])).await.unwrap();
    assert_eq!(response.total_count, 1);
    assert_eq!(response.success_store_list, vec![Store { store_id: "100000001".into() }]);
    assert!(response.failed_store_list.is_empty());

    let listed = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
    assert_eq!(listed.total_count, 1);
    assert_eq!(listed.data, vec![Store { store_id: "100000001".into() }]);
    assert_eq!(listed.next_page_token, None);

    let response =
        client.send(&ChangeStores::new(false, PRODUCT_COUPON_ID, STOCK_ID, &["100000001", "100000002"])).await.unwrap();
    assert_eq!(response.total_count, 2);
    assert_eq!(response.success_store_list, vec![Store { store_id: "100000001".into() }]);
    assert_eq!(response.failed_store_list.len(), 1);
    assert_eq!(response.failed_store_list[0].store_id, "100000002");
    assert_eq!(response.failed_store_list[0].code, "STORE_NOT_ASSOCIATED");

    let listed = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
    assert_eq!(listed.total_count, 0);
}

#[tokio::test]
async fn listing_pages_through_every_store() {
    let (_sandbox, client) = started();
    let stores: Vec<String> = (0..23).map(|i| format!("2000{i:05}")).collect();
    let refs: Vec<&str> = stores.iter().map(String::as_str).collect();
    client.send(&ChangeStores::new(true, PRODUCT_COUPON_ID, STOCK_ID, &refs)).await.unwrap();
    let mut seen = Vec::new();
    let mut request = ListStores::new(PRODUCT_COUPON_ID, STOCK_ID);
    request.page_size = Some(10);
    let mut pages = 0;
    loop {
        let page = client.send(&request).await.unwrap();
        assert_eq!(page.total_count, 23);
        pages += 1;
        seen.extend(page.data.into_iter().map(|s| s.store_id));
        match page.next_page_token {
            Some(token) => request.page_token = Some(token),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, stores);
}

#[tokio::test]
async fn the_sent_request_carries_the_required_headers() {
    let (sandbox, client) = started();
    client.send(&ChangeStores::new(true, PRODUCT_COUPON_ID, STOCK_ID, &["1"])).await.unwrap();
    let received = sandbox.received();
    let request = &received[0];
    let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header("accept"), "application/json");
    assert_eq!(header("content-type"), "application/json");
    assert!(header("user-agent").starts_with("wechat-endpoint/"), "{}", header("user-agent"));
    assert!(header("user-agent").contains("rustc/"));
    assert_eq!(header("wechatpay-serial"), wechat_endpoint::sandbox::WECHATPAY_PUBLIC_KEY_ID);
    let authorization = header("authorization");
    let auth = parse_authorization(&authorization).unwrap();
    assert_eq!(auth.mchid, wechat_endpoint::sandbox::MCHID);
    assert_eq!(auth.serial, wechat_endpoint::sandbox::MERCHANT_SERIAL);
    assert_eq!(auth.nonce.len(), 32);
    assert!(auth.nonce.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(request.body.as_ref(), br#"{"brand_id":"120344","store_list":[{"store_id":"1"}]}"#);
    assert_eq!(
        request.target,
        "/v3/marketing/partner/product-coupon/product-coupons/1000000013/stocks/1000000013001/associate-stores"
    );
}

/// The error of one call whose response carries `fault`, with retries off.
async fn refused(fault: Fault) -> Error {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().retry(RetryPolicy::none()).build().unwrap();
    sandbox.inject(fault);
    let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
    // The fault applied to one response only: the next call succeeds.
    client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
    error
}

fn verify_error(error: Error) -> VerifyError {
    match error {
        Error::Verify { source, status, request_id, .. } => {
            assert_eq!(status, StatusCode::OK);
            assert!(request_id.is_some_and(|id| id.starts_with("sandbox-")));
            source
        }
        other => panic!("expected Error::Verify, got {other:?}"),
    }
}

#[tokio::test]
async fn a_wrong_signature_is_refused() {
    assert_eq!(verify_error(refused(Fault::WrongSignature).await), VerifyError::BadSignature);
}

#[tokio::test]
async fn a_signature_probe_is_refused() {
    assert_eq!(verify_error(refused(Fault::SignatureProbe).await), VerifyError::SignatureProbe);
}

#[tokio::test]
async fn a_stale_timestamp_is_refused() {
    assert!(matches!(verify_error(refused(Fault::StaleTimestamp).await), VerifyError::ClockSkew { .. }));
}

#[tokio::test]
async fn an_unknown_serial_is_refused() {
    assert!(
        matches!(verify_error(refused(Fault::UnknownSerial).await), VerifyError::UnknownSerial(s) if s.starts_with("PUB_KEY_ID_"))
    );
}

#[tokio::test]
async fn missing_signature_headers_are_refused() {
    assert!(matches!(verify_error(refused(Fault::MissingSignatureHeaders).await), VerifyError::MissingHeader(_)));
}

#[tokio::test]
async fn a_body_altered_after_signing_is_refused() {
    let error = refused(Fault::BodyAlteredAfterSigning).await;
    let Error::Verify { source, body, .. } = error else { panic!("expected Error::Verify, got {error:?}") };
    assert_eq!(source, VerifyError::BadSignature);
    assert!(!body.is_empty(), "the refused body is kept for investigation");
}

#[tokio::test]
async fn server_errors_and_rate_limits_are_api_errors_with_their_code() {
    for (fault, status, code) in [
        (Fault::ServerError, StatusCode::INTERNAL_SERVER_ERROR, "SYSTEM_ERROR"),
        (Fault::ServiceUnavailable, StatusCode::SERVICE_UNAVAILABLE, "SYSTEM_ERROR"),
        (Fault::RateLimited { retry_after: Some(1) }, StatusCode::TOO_MANY_REQUESTS, "RATELIMIT_EXCEEDED"),
    ] {
        let error = refused(fault).await;
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.api_code(), Some(code));
        assert!(error.request_id().is_some());
        let Error::Api(api) = &error else { panic!("{error:?}") };
        assert!(api.message.is_some());
        assert!(!api.body.is_empty());
        assert!(error.to_string().contains(code), "{error}");
    }
}

#[tokio::test]
async fn a_slow_response_times_out() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().timeout(Duration::from_millis(300)).build().unwrap();
    sandbox.inject(Fault::Slow(Duration::from_secs(3)));
    let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error() {
    let error = refused(Fault::DropConnection).await;
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

#[tokio::test]
async fn hostile_path_values_stay_one_segment_and_verify() {
    let (sandbox, client) = started();
    sandbox.route(Method::GET, "v3/echo/{id}/tail", |req| {
        SandboxResponse::ok(json!({ "id": req.path_value("id"), "q": req.query_value("q") }))
    });
    for value in ["a/b", "x?y=1", "frag#ment", "100%", "../..", "..", "with space", "中文", "a/../b", "%2F", "+&="] {
        if value == ".." {
            let error = client.request(Method::GET, "v3/echo/{id}/tail").path("id", value).send().await.unwrap_err();
            assert!(matches!(error, Error::Build(_)), "{error:?}");
            assert!(error.to_string().contains("`id`"), "{error}");
            continue;
        }
        let response = client
            .request(Method::GET, "v3/echo/{id}/tail")
            .path("id", value)
            .query(&[("q", value)])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{value}: {e}"));
        assert_eq!(response["id"], value, "path value");
        assert_eq!(response["q"], value, "query value");
        let target = sandbox.received().last().unwrap().target.clone();
        let path = target.split('?').next().unwrap();
        assert_eq!(path.split('/').count(), 5, "{target}");
    }
    // The store family with hostile ids: each id is its own stock.
    let weird = "1000/0013?x#y 中";
    client.send(&ChangeStores::new(true, weird, STOCK_ID, &["7"])).await.unwrap();
    assert_eq!(client.send(&ListStores::new(weird, STOCK_ID)).await.unwrap().total_count, 1);
    assert_eq!(client.send(&ListStores::new("1000", STOCK_ID)).await.unwrap().total_count, 0);
}

#[tokio::test]
async fn an_unknown_route_is_resource_not_exists() {
    let (_sandbox, client) = started();
    let error = client.request(Method::GET, "v3/nothing/here").send().await.unwrap_err();
    assert_eq!(error.api_code(), Some("RESOURCE_NOT_EXISTS"));
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn error_bodies_are_kept_even_when_not_json() {
    let (sandbox, client) = started();
    sandbox.route(Method::POST, "v3/broken", |_| {
        SandboxResponse::raw(StatusCode::BAD_GATEWAY, "<html>bad gateway</html>")
    });
    let error = client.request(Method::POST, "v3/broken").json(&json!({})).send().await.unwrap_err();
    let Error::Api(api) = error else { panic!() };
    assert_eq!(api.status, StatusCode::BAD_GATEWAY);
    assert_eq!(api.code, None);
    assert_eq!(api.body.as_ref(), b"<html>bad gateway</html>");
    assert!(api.request_id.is_some());
}

#[tokio::test]
async fn a_param_error_carries_code_and_message() {
    let (_sandbox, client) = started();
    let mut call = ChangeStores::new(true, PRODUCT_COUPON_ID, STOCK_ID, &[]);
    call.brand_id = "120344".into();
    let error = client.send(&call).await.unwrap_err();
    assert_eq!(error.api_code(), Some("PARAM_ERROR"));
    let Error::Api(api) = error else { panic!() };
    assert!(api.message.unwrap().contains("store_list"));
}

#[tokio::test]
async fn a_verified_response_of_the_wrong_shape_is_a_decode_error() {
    let (sandbox, client) = started();
    sandbox.route(
        Method::GET,
        "v3/marketing/partner/product-coupon/product-coupons/{p}/stocks/{s}/associated-stores",
        |_| SandboxResponse::ok(json!({ "total_count": "many" })),
    );
    let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
    let Error::Decode { body, status, request_id, .. } = error else { panic!("{error:?}") };
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_ref(), br#"{"total_count":"many"}"#);
    assert!(request_id.is_some());
}

#[tokio::test]
async fn no_content_responses_decode_as_unit_and_null() {
    let (sandbox, client) = started();
    sandbox.route(Method::POST, "v3/close/{id}", |_| SandboxResponse::no_content());
    let response =
        client.request(Method::POST, "v3/close/{id}").path("id", "1").json(&json!({"a":1})).send().await.unwrap();
    assert_eq!(response, serde_json::Value::Null);
    client.request(Method::POST, "v3/close/{id}").path("id", "2").send_as::<()>().await.unwrap();
    assert_eq!(sandbox.received().len(), 2);
}

#[tokio::test]
async fn dynamic_placeholders_must_match_values() {
    let (_sandbox, client) = started();
    let missing = client.request(Method::GET, "v3/a/{id}").send().await.unwrap_err();
    assert!(missing.to_string().contains("`id`"), "{missing}");
    let extra = client.request(Method::GET, "v3/a").path("id", "1").send().await.unwrap_err();
    assert!(extra.to_string().contains("not in the template"), "{extra}");
    let unclosed = client.request(Method::GET, "v3/a/{id").path("id", "1").send().await.unwrap_err();
    assert!(unclosed.to_string().contains("closing"), "{unclosed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_calls_lose_nothing_and_never_repeat_a_nonce() {
    let (sandbox, client) = started();
    let calls = (0..200).map(|i| {
        let client = client.clone();
        tokio::spawn(async move {
            let store = format!("3{i:08}");
            let response = client.send(&ChangeStores::new(true, PRODUCT_COUPON_ID, STOCK_ID, &[&store])).await?;
            Ok::<_, Error>((store, response))
        })
    });
    let results = futures::future::join_all(calls).await;
    let mut stores = HashSet::new();
    for result in results {
        let (store, response) = result.unwrap().unwrap();
        assert_eq!(response.success_store_list, vec![Store { store_id: store.clone() }]);
        stores.insert(store);
    }
    assert_eq!(stores.len(), 200);

    let received = sandbox.received();
    assert_eq!(received.len(), 200);
    let nonces: HashSet<String> = received
        .iter()
        .map(|r| parse_authorization(r.headers["authorization"].to_str().unwrap()).unwrap().nonce.to_owned())
        .collect();
    assert_eq!(nonces.len(), 200, "a nonce repeated");

    let mut listed = HashSet::new();
    let mut request = ListStores::new(PRODUCT_COUPON_ID, STOCK_ID);
    request.page_size = Some(50);
    loop {
        let page = client.send(&request).await.unwrap();
        listed.extend(page.data.into_iter().map(|s| s.store_id));
        match page.next_page_token {
            Some(token) => request.page_token = Some(token),
            None => break,
        }
    }
    assert_eq!(listed, stores);
}

#[test]
fn the_blocking_client_works_and_refuses_async_contexts() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.blocking_client().unwrap();
    let response = client.send(&ChangeStores::new(true, PRODUCT_COUPON_ID, STOCK_ID, &["9"])).unwrap();
    assert_eq!(response.total_count, 1);
    let listed = client
        .request(Method::GET, ListStores::new("", "").path_template())
        .path("product_coupon_id", PRODUCT_COUPON_ID)
        .path("stock_id", STOCK_ID)
        .query(&[("brand_id", BRAND_ID)])
        .send()
        .unwrap();
    assert_eq!(listed["total_count"], 1);

    let threads: Vec<_> = (0..4)
        .map(|i| {
            let client = client.clone();
            std::thread::spawn(move || {
                client.send(&ChangeStores::new(true, PRODUCT_COUPON_ID, STOCK_ID, &[&format!("t{i}")]))
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap().unwrap();
    }

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let inside = runtime.block_on(async { client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)) });
    assert!(matches!(inside, Err(Error::BlockingInAsyncContext)), "{inside:?}");
}
