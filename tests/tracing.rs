//! Each call is traced with its method, path template, status, Request-ID, tries and
//! latency, and never with a secret or a path value.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use wechat_endpoint::sandbox::{Fault, Sandbox};

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

#[tokio::test(flavor = "current_thread")]
async fn calls_are_traced_without_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    client.send(&ListStores::new("secret-coupon-id", STOCK_ID)).await.unwrap();
    sandbox.inject(Fault::WrongSignature);
    client.send(&ListStores::new("secret-coupon-id", STOCK_ID)).await.unwrap_err();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("method=GET"), "{log}");
    assert!(log.contains("path=\"v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("request_id=\"sandbox-"), "{log}");
    assert!(log.contains("latency_ms="), "{log}");
    assert!(log.contains("tries=1"), "{log}");
    assert!(log.contains("response verified"), "{log}");
    assert!(log.contains("signature does not verify"), "{log}");
    let authorization = sandbox.received()[0].headers["authorization"].to_str().unwrap().to_owned();
    let signature = authorization.split("signature=\"").nth(1).unwrap().split('"').next().unwrap();
    assert!(!log.contains(signature), "the signature leaked: {log}");
    assert!(!log.contains("secret-coupon-id"), "a path value leaked: {log}");
    assert!(!log.contains(wechat_endpoint::sandbox::APIV3_KEY));
}
