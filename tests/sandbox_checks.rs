//! The sandbox refuses requests the gateway would refuse, saying which check failed.

use std::time::{SystemTime, UNIX_EPOCH};

use wechat_endpoint::crypto::{Backend, SigningKey};
use wechat_endpoint::sandbox::{MCHID, MERCHANT_PRIVATE_KEY_PEM, MERCHANT_SERIAL, Sandbox};
use wechat_endpoint::signing::{MerchantSigner, nonce};

const TARGET: &str = "/v3/marketing/partner/product-coupon/product-coupons/1/stocks/2/associate-stores";
const BODY: &str = r#"{"brand_id":"120344","store_list":[{"store_id":"1"}]}"#;

struct Raw {
    authorization: Option<String>,
    accept: bool,
    user_agent: bool,
    body: &'static str,
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn authorization(mchid: &str, serial: &str, timestamp: i64, nonce: &str, body: &str) -> String {
    let key = SigningKey::from_pem(MERCHANT_PRIVATE_KEY_PEM, Backend::default()).unwrap();
    MerchantSigner::new(mchid, serial, key)
        .authorization(&mut Vec::new(), "POST", TARGET, body.as_bytes(), timestamp, nonce)
        .unwrap()
}

fn good() -> Raw {
    Raw {
        authorization: Some(authorization(MCHID, MERCHANT_SERIAL, now(), &nonce(), BODY)),
        accept: true,
        user_agent: true,
        body: BODY,
    }
}

/// Sends over a plain TCP stream, so no client library adds headers of its own.
async fn send(sandbox: &Sandbox, raw: Raw) -> (u16, serde_json::Value) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut request = format!(
        "POST {TARGET} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        sandbox.addr(),
        raw.body.len()
    );
    if let Some(a) = raw.authorization {
        request.push_str(&format!("Authorization: {a}\r\n"));
    }
    if raw.accept {
        request.push_str("Accept: application/json\r\n");
    }
    if raw.user_agent {
        request.push_str("User-Agent: raw-test/1\r\n");
    }
    request.push_str("\r\n");
    request.push_str(raw.body);
    let mut stream = tokio::net::TcpStream::connect(sandbox.addr()).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8(response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response.split_once("\r\n\r\n").unwrap().1;
    (status, serde_json::from_str(body).unwrap())
}

async fn refused_with(sandbox: &Sandbox, raw: Raw, message: &str) {
    let (status, body) = send(sandbox, raw).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], "SIGN_ERROR");
    let text = body["message"].as_str().unwrap();
    assert!(text.contains(message), "expected `{message}` in `{text}`");
}

#[tokio::test]
async fn a_correct_request_passes_and_its_replay_does_not() {
    let sandbox = Sandbox::start().unwrap();
    let raw = good();
    let replay = Raw { authorization: raw.authorization.clone(), accept: true, user_agent: true, body: BODY };
    let (status, body) = send(&sandbox, raw).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total_count"], 1);
    refused_with(&sandbox, replay, "already used").await;
}

#[tokio::test]
async fn each_check_names_itself() {
    let sandbox = Sandbox::start().unwrap();
    refused_with(&sandbox, Raw { authorization: None, ..good() }, "Authorization header is missing").await;
    refused_with(&sandbox, Raw { accept: false, ..good() }, "Accept header is missing").await;
    refused_with(&sandbox, Raw { user_agent: false, ..good() }, "User-Agent header is missing").await;
    refused_with(&sandbox, Raw { authorization: Some("Bearer abc".into()), ..good() }, "does not start").await;
    let n = nonce();
    refused_with(
        &sandbox,
        Raw { authorization: Some(authorization("1900000000", MERCHANT_SERIAL, now(), &n, BODY)), ..good() },
        "mchid `1900000000`",
    )
    .await;
    refused_with(
        &sandbox,
        Raw { authorization: Some(authorization(MCHID, "ABCDEF", now(), &nonce(), BODY)), ..good() },
        "serial_no `ABCDEF`",
    )
    .await;
    refused_with(
        &sandbox,
        Raw { authorization: Some(authorization(MCHID, MERCHANT_SERIAL, now() - 301, &nonce(), BODY)), ..good() },
        "limit 300s",
    )
    .await;
    refused_with(
        &sandbox,
        Raw { authorization: Some(authorization(MCHID, MERCHANT_SERIAL, now() + 400, &nonce(), BODY)), ..good() },
        "limit 300s",
    )
    .await;
    // Signed over one body, sent with another.
    refused_with(
        &sandbox,
        Raw {
            authorization: Some(authorization(MCHID, MERCHANT_SERIAL, now(), &nonce(), BODY)),
            body: r#"{"brand_id":"120344","store_list":[{"store_id":"2"}]}"#,
            ..good()
        },
        "signature does not verify",
    )
    .await;
    // Fields in another order still parse; a tampered signature does not verify.
    let a = authorization(MCHID, MERCHANT_SERIAL, now(), &nonce(), BODY);
    let fields: Vec<&str> = a.trim_start_matches("WECHATPAY2-SHA256-RSA2048 ").split(',').collect();
    let reordered =
        format!("WECHATPAY2-SHA256-RSA2048 {}", fields.iter().rev().cloned().collect::<Vec<_>>().join(", "));
    let (status, body) = send(&sandbox, Raw { authorization: Some(reordered), ..good() }).await;
    assert_eq!(status, 200, "{body}");
    let tampered =
        authorization(MCHID, MERCHANT_SERIAL, now(), &nonce(), BODY).replacen("signature=\"", "signature=\"AAAA", 1);
    refused_with(&sandbox, Raw { authorization: Some(tampered), ..good() }, "signature").await;
}
