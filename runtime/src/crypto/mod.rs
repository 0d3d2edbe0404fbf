//! SHA256withRSA (PKCS#1 v1.5) signing and verification, behind one small interface with
//! two interchangeable backends.
//!
//! | backend | feature | what it is |
//! | --- | --- | --- |
//! | [`Backend::AwsLc`] | `aws-lc` (default) | aws-lc-rs, the library rustls already links |
//! | [`Backend::RustCrypto`] | `rust-crypto` | the pure-Rust `rsa` and `sha2` crates |
//!
//! When both are compiled in, [`Backend::default`] is aws-lc.

#[cfg(not(any(feature = "aws-lc", feature = "rust-crypto")))]
compile_error!("wechat-endpoint needs a crypto backend: enable the `aws-lc` (default) or `rust-crypto` feature");

mod aead;
#[cfg(feature = "aws-lc")]
mod aws_lc;
mod certificate;
mod digest;
#[cfg(feature = "rust-crypto")]
mod rust_crypto;
pub mod signing;
pub mod verify;

use std::fmt;

use zeroize::Zeroizing;

pub(crate) use aead::EncryptedResource;
pub use aead::{AeadError, ApiV3Key, NONCE_LEN};
pub use certificate::PlatformCertificate;
pub(crate) use certificate::utc;
pub use digest::HashType;
pub(crate) use digest::{Hasher, hex};

/// The size of every key this crate signs with, in bytes (RSA-2048).
pub const SIGNATURE_LEN: usize = 256;

/// A crypto library that implements SHA256withRSA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// aws-lc-rs (feature `aws-lc`, the default).
    #[cfg(feature = "aws-lc")]
    AwsLc,
    /// The pure-Rust `rsa` + `sha2` crates (feature `rust-crypto`).
    #[cfg(feature = "rust-crypto")]
    RustCrypto,
}

impl Default for Backend {
    /// aws-lc when compiled in, else RustCrypto.
    fn default() -> Self {
        #[cfg(feature = "aws-lc")]
        return Backend::AwsLc;
        #[cfg(not(feature = "aws-lc"))]
        return Backend::RustCrypto;
    }
}

impl Backend {
    /// Every backend compiled into this build.
    pub const ALL: &'static [Backend] = &[
        #[cfg(feature = "aws-lc")]
        Backend::AwsLc,
        #[cfg(feature = "rust-crypto")]
        Backend::RustCrypto,
    ];
}

/// A key or signature operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// The PEM text is not usable as the expected kind of key.
    #[error("{0}")]
    Key(String),
    /// The signature does not verify.
    #[error("signature does not verify")]
    BadSignature,
    /// The library failed to produce a signature.
    #[error("signing failed")]
    SignFailed,
    /// A plaintext is longer than RSAES-OAEP (SHA-1) can hold for the key.
    #[error("the plaintext is {len} bytes; RSA-OAEP with this key holds at most {max}")]
    PlaintextTooLong {
        /// The plaintext's length.
        len: usize,
        /// The most the key holds.
        max: usize,
    },
    /// Encryption failed.
    #[error("RSA-OAEP encryption failed")]
    EncryptFailed,
    /// The ciphertext does not decrypt under this key.
    #[error("RSA-OAEP decryption failed: wrong key or damaged ciphertext")]
    DecryptFailed,
}

/// The most plaintext RSAES-OAEP with SHA-1 holds under an RSA-2048 key:
/// 256 − 2 × 20 − 2 bytes.
pub const OAEP_MAX_PLAINTEXT: usize = SIGNATURE_LEN - 2 * 20 - 2;

/// The DER bytes of a PEM block, classified.
enum KeyDer {
    Pkcs8(Zeroizing<Vec<u8>>),
    Pkcs1(Zeroizing<Vec<u8>>),
    Spki(Vec<u8>),
    Pkcs1Public(Vec<u8>),
}

fn parse_pem(pem_text: &str, expected: &str) -> Result<KeyDer, CryptoError> {
    let trimmed = pem_text.trim();
    if trimmed.is_empty() {
        return Err(CryptoError::Key(format!("empty text where {expected} PEM was expected")));
    }
    let block =
        pem::parse(trimmed).map_err(|e| CryptoError::Key(format!("not PEM text ({e}); expected {expected}")))?;
    let tag = block.tag().to_owned();
    let der = block.into_contents();
    Ok(match tag.as_str() {
        "PRIVATE KEY" => KeyDer::Pkcs8(Zeroizing::new(der)),
        "RSA PRIVATE KEY" => KeyDer::Pkcs1(Zeroizing::new(der)),
        "PUBLIC KEY" => KeyDer::Spki(der),
        "RSA PUBLIC KEY" => KeyDer::Pkcs1Public(der),
        "ENCRYPTED PRIVATE KEY" => {
            return Err(CryptoError::Key(format!(
                "the PEM holds an ENCRYPTED PRIVATE KEY; decrypt it first (openssl pkey -in key.pem -out plain.pem); expected {expected}"
            )));
        }
        other => {
            return Err(CryptoError::Key(format!("the PEM holds a `{other}` block; expected {expected}")));
        }
    })
}

