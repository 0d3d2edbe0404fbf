//! Certificate mode, rotation and the public-key migration against the sandbox.

mod common;

use std::time::Duration;

use common::*;
use wechat_endpoint::sandbox::{CERTIFICATE_SERIAL, Fault, KeyMode, ROTATED_CERTIFICATE_SERIAL, Sandbox};
use wechat_endpoint::{Error, VerifyError};

fn downloads(sandbox: &Sandbox) -> usize {
    sandbox.received().iter().filter(|r| r.target == "/v3/certificates").count()
}

fn serials(client: &wechat_endpoint::Client) -> Vec<String> {
    let mut serials: Vec<String> = client.verifying_keys().certificate_serials().map(str::to_owned).collect();
    serials.sort();
    serials
}

#[tokio::test]
async fn a_client_with_only_the_apiv3_key_downloads_certificates_on_first_use() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let client = sandbox.client().unwrap();
    assert!(client.verifying_keys().is_empty());
    client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
    assert_eq!(serials(&client), [CERTIFICATE_SERIAL]);
    assert_eq!(downloads(&sandbox), 1);
    // Known now: no more downloads.
    client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
    assert_eq!(downloads(&sandbox), 1);
    assert_eq!(client.refresh_certificates().await.unwrap(), [CERTIFICATE_SERIAL]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_mid_run_loses_no_call() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let client = sandbox.client().unwrap();
    client.refresh_certificates().await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..60 {
        if i == 20 {
            assert_eq!(sandbox.rotate_certificate(), Some(ROTATED_CERTIFICATE_SERIAL));
        }
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            client.send(&ChangeStores::new(true, PRODUCT_COUPON_ID, STOCK_ID, &[&format!("r{i}")])).await
        }));
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(serials(&client), [CERTIFICATE_SERIAL, ROTATED_CERTIFICATE_SERIAL]);
    // One download up front, one after the rotation: the on-demand refresh is shared.
    assert_eq!(downloads(&sandbox), 2);
    let listed = client.send(&ListStores { page_size: Some(50), ..ListStores::new(PRODUCT_COUPON_ID, STOCK_ID) }).await;
    assert_eq!(listed.unwrap().total_count, 60, "every call landed");
}

#[tokio::test]
async fn combined_mode_verifies_answers_signed_by_either_key() {
    let sandbox = Sandbox::start_with(KeyMode::Combined).unwrap();
    let client = sandbox.client().unwrap();
    for _ in 0..6 {
        client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
    }
    let keys = client.verifying_keys();
    assert!(keys.public_key_id().is_some());
    assert_eq!(serials(&client), [CERTIFICATE_SERIAL]);
    // Requests name the public key, which answers are signed with during a migration.
    let received = sandbox.received();
    let last = received.last().unwrap();
    assert_eq!(last.headers["wechatpay-serial"], wechat_endpoint::sandbox::PUBLIC_KEY_ID);
}

#[tokio::test]
async fn a_merchant_without_certificates_gets_resource_not_exists() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().certificate_refresh(true).build().unwrap();
    let error = client.refresh_certificates().await.unwrap_err();
    assert_eq!(error.api_code(), Some("RESOURCE_NOT_EXISTS"));
    // Answers signed with the public key still verify.
    client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
    let plain = sandbox.client().unwrap();
    assert!(matches!(plain.refresh_certificates().await, Err(Error::PlatformCertificates { .. })));
}

#[tokio::test]
async fn a_wrong_apiv3_key_cannot_bootstrap_trust() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let client = sandbox.client_builder().apiv3_key("0123456789abcdef0123456789abcdef").build().unwrap();
    let error = client.refresh_certificates().await.unwrap_err();
    let Error::PlatformCertificates { problem } = &error else { panic!("{error:?}") };
    assert!(problem.contains("tag"), "{problem}");
    let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
    assert!(matches!(error, Error::Verify { source: VerifyError::UnknownSerial(_), .. }), "{error:?}");
    assert!(client.verifying_keys().is_empty());
}

#[tokio::test]
async fn unknown_serials_refresh_at_most_once_a_minute() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let client = sandbox.client_builder().retry(wechat_endpoint::RetryPolicy::none()).build().unwrap();
    client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
    assert_eq!(downloads(&sandbox), 1);
    for _ in 0..3 {
        sandbox.inject(Fault::UnknownSerial);
        let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
        assert!(matches!(error, Error::Verify { source: VerifyError::UnknownSerial(_), .. }), "{error:?}");
    }
    assert_eq!(downloads(&sandbox), 1, "the refresh a moment ago is not repeated");
}

#[tokio::test]
async fn certificates_refresh_in_the_background() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let client = sandbox.client_builder().certificate_refresh_interval(Duration::from_secs(1)).build().unwrap();
    client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
    let before = downloads(&sandbox);
    sandbox.rotate_certificate();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(downloads(&sandbox) >= before + 2, "{} downloads", downloads(&sandbox));
    assert_eq!(serials(&client), [CERTIFICATE_SERIAL, ROTATED_CERTIFICATE_SERIAL]);
    drop(client);
    // The task stops with the client.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let after_drop = downloads(&sandbox);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(downloads(&sandbox), after_drop);
}
