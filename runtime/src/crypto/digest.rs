//! Digests of downloaded files: SHA-1 and SHA-256, written in lower-case hex.

use std::fmt;

use sha2::Digest as _;

/// The digest algorithm of a bill file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashType {
    /// SHA-1, 40 hex digits.
    Sha1,
    /// SHA-256, 64 hex digits.
    Sha256,
}

impl HashType {
    /// Reads `SHA1` or `SHA256` (any case, with or without the hyphen).
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

    /// The name the gateway uses: `SHA1` or `SHA256`.
    pub fn as_str(self) -> &'static str {
        match self {
            HashType::Sha1 => "SHA1",
            HashType::Sha256 => "SHA256",
        }
    }

    /// The digest length in hex digits.
    pub(crate) fn hex_len(self) -> usize {
        match self {
            HashType::Sha1 => 40,
            HashType::Sha256 => 64,
        }
    }
}

impl fmt::Display for HashType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A running digest of either kind.
pub(crate) enum Hasher {
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
}

impl Hasher {
    pub(crate) fn new(hash_type: HashType) -> Self {
        match hash_type {
            HashType::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            HashType::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
        }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
        }
    }

    pub(crate) fn finish_hex(self) -> String {
        match self {
            Hasher::Sha1(h) => hex(&h.finalize()),
            Hasher::Sha256(h) => hex(&h.finalize()),
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
