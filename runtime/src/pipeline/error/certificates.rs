//! Why platform certificates could not be downloaded or used.

use crate::crypto::{AeadError, CryptoError};

use super::JsonError;

/// Why the platform certificates of `GET v3/certificates` could not be downloaded or
/// used; carried by [`Error::PlatformCertificates`](super::Error::PlatformCertificates).
/// Certificates are named by the serial the response lists.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlatformCertificatesError {
    /// The client downloads no certificates: it has no APIv3 key, or
    /// `ClientBuilder::certificate_refresh` is off.
    #[error("certificate refresh is not enabled: set an APIv3 key and ClientBuilder::certificate_refresh")]
    NotEnabled,
    /// The response is not the list of certificates.
    #[error("the response did not decode")]
    Response(#[source] JsonError),
    /// A certificate did not decrypt under the APIv3 key.
    #[error("certificate {serial} did not decrypt")]
    Decrypt {
        /// The serial the response lists.
        serial: String,
        /// Why.
        #[source]
        source: AeadError,
    },
    /// A decrypted certificate is not PEM text.
    #[error("certificate {serial} is not PEM text")]
    NotPem {
        /// The serial the response lists.
        serial: String,
    },
    /// A decrypted certificate is not a usable X.509 certificate.
    #[error("certificate {serial} is not a usable certificate")]
    Certificate {
        /// The serial the response lists.
        serial: String,
        /// Why.
        #[source]
        source: CryptoError,
    },
    /// A certificate's own serial is not the one the response lists for it.
    #[error("certificate listed as {listed} has serial {actual}")]
    SerialMismatch {
        /// The serial the response lists.
        listed: String,
        /// The serial the certificate states.
        actual: String,
    },
}
