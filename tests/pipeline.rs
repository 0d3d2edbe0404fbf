//! One pipeline for every request: bill files go through the same tries, fail-over and
//! errors as API calls, and every error names the call it ended.

mod common;

use std::time::Duration;

use common::*;
use wechat_endpoint::bill::{BillFile, TradeBill};
use wechat_endpoint::sandbox::{Fault, Sandbox, SandboxBill};
use wechat_endpoint::{Error, Method, RetryPolicy};

fn fast() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(50))
}

/// A file on the primary host that cannot be reached is fetched from the backup host,
/// as any call to the primary is.
#[tokio::test]
async fn a_bill_file_fails_over_to_the_backup_host_like_any_call() {
    let sandbox = Sandbox::start().unwrap();
    let bill = SandboxBill::of_size(30_000);
    sandbox.serve_bill(bill.clone());
    let file = sandbox.client().unwrap().send(&TradeBill::new("2024-05-01")).await.unwrap();
    let dead = closed_port_url();
    let on_primary = BillFile { download_url: file.download_url.replace(&sandbox.base_url(), &dead), ..file };
    assert!(on_primary.download_url.starts_with(&dead), "{on_primary:?}");

    let client =
        sandbox.client_builder().base_url(&dead).backup_base_url(sandbox.base_url()).retry(fast()).build().unwrap();
    let mut out = Vec::new();
    let done = client.download_file(&on_primary, &mut out).await.unwrap();
    assert_eq!(out, bill.contents());
    assert_eq!(done.tries, 2, "one refused connection, then the backup");

    let alone = sandbox.client_builder().base_url(&dead).retry(fast()).build().unwrap();
    let error = alone.download_file(&on_primary, &mut Vec::new()).await.unwrap_err();
    assert!(matches!(error, Error::Connect { tries: 3, .. }), "{error:?}");
    assert!(error.to_string().starts_with("GET /v3/billdownload/file: could not connect"), "{error}");
}

/// `Api`, `Verify` and `Decode` errors say which call failed: its method and path
/// template, never its values.
#[tokio::test]
async fn errors_from_responses_name_the_call() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().retry(RetryPolicy::none()).build().unwrap();
    let secret = "SECRET-COUPON-ID";
    let call = format!("GET {}: ", ListStores::new(secret, STOCK_ID).path_template());

    let mut list = ListStores::new(secret, STOCK_ID);
    list.page_size = Some(1000);
    let error = client.send(&list).await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.method == Method::GET && api.path == list.path_template()));
    let text = error.to_string();
    assert!(text.starts_with(&call) && text.contains("PARAM_ERROR"), "{text}");

    sandbox.inject(Fault::WrongSignature);
    let error = client.send(&ListStores::new(secret, STOCK_ID)).await.unwrap_err();
    assert!(matches!(error, Error::Verify { .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.starts_with(&format!("{call}200 OK response refused (Request-ID sandbox-")), "{text}");

    let error = client
        .request(Method::GET, "v3/marketing/partner/product-coupon/product-coupons/{p}/stocks/{s}/associated-stores")
        .path("p", secret)
        .path("s", STOCK_ID)
        .query(&[("brand_id", BRAND_ID)])
        .send_as::<Vec<u64>>()
        .await
        .unwrap_err();
    let Error::Decode { method, path, tries, .. } = &error else { panic!("{error:?}") };
    assert_eq!(
        (method, path.as_str(), *tries),
        (&Method::GET, "v3/marketing/partner/product-coupon/product-coupons/{p}/stocks/{s}/associated-stores", 1)
    );
    let text = error.to_string();
    assert!(text.starts_with("GET v3/marketing/partner/product-coupon/product-coupons/{p}/stocks/{s}/associated-stores: 200 OK response did not decode"), "{text}");

    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains(secret), "{text}");
    }
}

/// The calls' futures can be spawned on a multi-threaded runtime.
#[test]
fn calls_are_send() {
    fn send<T: Send>(_: T) {}
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let mut out = Vec::new();
    send(client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)));
    send(client.request(Method::GET, "v3/bill/tradebill").send());
    send(client.download(&TradeBill::new("2024-05-01"), &mut out));
    send(client.download_to_path(&TradeBill::new("2024-05-01"), "bill.csv"));
    send(client.refresh_certificates());
}
