//! The client: signs, sends and verifies every call.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::builder::ClientBuilder;
use crate::certificates::{Refresher, unknown_serial};
use crate::crypto::{ApiV3Key, Backend, CryptoError, DecryptingKey};
use crate::endpoint::{Endpoint, TargetWriter};
use crate::error::{ApiError, BuildError, Error, VerifyError};
use crate::retry::{RetryPolicy, Verdict, parse_retry_after, verdict};
use crate::sensitive::{EncryptedValue, Form, Pending};
use crate::signing::{self, MerchantSigner};
use crate::verify::{VerifyingKeys, header};

/// A WeChat Pay APIv3 client: cheap to clone, meant to be built once and shared.
///
/// Keys are parsed once by [`ClientBuilder::build`]; every clone shares them and one
/// connection pool.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// `scheme://host[:port]` of the primary host.
    pub(crate) origin: String,
    /// The origin used after a connection failure, when fail-over is configured.
    pub(crate) backup_origin: Option<String>,
    pub(crate) base_path: String,
    pub(crate) signer: MerchantSigner,
    /// Swapped whole when platform certificates are refreshed.
    pub(crate) keys: RwLock<Arc<VerifyingKeys>>,
    pub(crate) user_agent: HeaderValue,
    pub(crate) wechatpay_serial: Option<HeaderValue>,
    pub(crate) timeout: Duration,
    pub(crate) max_answer_bytes: usize,
    /// Where bill files may come from, how large and how slow.
    pub(crate) bills: crate::bill::BillLimits,
    pub(crate) retry: RetryPolicy,
    pub(crate) apiv3_key: Option<ApiV3Key>,
    pub(crate) backend: Backend,
    /// The merchant key, for sensitive fields the gateway encrypted.
    pub(crate) decrypting: DecryptingKey,
    /// Present in certificate mode.
    pub(crate) refresher: Option<Refresher>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("mchid", &inner.signer.mchid())
            .field("merchant_serial", &inner.signer.serial())
            .field("base_url", &format_args!("{}{}", inner.origin, inner.base_path))
            .field("backup_origin", &inner.backup_origin)
            .field("public_key_id", &self.verifying_keys().public_key_id().map(str::to_owned))
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .finish_non_exhaustive()
    }
}

/// What a request sends, and what its signature covers. Its `Debug` shows lengths only.
#[derive(Clone)]
pub(crate) enum Payload {
    /// No body.
    Empty,
    /// A JSON body, signed as sent.
    Json(Bytes),
    /// A `multipart/form-data` body whose signature covers the `meta` JSON only.
    Multipart {
        /// The `meta` part's JSON, byte for byte as sent in the body.
        meta: Bytes,
        /// `multipart/form-data; boundary=…`.
        content_type: HeaderValue,
        /// The whole encoded body.
        body: Bytes,
    },
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payload::Empty => f.write_str("Empty"),
            Payload::Json(body) => write!(f, "Json([{} bytes])", body.len()),
            Payload::Multipart { meta, body, .. } => {
                write!(f, "Multipart {{ meta: [{} bytes], body: [{} bytes] }}", meta.len(), body.len())
            }
        }
    }
}

impl Payload {
    fn signed(&self) -> &[u8] {
        match self {
            Payload::Empty => b"",
            Payload::Json(body) => body,
            Payload::Multipart { meta, .. } => meta,
        }
    }
}

/// A request ready to sign: its target and payload are final.
pub(crate) struct Prepared<'a> {
    pub(crate) method: Method,
    pub(crate) template: &'a str,
    pub(crate) target: String,
    pub(crate) payload: Payload,
    /// Whether sending it twice does no harm.
    pub(crate) idempotent: bool,
    /// The id of the key sensitive fields were encrypted with, for `Wechatpay-Serial`.
    pub(crate) encrypted_with: Option<String>,
}

