//! `multipart/form-data` bodies: a media file and its `meta` JSON, the request
//! signature covering the `meta` JSON alone. See [`media`](crate::media) for uploads.

use std::borrow::Cow;
use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use bytes::{BufMut as _, Bytes, BytesMut};
use http::HeaderValue;
use sha2::{Digest as _, Sha256};

use crate::crypto::hex;

/// The largest file [`MediaFile`] accepts: well above what the gateway takes for images
/// and videos, it keeps a wrong path from loading a large file into memory.
pub const MAX_MEDIA_BYTES: u64 = 32 * 1024 * 1024;

/// Content types by file extension (compared without regard to case): the image, video
/// and document types the gateway's upload endpoints take.
///
/// A file with any other extension is not sent as `application/octet-stream`: its upload
/// fails with [`MediaError::UnknownContentType`] unless its type is named with
/// [`MediaFile::with_content_type`].
pub const CONTENT_TYPES: &[(&str, &str)] = &[
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("bmp", "image/bmp"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("mp4", "video/mp4"),
    ("avi", "video/x-msvideo"),
    ("wmv", "video/x-ms-wmv"),
    ("mpeg", "video/mpeg"),
    ("mpg", "video/mpeg"),
    ("mov", "video/quicktime"),
    ("mkv", "video/x-matroska"),
    ("flv", "video/x-flv"),
    ("f4v", "video/x-f4v"),
    ("m4v", "video/x-m4v"),
    ("rmvb", "application/vnd.rn-realmedia-vbr"),
    ("pdf", "application/pdf"),
];

/// The content type [`CONTENT_TYPES`] gives `filename`'s extension, if any.
///
/// ```
/// use wechat_endpoint::media::content_type_for;
/// assert_eq!(content_type_for("门店.JPG"), Some("image/jpeg"));
/// assert_eq!(content_type_for("clip.mp4"), Some("video/mp4"));
/// assert_eq!(content_type_for("notes.txt"), None);
/// assert_eq!(content_type_for("README"), None);
/// ```
pub fn content_type_for(filename: &str) -> Option<&'static str> {
    let (_, extension) = filename.rsplit_once('.')?;
    CONTENT_TYPES.iter().find(|(known, _)| known.eq_ignore_ascii_case(extension)).map(|&(_, content_type)| content_type)
}

/// A file to upload: its name, content type, bytes and SHA-256, computed once while the
/// bytes were read.
///
/// The content type comes from the name's extension ([`CONTENT_TYPES`]); for any other
/// extension name it with [`with_content_type`](Self::with_content_type), or the upload
/// fails before anything is sent with [`MediaError::UnknownContentType`], naming the
/// file. Guessing `application/octet-stream` instead would only move the failure to the
/// gateway, with a vaguer message.
///
/// Cheap to clone (the bytes are shared). Its `Debug` shows the name, type, size and
/// digest, never the bytes.
#[derive(Clone)]
pub struct MediaFile {
    filename: String,
    content_type: Option<Cow<'static, str>>,
    content: Bytes,
    sha256: [u8; 32],
}

impl fmt::Debug for MediaFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaFile")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("len", &self.content.len())
            .field("sha256", &self.sha256_hex())
            .finish()
    }
}

impl MediaFile {
    /// A file held in memory, named `filename`; the content type comes from the name's
    /// extension ([`CONTENT_TYPES`]).
    ///
    /// ```
    /// use wechat_endpoint::media::MediaFile;
    /// let file = MediaFile::from_bytes("logo.png", &b"not really a PNG"[..])?;
    /// assert_eq!(file.content_type(), Some("image/png"));
    /// assert_eq!(file.len(), 16);
    /// # Ok::<(), wechat_endpoint::media::MediaError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`MediaError::Filename`] for a name that cannot be sent, [`MediaError::Empty`] for no
    /// bytes, [`MediaError::TooLarge`] past [`MAX_MEDIA_BYTES`].
    pub fn from_bytes(filename: impl Into<String>, content: impl Into<Bytes>) -> Result<Self, MediaError> {
        let filename = filename.into();
        let content = content.into();
        check_filename(&filename)?;
        if content.len() as u64 > MAX_MEDIA_BYTES {
            return Err(MediaError::TooLarge { filename, limit: MAX_MEDIA_BYTES });
        }
        let sha256 = Sha256::digest(&content).into();
        Self::described(filename, content, sha256)
    }

