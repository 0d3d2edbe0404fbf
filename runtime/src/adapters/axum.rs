//! axum integration (feature `axum`): an extractor that yields a verified, decrypted
//! callback and rejects with the failure response the gateway expects.
//!
//! ```no_run
//! use axum::{Router, routing::post};
//! use wechat_endpoint::axum::WechatPayNotification;
//! use wechat_endpoint::notify;
//!
//! #[derive(serde::Deserialize)]
//! struct Transaction { out_trade_no: String, trade_state: String }
//!
//! async fn paid(WechatPayNotification(n): WechatPayNotification<Transaction>) -> notify::Ack {
//!     println!("{} {}", n.resource.out_trade_no, n.resource.trade_state);
//!     notify::Ack
//! }
//!
//! # fn app(client: wechat_endpoint::Client) -> Router {
//! // The state must yield a `Client` through `FromRef` (a `Client` itself does).
//! Router::new().route("/wechatpay/notify", post(paid)).with_state(client)
//! # }
//! ```

use axum::extract::{FromRef, FromRequest, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::features::notify::{Ack, Notification, NotificationError, failure};
use crate::pipeline::client::Client;

/// The largest callback body accepted.
pub const MAX_NOTIFICATION_BYTES: usize = 1024 * 1024;

/// Extracts a callback whose signature verified over the raw body and whose resource
/// decrypted and decoded into `T`.
#[derive(Debug, Clone)]
pub struct WechatPayNotification<T>(pub Notification<T>);

/// Why a callback was refused; responds in the gateway's failure form.
#[derive(Debug)]
pub enum NotificationRejection {
    /// The callback was refused.
    Refused(NotificationError),
    /// The body could not be read.
    Body(axum::Error),
}

impl IntoResponse for NotificationRejection {
    fn into_response(self) -> Response {
        let response = match &self {
            NotificationRejection::Refused(error) => {
                tracing::warn!(error = %crate::pipeline::error::chain(error), "callback refused");
                error.response()
            }
            NotificationRejection::Body(error) => {
                tracing::warn!(%error, "callback body unreadable");
                failure(http::StatusCode::BAD_REQUEST, "the body could not be read")
            }
        };
        response.map(axum::body::Body::from).into_response()
    }
}

impl IntoResponse for Ack {
    fn into_response(self) -> Response {
        http::StatusCode::NO_CONTENT.into_response()
    }
}

impl<S, T> FromRequest<S> for WechatPayNotification<T>
where
    S: Send + Sync,
    Client: FromRef<S>,
    T: DeserializeOwned,
{
    type Rejection = NotificationRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let client = Client::from_ref(state);
        let (parts, body) = request.into_parts();
        let body = axum::body::to_bytes(body, MAX_NOTIFICATION_BYTES).await.map_err(NotificationRejection::Body)?;
        client
            .verify_notification(&parts.headers, &body)
            .await
            .map(WechatPayNotification)
            .map_err(NotificationRejection::Refused)
    }
}
