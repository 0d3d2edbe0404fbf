//! Callbacks (notifications): verify the signature over the raw body, decrypt the
//! resource with the APIv3 key, decode it, and respond to the gateway.
//!
//! Framework-agnostic: hand [`Client::verify_notification`] the request's headers and
//! its raw body bytes, exactly as received. Re-serialising the body first breaks the
//! signature.
//!
//! ```no_run
//! # async fn handle(client: wechat_endpoint::Client, headers: http::HeaderMap, body: bytes::Bytes) -> http::Response<bytes::Bytes> {
//! use wechat_endpoint::notify;
//!
//! #[derive(serde::Deserialize)]
//! struct Transaction { out_trade_no: String, trade_state: String }
//!
//! match client.verify_notification::<Transaction>(&headers, &body).await {
//!     Ok(notification) => {
//!         println!("{} is {}", notification.resource.out_trade_no, notification.resource.trade_state);
//!         notify::success()
//!     }
//!     // 4xx/5xx with {"code":"FAIL",…}: the gateway sends the callback again later.
//!     Err(error) => error.response(),
//! }
//! # }
//! ```

use bytes::Bytes;
use http::{HeaderMap, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::crypto::AeadError;
use crate::crypto::EncryptedResource;
use crate::crypto::verify::VerifyError;
use crate::pipeline::client::Client;
use crate::pipeline::error::JsonError;

/// A verified, decrypted callback: the envelope's fields and the decoded resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Notification<T> {
    /// The notification's id, e.g. `EV-2018022511223320873`; the same on every resend,
    /// so handlers can be idempotent.
    pub id: String,
    /// When it was created, RFC 3339.
    pub create_time: String,
    /// What happened, e.g. `TRANSACTION.SUCCESS`, `REFUND.SUCCESS`.
    pub event_type: String,
    /// `encrypt-resource`.
    pub resource_type: String,
    /// The gateway's summary, e.g. `支付成功`.
    pub summary: String,
    /// The resource's original type, e.g. `transaction`, `refund`.
    pub original_type: String,
    /// The decrypted resource.
    pub resource: T,
}

/// Why a callback was refused. [`NotificationError::response`] is the response to send.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NotificationError {
    /// The signature was refused (missing headers, clock skew, unknown serial, a
    /// platform certificate outside its validity window, probe, bad signature).
    #[error("the callback's signature was refused")]
    Verify(#[source] VerifyError),
    /// The body is not a notification envelope.
    #[error("the callback body is not a notification envelope")]
    Envelope(#[source] JsonError),
    /// The resource did not decrypt: wrong APIv3 key, damaged or forged ciphertext.
    #[error("the callback resource did not decrypt")]
    Decrypt(#[source] AeadError),
    /// The decrypted resource did not decode into the expected type.
    #[error("the decrypted callback resource did not decode into the expected type")]
    Resource(#[source] JsonError),
    /// The client has no APIv3 key; set one with `ClientBuilder::apiv3_key`.
    #[error("no APIv3 key is configured: set one with ClientBuilder::apiv3_key")]
    NoApiV3Key,
}

impl NotificationError {
    /// The failure response for the gateway: `401` for a refused signature, `400` for a
    /// body that cannot be read, `500` when this side is misconfigured. The gateway
    /// sends the callback again later.
    pub fn response(&self) -> Response<Bytes> {
        let (status, message) = match self {
            NotificationError::Verify(_) => (StatusCode::UNAUTHORIZED, "signature verification failed"),
            NotificationError::Envelope(_) | NotificationError::Resource(_) => {
                (StatusCode::BAD_REQUEST, "the notification could not be read")
            }
            NotificationError::Decrypt(_) => (StatusCode::BAD_REQUEST, "the resource could not be decrypted"),
            NotificationError::NoApiV3Key => (StatusCode::INTERNAL_SERVER_ERROR, "the receiver is not configured"),
        };
        failure(status, message)
    }
}

/// The success acknowledgement, for handlers to return: `204 No Content` (with the
/// `axum` feature it is an axum response).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ack;

impl From<Ack> for Response<Bytes> {
    fn from(_: Ack) -> Self {
        success()
    }
}

/// The success response: `204 No Content`.
pub fn success() -> Response<Bytes> {
    let mut response = Response::new(Bytes::new());
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// A failure response: `status` (4xx or 5xx) with `{"code":"FAIL","message":…}`.
pub fn failure(status: StatusCode, message: &str) -> Response<Bytes> {
    let body = serde_json::json!({ "code": "FAIL", "message": message }).to_string();
    let mut response = Response::new(Bytes::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
    response
}

#[derive(Deserialize)]
struct Envelope {
    id: String,
    create_time: String,
    event_type: String,
    #[serde(default)]
    resource_type: String,
    #[serde(default)]
    summary: String,
    resource: EncryptedResource,
}

impl Client {
    /// Verifies a callback's signature over its raw `body` (same rules as responses: the
    /// 300-second window, the key selected by `Wechatpay-Serial`, probes refused), then
    /// decrypts its resource with the APIv3 key and decodes it into `T`.
    ///
    /// In certificate mode an unknown serial triggers a certificate refresh (shared
    /// with concurrent callers, spaced, and skipped for a serial a fresh download did
    /// not list) before the callback is refused; see the README's platform certificate
    /// section.
    ///
    /// # Errors
    ///
    /// [`NotificationError::Verify`] when the signature is refused,
    /// [`NotificationError::NoApiV3Key`] without an APIv3 key,
    /// [`NotificationError::Envelope`] when the body is not a notification,
    /// [`NotificationError::Decrypt`] when the resource does not decrypt,
    /// [`NotificationError::Resource`] when it does not decode into `T`.
    /// [`NotificationError::response`] gives the failure response to send.
    pub async fn verify_notification<T: DeserializeOwned>(
        &self,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Notification<T>, NotificationError> {
        self.verify_signed(headers, body).await.map_err(NotificationError::Verify)?;
        self.decode_notification(body)
    }

    /// [`verify_notification`](Self::verify_notification) as of Unix time `now`, with
    /// the keys held: for replaying a stored callback. A platform certificate verifies
    /// only when `now` lies within its validity window. No certificate refresh.
    ///
    /// # Errors
    ///
    /// As [`verify_notification`](Self::verify_notification).
    pub fn verify_notification_at<T: DeserializeOwned>(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: i64,
    ) -> Result<Notification<T>, NotificationError> {
        self.verifying_keys().verify(headers, body, now).map_err(NotificationError::Verify)?;
        self.decode_notification(body)
    }

    /// Decrypts and decodes a callback body whose signature was verified.
    fn decode_notification<T: DeserializeOwned>(&self, body: &[u8]) -> Result<Notification<T>, NotificationError> {
        let envelope: Envelope =
            serde_json::from_slice(body).map_err(|e| NotificationError::Envelope(JsonError::new(e)))?;
        let key = self.apiv3_key().ok_or(NotificationError::NoApiV3Key)?;
        let plaintext = envelope.resource.decrypt(key).map_err(NotificationError::Decrypt)?;
        let resource =
            serde_json::from_slice(&plaintext).map_err(|e| NotificationError::Resource(JsonError::new(e)))?;
        Ok(Notification {
            id: envelope.id,
            create_time: envelope.create_time,
            event_type: envelope.event_type,
            resource_type: envelope.resource_type,
            summary: envelope.summary,
            original_type: envelope.resource.original_type,
            resource,
        })
    }
}