    /// Reads the file at `path`, hashing it as it is read; the name sent is the path's
    /// last component. Blocks the calling thread while reading: from async code use
    /// [`open`](Self::open).
    ///
    /// # Errors
    ///
    /// [`MediaError::Path`] or [`MediaError::Filename`] when the path does not end in a
    /// file name that can be sent, [`MediaError::Read`] when the file cannot be read,
    /// [`MediaError::Empty`] for an empty file, [`MediaError::TooLarge`] past
    /// [`MAX_MEDIA_BYTES`].
    pub fn open_blocking(path: impl AsRef<Path>) -> Result<Self, MediaError> {
        let path = path.as_ref();
        let filename = filename_of(path)?;
        let read_error = |source| MediaError::Read { path: path.to_owned(), source };
        let file = std::fs::File::open(path).map_err(read_error)?;
        let expected = file.metadata().map(|m| m.len()).unwrap_or(0);
        // One byte past the limit is enough to know the file is too large.
        let mut reader = file.take(MAX_MEDIA_BYTES + 1);
        let mut content = Vec::with_capacity(expected.min(MAX_MEDIA_BYTES) as usize);
        let mut hasher = Sha256::new();
        let mut chunk = vec![0; 64 * 1024];
        loop {
            let n = match reader.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(read_error(e)),
            };
            hasher.update(&chunk[..n]);
            content.extend_from_slice(&chunk[..n]);
        }
        Self::read_whole(filename, content, hasher)
    }

    /// Reads the file at `path` without blocking the async runtime, hashing it as it is
    /// read; the name sent is the path's last component. It runs
    /// [`open_blocking`](Self::open_blocking) on Tokio's blocking pool, so it must be
    /// called inside a Tokio runtime.
    ///
    /// # Errors
    ///
    /// As [`open_blocking`](Self::open_blocking); [`MediaError::Read`] too when the
    /// runtime shuts down before the read finishes.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, MediaError> {
        let path = path.as_ref().to_owned();
        let read = {
            let path = path.clone();
            tokio::task::spawn_blocking(move || Self::open_blocking(path))
        };
        read.await.unwrap_or_else(|cancelled| {
            Err(MediaError::Read {
                path,
                source: std::io::Error::other(format!("the read did not finish: {cancelled}")),
            })
        })
    }

    fn read_whole(filename: String, content: Vec<u8>, hasher: Sha256) -> Result<Self, MediaError> {
        if content.len() as u64 > MAX_MEDIA_BYTES {
            return Err(MediaError::TooLarge { filename, limit: MAX_MEDIA_BYTES });
        }
        Self::described(filename, Bytes::from(content), hasher.finalize().into())
    }

    fn described(filename: String, content: Bytes, sha256: [u8; 32]) -> Result<Self, MediaError> {
        if content.is_empty() {
            return Err(MediaError::Empty { filename });
        }
        Ok(MediaFile { content_type: content_type_for(&filename).map(Cow::Borrowed), filename, content, sha256 })
    }

    /// Sends the file with `content_type` (`type/subtype`, parameters allowed) instead
    /// of the one its name implies: for an extension [`CONTENT_TYPES`] does not know.
    ///
    /// ```
    /// use wechat_endpoint::media::MediaFile;
    /// let file = MediaFile::from_bytes("scan.tiff", &b"II*\0"[..])?;
    /// assert_eq!(file.content_type(), None); // sending it would fail, naming the file
    /// let file = file.with_content_type("image/tiff")?;
    /// assert_eq!(file.content_type(), Some("image/tiff"));
    /// # Ok::<(), wechat_endpoint::media::MediaError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`MediaError::ContentType`] when `content_type` is not a `type/subtype` media type
    /// that fits a header.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Result<Self, MediaError> {
        let content_type = content_type.into();
        check_content_type(&content_type)?;
        self.content_type = Some(Cow::Owned(content_type));
        Ok(self)
    }

    /// The name sent in `meta` and in the `file` part.
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// The `file` part's content type: the one its name implies or the one given with
    /// [`with_content_type`](Self::with_content_type). `None` when neither is known:
    /// sending the file then fails with [`MediaError::UnknownContentType`].
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The bytes.
    pub fn content(&self) -> &Bytes {
        &self.content
    }

    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.content.len()
    }

    /// Always `false`: an empty file is refused when the `MediaFile` is made.
    pub fn is_empty(&self) -> bool {
        self.content.is_empty()
    }

    /// The SHA-256 digest of the bytes.
    pub fn sha256(&self) -> &[u8; 32] {
        &self.sha256
    }

    /// The SHA-256 digest in lower-case hex, as `meta` carries it.
    pub fn sha256_hex(&self) -> String {
        hex(&self.sha256)
    }
}

