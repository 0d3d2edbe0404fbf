//! AES-256-GCM under the merchant's APIv3 key: callback resources and platform
//! certificates are encrypted with it.

use std::fmt;

use aes_gcm::aead::{Aead as _, KeyInit as _, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use zeroize::Zeroizing;

/// The length of the GCM nonce the gateway uses, in bytes.
pub const NONCE_LEN: usize = 12;

/// Why an AES-256-GCM resource did not decrypt.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AeadError {
    /// The nonce is not 12 bytes.
    #[error("the nonce is {0} bytes; AEAD_AES_256_GCM uses 12")]
    NonceLength(usize),
    /// The ciphertext is not standard base64.
    #[error("the ciphertext is not standard base64")]
    Base64,
    /// The tag does not match: a wrong APIv3 key, or a damaged or forged ciphertext.
    #[error("the authentication tag does not match: wrong APIv3 key, or damaged ciphertext")]
    Tag,
    /// The algorithm is not `AEAD_AES_256_GCM`.
    #[error("algorithm `{0}` is not AEAD_AES_256_GCM")]
    Algorithm(String),
}

/// The merchant's APIv3 key: exactly 32 bytes. Zeroized on drop; its `Debug` is
/// redacted.
#[derive(Clone)]
pub struct ApiV3Key(Zeroizing<[u8; 32]>);

impl fmt::Debug for ApiV3Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiV3Key([redacted])")
    }
}

impl ApiV3Key {
    /// The key from its text (the 32 characters set on the merchant platform).
    ///
    /// # Errors
    ///
    /// A message naming the length when `key` is not exactly 32 bytes.
    pub fn new(key: &str) -> Result<Self, String> {
        let bytes = key.as_bytes();
        let array: [u8; 32] =
            bytes.try_into().map_err(|_| format!("the APIv3 key must be 32 bytes, it is {}", bytes.len()))?;
        Ok(ApiV3Key(Zeroizing::new(array)))
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(self.0.as_slice().into())
    }

    /// Decrypts `ciphertext` (base64 of data ‖ 16-byte tag) with `nonce` and
    /// `associated_data`. A tag mismatch is an error, never an empty plaintext.
    ///
    /// # Errors
    ///
    /// [`AeadError::NonceLength`] for a nonce that is not 12 bytes, [`AeadError::Base64`]
    /// when `ciphertext` is not standard base64, [`AeadError::Tag`] when the tag does not
    /// verify (wrong key, nonce or associated data, or a damaged or forged ciphertext).
    pub fn decrypt(
        &self,
        nonce: &str,
        associated_data: &str,
        ciphertext: &str,
    ) -> Result<Zeroizing<Vec<u8>>, AeadError> {
        let nonce = nonce_bytes(nonce)?;
        let sealed = BASE64.decode(ciphertext).map_err(|_| AeadError::Base64)?;
        self.cipher()
            .decrypt(nonce, Payload { msg: &sealed, aad: associated_data.as_bytes() })
            .map(Zeroizing::new)
            .map_err(|_| AeadError::Tag)
    }

    /// Encrypts `plaintext` as the gateway does: base64 of data ‖ tag.
    ///
    /// # Errors
    ///
    /// [`AeadError::NonceLength`] for a nonce that is not 12 bytes.
    pub fn encrypt(&self, nonce: &str, associated_data: &str, plaintext: &[u8]) -> Result<String, AeadError> {
        let nonce = nonce_bytes(nonce)?;
        let sealed = self
            .cipher()
            .encrypt(nonce, Payload { msg: plaintext, aad: associated_data.as_bytes() })
            .map_err(|_| AeadError::Tag)?;
        Ok(BASE64.encode(sealed))
    }
}

/// An `AEAD_AES_256_GCM` resource, as callbacks and `/v3/certificates` carry them.
#[derive(Clone, serde::Deserialize, serde::Serialize)]
pub(crate) struct EncryptedResource {
    pub(crate) algorithm: String,
    pub(crate) ciphertext: String,
    #[serde(default)]
    pub(crate) associated_data: String,
    pub(crate) nonce: String,
    #[serde(default)]
    pub(crate) original_type: String,
}

impl fmt::Debug for EncryptedResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptedResource")
            .field("algorithm", &self.algorithm)
            .field("ciphertext_len", &self.ciphertext.len())
            .field("original_type", &self.original_type)
            .finish_non_exhaustive()
    }
}

impl EncryptedResource {
    /// The plaintext under `key`; an algorithm other than `AEAD_AES_256_GCM` is refused.
    pub(crate) fn decrypt(&self, key: &ApiV3Key) -> Result<Zeroizing<Vec<u8>>, AeadError> {
        if self.algorithm != "AEAD_AES_256_GCM" {
            return Err(AeadError::Algorithm(self.algorithm.clone()));
        }
        key.decrypt(&self.nonce, &self.associated_data, &self.ciphertext)
    }
}

fn nonce_bytes(nonce: &str) -> Result<&Nonce<aes_gcm::aead::consts::U12>, AeadError> {
    if nonce.len() != NONCE_LEN {
        return Err(AeadError::NonceLength(nonce.len()));
    }
    Ok(Nonce::from_slice(nonce.as_bytes()))
}
