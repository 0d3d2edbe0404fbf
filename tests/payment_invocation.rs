//! Front-end payment invocation (调起支付): the signed JSAPI and App parameters against
//! the fixed cases computed with OpenSSL (`tests/data/payment_invocation.json`) for every
//! backend, fresh ones against the `openssl` command line, bad input, and the sandbox's
//! prepay calls and front-end checks.

use std::path::Path;
use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};
use wechat_endpoint::crypto::Backend;
use wechat_endpoint::payment::{AppPayment, JsapiPayment};
use wechat_endpoint::sandbox::{self, PaymentCheckError, Sandbox};
use wechat_endpoint::{BuildError, Client, Error, Method};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
const APP_ID: &str = "wxd678efh567hg6787";
const OPENID: &str = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

fn data(name: &str) -> String {
    std::fs::read_to_string(Path::new(DATA).join(name)).unwrap()
}

fn cases() -> Value {
    serde_json::from_str(&data("payment_invocation.json")).unwrap()
}

/// A client with the test merchant key from `key_file` on `backend`; nothing is sent.
fn client(backend: Backend, key_file: &str) -> Client {
    Client::builder()
        .mchid(sandbox::MCHID)
        .merchant_serial(sandbox::MERCHANT_SERIAL)
        .private_key_pem(data(key_file))
        .wechatpay_public_key_pem(sandbox::WECHATPAY_PUBLIC_KEY_ID, data("wechatpay_public_key.pem"))
        .crypto_backend(backend)
        .build()
        .unwrap()
}

