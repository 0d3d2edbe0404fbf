//! What the integration tests share: the hand-written store endpoints ([`stores`]) and
//! helpers.
#![allow(dead_code, unused_imports)] // Each test uses its own part.

mod captured;
mod stores;

pub use captured::Captured;
pub use stores::*;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;
use wechat_endpoint::crypto::PrivateKey;

/// Decrypts every base64 string of `value` that is a 256-byte OAEP ciphertext.
pub fn decrypt_all(value: &Value, key: &PrivateKey) -> Value {
    match value {
        Value::String(text) => match BASE64.decode(text) {
            Ok(bytes) if bytes.len() == 256 => {
                Value::String(String::from_utf8(key.decrypt_oaep(&bytes).expect("decrypts").to_vec()).unwrap())
            }
            _ => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(|v| decrypt_all(v, key)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), decrypt_all(v, key))).collect()),
        other => other.clone(),
    }
}

/// An `http://` base URL on a loopback port nothing listens on: connecting is refused.
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    url
}
