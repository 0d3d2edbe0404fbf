//! Sensitive fields: encrypted with the verifying key, named in `Wechatpay-Serial`,
//! decrypted on the sandbox side; incoming ones decrypted with the merchant key.

mod common;

use common::decrypt_all;
use http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};
use wechat_endpoint::crypto::{Backend, PrivateKey};
use wechat_endpoint::sandbox::{KeyMode, ROTATED_CERTIFICATE_SERIAL, Sandbox, SandboxResponse};
use wechat_endpoint::sensitive::Sensitive;
use wechat_endpoint::{BuildError, Endpoint, Error, Method, TargetWriter, write_json};

/// `POST v3/applyment4sub/applyment/`, with sensitive fields at the top and nested.
#[derive(Serialize)]
struct Applyment {
    business_code: String,
    #[serde(serialize_with = "wechat_endpoint::sensitive::encrypt")]
    id_card_name: String,
    contact_info: ContactInfo,
    bank_accounts: Vec<Sensitive>,
}

#[derive(Serialize)]
struct ContactInfo {
    contact_name: Sensitive,
    #[serde(skip_serializing_if = "Option::is_none")]
    mobile_phone: Option<Sensitive>,
    #[serde(serialize_with = "wechat_endpoint::sensitive::encrypt_option")]
    contact_email: Option<String>,
}

impl Endpoint for Applyment {
    type Response = Value;
    const METHOD: Method = Method::POST;
    const PATH_TEMPLATE: &'static str = "v3/applyment4sub/applyment/";

    fn write_target(&self, target: &mut TargetWriter<'_>) -> Result<(), BuildError> {
        target.push_path("v3/applyment4sub/applyment/");
        Ok(())
    }

    fn write_body(&self, body: &mut Vec<u8>) -> Result<(), BuildError> {
        write_json(body, self)
    }
}

fn applyment(name: &str) -> Applyment {
    Applyment {
        business_code: "APPLY_1".into(),
        id_card_name: name.into(),
        contact_info: ContactInfo {
            contact_name: "李四".into(),
            mobile_phone: Some("13800138000".into()),
            contact_email: None,
        },
        bank_accounts: vec!["6222000000000000".into(), "6222000000000001".into()],
    }
}

/// The sandbox side: decrypts with the private key the `Wechatpay-Serial` names.
fn serve_applyment(sandbox: &Sandbox) {
    sandbox.route(Method::POST, "v3/applyment4sub/applyment/", |req| {
        let serial = req.headers.get("wechatpay-serial").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let pem = if serial == ROTATED_CERTIFICATE_SERIAL {
            include_str!("../runtime/src/adapters/sandbox/keys/rotated_private_key.pem")
        } else {
            wechat_endpoint::sandbox::WECHATPAY_PRIVATE_KEY_PEM
        };
        let key = PrivateKey::from_pem(pem, Backend::default()).unwrap();
        let raw: Value = req.json().unwrap();
        SandboxResponse::ok(json!({ "serial": serial, "raw": raw, "plain": decrypt_all(&raw, &key) }))
    });
}

fn expected_plain() -> Value {
    json!({
        "business_code": "APPLY_1",
        "id_card_name": "张三",
        "contact_info": { "contact_name": "李四", "mobile_phone": "13800138000", "contact_email": null },
        "bank_accounts": ["6222000000000000", "6222000000000001"],
    })
}

#[tokio::test]
async fn sensitive_fields_decrypt_on_the_sandbox_side_with_the_named_key() {
    let sandbox = Sandbox::start().unwrap();
    serve_applyment(&sandbox);
    let client = sandbox.client().unwrap();
    let response = client.send(&applyment("张三")).await.unwrap();
    assert_eq!(response["serial"], wechat_endpoint::sandbox::WECHATPAY_PUBLIC_KEY_ID);
    assert_eq!(response["plain"], expected_plain());
    assert_ne!(response["raw"]["id_card_name"], "张三", "sent encrypted");
    assert!(!response["raw"].to_string().contains("13800138000"));
}

