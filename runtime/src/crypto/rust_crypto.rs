//! The pure-Rust backend: the `rsa`, `sha2` and `sha1` crates.

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs1v15;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::rand_core::OsRng;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{Oaep, RsaPrivateKey, RsaPublicKey};
use sha1::Sha1;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::{CryptoError, SIGNATURE_LEN, wrong_size};

/// An RSA-2048 private key, parsed and checked once; it signs and decrypts.
pub(super) struct PrivateKey {
    key: pkcs1v15::SigningKey<Sha256>,
}

impl PrivateKey {
    pub(super) fn from_der(der: &[u8], pkcs8: bool) -> Result<Self, CryptoError> {
        let key = if pkcs8 {
            RsaPrivateKey::from_pkcs8_der(der).map_err(|e| e.to_string())
        } else {
            RsaPrivateKey::from_pkcs1_der(der).map_err(|e| e.to_string())
        }
        .map_err(|e| CryptoError::Key(format!("not a usable RSA private key: {e}")))?;
        if key.size() != SIGNATURE_LEN {
            return Err(wrong_size(key.size() * 8, "the merchant key must be RSA-2048"));
        }
        key.validate().map_err(|e| CryptoError::Key(format!("inconsistent RSA private key: {e}")))?;
        Ok(PrivateKey { key: pkcs1v15::SigningKey::new(key) })
    }

    /// Signs with RSA blinding (a fresh random factor per signature), which hides the
    /// private exponent's timing (RUSTSEC-2023-0071, "Marvin"); PKCS#1 v1.5 signatures
    /// are deterministic, so the output is the same as unblinded signing.
    pub(super) fn sign(&self, message: &[u8]) -> Result<[u8; SIGNATURE_LEN], CryptoError> {
        let signature = self.key.try_sign_with_rng(&mut OsRng, message).map_err(|_| CryptoError::SignFailed)?;
        signature.to_bytes().as_ref().try_into().map_err(|_| CryptoError::SignFailed)
    }

    /// Decrypts with RSA blinding, for the same reason as [`sign`](Self::sign).
    pub(super) fn decrypt_oaep(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let key: &RsaPrivateKey = self.key.as_ref();
        key.decrypt_blinded(&mut OsRng, Oaep::new::<Sha1>(), ciphertext)
            .map(Zeroizing::new)
            .map_err(|_| CryptoError::DecryptFailed)
    }
}

pub(super) struct VerifyingKey {
    key: pkcs1v15::VerifyingKey<Sha256>,
    public: RsaPublicKey,
}

impl VerifyingKey {
    pub(super) fn from_der(der: &[u8], spki: bool) -> Result<Self, CryptoError> {
        let public = if spki {
            RsaPublicKey::from_public_key_der(der).map_err(|e| e.to_string())
        } else {
            RsaPublicKey::from_pkcs1_der(der).map_err(|e| e.to_string())
        }
        .map_err(|e| CryptoError::Key(format!("not a usable RSA public key: {e}")))?;
        if public.size() < SIGNATURE_LEN {
            return Err(wrong_size(public.size() * 8, "verifying keys must have 2048 bits or more"));
        }
        Ok(VerifyingKey { key: pkcs1v15::VerifyingKey::new(public.clone()), public })
    }

    pub(super) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), CryptoError> {
        let signature = pkcs1v15::Signature::try_from(signature).map_err(|_| CryptoError::BadSignature)?;
        self.key.verify(message, &signature).map_err(|_| CryptoError::BadSignature)
    }

    pub(super) fn encrypt_oaep(&self, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.public.encrypt(&mut OsRng, Oaep::new::<Sha1>(), plaintext).map_err(|_| CryptoError::EncryptFailed)
    }
}
