//! Callbacks: signature, envelope, AES-256-GCM resource and its decoding, through
//! `Client::verify_notification_at::<serde_json::Value>` with the sandbox's keys.
//!
//! The first byte picks a mode (modulo 3, so `r`, `s` and `e` name them in seeds):
//!
//! - `r` raw: the rest is a message (header lines, empty line, body) as the gateway
//!   might send it. Nothing but "never panics" can be asked of it.
//! - `s` signed: the rest is a body, signed here with the sandbox's WeChat Pay key, so
//!   the fuzzer gets past the signature into the envelope. It must never fail as
//!   `Verify`.
//! - `e` encrypted: the rest is `nonce\nassociated_data\nplaintext`; the plaintext is
//!   sealed with the APIv3 key into an envelope, which is signed. The result must be the
//!   plaintext as JSON when it is JSON, else a `Resource` error.

#![no_main]

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::{HeaderMap, HeaderValue};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use wechat_endpoint::crypto::{ApiV3Key, Backend, SigningKey};
use wechat_endpoint::notify::{Notification, NotificationError};
use wechat_endpoint::signing::response_message;
use wechat_endpoint::verify::header;
use wechat_endpoint::{Client, ClientBuilder, sandbox};
use wechat_endpoint_fuzz::parse_message;

const TIMESTAMP: &str = "1764297300";
const NONCE: &str = "fdasfwer4523rwe2asdfasdf2f13rwe3";

static CLIENT: LazyLock<Client> = LazyLock::new(|| {
    ClientBuilder::new()
        .mchid(sandbox::MCHID)
        .merchant_serial(sandbox::MERCHANT_SERIAL)
        .private_key_pem(sandbox::MERCHANT_PRIVATE_KEY_PEM)
        .wechatpay_public_key_pem(sandbox::WECHATPAY_PUBLIC_KEY_ID, sandbox::WECHATPAY_PUBLIC_KEY_PEM)
        .platform_certificate_pem(wechat_endpoint_fuzz::CERTIFICATE_PEM)
        .apiv3_key(sandbox::APIV3_KEY)
        .build()
        .expect("sandbox client")
});
static SIGNER: LazyLock<SigningKey> = LazyLock::new(|| {
    SigningKey::from_pem(sandbox::WECHATPAY_PRIVATE_KEY_PEM, Backend::AwsLc).expect("sandbox WeChat Pay key")
});
static APIV3_KEY: LazyLock<ApiV3Key> = LazyLock::new(|| ApiV3Key::new(sandbox::APIV3_KEY).expect("sandbox APIv3 key"));

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 3 {
        0 => raw(rest),
        1 => signed(rest),
        _ => encrypted(rest),
    }
});

type Outcome = Result<Notification<Value>, NotificationError>;

fn exercise(outcome: &Outcome) {
    if let Err(error) = outcome {
        let _ = error.to_string();
        let response = error.response();
        assert!(response.status().is_client_error() || response.status().is_server_error());
    }
}

fn raw(data: &[u8]) {
    let message = parse_message(data);
    let outcome = CLIENT.verify_notification_at::<Value>(&message.headers, message.body, message.now);
    exercise(&outcome);
    if outcome.is_ok() {
        CLIENT.verifying_keys().verify(&message.headers, message.body, message.now).expect("decoded, so verified");
    }
}

/// Verifies `body` as signed by the sandbox at [`TIMESTAMP`].
fn sign_and_verify(body: &[u8]) -> Outcome {
    let mut message = Vec::new();
    response_message(&mut message, TIMESTAMP, NONCE, body);
    let signature = SIGNER.sign(&message).expect("signing");
    let mut headers = HeaderMap::new();
    headers.insert(header::TIMESTAMP, HeaderValue::from_static(TIMESTAMP));
    headers.insert(header::NONCE, HeaderValue::from_static(NONCE));
    headers.insert(header::SERIAL, HeaderValue::from_static(sandbox::WECHATPAY_PUBLIC_KEY_ID));
    headers
        .insert(header::SIGNATURE, HeaderValue::from_str(&BASE64.encode(signature)).expect("base64 is a header value"));
    let outcome = CLIENT.verify_notification_at::<Value>(&headers, body, TIMESTAMP.parse().unwrap());
    exercise(&outcome);
    assert!(!matches!(outcome, Err(NotificationError::Verify(_))), "a signed body was refused: {outcome:?}");
    outcome
}

fn signed(body: &[u8]) {
    let _ = sign_and_verify(body);
}

fn encrypted(data: &[u8]) {
    let mut parts = data.splitn(3, |&b| b == b'\n');
    let (Some(nonce), Some(associated_data), Some(plaintext)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let (Ok(nonce), Ok(associated_data)) = (std::str::from_utf8(nonce), std::str::from_utf8(associated_data)) else {
        return;
    };
    let Ok(ciphertext) = APIV3_KEY.encrypt(nonce, associated_data, plaintext) else { return };
    let body = json!({
        "id": "EV-2018022511223320873",
        "create_time": "2026-11-28T10:35:00+08:00",
        "resource_type": "encrypt-resource",
        "event_type": "TRANSACTION.SUCCESS",
        "summary": "支付成功",
        "resource": {
            "original_type": "transaction",
            "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": ciphertext,
            "associated_data": associated_data,
            "nonce": nonce,
        },
    })
    .to_string();
    let outcome = sign_and_verify(body.as_bytes());
    match (serde_json::from_slice::<Value>(plaintext), outcome) {
        (Ok(expected), Ok(notification)) => {
            assert_eq!(notification.resource, expected);
            assert_eq!(notification.original_type, "transaction");
        }
        (Err(_), Err(NotificationError::Resource(_))) => {}
        (expected, outcome) => panic!("plaintext as JSON: {expected:?}; notification: {outcome:?}"),
    }
}
