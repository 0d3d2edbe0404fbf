//! A request checked against its catalog operation as the gateway checks it: required
//! members, JSON types, enum values, length and numeric bounds, nested objects and
//! arrays; members the operation does not list are ignored, as the gateway ignores them.
//! Sensitive members must decrypt under the key `Wechatpay-Serial` names.
//!
//! The first failure is reported, naming the member by its path (`store_list[0].store_id`)
//! and its location, never by its value.

use std::collections::BTreeMap;

use http::StatusCode;
use serde_json::{Value, json};

use super::media;
use super::routes::{SandboxRequest, SandboxResponse};
use crate::catalog::{Body, JsonType, Location, Member, Operation, Schema};
use crate::crypto::verify::header;
use crate::pipeline::error::JsonError;

/// Nesting deeper than this is not looked into (the catalog's schemas are far shallower).
const MAX_DEPTH: usize = 32;

/// The request's top-level scalar values by member name (path, query and body, sensitive
/// ones decrypted), for the response to echo.
pub(super) type Echo = BTreeMap<&'static str, Echoed>;

/// A request value a response may echo. Its `Debug` leaves the value out: it may be a
/// decrypted sensitive value.
#[derive(Clone, PartialEq, serde::Serialize)]
pub(super) struct Echoed {
    /// The value, a sensitive one decrypted.
    pub(super) value: Value,
    /// Whether it was sent encrypted: a response echoes it only in a sensitive member.
    pub(super) sensitive: bool,
}

impl std::fmt::Debug for Echoed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Echoed").field("sensitive", &self.sensitive).finish_non_exhaustive()
    }
}

impl Echoed {
    fn plain(value: Value) -> Self {
        Echoed { value, sensitive: false }
    }
}

/// Why a request is refused: `400 PARAM_ERROR` with `detail{field, location, issue}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Refusal {
    field: String,
    location: Location,
    issue: String,
}

impl Refusal {
    /// The gateway's `400 PARAM_ERROR` response for this refusal.
    pub(super) fn response(&self) -> SandboxResponse {
        SandboxResponse::json(
            StatusCode::BAD_REQUEST,
            json!({
                "code": "PARAM_ERROR",
                "message": format!("{} member `{}` {}", self.location, self.field, self.issue),
                "detail": { "field": self.field, "location": self.location.to_string(), "issue": self.issue },
            }),
        )
    }
}

