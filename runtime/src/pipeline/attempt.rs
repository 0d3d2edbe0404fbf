//! One try: sign with a fresh nonce and timestamp, set the headers, transmit, and read
//! the response as the call's mode says.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use crate::crypto::signing::{nonce, unix_now};
use crate::crypto::verify::header;
use crate::pipeline::client::Client;
use crate::pipeline::error::Refusal;
use crate::pipeline::failure::Failure;
use crate::pipeline::request::{Payload, Prepared, url_for};
use crate::pipeline::retry::parse_retry_after;
use crate::pipeline::stream::Deadline;

/// `Wechatpay-Serial`, as a name parsed once.
const WECHATPAY_SERIAL: HeaderName = HeaderName::from_static("wechatpay-serial");

/// What a try does with the response: the one place where buffering and streaming part.
pub(crate) trait Reading {
    /// A 2xx response, as this mode hands it on.
    type Response;

    /// How long a try may take before its response is in hand.
    fn limit(&self, client: &Client) -> Limit;

    /// When the whole call must be over, tries and the waits between them included.
    fn deadline(&self) -> Option<Deadline> {
        None
    }

    /// Reads a 2xx response whose headers arrived.
    async fn read(&self, client: &Client, head: Head, response: reqwest::Response) -> Result<Self::Response, Failure>;
}

/// How long a try may take.
pub(crate) enum Limit {
    /// The whole exchange, the response body included, as reqwest bounds it: a buffered
    /// response.
    Exchange(Duration),
    /// Each wait for the response's headers (and an error response's body), and the deadline
    /// of the whole download: a streamed response, whose body is read later.
    Headers { idle: Duration, deadline: Deadline },
}

/// The status and headers of a response.
pub(crate) struct Head {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) request_id: Option<String>,
}

/// A buffered response: read whole, up to the client's limit, and verified when asked.
pub(crate) struct ReadWhole {
    pub(crate) verify: bool,
}

/// A buffered 2xx response.
pub(crate) struct Whole {
    pub(crate) head: Head,
    pub(crate) body: Bytes,
}

impl Reading for ReadWhole {
    type Response = Whole;

    fn limit(&self, client: &Client) -> Limit {
        Limit::Exchange(client.inner.timeout)
    }

    async fn read(&self, client: &Client, head: Head, mut response: reqwest::Response) -> Result<Whole, Failure> {
        let body = read_whole(&mut response, client.inner.max_response_bytes, &head).await?;
        if self.verify
            && let Err(source) = client.verify_signed(&head.headers, &body).await
        {
            return Err(Failure::Unverified { source, status: head.status, request_id: head.request_id, body });
        }
        Ok(Whole { head, body })
    }
}

/// A streamed response: handed on with its body unread, by the download's deadline.
pub(crate) struct ReadHead {
    pub(crate) deadline: Deadline,
}

impl Reading for ReadHead {
    type Response = (Head, reqwest::Response);

    fn limit(&self, client: &Client) -> Limit {
        Limit::Headers { idle: client.inner.timeout, deadline: self.deadline }
    }

    fn deadline(&self) -> Option<Deadline> {
        Some(self.deadline)
    }

    async fn read(&self, _: &Client, head: Head, response: reqwest::Response) -> Result<Self::Response, Failure> {
        Ok((head, response))
    }
}

impl Client {
    /// One try of `request` at `origin`.
    pub(super) async fn try_attempt<R: Reading>(
        &self,
        request: &Prepared<'_>,
        origin: &reqwest::Url,
        reading: &R,
    ) -> Result<R::Response, Failure> {
        let url = url_for(origin, &request.target, request.template).map_err(Failure::Build)?;
        let builder = self.signed(request, url)?;
        let (response, head) = match reading.limit(self) {
            Limit::Exchange(timeout) => {
                let mut response = builder.timeout(timeout).send().await.map_err(Failure::exchange)?;
                let head = head_of(&mut response);
                if !head.status.is_success() {
                    return Err(refusal(&mut response, head, self.inner.max_response_bytes).await);
                }
                (response, head)
            }
            Limit::Headers { idle, deadline } => {
                let mut response =
                    deadline.wait(idle, builder.send()).await.map_err(Failure::Stream)?.map_err(Failure::exchange)?;
                let head = head_of(&mut response);
                if !head.status.is_success() {
                    let refused = refusal(&mut response, head, self.inner.max_response_bytes);
                    return Err(deadline.wait(idle, refused).await.unwrap_or_else(Failure::Stream));
                }
                (response, head)
            }
        };
        reading.read(self, head, response).await
    }

    /// The request for `url` with its signature and headers: `Authorization` over
    /// exactly the target and payload sent, and a `Wechatpay-Serial` naming the key
    /// sensitive values were encrypted with, or else the public key.
    fn signed(&self, request: &Prepared<'_>, url: reqwest::Url) -> Result<reqwest::RequestBuilder, Failure> {
        let inner = &*self.inner;
        let authorization = inner
            .signer
            .authorization(
                &mut Vec::new(),
                request.method.as_str(),
                &request.target,
                request.payload.signed(),
                unix_now(),
                &nonce(),
            )
            .map_err(Failure::Sign)?;
        let mut builder = inner
            .http
            .request(request.method.clone(), url)
            .header(AUTHORIZATION, authorization)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, inner.user_agent.clone());
        if let Some(id) = &request.encrypted_with {
            builder = builder.header(WECHATPAY_SERIAL, id.as_str());
        } else if let Some(serial) = &inner.wechatpay_serial {
            builder = builder.header(WECHATPAY_SERIAL, serial.clone());
        }
        Ok(match &request.payload {
            Payload::Empty => builder,
            Payload::Json(body) => {
                builder.header(CONTENT_TYPE, HeaderValue::from_static("application/json")).body(body.clone())
            }
            Payload::Multipart(multipart) => {
                builder.header(CONTENT_TYPE, multipart.content_type.clone()).body(multipart.body.clone())
            }
        })
    }
}

fn head_of(response: &mut reqwest::Response) -> Head {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let request_id = headers.get(header::REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_owned);
    Head { status, headers, request_id }
}

/// A non-2xx response, read whole: the gateway's error.
async fn refusal(response: &mut reqwest::Response, head: Head, limit: usize) -> Failure {
    match read_whole(response, limit, &head).await {
        Ok(body) => Failure::Refused(Refusal {
            status: head.status,
            retry_after: parse_retry_after(head.headers.get(RETRY_AFTER)),
            request_id: head.request_id,
            body,
        }),
        Err(failure) => failure,
    }
}

/// Reads a whole response body, refusing it once it passes `limit` bytes.
async fn read_whole(response: &mut reqwest::Response, limit: usize, head: &Head) -> Result<Bytes, Failure> {
    let too_large = || Failure::TooLarge { limit, status: head.status, request_id: head.request_id.clone() };
    if response.content_length().is_some_and(|len| len > limit as u64) {
        return Err(too_large());
    }
    let mut next = async || response.chunk().await.map_err(Failure::exchange);
    // A small response comes in one chunk: kept as it is, not copied.
    let Some(first) = next().await? else { return Ok(Bytes::new()) };
    if first.len() > limit {
        return Err(too_large());
    }
    let Some(second) = next().await? else { return Ok(first) };
    let mut body = BytesMut::from(first);
    let mut chunk = Some(second);
    while let Some(more) = chunk {
        if body.len() + more.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&more);
        chunk = next().await?;
    }
    Ok(body.freeze())
}
