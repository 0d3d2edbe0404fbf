//! Certificate mode, rotation and the public-key migration against the sandbox.

mod common;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::*;
use serde_json::Value;
use wechat_endpoint::crypto::AeadError;
use wechat_endpoint::notify::NotificationError;
use wechat_endpoint::sandbox::{
    CERTIFICATE_SERIAL, Fault, KeyMode, ROTATED_CERTIFICATE_SERIAL, Sandbox, SandboxNotification,
};
use wechat_endpoint::{ConfigError, Error, PlatformCertificatesError, VerifyError, error_chain};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
/// `expired_certificate.pem`: valid 2015-01-01 to 2020-01-01 UTC.
const EXPIRED_SERIAL: &str = "0E1D2C3B4A59687786950A1B2C3D4E5F60718293";
/// `future_certificate.pem`: valid 2090-01-01 to 2095-01-01 UTC.
const FUTURE_SERIAL: &str = "4F7574757265000000000000000000000000F002";
/// The gap between on-demand refreshes (`MIN_REFRESH_GAP`).
const MIN_REFRESH_GAP: Duration = Duration::from_secs(5);

fn data(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{name}")).unwrap()
}

fn unix(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn payment() -> SandboxNotification {
    SandboxNotification::payment_success("ORDER-CERTS-1", 100)
}

/// Verifies a callback signed by the sandbox now (naming `serial` when given).
async fn callback(
    sandbox: &Sandbox,
    client: &wechat_endpoint::Client,
    serial: Option<&str>,
) -> Result<(), NotificationError> {
    let (headers, body) = sandbox.signed_notification(&payment(), serial).unwrap();
    client.verify_notification::<Value>(&headers, &body).await.map(|_| ())
}

/// Asserts `error` refuses certificate `serial` as outside its window
/// `not_before..not_after` (Unix seconds).
fn assert_not_valid(error: &VerifyError, serial: &str, not_before: u64, not_after: u64) {
    let VerifyError::CertificateNotValid(window) = error else { panic!("{error:?}") };
    assert_eq!(
        (window.serial.as_str(), window.not_before, window.not_after),
        (serial, unix(not_before), unix(not_after))
    );
    assert!(error.to_string().contains(serial), "{error}");
}

/// Polls `done` until it holds, for at most a minute.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

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
            client.send(&AssociateStores::new(PRODUCT_COUPON_ID, STOCK_ID, &[&format!("r{i}")])).await
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
async fn combined_mode_verifies_responses_signed_by_either_key() {
    let sandbox = Sandbox::start_with(KeyMode::Combined).unwrap();
    let client = sandbox.client().unwrap();
    for _ in 0..6 {
        client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
    }
    let keys = client.verifying_keys();
    assert!(keys.wechatpay_public_key_id().is_some());
    assert_eq!(serials(&client), [CERTIFICATE_SERIAL]);
    // Requests name the public key, which responses are signed with during a migration.
    let received = sandbox.received();
    let last = received.last().unwrap();
    assert_eq!(last.headers["wechatpay-serial"], wechat_endpoint::sandbox::WECHATPAY_PUBLIC_KEY_ID);
}

#[tokio::test]
async fn a_merchant_without_certificates_gets_resource_not_exists() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().certificate_refresh(true).build().unwrap();
    let error = client.refresh_certificates().await.unwrap_err();
    assert_eq!(error.api_code(), Some("RESOURCE_NOT_EXISTS"));
    // Responses signed with the public key still verify.
    client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
    let plain = sandbox.client().unwrap();
    assert!(matches!(plain.refresh_certificates().await, Err(Error::PlatformCertificates { .. })));
}

#[tokio::test]
async fn a_wrong_apiv3_key_cannot_bootstrap_trust() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let client = sandbox.client_builder().apiv3_key("0123456789abcdef0123456789abcdef").build().unwrap();
    let error = client.refresh_certificates().await.unwrap_err();
    let Error::PlatformCertificates { source: PlatformCertificatesError::Decrypt { source: AeadError::Tag, .. } } =
        &error
    else {
        panic!("{error:?}")
    };
    assert!(error_chain(&error).contains("tag"), "{error:?}");
    let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
    assert!(matches!(error, Error::Verify { source: VerifyError::UnknownSerial(_), .. }), "{error:?}");
    assert!(client.verifying_keys().is_empty());
}

