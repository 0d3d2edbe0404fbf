//! The client: signs, sends and verifies every call.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::builder::ClientBuilder;
use crate::endpoint::{Endpoint, TargetWriter};
use crate::error::{ApiError, BuildError, Error};
use crate::signing::{self, MerchantSigner};
use crate::verify::{VerifyingKeys, header};

/// A WeChat Pay APIv3 client: cheap to clone, meant to be built once and shared.
///
/// Keys are parsed once by [`ClientBuilder::build`]; every clone shares them and one
/// connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) origin: String,
    pub(crate) base_path: String,
    pub(crate) signer: MerchantSigner,
    pub(crate) keys: VerifyingKeys,
    pub(crate) user_agent: HeaderValue,
    pub(crate) wechatpay_serial: Option<HeaderValue>,
    pub(crate) timeout: Duration,
    pub(crate) max_answer_bytes: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("mchid", &inner.signer.mchid())
            .field("merchant_serial", &inner.signer.serial())
            .field("base_url", &format_args!("{}{}", inner.origin, inner.base_path))
            .field("public_key_id", &inner.keys.public_key_id())
            .field("timeout", &inner.timeout)
            .finish_non_exhaustive()
    }
}

/// A request ready to sign: its target and body are final.
pub(crate) struct Prepared<'a> {
    pub(crate) method: Method,
    pub(crate) template: &'a str,
    pub(crate) target: String,
    pub(crate) body: Bytes,
}

/// A verified 2xx answer.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) request_id: Option<String>,
    pub(crate) body: Bytes,
}

