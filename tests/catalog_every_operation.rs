//! The sandbox serves every operation of the catalog: each is called through the dynamic
//! form with a minimal valid request synthesised here from the catalog (its required
//! members only), and its response checked against the catalog's response schema.
//!
//! The exceptions, tested below: the operations whose response is a file (fetched with
//! `download_file`, the bill through its own bill request). Uploads send their file in
//! the part the operation names (`file`, or `submission_file`…).

use std::sync::atomic::{AtomicUsize, Ordering};

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use wechat_endpoint::bill::BillFile;
use wechat_endpoint::catalog::{Body, JsonType, Location, Member, OPERATIONS, Operation, ResponseBody, Schema};
use wechat_endpoint::media::MediaFile;
use wechat_endpoint::sandbox::{CATALOG_FILE, KeyMode, MCHID, Sandbox};
use wechat_endpoint::sensitive::Sensitive;
use wechat_endpoint::{Client, Error, Method};

/// A request value: plain JSON, a sensitive text the client encrypts, or a container.
enum Synth {
    Plain(Value),
    Sensitive(String),
    Object(Vec<(&'static str, Synth)>),
    Array(Vec<Synth>),
}

impl Serialize for Synth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Synth::Plain(value) => value.serialize(serializer),
            Synth::Sensitive(text) => Sensitive::new(text.clone()).serialize(serializer),
            Synth::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (name, value) in members {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
            Synth::Array(elements) => {
                let mut seq = serializer.serialize_seq(Some(elements.len()))?;
                for element in elements {
                    seq.serialize_element(element)?;
                }
                seq.end()
            }
        }
    }
}

/// A minimal valid value of `schema`: objects with their required members only.
fn synth(name: &str, schema: &Schema, sensitive: bool) -> Synth {
    match schema.ty {
        JsonType::Object => Synth::Object(required(schema.members)),
        JsonType::Array => {
            let count = schema.min_items.unwrap_or(1).max(1);
            let items = schema.items.copied().unwrap_or(Schema::of(JsonType::String));
            Synth::Array((0..count).map(|_| synth(name, &items, sensitive)).collect())
        }
        _ if sensitive => Synth::Sensitive(schema.sample_text(name)),
        JsonType::Integer | JsonType::Number => Synth::Plain(schema.sample_integer().into()),
        JsonType::Boolean => Synth::Plain(true.into()),
        _ => Synth::Plain(schema.sample_text(name).into()),
    }
}

fn required(members: &'static [Member]) -> Vec<(&'static str, Synth)> {
    members.iter().filter(|member| member.required).map(|member| (member.name, member_value(member))).collect()
}

/// A member's value; the sandbox's own routes (orders, bills) check more than the
/// catalog says, as the gateway does: the merchant is the one that signs, a bill date is
/// a date, an order number has 6 to 32 characters, a callback URL is https, a card
/// number is digits.
fn member_value(member: &Member) -> Synth {
    static ORDERS: AtomicUsize = AtomicUsize::new(0);
    let mut text = match member.name {
        "mchid" | "sp_mchid" => MCHID.to_owned(),
        "bill_date" => "2026-01-01".to_owned(),
        // Each order its own number: the sandbox keeps orders.
        "out_trade_no" => format!("sandbox-order-{:04}", ORDERS.fetch_add(1, Ordering::Relaxed)),
        "notify_url" => "https://sandbox.invalid/notify".to_owned(),
        "account_number" if member.sensitive => return Synth::Sensitive("6222000000000000".to_owned()),
        _ => return synth(member.name, &member.schema, member.sensitive),
    };
    while text.chars().count() < member.schema.min_length.unwrap_or(0) as usize {
        text.push('0');
    }
    Synth::Plain(text.into())
}

/// The query value of a member, as text or a sensitive text.
fn query_value(member: &Member) -> Synth {
    match member_value(member) {
        Synth::Plain(Value::String(text)) => Synth::Plain(Value::String(text)),
        Synth::Plain(other) => Synth::Plain(Value::String(other.to_string())),
        Synth::Sensitive(text) => Synth::Sensitive(text),
        _ => Synth::Plain(Value::String("1".into())),
    }
}

fn method(op: &Operation) -> Method {
    Method::from_bytes(op.method.as_str().as_bytes()).unwrap()
}

