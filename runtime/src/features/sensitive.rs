//! Sensitive fields: names, ID numbers, phone numbers, account numbers… travel
//! encrypted with RSAES-OAEP (SHA-1, MGF1-SHA-1) under the WeChat Pay public key or a
//! platform certificate, and the request's `Wechatpay-Serial` names that key.
//!
//! Mark a field of a declared endpoint `#[wechat(encrypt)]` (in the JSON body or the
//! query string), or give a value the type [`Sensitive`], anywhere in a body (nested
//! structs, lists) or in the dynamic form's `.query()`. The client collects these values
//! while it writes the request and encrypts them before signing, with the key it
//! verifies answers with: the public key, or the newest valid platform certificate, which
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

use std::cell::RefCell;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Serialize, Serializer};
use zeroize::Zeroizing;

use crate::crypto::{CryptoError, OAEP_MAX_PLAINTEXT, VerifyingKey};

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

/// The sensitive values of one request, collected while its query and body are
/// written and encrypted once the key is known.
///
/// While a request is written, each sensitive value is written as a marker (a random
/// token of this request and the value's index, letters, digits and `_` only, which
/// JSON and form encoding leave as they are) and its plaintext kept here, zeroized on
/// drop. [`seal`](Self::seal) then replaces each marker by the base64 ciphertext
/// (percent-encoded in a query), so the key can be obtained, downloaded if need be,
/// after the values were written and before anything is signed.
#[derive(Default)]
pub(crate) struct Pending {
    token: String,
    values: Vec<Zeroizing<String>>,
}

impl fmt::Debug for Pending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending").field("values", &self.values.len()).finish_non_exhaustive()
    }
}

/// How a buffer carries a ciphertext.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// Inside a JSON string: base64 as it is.
    Json,
    /// A query value: base64 percent-encoded (`+`, `/` and `=`).
    Query,
}

thread_local! {
    static SCOPE: RefCell<Option<Pending>> = const { RefCell::new(None) };
}