/// Checks `req` against `op`, whose path placeholders it matched with `path` (by the
/// catalog's placeholder names); returns the values the response may echo.
pub(super) fn check(op: &Operation, path: &[(&'static str, String)], req: &SandboxRequest) -> Result<Echo, Refusal> {
    let serial = req.headers.get(header::SERIAL).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let mut checker = Checker { serial, steps: Vec::new(), location: Location::Path, echo: Echo::new() };
    for (name, value) in path {
        checker.location = Location::Path;
        let member = op.parameter(Location::Path, name);
        checker.text_member(name, member, value)?;
    }
    for member in op.query() {
        checker.location = Location::Query;
        match req.query_value(member.name) {
            Some(value) => checker.text_member(member.name, Some(member), value)?,
            None if member.required => return Err(checker.refuse(member.name, "is required")),
            None => {}
        }
    }
    match op.body {
        Body::Json(members) => checker.json_body(members, &req.body)?,
        Body::Multipart(members) => checker.multipart_body(members, req)?,
        _ => {}
    }
    Ok(checker.echo)
}

/// One step of a member's path: a name or an array index.
enum Step<'a> {
    Name(&'a str),
    Index(usize),
}

struct Checker<'r> {
    serial: &'r str,
    steps: Vec<Step<'static>>,
    location: Location,
    echo: Echo,
}

impl Checker<'_> {
    /// A refusal of the member at the current path followed by `last`.
    fn refuse(&self, last: &str, issue: impl Into<String>) -> Refusal {
        let mut field = self.field();
        if !last.is_empty() {
            if !field.is_empty() {
                field.push('.');
            }
            field.push_str(last);
        }
        Refusal { field, location: self.location, issue: issue.into() }
    }

    /// A refusal of the member at the current path.
    fn refuse_here(&self, issue: impl Into<String>) -> Refusal {
        self.refuse("", issue)
    }

    fn field(&self) -> String {
        let mut field = String::new();
        for step in &self.steps {
            match step {
                Step::Name(name) => {
                    if !field.is_empty() {
                        field.push('.');
                    }
                    field.push_str(name);
                }
                Step::Index(i) => field.push_str(&format!("[{i}]")),
            }
        }
        field
    }

    /// A path or query value: text, which must parse as the member's type.
    fn text_member(&mut self, name: &'static str, member: Option<&Member>, text: &str) -> Result<(), Refusal> {
        self.steps.push(Step::Name(name));
        let result = self.text_value(name, member, text);
        self.steps.pop();
        result
    }

    fn text_value(&mut self, name: &'static str, member: Option<&Member>, text: &str) -> Result<(), Refusal> {
        let Some(member) = member else {
            self.echo.insert(name, Echoed::plain(Value::String(text.to_owned())));
            return Ok(());
        };
        if member.sensitive {
            let plaintext = self.decrypt(text)?;
            self.echo.insert(name, Echoed { value: Value::String(plaintext), sensitive: true });
            return Ok(());
        }
        let schema = &member.schema;
        let value = match schema.ty {
            JsonType::Integer => match text.parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => match text.parse::<u64>() {
                    Ok(n) => Value::from(n),
                    Err(_) => return Err(self.refuse_here("must be an integer")),
                },
            },
            JsonType::Number => match serde_json::from_str::<serde_json::Number>(text) {
                Ok(n) => Value::Number(n),
                Err(_) => return Err(self.refuse_here("must be a number")),
            },
            JsonType::Boolean => match text {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => return Err(self.refuse_here("must be `true` or `false`")),
            },
            _ => Value::String(text.to_owned()),
        };
        self.scalar(&value, schema)?;
        self.echo.insert(name, Echoed::plain(value));
        Ok(())
    }

    fn json_body(&mut self, members: &'static [Member], body: &[u8]) -> Result<(), Refusal> {
        self.location = Location::Body;
        let object = if body.iter().all(u8::is_ascii_whitespace) {
            serde_json::Map::new()
        } else {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(object)) => object,
                Ok(_) => return Err(self.refuse_here("must be a JSON object (the body)")),
                Err(e) => return Err(self.refuse_here(format!("is not a JSON object: {}", JsonError::new(e)))),
            }
        };
        self.members(members, &object, 0, true)
    }

    /// The parts of a `multipart/form-data` upload: each required part present; a
    /// `meta` part a JSON object. A required member that is neither the file nor `meta`
    /// (`item_id`…) may come as a part of its own or as a member of the `meta` JSON,
    /// where the client's uploads carry their extra fields.
    fn multipart_body(&mut self, members: &'static [Member], req: &SandboxRequest) -> Result<(), Refusal> {
        self.location = Location::FormData;
        let parts = match media::form_parts(&req.headers, &req.body) {
            Ok(parts) => parts,
            Err(issue) => return Err(self.refuse_here(issue)),
        };
        let meta =
            parts.iter().find(|part| part.name == "meta").map(|part| serde_json::from_slice::<Value>(&part.data));
        if members.iter().any(|member| member.name == "meta") && !matches!(meta, None | Some(Ok(Value::Object(_)))) {
            return Err(self.refuse("meta", "must be a JSON object"));
        }
        for member in members.iter().filter(|member| member.required) {
            let in_parts = parts.iter().any(|part| part.name == member.name);
            let in_meta = member.schema.ty != JsonType::File
                && matches!(&meta, Some(Ok(Value::Object(object))) if object.contains_key(member.name));
            if !in_parts && !in_meta {
                return Err(self.refuse(member.name, "is required (a multipart part)"));
            }
        }
        Ok(())
    }

    /// The members of an object; `top` when they are the body's, whose scalars are echoed.
    fn members(
        &mut self,
        members: &'static [Member],
        object: &serde_json::Map<String, Value>,
        depth: usize,
        top: bool,
    ) -> Result<(), Refusal> {
        for member in members {
            let value = object.get(member.name).filter(|v| !v.is_null());
            let Some(value) = value else {
                if member.required {
                    return Err(self.refuse(member.name, "is required"));
                }
                continue;
            };
            self.steps.push(Step::Name(member.name));
            let plaintext = self.value(value, &member.schema, member.sensitive, depth + 1)?;
            self.steps.pop();
            if top && !matches!(value, Value::Object(_) | Value::Array(_)) {
                let echoed = match plaintext {
                    Some(plaintext) => Echoed { value: plaintext, sensitive: true },
                    None => Echoed::plain(value.clone()),
                };
                self.echo.insert(member.name, echoed);
            }
        }
        Ok(())
    }

    /// Checks one JSON value; returns the plaintext of a sensitive string.
    fn value(
        &mut self,
        value: &Value,
        schema: &Schema,
        sensitive: bool,
        depth: usize,
    ) -> Result<Option<Value>, Refusal> {
        if value.is_null() && schema.nullable {
            return Ok(None);
        }
        if sensitive && schema.ty != JsonType::Array {
            let Value::String(ciphertext) = value else {
                return Err(self.refuse_here(format!("must be a string (RSA-OAEP ciphertext), not {}", kind(value))));
            };
            return self.decrypt(ciphertext).map(|plaintext| Some(Value::String(plaintext)));
        }
        match schema.ty {
            JsonType::Object => {
                let Value::Object(object) = value else {
                    return Err(self.refuse_here(format!("must be an object, not {}", kind(value))));
                };
                if depth < MAX_DEPTH {
                    self.members(schema.members, object, depth, false)?;
                }
            }
            JsonType::Array => {
                let Value::Array(elements) = value else {
                    return Err(self.refuse_here(format!("must be an array, not {}", kind(value))));
                };
                let len = u32::try_from(elements.len()).unwrap_or(u32::MAX);
                if let Some(min) = schema.min_items.filter(|&min| len < min) {
                    return Err(self.refuse_here(format!("has {len} elements; at least {min}")));
                }
                if let Some(max) = schema.max_items.filter(|&max| len > max) {
                    return Err(self.refuse_here(format!("has {len} elements; at most {max}")));
                }
                if let Some(items) = schema.items.filter(|_| depth < MAX_DEPTH) {
                    for (i, element) in elements.iter().enumerate() {
                        self.steps.push(Step::Index(i));
                        self.value(element, items, sensitive, depth + 1)?;
                        self.steps.pop();
                    }
                }
            }
            _ => self.scalar(value, schema)?,
        }
        Ok(None)
    }

    /// Checks a string, number or boolean: its type, enum values and bounds.
    fn scalar(&self, value: &Value, schema: &Schema) -> Result<(), Refusal> {
        let fits = match schema.ty {
            JsonType::String => value.is_string(),
            JsonType::Integer => value.is_i64() || value.is_u64(),
            JsonType::Number => value.is_number(),
            JsonType::Boolean => value.is_boolean(),
            JsonType::Object => value.is_object(),
            JsonType::Array => value.is_array(),
            JsonType::File | JsonType::Any => true,
            _ => true,
        };
        if !fits {
            return Err(self.refuse_here(format!("must be {}, not {}", article(schema.ty), kind(value))));
        }
        if !in_enum(schema.enum_values, value) {
            return Err(self.refuse_here(format!("must be one of {}", schema.enum_values.join(", "))));
        }
        if let Value::String(text) = value {
            let chars = u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
            if let Some(min) = schema.min_length.filter(|&min| chars < min) {
                return Err(self.refuse_here(format!("has {chars} characters; at least {min}")));
            }
            if let Some(max) = schema.max_length.filter(|&max| chars > max) {
                return Err(self.refuse_here(format!("has {chars} characters; at most {max}")));
            }
        }
        if let Value::Number(number) = value {
            let n = number.as_i64().map(i128::from).or_else(|| number.as_u64().map(i128::from));
            let below =
                |min: i64| n.map_or_else(|| number.as_f64().is_some_and(|f| f < min as f64), |n| n < i128::from(min));
            let above =
                |max: i64| n.map_or_else(|| number.as_f64().is_some_and(|f| f > max as f64), |n| n > i128::from(max));
            if let Some(min) = schema.minimum.filter(|&min| below(min)) {
                return Err(self.refuse_here(format!("is below the least value {min}")));
            }
            if let Some(max) = schema.maximum.filter(|&max| above(max)) {
                return Err(self.refuse_here(format!("is above the greatest value {max}")));
            }
        }
        Ok(())
    }

    /// The plaintext of a sensitive value, decrypted under the key `Wechatpay-Serial` names.
    fn decrypt(&self, ciphertext: &str) -> Result<String, Refusal> {
        super::decrypt_sensitive(self.serial, ciphertext).map_err(|issue| self.refuse_here(issue))
    }
}

