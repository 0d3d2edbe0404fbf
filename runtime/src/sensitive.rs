//! Sensitive fields: names, ID numbers, phone numbers… travel encrypted with RSAES-OAEP
//! (SHA-1, MGF1-SHA-1) under the WeChat Pay public key or a platform certificate, and the
//! request's `Wechatpay-Serial` names that key.
//!
//! Mark a field of a declared endpoint `#[wechat(encrypt)]`, or give a field of any
//! nested struct the type [`Sensitive`]. Encryption happens while the client writes the
//! body, with the key it verifies answers with; serialising a sensitive value anywhere
//! else is an error, so plaintext never leaves by accident.
//!
//! ```
//! use serde::Serialize;
//! use wechat_endpoint::sensitive::Sensitive;
//!
//! #[derive(Serialize)]
//! struct Contact {
//!     contact_name: Sensitive,
//!     mobile_phone: Option<Sensitive>,
//! }
//!
//! let contact = Contact { contact_name: "张三".into(), mobile_phone: None };
//! // Outside a client call there is no key to encrypt with: an error, not plaintext.
//! assert!(serde_json::to_string(&contact).is_err());
//! ```

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Serialize, Serializer};
use zeroize::Zeroizing;

use crate::verify::VerifyingKeys;

/// A string sent encrypted. Its `Debug` is redacted and its memory zeroized on drop.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Sensitive(Zeroizing<String>);

impl Sensitive {
    /// Wraps a plaintext value.
    pub fn new(value: impl Into<String>) -> Self {
        Sensitive(Zeroizing::new(value.into()))
    }

    /// The plaintext.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Sensitive {
    fn from(value: &str) -> Self {
        Sensitive::new(value)
    }
}

impl From<String> for Sensitive {
    fn from(value: String) -> Self {
        Sensitive::new(value)
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sensitive([redacted])")
    }
}

impl Serialize for Sensitive {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        encrypt(self.expose(), serializer)
    }
}

/// The key a body is being written with, and which key id it used.
struct Scope {
    keys: Arc<VerifyingKeys>,
    used: Option<String>,
}

thread_local! {
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

/// Runs `write` (which serialises a body) with `keys` available for encryption; answers
/// its result and the id of the key used, if any field was encrypted.
pub(crate) fn with_keys<R>(keys: Arc<VerifyingKeys>, write: impl FnOnce() -> R) -> (R, Option<String>) {
    struct Reset(Option<Scope>);
    impl Drop for Reset {
        fn drop(&mut self) {
            SCOPE.with(|scope| *scope.borrow_mut() = self.0.take());
        }
    }
    let outer = SCOPE.with(|scope| scope.borrow_mut().replace(Scope { keys, used: None }));
    let reset = Reset(outer);
    let result = write();
    let used = SCOPE.with(|scope| scope.borrow_mut().as_mut().and_then(|s| s.used.take()));
    drop(reset);
    (result, used)
}

/// Serialises `plaintext` encrypted with the current client's key, base64: the
/// `serialize_with` function behind `#[wechat(encrypt)]`.
pub fn encrypt<S: Serializer>(plaintext: &str, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    let encrypted = SCOPE.with(|scope| {
        let mut scope = scope.borrow_mut();
        let scope = scope
            .as_mut()
            .ok_or("a sensitive field can only be serialised while a wechat-endpoint client writes a request body")?;
        let (id, key) = scope
            .keys
            .encryption_key(SystemTime::now())
            .ok_or("no WeChat Pay public key or valid platform certificate to encrypt a sensitive field with")?;
        if scope.used.as_deref().is_some_and(|used| used != id) {
            return Err("sensitive fields of one request were encrypted with different keys");
        }
        let id = id.to_owned();
        let ciphertext = key.encrypt_oaep(plaintext.as_bytes()).map_err(|e| match e {
            crate::crypto::CryptoError::PlaintextTooLong { .. } => {
                "a sensitive field is longer than RSA-OAEP holds (214 bytes)"
            }
            _ => "a sensitive field could not be encrypted",
        })?;
        scope.used = Some(id);
        Ok(BASE64.encode(ciphertext))
    });
    match encrypted {
        Ok(text) => serializer.serialize_str(&text),
        Err(problem) => Err(S::Error::custom(problem)),
    }
}

/// [`encrypt`] for an `Option<String>` field: `None` stays `null` (pair it with
/// `skip_serializing_if = "Option::is_none"` to leave it out).
pub fn encrypt_option<S: Serializer>(plaintext: &Option<String>, serializer: S) -> Result<S::Ok, S::Error> {
    match plaintext {
        Some(text) => encrypt(text, serializer),
        None => serializer.serialize_none(),
    }
}
