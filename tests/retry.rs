//! Retries, back-off and fail-over against the sandbox.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;
use http::StatusCode;
use serde_json::json;
use tokio::io::AsyncReadExt as _;
use tokio::net::TcpListener;
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
    let call = AssociateStores::new(PRODUCT_COUPON_ID, STOCK_ID, &["1"]);
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
    let response = client
        .request(Method::POST, "v3/marketing/partner/product-coupon/product-coupons/{p}/stocks/{s}/associate-stores")
        .path("p", PRODUCT_COUPON_ID)
        .path("s", STOCK_ID)
        .json(&json!({"brand_id": BRAND_ID, "store_list": [{"store_id": "2"}]}))
        .idempotent(true)
        .send()
        .await
        .unwrap();
    assert_eq!(response["total_count"], 1);
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
async fn other_4xx_timeouts_and_forged_responses_are_final() {
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

#[tokio::test]
async fn connection_failures_are_retried_even_for_a_post_and_fail_over_to_the_backup() {
    let sandbox = Sandbox::start().unwrap();
    let dead = closed_port_url();
    let alone = sandbox.client_builder().base_url(&dead).retry(fast()).build().unwrap();
    let call = AssociateStores::new(PRODUCT_COUPON_ID, STOCK_ID, &["1"]);
    let error = alone.send(&call).await.unwrap_err();
    assert!(matches!(error, Error::Connect { tries: 3, .. }), "{error:?}");

    let with_backup =
        sandbox.client_builder().base_url(&dead).backup_base_url(sandbox.base_url()).retry(fast()).build().unwrap();
    let response = with_backup.send(&call).await.unwrap();
    assert_eq!(response.total_count, 1);
    assert_eq!(sandbox.received().len(), 1, "the POST reached the gateway exactly once");
}

#[test]
fn a_backup_with_another_path_is_refused() {
    let sandbox = Sandbox::start().unwrap();
    let error = sandbox.client_builder().backup_base_url(format!("{}other/", sandbox.base_url())).build().unwrap_err();
    assert!(error.to_string().contains("backup base URL"), "{error}");
    sandbox.client_builder().backup_host().build().unwrap();
}

/// What a stalled or broken peer does with each connection it accepts.
#[derive(Clone, Copy)]
enum Peer {
    /// Holds the connection open and never reads or writes: a TLS handshake never
    /// finishes, a plain request is written and never responded to.
    Silent,
    /// Closes the connection at once, before reading anything (a TLS handshake's peer).
    #[cfg_attr(not(feature = "aws-lc"), allow(dead_code))]
    CloseAtOnce,
    /// Reads until the request's headers have arrived, then closes without responding.
    CloseAfterRequest,
}

/// A loopback listener behaving as `peer`; returns its address and the number of
/// connections it accepted.
async fn broken_peer(peer: Peer) -> (std::net::SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((mut stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            match peer {
                Peer::Silent => held.push(stream),
                Peer::CloseAtOnce => drop(stream),
                Peer::CloseAfterRequest => {
                    tokio::spawn(async move {
                        let mut seen = Vec::new();
                        let mut buf = [0; 4096];
                        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                            match stream.read(&mut buf).await {
                                Ok(0) | Err(_) => break,
                                Ok(n) => seen.extend_from_slice(&buf[..n]),
                            }
                        }
                    });
                }
            }
        }
    });
    (address, accepted)
}

/// A TLS handshake the peer never completes is a connection failure: the POST was never
/// written, so it is retried and fails over to the backup, where it arrives once.
#[cfg(feature = "aws-lc")]
#[tokio::test]
async fn a_tls_handshake_that_never_finishes_fails_over_even_for_a_post() {
    let sandbox = Sandbox::start().unwrap();
    let (stalled, accepted) = broken_peer(Peer::Silent).await;
    let primary = format!("https://{stalled}/");
    let call = AssociateStores::new(PRODUCT_COUPON_ID, STOCK_ID, &["1"]);

    let alone =
        sandbox.client_builder().base_url(&primary).connect_timeout(Duration::from_millis(200)).retry(fast()).build();
    let error = alone.unwrap().send(&call).await.unwrap_err();
    assert!(matches!(error, Error::Connect { tries: 3, .. }), "{error:?}");
    assert!(error.to_string().contains("the request was not sent"), "{error}");
    assert_eq!(accepted.load(Ordering::SeqCst), 3, "each try opened its own connection");

    let with_backup = sandbox
        .client_builder()
        .base_url(&primary)
        .backup_base_url(sandbox.base_url())
        .connect_timeout(Duration::from_millis(200))
        .retry(fast())
        .build()
        .unwrap();
    let response = with_backup.send(&call).await.unwrap();
    assert_eq!(response.total_count, 1);
    assert_eq!(sandbox.received().len(), 1, "the POST reached the backup exactly once");
}

/// A peer that closes the connection during the TLS handshake saw no request either.
#[cfg(feature = "aws-lc")]
#[tokio::test]
async fn a_connection_closed_during_the_tls_handshake_fails_over_even_for_a_post() {
    let sandbox = Sandbox::start().unwrap();
    let (closing, accepted) = broken_peer(Peer::CloseAtOnce).await;
    let client = sandbox
        .client_builder()
        .base_url(format!("https://{closing}/"))
        .backup_base_url(sandbox.base_url())
        .retry(fast())
        .build()
        .unwrap();
    let response = client.send(&AssociateStores::new(PRODUCT_COUPON_ID, STOCK_ID, &["1"])).await.unwrap();
    assert_eq!(response.total_count, 1);
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
    assert_eq!(sandbox.received().len(), 1);
}

/// Once the request was written, a peer that never responds leaves the outcome unknown:
/// a `Timeout`, final for a POST, and never sent to the backup.
#[tokio::test]
async fn a_request_written_and_never_responded_to_is_a_timeout_and_a_post_is_not_retried() {
    let sandbox = Sandbox::start().unwrap();
    let (silent, accepted) = broken_peer(Peer::Silent).await;
    let client = sandbox
        .client_builder()
        .base_url(format!("http://{silent}/"))
        .backup_base_url(sandbox.base_url())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_millis(300))
        .retry(fast())
        .build()
        .unwrap();
    let error = client.send(&AssociateStores::new(PRODUCT_COUPON_ID, STOCK_ID, &["1"])).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { tries: 1, .. }), "{error:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
    assert!(sandbox.received().is_empty(), "the backup received {:?}", sandbox.received());

    // An idempotent call is not repeated after a timeout either: the gateway may be
    // working on it.
    let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { tries: 1, .. }), "{error:?}");
    assert!(sandbox.received().is_empty());
}

/// A peer that read the request and closed without responding may have acted on it: a
/// `Transport` error, final for a POST, and never sent to the backup.
#[tokio::test]
async fn a_connection_closed_after_the_request_is_final_for_a_post() {
    let sandbox = Sandbox::start().unwrap();
    let (closing, accepted) = broken_peer(Peer::CloseAfterRequest).await;
    let client = sandbox
        .client_builder()
        .base_url(format!("http://{closing}/"))
        .backup_base_url(sandbox.base_url())
        .retry(fast())
        .build()
        .unwrap();
    let error = client.send(&AssociateStores::new(PRODUCT_COUPON_ID, STOCK_ID, &["1"])).await.unwrap_err();
    assert!(matches!(error, Error::Transport { tries: 1, .. }), "{error:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
    assert!(sandbox.received().is_empty());
}