/// An RSA-2048 private key, parsed once: the merchant API private key
/// (`apiclient_key.pem`), which signs requests (SHA256withRSA) and decrypts the sensitive
/// fields the gateway encrypted under the merchant's key (RSAES-OAEP, SHA-1).
///
/// PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`). The PEM is read once
/// and the backend builds its key once from the DER. Its `Debug` shows no key material,
/// and the key is zeroized on drop by the backend.
pub struct PrivateKey {
    inner: PrivateInner,
}

enum PrivateInner {
    #[cfg(feature = "aws-lc")]
    AwsLc(aws_lc::PrivateKey),
    #[cfg(feature = "rust-crypto")]
    RustCrypto(Box<rust_crypto::PrivateKey>),
}

impl PrivateKey {
    /// Parses a PEM private key for `backend`.
    ///
    /// # Errors
    ///
    /// [`CryptoError::Key`] saying what is wrong: not PEM, a public or encrypted key, not
    /// RSA, not 2048 bits, or an inconsistent key.
    pub fn from_pem(pem: &str, backend: Backend) -> Result<Self, CryptoError> {
        const EXPECTED: &str = "an RSA-2048 private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)";
        let (der, pkcs8) = match parse_pem(pem, EXPECTED)? {
            KeyDer::Pkcs8(der) => (der, true),
            KeyDer::Pkcs1(der) => (der, false),
            KeyDer::Spki(_) | KeyDer::Pkcs1Public(_) => {
                return Err(CryptoError::Key(format!("the PEM holds a public key; expected {EXPECTED}")));
            }
        };
        let inner = match backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc if pkcs8 => PrivateInner::AwsLc(aws_lc::PrivateKey::from_pkcs8(&der)?),
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => PrivateInner::AwsLc(aws_lc::PrivateKey::from_pkcs8(&pkcs1_to_pkcs8(&der)?)?),
            #[cfg(feature = "rust-crypto")]
            Backend::RustCrypto => PrivateInner::RustCrypto(Box::new(rust_crypto::PrivateKey::from_der(&der, pkcs8)?)),
        };
        Ok(PrivateKey { inner })
    }

    /// The backend that holds this key.
    pub fn backend(&self) -> Backend {
        match self.inner {
            #[cfg(feature = "aws-lc")]
            PrivateInner::AwsLc(_) => Backend::AwsLc,
            #[cfg(feature = "rust-crypto")]
            PrivateInner::RustCrypto(_) => Backend::RustCrypto,
        }
    }

    /// Signs `message` with SHA256withRSA (PKCS#1 v1.5).
    ///
    /// # Errors
    ///
    /// [`CryptoError::SignFailed`] when the library fails to sign.
    pub fn sign(&self, message: &[u8]) -> Result<[u8; SIGNATURE_LEN], CryptoError> {
        match &self.inner {
            #[cfg(feature = "aws-lc")]
            PrivateInner::AwsLc(k) => k.sign(message),
            #[cfg(feature = "rust-crypto")]
            PrivateInner::RustCrypto(k) => k.sign(message),
        }
    }

    /// Decrypts an RSAES-OAEP (SHA-1, MGF1-SHA-1) ciphertext; the plaintext is zeroized
    /// on drop.
    ///
    /// # Errors
    ///
    /// [`CryptoError::DecryptFailed`] when the ciphertext was not made for this key or
    /// was damaged.
    pub fn decrypt_oaep(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        match &self.inner {
            #[cfg(feature = "aws-lc")]
            PrivateInner::AwsLc(k) => k.decrypt_oaep(ciphertext),
            #[cfg(feature = "rust-crypto")]
            PrivateInner::RustCrypto(k) => k.decrypt_oaep(ciphertext),
        }
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey").field("backend", &self.backend()).field("key", &"[redacted]").finish()
    }
}

/// A public key that verifies SHA256withRSA signatures: the WeChat Pay public key or a
/// platform certificate's key. Parsed once.
pub struct VerifyingKey {
    inner: VerifyingInner,
}

