//! Sensitive fields: names, ID numbers, phone numbers, account numbers… travel
//! encrypted with RSAES-OAEP (SHA-1, MGF1-SHA-1) under the WeChat Pay public key or a
//! platform certificate, and the request's `Wechatpay-Serial` names that key.
//!
//! Mark a field of a declared endpoint `#[wechat(encrypt)]` (in the JSON body or the
//! query string), or give a value the type [`Sensitive`], anywhere in a body (nested
//! structs, lists) or in the dynamic form's `.query()`. The client collects these values
//! while it writes the request and encrypts them before signing, with the key it
//! verifies responses with: the public key, or the newest valid platform certificate, which
//! a client in certificate mode downloads first when it holds none. A ciphertext in the
//! query is percent-encoded (`+`, `/`, `=`), and signed as sent. Serialising a sensitive
//! value anywhere else is an error, so plaintext never leaves by accident.
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

use std::fmt;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Serialize, Serializer};
use zeroize::Zeroizing;

use crate::crypto::CryptoError;
use crate::pipeline::client::Client;
use crate::pipeline::error::Error;
use crate::pipeline::seal::mark;

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

/// Serialises `plaintext` to be sent encrypted: the `serialize_with` function behind
/// `#[wechat(encrypt)]`. Only a client writing a request's query or body can serialise
/// it; it encrypts the value with the key it names in `Wechatpay-Serial` before the
/// request is signed. Anywhere else this is an error, so plaintext never leaves by
/// accident.
///
/// # Errors
/// Outside a client call, or when `plaintext` is longer than RSA-OAEP holds (214 bytes).
pub fn encrypt<S: Serializer>(plaintext: &str, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    let marker = mark(plaintext);
    match marker {
        Ok(marker) => serializer.serialize_str(&marker),
        Err(problem) => Err(S::Error::custom(problem)),
    }
}

/// [`encrypt`] for an `Option<String>` field: `None` stays `null` (pair it with
/// `skip_serializing_if = "Option::is_none"` to leave it out).
///
/// # Errors
/// As [`encrypt`].
pub fn encrypt_option<S: Serializer>(plaintext: &Option<String>, serializer: S) -> Result<S::Ok, S::Error> {
    match plaintext {
        Some(text) => encrypt(text, serializer),
        None => serializer.serialize_none(),
    }
}

impl Client {
    /// Encrypts one sensitive value as [`crate::sensitive`] does, for requests built by
    /// hand, with the key held now: the WeChat Pay public key, or the newest valid
    /// platform certificate. The request must carry
    /// [`EncryptedValue::wechatpay_serial`] in its `Wechatpay-Serial` header.
    ///
    /// Calls made with `send` or the dynamic form encrypt by themselves (mark the values
    /// `#[wechat(encrypt)]` or give them the type
    /// [`Sensitive`](crate::sensitive::Sensitive)) and download platform certificates
    /// when they need to; this synchronous call cannot.
    ///
    /// # Errors
    /// [`Error::Sensitive`] when no key is held (in certificate mode before the first
    /// download: call [`refresh_certificates`](Self::refresh_certificates)`().await`
    /// first, or configure the WeChat Pay public key), or when `plaintext` is over 214
    /// bytes.
    pub fn encrypt_sensitive(&self, plaintext: &str) -> Result<EncryptedValue, Error> {
        let keys = self.verifying_keys();
        let (id, key) = keys.encryption_key(SystemTime::now()).ok_or_else(|| {
            Error::Sensitive(CryptoError::Key(
                "no WeChat Pay public key or valid platform certificate is held to encrypt with: call \
                 `refresh_certificates().await` first (certificate mode), or configure the WeChat Pay public \
                 key with `ClientBuilder::wechatpay_public_key_pem`"
                    .into(),
            ))
        })?;
        let ciphertext = key.encrypt_oaep(plaintext.as_bytes()).map_err(Error::Sensitive)?;
        Ok(EncryptedValue::new(BASE64.encode(ciphertext), id.to_owned()))
    }

    /// Decrypts a sensitive field the gateway encrypted under the merchant key
    /// (RSAES-OAEP, SHA-1): base64 in, text out, zeroized on drop.
    ///
    /// # Errors
    ///
    /// [`Error::Sensitive`] with [`CryptoError::DecryptFailed`] when `ciphertext` is not
    /// base64, was not encrypted under the merchant key, is damaged, or does not decrypt to
    /// UTF-8 text.
    pub fn decrypt_sensitive(&self, ciphertext: &str) -> Result<Zeroizing<String>, Error> {
        let bytes = BASE64.decode(ciphertext.trim()).map_err(|_| Error::Sensitive(CryptoError::DecryptFailed))?;
        let plaintext = self.merchant_key().decrypt_oaep(&bytes).map_err(Error::Sensitive)?;
        String::from_utf8(plaintext.to_vec())
            .map(Zeroizing::new)
            .map_err(|_| Error::Sensitive(CryptoError::DecryptFailed))
    }
}

/// A value encrypted by [`Client::encrypt_sensitive`] for a request built by hand: the
/// ciphertext to send, and the id of the key it was encrypted with, which the request
/// must name in its `Wechatpay-Serial` header.
#[derive(Clone, PartialEq, Eq)]
pub struct EncryptedValue {
    ciphertext: String,
    wechatpay_serial: String,
}

impl EncryptedValue {
    pub(crate) fn new(ciphertext: String, wechatpay_serial: String) -> Self {
        EncryptedValue { ciphertext, wechatpay_serial }
    }

    /// The RSAES-OAEP ciphertext, standard base64 (percent-encode it in a query).
    pub fn ciphertext(&self) -> &str {
        &self.ciphertext
    }

    /// The `Wechatpay-Serial` value: the public key's `PUB_KEY_ID_…` or the platform
    /// certificate's serial.
    pub fn wechatpay_serial(&self) -> &str {
        &self.wechatpay_serial
    }

    /// The ciphertext and the `Wechatpay-Serial` value.
    pub fn into_parts(self) -> (String, String) {
        (self.ciphertext, self.wechatpay_serial)
    }
}

impl fmt::Debug for EncryptedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptedValue")
            .field("ciphertext_len", &self.ciphertext.len())
            .field("wechatpay_serial", &self.wechatpay_serial)
            .finish()
    }
}

/// A sensitive value of a response: RSA-OAEP ciphertext under the merchant key, in
/// base64, as the gateway sends it. Pass it to
/// [`Client::decrypt_sensitive`](crate::Client::decrypt_sensitive) for the plaintext.
/// Its `Debug` shows its length only.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Ciphertext(String);

impl Ciphertext {
    /// The base64 ciphertext, as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for Ciphertext {
    fn from(ciphertext: String) -> Self {
        Ciphertext(ciphertext)
    }
}

impl fmt::Debug for Ciphertext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ciphertext({} bytes)", self.0.len())
    }
}
