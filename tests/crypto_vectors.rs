//! AES-256-GCM, RSA-OAEP and the `/v3/certificates` response against the fixed cases
//! computed with OpenSSL, for every compiled backend, and OAEP against the `openssl`
//! command line.

use std::path::Path;
use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;
use wechat_endpoint::crypto::{
    AeadError, ApiV3Key, Backend, CryptoError, DecryptingKey, OAEP_MAX_PLAINTEXT, PlatformCertificate, VerifyingKey,
};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn data(name: &str) -> String {
    std::fs::read_to_string(Path::new(DATA).join(name)).unwrap()
}

fn vectors() -> Value {
    serde_json::from_str(&data("vectors.json")).unwrap()
}

#[test]
fn aes_256_gcm_cases() {
    let v = vectors();
    let cases = v["aes_256_gcm"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for case in cases {
        let s = |k: &str| case[k].as_str().unwrap();
        let key = ApiV3Key::new(s("key")).unwrap();
        let result = key.decrypt(s("nonce"), s("associated_data"), s("ciphertext"));
        if case["valid"].as_bool().unwrap() {
            assert_eq!(result.unwrap().as_slice(), s("plaintext").as_bytes());
            // Encrypting gives the same bytes back: GCM is deterministic for a given nonce.
            assert_eq!(
                key.encrypt(s("nonce"), s("associated_data"), s("plaintext").as_bytes()).unwrap(),
                s("ciphertext")
            );
        } else {
            assert_eq!(result.unwrap_err(), AeadError::Tag);
        }
    }
    let key = ApiV3Key::new(v["apiv3_key"].as_str().unwrap()).unwrap();
    let case = &cases[0];
    let s = |k: &str| case[k].as_str().unwrap();
    assert_eq!(key.decrypt(s("nonce"), "other", s("ciphertext")).unwrap_err(), AeadError::Tag);
    assert_eq!(key.decrypt("short", s("associated_data"), s("ciphertext")).unwrap_err(), AeadError::NonceLength(5));
    assert_eq!(key.decrypt(s("nonce"), s("associated_data"), "***").unwrap_err(), AeadError::Base64);
    let wrong = ApiV3Key::new("0123456789abcdef0123456789abcdef").unwrap();
    assert_eq!(wrong.decrypt(s("nonce"), s("associated_data"), s("ciphertext")).unwrap_err(), AeadError::Tag);
    assert!(ApiV3Key::new("too short").unwrap_err().contains("32 bytes"));
    assert!(ApiV3Key::new(&"k".repeat(33)).unwrap_err().contains("33"));
    assert_eq!(format!("{key:?}"), "ApiV3Key([redacted])");
}

#[test]
fn oaep_cases_decrypt_with_the_merchant_key_in_either_format() {
    let v = vectors();
    let cases = v["oaep_sha1_decrypt"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    for &backend in Backend::ALL {
        for file in ["merchant_private_key.pem", "merchant_private_key_pkcs1.pem"] {
            let key = DecryptingKey::from_pem(&data(file), backend).unwrap();
            for case in cases {
                let ciphertext = BASE64.decode(case["ciphertext"].as_str().unwrap()).unwrap();
                let plaintext = key.decrypt_oaep(&ciphertext).unwrap();
                assert_eq!(plaintext.as_slice(), case["plaintext"].as_str().unwrap().as_bytes(), "{backend:?} {file}");
            }
            let mut damaged = BASE64.decode(cases[0]["ciphertext"].as_str().unwrap()).unwrap();
            damaged[10] ^= 1;
            assert_eq!(key.decrypt_oaep(&damaged).unwrap_err(), CryptoError::DecryptFailed);
        }
        let wrong = DecryptingKey::from_pem(&data("wechatpay_private_key.pem"), backend).unwrap();
        let ciphertext = BASE64.decode(cases[0]["ciphertext"].as_str().unwrap()).unwrap();
        assert!(wrong.decrypt_oaep(&ciphertext).is_err());
    }
}

#[test]
fn oaep_encryption_decrypts_with_the_openssl_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let ct_path = dir.path().join("ct");
    for &backend in Backend::ALL {
        let key = VerifyingKey::from_pem(&data("wechatpay_public_key.pem"), backend).unwrap();
        for plaintext in ["张三", "13800138000", &"x".repeat(OAEP_MAX_PLAINTEXT)] {
            let ciphertext = key.encrypt_oaep(plaintext.as_bytes()).unwrap();
            assert_eq!(ciphertext.len(), 256);
            std::fs::write(&ct_path, &ciphertext).unwrap();
            let out = Command::new("openssl")
                .args(["pkeyutl", "-decrypt", "-inkey"])
                .arg(Path::new(DATA).join("wechatpay_private_key.pem"))
                .args([
                    "-pkeyopt",
                    "rsa_padding_mode:oaep",
                    "-pkeyopt",
                    "rsa_oaep_md:sha1",
                    "-pkeyopt",
                    "rsa_mgf1_md:sha1",
                ])
                .arg("-in")
                .arg(&ct_path)
                .output()
                .expect("openssl is installed");
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert_eq!(out.stdout, plaintext.as_bytes(), "{backend:?}");
        }
        let too_long = "x".repeat(OAEP_MAX_PLAINTEXT + 1);
        assert_eq!(
            key.encrypt_oaep(too_long.as_bytes()).unwrap_err(),
            CryptoError::PlaintextTooLong { len: 215, max: 214 }
        );
    }
}

#[test]
fn the_certificates_response_decrypts_to_the_platform_certificate() {
    let v = vectors();
    let key = ApiV3Key::new(v["apiv3_key"].as_str().unwrap()).unwrap();
    let entry = &v["certificates_response"]["data"][0];
    let enc = &entry["encrypt_certificate"];
    let s = |k: &str| enc[k].as_str().unwrap();
    let pem = key.decrypt(s("nonce"), s("associated_data"), s("ciphertext")).unwrap();
    let pem = String::from_utf8(pem.to_vec()).unwrap();
    assert_eq!(pem.trim(), data("wechatpay_certificate.pem").trim());
    for &backend in Backend::ALL {
        let cert = PlatformCertificate::from_pem(&pem, backend).unwrap();
        assert_eq!(cert.serial(), entry["serial_no"].as_str().unwrap());
        assert_eq!(cert.serial(), v["certificate_serial"].as_str().unwrap());
        assert!(cert.is_valid_at(std::time::SystemTime::now()));
    }
}