/// A verified 2xx answer.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) request_id: Option<String>,
    pub(crate) body: Bytes,
    pub(crate) tries: u32,
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Answer")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("body_len", &self.body.len())
            .field("tries", &self.tries)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts a configuration.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    pub(crate) fn from_inner(inner: Arc<Inner>) -> Self {
        Client { inner }
    }

    pub(crate) fn downgrade(&self) -> std::sync::Weak<Inner> {
        Arc::downgrade(&self.inner)
    }

    pub(crate) fn upgrade(weak: &std::sync::Weak<Inner>) -> Option<Self> {
        weak.upgrade().map(Client::from_inner)
    }

    pub(crate) fn refresher(&self) -> Option<&Refresher> {
        self.inner.refresher.as_ref()
    }

    pub(crate) fn backend(&self) -> Backend {
        self.inner.backend
    }

    pub(crate) fn replace_keys(&self, keys: Arc<VerifyingKeys>) {
        *self.inner.keys.write().unwrap_or_else(|e| e.into_inner()) = keys;
    }

    /// The merchant id this client signs as.
    pub fn mchid(&self) -> &str {
        self.inner.signer.mchid()
    }

    /// The keys answers are verified with now.
    pub fn verifying_keys(&self) -> Arc<VerifyingKeys> {
        self.inner.keys.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Calls `endpoint`: builds its target and body once, signs them, sends them,
    /// verifies the answer's signature and decodes it.
    ///
    /// Sensitive values (`#[wechat(encrypt)]` fields, [`Sensitive`](crate::sensitive::Sensitive)
    /// members, in the body or the query) are encrypted before signing; in certificate
    /// mode a client that holds no valid platform certificate yet downloads them first.
    pub async fn send<E: Endpoint>(&self, endpoint: &E) -> Result<E::Response, Error> {
        let prepared = self.prepare(endpoint).await?;
        let answer = self.execute(prepared).await?;
        decode(answer)
    }

    /// Builds the request `send` would send, without sending it.
    pub(crate) async fn prepare<E: Endpoint>(&self, endpoint: &E) -> Result<Prepared<'static>, Error> {
        let mut target = String::with_capacity(self.inner.base_path.len() + E::PATH_TEMPLATE.len() + 64);
        let mut in_query = Pending::default();
        in_query.collect(|| endpoint.write_target(&mut TargetWriter::new(&mut target, &self.inner.base_path)))?;
        let mut body = Vec::new();
        let mut in_body = Pending::default();
        in_body.collect(|| endpoint.write_body(&mut body))?;
        let mut target = target.into_bytes();
        let encrypted_with =
            self.seal(&mut [(&in_query, &mut target, Form::Query), (&in_body, &mut body, Form::Json)]).await?;
        let payload = match endpoint.media_file() {
            Some(file) => crate::media::multipart(file, &body)?,
            None if body.is_empty() => Payload::Empty,
            None => Payload::Json(Bytes::from(body)),
        };
        Ok(Prepared {
            method: E::METHOD,
            template: E::PATH_TEMPLATE,
            target: target_text(target)?,
            payload,
            idempotent: E::IDEMPOTENT.unwrap_or_else(|| is_idempotent(&E::METHOD)),
            encrypted_with,
        })
    }

    /// Encrypts the sensitive values written into each buffer, in place, with one key,
    /// and answers its id for `Wechatpay-Serial`; `None` when there were none. A client
    /// in certificate mode with no valid platform certificate downloads them first.
    pub(crate) async fn seal(&self, parts: &mut [(&Pending, &mut Vec<u8>, Form)]) -> Result<Option<String>, Error> {
        if parts.iter().all(|(pending, _, _)| pending.is_empty()) {
            return Ok(None);
        }
        let keys = self.encryption_keys().await?;
        let (id, key) = keys.encryption_key(SystemTime::now()).ok_or_else(no_encryption_key)?;
        for (pending, buf, form) in parts.iter_mut() {
            pending.seal(key, buf, *form)?;
        }
        Ok(Some(id.to_owned()))
    }

    /// Keys that hold an encryption key now: those held, or, in certificate mode, those
    /// after one download of the platform certificates.
    async fn encryption_keys(&self) -> Result<Arc<VerifyingKeys>, Error> {
        let keys = self.verifying_keys();
        if keys.encryption_key(SystemTime::now()).is_some() || self.refresher().is_none() {
            return Ok(keys);
        }
        self.refresh_for_encryption().await?;
        Ok(self.verifying_keys())
    }

    pub(crate) fn base_path(&self) -> &str {
        &self.inner.base_path
    }

    /// Signs, sends, reads and verifies one request, retrying as the policy allows.
    pub(crate) async fn execute(&self, request: Prepared<'_>) -> Result<Answer, Error> {
        self.ensure_background_refresh();
        self.execute_with(request, true).await
    }

    /// [`execute`](Self::execute) without checking the answer's signature: for answers
    /// the caller checks another way.
    pub(crate) async fn execute_unverified(&self, request: Prepared<'_>) -> Result<Answer, Error> {
        self.execute_with(request, false).await
    }

    async fn execute_with(&self, request: Prepared<'_>, verify: bool) -> Result<Answer, Error> {
        let span = tracing::info_span!(
            "wechatpay",
            method = %request.method,
            path = request.template,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            tries = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self.with_retries(&request, verify).instrument(span.clone()).await;
        let _entered = span.enter();
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(answer) => {
                span.record("status", answer.status.as_u16());
                span.record("tries", answer.tries);
                if let Some(id) = &answer.request_id {
                    span.record("request_id", id.as_str());
                }
                tracing::debug!("answer verified");
            }
            Err(error) => {
                if let Some(status) = error.status() {
                    span.record("status", status.as_u16());
                }
                span.record("tries", error.tries());
                if let Some(id) = error.request_id() {
                    span.record("request_id", id);
                }
                tracing::warn!(error = %crate::error::chain(error), "call failed");
            }
        }
        result
    }

    async fn with_retries(&self, request: &Prepared<'_>, verify: bool) -> Result<Answer, Error> {
        let policy = &self.inner.retry;
        let started = Instant::now();
        let mut origin = &self.inner.origin;
        let mut tries = 0;
        loop {
            tries += 1;
            let error = match self.try_once(request, origin, verify).await {
                Ok(mut answer) => {
                    answer.tries = tries;
                    return Ok(answer);
                }
                Err(error) => error.with_tries(tries),
            };
            let Verdict::Retry { retry_after, connect_failed } = verdict(&error, request.idempotent, policy) else {
                return Err(error);
            };
            let delay = policy.delay(tries + 1, retry_after);
            if tries >= policy.max_tries || started.elapsed() + delay > policy.budget {
                return Err(error);
            }
            if connect_failed && let Some(backup) = &self.inner.backup_origin {
                origin = backup;
            }
            tracing::info!(error = %crate::error::chain(&error), try_ = tries, ?delay, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// One try: sign with a fresh nonce and timestamp, send, read, verify.
    async fn try_once(&self, request: &Prepared<'_>, origin: &str, verify: bool) -> Result<Answer, Error> {
        let url = url_for(origin, &request.target, request.template)?;
        let transport = |source| transport_error(&request.method, request.template, source);
        let mut response = self.send_signed(request, url).await?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let request_id = headers.get(header::REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let limit = self.inner.max_answer_bytes;
        let body = read_body(&mut response, limit).await.map_err(|e| match e {
            ReadError::Transport(source) => transport(source),
            ReadError::TooLarge => Error::AnswerTooLarge { limit, status, request_id: request_id.clone(), tries: 1 },
        })?;
        if !status.is_success() {
            let retry_after = parse_retry_after(headers.get(RETRY_AFTER));
            return Err(Error::Api(Box::new(ApiError::from_answer(status, request_id, retry_after, body))));
        }
        if verify && let Err(source) = self.verify_signed(&headers, &body).await {
            return Err(Error::Verify { source, status, request_id, body, tries: 1 });
        }
        Ok(Answer { status, headers, request_id, body, tries: 1 })
    }

    /// Signs `request` for `url` and sends it; the answer is returned unread and
    /// unverified. `url`'s path and query must be `request.target`.
    pub(crate) async fn send_signed(
        &self,
        request: &Prepared<'_>,
        url: reqwest::Url,
    ) -> Result<reqwest::Response, Error> {
        let inner = &*self.inner;
        let authorization = inner
            .signer
            .authorization(
                &mut Vec::new(),
                request.method.as_str(),
                &request.target,
                request.payload.signed(),
                signing::unix_now(),
                &signing::nonce(),
            )
            .map_err(Error::Sign)?;
        let mut builder = inner
            .http
            .request(request.method.clone(), url)
            .timeout(inner.timeout)
            .header(AUTHORIZATION, authorization)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, inner.user_agent.clone());
        if let Some(id) = &request.encrypted_with {
            builder = builder.header(header::SERIAL, id.as_str());
        } else if let Some(serial) = &inner.wechatpay_serial {
            builder = builder.header(header::SERIAL, serial.clone());
        }
        builder = match &request.payload {
            Payload::Empty => builder,
            Payload::Json(body) => {
                builder.header(CONTENT_TYPE, HeaderValue::from_static("application/json")).body(body.clone())
            }
            Payload::Multipart { content_type, body, .. } => {
                builder.header(CONTENT_TYPE, content_type.clone()).body(body.clone())
            }
        };
        builder.send().await.map_err(|source| transport_error(&request.method, request.template, source))
    }

    fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), VerifyError> {
        self.verifying_keys().verify(headers, body, signing::unix_now())
    }

    /// Verifies a signed answer or callback; in certificate mode an unknown serial
    /// may trigger a refresh first, as [`crate::certificates`] describes.
    pub(crate) async fn verify_signed(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), VerifyError> {
        self.ensure_background_refresh();
        let Err(error) = self.verify(headers, body) else { return Ok(()) };
        match unknown_serial(&error) {
            Some(serial) if self.refresh_for_unknown_serial(serial).await => self.verify(headers, body),
            _ => Err(error),
        }
    }

    /// Encrypts one sensitive value as [`crate::sensitive`] does, for requests built by
    /// hand, with the key held now: the WeChat Pay public key, or the newest valid
    /// platform certificate. The request must carry
    /// [`EncryptedValue::wechatpay_serial`] in its `Wechatpay-Serial` header.
    ///
    /// Calls made with `send` or the dynamic form encrypt by themselves (mark the values
    /// `#[wechat(encrypt)]` or give them the type
    /// [`Sensitive`](crate::sensitive::Sensitive)) and download platform certificates
    /// when they need to; this synchronous call cannot.
    ///
    /// # Errors
    /// [`Error::Sensitive`] when no key is held (in certificate mode before the first
    /// download: call [`refresh_certificates`](Self::refresh_certificates)`().await`
    /// first, or configure the WeChat Pay public key), or when `plaintext` is over 214
    /// bytes.
    pub fn encrypt_sensitive(&self, plaintext: &str) -> Result<EncryptedValue, Error> {
        use base64::Engine as _;
        let keys = self.verifying_keys();
        let (id, key) = keys.encryption_key(SystemTime::now()).ok_or_else(|| {
            Error::Sensitive(CryptoError::Key(
                "no WeChat Pay public key or valid platform certificate is held to encrypt with: call \
                 `refresh_certificates().await` first (certificate mode), or configure the WeChat Pay public \
                 key with `ClientBuilder::public_key_pem`"
                    .into(),
            ))
        })?;
        let ciphertext = key.encrypt_oaep(plaintext.as_bytes()).map_err(Error::Sensitive)?;
        Ok(EncryptedValue::new(base64::engine::general_purpose::STANDARD.encode(ciphertext), id.to_owned()))
    }

    /// Decrypts a sensitive field the gateway encrypted under the merchant key
    /// (RSAES-OAEP, SHA-1): base64 in, text out, zeroized on drop.
    pub fn decrypt_sensitive(&self, ciphertext: &str) -> Result<zeroize::Zeroizing<String>, Error> {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(ciphertext.trim())
            .map_err(|_| Error::Sensitive(CryptoError::DecryptFailed))?;
        let plaintext = self.inner.decrypting.decrypt_oaep(&bytes).map_err(Error::Sensitive)?;
        String::from_utf8(plaintext.to_vec())
            .map(zeroize::Zeroizing::new)
            .map_err(|_| Error::Sensitive(CryptoError::DecryptFailed))
    }

    /// The APIv3 key, when one is configured.
    pub(crate) fn apiv3_key(&self) -> Option<&ApiV3Key> {
        self.inner.apiv3_key.as_ref()
    }
}

fn no_encryption_key() -> Error {
    Error::Sensitive(CryptoError::Key(
        "no WeChat Pay public key or valid platform certificate to encrypt sensitive values with".into(),
    ))
}

/// A target whose markers were replaced, back as text.
pub(crate) fn target_text(target: Vec<u8>) -> Result<String, Error> {
    // Markers and ciphertexts are ASCII: the target stays UTF-8.
    String::from_utf8(target).map_err(|_| Error::Sensitive(CryptoError::EncryptFailed))
}

/// Whether a method may be sent twice without harm.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS)
}