#[test]
fn jsapi_fixed_cases_match_byte_for_byte() {
    let cases = cases();
    let cases = cases["jsapi"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    for &backend in Backend::ALL {
        for key_file in ["merchant_private_key.pem", "merchant_private_key_pkcs1.pem"] {
            let client = client(backend, key_file);
            for case in cases {
                let s = |k: &str| case[k].as_str().unwrap();
                let prepay_id = s("package").strip_prefix("prepay_id=").unwrap();
                let payment = client
                    .jsapi_payment_at(s("appId"), prepay_id, s("timeStamp").parse().unwrap(), s("nonceStr"))
                    .unwrap();
                assert_eq!(payment.pay_sign(), s("paySign"), "{backend:?} {key_file}");
                let expected = format!(
                    r#"{{"appId":"{}","timeStamp":"{}","nonceStr":"{}","package":"{}","signType":"RSA","paySign":"{}"}}"#,
                    s("appId"),
                    s("timeStamp"),
                    s("nonceStr"),
                    s("package"),
                    s("paySign")
                );
                assert_eq!(serde_json::to_string(&payment).unwrap(), expected, "{backend:?} {key_file}");
                assert_eq!(
                    (payment.app_id(), payment.time_stamp(), payment.nonce_str(), payment.package()),
                    (s("appId"), s("timeStamp"), s("nonceStr"), s("package"))
                );
                assert_eq!((payment.sign_type(), payment.prepay_id()), (s("signType"), prepay_id));
            }
        }
    }
}

#[test]
fn app_fixed_case_matches_byte_for_byte() {
    let cases = cases();
    let cases = cases["app"].as_array().unwrap();
    assert_eq!(cases.len(), 1);
    for &backend in Backend::ALL {
        for key_file in ["merchant_private_key.pem", "merchant_private_key_pkcs1.pem"] {
            let client = client(backend, key_file);
            for case in cases {
                let s = |k: &str| case[k].as_str().unwrap();
                assert_eq!(client.mchid(), s("partnerid"));
                let payment = client
                    .app_payment_at(s("appid"), s("prepayid"), s("timestamp").parse().unwrap(), s("noncestr"))
                    .unwrap();
                assert_eq!(payment.sign(), s("sign"), "{backend:?} {key_file}");
                let expected = format!(
                    r#"{{"appid":"{}","partnerid":"{}","prepayid":"{}","package":"Sign=WXPay","noncestr":"{}","timestamp":"{}","sign":"{}"}}"#,
                    s("appid"),
                    s("partnerid"),
                    s("prepayid"),
                    s("noncestr"),
                    s("timestamp"),
                    s("sign")
                );
                assert_eq!(serde_json::to_string(&payment).unwrap(), expected, "{backend:?} {key_file}");
                assert_eq!(
                    (payment.app_id(), payment.partner_id(), payment.prepay_id(), payment.package()),
                    (s("appid"), s("partnerid"), s("prepayid"), s("package"))
                );
                assert_eq!((payment.nonce_str(), payment.timestamp()), (s("noncestr"), s("timestamp")));
            }
        }
    }
}

/// `openssl dgst -sha256 -verify` with the merchant public key over `lines`, each
/// followed by `\n`: whether it printed `Verified OK`.
fn openssl_verifies(lines: &[&str], signature_base64: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let (message_path, signature_path) = (dir.path().join("message"), dir.path().join("signature"));
    let message: String = lines.iter().map(|line| format!("{line}\n")).collect();
    std::fs::write(&message_path, message).unwrap();
    std::fs::write(&signature_path, BASE64.decode(signature_base64).unwrap()).unwrap();
    let out = Command::new("openssl")
        .args(["dgst", "-sha256", "-verify"])
        .arg(Path::new(DATA).join("merchant_public_key.pem"))
        .arg("-signature")
        .arg(&signature_path)
        .arg(&message_path)
        .output()
        .expect("the openssl command line is installed");
    out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == "Verified OK"
}

fn now() -> i64 {
    wechat_endpoint::signing::unix_now()
}

/// A fresh payload's timestamp is the current time and its nonce 32 CSPRNG alphanumerics.
fn assert_fresh(timestamp: &str, nonce: &str) {
    let timestamp: i64 = timestamp.parse().unwrap();
    assert!(now().abs_diff(timestamp) <= 300, "timestamp {timestamp}");
    assert_eq!(nonce.len(), 32);
    assert!(nonce.bytes().all(|b| b.is_ascii_alphanumeric()), "{nonce}");
}

#[test]
fn fresh_payloads_verify_with_the_openssl_command_line() {
    for &backend in Backend::ALL {
        let client = client(backend, "merchant_private_key.pem");
        let first = client.jsapi_payment(APP_ID, "wx201410272009395522657a690389285100").unwrap();
        let second = client.jsapi_payment(APP_ID, "wx201410272009395522657a690389285100").unwrap();
        assert_ne!(first.nonce_str(), second.nonce_str());
        let json: Value = serde_json::from_str(&serde_json::to_string(&first).unwrap()).unwrap();
        let m = |k: &str| json[k].as_str().unwrap();
        assert_fresh(m("timeStamp"), m("nonceStr"));
        assert!(openssl_verifies(&[m("appId"), m("timeStamp"), m("nonceStr"), m("package")], m("paySign")));
        // The negative: another member under the same signature fails with openssl too.
        assert!(!openssl_verifies(&[m("appId"), m("timeStamp"), m("nonceStr"), "prepay_id=wx2"], m("paySign")));

        let app = client.app_payment(APP_ID, "WX1217752501201407033233368018").unwrap();
        let json: Value = serde_json::from_str(&serde_json::to_string(&app).unwrap()).unwrap();
        let m = |k: &str| json[k].as_str().unwrap();
        assert_fresh(m("timestamp"), m("noncestr"));
        assert_eq!((m("partnerid"), m("package")), (sandbox::MCHID, "Sign=WXPay"));
        assert!(openssl_verifies(&[m("appid"), m("timestamp"), m("noncestr"), m("prepayid")], m("sign")));
        assert!(!openssl_verifies(&[m("appid"), m("timestamp"), m("noncestr"), m("package")], m("sign")));
    }
}

/// The member a refusal names, checking that its message names it and leaves the
/// value out.
fn refused_member<T: std::fmt::Debug>(result: Result<T, Error>, value: &str) -> &'static str {
    match result {
        Err(error @ Error::Build(BuildError::PaymentParameter { member, .. })) => {
            let text = error.to_string();
            assert!(text.contains(&format!("`{member}`")), "{text}");
            if value.trim().len() > 2 {
                assert!(!text.contains(value), "{text} shows the value {value:?}");
            }
            member
        }
        other => panic!("expected a PaymentParameter error for {value:?}, got {other:?}"),
    }
}

