//! Callbacks: the fixed notification, every refusal, and delivery by the sandbox to a
//! real axum server on loopback.

use std::net::SocketAddr;

use axum::Router;
use axum::routing::post;
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::Deserialize;
use serde_json::Value;
use wechat_endpoint::axum::WechatPayNotification;
use wechat_endpoint::crypto::AeadError;
use wechat_endpoint::notify::{self, Ack, Notification, NotificationError};
use wechat_endpoint::sandbox::{self, KeyMode, Sandbox, SandboxNotification};
use wechat_endpoint::{Client, VerifyError};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn vectors() -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DATA}/vectors.json")).unwrap()).unwrap()
}

fn client(apiv3_key: Option<&str>) -> Client {
    let data = |name: &str| std::fs::read_to_string(format!("{DATA}/{name}")).unwrap();
    let mut builder = Client::builder()
        .mchid(sandbox::MCHID)
        .merchant_serial(sandbox::MERCHANT_SERIAL)
        .private_key_pem(data("merchant_private_key.pem"))
        .wechatpay_public_key_pem(sandbox::WECHATPAY_PUBLIC_KEY_ID, data("wechatpay_public_key.pem"));
    if let Some(key) = apiv3_key {
        builder = builder.apiv3_key(key);
    }
    builder.build().unwrap()
}

struct Fixed {
    headers: HeaderMap,
    body: String,
    now: i64,
    plaintext: Value,
    apiv3_key: String,
}

fn fixed() -> Fixed {
    let v = vectors();
    let n = &v["notification"];
    let mut headers = HeaderMap::new();
    for (name, value) in n["headers"].as_object().unwrap() {
        headers.insert(
            name.as_str().parse::<http::HeaderName>().unwrap(),
            HeaderValue::from_str(value.as_str().unwrap()).unwrap(),
        );
    }
    Fixed {
        headers,
        body: n["body"].as_str().unwrap().to_owned(),
        now: n["clock_now"].as_i64().unwrap(),
        plaintext: serde_json::from_str(n["plaintext"].as_str().unwrap()).unwrap(),
        apiv3_key: n["apiv3_key"].as_str().unwrap().to_owned(),
    }
}

#[derive(Debug, Deserialize, PartialEq)]
struct Transaction {
    out_trade_no: String,
    trade_state: String,
    amount: Amount,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Amount {
    total: u64,
}

#[test]
fn the_fixed_notification_verifies_and_decrypts() {
    let f = fixed();
    let client = client(Some(&f.apiv3_key));
    let n: Notification<Value> = client.verify_notification_at(&f.headers, f.body.as_bytes(), f.now).unwrap();
    assert_eq!(n.resource, f.plaintext);
    assert_eq!(n.id, "EV-2018022511223320873");
    assert_eq!(n.event_type, "TRANSACTION.SUCCESS");
    assert_eq!(n.resource_type, "encrypt-resource");
    assert_eq!(n.summary, "支付成功");
    assert_eq!(n.original_type, "transaction");
    let typed: Notification<Transaction> = client.verify_notification_at(&f.headers, f.body.as_bytes(), f.now).unwrap();
    assert_eq!(typed.resource.out_trade_no, f.plaintext["out_trade_no"]);
    assert_eq!(typed.resource.trade_state, "SUCCESS");
}

#[test]
fn each_refusal_has_its_own_error() {
    let f = fixed();
    let good = client(Some(&f.apiv3_key));
    let parse = |client: &Client, headers: &HeaderMap, body: &str, now: i64| {
        client.verify_notification_at::<Value>(headers, body.as_bytes(), now).unwrap_err()
    };

    // A body re-serialised (or tampered with) no longer verifies.
    let reserialised = serde_json::to_string(&serde_json::from_str::<Value>(&f.body).unwrap()).unwrap();
    assert_ne!(reserialised, f.body);
    let e = parse(&good, &f.headers, &reserialised, f.now);
    assert!(matches!(e, NotificationError::Verify(VerifyError::BadSignature)), "{e:?}");
    let tampered = f.body.replacen("支付成功", "支付失败", 1);
    let e = parse(&good, &f.headers, &tampered, f.now);
    assert!(matches!(e, NotificationError::Verify(VerifyError::BadSignature)), "{e:?}");

    let e = parse(&good, &f.headers, &f.body, f.now + 400);
    assert!(matches!(e, NotificationError::Verify(VerifyError::ClockSkew { .. })), "{e:?}");

    let mut probe = f.headers.clone();
    probe.insert("Wechatpay-Signature", HeaderValue::from_static("WECHATPAY/SIGNTEST/AQEBAQEBAQEBAQE="));
    let e = parse(&good, &probe, &f.body, f.now);
    assert!(matches!(e, NotificationError::Verify(VerifyError::SignatureProbe)), "{e:?}");

    let wrong_key = client(Some("0123456789abcdef0123456789abcdef"));
    let e = parse(&wrong_key, &f.headers, &f.body, f.now);
    assert!(matches!(e, NotificationError::Decrypt(AeadError::Tag)), "{e:?}");

    let no_key = client(None);
    let e = parse(&no_key, &f.headers, &f.body, f.now);
    assert!(matches!(e, NotificationError::NoApiV3Key), "{e:?}");
    assert_eq!(e.response().status(), StatusCode::INTERNAL_SERVER_ERROR);

    let wrong_shape = good.verify_notification_at::<Vec<u8>>(&f.headers, f.body.as_bytes(), f.now).unwrap_err();
    assert!(matches!(wrong_shape, NotificationError::Resource(_)), "{wrong_shape:?}");
}

#[test]
fn the_apiv3_key_must_be_32_bytes() {
    let data = std::fs::read_to_string(format!("{DATA}/merchant_private_key.pem")).unwrap();
    let error = Client::builder()
        .mchid("1")
        .merchant_serial("A")
        .private_key_pem(data)
        .wechatpay_public_key_pem(sandbox::WECHATPAY_PUBLIC_KEY_ID, sandbox::WECHATPAY_PUBLIC_KEY_PEM)
        .apiv3_key("short")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("APIv3 key"), "{error}");
    assert!(!format!("{error:?}").contains("short"));
}

