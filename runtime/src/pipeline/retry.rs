//! When a failed call is tried again, and how long to wait first.

use std::time::Duration;

use http::StatusCode;
use rand::Rng as _;

use crate::pipeline::failure::Failure;

/// How failed calls are retried.
///
/// Only failures that say nothing was done are retried: connection failures
/// ([`Error::Connect`](crate::Error::Connect): the request never left this machine),
/// `5xx` and `429` responses.
/// Any other `4xx` is final, and so is a timeout once the request was written (the
/// gateway may have acted). Each try sends the same target and body (so the same `out_trade_no` or
/// `out_request_no`, the gateway's idempotency keys), freshly signed with a new nonce and
/// timestamp.
///
/// Calls whose method is not idempotent (`POST`, `PATCH`) are retried only when a
/// connection could not be opened at all (and then on the backup host, when one is
/// set), unless [`non_idempotent`](Self::non_idempotent)
/// is set here or the endpoint declares itself idempotent: a `500` or a dropped
/// connection after a `POST` does not prove the payment, refund or transfer was not
/// made, and only an endpoint whose body carries an idempotency key is safe to send
/// twice.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Tries in all, the first included; 1 disables retries.
    pub max_tries: u32,
    /// The wait before the second try; it doubles for each try after.
    pub initial_backoff: Duration,
    /// The longest wait between two tries.
    pub max_backoff: Duration,
    /// No retry starts once this much time has passed since the first try.
    pub budget: Duration,
    /// Retry non-idempotent calls after `5xx`, `429` and dropped connections too.
    pub non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Three tries, 200 ms then 400 ms apart (with jitter), within 10 s; idempotent calls
    /// only.
    fn default() -> Self {
        RetryPolicy {
            max_tries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            budget: Duration::from_secs(10),
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// One try only.
    pub fn none() -> Self {
        RetryPolicy { max_tries: 1, ..Self::default() }
    }

    /// Sets [`max_tries`](Self::max_tries).
    pub fn max_tries(mut self, tries: u32) -> Self {
        self.max_tries = tries.max(1);
        self
    }

    /// Sets [`initial_backoff`](Self::initial_backoff) and
    /// [`max_backoff`](Self::max_backoff).
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets [`budget`](Self::budget).
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Sets [`non_idempotent`](Self::non_idempotent).
    pub fn non_idempotent(mut self, allowed: bool) -> Self {
        self.non_idempotent = allowed;
        self
    }

    /// The wait before try `next` (2 for the first retry): exponential, with full
    /// jitter, never below `retry_after`.
    pub(crate) fn delay(&self, next: u32, retry_after: Option<Duration>) -> Duration {
        let exponent = next.saturating_sub(2).min(20);
        let ceiling = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        let jittered = ceiling.mul_f64(rand::rng().random_range(0.5..=1.0));
        retry_after.map_or(jittered, |after| after.max(jittered))
    }
}

/// What a failed try allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Final.
    Stop,
    /// Try again, after at least this long when the gateway said so.
    Retry { retry_after: Option<Duration>, connect_failed: bool },
}

/// What the failed try `failure` allows for a request that is `idempotent` or not.
pub(crate) fn classify(failure: &Failure, idempotent: bool, policy: &RetryPolicy) -> Verdict {
    let may_repeat = idempotent || policy.non_idempotent;
    match failure {
        Failure::Connect(_) => Verdict::Retry { retry_after: None, connect_failed: true },
        Failure::Transport(_) if may_repeat => Verdict::Retry { retry_after: None, connect_failed: false },
        Failure::Refused(refusal)
            if may_repeat && (refusal.status.is_server_error() || refusal.status == StatusCode::TOO_MANY_REQUESTS) =>
        {
            Verdict::Retry { retry_after: refusal.retry_after, connect_failed: false }
        }
        _ => Verdict::Stop,
    }
}

/// Reads `Retry-After` as seconds; an HTTP date or junk is ignored.
pub(crate) fn parse_retry_after(value: Option<&http::HeaderValue>) -> Option<Duration> {
    let seconds: u64 = value?.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds.min(3600)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_are_capped_and_honour_retry_after() {
        let policy = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(300));
        for _ in 0..100 {
            let second = policy.delay(2, None);
            assert!((Duration::from_millis(50)..=Duration::from_millis(100)).contains(&second), "{second:?}");
            let late = policy.delay(9, None);
            assert!(late <= Duration::from_millis(300), "{late:?}");
            assert_eq!(policy.delay(2, Some(Duration::from_secs(2))), Duration::from_secs(2));
        }
    }

    #[test]
    fn retry_after_is_read_as_seconds() {
        let v = |s: &'static str| Some(http::HeaderValue::from_static(s));
        assert_eq!(parse_retry_after(v("3").as_ref()), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(v("Wed, 21 Oct 2015 07:28:00 GMT").as_ref()), None);
        assert_eq!(parse_retry_after(v("-1").as_ref()), None);
        assert_eq!(parse_retry_after(None), None);
    }
}