#[tokio::test]
async fn certificate_mode_names_the_certificate_and_follows_a_rotation() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    serve_applyment(&sandbox);
    let client = sandbox.client().unwrap();
    client.refresh_certificates().await.unwrap();
    let response = client.send(&applyment("张三")).await.unwrap();
    assert_eq!(response["serial"], wechat_endpoint::sandbox::CERTIFICATE_SERIAL);
    assert_eq!(response["plain"], expected_plain());

    sandbox.rotate_certificate();
    client.refresh_certificates().await.unwrap();
    let response = client.send(&applyment("张三")).await.unwrap();
    assert_eq!(response["serial"], ROTATED_CERTIFICATE_SERIAL, "the newest certificate encrypts");
    assert_eq!(response["plain"], expected_plain());
}

#[tokio::test]
async fn the_dynamic_form_encrypts_too() {
    let sandbox = Sandbox::start().unwrap();
    serve_applyment(&sandbox);
    let client = sandbox.client().unwrap();
    let body = json!({ "business_code": "APPLY_2" });
    let mut body = body.as_object().unwrap().clone();
    let encrypted = client.encrypt_sensitive("王五").unwrap();
    body.insert("id_card_name".into(), Value::String(encrypted.ciphertext().to_owned()));
    let response = client.request(Method::POST, "v3/applyment4sub/applyment/").json(&body).send().await.unwrap();
    assert_eq!(response["plain"]["id_card_name"], "王五");
    assert_eq!(encrypted.wechatpay_serial(), wechat_endpoint::sandbox::WECHATPAY_PUBLIC_KEY_ID);
    assert!(!format!("{encrypted:?}").contains(encrypted.ciphertext()), "{encrypted:?}");

    #[derive(Serialize)]
    struct Body {
        name: Sensitive,
    }
    let response = client
        .request(Method::POST, "v3/applyment4sub/applyment/")
        .json(&Body { name: "赵六".into() })
        .send()
        .await
        .unwrap();
    assert_eq!(response["plain"]["name"], "赵六");
}

#[tokio::test]
async fn a_value_over_the_oaep_limit_is_a_clear_error_and_nothing_is_sent() {
    let sandbox = Sandbox::start().unwrap();
    serve_applyment(&sandbox);
    let client = sandbox.client().unwrap();
    let error = client.send(&applyment(&"名".repeat(72))).await.unwrap_err();
    assert!(matches!(error, Error::Build(_)), "{error:?}");
    assert!(wechat_endpoint::error_chain(&error).contains("214 bytes"), "{}", wechat_endpoint::error_chain(&error));
    assert!(sandbox.received().is_empty());
}

#[test]
fn outside_a_client_nothing_is_serialised_in_clear() {
    let error = serde_json::to_string(&applyment("张三")).unwrap_err();
    assert!(error.to_string().contains("while a wechat-endpoint client writes"), "{error}");
    assert_eq!(format!("{:?}", Sensitive::new("张三")), "Sensitive([redacted])");
}

#[test]
fn incoming_fields_decrypt_with_the_merchant_key() {
    let vectors: Value = serde_json::from_str(include_str!("data/vectors.json")).unwrap();
    let sandbox = Sandbox::start().unwrap();
    for key in ["merchant_private_key.pem", "merchant_private_key_pkcs1.pem"] {
        let pem = std::fs::read_to_string(format!("{}/tests/data/{key}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let client = sandbox.client_builder().private_key_pem(pem).build().unwrap();
        for case in vectors["oaep_sha1_decrypt"].as_array().unwrap() {
            let plain = client.decrypt_sensitive(case["ciphertext"].as_str().unwrap()).unwrap();
            assert_eq!(plain.as_str(), case["plaintext"].as_str().unwrap());
        }
        let error = client.decrypt_sensitive("not base64!").unwrap_err();
        assert!(matches!(error, Error::Sensitive(_)));
    }
    let _ = StatusCode::OK;
}
