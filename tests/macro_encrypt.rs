//! `#[wechat(encrypt)]` against the sandbox: each kind of field it takes travels
//! encrypted under the key `Wechatpay-Serial` names, and decrypts to what was declared.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use common::decrypt_all;
use serde::Deserialize;
use serde_json::{Value, json};
use wechat_endpoint::crypto::{Backend, PrivateKey};
use wechat_endpoint::sandbox::{
    CERTIFICATE_SERIAL, KeyMode, Received, Sandbox, SandboxResponse, WECHATPAY_PRIVATE_KEY_PEM, WECHATPAY_PUBLIC_KEY_ID,
};
use wechat_endpoint::sensitive::Sensitive;
use wechat_endpoint::{Endpoint, Error, Method, wechat_endpoint};

const ADD_RECEIVER: &str = "v3/profitsharing/receivers/add";
/// A path of the tests' own, for fields no operation of WeChat Pay has.
const EVERY_KIND: &str = "v3/fixture/every-kind";

/// What the sandbox route responds with: the `Wechatpay-Serial` it got, the body as sent, and
/// the body with every ciphertext decrypted.
#[derive(Debug, Deserialize)]
struct Echo {
    serial: Option<String>,
    raw: Value,
    plain: Value,
}

/// `POST v3/profitsharing/receivers/add` (添加分账接收方): `name` is sensitive.
#[wechat_endpoint(POST, "v3/profitsharing/receivers/add", response = Echo)]
struct AddReceiver<'a> {
    appid: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    account: &'a str,
    #[wechat(encrypt)]
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    relation_type: &'a str,
}

/// Every type `#[wechat(encrypt)]` takes, next to a nested `Sensitive` and plain fields.
#[wechat_endpoint(POST, "v3/fixture/every-kind", response = Echo)]
struct EveryKind<'a> {
    #[wechat(encrypt)]
    owned: String,
    #[wechat(encrypt)]
    borrowed: &'a str,
    #[wechat(encrypt)]
    #[serde(rename = "optional")]
    optional_owned: Option<String>,
    #[wechat(encrypt)]
    #[serde(skip_serializing_if = "Option::is_none")]
    optional_borrowed: Option<&'a str>,
    #[wechat(body, encrypt)]
    none_owned: Option<String>,
    #[wechat(encrypt)]
    none_borrowed: Option<&'a str>,
    nested: Vec<Sensitive>,
    plain: &'a str,
}

/// The gateway's side: decrypts with the WeChat Pay private key, which both the public
/// key (`WECHATPAY_PUBLIC_KEY_ID`) and the sandbox's first platform certificate hold.
fn serve_echo(sandbox: &Sandbox) {
    for path in [ADD_RECEIVER, EVERY_KIND] {
        let key = PrivateKey::from_pem(WECHATPAY_PRIVATE_KEY_PEM, Backend::default()).unwrap();
        sandbox.route(Method::POST, path, move |req| {
            let serial = req.headers.get("wechatpay-serial").map(|v| v.to_str().unwrap().to_owned());
            let raw: Value = req.json().unwrap();
            SandboxResponse::ok(json!({ "serial": serial, "plain": decrypt_all(&raw, &key), "raw": raw }))
        });
    }
}

fn header<'a>(request: &'a Received, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

fn receiver(name: Option<&str>) -> AddReceiver<'static> {
    AddReceiver {
        appid: "wx8888888888888888",
        kind: "PERSONAL_OPENID",
        account: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
        name: name.map(Into::into),
        relation_type: "PARTNER",
    }
}

#[tokio::test]
async fn an_encrypted_field_round_trips_under_the_public_key() {
    let sandbox = Sandbox::start().unwrap();
    serve_echo(&sandbox);
    let client = sandbox.client().unwrap();
    let echo = client.send(&receiver(Some("张三"))).await.unwrap();

    assert_eq!(echo.serial.as_deref(), Some(WECHATPAY_PUBLIC_KEY_ID));
    assert_eq!(header(&sandbox.received()[0], "wechatpay-serial"), Some(WECHATPAY_PUBLIC_KEY_ID));
    assert_eq!(
        echo.plain,
        json!({
            "appid": "wx8888888888888888",
            "type": "PERSONAL_OPENID",
            "account": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
            "name": "张三",
            "relation_type": "PARTNER",
        })
    );
    let sent = echo.raw["name"].as_str().unwrap();
    assert_eq!(BASE64.decode(sent).unwrap().len(), 256, "an RSA-2048 OAEP ciphertext: {sent}");
    assert!(!String::from_utf8_lossy(&sandbox.received()[0].body).contains("张三"));
}