/// The URL for `target` at `origin`, refusing any target that the URL parser would
/// rewrite: the bytes signed must be the bytes sent. Errors name `template`, never the
/// target, which holds path and query values.
pub(crate) fn url_for(origin: &str, target: &str, template: &str) -> Result<reqwest::Url, Error> {
    let mut text = String::with_capacity(origin.len() + target.len());
    text.push_str(origin);
    text.push_str(target);
    let url = reqwest::Url::parse(&text)
        .map_err(|e| BuildError::Target { path: template.to_owned(), problem: e.to_string() })?;
    let (path, query) = target.split_once('?').map_or((target, None), |(p, q)| (p, Some(q)));
    if url.path() != path || url.query() != query {
        let part = if url.path() != path { "path" } else { "query" };
        return Err(BuildError::Target {
            path: template.to_owned(),
            problem: format!("the URL parser would rewrite its {part}"),
        }
        .into());
    }
    Ok(url)
}

/// Classifies a failed exchange by what the gateway could have seen. reqwest reports a
/// failure of its connector (TCP connect, TLS handshake, either one's timeout under
/// `connect_timeout`) as `is_connect()`: the request was not written. Any other timeout
/// or broken connection came after the request was handed to a connection.
///
/// The error keeps no URL: it holds path and query values, which no error text may carry.
pub(crate) fn transport_error(method: &Method, template: &str, source: reqwest::Error) -> Error {
    let source = source.without_url();
    let method = method.clone();
    let path = template.to_owned();
    if source.is_connect() {
        Error::Connect { method, path, source, tries: 1 }
    } else if source.is_timeout() {
        Error::Timeout { method, path, source, tries: 1 }
    } else {
        Error::Transport { method, path, source, tries: 1 }
    }
}

pub(crate) enum ReadError {
    Transport(reqwest::Error),
    TooLarge,
}

/// Reads a whole answer body, refusing it once it passes `limit` bytes.
pub(crate) async fn read_body(response: &mut reqwest::Response, limit: usize) -> Result<Bytes, ReadError> {
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
    serde_json::from_slice(bytes).map_err(|json| Error::Decode {
        source: crate::error::JsonError::new(json),
        status: answer.status,
        request_id: answer.request_id,
        body: answer.body,
        tries: answer.tries,
    })
}
