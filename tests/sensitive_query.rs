//! Sensitive values wherever the API puts them: in the query (`#[wechat(encrypt)]` on a
//! query field, `Sensitive` values in the dynamic form's `.query()`), percent-encoded and
//! signed as sent, decrypted by the sandbox with the key `Wechatpay-Serial` names; and a
//! client in certificate mode that holds no certificate yet downloads them before its
//! first encrypted call.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wechat_endpoint::sandbox::{
    CERTIFICATE_SERIAL, KeyMode, Received, SEARCH_BANKS_BY_BANK_ACCOUNT, Sandbox, SandboxResponse,
    WECHATPAY_PUBLIC_KEY_ID, decrypt_sensitive,
};
use wechat_endpoint::sensitive::Sensitive;
use wechat_endpoint::{Error, Method, error_chain, wechat_endpoint};

const ACCOUNT: &str = "6222000011112222333";

#[derive(Debug, Deserialize)]
struct Banks {
    total_count: u64,
    data: Vec<Bank>,
}

#[derive(Debug, Deserialize)]
struct Bank {
    account_bank: String,
}

/// `GET v3/capital/capitallhh/banks/search-banks-by-bank-account` (获取对私银行卡号开户银行).
#[wechat_endpoint(GET, "v3/capital/capitallhh/banks/search-banks-by-bank-account", response = Banks)]
struct SearchBanksByBankAccount<'a> {
    #[wechat(encrypt)]
    account_number: &'a str,
}

/// The `account_number` a request carried, as sent (percent-encoded) and as the gateway
/// decrypts it with the key the request's `Wechatpay-Serial` names.
fn sent_account(request: &Received) -> (String, String, String) {
    let serial = request.headers["wechatpay-serial"].to_str().unwrap().to_owned();
    let query = request.target.split_once('?').unwrap().1;
    let raw = query.strip_prefix("account_number=").expect("one pair").to_owned();
    let url = reqwest::Url::parse(&format!("http://gateway{}", request.target)).unwrap();
    let (_, decoded) = url.query_pairs().next().unwrap();
    let plain = decrypt_sensitive(&serial, &decoded).unwrap();
    (serial, raw, plain)
}

/// The one search request the sandbox received.
fn search_request(sandbox: &Sandbox) -> Received {
    let searches: Vec<Received> =
        sandbox.received().into_iter().filter(|r| r.target.contains("search-banks-by-bank-account")).collect();
    assert_eq!(searches.len(), 1);
    searches.into_iter().next().unwrap()
}

fn assert_sent_encrypted(sandbox: &Sandbox, serial: &str) {
    let request = search_request(sandbox);
    let (sent_serial, raw, plain) = sent_account(&request);
    assert_eq!(sent_serial, serial);
    assert_eq!(plain, ACCOUNT);
    // A 256-byte ciphertext is 344 base64 characters ending in `==`: every `+`, `/` and
    // `=` is percent-encoded, and the signature (checked by the sandbox) covers that.
    assert!(!raw.contains(['+', '/', '=']), "{raw}");
    assert!(raw.ends_with("%3D%3D"), "{raw}");
    assert!(!request.target.contains(ACCOUNT));
}

#[tokio::test]
async fn a_declared_query_field_is_sent_encrypted_under_the_public_key() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let banks = client.send(&SearchBanksByBankAccount { account_number: ACCOUNT }).await.unwrap();
    assert_eq!((banks.total_count, banks.data[0].account_bank.as_str()), (1, "工商银行"));
    assert_sent_encrypted(&sandbox, WECHATPAY_PUBLIC_KEY_ID);
}

#[tokio::test]
async fn a_declared_query_field_is_sent_encrypted_by_a_fresh_certificate_mode_client() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let client = sandbox.client().unwrap();
    let banks = client.send(&SearchBanksByBankAccount { account_number: ACCOUNT }).await.unwrap();
    assert_eq!(banks.data[0].account_bank, "工商银行");
    assert_sent_encrypted(&sandbox, CERTIFICATE_SERIAL);
    let targets: Vec<String> = sandbox.received().iter().map(|r| r.target.clone()).collect();
    assert_eq!(targets[0], "/v3/certificates", "the certificates came first: {targets:?}");
}

#[tokio::test]
async fn sensitive_values_in_a_dynamic_query_are_sent_encrypted() {
    for (mode, serial) in [(KeyMode::PublicKey, WECHATPAY_PUBLIC_KEY_ID), (KeyMode::Certificate, CERTIFICATE_SERIAL)] {
        let sandbox = Sandbox::start_with(mode).unwrap();
        let client = sandbox.client().unwrap();
        let banks = client
            .request(Method::GET, SEARCH_BANKS_BY_BANK_ACCOUNT)
            .query(&[("account_number", Sensitive::new(ACCOUNT))])
            .send()
            .await
            .unwrap();
        assert_eq!(banks["data"][0]["account_bank"], "工商银行", "{mode:?}");
        assert_sent_encrypted(&sandbox, serial);
    }
}

#[tokio::test]
async fn the_sandbox_refuses_a_query_value_that_does_not_decrypt() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let error = client
        .request(Method::GET, SEARCH_BANKS_BY_BANK_ACCOUNT)
        .query(&[("account_number", ACCOUNT)])
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.api_code(), Some("PARAM_ERROR"), "{error:?}");
    assert!(decrypt_sensitive("PUB_KEY_ID_0119000091912025112899999999999999", "AAAA").is_err());
}