impl Client {
    /// Starts a configuration.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    pub(crate) fn from_inner(inner: Arc<Inner>) -> Self {
        Client { inner }
    }

    /// The merchant id this client signs as.
    pub fn mchid(&self) -> &str {
        self.inner.signer.mchid()
    }

    /// The keys answers are verified with.
    pub fn verifying_keys(&self) -> &VerifyingKeys {
        &self.inner.keys
    }

    /// Calls `endpoint`: builds its target and body once, signs them, sends them,
    /// verifies the answer's signature and decodes it.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Response, Error> {
        let prepared = self.prepare(endpoint)?;
        let answer = self.execute(prepared).await?;
        decode(answer)
    }

    /// Builds the request `send` would send, without sending it.
    pub(crate) fn prepare<E: Endpoint>(&self, endpoint: &E) -> Result<Prepared<'static>, Error> {
        let mut target = String::with_capacity(self.inner.base_path.len() + E::PATH_TEMPLATE.len() + 64);
        endpoint.write_target(&mut TargetWriter::new(&mut target, &self.inner.base_path))?;
        let mut body = Vec::new();
        endpoint.write_body(&mut body)?;
        Ok(Prepared {
            method: E::METHOD,
            template: E::PATH_TEMPLATE,
            target,
            body: Bytes::from(body),
        })
    }

    pub(crate) fn base_path(&self) -> &str {
        &self.inner.base_path
    }

    /// Signs, sends, reads and verifies one request.
    pub(crate) async fn execute(&self, request: Prepared<'_>) -> Result<Answer, Error> {
        let span = tracing::info_span!(
            "wechatpay",
            method = %request.method,
            path = request.template,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self.execute_inner(&request).instrument(span.clone()).await;
        let _entered = span.enter();
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(answer) => {
                span.record("status", answer.status.as_u16());
                if let Some(id) = &answer.request_id {
                    span.record("request_id", id.as_str());
                }
                tracing::debug!("answer verified");
            }
            Err(error) => {
                if let Some(status) = error.status() {
                    span.record("status", status.as_u16());
                }
                if let Some(id) = error.request_id() {
                    span.record("request_id", id);
                }
                tracing::warn!(error = %crate::error::chain(error), "call failed");
            }
        }
        result
    }

    async fn execute_inner(&self, request: &Prepared<'_>) -> Result<Answer, Error> {
        let inner = &*self.inner;
        let url = self.url_for(&request.target)?;
        let timestamp = signing::unix_now();
        let nonce = signing::nonce();
        let mut scratch = Vec::new();
        let authorization = inner
            .signer
            .authorization(
                &mut scratch,
                request.method.as_str(),
                &request.target,
                &request.body,
                timestamp,
                &nonce,
            )
            .map_err(Error::Sign)?;
        drop(scratch);

        let mut builder = inner
            .http
            .request(request.method.clone(), url)
            .timeout(inner.timeout)
            .header(AUTHORIZATION, authorization)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, inner.user_agent.clone());
        if let Some(serial) = &inner.wechatpay_serial {
            builder = builder.header(header::SERIAL, serial.clone());
        }
        if !request.body.is_empty() {
            builder = builder
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(request.body.clone());
        }
        let transport = |source: reqwest::Error| transport_error(&request.method, request.template, source);
        let mut response = builder.send().await.map_err(transport)?;

        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let request_id = headers
            .get(header::REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = read_body(&mut response, inner.max_answer_bytes)
            .await
            .map_err(|e| match e {
                ReadError::Transport(source) => transport(source),
                ReadError::TooLarge => Error::AnswerTooLarge {
                    limit: inner.max_answer_bytes,
                    status,
                    request_id: request_id.clone(),
                },
            })?;

        if !status.is_success() {
            return Err(Error::Api(Box::new(ApiError::from_answer(status, request_id, body))));
        }
        self.verify(&headers, &body).map_err(|source| Error::Verify {
            source,
            status,
            request_id: request_id.clone(),
            body: body.clone(),
        })?;
        Ok(Answer {
            status,
            request_id,
            body,
        })
    }

    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), crate::error::VerifyError> {
        self.inner.keys.verify(headers, body, signing::unix_now())
    }

    /// The URL for `target`, refusing any target that the URL parser would rewrite: the
    /// bytes signed must be the bytes sent.
    fn url_for(&self, target: &str) -> Result<reqwest::Url, Error> {
        let mut text = String::with_capacity(self.inner.origin.len() + target.len());
        text.push_str(&self.inner.origin);
        text.push_str(target);
        let url = reqwest::Url::parse(&text).map_err(|e| BuildError::Target {
            target: target.to_owned(),
            problem: e.to_string(),
        })?;
        let sent_path = url.path();
        let (path, query) = target.split_once('?').map_or((target, None), |(p, q)| (p, Some(q)));
        if sent_path != path || url.query() != query {
            return Err(BuildError::Target {
                target: target.to_owned(),
                problem: format!(
                    "the URL would carry `{}{}`",
                    sent_path,
                    url.query().map(|q| format!("?{q}")).unwrap_or_default()
                ),
            }
            .into());
        }
        Ok(url)
    }
}

fn transport_error(method: &Method, template: &str, source: reqwest::Error) -> Error {
    let method = method.clone();
    let path = template.to_owned();
    if source.is_timeout() {
        Error::Timeout { method, path, source }
    } else {
        Error::Transport { method, path, source }
    }
}

enum ReadError {
    Transport(reqwest::Error),
    TooLarge,
}

async fn read_body(response: &mut reqwest::Response, limit: usize) -> Result<Bytes, ReadError> {
    if response.content_length().is_some_and(|len| len > limit as u64) {
        return Err(ReadError::TooLarge);
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Decodes a verified answer; an empty body (a 204) decodes as JSON `null`, so `()`
/// and `Option<T>` answers work.
pub(crate) fn decode<T: DeserializeOwned>(answer: Answer) -> Result<T, Error> {
    let bytes: &[u8] = if answer.body.is_empty() { b"null" } else { &answer.body };
    serde_json::from_slice(bytes).map_err(|source| Error::Decode {
        source,
        status: answer.status,
        request_id: answer.request_id,
        body: answer.body,
    })
}