#[test]
fn bad_ids_are_refused_naming_the_member() {
    let client = client(Backend::default(), "merchant_private_key.pem");
    let bad = [
        ("", "it is empty"),
        ("wx201410272009\n", "control character"),
        ("wx2014\n1027", "control character"),
        ("wx2014\r1027", "control character"),
        ("wx2014\t1027", "control character"),
        ("wx2014\u{0}1027", "control character"),
        ("wx2014\u{85}1027", "control character"),
        ("wx2014 1027", "whitespace"),
        (" wx20141027", "whitespace"),
        ("wx20141027\u{3000}", "whitespace"),
    ];
    for (value, problem) in bad {
        for (result, expected) in [
            (client.jsapi_payment(value, "wx201410272009395522657a690389285100").map(drop), "appId"),
            (client.jsapi_payment(APP_ID, value).map(drop), "prepay_id"),
            (client.app_payment(value, "WX1217752501201407033233368018").map(drop), "appid"),
            (client.app_payment(APP_ID, value).map(drop), "prepayid"),
        ] {
            let text = result.as_ref().err().map(ToString::to_string).unwrap_or_default();
            assert_eq!(refused_member(result, value), expected, "{value:?}");
            assert!(text.contains(problem), "{value:?}: {text}");
        }
    }
    // A prepay id given with the `package` prefix would be signed as `prepay_id=prepay_id=…`.
    let prefixed = "prepay_id=wx201410272009395522657a690389285100";
    let error = client.jsapi_payment(APP_ID, prefixed).unwrap_err();
    assert!(error.to_string().contains("pass the id alone"), "{error}");
    assert_eq!(refused_member(client.jsapi_payment(APP_ID, prefixed), prefixed), "prepay_id");
    assert_eq!(refused_member(client.app_payment(APP_ID, prefixed), prefixed), "prepayid");
}

#[test]
fn bad_timestamps_and_nonces_are_refused_naming_the_member() {
    let client = client(Backend::default(), "merchant_private_key.pem");
    let prepay_id = "wx201410272009395522657a690389285100";
    let good_nonce = "5K8264ILTKCH16CQ2502SI8ZNMTM67VS";
    assert_eq!(refused_member(client.jsapi_payment_at(APP_ID, prepay_id, -1, good_nonce), "-1"), "timeStamp");
    assert_eq!(refused_member(client.app_payment_at(APP_ID, prepay_id, -1, good_nonce), "-1"), "timestamp");
    let long = "A".repeat(33);
    for nonce in ["", "5K8264ILTKCH16CQ\n", "5K82-64IL", "随机字符串", long.as_str()] {
        assert_eq!(refused_member(client.jsapi_payment_at(APP_ID, prepay_id, 1, nonce), nonce), "nonceStr");
        assert_eq!(refused_member(client.app_payment_at(APP_ID, prepay_id, 1, nonce), nonce), "noncestr");
    }
    // The bounds themselves are accepted: one character and 32.
    client.jsapi_payment_at(APP_ID, prepay_id, 0, "A").unwrap();
    client.app_payment_at(APP_ID, prepay_id, 0, &"A".repeat(32)).unwrap();
}