fn path_value(op: &Operation, name: &str) -> String {
    match op.parameter(Location::Path, name) {
        Some(member) if matches!(member.schema.ty, JsonType::Integer | JsonType::Number) => {
            member.schema.sample_integer().to_string()
        }
        Some(member) => member.schema.sample_text(name),
        None => "1".to_owned(),
    }
}

fn placeholders(op: &Operation) -> impl Iterator<Item = &'static str> {
    op.path_template.split('/').filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
}

/// The operation called with a minimal valid request.
async fn call(client: &Client, op: &Operation) -> Result<Value, Error> {
    let mut request = client.request(method(op), op.path_template);
    for name in placeholders(op) {
        request = request.path(name, path_value(op, name));
    }
    let query: Vec<(&str, Synth)> =
        op.query().filter(|member| member.required).map(|member| (member.name, query_value(member))).collect();
    if !query.is_empty() {
        request = request.query(&query);
    }
    match op.body {
        Body::Json(members) => request = request.json(&Synth::Object(required(members))),
        Body::Multipart(parts) => {
            let part = parts.iter().find(|m| m.schema.ty == JsonType::File).map_or("file", |m| m.name);
            request = request.file(MediaFile::from_bytes("sandbox.png", png()).unwrap()).file_part(part);
            // Other required form members (`item_id`…) go in `meta`, as the client's
            // uploads carry their extra fields.
            let extra: Vec<(&str, Synth)> =
                required(parts).into_iter().filter(|(name, _)| *name != "meta" && *name != part).collect();
            if !extra.is_empty() {
                request = request.json(&Synth::Object(extra));
            }
        }
        _ => {}
    }
    request.send().await
}

fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.resize(64, 0);
    bytes
}

/// Problems of `value` against `members`: a required member missing, a member of another
/// JSON type, a value outside its enum.
fn conformance(value: &Value, members: &[Member], path: &str, problems: &mut Vec<String>) {
    let Value::Object(object) = value else {
        problems.push(format!("{path}: not an object"));
        return;
    };
    for member in members {
        let here = format!("{path}.{}", member.name);
        match object.get(member.name) {
            None if member.required => problems.push(format!("{here}: missing")),
            None => {}
            Some(value) => conforms(value, &member.schema, &here, problems),
        }
    }
}

fn conforms(value: &Value, schema: &Schema, path: &str, problems: &mut Vec<String>) {
    let typed = match schema.ty {
        JsonType::String => value.is_string(),
        JsonType::Integer => value.is_i64() || value.is_u64(),
        JsonType::Number => value.is_number(),
        JsonType::Boolean => value.is_boolean(),
        JsonType::Object => value.is_object(),
        JsonType::Array => value.is_array(),
        _ => true,
    };
    if !typed {
        problems.push(format!("{path}: not {}", schema.ty));
        return;
    }
    if let (Value::String(text), Some(first)) = (value, schema.enum_values.first())
        && !schema.enum_values.contains(&text.as_str())
    {
        problems.push(format!("{path}: `{text}` is not an enum value such as {first}"));
    }
    match value {
        Value::Object(_) => conformance(value, schema.members, path, problems),
        Value::Array(elements) => {
            if let Some(items) = schema.items {
                for (i, element) in elements.iter().enumerate() {
                    conforms(element, items, &format!("{path}[{i}]"), problems);
                }
            }
        }
        _ => {}
    }
}

/// Operations outside the dynamic form's reach, with how each is served instead.
fn exception(op: &Operation) -> Option<&'static str> {
    (op.response.body == ResponseBody::File).then_some("file response")
}

