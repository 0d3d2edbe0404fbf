//! Routes the sandbox serves, matched against `{placeholder}` templates.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use http_body_util::combinators::UnsyncBoxBody;
use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::pipeline::error::TemplateError;
use crate::template;

/// A request that passed the sandbox's signature checks, as a route handler sees it.
#[derive(Debug, Clone)]
pub struct SandboxRequest {
    /// The method.
    pub method: Method,
    /// The raw request target, exactly as received.
    pub target: String,
    /// The headers.
    pub headers: HeaderMap,
    /// Path values by placeholder name, percent-decoded.
    pub path: HashMap<String, String>,
    /// Query pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The raw body.
    pub body: Bytes,
}

impl SandboxRequest {
    /// The path value for `name`.
    pub fn path_value(&self, name: &str) -> Option<&str> {
        self.path.get(name).map(String::as_str)
    }

    /// The first query value for `key`.
    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The body as JSON, or a `400 PARAM_ERROR` response naming what is wrong.
    ///
    /// # Errors
    ///
    /// The `400 PARAM_ERROR` response, naming what serde_json found wrong.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, SandboxResponse> {
        serde_json::from_slice(&self.body)
            .map_err(|e| SandboxResponse::error(StatusCode::BAD_REQUEST, "PARAM_ERROR", format!("body: {e}")))
    }
}

/// What a route responds with: a status and a body, JSON unless made with [`raw`](Self::raw).
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxResponse {
    /// The status.
    pub status: StatusCode,
    /// The body bytes; empty sends no body.
    pub body: Bytes,
    /// The `Content-Type` of a non-empty body.
    pub content_type: &'static str,
}

impl SandboxResponse {
    /// `200 OK` with a JSON body.
    pub fn ok(body: Value) -> Self {
        Self::json(StatusCode::OK, body)
    }

    /// `status` with a JSON body.
    pub fn json(status: StatusCode, body: Value) -> Self {
        SandboxResponse { status, body: Bytes::from(body.to_string()), content_type: "application/json; charset=utf-8" }
    }

    /// `status` with a body as given, sent as `text/plain`.
    pub fn raw(status: StatusCode, body: impl Into<Bytes>) -> Self {
        SandboxResponse { status, body: body.into(), content_type: "text/plain; charset=utf-8" }
    }

    /// `204 No Content`.
    pub fn no_content() -> Self {
        SandboxResponse { status: StatusCode::NO_CONTENT, body: Bytes::new(), content_type: "" }
    }

    /// An error response in the gateway's shape: `{"code","message"}`.
    pub fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self::json(status, json!({ "code": code, "message": message.into() }))
    }
}

/// A route handler.
pub type Handler = Arc<dyn Fn(&SandboxRequest) -> SandboxResponse + Send + Sync>;

/// A streamed body, and what ends it early.
pub(crate) type StreamBody = UnsyncBoxBody<Bytes, Box<dyn std::error::Error + Send + Sync>>;

/// What a route gives back: a response the sandbox signs, like every API response of
/// the gateway, or a file streamed unsigned, like the gateway's bill files.
pub(crate) enum Reply {
    Signed(SandboxResponse),
    File {
        /// The `Content-Type`.
        content_type: &'static str,
        body: StreamBody,
    },
}

impl Reply {
    /// The status the reply is sent with.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Reply::Signed(response) => response.status,
            Reply::File { .. } => StatusCode::OK,
        }
    }
}

/// A built-in route's handler, which may stream a file.
pub(crate) type Serve = Arc<dyn Fn(&SandboxRequest) -> Reply + Send + Sync>;

pub(crate) struct Route {
    method: Method,
    segments: Vec<Segment>,
    serve: Serve,
}

enum Segment {
    /// Percent-decoded, to compare with decoded request segments.
    Literal(String),
    Param(String),
}

impl Route {
    /// A route for `template`, checked with the grammar of the dynamic form (see
    /// [`TemplateError`]): `/`-separated segments, `{name}` or `<name>` for a
    /// whole-segment placeholder, a leading `/` optional.
    pub(crate) fn parse(method: Method, template: &str, handler: Handler) -> Result<Self, TemplateError> {
        Self::parse_serving(method, template, Arc::new(move |req| Reply::Signed(handler(req))))
    }

    fn parse_serving(method: Method, template: &str, serve: Serve) -> Result<Self, TemplateError> {
        let parsed = crate::pipeline::error::parse_template(template)?;
        let segments = parsed
            .segments()
            .iter()
            .map(|segment| match segment {
                template::Segment::Literal(text) => {
                    Segment::Literal(percent_decode_str(text).decode_utf8_lossy().into_owned())
                }
                template::Segment::Placeholder(name) => Segment::Param(name.clone()),
            })
            .collect();
        Ok(Route { method, segments, serve })
    }

    /// [`parse`](Self::parse) for the sandbox's own routes, whose templates are
    /// constants that every sandbox start registers.
    pub(crate) fn new(method: Method, template: &str, handler: Handler) -> Self {
        Self::parse(method, template, handler).unwrap_or_else(|e| panic!("built-in sandbox route: {e}"))
    }

    /// [`new`](Self::new) for a built-in route that may stream a file.
    pub(crate) fn serving(method: Method, template: &str, serve: Serve) -> Self {
        Self::parse_serving(method, template, serve).unwrap_or_else(|e| panic!("built-in sandbox route: {e}"))
    }

    /// The path values when `path` (raw, percent-encoded) matches; each segment is
    /// decoded on its own, so `%2F` stays inside its segment.
    fn matches(&self, path: &str) -> Option<HashMap<String, String>> {
        let raw: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        if raw.len() != self.segments.len() {
            return None;
        }
        let mut values = HashMap::new();
        for (segment, raw) in self.segments.iter().zip(raw) {
            let decoded = percent_decode_str(raw).decode_utf8().ok()?;
            match segment {
                Segment::Literal(text) if *text == decoded => {}
                Segment::Literal(_) => return None,
                Segment::Param(name) => {
                    values.insert(name.clone(), decoded.into_owned());
                }
            }
        }
        Some(values)
    }
}

/// Routes in registration order; later registrations win, so users can override the
/// built-in ones.
#[derive(Default)]
pub(crate) struct Router {
    routes: Vec<Route>,
}

pub(crate) enum Routed {
    Found(Serve, HashMap<String, String>),
    WrongMethod,
    NotFound,
}

impl Router {
    pub(crate) fn add(&mut self, route: Route) {
        self.routes.push(route);
    }

    pub(crate) fn find(&self, method: &Method, path: &str) -> Routed {
        let mut wrong_method = false;
        for route in self.routes.iter().rev() {
            if let Some(values) = route.matches(path) {
                if route.method == *method {
                    return Routed::Found(route.serve.clone(), values);
                }
                wrong_method = true;
            }
        }
        if wrong_method { Routed::WrongMethod } else { Routed::NotFound }
    }
}
