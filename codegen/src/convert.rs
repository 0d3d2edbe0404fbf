//! The specification's APIv3 operations turned into the catalog model: facts only, every
//! irregularity counted in the [`Report`].

use std::collections::BTreeMap;
use std::path::Path;

use yaml_rust2::{Yaml, yaml::Hash};

use crate::model::{Body, JsonType, Location, Member, Method, Operation, Response, ResponseBody, Schema};
use crate::report::Report;
use crate::spec::{RefError, Spec, get, hash, is_prose, key, scalar_text};

/// The path prefixes of the APIv3 operations; the other paths are the XML v2 APIs.
pub const PREFIXES: [&str; 3] = ["/v3/", "/hk/v3/", "/global/v3/"];

/// How deep schemas may nest before the converter stops: far beyond the specification's
/// deepest, a guard against self-containing schemas that reach themselves without a
/// `$ref` cycle.
const MAX_DEPTH: usize = 32;

/// Formats the converter knows the meaning of; any other is kept as written and listed.
const KNOWN_FORMATS: [&str; 17] = [
    "rfc3339",
    "base64",
    "int32",
    "int64",
    "uint32",
    "uint64",
    "uint",
    "integer",
    "numeric",
    "float",
    "date",
    "url",
    "MediaId",
    "MediaUrl",
    "jsonObjectLike",
    "jsonArrayLike",
    "rfc2397",
];

/// The outcome of a conversion.
pub struct Catalog {
    /// The operations, in the catalog's order (by shape, then method).
    pub operations: Vec<Operation>,
    /// The number of paths in `swagger.yaml`.
    pub paths: usize,
    /// The paths left out as not APIv3.
    pub skipped_paths: usize,
    pub report: Report,
}

/// Converts the specification whose entry point is `swagger.yaml` in `spec`.
///
/// # Errors
/// When `swagger.yaml` cannot be read or has no `paths` mapping.
pub fn convert(spec: &mut Spec) -> Result<Catalog, String> {
    let mut report = Report::default();
    let entry = spec.file(Path::new("swagger.yaml"), &mut report).map_err(|e| e.0)?.clone();
    let paths = hash(&entry)
        .and_then(|entry| get(entry, "paths"))
        .and_then(hash)
        .ok_or("swagger.yaml has no `paths` mapping")?
        .clone();
    let mut converter = Converter { spec, report };
    let mut operations = Vec::new();
    let mut skipped_paths = 0;
    for (path, item) in &paths {
        let Some(path) = path.as_str() else {
            converter.report.unused("a path key that is not text", &format!("{path:?}"));
            continue;
        };
        if !PREFIXES.iter().any(|prefix| path.starts_with(prefix)) {
            skipped_paths += 1;
            continue;
        }
        let item = match converter.resolve(item, &[], &mut Vec::new()) {
            Ok(Yaml::Hash(item)) => item,
            Ok(_) => {
                converter.report.unused("a path item that is not a mapping", path);
                continue;
            }
            Err(e) => {
                converter.report.unused("a path item that cannot be read", &format!("{path}: {}", e.0));
                continue;
            }
        };
        for (method, op) in &item {
            let Some(method) = method.as_str().and_then(Method::from_key) else { continue };
            let Some(op) = hash(op) else {
                converter.report.unused("an operation that is not a mapping", path);
                continue;
            };
            operations.push(converter.operation(method, path, op));
        }
    }
    operations.sort_by_cached_key(|op| (shape_key(&op.path_template), op.method, op.path_template.clone()));
    for pair in operations.windows(2) {
        if pair[0].method == pair[1].method && shape_key(&pair[0].path_template) == shape_key(&pair[1].path_template) {
            converter.report.unused("two operations with one method and path shape", &pair[1].label());
        }
    }
    Ok(Catalog { operations, paths: paths.len(), skipped_paths, report: converter.report })
}

