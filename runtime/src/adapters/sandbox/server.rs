//! The sandbox's HTTP server: checks, routing, signed responses, faults.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use http::request::Parts;
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt as _, Either, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::auth::parse_authorization;
use super::operations::Matched;
use super::platform::SignOptions;
use super::routes::{Reply, Routed, SandboxRequest, SandboxResponse, StreamBody};
use super::{Fault, MCHID, MERCHANT_SERIAL, Received, State, lock};
use crate::crypto::signing::{nonce, request_message, unix_now};
use crate::crypto::verify::{MAX_CLOCK_SKEW_SECS, header};

/// Requests larger than this are refused before any check.
const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;
/// How many received requests are kept for [`super::Sandbox::received`].
pub(super) const MAX_RECEIVED: usize = 100_000;

/// A response's body: whole, or a file streamed as it is generated.
type ResponseBody = http_body_util::Either<Full<Bytes>, StreamBody>;

pub(super) async fn serve(listener: std::net::TcpListener, state: Arc<State>, mut stop: oneshot::Receiver<()>) {
    let Ok(listener) = TcpListener::from_std(listener) else {
        return;
    };
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let state = state.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(state.clone(), req));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
}

/// Returned by the service to make hyper close the connection without a response.
#[derive(Debug)]
struct DroppedOnPurpose;

impl std::fmt::Display for DroppedOnPurpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DroppedOnPurpose {}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Result<Response<ResponseBody>, DroppedOnPurpose> {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_REQUEST_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Ok(plain(StatusCode::PAYLOAD_TOO_LARGE, "request body too large or cut short").map(Either::Left));
        }
    };
    let target = parts.uri.path_and_query().map_or("/", |pq| pq.as_str()).to_owned();
    let fault = lock(&state.faults).pop_front().or_else(|| state.random_fault());
    let reply = match &fault {
        Some(Fault::ServerError) => {
            Reply::Signed(SandboxResponse::error(StatusCode::INTERNAL_SERVER_ERROR, "SYSTEM_ERROR", "系统错误"))
        }
        Some(Fault::ServiceUnavailable) => {
            Reply::Signed(SandboxResponse::error(StatusCode::SERVICE_UNAVAILABLE, "SYSTEM_ERROR", "服务不可用"))
        }
        Some(Fault::RateLimited { .. }) => {
            Reply::Signed(SandboxResponse::error(StatusCode::TOO_MANY_REQUESTS, "RATELIMIT_EXCEEDED", "频率超限"))
        }
        _ => process(&state, &parts, &target, &body),
    };
    {
        let mut received = lock(&state.received);
        if received.len() < MAX_RECEIVED {
            received.push(Received {
                method: parts.method.clone(),
                target,
                headers: parts.headers.clone(),
                body,
                status: reply.status(),
            });
        }
    }
    match fault {
        Some(Fault::Slow(delay)) => tokio::time::sleep(delay).await,
        Some(Fault::DropConnection) => return Err(DroppedOnPurpose),
        _ => {}
    }
    Ok(match reply {
        Reply::Signed(response) => signed_response(&state, response, fault.as_ref()).map(Either::Left),
        Reply::File { content_type, body } => unsigned_file(content_type, body),
    })
}

