//! Secrets and user data never reach `Debug`, error text or logs: keys in the builder,
//! path and query values and bodies in requests, errors and traces, whatever went wrong.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use wechat_endpoint::sandbox::{APIV3_KEY, Fault, MERCHANT_PRIVATE_KEY_PEM, Sandbox, SandboxResponse};
use wechat_endpoint::{Client, ClientBuilder, Error, Method, RetryPolicy, error_chain};

/// A path value and query values that must appear nowhere but on the wire.
const ORDER: &str = "ORDER-SECRET-42";
const NOTE: &str = "PHONE-13800138000";
const TEMPLATE: &str = "v3/pay/transactions/out-trade-no/{out_trade_no}";

/// Every line of base64 in a PEM: none may appear in `Debug` output.
fn pem_lines(pem: &str) -> Vec<&str> {
    pem.lines().filter(|line| !line.starts_with("-----") && line.len() > 16).collect()
}

#[test]
fn builder_debug_holds_no_key() {
    let builder = ClientBuilder::new()
        .mchid("1900009191")
        .merchant_serial("5157F09EFDC096DE15EBE81A47057A7232F1B8E1")
        .private_key_pem(MERCHANT_PRIVATE_KEY_PEM)
        .apiv3_key(APIV3_KEY)
        .base_url("https://merchant:hunter2-password@api.mch.weixin.qq.com/");
    let shown = format!("{builder:?}");
    assert!(!shown.contains(APIV3_KEY), "the APIv3 key leaked: {shown}");
    for line in pem_lines(MERCHANT_PRIVATE_KEY_PEM) {
        assert!(!shown.contains(line), "the private key leaked: {shown}");
    }
    assert!(!shown.contains("hunter2"), "the base URL's password leaked: {shown}");
    assert!(shown.contains("apiv3_key: Some([redacted])"), "{shown}");
    assert!(shown.contains("1900009191"), "the rest is still shown: {shown}");

    // The password is not quoted by the error either.
    let error = builder.build().unwrap_err();
    assert!(!error_chain(&error).contains("hunter2"), "{}", error_chain(&error));
    assert!(!format!("{error:?}").contains("hunter2"), "{error:?}");
}

#[test]
fn clients_debug_holds_no_key() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let blocking = sandbox.blocking_client().unwrap();
    for shown in [format!("{client:?}"), format!("{blocking:?}"), format!("{:?}", sandbox.client_builder())] {
        assert!(!shown.contains(APIV3_KEY), "{shown}");
        for line in pem_lines(MERCHANT_PRIVATE_KEY_PEM) {
            assert!(!shown.contains(line), "{shown}");
        }
    }
}

#[test]
fn a_dynamic_request_debug_leaves_out_values_and_body() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let request = client
        .request(Method::POST, TEMPLATE)
        .path("out_trade_no", ORDER)
        .query(&[("note", NOTE)])
        .json(&json!({ "payer": { "phone": NOTE, "order": ORDER } }));
    let shown = format!("{request:?}");
    assert!(!shown.contains(ORDER) && !shown.contains(NOTE), "{shown}");
    assert!(shown.contains(TEMPLATE) && shown.contains("out_trade_no"), "{shown}");

    let blocking = sandbox.blocking_client().unwrap();
    let request = blocking.request(Method::POST, TEMPLATE).path("out_trade_no", ORDER).json(&json!({ "n": NOTE }));
    let shown = format!("{request:?}");
    assert!(!shown.contains(ORDER) && !shown.contains(NOTE), "{shown}");
}

/// Log lines written while a test runs, at every level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn start() -> (Self, tracing::subscriber::DefaultGuard) {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (captured, tracing::subscriber::set_default(subscriber))
    }

    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

async fn call(client: &Client) -> Result<serde_json::Value, Error> {
    client
        .request(Method::GET, TEMPLATE)
        .path("out_trade_no", ORDER)
        .query(&[("mchid", "1900009191"), ("note", NOTE)])
        .send()
        .await
}

/// Neither the error's text, its chain, its `Debug`, nor anything logged holds a value.
fn assert_clean(what: &str, error: &Error, log: &str) {
    for text in [error_chain(error), format!("{error:?}"), error.to_string(), log.to_owned()] {
        assert!(!text.contains(ORDER), "{what}: the path value leaked: {text}");
        assert!(!text.contains(NOTE), "{what}: the query value leaked: {text}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_refused_connection_error_and_its_logs_hold_no_value() {
    let (captured, _guard) = Captured::start();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox
        .client_builder()
        .base_url(format!("http://127.0.0.1:{port}/"))
        .retry(RetryPolicy::default())
        .build()
        .unwrap();
    let error = call(&client).await.unwrap_err();
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    assert!(error.tries() > 1, "retried, and logged each retry: {error:?}");
    let log = captured.text();
    assert!(log.contains("retrying") && log.contains("call failed"), "{log}");
    assert_clean("refused connection", &error, &log);
    assert!(error_chain(&error).contains(TEMPLATE), "the template names the call: {}", error_chain(&error));
}

#[tokio::test(flavor = "current_thread")]
async fn every_sandbox_fault_gives_errors_and_logs_without_values() {
    let (captured, _guard) = Captured::start();
    let sandbox = Sandbox::start().unwrap();
    // The response echoes the values, so bodies kept by errors hold them.
    sandbox.route(Method::GET, TEMPLATE, |req| {
        SandboxResponse::ok(json!({ "out_trade_no": req.path_value("out_trade_no"), "note": req.query_value("note") }))
    });
    let client =
        sandbox.client_builder().retry(RetryPolicy::none()).timeout(Duration::from_millis(500)).build().unwrap();
    let faults = [
        Fault::WrongSignature,
        Fault::SignatureProbe,
        Fault::StaleTimestamp,
        Fault::UnknownSerial,
        Fault::MissingSignatureHeaders,
        Fault::JunkSignatureHeaders,
        Fault::DuplicateSignatureHeaders,
        Fault::BodyAlteredAfterSigning,
        Fault::ServerError,
        Fault::ServiceUnavailable,
        Fault::RateLimited { retry_after: Some(1) },
        Fault::Slow(Duration::from_secs(3)),
        Fault::DropConnection,
    ];
    for fault in faults {
        sandbox.inject(fault.clone());
        let error = call(&client).await.unwrap_err();
        assert_clean(&format!("{fault:?}"), &error, &captured.text());
        if let Error::Verify { body, .. } = &error {
            assert!(String::from_utf8_lossy(body).contains(ORDER), "the raw body is kept for the caller");
        }
    }

    // A verified response that does not decode: serde_json's own message quotes the value.
    let error = client
        .request(Method::GET, TEMPLATE)
        .path("out_trade_no", ORDER)
        .query(&[("note", NOTE)])
        .send_as::<std::collections::HashMap<String, u64>>()
        .await
        .unwrap_err();
    let Error::Decode { source, body, .. } = &error else { panic!("{error:?}") };
    let full = source.get_ref().to_string();
    assert!(full.contains(NOTE) || full.contains(ORDER), "the full JSON error stays available: {full}");
    assert!(String::from_utf8_lossy(body).contains(NOTE), "the raw body stays available");
    assert!(
        error_chain(&error).contains("a value does not fit the expected type at line 1"),
        "{}",
        error_chain(&error)
    );
    assert_clean("decode", &error, &captured.text());
}
