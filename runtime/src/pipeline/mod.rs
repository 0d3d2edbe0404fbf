//! The request pipeline: every request the client sends goes through it, once.
//!
//! | file | what it does |
//! | --- | --- |
//! | `client` | the [`Client`](client::Client) and its state, shared by every clone; what features may ask of it |
//! | `endpoint` | the [`Endpoint`](endpoint::Endpoint) contract and the target writer |
//! | `send` | `Client::send`: an endpoint's struct to a [`Prepared`](request::Prepared) request, called, decoded |
//! | `request` | a request ready to sign: method, target, payload, route |
//! | `seal` | sensitive values written as markers, encrypted before signing |
//! | `multipart` | media files and the `multipart/form-data` body signed over its `meta` |
//! | `call` | one call: the retry loop (`try_op`), its span, and the error it ends with |
//! | `attempt` | one try: sign, set the headers, transmit, read the response as the call's mode says |
//! | `retry` | the retry policy and the classification of failed tries |
//! | `failure` | how one try failed, before the call's context makes it an [`Error`](error::Error) |
//! | `response` | a buffered response, its decoding, and a streamed one |
//! | `stream` | streamed responses: where they may come from, their limits, and their sink |
//! | `error` | [`Error`](error::Error) and the error types it carries |
//!
//! A call reads its response in one of three modes: buffered and verified (API calls),
//! buffered and unverified (the platform certificate download, which its caller checks
//! with the keys it brings), and streamed and unverified (bill files, checked by their
//! digest). Signing, headers, the tracing span, fail-over to the backup host and the
//! classification of failures are the same for all three.
//!
//! The pipeline depends on [`crypto`](crate::crypto) beside it and on nothing above it:
//! certificate mode's downloads reach it through the [`KeyRefresh`](client::KeyRefresh)
//! hook that the builder wires in.

pub(crate) mod attempt;
pub(crate) mod call;
pub(crate) mod client;
pub(crate) mod endpoint;
pub(crate) mod error;
pub(crate) mod failure;
pub(crate) mod multipart;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod retry;
pub(crate) mod seal;
pub(crate) mod send;
pub(crate) mod stream;
