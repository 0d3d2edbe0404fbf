//! Sensitive values, sealed: written as markers while a request's query and body are
//! serialised, then replaced by their ciphertexts once the key is known, before the
//! request is signed. See [`sensitive`](crate::sensitive) for how values are marked.

use std::cell::RefCell;
use std::fmt;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use zeroize::Zeroizing;

use crate::crypto::signing::nonce;
use crate::crypto::verify::VerifyingKeys;
use crate::crypto::{CryptoError, OAEP_MAX_PLAINTEXT, VerifyingKey};
use crate::pipeline::client::Client;
use crate::pipeline::error::Error;

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

    /// Records `plaintext` and returns the marker to write in its place.
    fn push(&mut self, plaintext: &str) -> String {
        // Made at the first value: a request with none pays nothing for it.
        if self.token.is_empty() {
            self.token = nonce();
        }
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

impl From<SealError> for Error {
    fn from(error: SealError) -> Self {
        match error {
            SealError::Encrypt(e) => Error::Sensitive(e),
            SealError::Altered => Error::Sensitive(CryptoError::Key(
                "a sensitive value was not written as one plain string (a serialiser altered, dropped or \
                 repeated it), so it cannot be encrypted in place; nothing was sent"
                    .into(),
            )),
        }
    }
}

/// Records `plaintext` in the request being written on this thread and returns the
/// marker to serialise in its place; refuses outside a request, or a value longer than
/// RSA-OAEP holds.
pub(crate) fn mark(plaintext: &str) -> Result<String, &'static str> {
    SCOPE.with(|scope| {
        let mut scope = scope.borrow_mut();
        let pending = scope.as_mut().ok_or(
            "a sensitive value can only be serialised while a wechat-endpoint client writes a request's query or body",
        )?;
        if plaintext.len() > OAEP_MAX_PLAINTEXT {
            return Err("a sensitive value is longer than RSA-OAEP holds (214 bytes)");
        }
        Ok(pending.push(plaintext))
    })
}

impl Client {
    /// Encrypts the sensitive values written into each buffer, in place, with one key,
    /// and returns its id for `Wechatpay-Serial`; `None` when there were none. A client
    /// in certificate mode with no valid platform certificate downloads them first.
    pub(crate) async fn seal(&self, parts: &mut [(&Pending, &mut Vec<u8>, Form)]) -> Result<Option<String>, Error> {
        if parts.iter().all(|(pending, _, _)| pending.is_empty()) {
            return Ok(None);
        }
        let keys = self.encryption_keys().await?;
        let (id, key) = keys.encryption_key(SystemTime::now()).ok_or_else(no_encryption_key)?;
        for (pending, buf, form) in parts.iter_mut() {
            pending.seal(key, buf, *form)?;
        }
        Ok(Some(id.to_owned()))
    }

    /// Keys that hold an encryption key now: those held, or, in certificate mode, those
    /// after one download of the platform certificates.
    async fn encryption_keys(&self) -> Result<std::sync::Arc<VerifyingKeys>, Error> {
        let keys = self.verifying_keys();
        match self.key_refresh() {
            Some(refresh) if keys.encryption_key(SystemTime::now()).is_none() => {
                refresh.for_encryption(self).await?;
                Ok(self.verifying_keys())
            }
            _ => Ok(keys),
        }
    }
}

fn no_encryption_key() -> Error {
    Error::Sensitive(CryptoError::Key(
        "no WeChat Pay public key or valid platform certificate to encrypt sensitive values with".into(),
    ))
}

#[cfg(test)]
mod tests {
    use serde::{Serialize, Serializer};

    use super::*;

    /// A value serialised as `sensitive::Sensitive` is: as a marker.
    struct Marked(&'static str);

    impl Serialize for Marked {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_str(&mark(self.0).map_err(serde::ser::Error::custom)?)
        }
    }

    #[test]
    fn markers_are_replaced_once_each_in_json_and_in_queries() {
        let key = crate::crypto::VerifyingKey::from_pem(
            include_str!("../adapters/sandbox/keys/wechatpay_public_key.pem"),
            crate::crypto::Backend::default(),
        )
        .unwrap();
        let (mut in_query, mut in_body) = (Pending::default(), Pending::default());
        let mut query = String::new();
        in_query.collect(|| {
            let mut pairs = form_urlencoded::Serializer::new(&mut query);
            [("a", Marked("one")), ("b", Marked("two"))][..]
                .serialize(serde_urlencoded::Serializer::new(&mut pairs))
                .unwrap();
        });
        let mut body = in_body.collect(|| serde_json::to_vec(&[Marked("three")]).unwrap());
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
        let text = twice.collect(|| serde_json::to_string(&Marked("x")).unwrap());
        let mut doubled = format!("[{text},{text}]").into_bytes();
        assert!(matches!(twice.seal(&key, &mut doubled, Form::Json), Err(SealError::Altered)));
        assert!(matches!(twice.seal(&key, &mut b"[]".to_vec(), Form::Json), Err(SealError::Altered)));
    }
}
