//! Digests of downloaded files: SHA-1 and SHA-256, written in lower-case hex.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::Digest as _;

/// The digest algorithm of a bill file, as `hash_type` names it: `SHA1` (the gateway's
/// usual) or `SHA256`.
///
/// A name this crate does not know is kept as [`Other`](Self::Other), so that a
/// [`BillFile`](crate::bill::BillFile) naming it still decodes; downloading that file fails
/// with [`DownloadError::Response`](crate::bill::DownloadError::Response) naming `hash_type`,
/// before the file is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashType {
    /// SHA-1, 40 hex digits.
    Sha1,
    /// SHA-256, 64 hex digits.
    Sha256,
    /// Any other name, as the gateway wrote it.
    Other(String),
}

impl HashType {
    /// Reads `SHA1` or `SHA256` (any case, with or without the hyphen); `None` for any
    /// other name.
    ///
    /// ```
    /// use wechat_endpoint::bill::HashType;
    /// assert_eq!(HashType::parse("SHA1"), Some(HashType::Sha1));
    /// assert_eq!(HashType::parse("sha-256"), Some(HashType::Sha256));
    /// assert_eq!(HashType::parse("SM3"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_uppercase().replace('-', "").as_str() {
            "SHA1" => Some(HashType::Sha1),
            "SHA256" => Some(HashType::Sha256),
            _ => None,
        }
    }

    /// The name the gateway uses: `SHA1`, `SHA256`, or the other name as given.
    pub fn as_str(&self) -> &str {
        match self {
            HashType::Sha1 => "SHA1",
            HashType::Sha256 => "SHA256",
            HashType::Other(name) => name,
        }
    }
}

impl From<&str> for HashType {
    /// [`parse`](HashType::parse), keeping any other name as [`Other`](HashType::Other).
    ///
    /// ```
    /// use wechat_endpoint::bill::HashType;
    /// assert_eq!(HashType::from("sha1"), HashType::Sha1);
    /// assert_eq!(HashType::from("SM3"), HashType::Other("SM3".into()));
    /// ```
    fn from(text: &str) -> Self {
        HashType::parse(text).unwrap_or_else(|| HashType::Other(text.to_owned()))
    }
}

impl From<String> for HashType {
    fn from(text: String) -> Self {
        HashType::parse(&text).unwrap_or(HashType::Other(text))
    }
}

impl fmt::Display for HashType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for HashType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for HashType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(HashType::from)
    }
}

/// A running digest of either kind.
pub(crate) enum Hasher {
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
}

impl Hasher {
    /// A digest of `hash_type`; `None` for a name this crate does not know.
    pub(crate) fn new(hash_type: &HashType) -> Option<Self> {
        match hash_type {
            HashType::Sha1 => Some(Hasher::Sha1(sha1::Sha1::new())),
            HashType::Sha256 => Some(Hasher::Sha256(sha2::Sha256::new())),
            _ => None,
        }
    }

    /// The digest length in hex digits.
    pub(crate) fn hex_len(&self) -> usize {
        match self {
            Hasher::Sha1(_) => 40,
            Hasher::Sha256(_) => 64,
        }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
        }
    }

    /// The digest of what was fed, in lower-case hex; the hasher starts over.
    pub(crate) fn finish_hex(&mut self) -> String {
        match self {
            Hasher::Sha1(h) => hex(&h.finalize_reset()),
            Hasher::Sha256(h) => hex(&h.finalize_reset()),
        }
    }
}

/// Lower-case hex, as digests are written in `meta` JSON and bill responses.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        text.push(DIGITS[usize::from(b >> 4)] as char);
        text.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_hash_types_have_a_hasher() {
        assert_eq!(Hasher::new(&HashType::Sha1).map(|h| h.hex_len()), Some(40));
        assert_eq!(Hasher::new(&HashType::Sha256).map(|h| h.hex_len()), Some(64));
        assert!(Hasher::new(&HashType::Other("SM3".into())).is_none());
    }
}
