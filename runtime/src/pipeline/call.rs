//! One call: its tracing span, the retry loop over its tries, and the one place its
//! error is built, with the call's context, once it is over.

use std::time::Instant;

use tracing::Instrument as _;

use crate::pipeline::attempt::{ReadHead, ReadWhole, Reading, Whole};
use crate::pipeline::client::Client;
use crate::pipeline::error::{Error, chain};
use crate::pipeline::request::{Prepared, Route};
use crate::pipeline::response::{Response, StreamedResponse};
use crate::pipeline::retry::{Verdict, classify};
use crate::pipeline::stream::{Deadline, Sink, stream_into};

/// What a buffered call checks of its response before handing it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// Its signature: API calls.
    Signature,
    /// Nothing: the platform certificate download, which its caller checks with the keys
    /// it brings.
    Nothing,
}

impl Client {
    /// Sends `request`, retrying as the policy allows, and reads its response whole.
    pub(crate) async fn call<'r>(&self, request: &'r Prepared<'r>, check: Check) -> Result<Response<'r>, Error> {
        let reading = ReadWhole { verify: check == Check::Signature };
        self.traced(request, async {
            let (Whole { head, body }, tries) = self.try_op(request, &reading).await?;
            Ok(Response {
                method: &request.method,
                template: request.template,
                status: head.status,
                headers: head.headers,
                request_id: head.request_id,
                body,
                tries,
                verified: reading.verify,
            })
        })
        .await
    }

    /// Sends `request`, retrying as the policy allows until a response's headers arrive,
    /// and streams its body into `sink`, within the client's stream limits.
    pub(crate) async fn call_streamed<S: Sink>(
        &self,
        request: &Prepared<'_>,
        sink: &mut S,
    ) -> Result<StreamedResponse, Error> {
        let limits = &self.inner.streams;
        let reading = ReadHead { deadline: Deadline::after(limits.deadline) };
        self.traced(request, async {
            let ((head, response), tries) = self.try_op(request, &reading).await?;
            match stream_into(response, sink, self.inner.timeout, reading.deadline, limits.max_bytes).await {
                Ok(received) => {
                    Ok(StreamedResponse { status: head.status, request_id: head.request_id, tries, received })
                }
                Err(source) => {
                    Err(Error::Download { source, written: sink.written(), request_id: head.request_id, tries })
                }
            }
        })
        .await
    }

    /// Tries `request` until a response is read or the policy stops; returns it and the
    /// tries made, or the call's error.
    async fn try_op<R: Reading>(&self, request: &Prepared<'_>, reading: &R) -> Result<(R::Response, u32), Error> {
        let inner = &*self.inner;
        let policy = &inner.retry;
        let started = Instant::now();
        let mut origin = match &request.route {
            Route::Gateway => &inner.origin,
            Route::Origin(origin) => origin,
        };
        let mut tries = 0;
        loop {
            tries += 1;
            let failure = match self.try_attempt(request, origin, reading).await {
                Ok(response) => return Ok((response, tries)),
                Err(failure) => failure,
            };
            let Verdict::Retry { retry_after, connect_failed } = classify(&failure, request.idempotent, policy) else {
                return Err(failure.into_error(request, tries));
            };
            let delay = policy.delay(tries + 1, retry_after);
            let past_deadline = reading.deadline().is_some_and(|d| tokio::time::Instant::now() + delay >= d.at);
            if tries >= policy.max_tries || started.elapsed() + delay > policy.budget || past_deadline {
                return Err(failure.into_error(request, tries));
            }
            if connect_failed
                && origin.origin() == inner.origin.origin()
                && let Some(backup) = &inner.backup_origin
            {
                origin = backup;
            }
            tracing::info!(error = %failure, try_ = tries, ?delay, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// Runs `call` in the call's span and records how it ended.
    async fn traced<T: Outcome>(
        &self,
        request: &Prepared<'_>,
        call: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        let span = tracing::info_span!(
            "wechatpay",
            method = %request.method,
            path = request.template,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            tries = tracing::field::Empty,
            received = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = call.instrument(span.clone()).await;
        let _entered = span.enter();
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(outcome) => outcome.record(&span),
            Err(error) => {
                if let Some(status) = error.status() {
                    span.record("status", status.as_u16());
                }
                span.record("tries", error.tries());
                if let Some(id) = error.request_id() {
                    span.record("request_id", id);
                }
                tracing::warn!(error = %chain(error), "call failed");
            }
        }
        result
    }
}

/// A call that went through, as its span records it.
trait Outcome {
    fn record(&self, span: &tracing::Span);
}

impl Outcome for Response<'_> {
    fn record(&self, span: &tracing::Span) {
        span.record("status", self.status.as_u16());
        span.record("tries", self.tries);
        if let Some(id) = &self.request_id {
            span.record("request_id", id.as_str());
        }
        if self.verified {
            tracing::debug!("response verified");
        } else {
            tracing::debug!("response read, its signature left to the caller");
        }
    }
}

impl Outcome for StreamedResponse {
    fn record(&self, span: &tracing::Span) {
        span.record("status", self.status.as_u16());
        span.record("tries", self.tries);
        span.record("received", self.received);
        if let Some(id) = &self.request_id {
            span.record("request_id", id.as_str());
        }
        tracing::debug!("response streamed");
    }
}
