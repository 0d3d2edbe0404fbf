//! `build()` reports every configuration problem clearly; nothing secret is printed.

use std::process::Command;

use wechat_endpoint::crypto::Backend;
use wechat_endpoint::sandbox::{self, Sandbox};
use wechat_endpoint::{Client, ClientBuilder, Error};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn data(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}/{name}")).unwrap()
}

fn complete() -> ClientBuilder {
    Client::builder()
        .mchid(sandbox::MCHID)
        .merchant_serial(sandbox::MERCHANT_SERIAL)
        .private_key_pem(data("merchant_private_key.pem"))
        .wechatpay_public_key_pem(sandbox::WECHATPAY_PUBLIC_KEY_ID, data("wechatpay_public_key.pem"))
}

fn config_error(builder: ClientBuilder) -> String {
    match builder.build() {
        Err(Error::Config(e)) => e.to_string(),
        Err(other) => panic!("expected Error::Config, got {other:?}"),
        Ok(client) => panic!("expected an error, built {client:?}"),
    }
}

fn openssl(args: &[&str]) -> String {
    let out = Command::new("openssl").args(args).output().expect("openssl is installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_complete_configuration_builds_with_either_key_format() {
    complete().build().unwrap();
    complete().private_key_pem(data("merchant_private_key_pkcs1.pem")).build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("apiclient_key.pem");
    std::fs::write(&key, data("merchant_private_key.pem")).unwrap();
    complete().private_key_file(&key).build().unwrap();
}

#[test]
fn certificates_alone_or_with_the_public_key_build() {
    let client = Client::builder()
        .mchid(sandbox::MCHID)
        .merchant_serial(sandbox::MERCHANT_SERIAL)
        .private_key_pem(data("merchant_private_key.pem"))
        .platform_certificate_pem(data("wechatpay_certificate.pem"))
        .build()
        .unwrap();
    let keys = client.verifying_keys();
    let serials: Vec<&str> = keys.certificate_serials().collect();
    assert_eq!(serials, ["3A1B2C3D4E5F60718293A4B5C6D7E8F901234567"]);
    assert_eq!(client.verifying_keys().wechatpay_public_key_id(), None);
    let both = complete().platform_certificate_pem(data("wechatpay_certificate.pem")).build().unwrap();
    assert!(both.verifying_keys().get("3A1B2C3D4E5F60718293A4B5C6D7E8F901234567").is_some());
    assert!(both.verifying_keys().get(sandbox::WECHATPAY_PUBLIC_KEY_ID).is_some());
}

#[test]
fn missing_and_empty_settings_are_named() {
    assert!(config_error(complete().mchid("")).contains("merchant id"));
    assert!(config_error(complete().mchid("19000 09191")).contains("merchant id"));
    assert!(config_error(complete().merchant_serial("")).contains("serial"));
    assert!(config_error(complete().merchant_serial("5157\"F0")).contains("serial"));
    assert!(config_error(Client::builder()).contains("merchant id"));
    let no_key = Client::builder().mchid("1").merchant_serial("AB");
    assert!(config_error(no_key.clone()).contains("private key is required"));
    let no_verifier = no_key.private_key_pem(data("merchant_private_key.pem"));
    assert!(config_error(no_verifier).contains("verifying key"));
    assert!(
        config_error(complete().wechatpay_public_key_pem("KEY_1", data("wechatpay_public_key.pem")))
            .contains("PUB_KEY_ID_")
    );
}

#[test]
fn unusable_keys_are_refused_at_build() {
    for &backend in Backend::ALL {
        unusable_keys_are_refused_by(backend);
    }
}

fn unusable_keys_are_refused_by(backend: Backend) {
    let complete = || complete().crypto_backend(backend);
    let private = |pem: String| config_error(complete().private_key_pem(pem));
    assert!(private(String::new()).contains("empty"));
    assert!(private("garbage".into()).contains("not PEM"));
    assert!(private(data("merchant_public_key.pem")).contains("public key"));
    assert!(private(data("wechatpay_certificate.pem")).contains("CERTIFICATE"));
    let corrupt = data("merchant_private_key.pem").replacen("MII", "MIJ", 1);
    assert!(private(corrupt).contains("private key"));

    let small = openssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]);
    let message = private(small);
    assert!(message.contains("RSA-2048"), "{message}");
    assert!(message.contains("RSA-1024") || message.contains("shorter than 2048 bits"), "{message}");
    let large = openssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"]);
    assert!(private(large).contains("RSA-3072"));
    let encrypted = openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-aes-256-cbc",
        "-pass",
        "pass:x",
    ]);
    assert!(private(encrypted).contains("ENCRYPTED"));
    let ec = openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]);
    assert!(private(ec).contains("private key"));

    let public = |pem: String| config_error(complete().wechatpay_public_key_pem(sandbox::WECHATPAY_PUBLIC_KEY_ID, pem));
    assert!(public(data("merchant_private_key.pem")).contains("private key"));
    assert!(public("".into()).contains("empty"));
    let missing = config_error(complete().private_key_file("/nonexistent/apiclient_key.pem"));
    assert!(missing.contains("/nonexistent/apiclient_key.pem"), "{missing}");
}

#[test]
fn base_urls_must_be_https_or_loopback() {
    assert!(config_error(complete().base_url("http://api.mch.weixin.qq.com/")).contains("loopback"));
    assert!(config_error(complete().base_url("ftp://x/")).contains("scheme"));
    assert!(config_error(complete().base_url("not a url")).contains("base URL"));
    assert!(config_error(complete().base_url("https://h/?q=1")).contains("query"));
    complete().base_url("http://127.0.0.1:1/").build().unwrap();
    complete().base_url("http://localhost:1/").build().unwrap();
    complete().base_url("https://apihk.mch.weixin.qq.com/").build().unwrap();
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_is_signed_with_it() {
    let sandbox = Sandbox::start().unwrap();
    sandbox.route(wechat_endpoint::Method::GET, "prefix/v3/ping", |_| {
        wechat_endpoint::sandbox::SandboxResponse::ok(serde_json::json!({"pong": true}))
    });
    let client = sandbox.client_builder().base_url(format!("{}prefix", sandbox.base_url())).build().unwrap();
    let response = client.request(wechat_endpoint::Method::GET, "/v3/ping").send().await.unwrap();
    assert_eq!(response["pong"], true);
    assert_eq!(sandbox.received()[0].target, "/prefix/v3/ping");
}

#[test]
fn debug_output_holds_no_secret() {
    let pem = data("merchant_private_key.pem");
    let key_line = pem.lines().nth(1).unwrap().to_owned();
    let builder = complete();
    let client = builder.clone().build().unwrap();
    let error = complete().private_key_pem(pem.replacen("MII", "MIJ", 1)).build().unwrap_err();
    for text in [format!("{builder:?}"), format!("{client:?}"), format!("{error:?}"), error.to_string()] {
        assert!(!text.contains(&key_line), "key material in {text}");
        assert!(!text.contains("PRIVATE KEY-----"), "PEM in {text}");
    }
    assert!(format!("{builder:?}").contains("[redacted]"));
}
