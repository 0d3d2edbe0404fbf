//! Response verification: arbitrary `Wechatpay-*` headers, body and clock against the
//! sandbox's keys (its public key and the test platform certificate).
//!
//! Input: the message format of `wechat_endpoint_fuzz` (header lines, empty line, body).
//! Properties: never panics; aws-lc and RustCrypto reach the same verdict; a verified
//! message passed each header check on its own.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use wechat_endpoint::crypto::Backend;
use wechat_endpoint::verify::{SignedHeaders, VerifyingKeys};
use wechat_endpoint_fuzz::{parse_message, sandbox_keys};

static KEYS: LazyLock<[VerifyingKeys; 2]> =
    LazyLock::new(|| [sandbox_keys(Backend::AwsLc), sandbox_keys(Backend::RustCrypto)]);

fuzz_target!(|data: &[u8]| {
    let message = parse_message(data);
    let [aws_lc, rust_crypto] = &*KEYS;
    let verdict = aws_lc.verify(&message.headers, message.body, message.now);
    assert_eq!(verdict, rust_crypto.verify(&message.headers, message.body, message.now), "backends disagree");
    match verdict {
        Ok(()) => {
            let signed = SignedHeaders::from_headers(&message.headers).expect("verified, so the headers parse");
            signed.check_time(message.now).expect("verified, so the clock check passes");
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