/// A JSAPI order as `POST v3/pay/transactions/jsapi` takes it.
fn jsapi_order(out_trade_no: &str) -> Value {
    json!({
        "appid": APP_ID,
        "mchid": sandbox::MCHID,
        "description": "Image形象店-深圳腾大-QQ公仔",
        "out_trade_no": out_trade_no,
        "notify_url": "https://www.weixin.qq.com/wxpay/pay.php",
        "amount": { "total": 100, "currency": "CNY" },
        "payer": { "openid": OPENID },
    })
}

fn app_order(out_trade_no: &str) -> Value {
    let mut order = jsapi_order(out_trade_no);
    order.as_object_mut().unwrap().remove("payer");
    order
}

async fn prepay(client: &Client, path: &str, order: &Value) -> Result<String, Error> {
    let response = client.request(Method::POST, path).json(order).send().await?;
    Ok(response["prepay_id"].as_str().expect("a prepay_id").to_owned())
}

/// Removes the member at `path` (`a.b` for a nested one).
fn without(order: &Value, path: &str) -> Value {
    let mut order = order.clone();
    let (parent, key) = path.rsplit_once('.').map_or((None, path), |(p, k)| (Some(p), k));
    let object = match parent {
        Some(parent) => order[parent].as_object_mut().unwrap(),
        None => order.as_object_mut().unwrap(),
    };
    object.remove(key);
    order
}

fn param_error_message(result: Result<String, Error>) -> String {
    match result {
        Err(Error::Api(api)) => {
            assert_eq!((api.status.as_u16(), api.code.as_deref()), (400, Some("PARAM_ERROR")), "{api}");
            api.message.unwrap()
        }
        other => panic!("expected 400 PARAM_ERROR, got {other:?}"),
    }
}

#[tokio::test]
async fn prepay_calls_return_a_prepay_id_and_name_a_missing_member() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let prepay_id =
        prepay(&client, "v3/pay/transactions/jsapi", &jsapi_order("1217752501201407033233368018")).await.unwrap();
    assert!(prepay_id.starts_with("wx") && prepay_id.len() == 36, "{prepay_id}");
    let app_prepay_id =
        prepay(&client, "v3/pay/transactions/app", &app_order("1217752501201407033233368019")).await.unwrap();
    assert_ne!(prepay_id, app_prepay_id);

    let members = ["appid", "mchid", "description", "out_trade_no", "notify_url", "amount.total", "payer.openid"];
    for member in members {
        let order = without(&jsapi_order("1217752501201407033233368020"), member);
        let message = param_error_message(prepay(&client, "v3/pay/transactions/jsapi", &order).await);
        assert_eq!(message, format!("`{member}` is required"));
    }
    for member in &members[..6] {
        let order = without(&app_order("1217752501201407033233368021"), member);
        let message = param_error_message(prepay(&client, "v3/pay/transactions/app", &order).await);
        assert_eq!(message, format!("`{member}` is required"));
    }
    let mut order = jsapi_order("1217752501201407033233368022");
    order["mchid"] = json!("1230000109");
    let message = param_error_message(prepay(&client, "v3/pay/transactions/jsapi", &order).await);
    assert!(message.contains("not the merchant that signed"), "{message}");
    let mut order = jsapi_order("1217752501201407033233368022");
    order["amount"]["total"] = json!(0);
    let message = param_error_message(prepay(&client, "v3/pay/transactions/jsapi", &order).await);
    assert!(message.contains("`amount.total` must be"), "{message}");
}

#[tokio::test]
async fn the_same_order_twice_gets_the_same_prepay_id_and_a_changed_one_is_refused() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let order = jsapi_order("1217752501201407033233368030");
    let first = prepay(&client, "v3/pay/transactions/jsapi", &order).await.unwrap();
    assert_eq!(prepay(&client, "v3/pay/transactions/jsapi", &order).await.unwrap(), first);
    let mut changed = order.clone();
    changed["amount"]["total"] = json!(200);
    match prepay(&client, "v3/pay/transactions/jsapi", &changed).await {
        Err(Error::Api(api)) => assert_eq!(api.code.as_deref(), Some("INVALID_REQUEST"), "{api}"),
        other => panic!("expected 400 INVALID_REQUEST, got {other:?}"),
    }
}