enum VerifyingInner {
    #[cfg(feature = "aws-lc")]
    AwsLc(aws_lc::VerifyingKey),
    #[cfg(feature = "rust-crypto")]
    RustCrypto(rust_crypto::VerifyingKey),
}

impl VerifyingKey {
    /// Parses a PEM public key (`BEGIN PUBLIC KEY` or `BEGIN RSA PUBLIC KEY`) for
    /// `backend`. RSA keys of 2048 bits or more only.
    ///
    /// # Errors
    ///
    /// [`CryptoError::Key`] saying what is wrong: not PEM, a private key, not RSA, or fewer
    /// than 2048 bits.
    pub fn from_pem(pem: &str, backend: Backend) -> Result<Self, CryptoError> {
        const EXPECTED: &str = "an RSA public key (BEGIN PUBLIC KEY)";
        let der = parse_pem(pem, EXPECTED)?;
        let (der, spki) = match &der {
            KeyDer::Spki(d) => (d.as_slice(), true),
            KeyDer::Pkcs1Public(d) => (d.as_slice(), false),
            KeyDer::Pkcs8(_) | KeyDer::Pkcs1(_) => {
                return Err(CryptoError::Key(format!(
                    "the PEM holds a private key; expected {EXPECTED}. Never hand a private key where a public one is expected"
                )));
            }
        };
        Self::from_der(der, spki, backend)
    }

    /// Parses DER: SubjectPublicKeyInfo when `spki`, else PKCS#1 RSAPublicKey.
    fn from_der(der: &[u8], spki: bool, backend: Backend) -> Result<Self, CryptoError> {
        let inner = match backend {
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => VerifyingInner::AwsLc(aws_lc::VerifyingKey::from_der(der, spki)?),
            #[cfg(feature = "rust-crypto")]
            Backend::RustCrypto => VerifyingInner::RustCrypto(rust_crypto::VerifyingKey::from_der(der, spki)?),
        };
        Ok(VerifyingKey { inner })
    }

    /// The backend that holds this key.
    pub fn backend(&self) -> Backend {
        match self.inner {
            #[cfg(feature = "aws-lc")]
            VerifyingInner::AwsLc(_) => Backend::AwsLc,
            #[cfg(feature = "rust-crypto")]
            VerifyingInner::RustCrypto(_) => Backend::RustCrypto,
        }
    }

    /// Encrypts `plaintext` with RSAES-OAEP (SHA-1, MGF1-SHA-1), as sensitive request
    /// fields are. At most [`OAEP_MAX_PLAINTEXT`] bytes for an RSA-2048 key.
    ///
    /// # Errors
    ///
    /// [`CryptoError::PlaintextTooLong`] past [`OAEP_MAX_PLAINTEXT`] bytes;
    /// [`CryptoError::EncryptFailed`] when the library fails.
    pub fn encrypt_oaep(&self, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if plaintext.len() > OAEP_MAX_PLAINTEXT {
            return Err(CryptoError::PlaintextTooLong { len: plaintext.len(), max: OAEP_MAX_PLAINTEXT });
        }
        match &self.inner {
            #[cfg(feature = "aws-lc")]
            VerifyingInner::AwsLc(k) => k.encrypt_oaep(plaintext),
            #[cfg(feature = "rust-crypto")]
            VerifyingInner::RustCrypto(k) => k.encrypt_oaep(plaintext),
        }
    }

    /// Checks a SHA256withRSA (PKCS#1 v1.5) `signature` over `message`.
    ///
    /// # Errors
    ///
    /// [`CryptoError::BadSignature`] when `signature` does not verify over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), CryptoError> {
        match &self.inner {
            #[cfg(feature = "aws-lc")]
            VerifyingInner::AwsLc(k) => k.verify(message, signature),
            #[cfg(feature = "rust-crypto")]
            VerifyingInner::RustCrypto(k) => k.verify(message, signature),
        }
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey").field("backend", &self.backend()).finish_non_exhaustive()
    }
}

/// Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo.
#[cfg(feature = "aws-lc")]
fn pkcs1_to_pkcs8(pkcs1: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    use pkcs8::der::Encode as _;
    use pkcs8::der::asn1::AnyRef;
    let info = pkcs8::PrivateKeyInfo {
        algorithm: pkcs8::AlgorithmIdentifierRef {
            oid: pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1"),
            parameters: Some(AnyRef::NULL),
        },
        private_key: pkcs1,
        public_key: None,
    };
    info.to_der().map(Zeroizing::new).map_err(|e| CryptoError::Key(format!("not a usable RSA private key: {e}")))
}

fn wrong_size(bits: usize, required: &str) -> CryptoError {
    CryptoError::Key(format!("the key is RSA-{bits}; {required}"))
}
