//! Platform certificates: X.509, keyed by serial, valid for a window of time.

use std::fmt;
use std::time::SystemTime;

use x509_cert::Certificate;
use x509_cert::der::{Decode as _, Encode as _};

use super::{Backend, CryptoError, VerifyingKey};

/// A WeChat Pay platform certificate: its serial, its validity window and its key.
pub struct PlatformCertificate {
    serial: String,
    not_before: SystemTime,
    not_after: SystemTime,
    key: VerifyingKey,
}

impl PlatformCertificate {
    /// Parses a PEM certificate (`BEGIN CERTIFICATE`) for `backend`. The serial is read
    /// from the certificate, in upper-case hex as the gateway writes it.
    ///
    /// # Errors
    ///
    /// [`CryptoError::Key`] when the text is not a PEM `CERTIFICATE`, or as
    /// [`from_der`](Self::from_der).
    pub fn from_pem(pem_text: &str, backend: Backend) -> Result<Self, CryptoError> {
        let block = pem::parse(pem_text.trim())
            .map_err(|e| CryptoError::Key(format!("not PEM text ({e}); expected a CERTIFICATE")))?;
        if block.tag() != "CERTIFICATE" {
            return Err(CryptoError::Key(format!("the PEM holds a `{}` block; expected a CERTIFICATE", block.tag())));
        }
        Self::from_der(block.contents(), backend)
    }

    /// Parses a DER certificate for `backend`.
    ///
    /// # Errors
    ///
    /// [`CryptoError::Key`] when `der` is not an X.509 certificate, its validity cannot be
    /// read, or its key is not an RSA key of 2048 bits or more.
    pub fn from_der(der: &[u8], backend: Backend) -> Result<Self, CryptoError> {
        let cert =
            Certificate::from_der(der).map_err(|e| CryptoError::Key(format!("not an X.509 certificate: {e}")))?;
        let tbs = &cert.tbs_certificate;
        let serial = tbs.serial_number.as_bytes().iter().fold(String::new(), |mut s, b| {
            use fmt::Write as _;
            let _ = write!(s, "{b:02X}");
            s
        });
        let spki =
            tbs.subject_public_key_info.to_der().map_err(|e| CryptoError::Key(format!("certificate key: {e}")))?;
        let key = VerifyingKey::from_der(&spki, true, backend)?;
        Ok(PlatformCertificate {
            serial: serial.trim_start_matches("00").to_owned(),
            not_before: tbs.validity.not_before.to_system_time(),
            not_after: tbs.validity.not_after.to_system_time(),
            key,
        })
    }

    /// The serial, upper-case hex.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// Whether `at` lies within the validity window.
    pub fn is_valid_at(&self, at: SystemTime) -> bool {
        self.not_before <= at && at <= self.not_after
    }

    /// The start of the validity window.
    pub fn not_before(&self) -> SystemTime {
        self.not_before
    }

    /// The end of the validity window.
    pub fn not_after(&self) -> SystemTime {
        self.not_after
    }

    /// The certificate's key.
    pub fn key(&self) -> &VerifyingKey {
        &self.key
    }

    /// Takes the key out.
    pub fn into_key(self) -> VerifyingKey {
        self.key
    }
}

impl fmt::Debug for PlatformCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlatformCertificate")
            .field("serial", &self.serial)
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .finish_non_exhaustive()
    }
}

/// A time as UTC `YYYY-MM-DDTHH:MM:SSZ`, for messages.
pub(crate) fn utc(time: &SystemTime) -> String {
    match x509_cert::der::DateTime::from_system_time(*time) {
        Ok(time) => time.to_string(),
        Err(_) => format!("{time:?}"),
    }
}