#[tokio::test]
async fn every_catalog_operation_is_served() {
    // Platform certificates and the public key both, so that `v3/certificates` is served
    // (a merchant with the public key alone gets 404, as from the gateway).
    let sandbox = Sandbox::start_with(KeyMode::Combined).unwrap();
    let client = sandbox.client().unwrap();
    let mut served = 0;
    let mut failures = Vec::new();
    let mut exceptions = Vec::new();
    for op in OPERATIONS {
        if let Some(why) = exception(op) {
            exceptions.push((op, why));
            continue;
        }
        match call(&client, op).await {
            Ok(value) => {
                let mut problems = Vec::new();
                match op.response.body {
                    ResponseBody::Json(members) => conformance(&value, members, "", &mut problems),
                    ResponseBody::Empty if !value.is_null() => {
                        problems.push("a body where the operation has none".into());
                    }
                    _ => {}
                }
                if problems.is_empty() {
                    served += 1;
                } else {
                    failures.push(format!("{op}: {}", problems.join("; ")));
                }
            }
            Err(error) => failures.push(format!("{op}: {error}")),
        }
    }
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), OPERATIONS.len(), failures.join("\n"));
    let listed: Vec<String> = exceptions.iter().map(|(op, why)| format!("{op} ({why})")).collect();
    assert_eq!(served + exceptions.len(), 1018);
    assert_eq!(exceptions.len(), 3, "{listed:#?}");
    println!("served {served} of 1018 through the dynamic form; {} exceptions: {listed:#?}", exceptions.len());
}

#[tokio::test]
async fn file_responses_are_served_as_files() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let hash = hex(&Sha256::digest(CATALOG_FILE));
    for op in OPERATIONS.iter().filter(|op| op.response.body == ResponseBody::File) {
        if op.path_template == "v3/billdownload/file" {
            // The bill's own route: a bill request gives its download URL.
            let bill = client
                .request(Method::GET, "v3/bill/tradebill")
                .query(&[("bill_date", "2026-01-01")])
                .send_as::<BillFile>()
                .await
                .unwrap();
            let mut out = Vec::new();
            client.download_file(&bill, &mut out).await.unwrap();
            continue;
        }
        let query: Vec<(&str, String)> = op
            .query()
            .filter(|member| member.required)
            .map(|member| (member.name, member.schema.sample_text(member.name)))
            .collect();
        let url =
            reqwest::Url::parse_with_params(&format!("{}{}", sandbox.base_url(), op.path_template), &query).unwrap();
        let file: BillFile = serde_json::from_value(serde_json::json!({
            "hash_type": "SHA256",
            "hash_value": hash,
            "download_url": url.as_str(),
        }))
        .unwrap();
        let mut out = Vec::new();
        client.download_file(&file, &mut out).await.unwrap_or_else(|e| panic!("{op}: {e}"));
        assert_eq!(out, CATALOG_FILE, "{op}");
    }
}

#[tokio::test]
async fn an_upload_whose_file_part_is_named_otherwise_is_refused_without_that_part() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    let mut named_otherwise = 0;
    for op in OPERATIONS.iter() {
        let Body::Multipart(parts) = op.body else { continue };
        let Some(part) = parts.iter().find(|m| m.schema.ty == JsonType::File && m.name != "file") else { continue };
        // The client's default part, `file`, is not the one this operation reads.
        let mut request = client.request(method(op), op.path_template);
        for name in placeholders(op) {
            request = request.path(name, path_value(op, name));
        }
        let request = request.file(MediaFile::from_bytes("sandbox.png", png()).unwrap());
        let Err(Error::Api(error)) = request.send().await else { panic!("{op} was not refused") };
        assert_eq!(error.code.as_deref(), Some("PARAM_ERROR"), "{op}");
        assert_eq!(error.detail.as_ref().unwrap()["field"], part.name, "{op}");
        assert_eq!(error.detail.as_ref().unwrap()["location"], "formData", "{op}");
        named_otherwise += 1;
    }
    assert_eq!(named_otherwise, 2);
}

#[tokio::test]
async fn the_same_request_gets_the_same_body() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client().unwrap();
    // Sensitive response members are ciphertext, which is random: the body is kept.
    let sensitive = OPERATIONS
        .iter()
        .find(|op| {
            op.method == wechat_endpoint::catalog::Method::Get
                && exception(op).is_none()
                && op.response.body.members().iter().any(Member::contains_sensitive)
        })
        .unwrap();
    let plain = wechat_endpoint::catalog::find(
        wechat_endpoint::catalog::Method::Get,
        "v3/pay/transactions/out-trade-no/{out_trade_no}",
    )
    .unwrap();
    for op in [sensitive, plain] {
        let first = call(&client, op).await.unwrap();
        let second = call(&client, op).await.unwrap();
        assert_eq!(first, second, "{op}");
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