/// Lets a declared endpoint hold its file as `MediaFile`, `&MediaFile` or
/// `Arc<MediaFile>` alike.
impl AsRef<MediaFile> for MediaFile {
    fn as_ref(&self) -> &MediaFile {
        self
    }
}

/// Why a media file could not be prepared for upload; nothing was sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MediaError {
    /// The file could not be read.
    #[error("cannot read media file {}", .path.display())]
    Read {
        /// The path given.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The path has no usable file name to send.
    #[error("media file {}: {problem}", .path.display())]
    Path {
        /// The path given.
        path: PathBuf,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The file name cannot be sent.
    #[error("media file name {filename:?}: {problem}")]
    Filename {
        /// The name given.
        filename: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// No content type is known for the file name's extension.
    #[error(
        "media file `{filename}`: no content type is known for its extension; known are {}; name the type with MediaFile::with_content_type",
        known_extensions()
    )]
    UnknownContentType {
        /// The name given.
        filename: String,
    },
    /// A content type given by the caller is not a `type/subtype` media type.
    #[error("content type {0:?} is not a `type/subtype` media type")]
    ContentType(String),
    /// The file is empty.
    #[error("media file `{filename}` is empty")]
    Empty {
        /// The name given.
        filename: String,
    },
    /// The file is larger than [`MAX_MEDIA_BYTES`].
    #[error("media file `{filename}` is larger than {limit} bytes")]
    TooLarge {
        /// The name given.
        filename: String,
        /// The limit.
        limit: u64,
    },
    /// The extra `meta` fields are not a JSON object, or set `filename` or `sha256`,
    /// which come from the file.
    #[error("the extra meta fields {0}")]
    Meta(&'static str),
    /// The name of the file's multipart part is empty or has a character other than
    /// ASCII letters, digits, `_` and `-`.
    #[error("multipart part name {0:?} cannot be sent: use ASCII letters, digits, `_` and `-`")]
    PartName(String),
}

fn known_extensions() -> String {
    CONTENT_TYPES.iter().map(|(ext, _)| *ext).collect::<Vec<_>>().join(", ")
}

fn filename_of(path: &Path) -> Result<String, MediaError> {
    let name = path
        .file_name()
        .ok_or_else(|| MediaError::Path { path: path.to_owned(), problem: "the path does not end in a file name" })?;
    let name = name
        .to_str()
        .ok_or_else(|| MediaError::Path { path: path.to_owned(), problem: "the file name is not UTF-8" })?;
    check_filename(name)?;
    Ok(name.to_owned())
}

fn check_filename(filename: &str) -> Result<(), MediaError> {
    let problem = if filename.is_empty() {
        "it is empty"
    } else if filename.chars().any(char::is_control) {
        "it contains a control character"
    } else if filename.contains(['/', '\\']) {
        "it contains a path separator; give the file name only"
    } else {
        return Ok(());
    };
    Err(MediaError::Filename { filename: filename.to_owned(), problem })
}

fn check_content_type(content_type: &str) -> Result<(), MediaError> {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b));
    let valid = matches!(essence.split_once('/'), Some((kind, sub)) if token(kind) && token(sub))
        && HeaderValue::from_str(content_type).is_ok()
        && !content_type.contains(['\r', '\n']);
    if valid { Ok(()) } else { Err(MediaError::ContentType(content_type.to_owned())) }
}

