//! The gateway's side of sensitive values: each is decrypted with the private key the
//! request's `Wechatpay-Serial` names, whether it came in the body or in the query, and
//! `GET v3/capital/capitallhh/banks/search-banks-by-bank-account`, which takes one in
//! its query.

use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::{Method, StatusCode};
use serde_json::json;

use super::platform::{CERTIFICATE_SERIAL, ROTATED_CERTIFICATE_SERIAL, ROTATED_PRIVATE_KEY_PEM};
use super::routes::{Route, Router, SandboxRequest, SandboxResponse};
use super::{WECHATPAY_PRIVATE_KEY_PEM, WECHATPAY_PUBLIC_KEY_ID};
use crate::crypto::verify::header;
use crate::crypto::{Backend, PrivateKey};

/// `GET v3/capital/capitallhh/banks/search-banks-by-bank-account` (获取对私银行卡号开户银行):
/// `account_number` is encrypted in the query.
pub const SEARCH_BANKS_BY_BANK_ACCOUNT: &str = "v3/capital/capitallhh/banks/search-banks-by-bank-account";

/// Decrypts `ciphertext` (base64 RSAES-OAEP, SHA-1) with the sandbox's private key for
/// `serial`: its public key id or one of its platform certificates' serials. The error
/// says what failed, as the gateway's `PARAM_ERROR` message would.
///
/// # Errors
///
/// A message naming the failure: no serial, a serial that names no key of the sandbox,
/// a value that is not base64, does not decrypt with that key, or is not UTF-8.
pub fn decrypt_sensitive(serial: &str, ciphertext: &str) -> Result<String, String> {
    static FIRST: OnceLock<Option<PrivateKey>> = OnceLock::new();
    static ROTATED: OnceLock<Option<PrivateKey>> = OnceLock::new();
    let key = match serial {
        WECHATPAY_PUBLIC_KEY_ID | CERTIFICATE_SERIAL => {
            FIRST.get_or_init(|| PrivateKey::from_pem(WECHATPAY_PRIVATE_KEY_PEM, Backend::default()).ok())
        }
        ROTATED_CERTIFICATE_SERIAL => {
            ROTATED.get_or_init(|| PrivateKey::from_pem(ROTATED_PRIVATE_KEY_PEM, Backend::default()).ok())
        }
        "" => return Err("a sensitive value came without a Wechatpay-Serial header naming its key".into()),
        other => return Err(format!("Wechatpay-Serial `{other}` names no key of this gateway")),
    };
    let key = key.as_ref().ok_or("the sandbox's private key did not parse")?;
    let bytes = BASE64.decode(ciphertext).map_err(|_| "a sensitive value is not standard base64".to_owned())?;
    let plaintext = key
        .decrypt_oaep(&bytes)
        .map_err(|_| format!("a sensitive value does not decrypt with the key Wechatpay-Serial `{serial}` names"))?;
    String::from_utf8(plaintext.to_vec()).map_err(|_| "a sensitive value decrypts to bytes that are not UTF-8".into())
}

impl SandboxRequest {
    /// Decrypts a sensitive value of this request with the key its `Wechatpay-Serial`
    /// names; a failure is the `400 PARAM_ERROR` response the gateway gives.
    ///
    /// # Errors
    ///
    /// The `400 PARAM_ERROR` response carrying the message of
    /// [`decrypt_sensitive`](super::decrypt_sensitive).
    pub fn decrypt_sensitive(&self, ciphertext: &str) -> Result<String, SandboxResponse> {
        let serial = self.headers.get(header::SERIAL).and_then(|v| v.to_str().ok()).unwrap_or_default();
        decrypt_sensitive(serial, ciphertext)
            .map_err(|message| SandboxResponse::error(StatusCode::BAD_REQUEST, "PARAM_ERROR", message))
    }
}

/// Responds with the bank of a personal account number, which must decrypt: account numbers
/// starting `6222` are 工商银行's, any other is 招商银行's.
fn search_banks(req: &SandboxRequest) -> SandboxResponse {
    let Some(ciphertext) = req.query_value("account_number") else {
        return SandboxResponse::error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "account_number is required");
    };
    let account = match req.decrypt_sensitive(ciphertext) {
        Ok(account) => account,
        Err(response) => return response,
    };
    if account.is_empty() || !account.bytes().all(|b| b.is_ascii_digit()) {
        return SandboxResponse::error(StatusCode::BAD_REQUEST, "PARAM_ERROR", "account_number is not a card number");
    }
    let (name, code, alias_code) = if account.starts_with("6222") {
        ("工商银行", 1002, "1000009547")
    } else {
        ("招商银行", 1001, "1000009561")
    };
    SandboxResponse::ok(json!({
        "total_count": 1,
        "count": 1,
        "data": [{
            "bank_alias": name,
            "bank_alias_code": alias_code,
            "account_bank": name,
            "account_bank_code": code,
            "need_bank_branch": false,
        }],
        "offset": 0,
        "links": { "next": "", "prev": "", "self": "" },
    }))
}

pub(crate) fn register(router: &mut Router) {
    router.add(Route::new(Method::GET, SEARCH_BANKS_BY_BANK_ACCOUNT, Arc::new(search_banks)));
}