/// Echoes the body decrypted with the key `Wechatpay-Serial` names.
fn serve_echo(sandbox: &Sandbox) {
    sandbox.route(Method::POST, "v3/profitsharing/receivers/add", |req| {
        let body: Value = req.json().unwrap();
        match req.decrypt_sensitive(body["name"].as_str().unwrap_or_default()) {
            Ok(name) => SandboxResponse::ok(json!({ "name": name })),
            Err(response) => response,
        }
    });
}

#[derive(Debug, Deserialize)]
struct Echo {
    name: String,
}

#[wechat_endpoint(POST, "v3/profitsharing/receivers/add", response = Echo)]
struct AddReceiver<'a> {
    appid: &'a str,
    r#type: &'a str,
    relation_type: &'a str,
    account: &'a str,
    #[wechat(encrypt)]
    name: &'a str,
}

#[tokio::test]
async fn a_fresh_certificate_mode_client_downloads_certificates_before_its_first_encrypted_body() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    serve_echo(&sandbox);
    let client = sandbox.client().unwrap();
    let echo = client
        .send(&AddReceiver {
            appid: "wx8888888888888888",
            r#type: "PERSONAL_OPENID",
            relation_type: "PARTNER",
            account: "oUpF8uMu",
            name: "张三",
        })
        .await
        .unwrap();
    assert_eq!(echo.name, "张三");
    let received = sandbox.received();
    assert_eq!(received[0].target, "/v3/certificates");
    assert_eq!(received[1].headers["wechatpay-serial"], CERTIFICATE_SERIAL);

    // The dynamic form, on another fresh client.
    #[derive(Serialize)]
    struct Body {
        name: Sensitive,
    }
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    serve_echo(&sandbox);
    let client = sandbox.client().unwrap();
    let echo = client
        .request(Method::POST, "v3/profitsharing/receivers/add")
        .json(&Body { name: "李四".into() })
        .send()
        .await
        .unwrap();
    assert_eq!(echo["name"], "李四");
    assert_eq!(sandbox.received()[0].target, "/v3/certificates");
}

#[tokio::test]
async fn concurrent_first_calls_download_the_certificates_once() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    serve_echo(&sandbox);
    let client = sandbox.client().unwrap();
    let calls = (0..4).map(|_| {
        client.send(&AddReceiver {
            appid: "wx8888888888888888",
            r#type: "PERSONAL_OPENID",
            relation_type: "PARTNER",
            account: "oUpF8uMu",
            name: "王五",
        })
    });
    for echo in futures::future::join_all(calls).await {
        assert_eq!(echo.unwrap().name, "王五");
    }
    let downloads = sandbox.received().iter().filter(|r| r.target == "/v3/certificates").count();
    assert_eq!(downloads, 1);
}

#[tokio::test]
async fn encrypt_sensitive_says_what_to_call_when_no_key_is_held() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    let client = sandbox.client().unwrap();
    let error = client.encrypt_sensitive(ACCOUNT).unwrap_err();
    assert!(matches!(error, Error::Sensitive(_)), "{error:?}");
    let text = error_chain(&error);
    assert!(text.contains("refresh_certificates().await") && text.contains("public key"), "{text}");

    client.refresh_certificates().await.unwrap();
    let encrypted = client.encrypt_sensitive(ACCOUNT).unwrap();
    assert_eq!(encrypted.wechatpay_serial(), CERTIFICATE_SERIAL);
    assert_eq!(decrypt_sensitive(encrypted.wechatpay_serial(), encrypted.ciphertext()).unwrap(), ACCOUNT);
}

/// Every type `#[wechat(encrypt)]` takes, in a GET's query, next to a plain value.
#[wechat_endpoint(GET, "v3/receivers/search", response = Value)]
struct SearchReceivers<'a> {
    #[wechat(encrypt)]
    name: String,
    #[wechat(encrypt)]
    alias: &'a str,
    #[wechat(encrypt)]
    phone: Option<String>,
    #[wechat(encrypt)]
    email: Option<&'a str>,
    #[wechat(encrypt)]
    none: Option<&'a str>,
    limit: u32,
}

#[tokio::test]
async fn every_kind_of_query_field_round_trips() {
    let sandbox = Sandbox::start_with(KeyMode::Certificate).unwrap();
    sandbox.route(Method::GET, "v3/receivers/search", |req| {
        let mut plain = serde_json::Map::new();
        for (key, value) in &req.query {
            let value = if key == "limit" { value.clone() } else { req.decrypt_sensitive(value).unwrap() };
            plain.insert(key.clone(), Value::String(value));
        }
        SandboxResponse::ok(Value::Object(plain))
    });
    let client = sandbox.client().unwrap();
    let endpoint = SearchReceivers {
        name: "张三".into(),
        alias: "三",
        phone: Some("13800138000".into()),
        email: Some("a+b/c=d@example.com"),
        none: None,
        limit: 10,
    };
    let plain = client.send(&endpoint).await.unwrap();
    assert_eq!(
        plain,
        json!({ "name": "张三", "alias": "三", "phone": "13800138000", "email": "a+b/c=d@example.com", "limit": "10" })
    );
    let sent = sandbox.received().into_iter().find(|r| r.target.starts_with("/v3/receivers/search")).unwrap();
    assert_eq!(sent.headers["wechatpay-serial"], CERTIFICATE_SERIAL);
    assert!(!sent.target.contains("13800138000") && sent.target.ends_with("&limit=10"), "{}", sent.target);
}
