//! The aws-lc-rs backend.

use aws_lc_rs::error::KeyRejected;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{
    KeyPair, OAEP_SHA1_MGF1SHA1, OaepPrivateDecryptingKey, OaepPublicEncryptingKey, PrivateDecryptingKey,
    PublicEncryptingKey, PublicKey,
};
use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256};
use zeroize::Zeroizing;

use super::{CryptoError, SIGNATURE_LEN, wrong_size};

/// Explains a rejected key; aws-lc refuses keys under 2048 bits while parsing.
fn rejected(e: KeyRejected, kind: &str, required: &str) -> CryptoError {
    if e.description_() == "TooSmall" {
        CryptoError::Key(format!("the key is shorter than 2048 bits; {required}"))
    } else {
        CryptoError::Key(format!("not a usable RSA {kind} key: {e}"))
    }
}

/// An RSA-2048 private key. aws-lc-rs has one type that signs and another that
/// decrypts; both are built once, from the same PKCS#8 DER.
pub(super) struct PrivateKey {
    signing: KeyPair,
    decrypting: OaepPrivateDecryptingKey,
    rng: SystemRandom,
}

impl PrivateKey {
    pub(super) fn from_pkcs8(der: &[u8]) -> Result<Self, CryptoError> {
        const REQUIRED: &str = "the merchant key must be RSA-2048";
        let signing = KeyPair::from_pkcs8(der).map_err(|e| rejected(e, "private", REQUIRED))?;
        if signing.public_modulus_len() != SIGNATURE_LEN {
            return Err(wrong_size(signing.public_modulus_len() * 8, REQUIRED));
        }
        let decrypting = PrivateDecryptingKey::from_pkcs8(der)
            .map_err(|e| rejected(e, "private", REQUIRED))
            .and_then(|k| OaepPrivateDecryptingKey::new(k).map_err(|_| CryptoError::Key("not an RSA key".into())))?;
        Ok(PrivateKey { signing, decrypting, rng: SystemRandom::new() })
    }

    pub(super) fn sign(&self, message: &[u8]) -> Result<[u8; SIGNATURE_LEN], CryptoError> {
        let mut signature = [0u8; SIGNATURE_LEN];
        self.signing
            .sign(&RSA_PKCS1_SHA256, &self.rng, message, &mut signature)
            .map_err(|_| CryptoError::SignFailed)?;
        Ok(signature)
    }

    pub(super) fn decrypt_oaep(&self, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let mut out = Zeroizing::new(vec![0; self.decrypting.min_output_size()]);
        let len = self
            .decrypting
            .decrypt(&OAEP_SHA1_MGF1SHA1, ciphertext, &mut out, None)
            .map_err(|_| CryptoError::DecryptFailed)?
            .len();
        out.truncate(len);
        Ok(out)
    }
}

pub(super) struct VerifyingKey {
    key: ParsedPublicKey,
    encrypting: OaepPublicEncryptingKey,
}

impl VerifyingKey {
    pub(super) fn from_der(der: &[u8], _spki: bool) -> Result<Self, CryptoError> {
        const REQUIRED: &str = "verifying keys must have 2048 bits or more";
        let public = PublicKey::from_der(der).map_err(|e| rejected(e, "public", REQUIRED))?;
        if public.modulus_len() < SIGNATURE_LEN {
            return Err(wrong_size(public.modulus_len() * 8, REQUIRED));
        }
        let key =
            ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der).map_err(|e| rejected(e, "public", REQUIRED))?;
        // `ParsedPublicKey` keeps the canonical SubjectPublicKeyInfo, whatever the input was.
        let encrypting = PublicEncryptingKey::from_der(key.as_ref())
            .map_err(|e| rejected(e, "public", REQUIRED))
            .and_then(|k| OaepPublicEncryptingKey::new(k).map_err(|_| CryptoError::Key("not an RSA key".into())))?;
        Ok(VerifyingKey { key, encrypting })
    }

    pub(super) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), CryptoError> {
        self.key.verify_sig(message, signature).map_err(|_| CryptoError::BadSignature)
    }

    pub(super) fn encrypt_oaep(&self, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let mut out = vec![0; self.encrypting.ciphertext_size()];
        let len = self
            .encrypting
            .encrypt(&OAEP_SHA1_MGF1SHA1, plaintext, &mut out, None)
            .map_err(|_| CryptoError::EncryptFailed)?
            .len();
        out.truncate(len);
        Ok(out)
    }
}