#[tokio::test]
async fn public_key_ids_named_in_certificate_mode_cause_no_refresh() {
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

#[test]
fn an_expired_configured_certificate_is_refused_at_build() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let by_text = sandbox.client_builder().platform_certificate_pem(data("expired_certificate.pem")).build();
    let by_file = sandbox.client_builder().platform_certificate_file(format!("{DATA}/expired_certificate.pem")).build();
    for error in [by_text.unwrap_err(), by_file.unwrap_err()] {
        let Error::Config(ConfigError::CertificateExpired { serial, not_after }) = &error else { panic!("{error:?}") };
        assert_eq!((serial.as_str(), *not_after), (EXPIRED_SERIAL, unix(1_577_836_800)));
        assert_eq!(
            error.to_string(),
            "platform certificate `0E1D2C3B4A59687786950A1B2C3D4E5F60718293` expired at 2020-01-01T00:00:00Z"
        );
    }
    // Next to a valid one it is refused all the same: it is a mistake either way.
    let error = sandbox
        .client_builder()
        .platform_certificate_pem(data("wechatpay_certificate.pem"))
        .platform_certificate_pem(data("expired_certificate.pem"))
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config(ConfigError::CertificateExpired { .. })), "{error:?}");
}

#[tokio::test]
async fn a_configured_certificate_not_yet_valid_builds_but_verifies_no_response_and_no_callback() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let serial = sandbox.add_certificate(&data("future_certificate.pem"), &data("wechatpay_private_key.pem")).unwrap();
    assert_eq!(serial, FUTURE_SERIAL);
    assert!(sandbox.sign_with_certificate(FUTURE_SERIAL));
    let client = sandbox
        .client_builder()
        .certificate_refresh(false)
        .retry(wechat_endpoint::RetryPolicy::none())
        .platform_certificate_pem(data("future_certificate.pem"))
        .build()
        .unwrap();
    let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
    let Error::Verify { source, .. } = &error else { panic!("{error:?}") };
    assert_not_valid(source, FUTURE_SERIAL, 3_786_912_000, 3_944_678_400);
    let Err(NotificationError::Verify(source)) = callback(&sandbox, &client, None).await else { panic!() };
    assert_not_valid(&source, FUTURE_SERIAL, 3_786_912_000, 3_944_678_400);
}

/// Lists `pem` at the sandbox, downloads it, then signs with it: responses and callbacks
/// it signs are refused as outside its window, and so is a download it signs.
async fn a_downloaded_certificate_out_of_its_window_is_refused(pem: &str, serial: &str, window: (u64, u64)) {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    assert_eq!(sandbox.add_certificate(&data(pem), &data("wechatpay_private_key.pem")).unwrap(), serial);
    let client = sandbox.client_builder().retry(wechat_endpoint::RetryPolicy::none()).build().unwrap();
    let mut held = client.refresh_certificates().await.unwrap();
    held.sort();
    let mut expected = vec![CERTIFICATE_SERIAL.to_owned(), serial.to_owned()];
    expected.sort();
    assert_eq!(held, expected, "held, to be refused by name");
    assert!(sandbox.sign_with_certificate(serial));
    let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
    let Error::Verify { source, .. } = &error else { panic!("{error:?}") };
    assert_not_valid(source, serial, window.0, window.1);
    let Err(NotificationError::Verify(source)) = callback(&sandbox, &client, None).await else { panic!() };
    assert_not_valid(&source, serial, window.0, window.1);
    assert_eq!(downloads(&sandbox), 1, "a known serial out of its window causes no refresh");
    let error = client.refresh_certificates().await.unwrap_err();
    let Error::Verify { source, .. } = &error else { panic!("{error:?}") };
    assert_not_valid(source, serial, window.0, window.1);
    // Encryption picks the certificate that is valid now.
    assert_eq!(client.encrypt_sensitive("13800138000").unwrap().wechatpay_serial(), CERTIFICATE_SERIAL);
}

