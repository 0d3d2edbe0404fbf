//! The response that names a bill file, its digest algorithm, and what a download
//! reports.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The response to a bill request: where the file is and its digest.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillFile {
    /// `SHA1` or `SHA256`.
    pub hash_type: String,
    /// The digest of the bill, in hex (of the decompressed bill for a gzip file).
    pub hash_value: String,
    /// Where to fetch the file; valid for a few minutes.
    pub download_url: String,
}

impl fmt::Debug for BillFile {
    /// The `download_url` is shown without its query, which carries the download token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match self.download_url.split_once('?') {
            Some((base, _)) => format!("{base}?…"),
            None => self.download_url.clone(),
        };
        f.debug_struct("BillFile")
            .field("hash_type", &self.hash_type)
            .field("hash_value", &self.hash_value)
            .field("download_url", &url)
            .finish()
    }
}

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
    pub(super) fn hex_len(self) -> usize {
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

/// A bill written out and verified.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Downloaded {
    /// Bytes written: the bill, decompressed.
    pub written: u64,
    /// Bytes received: smaller than `written` for a gzip file.
    pub received: u64,
    /// Whether the file came gzip-compressed.
    pub gzip: bool,
    /// The digest algorithm.
    pub hash_type: HashType,
    /// The digest, lower-case hex; it matched the announced one.
    pub hash_value: String,
    /// The file response's `Request-ID`, when it had one.
    pub request_id: Option<String>,
    /// Tries made to fetch the file.
    pub tries: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_download_token() {
        let file = BillFile {
            hash_type: "SHA1".into(),
            hash_value: "0".repeat(40),
            download_url: "https://api.mch.weixin.qq.com/v3/billdownload/file?token=SECRET".into(),
        };
        assert!(!format!("{file:?}").contains("SECRET"));
    }
}
