//! Hostile input: path and query values that try to change the request, responses that
//! are malformed, oversized or forged in new ways, and no secret in any `Debug`.

mod common;

use common::*;
use http::StatusCode;
use serde_json::json;
use wechat_endpoint::sandbox::{Fault, Sandbox, SandboxResponse};
use wechat_endpoint::{Error, Method, RetryPolicy, VerifyError};

const HOSTILE: &[&str] = &[
    "a/b",
    "../../v3/refund",
    "x?y=1&z=2",
    "#frag",
    "100%",
    "%2e%2e",
    "a\r\nX-Injected: 1",
    "nul\0byte",
    "emoji 🦀🧧",
    "中文 值",
    "+plus",
    "tab\there",
    "semi;colon",
    "back\\slash",
    "\"quoted\"",
    "<tag>",
];

#[tokio::test]
async fn any_value_stays_inside_its_segment_or_query_value_and_verifies() {
    let sandbox = Sandbox::start().unwrap();
    sandbox.route(Method::GET, "v3/echo/{a}/middle/{b}", |req| {
        SandboxResponse::ok(json!({
            "a": req.path_value("a"),
            "b": req.path_value("b"),
            "q": req.query_value("q"),
            "injected": req.headers.contains_key("x-injected"),
        }))
    });
    let client = sandbox.client().unwrap();
    for value in HOSTILE {
        let response = client
            .request(Method::GET, "v3/echo/{a}/middle/{b}")
            .path("a", value)
            .path("b", "fixed")
            .query(&[("q", *value)])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{value:?}: {}", wechat_endpoint::error_chain(&e)));
        assert_eq!(response["a"], *value, "{value:?}");
        assert_eq!(response["b"], "fixed");
        assert_eq!(response["q"], *value);
        assert_eq!(response["injected"], false);
        let target = sandbox.received().last().unwrap().target.clone();
        let (path, query) = target.split_once('?').unwrap();
        assert_eq!(path.split('/').count(), 6, "{target}");
        assert!(path.starts_with("/v3/echo/") && path.ends_with("/middle/fixed"), "{target}");
        assert!(!query.contains('&'), "{target}");
        assert!(target.bytes().all(|b| b.is_ascii_graphic()), "{target:?}");
    }
}

#[tokio::test]
async fn junk_and_duplicated_signature_headers_are_refused() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().retry(RetryPolicy::none()).build().unwrap();
    for fault in [Fault::JunkSignatureHeaders, Fault::DuplicateSignatureHeaders] {
        sandbox.inject(fault.clone());
        let error = client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID)).await.unwrap_err();
        let Error::Verify { source, .. } = &error else { panic!("{fault:?}: {error:?}") };
        assert!(matches!(source, VerifyError::InvalidHeader { .. }), "{fault:?}: {source:?}");
        assert!(error.request_id().is_some());
    }
}

#[tokio::test]
async fn malformed_responses_are_decode_errors_with_the_raw_body() {
    let sandbox = Sandbox::start().unwrap();
    sandbox.route(Method::GET, "v3/binary", |_| SandboxResponse::raw(StatusCode::OK, vec![0xff, 0xfe, b'{', 0x80]));
    sandbox.route(Method::GET, "v3/truncated", |_| SandboxResponse::raw(StatusCode::OK, "{\"total_count\":"));
    let client = sandbox.client().unwrap();
    for (path, raw) in [("v3/binary", &[0xff, 0xfe, b'{', 0x80][..]), ("v3/truncated", b"{\"total_count\":")] {
        let error = client.request(Method::GET, path).send().await.unwrap_err();
        let Error::Decode { body, .. } = &error else { panic!("{path}: {error:?}") };
        assert_eq!(body.as_ref(), raw);
    }
}

#[tokio::test]
async fn an_oversized_response_is_cut_off_while_reading() {
    let sandbox = Sandbox::start().unwrap();
    sandbox.route(Method::GET, "v3/huge", |_| SandboxResponse::raw(StatusCode::OK, vec![b'x'; 3 * 1024 * 1024]));
    let client = sandbox.client_builder().max_response_bytes(1024 * 1024).build().unwrap();
    let error = client.request(Method::GET, "v3/huge").send().await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { limit: 1_048_576, .. }), "{error:?}");
    assert!(error.request_id().is_some());
    // The default limit lets it through to verification.
    sandbox.client().unwrap().request(Method::GET, "v3/huge").send().await.unwrap_err();
}

#[test]
fn no_debug_output_or_error_holds_a_secret() {
    let sandbox = Sandbox::start().unwrap();
    let key_line = wechat_endpoint::sandbox::MERCHANT_PRIVATE_KEY_PEM.lines().nth(3).unwrap();
    let apiv3 = wechat_endpoint::sandbox::APIV3_KEY;
    let builder = sandbox.client_builder();
    let client = builder.clone().build().unwrap();
    let blocking = sandbox.blocking_client().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    sandbox.inject(Fault::WrongSignature);
    let verify_error = runtime.block_on(client.send(&ListStores::new(PRODUCT_COUPON_ID, STOCK_ID))).unwrap_err();
    let config_error = sandbox.client_builder().apiv3_key(format!("{apiv3}!")).build().unwrap_err();
    let authorization = sandbox.received()[0].headers["authorization"].to_str().unwrap().to_owned();
    let signature = authorization.split("signature=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let texts = [
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{blocking:?}"),
        format!("{verify_error:?}"),
        wechat_endpoint::error_chain(&verify_error),
        format!("{config_error:?}"),
        wechat_endpoint::error_chain(&config_error),
        format!("{:?}", wechat_endpoint::crypto::ApiV3Key::new(apiv3).unwrap()),
    ];
    for text in texts {
        assert!(!text.contains(key_line), "private key material in {text}");
        assert!(!text.contains(apiv3), "APIv3 key in {text}");
        assert!(!text.contains(&signature), "Authorization in {text}");
    }
}