/// The catalog's sort key of a template: every placeholder written `{}`, as the catalog
/// crate's `compare_shapes` orders them.
pub fn shape_key(template: &str) -> String {
    template
        .split('/')
        .map(|segment| if segment.starts_with('{') && segment.ends_with('}') { "{}" } else { segment })
        .collect::<Vec<_>>()
        .join("/")
}

struct Converter<'s> {
    spec: &'s mut Spec,
    report: Report,
}

/// Where a schema sits, for the report's examples: `POST v3/… body.store_list[]`.
#[derive(Clone)]
struct Context<'a> {
    op: &'a str,
    at: String,
    location: Location,
    /// The `$ref`s being converted, outermost first.
    active: Vec<String>,
    depth: usize,
}

impl Context<'_> {
    fn example(&self) -> String {
        format!("{} {}", self.op, self.at)
    }

    fn child(&self, at: String) -> Self {
        Context { at, depth: self.depth + 1, ..self.clone() }
    }
}

impl Converter<'_> {
    fn resolve(&mut self, node: &Yaml, active: &[String], followed: &mut Vec<String>) -> Result<Yaml, RefError> {
        self.spec.resolve(node, active, followed, &mut self.report)
    }

    fn operation(&mut self, method: Method, path: &str, op: &Hash) -> Operation {
        let path_template = path.trim_start_matches('/').to_owned();
        let label = format!("{} {}", method.name(), path_template);
        for k in op.keys() {
            match k.as_str() {
                Some(
                    "summary" | "description" | "tags" | "tag" | "parameters" | "responses" | "x-last-updated-at"
                    | "deprecated" | "consumes" | "produces" | "x-baseuri" | "x-is-sensitive",
                ) => {}
                Some(ignored @ ("x-role" | "x-version")) => {
                    self.report.unused(&format!("operation key `{ignored}`"), &label)
                }
                _ => self.report.unused("an unknown operation key", &format!("{label}: {k:?}")),
            }
        }
        let title = match get(op, "summary").and_then(Yaml::as_str) {
            Some(title) => title.trim().to_owned(),
            None => {
                self.report.unused("an operation without `summary`", &label);
                String::new()
            }
        };
        let groups = match (get(op, "tags"), get(op, "tag")) {
            (Some(tags), _) => self.text_list(tags, "`tags`", &label),
            (None, Some(tag)) => {
                self.report.handled("`tag` written for `tags`: read as `tags`", &label);
                self.text_list(tag, "`tag`", &label)
            }
            (None, None) => {
                self.report.unused("an operation without `tags`", &label);
                Vec::new()
            }
        };
        let doc_url = get(op, "description").and_then(Yaml::as_str).and_then(doc_url);
        let updated = get(op, "x-last-updated-at").and_then(|date| self.date(date, &label));
        let deprecated = get(op, "deprecated").and_then(Yaml::as_bool).unwrap_or(false);
        let host = get(op, "x-baseuri").and_then(|uri| self.host(uri, &label));
        let op_sensitive = self.sensitive_names(get(op, "x-is-sensitive"), &label);

        let mut parameters = Vec::new();
        let mut body = Body::None;
        let mut form = Vec::new();
        let empty = Vec::new();
        let params = match get(op, "parameters") {
            Some(Yaml::Array(params)) => params,
            Some(Yaml::Null) | None => &empty,
            Some(_) => {
                self.report.unused("`parameters` that is not a list", &label);
                &empty
            }
        };
        for param in params {
            if matches!(param, Yaml::Hash(h) if h.contains_key(&key("$ref"))) {
                let reference = get(hash(param).expect("a mapping"), "$ref").and_then(Yaml::as_str).unwrap_or("");
                if reference.ends_with("/HTTP_WECHATPAY_SERIAL") {
                    self.report.handled("the `Wechatpay-Serial` header by `$ref` (`HTTP_WECHATPAY_SERIAL`)", &label);
                }
            }
            let mut followed = Vec::new();
            let param = match self.resolve(param, &[], &mut followed) {
                Ok(Yaml::Hash(param)) => param,
                Ok(_) => {
                    self.report.unused("a parameter that is not a mapping", &label);
                    continue;
                }
                Err(e) => {
                    self.report.unused("a parameter `$ref` that cannot be used", &format!("{label}: {}", e.0));
                    continue;
                }
            };
            let name = get(&param, "name").and_then(scalar_text).unwrap_or_default();
            let location = match get(&param, "in").and_then(Yaml::as_str) {
                Some("path") => Location::Path,
                Some("query") => Location::Query,
                Some("header") => Location::Header,
                Some("body") => Location::Body,
                Some("formData") => Location::FormData,
                other => {
                    self.report.unused("a parameter with an unknown `in`", &format!("{label} {name}: {other:?}"));
                    continue;
                }
            };
            let context = Context { op: &label, at: name.clone(), location, active: followed, depth: 0 };
            if location == Location::Body {
                if name != "_" {
                    self.report.handled("a body parameter not named `_`: the name is not sent", &label);
                }
                if !matches!(body, Body::None) {
                    self.report.unused("a second body parameter", &label);
                    continue;
                }
                let Some(schema) = get(&param, "schema") else {
                    self.report.unused("a body parameter without `schema`", &label);
                    continue;
                };
                let context = Context { at: "body".into(), ..context };
                let schema = self.schema(schema, &context);
                if schema.ty != JsonType::Object {
                    self.report.unused("a body that is not an object", &format!("{label}: {:?}", schema.ty));
                }
                body = Body::Json(schema.members);
                continue;
            }
            let required = match (get(&param, "required"), get(&param, "require")) {
                (Some(required), _) => required.as_bool().unwrap_or_else(|| {
                    self.report.unused("a parameter `required` that is not a boolean", &format!("{label} {name}"));
                    false
                }),
                (None, Some(require)) => {
                    self.report.handled(
                        "`require` written for `required` on a parameter: read as `required`",
                        &format!("{label} {name}"),
                    );
                    require.as_bool().unwrap_or(false)
                }
                (None, None) => location == Location::Path,
            };
            let mut facts = param.clone();
            for k in ["name", "in", "required", "require"] {
                facts.remove(&key(k));
            }
            if location == Location::Header && !facts.contains_key(&key("type")) {
                self.report.handled("a header parameter without `type`: a string, as every header value is", &label);
                facts.insert(key("type"), Yaml::String("string".into()));
            }
            let schema = self.schema(&Yaml::Hash(facts), &context);
            let sensitive = encrypted(&schema) || op_sensitive.contains(&name);
            let member = Member { name, location, required, sensitive, schema };
            if location == Location::FormData {
                form.push(member);
            } else {
                parameters.push(member);
            }
        }
        for name in &op_sensitive {
            if !parameters.iter().any(|p| &p.name == name) {
                self.report.unused("an `x-is-sensitive` name with no such parameter", &format!("{label} {name}"));
            }
        }
        if !form.is_empty() {
            if !matches!(body, Body::None) {
                self.report.unused("formData parameters beside a JSON body", &label);
            }
            body = Body::Multipart(form);
        }
        self.check_placeholders(&path_template, &parameters, &label);

        let produces_file = match get(op, "produces") {
            Some(Yaml::Array(types)) => types.iter().any(|t| !matches!(t.as_str(), Some("application/json"))),
            _ => false,
        };
        let response = self.response(get(op, "responses"), produces_file, &label);
        Operation {
            method,
            path_template,
            host,
            title,
            groups,
            doc_url,
            updated,
            deprecated,
            parameters,
            body,
            response,
        }
    }

    fn text_list(&mut self, node: &Yaml, what: &str, label: &str) -> Vec<String> {
        match node {
            Yaml::Array(items) => items.iter().filter_map(scalar_text).collect(),
            Yaml::String(text) => {
                self.report.handled(&format!("{what} that is not a list: read as a list of one"), label);
                vec![text.clone()]
            }
            _ => {
                self.report.unused(&format!("{what} that is neither text nor a list"), label);
                Vec::new()
            }
        }
    }

    /// `x-last-updated-at` (`2025.08.04`) as `2025-08-04`.
    fn date(&mut self, node: &Yaml, label: &str) -> Option<String> {
        let text = scalar_text(node)?;
        let parts: Vec<&str> = text.split(['.', '-']).collect();
        if let [year, month, day] = parts[..]
            && year.len() == 4
            && month.len() == 2
            && day.len() == 2
            && parts.iter().all(|part| part.bytes().all(|b| b.is_ascii_digit()))
        {
            return Some(format!("{year}-{month}-{day}"));
        }
        self.report.unused("an `x-last-updated-at` that is not a `YYYY.MM.DD` date", &format!("{label}: {text}"));
        None
    }

    /// The host of `x-baseuri` (`https://apihk.mch.weixin.qq.com/`).
    fn host(&mut self, node: &Yaml, label: &str) -> Option<String> {
        let uri = node.as_str()?;
        let host = uri.strip_prefix("https://").map(|rest| rest.trim_end_matches('/'));
        match host {
            Some(host) if !host.is_empty() && !host.contains('/') => {
                self.report.handled("`x-baseuri` (another host): kept as `host`", label);
                Some(host.to_owned())
            }
            _ => {
                self.report.unused("an `x-baseuri` that is not `https://host/`", &format!("{label}: {uri}"));
                None
            }
        }
    }

    /// The member names an `x-is-sensitive` list gives.
    fn sensitive_names(&mut self, node: Option<&Yaml>, at: &str) -> Vec<String> {
        match node {
            None => Vec::new(),
            Some(Yaml::Array(names)) => names.iter().filter_map(scalar_text).collect(),
            Some(other) => {
                self.report.unused(
                    "an `x-is-sensitive` that is not a list of names (AES-GCM `ciphertext`, not RSA)",
                    &format!("{at}: {}", scalar_text(other).unwrap_or_default()),
                );
                Vec::new()
            }
        }
    }

    fn check_placeholders(&mut self, template: &str, parameters: &[Member], label: &str) {
        let placeholders: Vec<&str> = template
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        for placeholder in &placeholders {
            if !parameters.iter().any(|p| p.location == Location::Path && p.name == *placeholder) {
                self.report.unused("a path placeholder with no path parameter", &format!("{label}: {placeholder}"));
            }
        }
        for p in parameters.iter().filter(|p| p.location == Location::Path) {
            if !placeholders.contains(&p.name.as_str()) {
                self.report.unused("a path parameter with no placeholder in the path", &format!("{label}: {}", p.name));
            }
        }
    }

    fn response(&mut self, responses: Option<&Yaml>, produces_file: bool, label: &str) -> Response {
        let mut success: BTreeMap<u16, Yaml> = BTreeMap::new();
        if let Some(responses) = responses.and_then(hash) {
            for (status, response) in responses {
                let code = match status {
                    Yaml::Integer(code) => {
                        self.report.handled("an unquoted status key (`200:`): read like `'200':`", label);
                        u16::try_from(*code).ok()
                    }
                    Yaml::String(code) => code.parse::<u16>().ok(),
                    _ => None,
                };
                match code {
                    Some(code @ 200..=299) => {
                        success.insert(code, response.clone());
                    }
                    Some(code) => self.report.unused("an error response (not carried)", &format!("{label}: {code}")),
                    None => self.report.unused("a status key that is not a number", &format!("{label}: {status:?}")),
                }
            }
        }
        let Some((&status, response)) = success.iter().next() else {
            self.report.unused("an operation without a success response: 200, no body", label);
            return Response { status: 200, body: ResponseBody::Empty };
        };
        if success.len() > 1 {
            self.report.unused("a second success response (the first is kept)", label);
        }
        let response = hash(response).cloned().unwrap_or_default();
        if get(&response, "headers").is_some() {
            self.report.unused("response headers (not carried)", label);
        }
        let context =
            Context { op: label, at: "response".into(), location: Location::Body, active: Vec::new(), depth: 0 };
        let body = match get(&response, "schema") {
            _ if produces_file => ResponseBody::File,
            None | Some(Yaml::Null) => ResponseBody::Empty,
            Some(schema) => {
                let schema = self.schema(schema, &context);
                match schema.ty {
                    JsonType::File => ResponseBody::File,
                    JsonType::Object => ResponseBody::Json(schema.members),
                    JsonType::Any if status == 204 => ResponseBody::Empty,
                    JsonType::Any => {
                        self.report.unused("a response `schema: {}` with nothing in it: Unspecified", label);
                        ResponseBody::Unspecified
                    }
                    other => {
                        self.report.unused("a response that is not an object", &format!("{label}: {other:?}"));
                        ResponseBody::Unspecified
                    }
                }
            }
        };
        Response { status, body }
    }

    /// The schema of `node`: its `$ref` followed, its `allOf` merged, its facts read.
    fn schema(&mut self, node: &Yaml, context: &Context) -> Schema {
        if context.depth > MAX_DEPTH {
            self.report.unused("a schema nested deeper than the converter follows", &context.example());
            return Schema::of(JsonType::Any);
        }
        let mut followed = Vec::new();
        let node = match self.flatten(node, &context.active, &mut followed, context) {
            Ok(node) => node,
            Err(e) => {
                self.report.unused("a `$ref` that cannot be used", &format!("{}: {}", context.example(), e.0));
                return Schema::of(JsonType::Any);
            }
        };
        let mut context = context.clone();
        context.active.extend(followed);
        let Yaml::Hash(node) = node else {
            if node != Yaml::Null {
                self.report.unused("a schema that is not a mapping", &context.example());
            } else {
                self.report.unused("an empty schema (`name:` with nothing)", &context.example());
            }
            return Schema::of(JsonType::Any);
        };
        self.schema_facts(&node, &context)
    }

    /// `node` resolved, with its `allOf` parts (resolved, recursively flattened) merged
    /// in order and its own keys last.
    fn flatten(
        &mut self,
        node: &Yaml,
        active: &[String],
        followed: &mut Vec<String>,
        context: &Context,
    ) -> Result<Yaml, RefError> {
        let node = self.resolve(node, active, followed)?;
        let Yaml::Hash(mut own) = node else { return Ok(node) };
        let Some(parts) = own.remove(&key("allOf")) else { return Ok(Yaml::Hash(own)) };
        self.report
            .handled("`allOf`: the parts merged (members, `required` and `enum` values joined)", &context.example());
        let mut merged = Hash::new();
        let parts = match parts {
            Yaml::Array(parts) => parts,
            other => {
                self.report.unused("an `allOf` that is not a list", &context.example());
                vec![other]
            }
        };
        // Each part is its own chain: two parts may reach one shared base.
        let mut active_here = active.to_vec();
        active_here.extend(followed.iter().cloned());
        let mut reached = Vec::new();
        for part in parts {
            let mut part_followed = Vec::new();
            let part = self.flatten(&part, &active_here, &mut part_followed, context)?;
            reached.extend(part_followed);
            match part {
                Yaml::Hash(part) => merge(&mut merged, part),
                _ => self.report.unused("an `allOf` part that is not a mapping", &context.example()),
            }
        }
        followed.extend(reached);
        merge(&mut merged, own);
        Ok(Yaml::Hash(merged))
    }

    fn schema_facts(&mut self, node: &Hash, context: &Context) -> Schema {
        let at = context.example();
        let declared_type = get(node, "type");
        let type_text = declared_type.and_then(Yaml::as_str);
        if let Some(text) = type_text
            && text.trim() != text
        {
            self.report.handled("a `type` with stray spaces (`string `): read trimmed", &at);
        }
        let ty = match type_text.map(str::trim) {
            Some("string") => JsonType::String,
            Some("integer") => JsonType::Integer,
            Some("number") => JsonType::Number,
            Some("boolean") => JsonType::Boolean,
            Some("object") => JsonType::Object,
            Some("array") => JsonType::Array,
            Some("file") => JsonType::File,
            Some(other) => {
                self.report.unused("an unknown `type`", &format!("{at}: {other}"));
                JsonType::Any
            }
            None if declared_type.is_some() => {
                self.report.unused("a `type` that is not text", &at);
                JsonType::Any
            }
            None if node.contains_key(&key("properties")) => {
                self.report.handled("`properties` without `type`: read as an object", &at);
                JsonType::Object
            }
            None if node.contains_key(&key("items")) => {
                self.report.handled("`items` without `type`: read as an array", &at);
                JsonType::Array
            }
            None => JsonType::Any,
        };
        let mut schema = Schema::of(ty);
        let mut required = Vec::new();
        let mut sensitive = Vec::new();
        let mut properties = None;
        let mut misplaced = Hash::new();
        for (k, value) in node {
            let Some(name) = k.as_str() else {
                self.report.unused("a schema key that is not text", &at);
                continue;
            };
            match name {
                "type" => {}
                "format" => match scalar_text(value) {
                    Some(format) => {
                        if !KNOWN_FORMATS.contains(&format.as_str()) {
                            self.report
                                .unused(&format!("format `{format}`, of no known meaning (kept as written)"), &at);
                        }
                        schema.format = Some(format);
                    }
                    None => self.report.unused("a `format` that is not text", &at),
                },
                "enum" => match value {
                    Yaml::Array(values) => {
                        for value in values {
                            match scalar_text(value) {
                                Some(text) => schema.enum_values.push(text),
                                None => self.report.unused("an `enum` value that is not a scalar", &at),
                            }
                        }
                    }
                    _ => self.report.unused("an `enum` that is not a list", &at),
                },
                "minLength" => schema.min_length = self.bound(value, name, &at),
                "maxLength" => schema.max_length = self.bound(value, name, &at),
                "minItems" => schema.min_items = self.bound(value, name, &at),
                "maxItems" => schema.max_items = self.bound(value, name, &at),
                "minimum" => schema.minimum = self.number(value, name, &at),
                "maximum" => schema.maximum = self.number(value, name, &at),
                "pattern" => schema.pattern = value.as_str().map(str::to_owned),
                "nullable" => schema.nullable = value.as_bool().unwrap_or(false),
                "required" => match value {
                    Yaml::Array(names) => required.extend(names.iter().filter_map(scalar_text)),
                    Yaml::String(text) => {
                        self.report
                            .handled("a schema `required` that is one name, not a list: read as a list of one", &at);
                        required.push(text.clone());
                    }
                    Yaml::Null => {}
                    _ => self.report.unused("a schema `required` that is neither a list nor a name", &at),
                },
                "properties" => match value {
                    Yaml::Hash(props) => properties = Some(props.clone()),
                    Yaml::Null => self.report.handled("`properties: null`: read as no members", &at),
                    _ => self.report.unused("`properties` that is not a mapping", &at),
                },
                "items" => {
                    let child = context.child(format!("{}[]", context.at));
                    schema.items = Some(Box::new(self.schema(value, &child)));
                }
                "x-is-sensitive" => sensitive = self.sensitive_names(Some(value), &at),
                "schema" if context.location == Location::FormData => {
                    self.report.unused("a formData part's `schema` (the JSON inside `meta`, not carried)", &at);
                }
                "x-json" | "x-key" | "x-cdata" | "default" => {
                    self.report.unused(&format!("schema key `{name}` (not carried)"), &at);
                }
                _ if is_prose(k) => {}
                // `properties: null` followed by the members one level too far out.
                _ if ty == JsonType::Object
                    && matches!(get(node, "properties"), Some(Yaml::Null))
                    && hash(value).is_some_and(|member| member.contains_key(&key("type"))) =>
                {
                    self.report.handled(
                        "members written beside `properties: null` instead of inside it: read as members",
                        &format!("{at}.{name}"),
                    );
                    misplaced.insert(k.clone(), value.clone());
                }
                _ => self.report.unused(&format!("an unknown schema key `{name}`"), &at),
            }
        }
        if !misplaced.is_empty() {
            properties = Some(misplaced);
        }
        if let Some(props) = properties {
            if ty != JsonType::Object {
                self.report.unused("`properties` on a schema of another type (members kept)", &format!("{at}: {ty:?}"));
            }
            for (name, value) in &props {
                let Some(name) = scalar_text(name) else { continue };
                let child = context.child(format!("{}.{name}", context.at));
                let member_schema = self.schema(value, &child);
                let sensitive_here = encrypted(&member_schema) || sensitive.contains(&name);
                schema.members.push(Member {
                    required: required.contains(&name),
                    sensitive: sensitive_here,
                    location: context.location,
                    schema: member_schema,
                    name,
                });
            }
        }
        for name in &required {
            if !schema.members.iter().any(|member| &member.name == name) {
                self.report.unused("a `required` name with no such member", &format!("{at}: {name}"));
            }
        }
        for name in &sensitive {
            if !schema.members.iter().any(|member| &member.name == name) {
                self.report.unused("an `x-is-sensitive` name with no such member", &format!("{at}: {name}"));
            }
        }
        if ty == JsonType::Array && schema.items.is_none() {
            self.report.unused("an array without `items`", &at);
        }
        schema
    }

    fn bound(&mut self, value: &Yaml, name: &str, at: &str) -> Option<u32> {
        let bound = value.as_i64().and_then(|n| u32::try_from(n).ok());
        if bound.is_none() {
            self.report.unused(&format!("a `{name}` that is not a whole number"), at);
        }
        bound
    }

    fn number(&mut self, value: &Yaml, name: &str, at: &str) -> Option<i64> {
        let number = value.as_i64();
        if number.is_none() {
            self.report.unused(&format!("a `{name}` that is not a whole number"), at);
        }
        number
    }
}

