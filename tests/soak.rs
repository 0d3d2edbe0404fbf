//! 10,000 calls at concurrency 64 against the sandbox with 5% injected faults (5xx,
//! dropped connections, slow responses): every call succeeds once or fails with a clear
//! error, nothing is sent twice unless a retry was allowed, and no nonce repeats.

mod common;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use common::*;
use futures::StreamExt as _;
use wechat_endpoint::sandbox::{Fault, Sandbox, parse_authorization};
use wechat_endpoint::{Error, RetryPolicy};

const CALLS: usize = 10_000;
const CONCURRENCY: usize = 64;

enum Outcome {
    Posted(Result<StoresResult, Error>),
    Listed(Result<AssociatedStores, Error>),
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak() {
    let sandbox = Sandbox::start().unwrap();
    sandbox.inject_randomly(
        0.05,
        vec![
            Fault::ServerError,
            Fault::ServiceUnavailable,
            Fault::DropConnection,
            Fault::Slow(Duration::from_millis(1500)),
        ],
        20261128,
    );
    let client = sandbox
        .client_builder()
        .timeout(Duration::from_secs(1))
        .retry(RetryPolicy::default().backoff(Duration::from_millis(5), Duration::from_millis(20)))
        .build()
        .unwrap();
    let started = Instant::now();
    let outcomes: Vec<(usize, Outcome)> = futures::stream::iter(0..CALLS)
        .map(|i| {
            let client = client.clone();
            async move {
                let outcome = if i % 2 == 0 {
                    let store = format!("s{i}");
                    Outcome::Posted(client.send(&ChangeStores::new(true, PRODUCT_COUPON_ID, STOCK_ID, &[&store])).await)
                } else {
                    let mut list = ListStores::new(PRODUCT_COUPON_ID, STOCK_ID);
                    list.brand_id = format!("b{i}");
                    Outcome::Listed(client.send(&list).await)
                };
                (i, outcome)
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let elapsed = started.elapsed();

    // What the gateway saw, per call.
    let received = sandbox.received();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut nonces = HashSet::new();
    for request in &received {
        let auth = parse_authorization(request.headers["authorization"].to_str().unwrap()).unwrap();
        assert!(nonces.insert(auth.nonce.to_owned()), "nonce {} repeated", auth.nonce);
        let marker = if request.method == http::Method::POST {
            let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
            body["store_list"][0]["store_id"].as_str().unwrap().to_owned()
        } else {
            let query = request.target.split_once('?').unwrap().1;
            let brand = form_urlencoded_brand(query);
            brand.to_owned()
        };
        *seen.entry(marker).or_default() += 1;
    }

    let (mut ok, mut api, mut transport, mut timeout) = (0, 0, 0, 0);
    let mut retried_gets = 0;
    for (i, outcome) in outcomes {
        let (marker, result_error, post) = match &outcome {
            Outcome::Posted(r) => (format!("s{i}"), r.as_ref().err(), true),
            Outcome::Listed(r) => (format!("b{i}"), r.as_ref().err(), false),
        };
        let sent = seen.get(&marker).copied().unwrap_or(0);
        match &outcome {
            Outcome::Posted(Ok(response)) => assert_eq!(response.success_store_list[0].store_id, marker),
            Outcome::Listed(Ok(response)) => assert_eq!(response.total_count, 0),
            _ => {}
        }
        match result_error {
            None => {
                ok += 1;
                if post {
                    assert_eq!(sent, 1, "POST {marker} sent {sent} times");
                } else {
                    assert!((1..=3).contains(&sent), "GET {marker} sent {sent} times");
                    retried_gets += usize::from(sent > 1);
                }
            }
            Some(error) => {
                assert_eq!(sent as u32, error.tries(), "{marker}: sent {sent} times, error says {}", error.tries());
                if post {
                    assert_eq!(sent, 1, "a POST was retried: {error:?}");
                }
                match error {
                    Error::Api(e) => {
                        assert!(e.status.is_server_error(), "{error:?}");
                        assert!(e.request_id.is_some());
                        api += 1;
                    }
                    Error::Transport { .. } => transport += 1,
                    Error::Timeout { .. } => timeout += 1,
                    other => panic!("unexpected error: {other:?}"),
                }
            }
        }
    }
    assert_eq!(ok + api + transport + timeout, CALLS);
    assert!(ok > CALLS * 9 / 10, "only {ok} of {CALLS} calls succeeded");
    assert!(retried_gets > 0, "no GET was retried: the faults did not fire");
    eprintln!(
        "soak: {CALLS} calls in {elapsed:.1?}, {} requests received; ok {ok}, api {api}, transport {transport}, timeout {timeout}; {retried_gets} GETs succeeded after a retry",
        received.len()
    );
}

fn form_urlencoded_brand(query: &str) -> &str {
    query.split('&').find_map(|pair| pair.strip_prefix("brand_id=")).unwrap()
}
