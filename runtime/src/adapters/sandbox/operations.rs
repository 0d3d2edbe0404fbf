//! Every operation of the catalog, served after the sandbox's own routes: a request is
//! matched to its operation by method and path, checked as the gateway checks it
//! ([`validate`](super::validate)), and given a body synthesised from the response schema
//! ([`synthesis`](super::synthesis)).

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;
use http::StatusCode;
use http_body_util::{BodyExt as _, Full};
use percent_encoding::percent_decode_str;

use super::routes::{Reply, SandboxRequest, SandboxResponse};
use super::{lock, synthesis, validate};
use crate::catalog::{Method, OPERATIONS, Operation, ResponseBody};
use crate::crypto::VerifyingKey;

/// The bytes every catalog operation whose response is a file serves (unsigned, as the
/// gateway serves files), but `v3/billdownload/file`, which serves the bill set with
/// [`Sandbox::serve_bill`](super::Sandbox::serve_bill).
pub const CATALOG_FILE: &[u8] = b"wechat-endpoint sandbox file\n";

/// Bodies holding ciphertext kept for the same request to get the same body; past this
/// many, new ones are synthesised afresh each time.
const MAX_CACHED: usize = 4096;

/// One operation's path, ready to match.
struct Entry {
    op: &'static Operation,
    /// Each segment: its literal text, or `None` for a placeholder.
    segments: Box<[Option<&'static str>]>,
    /// One bit per segment, the first the highest, set for a literal: where two templates
    /// match, the one with the earlier literal wins (`id/{x}` over `{y}/close`).
    literals: u64,
}

/// What a path names in the catalog.
pub(super) enum Matched {
    /// The operation, and its path values by the catalog's placeholder names.
    Operation(&'static Operation, Vec<(&'static str, String)>),
    /// The path is the catalog's, with other methods.
    WrongMethod,
    /// No operation has this path.
    NotFound,
}

/// The catalog's operations by number of path segments, and the bodies cached.
pub(crate) struct Operations {
    by_len: Vec<Vec<Entry>>,
    cached: Mutex<HashMap<(Method, &'static str, String), Bytes>>,
}

impl Default for Operations {
    fn default() -> Self {
        let mut by_len: Vec<Vec<Entry>> = Vec::new();
        for op in OPERATIONS {
            let segments: Box<[Option<&'static str>]> = op
                .path_template
                .split('/')
                .map(|segment| (!(segment.starts_with('{') && segment.ends_with('}'))).then_some(segment))
                .collect();
            let literals = segments
                .iter()
                .take(64)
                .enumerate()
                .filter(|(_, segment)| segment.is_some())
                .fold(0u64, |bits, (i, _)| bits | (1 << (63 - i)));
            let len = segments.len();
            if by_len.len() <= len {
                by_len.resize_with(len + 1, Vec::new);
            }
            by_len[len].push(Entry { op, segments, literals });
        }
        Operations { by_len, cached: Mutex::default() }
    }
}

impl Operations {
    /// The operation `method path` (`path` raw, percent-encoded, with or without its
    /// leading `/`), placeholders matching one non-empty segment each.
    pub(super) fn find(&self, method: &http::Method, path: &str) -> Matched {
        let path = path.strip_prefix('/').unwrap_or(path);
        let Some(entries) = self.by_len.get(path.split('/').count()) else {
            return Matched::NotFound;
        };
        let method = Method::from_name(method.as_str());
        let mut best: Option<&Entry> = None;
        let mut path_known = false;
        for entry in entries {
            if !matches(&entry.segments, path) {
                continue;
            }
            path_known = true;
            if Some(entry.op.method) == method && best.is_none_or(|best| entry.literals > best.literals) {
                best = Some(entry);
            }
        }
        let Some(entry) = best else {
            return if path_known { Matched::WrongMethod } else { Matched::NotFound };
        };
        let names = entry.op.path_template.split('/');
        let values = names
            .zip(path.split('/'))
            .filter_map(|(name, raw)| {
                let name = name.strip_prefix('{')?.strip_suffix('}')?;
                Some((name, percent_decode_str(raw).decode_utf8_lossy().into_owned()))
            })
            .collect();
        Matched::Operation(entry.op, values)
    }

