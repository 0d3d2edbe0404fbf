//! The response that names a bill file, its digest algorithm, and what a download
//! reports.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::HashType;

/// The response to a bill request: where the file is and its digest.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillFile {
    /// The digest algorithm: `SHA1` or `SHA256`.
    pub hash_type: HashType,
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
    fn the_hash_type_decodes_as_the_gateway_writes_it_and_keeps_other_names() {
        let file: BillFile = serde_json::from_str(
            r#"{"hash_type":"SHA1","hash_value":"79bb0f45fc4c42234a918000b2668d689e2bde04","download_url":"https://api.mch.weixin.qq.com/v3/billdownload/file?token=xxx"}"#,
        )
        .unwrap();
        assert_eq!(file.hash_type, HashType::Sha1);
        let text = serde_json::to_string(&file).unwrap();
        assert!(text.starts_with(r#"{"hash_type":"SHA1","#), "{text}");
        for (name, expected) in
            [("SHA256", HashType::Sha256), ("sha256", HashType::Sha256), ("SM3", HashType::Other("SM3".into()))]
        {
            let decoded: HashType = serde_json::from_value(serde_json::json!(name)).unwrap();
            assert_eq!(decoded, expected);
        }
        assert_eq!(serde_json::to_value(HashType::Other("SM3".into())).unwrap(), "SM3");
    }

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

/// The response type of the operations whose response is a file rather than JSON
/// (`GET v3/billdownload/file`, `GET v3/transferdownload/signfile`,
/// `GET v3/transferdownload/elecvoucherfile` in `crate::apis`). `Client::send` cannot
/// read a file: the gateway does not sign one, so its response fails verification
/// ([`Error::Verify`](crate::Error::Verify)), and decoding one is an error that says to
/// download it. Download the file with
/// [`Client::download_file`](crate::Client::download_file), from the `download_url` and
/// hash of the operation that names it; the typed request's
/// [`Endpoint::write_target`](crate::Endpoint::write_target) writes its URL's path and
/// query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileResponse;

impl<'de> Deserialize<'de> for FileResponse {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom("this operation's response is a file: download it with `Client::download_file`"))
    }
}