#[tokio::test]
async fn the_sandbox_accepts_a_good_jsapi_payload_and_refuses_tampered_ones() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let prepay_id =
        prepay(&client, "v3/pay/transactions/jsapi", &jsapi_order("1217752501201407033233368040")).await.unwrap();
    let payment = client.jsapi_payment(APP_ID, &prepay_id).unwrap();
    sandbox.check_jsapi_payment(&payment).unwrap();
    // As a handler's response reaches a test: JSON text, parsed.
    let response: Value = serde_json::from_str(&serde_json::to_string(&payment).unwrap()).unwrap();
    sandbox.check_jsapi_payment(&response).unwrap();

    let tampered = |member: &str, value: Value| {
        let mut payload = response.clone();
        payload[member] = value;
        sandbox.check_jsapi_payment(&payload).unwrap_err()
    };
    for (member, value) in [
        ("appId", json!("wx8888888888888888")),
        ("timeStamp", json!((now() + 1).to_string())),
        ("nonceStr", json!("e61463f8efa94090b1f366cccfbbb444")),
        ("package", json!(format!("prepay_id={prepay_id}0"))),
    ] {
        let error = tampered(member, value);
        assert!(matches!(error, PaymentCheckError::BadSignature { member: "paySign", .. }), "{member}: {error}");
    }
    let error = tampered("package", json!(format!("prepay_ids={prepay_id}")));
    assert!(matches!(error, PaymentCheckError::Invalid { member: "package", .. }), "{error}");
    assert!(error.to_string().contains("prepay_id=<prepay_id>"), "{error}");
    let error = tampered("package", json!(prepay_id));
    assert!(matches!(error, PaymentCheckError::Invalid { member: "package", .. }), "{error}");
    let error = tampered("signType", json!("HMAC-SHA256"));
    assert!(matches!(error, PaymentCheckError::Invalid { member: "signType", .. }), "{error}");
    let error = tampered("timeStamp", json!(now()));
    assert_eq!(error, PaymentCheckError::NotAString("timeStamp"));
    let error = tampered("paySign", json!("not base64!"));
    assert!(matches!(error, PaymentCheckError::Invalid { member: "paySign", .. }), "{error}");
    let other_key_sign = cases()["jsapi"][0]["paySign"].clone();
    let error = tampered("paySign", other_key_sign);
    assert!(matches!(error, PaymentCheckError::BadSignature { .. }), "{error}");

    // A member named in the wrong case.
    let mut payload = response.clone();
    let value = payload.as_object_mut().unwrap().remove("appId").unwrap();
    payload["appid"] = value;
    let error = sandbox.check_jsapi_payment(&payload).unwrap_err();
    assert_eq!(error, PaymentCheckError::Missing { member: "appId", found: Some("appid".into()) });
    assert!(error.to_string().contains("case-sensitive"), "{error}");
    // JSON text not parsed first.
    let text = serde_json::to_string(&payment).unwrap();
    assert!(matches!(sandbox.check_jsapi_payment(&text), Err(PaymentCheckError::NotAnObject(_))));

    // Well signed, but for a prepay id nobody issued, or for another app than the order's.
    let error = sandbox.check_jsapi_payment(&client.jsapi_payment(APP_ID, "wx2014102720093955226").unwrap());
    assert!(matches!(error, Err(PaymentCheckError::PrepayId { .. })), "{error:?}");
    let error = sandbox.check_jsapi_payment(&client.jsapi_payment("wx8888888888888888", &prepay_id).unwrap());
    assert!(matches!(error, Err(PaymentCheckError::WrongAppId { member: "appId", .. })), "{error:?}");
    // An App order's prepay id is not one a JSAPI front end can pay.
    let app_prepay_id =
        prepay(&client, "v3/pay/transactions/app", &app_order("1217752501201407033233368041")).await.unwrap();
    let error = sandbox.check_jsapi_payment(&client.jsapi_payment(APP_ID, &app_prepay_id).unwrap()).unwrap_err();
    assert!(error.to_string().contains("was issued for an App order"), "{error}");
}