#[test]
fn acknowledgements_have_the_gateway_shape() {
    assert_eq!(notify::success().status(), StatusCode::NO_CONTENT);
    assert!(notify::success().body().is_empty());
    let failure = notify::failure(StatusCode::BAD_REQUEST, "bad");
    assert_eq!(failure.status(), StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_slice(failure.body()).unwrap();
    assert_eq!(body, serde_json::json!({"code": "FAIL", "message": "bad"}));
    let refused = NotificationError::Verify(VerifyError::BadSignature).response();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let body: Value = serde_json::from_slice(refused.body()).unwrap();
    assert_eq!(body["code"], "FAIL");
}

async fn paid(WechatPayNotification(n): WechatPayNotification<Transaction>) -> Ack {
    assert_eq!(n.event_type, "TRANSACTION.SUCCESS");
    assert_eq!(n.resource.out_trade_no, "1217752501201407033233368018");
    assert_eq!(n.resource.amount.total, 100);
    Ack
}

async fn serve(client: Client) -> SocketAddr {
    let app = Router::new().route("/notify", post(paid)).with_state(client);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

#[tokio::test]
async fn the_sandbox_delivers_to_an_axum_handler_and_probes_are_refused() {
    for mode in [KeyMode::PublicKey, KeyMode::Certificate, KeyMode::Combined] {
        let sandbox = Sandbox::start_with(mode).unwrap();
        let addr = serve(sandbox.client().unwrap()).await;
        let url = format!("http://{addr}/notify");
        let notification = SandboxNotification::payment_success("1217752501201407033233368018", 100);
        for _ in 0..2 {
            let delivery = sandbox.deliver(&url, &notification).await.unwrap();
            assert_eq!(delivery.status, StatusCode::NO_CONTENT, "{mode:?}: {:?}", delivery.body);
        }
        let probe = sandbox.deliver_probe(&url, &notification).await.unwrap();
        assert_eq!(probe.status, StatusCode::UNAUTHORIZED, "{mode:?}");
        let body: Value = serde_json::from_slice(&probe.body).unwrap();
        assert_eq!(body["code"], "FAIL");
    }
}

#[tokio::test]
async fn a_handler_with_the_wrong_apiv3_key_refuses() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client_builder().apiv3_key("0123456789abcdef0123456789abcdef").build().unwrap();
    let addr = serve(client).await;
    let notification = SandboxNotification::payment_success("1217752501201407033233368018", 100);
    let delivery = sandbox.deliver(&format!("http://{addr}/notify"), &notification).await.unwrap();
    assert_eq!(delivery.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_blocking_client_verifies_callbacks_too() {
    use axum::body::Bytes;
    let sandbox = Sandbox::start().unwrap();
    let blocking = sandbox.blocking_client().unwrap();
    let app = Router::new().route(
        "/notify",
        post(move |headers: HeaderMap, body: Bytes| {
            let blocking = blocking.clone();
            async move {
                let verified = tokio::task::spawn_blocking(move || {
                    blocking.verify_notification::<Transaction>(&headers, &body).map(|n| n.resource.amount.total)
                })
                .await
                .unwrap();
                match verified {
                    Ok(100) => StatusCode::NO_CONTENT,
                    _ => StatusCode::UNAUTHORIZED,
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/notify", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let notification = SandboxNotification::payment_success("1217752501201407033233368018", 100);
    assert_eq!(sandbox.deliver(&url, &notification).await.unwrap().status, StatusCode::NO_CONTENT);
    assert_eq!(sandbox.deliver_probe(&url, &notification).await.unwrap().status, StatusCode::UNAUTHORIZED);
}