/// The gateway's checks, then the route.
fn process(state: &State, parts: &Parts, target: &str, body: &Bytes) -> Reply {
    // A media upload's signature covers its `meta` part only.
    let signed = match super::media::signed_part(&parts.headers, body) {
        Ok(signed) => signed,
        Err(message) => return Reply::Signed(SandboxResponse::error(StatusCode::BAD_REQUEST, "PARAM_ERROR", message)),
    };
    if let Err(message) = check_signature(state, parts, target, &signed) {
        return Reply::Signed(SandboxResponse::error(StatusCode::UNAUTHORIZED, "SIGN_ERROR", message));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let routed = state.router.read().unwrap_or_else(|e| e.into_inner()).find(&parts.method, path);
    let request = |values| SandboxRequest {
        method: parts.method.clone(),
        target: target.to_owned(),
        headers: parts.headers.clone(),
        path: values,
        query: form_urlencoded::parse(query.as_bytes()).into_owned().collect(),
        body: body.clone(),
    };
    let wrong_method = match routed {
        Routed::Found(handler, values) => return handler(&request(values)),
        Routed::WrongMethod => true,
        Routed::NotFound => false,
    };
    // The catalog's operations come after every route, the users' and the stateful ones.
    let wrong_method = match state.operations.find(&parts.method, path) {
        Matched::Operation(op, values) => {
            let named = values.iter().map(|(name, value)| ((*name).to_owned(), value.clone())).collect();
            return state.operations.serve(op, &values, &request(named), &state.merchant_key);
        }
        Matched::WrongMethod => true,
        Matched::NotFound => wrong_method,
    };
    let message = if wrong_method {
        format!("{} is not served for {path}", parts.method)
    } else {
        format!("no resource at {path}")
    };
    Reply::Signed(SandboxResponse::error(StatusCode::NOT_FOUND, "RESOURCE_NOT_EXISTS", message))
}

/// Checks a request as the gateway does; the error is the `SIGN_ERROR` message.
fn check_signature(state: &State, parts: &Parts, target: &str, body: &[u8]) -> Result<(), String> {
    for (name, label) in [(ACCEPT, "Accept"), (USER_AGENT, "User-Agent")] {
        if parts.headers.get(&name).is_none_or(|v| v.is_empty()) {
            return Err(format!("the {label} header is missing"));
        }
    }
    let mut values = parts.headers.get_all(AUTHORIZATION).iter();
    let value = values.next().ok_or("the Authorization header is missing")?;
    if values.next().is_some() {
        return Err("the Authorization header is sent more than once".into());
    }
    let value = value.to_str().map_err(|_| "the Authorization header is not visible ASCII")?;
    let auth = parse_authorization(value)?;
    if auth.mchid != MCHID {
        return Err(format!("mchid `{}` is not this merchant ({MCHID})", auth.mchid));
    }
    if auth.serial != MERCHANT_SERIAL {
        return Err(format!("serial_no `{}` names no API certificate of merchant {MCHID}", auth.serial));
    }
    let timestamp: i64 = auth
        .timestamp
        .parse()
        .ok()
        .filter(|_| auth.timestamp.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| format!("timestamp `{}` is not Unix seconds", auth.timestamp))?;
    let now = unix_now();
    if now.abs_diff(timestamp) > MAX_CLOCK_SKEW_SECS.unsigned_abs() {
        return Err(format!(
            "timestamp {timestamp} is {}s away from the gateway's clock {now} (limit {MAX_CLOCK_SKEW_SECS}s)",
            now.abs_diff(timestamp)
        ));
    }
    if auth.nonce.is_empty() {
        return Err("nonce_str is empty".into());
    }
    let signature = BASE64.decode(auth.signature).map_err(|_| "signature is not standard base64".to_owned())?;
    let mut message = Vec::new();
    request_message(&mut message, parts.method.as_str(), target, timestamp, auth.nonce, body);
    if state.merchant_key.verify(&message, &signature).is_err() {
        return Err(format!(
            "signature does not verify over `{} {target}`, the timestamp, the nonce and the {}-byte body",
            parts.method,
            body.len()
        ));
    }
    if !lock(&state.nonces).insert(auth.nonce.to_owned()) {
        return Err(format!("nonce_str `{}` was already used", auth.nonce));
    }
    Ok(())
}

/// Signs `response` with the platform key the mode selects, applying a response fault.
fn signed_response(state: &State, response: SandboxResponse, fault: Option<&Fault>) -> Response<Full<Bytes>> {
    let mut body = response.body.to_vec();
    let options = SignOptions {
        age_secs: if fault == Some(&Fault::StaleTimestamp) { 600 } else { 0 },
        signed_body: (fault == Some(&Fault::WrongSignature)).then_some(b"{\"forged\":true}".as_slice()),
        probe: fault == Some(&Fault::SignatureProbe),
        serial: (fault == Some(&Fault::UnknownSerial)).then_some("PUB_KEY_ID_0119000091912025112899999999999999"),
    };
    let Ok(signature) = state.platform.sign(&body, options) else {
        return plain(StatusCode::INTERNAL_SERVER_ERROR, "the sandbox could not sign its response");
    };
    if fault == Some(&Fault::BodyAlteredAfterSigning) {
        alter(&mut body);
    }
    let request_id = format!("sandbox-{}", nonce().to_ascii_lowercase());
    let mut builder = Response::builder().status(response.status).header(header::REQUEST_ID, request_id);
    if !body.is_empty() {
        builder = builder.header(CONTENT_TYPE, response.content_type);
    }
    if let Some(Fault::RateLimited { retry_after: Some(seconds) }) = fault {
        builder = builder.header(RETRY_AFTER, seconds.to_string());
    }
    if fault != Some(&Fault::MissingSignatureHeaders) {
        for (name, value) in signature {
            match fault {
                Some(Fault::JunkSignatureHeaders) => {
                    builder = builder.header(
                        name,
                        HeaderValue::from_bytes(b"\xff\xfe junk \x80").unwrap_or(HeaderValue::from_static("junk")),
                    );
                }
                Some(Fault::DuplicateSignatureHeaders) => {
                    builder = builder.header(name, value.clone()).header(name, value);
                }
                _ => builder = builder.header(name, value),
            }
        }
    }
    builder
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "the sandbox built an invalid response"))
}

/// A file as the gateway serves a bill file: not signed, with a `Request-ID`.
fn unsigned_file(content_type: &'static str, body: StreamBody) -> Response<ResponseBody> {
    let mut response = Response::new(Either::Right(body));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(id) = HeaderValue::from_str(&format!("sandbox-{}", nonce().to_ascii_lowercase())) {
        headers.insert(header::REQUEST_ID, id);
    }
    response
}

/// Changes one byte of a body, keeping it the same length.
fn alter(body: &mut Vec<u8>) {
    match body.iter_mut().find(|b| b.is_ascii_digit()) {
        Some(digit) => *digit = if *digit == b'9' { b'0' } else { *digit + 1 },
        None => body.push(b' '),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    response
}
