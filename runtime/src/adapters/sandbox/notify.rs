//! Callbacks the sandbox delivers: signed like the gateway's, the resource encrypted
//! with the APIv3 key, so a handler can be tested end to end.

use bytes::Bytes;
use http::StatusCode;
use serde_json::{Value, json};

use super::Sandbox;
use super::platform::SignOptions;
use crate::crypto::signing::nonce;

/// A callback for the sandbox to deliver.
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxNotification {
    /// e.g. `TRANSACTION.SUCCESS`.
    pub event_type: String,
    /// e.g. `支付成功`.
    pub summary: String,
    /// e.g. `transaction`.
    pub original_type: String,
    /// The AEAD associated data, e.g. `transaction`.
    pub associated_data: String,
    /// The resource, encrypted on delivery.
    pub resource: Value,
}

impl SandboxNotification {
    /// A `TRANSACTION.SUCCESS` callback for a JSAPI payment of `total` fen by order
    /// `out_trade_no`, shaped like the gateway's.
    pub fn payment_success(out_trade_no: &str, total: u64) -> Self {
        SandboxNotification {
            event_type: "TRANSACTION.SUCCESS".into(),
            summary: "支付成功".into(),
            original_type: "transaction".into(),
            associated_data: "transaction".into(),
            resource: json!({
                "mchid": super::MCHID,
                "appid": "wxd678efh567hg6787",
                "out_trade_no": out_trade_no,
                "transaction_id": "4200000000000000000000000001",
                "trade_type": "JSAPI",
                "trade_state": "SUCCESS",
                "trade_state_desc": "支付成功",
                "bank_type": "CMC",
                "attach": "",
                "success_time": "2026-11-28T10:34:56+08:00",
                "payer": { "openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
                "amount": { "total": total, "payer_total": total, "currency": "CNY", "payer_currency": "CNY" },
            }),
        }
    }

    /// The JSON body, with the resource encrypted under `key`.
    fn body(&self, key: &crate::crypto::ApiV3Key) -> Result<String, String> {
        let aead_nonce: String = nonce().chars().take(crate::crypto::NONCE_LEN).collect();
        let ciphertext = key
            .encrypt(&aead_nonce, &self.associated_data, self.resource.to_string().as_bytes())
            .map_err(|e| e.to_string())?;
        let now = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8));
        let create_time = now.format(&time::format_description::well_known::Rfc3339).map_err(|e| e.to_string())?;
        Ok(json!({
            "id": format!("EV-{}", nonce()),
            "create_time": create_time,
            "resource_type": "encrypt-resource",
            "event_type": self.event_type,
            "summary": self.summary,
            "resource": {
                "original_type": self.original_type,
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": ciphertext,
                "associated_data": self.associated_data,
                "nonce": aead_nonce,
            },
        })
        .to_string())
    }
}

/// How the handler responded to a delivered callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The status the handler responded with.
    pub status: StatusCode,
    /// The body of the handler's response.
    pub body: Bytes,
}

impl Delivery {
    /// Whether the handler acknowledged the callback (any 2xx).
    pub fn acknowledged(&self) -> bool {
        self.status.is_success()
    }
}

impl Sandbox {
    /// POSTs `notification` to `url` as the gateway would: signed with the platform key
    /// the sandbox's mode selects, the resource encrypted with the APIv3 key.
    ///
    /// # Errors
    ///
    /// A message saying what failed: the notification could not be encrypted or signed, or
    /// the request to `url` failed or its response could not be read. A handler's refusal is
    /// not an error: it is in the [`Delivery`].
    pub async fn deliver(&self, url: &str, notification: &SandboxNotification) -> Result<Delivery, String> {
        self.deliver_with(url, notification, SignOptions::default()).await
    }

    /// Delivers `notification` with a `WECHATPAY/SIGNTEST/` probe signature: a handler
    /// that verifies responds with 4xx or 5xx.
    ///
    /// # Errors
    ///
    /// As [`deliver`](Self::deliver).
    pub async fn deliver_probe(&self, url: &str, notification: &SandboxNotification) -> Result<Delivery, String> {
        self.deliver_with(url, notification, SignOptions { probe: true, ..SignOptions::default() }).await
    }

    /// The headers and body the sandbox would deliver for `notification`, signed now
    /// with the platform key the mode selects, to hand to
    /// [`Client::verify_notification`](crate::Client::verify_notification) directly.
    /// With `serial`, `Wechatpay-Serial` names it instead of the signing key: a forged
    /// callback.
    ///
    /// # Errors
    ///
    /// Encrypting or signing failed, with what went wrong.
    pub fn signed_notification(
        &self,
        notification: &SandboxNotification,
        serial: Option<&str>,
    ) -> Result<(http::HeaderMap, Bytes), String> {
        let body = notification.body(&self.state.apiv3_key)?;
        let options = SignOptions { serial, ..SignOptions::default() };
        let mut headers = http::HeaderMap::new();
        for (name, value) in self.state.platform.sign(body.as_bytes(), options).map_err(|e| e.to_string())? {
            let value = http::HeaderValue::from_str(&value).map_err(|e| e.to_string())?;
            headers.insert(name, value);
        }
        headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
        Ok((headers, Bytes::from(body)))
    }

    async fn deliver_with(
        &self,
        url: &str,
        notification: &SandboxNotification,
        options: SignOptions<'_>,
    ) -> Result<Delivery, String> {
        let body = notification.body(&self.state.apiv3_key)?;
        let headers = self.state.platform.sign(body.as_bytes(), options).map_err(|e| e.to_string())?;
        // A client per delivery: a pooled connection belongs to the runtime that opened
        // it, and callers deliver from whatever runtime their test runs on.
        let mut request = reqwest::Client::new()
            .post(url)
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::USER_AGENT, "Mozilla/4.0 (wechat-endpoint sandbox)")
            .body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request.send().await.map_err(|e| crate::pipeline::error::chain(&e))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| crate::pipeline::error::chain(&e))?;
        Ok(Delivery { status, body })
    }
}