#[tokio::test]
async fn every_kind_of_field_round_trips() {
    let sandbox = Sandbox::start().unwrap();
    serve_echo(&sandbox);
    let client = sandbox.client().unwrap();
    let endpoint = EveryKind {
        owned: "owned 中文".into(),
        borrowed: "borrowed",
        optional_owned: Some("optional owned".into()),
        optional_borrowed: Some("optional borrowed"),
        none_owned: None,
        none_borrowed: None,
        nested: vec!["6222000000000000".into()],
        plain: "plain text",
    };
    let echo = client.send(&endpoint).await.unwrap();
    assert_eq!(echo.serial.as_deref(), Some(WECHATPAY_PUBLIC_KEY_ID));
    assert_eq!(
        echo.plain,
        json!({
            "owned": "owned 中文",
            "borrowed": "borrowed",
            "optional": "optional owned",
            "optional_borrowed": "optional borrowed",
            "none_owned": null,
            "none_borrowed": null,
            "nested": ["6222000000000000"],
            "plain": "plain text",
        })
    );
    for encrypted in ["owned", "borrowed", "optional", "optional_borrowed"] {
        assert_ne!(echo.raw[encrypted], echo.plain[encrypted], "{encrypted} is sent encrypted");
    }
    assert_eq!(echo.raw["plain"], "plain text");

    // `skip_serializing_if` leaves a `None` out, as in any serde derive.
    let endpoint = EveryKind { optional_borrowed: None, ..endpoint };
    let echo = client.send(&endpoint).await.unwrap();
    assert!(echo.raw.get("optional_borrowed").is_none(), "{}", echo.raw);
}

#[tokio::test]
async fn a_none_is_left_out_and_nothing_is_encrypted() {
    let sandbox = Sandbox::start().unwrap();
    serve_echo(&sandbox);
    let client = sandbox.client().unwrap();
    let echo = client.send(&receiver(None)).await.unwrap();
    assert!(echo.raw.get("name").is_none(), "{}", echo.raw);
    assert_eq!(echo.raw, echo.plain, "no ciphertext in the body");
}

#[tokio::test]
async fn certificate_mode_names_the_certificate() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    serve_echo(&sandbox);
    let client = sandbox.client().unwrap();
    client.refresh_certificates().await.unwrap();
    let echo = client.send(&receiver(Some("李四"))).await.unwrap();
    assert_eq!(echo.serial.as_deref(), Some(CERTIFICATE_SERIAL));
    assert_eq!(echo.plain["name"], "李四");
}

#[tokio::test]
async fn a_value_over_the_oaep_limit_fails_before_anything_is_sent() {
    let sandbox = Sandbox::start().unwrap();
    serve_echo(&sandbox);
    let client = sandbox.client().unwrap();
    let name = "名".repeat(72);
    let error = client.send(&receiver(Some(&name))).await.unwrap_err();
    assert!(matches!(error, Error::Build(_)), "{error:?}");
    assert!(wechat_endpoint::error_chain(&error).contains("214 bytes"), "{}", wechat_endpoint::error_chain(&error));
    assert!(sandbox.received().is_empty());
}

#[test]
fn outside_a_client_the_body_is_an_error_not_plaintext() {
    let mut body = Vec::new();
    let error = receiver(Some("张三")).write_body(&mut body).unwrap_err();
    assert!(wechat_endpoint::error_chain(&error).contains("while a wechat-endpoint client writes"), "{error}");
    // Without a value to encrypt, the body is written as usual.
    body.clear();
    receiver(None).write_body(&mut body).unwrap();
    assert_eq!(
        String::from_utf8(body).unwrap(),
        r#"{"appid":"wx8888888888888888","type":"PERSONAL_OPENID","account":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o","relation_type":"PARTNER"}"#
    );
}