/// Whether `value` is one of `values` (any value when there are none); numbers compare
/// as numbers, so `1` and `1.0` are the enum value `"1"`.
pub(super) fn in_enum(values: &[&str], value: &Value) -> bool {
    values.is_empty()
        || match value {
            Value::String(text) => values.contains(&text.as_str()),
            Value::Number(number) => values.iter().any(|allowed| {
                serde_json::from_str::<serde_json::Number>(allowed)
                    .is_ok_and(|allowed| allowed == *number || allowed.as_f64() == number.as_f64())
            }),
            other => values.contains(&other.to_string().as_str()),
        }
}

/// "a string", "an integer", … for messages.
fn article(ty: JsonType) -> String {
    let word = ty.to_string();
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { format!("an {word}") } else { format!("a {word}") }
}

/// The JSON kind of a value, never the value itself.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Method, find};

    fn request(query: &[(&str, &str)], body: Value) -> SandboxRequest {
        SandboxRequest {
            method: http::Method::POST,
            target: String::new(),
            headers: http::HeaderMap::new(),
            path: Default::default(),
            query: query.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            body: body.to_string().into(),
        }
    }

    const CLOSE: &str = "v3/combine-transactions/out-trade-no/{combine_out_trade_no}/close";

    fn close_body(sub_order: Value) -> Value {
        json!({ "combine_appid": "wx1", "sub_orders": [{ "mchid": "1", "out_trade_no": "2" }, sub_order] })
    }

    #[test]
    fn a_nested_member_is_named_by_its_path_and_null_is_absent() {
        let op = find(Method::Post, CLOSE).unwrap();
        let path = [("combine_out_trade_no", "P1".to_owned())];
        let echo = check(op, &path, &request(&[], close_body(json!({ "mchid": "1", "out_trade_no": "3" })))).unwrap();
        assert_eq!(echo["combine_out_trade_no"].value, "P1");
        assert_eq!(echo["combine_appid"].value, "wx1");
        let refusal = check(op, &path, &request(&[], close_body(json!({ "mchid": "1", "out_trade_no": null }))));
        assert_eq!(
            refusal.unwrap_err(),
            Refusal {
                field: "sub_orders[1].out_trade_no".into(),
                location: Location::Body,
                issue: "is required".into()
            }
        );
        let refusal = check(op, &path, &request(&[], close_body(json!({ "mchid": 1, "out_trade_no": "3" }))));
        assert_eq!(refusal.unwrap_err().field, "sub_orders[1].mchid");
        let refusal = check(op, &path, &request(&[], json!([])));
        assert_eq!(refusal.unwrap_err().issue, "must be a JSON object (the body)");
    }

    #[test]
    fn the_response_names_the_member_not_its_value() {
        let refusal = Refusal { field: "a.b".into(), location: Location::Query, issue: "must be an integer".into() };
        let response = refusal.response();
        assert_eq!(response.status, StatusCode::BAD_REQUEST);
        let body: Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(body["code"], "PARAM_ERROR");
        assert_eq!(body["message"], "query member `a.b` must be an integer");
        assert_eq!(body["detail"], json!({ "field": "a.b", "location": "query", "issue": "must be an integer" }));
    }

    #[test]
    fn numbers_match_enum_values_as_numbers() {
        assert!(in_enum(&["1", "2"], &json!(1)));
        assert!(in_enum(&["1", "2"], &json!(2.0)));
        assert!(!in_enum(&["1", "2"], &json!(3)));
        assert!(!in_enum(&["1", "2"], &json!("3")));
        assert!(in_enum(&[], &json!("anything")));
    }
}