/// The `meta` JSON: `filename` and `sha256` first, then the extra fields as the
/// endpoint wrote them (an object, possibly empty, or nothing).
pub(crate) fn meta_json(file: &MediaFile, extra: &[u8]) -> Result<Vec<u8>, MediaError> {
    let extra = extra.trim_ascii();
    let mut meta = Vec::with_capacity(128 + extra.len());
    meta.extend_from_slice(br#"{"filename":"#);
    serde_json::to_writer(&mut meta, &file.filename).map_err(|_| MediaError::Meta("could not be written"))?;
    meta.extend_from_slice(br#","sha256":""#);
    meta.extend_from_slice(file.sha256_hex().as_bytes());
    meta.push(b'"');
    if !extra.is_empty() {
        let fields: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(extra).map_err(|_| MediaError::Meta("are not a JSON object"))?;
        if fields.contains_key("filename") || fields.contains_key("sha256") {
            return Err(MediaError::Meta("set `filename` or `sha256`, which come from the file"));
        }
        // A valid object, so its text is `{…}`: keep the fields byte for byte.
        let inner = extra[1..extra.len() - 1].trim_ascii();
        if !inner.is_empty() {
            meta.push(b',');
            meta.extend_from_slice(inner);
        }
    }
    meta.push(b'}');
    Ok(meta)
}

/// A `multipart/form-data` body, and what its signature covers. Its `Debug` shows
/// lengths only.
#[derive(Clone)]
pub(crate) struct Multipart {
    /// The `meta` part's JSON, byte for byte as sent in the body: what is signed.
    pub(crate) meta: Bytes,
    /// `multipart/form-data; boundary=…`.
    pub(crate) content_type: HeaderValue,
    /// The whole encoded body.
    pub(crate) body: Bytes,
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Multipart {{ meta: [{} bytes], body: [{} bytes] }}", self.meta.len(), self.body.len())
    }
}

/// The part most uploads read their file from; see
/// [`Endpoint::FILE_PART`](crate::Endpoint::FILE_PART).
pub(crate) const DEFAULT_FILE_PART: &str = "file";

/// The multipart body for `file`, in the part named `part`, with the extra `meta` fields
/// `extra`.
pub(crate) fn multipart(file: &MediaFile, part: &str, extra: &[u8]) -> Result<Multipart, MediaError> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        return Err(MediaError::PartName(part.to_owned()));
    }
    let Some(file_type) = file.content_type() else {
        return Err(MediaError::UnknownContentType { filename: file.filename.clone() });
    };
    let meta = meta_json(file, extra)?;
    let boundary = loop {
        let candidate = format!("wechat-endpoint-{}", crate::crypto::signing::nonce());
        let needle = candidate.as_bytes();
        if !contains(&file.content, needle) && !contains(&meta, needle) {
            break candidate;
        }
    };
    let content_type = HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
        .map_err(|_| MediaError::Meta("could not be framed"))?;
    let mut body = BytesMut::with_capacity(file.content.len() + meta.len() + 2 * boundary.len() + 256);
    body.put_slice(b"--");
    body.put_slice(boundary.as_bytes());
    body.put_slice(b"\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n");
    body.put_slice(&meta);
    body.put_slice(b"\r\n--");
    body.put_slice(boundary.as_bytes());
    body.put_slice(b"\r\nContent-Disposition: form-data; name=\"");
    body.put_slice(part.as_bytes());
    body.put_slice(b"\"; filename=\"");
    for c in file.filename.chars() {
        if matches!(c, '"' | '\\') {
            body.put_u8(b'\\');
        }
        let mut utf8 = [0; 4];
        body.put_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
    body.put_slice(b"\"\r\nContent-Type: ");
    body.put_slice(file_type.as_bytes());
    body.put_slice(b"\r\n\r\n");
    body.put_slice(&file.content);
    body.put_slice(b"\r\n--");
    body.put_slice(boundary.as_bytes());
    body.put_slice(b"--\r\n");
    Ok(Multipart { meta: Bytes::from(meta), content_type, body: body.freeze() })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png() -> MediaFile {
        MediaFile::from_bytes("a \"b\".png", &b"\x89PNG"[..]).unwrap()
    }

    #[test]
    fn meta_puts_filename_and_sha256_first_and_keeps_extra_fields_as_written() {
        let file = png();
        let sha = file.sha256_hex();
        assert_eq!(
            String::from_utf8(meta_json(&file, b"").unwrap()).unwrap(),
            format!(r#"{{"filename":"a \"b\".png","sha256":"{sha}"}}"#)
        );
        assert_eq!(
            String::from_utf8(meta_json(&file, b" {} ").unwrap()).unwrap(),
            format!(r#"{{"filename":"a \"b\".png","sha256":"{sha}"}}"#)
        );
        assert_eq!(
            String::from_utf8(meta_json(&file, br#"{"z":1,"a":"x"}"#).unwrap()).unwrap(),
            format!(r#"{{"filename":"a \"b\".png","sha256":"{sha}","z":1,"a":"x"}}"#)
        );
    }

    #[test]
    fn meta_refuses_what_is_not_an_object_or_overrides_the_file() {
        let file = png();
        for extra in [&b"[1]"[..], b"3", b"{", br#"{"sha256":"00"}"#, br#"{"filename":"x"}"#] {
            assert!(matches!(meta_json(&file, extra), Err(MediaError::Meta(_))));
        }
    }

    #[test]
    fn the_body_frames_meta_then_file() {
        let file = png();
        let Multipart { meta, content_type, body } = multipart(&file, "file", b"").unwrap();
        let boundary =
            content_type.to_str().unwrap().strip_prefix("multipart/form-data; boundary=").unwrap().to_owned();
        let expected = [
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n").into_bytes(),
            meta.to_vec(),
            format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".png\"\r\nContent-Type: image/png\r\n\r\n").into_bytes(),
            b"\x89PNG".to_vec(),
            format!("\r\n--{boundary}--\r\n").into_bytes(),
        ]
        .concat();
        assert_eq!(body.as_ref(), expected.as_slice());
    }

    #[test]
    fn the_file_goes_in_the_part_the_endpoint_names_and_a_bad_name_is_refused() {
        let file = MediaFile::from_bytes("a.png", &b"\x89PNG"[..]).unwrap();
        let Multipart { body, .. } = multipart(&file, "submission_file", b"").unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(
            text.contains("Content-Disposition: form-data; name=\"submission_file\"; filename=\"a.png\""),
            "{text}"
        );
        assert!(!text.contains("name=\"file\""), "{text}");
        for bad in ["", "my file", "a\"b", "x\r\ny", "文件"] {
            let error = multipart(&file, bad, b"").unwrap_err();
            assert!(matches!(&error, MediaError::PartName(name) if name == bad), "{bad:?}: {error:?}");
        }
    }

    #[test]
    fn bad_names_and_types_are_refused() {
        assert!(matches!(MediaFile::from_bytes("", &b"x"[..]), Err(MediaError::Filename { .. })));
        assert!(matches!(MediaFile::from_bytes("a\r\n.png", &b"x"[..]), Err(MediaError::Filename { .. })));
        assert!(matches!(MediaFile::from_bytes("dir/a.png", &b"x"[..]), Err(MediaError::Filename { .. })));
        assert!(matches!(MediaFile::from_bytes("a.png", Bytes::new()), Err(MediaError::Empty { .. })));
        let err = multipart(&MediaFile::from_bytes("a.txt", &b"x"[..]).unwrap(), "file", b"").unwrap_err();
        assert!(matches!(err, MediaError::UnknownContentType { .. }));
        assert!(err.to_string().contains("a.txt"), "{err}");
        assert!(err.to_string().contains("with_content_type"), "{err}");
        for bad in ["image", "image/", "/png", "image/png\r\nX: y", "image png/x"] {
            assert!(png().with_content_type(bad).is_err(), "{bad}");
        }
        assert_eq!(png().with_content_type("image/png; q=1").unwrap().content_type(), Some("image/png; q=1"));
    }

    #[test]
    fn debug_shows_no_content() {
        let file = MediaFile::from_bytes("a.png", &b"secret-bytes"[..]).unwrap();
        let debug = format!("{file:?}");
        assert!(!debug.contains("secret-bytes"), "{debug}");
        assert!(debug.contains("a.png"));
    }
}
