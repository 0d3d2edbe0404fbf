//! Signing and verification against the fixed cases computed with OpenSSL
//! (`tests/data/vectors.json`), for every compiled crypto backend, and against the
//! `openssl` command line.

use std::path::Path;
use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::{HeaderMap, HeaderValue};
use serde_json::Value;
use wechat_endpoint::crypto::{Backend, SigningKey, VerifyingKey};
use wechat_endpoint::signing::{MerchantSigner, request_message};
use wechat_endpoint::verify::VerifyingKeys;
use wechat_endpoint::{VerifyError, signing};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn data(name: &str) -> String {
    std::fs::read_to_string(Path::new(DATA).join(name)).unwrap()
}

fn vectors() -> Value {
    serde_json::from_str(&data("vectors.json")).unwrap()
}

fn signer(backend: Backend, key_file: &str) -> MerchantSigner {
    let v = vectors();
    let key = SigningKey::from_pem(&data(key_file), backend).unwrap();
    MerchantSigner::new(v["mchid"].as_str().unwrap(), v["merchant_serial"].as_str().unwrap(), key)
}

#[test]
fn request_signatures_equal_the_fixed_vectors() {
    let v = vectors();
    let cases = v["request_signing"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    for &backend in Backend::ALL {
        for key_file in ["merchant_private_key.pem", "merchant_private_key_pkcs1.pem"] {
            let signer = signer(backend, key_file);
            for case in cases {
                let s = |k: &str| case[k].as_str().unwrap();
                let timestamp: i64 = s("timestamp").parse().unwrap();
                let mut message = Vec::new();
                request_message(
                    &mut message,
                    s("method"),
                    s("request_target"),
                    timestamp,
                    s("nonce"),
                    s("body").as_bytes(),
                );
                assert_eq!(message, s("message").as_bytes(), "{backend:?} message for {}", s("request_target"));
                let authorization = signer
                    .authorization(
                        &mut Vec::new(),
                        s("method"),
                        s("request_target"),
                        s("body").as_bytes(),
                        timestamp,
                        s("nonce"),
                    )
                    .unwrap();
                assert_eq!(authorization, s("authorization"), "{backend:?} {key_file} {}", s("request_target"));
                assert!(authorization.contains(&format!("signature=\"{}\"", s("signature"))));
            }
        }
    }
}

fn response_headers(case: &Value) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, key) in [
        ("Wechatpay-Timestamp", "timestamp"),
        ("Wechatpay-Nonce", "nonce"),
        ("Wechatpay-Signature", "signature"),
        ("Wechatpay-Serial", "serial"),
    ] {
        headers.insert(name, HeaderValue::from_str(case[key].as_str().unwrap()).unwrap());
    }
    headers.insert("Wechatpay-Signature-Type", HeaderValue::from_static("WECHATPAY2-SHA256-RSA2048"));
    headers
}

#[test]
fn response_verification_gives_the_expected_verdicts() {
    let v = vectors();
    let cases = v["response_verification"].as_array().unwrap();
    assert_eq!(cases.len(), 6);
    for &backend in Backend::ALL {
        let mut keys = VerifyingKeys::new();
        keys.set_wechatpay_public_key(
            v["wechatpay_public_key_id"].as_str().unwrap(),
            VerifyingKey::from_pem(&data("wechatpay_public_key.pem"), backend).unwrap(),
        );
        for case in cases {
            let name = case["name"].as_str().unwrap();
            let now: i64 = case["timestamp"].as_str().unwrap().parse().unwrap();
            let verdict = keys.verify(&response_headers(case), case["body"].as_str().unwrap().as_bytes(), now);
            let expected = case["valid"].as_bool().unwrap();
            assert_eq!(verdict.is_ok(), expected, "{backend:?} {name}: {verdict:?}");
            match name {
                "signature_probe" => assert_eq!(verdict, Err(VerifyError::SignatureProbe)),
                "tampered_body" | "signed_by_merchant_key" => assert_eq!(verdict, Err(VerifyError::BadSignature)),
                _ => {}
            }
        }
    }
}

#[test]
fn response_checks_refuse_skew_unknown_serial_and_missing_headers() {
    let v = vectors();
    let case = &v["response_verification"][0];
    let body = case["body"].as_str().unwrap().as_bytes();
    let ts: i64 = case["timestamp"].as_str().unwrap().parse().unwrap();
    let mut keys = VerifyingKeys::new();
    keys.set_wechatpay_public_key(
        v["wechatpay_public_key_id"].as_str().unwrap(),
        VerifyingKey::from_pem(&data("wechatpay_public_key.pem"), Backend::default()).unwrap(),
    );
    let headers = response_headers(case);
    assert!(keys.verify(&headers, body, ts + 300).is_ok());
    assert!(keys.verify(&headers, body, ts - 300).is_ok());
    assert_eq!(keys.verify(&headers, body, ts + 301), Err(VerifyError::ClockSkew { timestamp: ts, now: ts + 301 }));
    assert_eq!(keys.verify(&headers, body, ts - 301), Err(VerifyError::ClockSkew { timestamp: ts, now: ts - 301 }));

    let mut other = headers.clone();
    other.insert("Wechatpay-Serial", HeaderValue::from_static("PUB_KEY_ID_OTHER"));
    assert_eq!(keys.verify(&other, body, ts), Err(VerifyError::UnknownSerial("PUB_KEY_ID_OTHER".into())));

    for name in ["Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial"] {
        let mut missing = headers.clone();
        missing.remove(name);
        assert_eq!(keys.verify(&missing, body, ts), Err(VerifyError::MissingHeader(name)), "{name}");
    }
    let mut twice = headers.clone();
    twice.append("Wechatpay-Signature", HeaderValue::from_static("AAAA"));
    assert!(matches!(
        keys.verify(&twice, body, ts),
        Err(VerifyError::InvalidHeader { name: "Wechatpay-Signature", .. })
    ));
    let mut junk = headers.clone();
    junk.insert("Wechatpay-Timestamp", HeaderValue::from_static("17327520l0"));
    assert!(matches!(
        keys.verify(&junk, body, ts),
        Err(VerifyError::InvalidHeader { name: "Wechatpay-Timestamp", .. })
    ));
    let mut kind = headers.clone();
    kind.insert("Wechatpay-Signature-Type", HeaderValue::from_static("WECHATPAY2-SM2-WITH-SM3"));
    assert!(matches!(keys.verify(&kind, body, ts), Err(VerifyError::UnsupportedSignatureType(_))));
}