impl Pending {
    /// Whether no sensitive value was written.
    pub(crate) fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Runs `write` (which serialises a query or a body) collecting into `self` the
    /// sensitive values it writes.
    pub(crate) fn collect<R>(&mut self, write: impl FnOnce() -> R) -> R {
        struct Restore<'a> {
            pending: &'a mut Pending,
            outer: Option<Pending>,
        }
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                let outer = self.outer.take();
                let collected = SCOPE.with(|scope| std::mem::replace(&mut *scope.borrow_mut(), outer));
                if let Some(collected) = collected {
                    *self.pending = collected;
                }
            }
        }
        if self.token.is_empty() {
            self.token = crate::signing::nonce();
        }
        let mine = std::mem::take(self);
        let outer = SCOPE.with(|scope| scope.borrow_mut().replace(mine));
        let _restore = Restore { pending: self, outer };
        write()
    }

    /// Replaces every marker in `buf` by its value's ciphertext under `key`, encoded as
    /// `form` requires. Each marker must appear exactly once: a serialiser that altered,
    /// dropped or repeated one would otherwise send a placeholder in place of a
    /// ciphertext.
    pub(crate) fn seal(&self, key: &VerifyingKey, buf: &mut Vec<u8>, form: Form) -> Result<(), SealError> {
        if self.values.is_empty() {
            return Ok(());
        }
        let mut ciphertexts = Vec::with_capacity(self.values.len());
        for value in &self.values {
            let ciphertext = key.encrypt_oaep(value.as_bytes()).map_err(SealError::Encrypt)?;
            ciphertexts.push(BASE64.encode(ciphertext));
        }
        let mut found = vec![0_u32; self.values.len()];
        let sealed = self.replace_markers(buf, &ciphertexts, form, &mut found);
        if found.iter().any(|&n| n != 1) {
            return Err(SealError::Altered);
        }
        if let Some(sealed) = sealed {
            *buf = sealed;
        }
        Ok(())
    }

    /// `buf` with its markers replaced; `None` when it holds none.
    fn replace_markers(&self, buf: &[u8], ciphertexts: &[String], form: Form, found: &mut [u32]) -> Option<Vec<u8>> {
        let token = self.token.as_bytes();
        let first = find(buf, token)?;
        let mut out = Vec::with_capacity(buf.len() + ciphertexts.len() * 360);
        out.extend_from_slice(&buf[..first]);
        let mut rest = &buf[first..];
        while let Some(at) = find(rest, token) {
            out.extend_from_slice(&rest[..at]);
            let after = &rest[at + token.len()..];
            let index = after
                .strip_prefix(b"_")
                .and_then(|digits| {
                    let len = digits.iter().position(|b| !b.is_ascii_digit())?;
                    let index: usize = std::str::from_utf8(&digits[..len]).ok()?.parse().ok()?;
                    (digits.get(len) == Some(&b'_')).then_some((index, 1 + len + 1))
                })
                .filter(|(index, _)| *index < ciphertexts.len());
            match index {
                Some((index, marker_rest)) => {
                    found[index] += 1;
                    match form {
                        Form::Json => out.extend_from_slice(ciphertexts[index].as_bytes()),
                        Form::Query => out.extend(
                            form_urlencoded::byte_serialize(ciphertexts[index].as_bytes()).flat_map(str::bytes),
                        ),
                    }
                    rest = &after[marker_rest..];
                }
                None => {
                    out.extend_from_slice(token);
                    rest = after;
                }
            }
        }
        out.extend_from_slice(rest);
        Some(out)
    }

    /// Records `plaintext` and answers the marker to write in its place.
    fn push(&mut self, plaintext: &str) -> String {
        let marker = format!("{}_{}_", self.token, self.values.len());
        self.values.push(Zeroizing::new(plaintext.to_owned()));
        marker
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// Why sensitive values could not be sealed.
#[derive(Debug)]
pub(crate) enum SealError {
    Encrypt(CryptoError),
    Altered,
}

impl From<SealError> for crate::Error {
    fn from(error: SealError) -> Self {
        match error {
            SealError::Encrypt(e) => crate::Error::Sensitive(e),
            SealError::Altered => crate::Error::Sensitive(CryptoError::Key(
                "a sensitive value was not written as one plain string (a serialiser altered, dropped or \
                 repeated it), so it cannot be encrypted in place; nothing was sent"
                    .into(),
            )),
        }
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
    let marker = SCOPE.with(|scope| {
        let mut scope = scope.borrow_mut();
        let pending = scope.as_mut().ok_or(
            "a sensitive value can only be serialised while a wechat-endpoint client writes a request's query or body",
        )?;
        if plaintext.len() > OAEP_MAX_PLAINTEXT {
            return Err("a sensitive value is longer than RSA-OAEP holds (214 bytes)");
        }
        Ok(pending.push(plaintext))
    });
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

/// A value encrypted by [`Client::encrypt_sensitive`](crate::Client::encrypt_sensitive)
/// for a request built by hand: the ciphertext to send, and the id of the key it was
/// encrypted with, which the request must name in its `Wechatpay-Serial` header.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_replaced_once_each_in_json_and_in_queries() {
        let key = crate::crypto::VerifyingKey::from_pem(
            include_str!("sandbox/keys/wechatpay_public_key.pem"),
            crate::crypto::Backend::default(),
        )
        .unwrap();
        let (mut in_query, mut in_body) = (Pending::default(), Pending::default());
        let mut query = String::new();
        in_query.collect(|| {
            let mut pairs = form_urlencoded::Serializer::new(&mut query);
            [("a", Sensitive::new("one")), ("b", Sensitive::new("two"))][..]
                .serialize(serde_urlencoded::Serializer::new(&mut pairs))
                .unwrap();
        });
        let mut body = in_body.collect(|| serde_json::to_vec(&[Sensitive::new("three")]).unwrap());
        assert!(!query.contains("one") && !String::from_utf8_lossy(&body).contains("three"));
        let mut query = query.into_bytes();
        in_query.seal(&key, &mut query, Form::Query).unwrap();
        in_body.seal(&key, &mut body, Form::Json).unwrap();
        let query = String::from_utf8(query).unwrap();
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        assert_eq!(pairs.len(), 2);
        for (_, value) in &pairs {
            assert_eq!(BASE64.decode(value).unwrap().len(), 256, "{query}");
        }
        for pair in query.split('&') {
            let (_, raw) = pair.split_once('=').unwrap();
            assert!(!raw.contains(['+', '/', '=']) && raw.ends_with("%3D%3D"), "percent-encoded: {query}");
        }
        let body: Vec<String> = serde_json::from_slice(&body).unwrap();
        assert_eq!(BASE64.decode(&body[0]).unwrap().len(), 256);

        // A marker written twice, or lost, is refused.
        let mut twice = Pending::default();
        let text = twice.collect(|| serde_json::to_string(&Sensitive::new("x")).unwrap());
        let mut doubled = format!("[{text},{text}]").into_bytes();
        assert!(matches!(twice.seal(&key, &mut doubled, Form::Json), Err(SealError::Altered)));
        assert!(matches!(twice.seal(&key, &mut b"[]".to_vec(), Form::Json), Err(SealError::Altered)));
    }
}