#[tokio::test]
async fn a_downloaded_expired_certificate_verifies_no_response_and_no_callback() {
    a_downloaded_certificate_out_of_its_window_is_refused(
        "expired_certificate.pem",
        EXPIRED_SERIAL,
        (1_420_070_400, 1_577_836_800),
    )
    .await;
}

#[tokio::test]
async fn a_downloaded_certificate_not_yet_valid_verifies_no_response_and_no_callback() {
    a_downloaded_certificate_out_of_its_window_is_refused(
        "future_certificate.pem",
        FUTURE_SERIAL,
        (3_786_912_000, 3_944_678_400),
    )
    .await;
}

fn leading_zeros(serial: &str) -> String {
    format!("000{serial}")
}

#[tokio::test]
async fn serials_match_in_any_case_and_with_leading_zeros() {
    for spelling in [str::to_lowercase as fn(&str) -> String, leading_zeros] {
        let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
        sandbox.spell_serials(spelling);
        // Downloaded: the listed `serial_no` and the responses' `Wechatpay-Serial` are
        // spelled so; the certificate states its serial in upper case.
        let client = sandbox.client().unwrap();
        client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
        callback(&sandbox, &client, None).await.unwrap();
        assert_eq!(serials(&client), [CERTIFICATE_SERIAL]);
        assert_eq!(downloads(&sandbox), 1);
        // Downloading again replaces the certificate held: one per serial.
        client.refresh_certificates().await.unwrap();
        assert_eq!(serials(&client), [CERTIFICATE_SERIAL]);
        // Configured up front, no refresh.
        let configured = sandbox
            .client_builder()
            .certificate_refresh(false)
            .platform_certificate_pem(data("wechatpay_certificate.pem"))
            .build()
            .unwrap();
        configured.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
        callback(&sandbox, &configured, None).await.unwrap();
        // A rotation under the same spelling is picked up on demand.
        sandbox.rotate_certificate();
        client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap();
        assert_eq!(serials(&client), [CERTIFICATE_SERIAL, ROTATED_CERTIFICATE_SERIAL]);
    }
}

#[tokio::test]
async fn a_client_that_only_verifies_callbacks_refreshes_in_the_background() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let client = sandbox.client_builder().certificate_refresh_interval(Duration::from_secs(1)).build().unwrap();
    eventually("a background download", || downloads(&sandbox) >= 1).await;
    sandbox.rotate_certificate();
    eventually("the rotated certificate", || serials(&client).len() == 2).await;
    // Verified with the keys held, no refresh: the background one brought the key.
    let (headers, body) = sandbox.signed_notification(&payment(), None).unwrap();
    client.verify_notification_at::<Value>(&headers, &body, wechat_endpoint::signing::unix_now()).unwrap();
}

#[test]
fn a_blocking_client_built_outside_a_runtime_refreshes_in_the_background() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let client =
        sandbox.client_builder().certificate_refresh_interval(Duration::from_secs(1)).build_blocking().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while downloads(&sandbox) == 0 {
        assert!(Instant::now() < deadline, "no background download");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(client);
    // An async client built outside a runtime starts its refresh on its first runtime.
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let plain = sandbox.client_builder().certificate_refresh_interval(Duration::from_secs(1)).build().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    runtime.block_on(async {
        let (headers, body) = sandbox.signed_notification(&payment(), None).unwrap();
        // The first callback downloads on demand; the background refresh runs from then.
        plain.verify_notification::<Value>(&headers, &body).await.unwrap();
        assert_eq!(downloads(&sandbox), 1);
        eventually("background downloads", || downloads(&sandbox) >= 3).await;
    });
}