#[tokio::test]
async fn the_sandbox_accepts_a_good_app_payload_and_refuses_tampered_ones() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let prepay_id =
        prepay(&client, "v3/pay/transactions/app", &app_order("1217752501201407033233368050")).await.unwrap();
    let payment: AppPayment = client.app_payment(APP_ID, &prepay_id).unwrap();
    sandbox.check_app_payment(&payment).unwrap();
    let response = serde_json::to_value(&payment).unwrap();
    let tampered = |member: &str, value: Value| {
        let mut payload = response.clone();
        payload[member] = value;
        sandbox.check_app_payment(&payload).unwrap_err()
    };
    for (member, value) in [
        ("appid", json!("wx8888888888888888")),
        ("timestamp", json!("1732752102")),
        ("noncestr", json!("e61463f8efa94090b1f366cccfbbb444")),
        ("prepayid", json!(format!("{prepay_id}0"))),
    ] {
        let error = tampered(member, value);
        assert!(matches!(error, PaymentCheckError::BadSignature { member: "sign", .. }), "{member}: {error}");
    }
    let error = tampered("package", json!(format!("prepay_id={prepay_id}")));
    assert!(matches!(error, PaymentCheckError::Invalid { member: "package", .. }), "{error}");
    let error = tampered("prepayid", json!(format!("prepay_id={prepay_id}")));
    assert!(matches!(error, PaymentCheckError::Invalid { member: "prepayid", .. }), "{error}");
    let error = tampered("partnerid", json!("1230000109"));
    assert!(matches!(error, PaymentCheckError::Invalid { member: "partnerid", .. }), "{error}");
    let error = tampered("timestamp", json!(1_732_752_102));
    assert_eq!(error, PaymentCheckError::NotAString("timestamp"));

    // A JSAPI payload is not an App one, and a JSAPI order's prepay id is not payable in an App.
    let jsapi: JsapiPayment = client.jsapi_payment(APP_ID, &prepay_id).unwrap();
    let error = sandbox.check_app_payment(&jsapi).unwrap_err();
    assert_eq!(error, PaymentCheckError::Missing { member: "appid", found: Some("appId".into()) });
    let jsapi_prepay_id =
        prepay(&client, "v3/pay/transactions/jsapi", &jsapi_order("1217752501201407033233368051")).await.unwrap();
    let error = sandbox.check_app_payment(&client.app_payment(APP_ID, &jsapi_prepay_id).unwrap()).unwrap_err();
    assert!(matches!(error, PaymentCheckError::PrepayId { .. }), "{error}");
}