    /// Checks `req` against `op` and responds as the gateway would.
    pub(super) fn serve(
        &self,
        op: &'static Operation,
        path: &[(&'static str, String)],
        req: &SandboxRequest,
        merchant_key: &VerifyingKey,
    ) -> Reply {
        let echo = match validate::check(op, path, req) {
            Ok(echo) => echo,
            Err(refusal) => return Reply::Signed(refusal.response()),
        };
        let status = StatusCode::from_u16(op.response.status).unwrap_or(StatusCode::OK);
        let members = match op.response.body {
            ResponseBody::Json(members) => members,
            ResponseBody::File => {
                let body = Full::new(Bytes::from_static(CATALOG_FILE)).map_err(|never| match never {}).boxed_unsync();
                return Reply::File { content_type: "application/octet-stream", body };
            }
            ResponseBody::Unspecified => return Reply::Signed(SandboxResponse::json(status, serde_json::json!({}))),
            _ => return Reply::Signed(SandboxResponse { status, ..SandboxResponse::no_content() }),
        };
        let cached = members.iter().any(|member| member.contains_sensitive());
        let key = cached.then(|| (op.method, op.path_template, serde_json::to_string(&echo).unwrap_or_default()));
        if let Some(body) = key.as_ref().and_then(|key| lock(&self.cached).get(key).cloned()) {
            return Reply::Signed(SandboxResponse { body, ..SandboxResponse::json(status, serde_json::Value::Null) });
        }
        let body = match synthesis::body(members, &echo, merchant_key) {
            Ok(body) => body,
            Err(_) => {
                return Reply::Signed(SandboxResponse::error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "SYSTEM_ERROR",
                    "the sandbox could not encrypt a sensitive response member",
                ));
            }
        };
        let response = SandboxResponse::json(status, body);
        if let Some(key) = key {
            let mut cached = lock(&self.cached);
            if cached.len() < MAX_CACHED {
                cached.entry(key).or_insert_with(|| response.body.clone());
            }
        }
        Reply::Signed(response)
    }
}

/// Whether the raw `path` has the template's literal segments and a non-empty segment
/// for each placeholder. A literal compares with the segment percent-decoded.
fn matches(segments: &[Option<&str>], path: &str) -> bool {
    segments.iter().zip(path.split('/')).all(|(segment, raw)| match segment {
        None => !raw.is_empty(),
        Some(literal) => {
            *literal == raw || (raw.contains('%') && percent_decode_str(raw).decode_utf8().is_ok_and(|d| d == *literal))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(method: http::Method, path: &str) -> Option<(&'static str, Vec<(&'static str, String)>)> {
        match Operations::default().find(&method, path) {
            Matched::Operation(op, values) => Some((op.path_template, values)),
            _ => None,
        }
    }

    #[test]
    fn every_catalog_path_matches_its_own_operation() {
        let operations = Operations::default();
        for op in OPERATIONS {
            let path: Vec<&str> = op
                .path_template
                .split('/')
                .map(|segment| if segment.starts_with('{') { "p-1" } else { segment })
                .collect();
            let path = path.join("/");
            let method = http::Method::from_bytes(op.method.as_str().as_bytes()).unwrap();
            let Matched::Operation(found, _) = operations.find(&method, &path) else {
                panic!("{op} is not matched");
            };
            assert!(crate::catalog::same_shape(found.path_template, op.path_template), "{op} matched {found}");
        }
    }

    #[test]
    fn placeholders_take_decoded_values_and_literals_win() {
        let (template, values) = found(http::Method::GET, "/v3/pay/transactions/id/4200%2F1").unwrap();
        assert_eq!(template, "v3/pay/transactions/id/{transaction_id}");
        assert_eq!(values, [("transaction_id", "4200/1".to_owned())]);
        assert!(found(http::Method::GET, "v3/pay/transactions/id/").is_none());
        assert!(matches!(Operations::default().find(&http::Method::GET, "v3/nothing/here"), Matched::NotFound));
        assert!(matches!(
            Operations::default().find(&http::Method::DELETE, "v3/pay/transactions/id/1"),
            Matched::WrongMethod
        ));
    }
}