/// Forged callbacks, each naming a made-up certificate serial, all at once; each is
/// refused as naming an unknown serial.
async fn forge(sandbox: &Sandbox, client: &wechat_endpoint::Client, serials: &[String]) {
    let mut tasks = tokio::task::JoinSet::new();
    for serial in serials {
        let (headers, body) = sandbox.signed_notification(&payment(), Some(serial)).unwrap();
        let client = client.clone();
        tasks.spawn(async move { client.verify_notification::<Value>(&headers, &body).await.map(|_| ()) });
    }
    while let Some(result) = tasks.join_next().await {
        let error = result.unwrap().unwrap_err();
        assert!(matches!(error, NotificationError::Verify(VerifyError::UnknownSerial(_))), "{error:?}");
    }
}

fn made_up_serials(from: u64, count: u64) -> Vec<String> {
    (from..from + count).map(|i| format!("{i:040X}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_serials_do_not_starve_a_genuine_new_serial() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let client = sandbox.client().unwrap();
    client.refresh_certificates().await.unwrap();
    // The flood's download is slow, so every forged callback meets it in flight.
    sandbox.inject(Fault::Slow(Duration::from_millis(500)));
    forge(&sandbox, &client, &made_up_serials(0xF0_0000, 30)).await;
    assert_eq!(downloads(&sandbox), 2, "the flood shared one download");
    // The gateway moves to a new certificate; its next callback names it.
    assert_eq!(sandbox.rotate_certificate(), Some(ROTATED_CERTIFICATE_SERIAL));
    callback(&sandbox, &client, None).await.unwrap();
    assert_eq!(downloads(&sandbox), 3);
    assert_eq!(serials(&client), [CERTIFICATE_SERIAL, ROTATED_CERTIFICATE_SERIAL]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_serials_cannot_force_unbounded_downloads() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let client = sandbox.client().unwrap();
    client.refresh_certificates().await.unwrap();
    sandbox.inject(Fault::Slow(Duration::from_millis(500)));
    let flood = made_up_serials(0xF0_0000, 30);
    forge(&sandbox, &client, &flood).await;
    assert_eq!(downloads(&sandbox), 2, "thirty forged serials at once: one download");
    // The same serials again, in other spellings, and ids that are no certificate serial.
    forge(&sandbox, &client, &flood).await;
    forge(&sandbox, &client, &flood.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>()).await;
    let not_serials = ["PUB_KEY_ID_0119000091912025112899999999999999", "NOT-A-SERIAL", &"A".repeat(65)];
    forge(&sandbox, &client, &not_serials.map(str::to_owned)).await;
    assert_eq!(downloads(&sandbox), 2, "serials a fresh download did not list cause none");
    // New made-up serials one after another: one download each, spaced by the gap.
    let started = Instant::now();
    forge(&sandbox, &client, &made_up_serials(0xF1_0000, 1)).await;
    forge(&sandbox, &client, &made_up_serials(0xF2_0000, 1)).await;
    assert_eq!(downloads(&sandbox), 4);
    assert!(started.elapsed() >= MIN_REFRESH_GAP, "on-demand downloads are spaced by the gap");
}

#[test]
fn a_client_whose_runtime_stopped_restarts_its_refresh_on_the_next_one() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let first = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = first.block_on(async {
        sandbox.client_builder().certificate_refresh_interval(Duration::from_secs(1)).build().unwrap()
    });
    // The refresh task started on `first` ends with it.
    drop(first);
    let second = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    second.block_on(async {
        callback(&sandbox, &client, None).await.unwrap();
        assert_eq!(downloads(&sandbox), 1, "the on-demand download for the first callback");
        eventually("background downloads on the second runtime", || downloads(&sandbox) >= 3).await;
    });
}

/// The download goes under the base URL's path, with or without a trailing `/`, like
/// every call.
#[tokio::test]
async fn the_download_goes_under_the_base_paths() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    for (base, expected) in
        [("", "/v3/certificates"), ("prefix", "/prefix/v3/certificates"), ("prefix/", "/prefix/v3/certificates")]
    {
        let client = sandbox.client_builder().base_url(format!("{}{base}", sandbox.base_url())).build().unwrap();
        let result = client.refresh_certificates().await;
        assert_eq!(result.is_ok(), base.is_empty(), "{base}: {result:?}");
        assert_eq!(sandbox.received().last().unwrap().target, expected, "{base}");
    }
}