#[tokio::test]
async fn partner_jsapi_orders_are_paid_with_the_sub_app_id_when_given() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let sub_appid = "wx8888888888888888";
    let order = |out_trade_no: &str, sub_appid: Option<&str>, payer: Value| {
        let mut order = json!({
            "sp_appid": APP_ID,
            "sp_mchid": sandbox::MCHID,
            "sub_mchid": "1900000109",
            "description": "Image形象店-深圳腾大-QQ公仔",
            "out_trade_no": out_trade_no,
            "notify_url": "https://www.weixin.qq.com/wxpay/pay.php",
            "amount": { "total": 1 },
            "payer": payer,
        });
        if let Some(sub_appid) = sub_appid {
            order["sub_appid"] = json!(sub_appid);
        }
        order
    };
    let path = "v3/pay/partner/transactions/jsapi";
    let with_sub = prepay(&client, path, &order("P1217752501201", Some(sub_appid), json!({ "sub_openid": OPENID })))
        .await
        .unwrap();
    sandbox.check_jsapi_payment(&client.jsapi_payment(sub_appid, &with_sub).unwrap()).unwrap();
    let error = sandbox.check_jsapi_payment(&client.jsapi_payment(APP_ID, &with_sub).unwrap()).unwrap_err();
    assert!(matches!(error, PaymentCheckError::WrongAppId { .. }), "{error}");
    let sp_only = prepay(&client, path, &order("P1217752501202", None, json!({ "sp_openid": OPENID }))).await.unwrap();
    sandbox.check_jsapi_payment(&client.jsapi_payment(APP_ID, &sp_only).unwrap()).unwrap();

    let message = param_error_message(prepay(&client, path, &order("P1217752501203", None, json!({}))).await);
    assert!(message.contains("`payer.sp_openid` or `payer.sub_openid` is required"), "{message}");
    let message = param_error_message(
        prepay(&client, path, &order("P1217752501204", None, json!({ "sub_openid": OPENID }))).await,
    );
    assert!(message.contains("needs `sub_appid`"), "{message}");
    let message = param_error_message(
        prepay(&client, path, &without(&order("P1217752501205", None, json!({ "sp_openid": OPENID })), "sub_mchid"))
            .await,
    );
    assert_eq!(message, "`sub_mchid` is required");
}

#[test]
fn the_blocking_client_signs_payloads_the_sandbox_accepts() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.blocking_client().unwrap();
    let order = jsapi_order("1217752501201407033233368060");
    let response = client.request(Method::POST, "v3/pay/transactions/jsapi").json(&order).send().unwrap();
    let prepay_id = response["prepay_id"].as_str().unwrap();
    let payment = client.jsapi_payment(APP_ID, prepay_id).unwrap();
    sandbox.check_jsapi_payment(&payment).unwrap();
    let json: Value = serde_json::to_value(&payment).unwrap();
    let m = |k: &str| json[k].as_str().unwrap();
    assert!(openssl_verifies(&[m("appId"), m("timeStamp"), m("nonceStr"), m("package")], m("paySign")));

    let order = app_order("1217752501201407033233368061");
    let response = client.request(Method::POST, "v3/pay/transactions/app").json(&order).send().unwrap();
    let payment = client.app_payment(APP_ID, response["prepay_id"].as_str().unwrap()).unwrap();
    sandbox.check_app_payment(&payment).unwrap();

    // Fixed cases through the blocking client too.
    let case = &cases()["jsapi"][0];
    let s = |k: &str| case[k].as_str().unwrap();
    let prepay_id = s("package").strip_prefix("prepay_id=").unwrap();
    let fixed = client.jsapi_payment_at(s("appId"), prepay_id, s("timeStamp").parse().unwrap(), s("nonceStr")).unwrap();
    assert_eq!(fixed.pay_sign(), s("paySign"));
    let case = &cases()["app"][0];
    let s = |k: &str| case[k].as_str().unwrap();
    let fixed =
        client.app_payment_at(s("appid"), s("prepayid"), s("timestamp").parse().unwrap(), s("noncestr")).unwrap();
    assert_eq!(fixed.sign(), s("sign"));
}

#[test]
fn the_blocking_client_signs_inside_an_async_runtime_too() {
    // Signing sends nothing, so it is not refused as blocking calls are.
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.blocking_client().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let (payment, app) = runtime.block_on(async {
        let payment = client.jsapi_payment(APP_ID, "wx201410272009395522657a690389285100").unwrap();
        (payment, client.app_payment(APP_ID, "WX1217752501201407033233368018").unwrap())
    });
    let json = serde_json::to_value(&payment).unwrap();
    let m = |k: &str| json[k].as_str().unwrap();
    assert!(openssl_verifies(&[m("appId"), m("timeStamp"), m("nonceStr"), m("package")], m("paySign")));
    let json = serde_json::to_value(&app).unwrap();
    let m = |k: &str| json[k].as_str().unwrap();
    assert!(openssl_verifies(&[m("appid"), m("timestamp"), m("noncestr"), m("prepayid")], m("sign")));
}