/// Whether a value is RSA-OAEP encrypted: `format: base64`, or an array of such values
/// (each element encrypted on its own).
fn encrypted(schema: &Schema) -> bool {
    schema.format.as_deref() == Some("base64")
        || (schema.ty == JsonType::Array && schema.items.as_deref().is_some_and(encrypted))
}

/// Merges `part` into `merged`: `required` and `enum` lists joined, `properties` joined member by
/// member (a member in both merged the same way), any other key replaced.
fn merge(merged: &mut Hash, part: Hash) {
    for (k, value) in part {
        match (k.as_str(), merged.get_mut(&k), value) {
            // An `enum` beside a `$ref` to an enumeration extends it (`bill_type`:
            // `BillType`'s `ALL`, `SUCCESS`, `REFUND` and four more).
            (Some("required" | "enum"), Some(Yaml::Array(names)), Yaml::Array(more)) => {
                for name in more {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
            (Some("properties"), Some(Yaml::Hash(members)), Yaml::Hash(more)) => {
                for (name, schema) in more {
                    match (members.get_mut(&name), schema) {
                        (Some(Yaml::Hash(existing)), Yaml::Hash(schema)) => merge(existing, schema),
                        (_, schema) => {
                            members.insert(name, schema);
                        }
                    }
                }
            }
            (_, _, value) => {
                merged.insert(k, value);
            }
        }
    }
}

/// The official documentation link of a description: the first Markdown link labelled
/// `官方文档` or `官方开发文档`. Only the address is kept, never the prose.
fn doc_url(description: &str) -> Option<String> {
    ["[官方文档](", "[官方开发文档]("]
        .iter()
        .filter_map(|label| description.find(label).map(|at| at + label.len()))
        .min()
        .and_then(|start| {
            let rest = &description[start..];
            let end = rest.find(')')?;
            let url = rest[..end].trim();
            url.starts_with("https://").then(|| url.to_owned())
        })
}

#[cfg(test)]
mod tests;