fn openssl(args: &[&str]) -> std::process::Output {
    Command::new("openssl").args(args).output().expect("the openssl command line is installed")
}

/// `openssl dgst -sha256 -verify`: SHA256withRSA, PKCS#1 v1.5.
fn openssl_verify(public_key: &Path, signature: &Path, message: &Path) -> std::process::Output {
    Command::new("openssl")
        .args(["dgst", "-sha256", "-verify"])
        .arg(public_key)
        .arg("-signature")
        .arg(signature)
        .arg(message)
        .output()
        .expect("the openssl command line is installed")
}

#[test]
fn signatures_verify_with_the_openssl_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let message_path = dir.path().join("message");
    let signature_path = dir.path().join("signature");
    let public_key = Path::new(DATA).join("merchant_public_key.pem");
    let v = vectors();
    for &backend in Backend::ALL {
        let signer = signer(backend, "merchant_private_key.pem");
        for case in v["request_signing"].as_array().unwrap() {
            let s = |k: &str| case[k].as_str().unwrap();
            // A fresh nonce and the current time: a message the vectors do not hold.
            let (timestamp, nonce) = (signing::unix_now(), signing::nonce());
            let header = signer
                .authorization(
                    &mut Vec::new(),
                    s("method"),
                    s("request_target"),
                    s("body").as_bytes(),
                    timestamp,
                    &nonce,
                )
                .unwrap();
            let signature = header.split("signature=\"").nth(1).unwrap().split('"').next().unwrap();
            let mut message = Vec::new();
            request_message(&mut message, s("method"), s("request_target"), timestamp, &nonce, s("body").as_bytes());
            std::fs::write(&message_path, &message).unwrap();
            std::fs::write(&signature_path, BASE64.decode(signature).unwrap()).unwrap();
            let out = openssl_verify(&public_key, &signature_path, &message_path);
            assert!(out.status.success(), "{backend:?}: {}", String::from_utf8_lossy(&out.stdout));
            assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "Verified OK");

            // And the negative: one byte changed fails with openssl too.
            message[0] ^= 1;
            std::fs::write(&message_path, &message).unwrap();
            let out = openssl_verify(&public_key, &signature_path, &message_path);
            assert!(!out.status.success());
        }
    }
}

#[test]
fn openssl_signatures_verify_here() {
    let dir = tempfile::tempdir().unwrap();
    let message_path = dir.path().join("message");
    let signature_path = dir.path().join("signature");
    let message = "1732752099\nOPENSSLNONCE\n{\"from\":\"openssl\",\"名\":\"值\"}\n";
    std::fs::write(&message_path, message).unwrap();
    let private_key = Path::new(DATA).join("wechatpay_private_key.pem");
    let out = openssl(&[
        "dgst",
        "-sha256",
        "-sign",
        private_key.to_str().unwrap(),
        "-out",
        signature_path.to_str().unwrap(),
        message_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let signature = std::fs::read(&signature_path).unwrap();
    for &backend in Backend::ALL {
        let key = VerifyingKey::from_pem(&data("wechatpay_public_key.pem"), backend).unwrap();
        key.verify(message.as_bytes(), &signature).unwrap();
        assert!(key.verify(b"something else", &signature).is_err());
        // The merchant key must not verify what the platform key signed.
        let wrong = VerifyingKey::from_pem(&data("merchant_public_key.pem"), backend).unwrap();
        assert!(wrong.verify(message.as_bytes(), &signature).is_err());
    }
}

#[test]
fn backends_agree_byte_for_byte() {
    let compiled = usize::from(cfg!(feature = "aws-lc")) + usize::from(cfg!(feature = "rust-crypto"));
    assert_eq!(Backend::ALL.len(), compiled, "every enabled backend is tested");
    let message = b"POST\n/v3/x\n1\nN\n{}\n";
    let signatures: Vec<_> = Backend::ALL
        .iter()
        .map(|&b| SigningKey::from_pem(&data("merchant_private_key.pem"), b).unwrap().sign(message).unwrap())
        .collect();
    assert!(signatures.windows(2).all(|w| w[0] == w[1]));
}
