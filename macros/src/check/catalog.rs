//! The declaration against WeChat Pay's own description of the operation: the catalog of
//! APIv3 operations (`wechat-endpoint-catalog`).
//!
//! A declaration whose method and template name a catalog operation (placeholders by
//! position, their names free) has its query and body fields compared, by serialised
//! name, with the operation's members: each must exist, where the field sends it; each
//! required member must be declared; a Rust type that is plainly another JSON type is
//! wrong; a sensitive member must be encrypted. A path the catalog has only with other
//! methods, or one literal segment away from a catalog path, is reported; any other path
//! compiles, as the catalog may lag the gateway. `unchecked` skips all of it.
//!
//! Only what the macro sees plainly is judged: types are recognised by name as written,
//! so aliases, generic parameters and the user's own types are not; neither are members
//! nested in them.

use syn::{GenericArgument, PathArguments, Type};
use wechat_endpoint_catalog::{self as catalog, Body, JsonType, Location, Member, Operation, Schema};

use crate::ctxt::Ctxt;
use crate::model::{Endpoint, Field, Role};
use crate::parse::args::{Method, sends_body};
use crate::parse::field::Placement;
use crate::suggest::{closest, edit_distance};

/// Records every way `endpoint` disagrees with the catalog.
pub(crate) fn check(cx: &Ctxt, endpoint: &Endpoint) {
    if endpoint.unchecked {
        return;
    }
    let Some(method) = endpoint.method else {
        return;
    };
    if method != Method::Post && endpoint.fields.iter().any(|field| field.role == Role::File) {
        // An upload that is not a POST is reported as such; the catalog has nothing to add.
        return;
    }
    let template = endpoint.template_lit.value();
    match catalog::find_by_shape(method, &template) {
        Some(operation) => Members::new(endpoint, operation).check(cx),
        None => unknown_path(cx, endpoint, method, &template),
    }
}

const UNCHECKED_HINT: &str = "if the gateway has it and the catalog is behind, add `unchecked` to \
                              `#[wechat_endpoint(...)]`";

/// The path is not in the catalog with this method: wrong when the path has other
/// methods or is a near miss of a catalog path; otherwise left alone.
fn unknown_path(cx: &Ctxt, endpoint: &Endpoint, method: catalog::Method, template: &str) {
    let others = catalog::operations_at(template);
    if !others.is_empty() {
        cx.error_spanned_by(
            &endpoint.template_lit,
            format!(
                "WeChat Pay has no `{method} {path}`; this path takes {methods} (write \
                 `#[wechat_endpoint({first}, …)]`); {UNCHECKED_HINT}",
                path = template.strip_prefix('/').unwrap_or(template),
                methods = methods_of(others),
                first = others[0].method,
            ),
        );
        return;
    }
    if let Some(near) = near_miss(template, method) {
        let at = catalog::operations_at(near);
        let methods = if at.iter().any(|op| op.method == method) {
            String::new()
        } else {
            format!(", which takes {}", methods_of(at))
        };
        cx.error_spanned_by(
            &endpoint.template_lit,
            format!(
                "WeChat Pay has no `{method} {path}`; did you mean `{near}`{methods}? {UNCHECKED_HINT}",
                path = template.strip_prefix('/').unwrap_or(template),
            ),
        );
    }
}

/// `GET`, `GET and PATCH`, `GET, PATCH and DELETE`.
fn methods_of(operations: &[Operation]) -> String {
    let mut names: Vec<String> = operations.iter().map(|op| format!("`{}`", op.method)).collect();
    names.dedup();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// The catalog path one literal segment away from `template` (same number of segments,
/// placeholders at the same positions), that segment within a typo's distance; among
/// several, the closest, those with `method` first.
fn near_miss(template: &str, method: catalog::Method) -> Option<&'static str> {
    let segments: Vec<&str> = template.strip_prefix('/').unwrap_or(template).split('/').collect();
    let mut best: Option<(bool, usize, &'static str)> = None;
    for path in catalog::paths() {
        let theirs: Vec<&str> = path.split('/').collect();
        if theirs.len() != segments.len() {
            continue;
        }
        let mut differing = None;
        let mut fits = true;
        for (ours, theirs) in segments.iter().zip(&theirs) {
            match (is_placeholder(ours), is_placeholder(theirs)) {
                (true, true) => {}
                (false, false) if ours == theirs => {}
                (false, false) if differing.is_none() => differing = Some((*ours, *theirs)),
                _ => {
                    fits = false;
                    break;
                }
            }
        }
        let Some((ours, theirs)) = differing.filter(|_| fits) else {
            continue;
        };
        let distance = edit_distance(ours, theirs);
        // Two edits at most, one for a segment of fewer than six characters: `v3` and
        // `v4` are one typo apart, `pay` and `day` are two words.
        let limit = (ours.chars().count() / 3).clamp(1, 2);
        if distance > limit {
            continue;
        }
        let missing_method = !catalog::operations_at(path).iter().any(|op| op.method == method);
        let key = (missing_method, distance, path);
        if best.is_none_or(|best| (key.0, key.1) < (best.0, best.1)) {
            best = Some(key);
        }
    }
    best.map(|(_, _, path)| path)
}

fn is_placeholder(segment: &str) -> bool {
    segment.len() >= 2
        && ((segment.starts_with('{') && segment.ends_with('}'))
            || (segment.starts_with('<') && segment.ends_with('>')))
}

/// A query or body field as the gateway receives it.
struct Sent<'f, 'a> {
    field: &'f Field<'a>,
    /// The serialised name.
    name: String,
}

impl Sent<'_, '_> {
    /// Where an error about the name points: the `rename` literal, else the field.
    fn name_tokens(&self) -> proc_macro2::TokenStream {
        match &self.field.serde.rename {
            Some(lit) => quote::ToTokens::into_token_stream(lit),
            None => quote::ToTokens::into_token_stream(self.field.ident),
        }
    }

    /// Where an error about the place points: the `#[wechat(query)]`/`#[wechat(body)]`
    /// keyword, else the field.
    fn place_tokens(&self) -> proc_macro2::TokenStream {
        match &self.field.attr.placement {
            Some((_, keyword)) => quote::ToTokens::into_token_stream(keyword),
            None => quote::ToTokens::into_token_stream(self.field.ident),
        }
    }
}

/// The fields of a declaration against the members of its operation.
struct Members<'e, 'a> {
    endpoint: &'e Endpoint<'a>,
    operation: &'static Operation,
    query: Vec<Sent<'e, 'a>>,
    body: Vec<Sent<'e, 'a>>,
    /// A `flatten` field sends members the macro cannot see: nothing is unknown or
    /// missing.
    flattened: bool,
    /// Whether a field's name was not computed (an unknown `rename_all` rule, which serde
    /// reports): then no member counts as missing.
    names_unknown: bool,
}

impl<'e, 'a> Members<'e, 'a> {
    fn new(endpoint: &'e Endpoint<'a>, operation: &'static Operation) -> Self {
        let mut members = Members {
            endpoint,
            operation,
            query: Vec::new(),
            body: Vec::new(),
            flattened: false,
            names_unknown: false,
        };
        let rename_all = endpoint.serde.rename_all.as_ref().map(syn::LitStr::value);
        for field in &endpoint.fields {
            if !matches!(field.role, Role::Query | Role::Body) || field.serde.skipped {
                continue;
            }
            if field.serde.flatten {
                members.flattened = true;
                continue;
            }
            let name = match (&field.serde.rename, &rename_all) {
                (Some(lit), _) => Some(lit.value()),
                (None, Some(rule)) => rename_field(&field.name, rule),
                (None, None) => Some(field.name.clone()),
            };
            let Some(name) = name else {
                members.names_unknown = true;
                continue;
            };
            let sent = Sent { field, name };
            match field.role {
                Role::Query => members.query.push(sent),
                _ => members.body.push(sent),
            }
        }
        members
    }

    /// The file goes in the part the operation names (`file`, or `submission_file`…).
    fn check_file_part(&self, cx: &Ctxt, parts: &[Member]) {
        let Some(wanted) = parts.iter().find(|part| part.schema.ty == JsonType::File) else {
            return;
        };
        let Some(field) = self.endpoint.fields_in(Role::File).next() else {
            return;
        };
        let given = field.attr.file_part.as_ref().map(|name| name.value());
        if given.as_deref().unwrap_or("file") == wanted.name {
            return;
        }
        let operation = self.operation;
        let fix = match wanted.name {
            "file" => "#[wechat(file)]".to_owned(),
            name => format!("#[wechat(file = \"{name}\")]"),
        };
        let message = format!("`{operation}` takes its file in the part `{name}`: write `{fix}`", name = wanted.name);
        match (&field.attr.file_part, &field.attr.placement) {
            (Some(literal), _) => cx.error_spanned_by(literal, message),
            (None, Some((_, keyword))) => cx.error_spanned_by(keyword, message),
            (None, None) => cx.error_spanned_by(field.ident, message),
        }
    }

    fn check(&self, cx: &Ctxt) {
        let operation = self.operation;
        let upload = self.endpoint.fields_in(Role::File).next().is_some();
        let json_body = match operation.body {
            Body::Multipart(_) if !upload => {
                cx.error_spanned_by(
                    self.endpoint.ident,
                    format!(
                        "`{operation}` is a media upload (multipart/form-data): give the file a field \
                         `#[wechat(file)] file: wechat_endpoint::media::MediaFile`"
                    ),
                );
                return;
            }
            // The upload's `meta` members are not in the catalog: only the query and the
            // file part's name are checked.
            Body::Multipart(parts) => {
                self.check_file_part(cx, parts);
                None
            }
            Body::Json(members) => Some(members),
            Body::None => Some(&[][..]),
            // A kind of body added to the catalog later: not judged.
            _ => None,
        };
        if upload && !matches!(operation.body, Body::Multipart(_)) {
            let keyword = self
                .endpoint
                .fields
                .iter()
                .find_map(|f| match &f.attr.placement {
                    Some((Placement::File, keyword)) => Some(keyword),
                    _ => None,
                })
                .expect("an upload has a file field");
            cx.error_spanned_by(
                keyword,
                format!("`{operation}` is not a media upload; its body is JSON: remove `#[wechat(file)]`"),
            );
        }
        let query: Vec<&'static Member> = operation.query().collect();
        for sent in &self.query {
            let body: Vec<&'static Member> = json_body.unwrap_or(&[]).iter().collect();
            self.member(cx, sent, Location::Query, &query, &body);
        }
        if let Some(body) = json_body {
            let body: Vec<&'static Member> = body.iter().collect();
            let body = &body[..];
            for sent in &self.body {
                self.member(cx, sent, Location::Body, body, &query);
            }
            self.required(cx, Location::Body, body, &self.body);
        }
        self.required(cx, Location::Query, &query, &self.query);
    }

    /// One field: a member of its place, of the right type, encrypted if sensitive.
    fn member(
        &self,
        cx: &Ctxt,
        sent: &Sent,
        location: Location,
        members: &[&'static Member],
        other_place: &[&'static Member],
    ) {
        let operation = self.operation;
        let name = &sent.name;
        let Some(member) = members.iter().find(|member| member.name == *name) else {
            if let Some(elsewhere) = other_place.iter().find(|member| member.name == *name) {
                self.misplaced(cx, sent, location, elsewhere);
            } else if let Some(header) = operation
                .parameters
                .iter()
                .find(|p| p.location == Location::Header && p.name.eq_ignore_ascii_case(name))
            {
                cx.error_spanned_by(
                    sent.name_tokens(),
                    format!(
                        "`{header}` is a request header of `{operation}`, which the client sets; remove the field",
                        header = header.name
                    ),
                );
            } else if !self.flattened {
                self.unknown(cx, sent, location, members);
            }
            return;
        };
        self.typed(cx, sent, member);
        self.encrypted(cx, sent, member);
    }

    fn unknown(&self, cx: &Ctxt, sent: &Sent, location: Location, members: &[&'static Member]) {
        let operation = self.operation;
        let place = place(location);
        let names = members.iter().map(|member| member.name);
        let message = match closest(&sent.name, names.clone()) {
            Some(near) => format!(
                "`{name}` is not a member of {place} of `{operation}`; did you mean `{near}`?",
                name = sent.name
            ),
            None if members.is_empty() => {
                format!("`{operation}` takes nothing in {place}, and `{name}` goes there", name = sent.name)
            }
            None => format!(
                "`{name}` is not a member of {place} of `{operation}`; its members are {listed}",
                name = sent.name,
                listed = names.map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        cx.error_spanned_by(sent.name_tokens(), message);
    }

    /// A field sent to the body that the operation takes in the query, or the reverse.
    fn misplaced(&self, cx: &Ctxt, sent: &Sent, location: Location, member: &Member) {
        let operation = self.operation;
        let fix = match (&sent.field.attr.placement, member.location) {
            (Some((placement, _)), _) => format!("remove `#[wechat({})]`", placement.as_str()),
            (None, Location::Query) => "mark it `#[wechat(query)]`".to_owned(),
            (None, _) => "mark it `#[wechat(body)]`".to_owned(),
        };
        cx.error_spanned_by(
            sent.place_tokens(),
            format!(
                "`{operation}` takes `{name}` in {theirs}, and this field sends it in {ours}; {fix}",
                name = sent.name,
                theirs = place(member.location),
                ours = place(location),
            ),
        );
    }

    /// Every required member of `members` has a field.
    fn required(&self, cx: &Ctxt, location: Location, members: &[&'static Member], sent: &[Sent]) {
        if self.flattened || self.names_unknown {
            return;
        }
        let operation = self.operation;
        for member in members.iter().filter(|member| member.required) {
            // A field of that name sent to the other place, or a name that is a typo of it,
            // is reported already.
            let declared = self.query.iter().chain(&self.body).any(|sent| {
                sent.name == member.name || (!self.known(&sent.name) && closest(&sent.name, [member.name]).is_some())
            });
            if declared || sent.iter().any(|sent| sent.name == member.name) {
                continue;
            }
            let where_to = match (location, self.endpoint.method.is_some_and(sends_body)) {
                (Location::Query, true) => " marked `#[wechat(query)]`",
                (Location::Body, false) => " marked `#[wechat(body)]`",
                _ => "",
            };
            cx.error_spanned_by(
                self.endpoint.ident,
                format!(
                    "`{operation}` requires the member `{name}` in {place}; add a field `{name}: {ty}`{where_to} \
                     (an `Option` if it may be left out)",
                    name = member.name,
                    place = place(location),
                    ty = rust_type(&member.schema),
                ),
            );
        }
    }

    /// Whether `name` is a query or body member of the operation.
    fn known(&self, name: &str) -> bool {
        self.operation.query().chain(self.operation.body.members()).any(|member| member.name == name)
    }

    /// The field's type is not plainly another JSON type. The query sends every value as
    /// text, so only the body's types are judged.
    fn typed(&self, cx: &Ctxt, sent: &Sent, member: &Member) {
        if member.location != Location::Body || sent.field.serde.custom_serializer.is_some() {
            return;
        }
        // `#[wechat(encrypt)]` sends a string whatever it encrypts.
        if sent.field.attr.encrypt.is_some() {
            return;
        }
        let shape = shape(sent.field.ty);
        if fits(&shape, &member.schema) {
            return;
        }
        cx.error_spanned_by(
            sent.field.ty,
            format!(
                "`{name}` is {theirs} in `{operation}`, and `{ty}` is sent as {ours}; declare it `{right}`",
                name = sent.name,
                theirs = describe_schema(&member.schema),
                operation = self.operation,
                ty = type_text(sent.field.ty),
                ours = describe_shape(&shape),
                right = rust_type(&member.schema),
            ),
        );
    }

    /// A sensitive member is encrypted: `#[wechat(encrypt)]`, a `Sensitive` type, or a
    /// serialiser of the user's.
    fn encrypted(&self, cx: &Ctxt, sent: &Sent, member: &Member) {
        let field = sent.field;
        if !member.sensitive || field.attr.encrypt.is_some() || field.serde.custom_serializer.is_some() {
            return;
        }
        let shape = shape(field.ty);
        if !shape.plain_text() {
            return;
        }
        cx.error_spanned_by(
            field.ident,
            format!(
                "`{name}` is sensitive in `{operation}`: the gateway takes it RSA-encrypted under the platform \
                 certificate; mark the field `#[wechat(encrypt)]`, or give it the type \
                 `wechat_endpoint::sensitive::Sensitive`",
                name = sent.name,
                operation = self.operation,
            ),
        );
    }
}

/// "the query string", "the JSON body", for messages.
fn place(location: Location) -> &'static str {
    match location {
        Location::Query => "the query string",
        Location::Body => "the JSON body",
        Location::Path => "the path",
        Location::Header => "a header",
        Location::FormData => "the upload's parts",
        _ => "the request",
    }
}

/// `field` renamed by serde's `rename_all` rule; `None` for a rule serde does not have
/// (serde reports it).
fn rename_field(field: &str, rule: &str) -> Option<String> {
    let pascal = || {
        field
            .split('_')
            .map(|part| {
                let mut chars = part.chars();
                chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
            })
            .collect::<String>()
    };
    Some(match rule {
        "lowercase" | "snake_case" => field.to_owned(),
        "UPPERCASE" | "SCREAMING_SNAKE_CASE" => field.to_ascii_uppercase(),
        "PascalCase" => pascal(),
        "camelCase" => {
            let pascal = pascal();
            let mut chars = pascal.chars();
            chars.next().map(|first| first.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
        }
        "kebab-case" => field.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => field.to_ascii_uppercase().replace('_', "-"),
        _ => return None,
    })
}

/// The JSON a Rust type plainly serialises to, as far as its name tells.
#[derive(Debug, PartialEq)]
enum Shape {
    /// `String`, `str`, `char`, `Cow<str>`.
    Text,
    /// `Sensitive`: encrypted text.
    Sensitive,
    Integer,
    Float,
    Bool,
    /// `Vec<T>`, `[T]`, `[T; N]`, sets; the element's shape.
    Array(Box<Shape>),
    /// Anything else: not judged.
    Unknown,
}

impl Shape {
    /// Whether it is unencrypted text, or an array of it.
    fn plain_text(&self) -> bool {
        match self {
            Shape::Text => true,
            Shape::Array(element) => element.plain_text(),
            _ => false,
        }
    }
}

fn shape(ty: &Type) -> Shape {
    match ty {
        Type::Reference(reference) => shape(&reference.elem),
        Type::Group(group) => shape(&group.elem),
        Type::Paren(paren) => shape(&paren.elem),
        Type::Slice(slice) => Shape::Array(Box::new(shape(&slice.elem))),
        Type::Array(array) => Shape::Array(Box::new(shape(&array.elem))),
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return Shape::Unknown;
            };
            let name = last.ident.to_string();
            let argument = || type_argument(&last.arguments);
            match name.as_str() {
                "String" | "str" | "char" if last.arguments.is_none() => Shape::Text,
                "Sensitive" if last.arguments.is_none() => Shape::Sensitive,
                "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128" | "usize"
                | "NonZeroU32" | "NonZeroU64" | "NonZeroI64"
                    if last.arguments.is_none() =>
                {
                    Shape::Integer
                }
                "f32" | "f64" if last.arguments.is_none() => Shape::Float,
                "bool" if last.arguments.is_none() => Shape::Bool,
                "Option" | "Box" | "Rc" | "Arc" | "Cow" => argument().map_or(Shape::Unknown, shape),
                "Vec" | "VecDeque" | "BTreeSet" | "HashSet" => {
                    argument().map_or(Shape::Unknown, |element| Shape::Array(Box::new(shape(element))))
                }
                _ => Shape::Unknown,
            }
        }
        _ => Shape::Unknown,
    }
}

/// The last type argument of `Name<…>`: `T` of `Vec<T>`, `str` of `Cow<'a, str>`. `None`
/// when there are several type arguments (`HashSet<T, S>` is judged by its element
/// anyway, but a map is not a set).
fn type_argument(arguments: &PathArguments) -> Option<&Type> {
    let PathArguments::AngleBracketed(arguments) = arguments else {
        return None;
    };
    let mut types = arguments.args.iter().filter_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    let first = types.next()?;
    types.next().is_none().then_some(first)
}

/// The JSON type a schema asks for, numbers with an integer format as integers.
fn json_type(schema: &Schema) -> JsonType {
    let integer_format = schema
        .format
        .is_some_and(|format| ["integer", "int32", "int64", "uint32", "uint64", "unit32"].contains(&format));
    match schema.ty {
        JsonType::Number if integer_format => JsonType::Integer,
        ty => ty,
    }
}

/// Whether `shape` can be what `schema` asks for: only a plain disagreement is not.
fn fits(shape: &Shape, schema: &Schema) -> bool {
    let ty = json_type(schema);
    match (shape, ty) {
        (Shape::Unknown, _) | (_, JsonType::Any | JsonType::File) => true,
        (Shape::Text | Shape::Sensitive, JsonType::String) => true,
        (Shape::Integer, JsonType::Integer | JsonType::Number) => true,
        (Shape::Float, JsonType::Number) => true,
        (Shape::Bool, JsonType::Boolean) => true,
        (Shape::Array(element), JsonType::Array) => schema.items.is_none_or(|items| fits(element, items)),
        _ => false,
    }
}

fn describe_shape(shape: &Shape) -> String {
    match shape {
        Shape::Text => "a string".to_owned(),
        Shape::Sensitive => "an encrypted string".to_owned(),
        Shape::Integer => "an integer".to_owned(),
        Shape::Float => "a number with a fraction".to_owned(),
        Shape::Bool => "a boolean".to_owned(),
        Shape::Array(element) => match &**element {
            Shape::Unknown => "an array".to_owned(),
            element => format!("an array of {}", plural(&describe_shape(element))),
        },
        Shape::Unknown => "a value".to_owned(),
    }
}

fn describe_schema(schema: &Schema) -> String {
    match json_type(schema) {
        JsonType::String => "a string".to_owned(),
        JsonType::Integer => "an integer".to_owned(),
        JsonType::Number => "a number".to_owned(),
        JsonType::Boolean => "a boolean".to_owned(),
        JsonType::Object => "an object".to_owned(),
        JsonType::Array => match schema.items {
            Some(items) if items.ty != JsonType::Any => format!("an array of {}", plural(&describe_schema(items))),
            _ => "an array".to_owned(),
        },
        _ => "a value".to_owned(),
    }
}

/// "a string" → "strings", "an array of strings" → "arrays of strings".
fn plural(one: &str) -> String {
    let one = one.strip_prefix("an ").or_else(|| one.strip_prefix("a ")).unwrap_or(one);
    match one.split_once(' ') {
        Some((head, tail)) => format!("{head}s {tail}"),
        None => format!("{one}s"),
    }
}

/// A Rust type that serialises as `schema` asks, for messages.
fn rust_type(schema: &Schema) -> String {
    match json_type(schema) {
        JsonType::String => "String".to_owned(),
        JsonType::Integer => "i64".to_owned(),
        JsonType::Number => "f64".to_owned(),
        JsonType::Boolean => "bool".to_owned(),
        JsonType::Array => match schema.items {
            Some(items) if items.ty != JsonType::Any && items.ty != JsonType::Object => {
                format!("Vec<{}>", rust_type(items))
            }
            _ => "Vec<…>".to_owned(),
        },
        JsonType::Object => "YourStruct".to_owned(),
        _ => "serde_json::Value".to_owned(),
    }
}

/// The type as written, spaced like rustc writes it.
fn type_text(ty: &Type) -> String {
    quote::ToTokens::to_token_stream(ty)
        .to_string()
        .replace(" < ", "<")
        .replace(" >", ">")
        .replace("< ", "<")
        .replace("& ", "&")
        .replace(" ,", ",")
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace("[ ", "[")
        .replace(" ]", "]")
        .replace(" ;", ";")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> Type {
        syn::parse_str(text).unwrap()
    }

    #[test]
    fn shapes() {
        for (text, expected) in [
            ("String", Shape::Text),
            ("&'a str", Shape::Text),
            ("std::borrow::Cow<'a, str>", Shape::Text),
            ("char", Shape::Text),
            ("Option<u64>", Shape::Integer),
            ("f64", Shape::Float),
            ("bool", Shape::Bool),
            ("Vec<String>", Shape::Array(Box::new(Shape::Text))),
            ("&'a [u32]", Shape::Array(Box::new(Shape::Integer))),
            ("[bool; 2]", Shape::Array(Box::new(Shape::Bool))),
            ("Vec<Sensitive>", Shape::Array(Box::new(Shape::Sensitive))),
            ("Box<Option<String>>", Shape::Text),
            ("serde_json::Value", Shape::Unknown),
            ("HashMap<String, u64>", Shape::Unknown),
            ("Store", Shape::Unknown),
            ("T", Shape::Unknown),
            ("Vec<Store>", Shape::Array(Box::new(Shape::Unknown))),
        ] {
            assert_eq!(shape(&ty(text)), expected, "{text}");
        }
    }

    #[test]
    fn rename_rules() {
        assert_eq!(rename_field("out_trade_no", "camelCase").as_deref(), Some("outTradeNo"));
        assert_eq!(rename_field("out_trade_no", "PascalCase").as_deref(), Some("OutTradeNo"));
        assert_eq!(rename_field("out_trade_no", "kebab-case").as_deref(), Some("out-trade-no"));
        assert_eq!(rename_field("out_trade_no", "SCREAMING-KEBAB-CASE").as_deref(), Some("OUT-TRADE-NO"));
        assert_eq!(rename_field("out_trade_no", "snake_case").as_deref(), Some("out_trade_no"));
        assert_eq!(rename_field("out_trade_no", "Title Case"), None);
    }

    #[test]
    fn near_misses() {
        let post = catalog::Method::Post;
        assert_eq!(
            near_miss("v3/marketing/partner/product-coupon/product-coupons/<id>/stocks/<s>/disassociate-store", post),
            Some("v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores")
                .filter(|path| !catalog::operations_at(path).is_empty())
        );
        assert_eq!(near_miss("/v3/profitsharing/receivers/ad", post), Some("v3/profitsharing/receivers/add"));
        // Two segments differ, or a placeholder moved: not a near miss.
        assert_eq!(near_miss("v3/profitsharing/receiver/ad", post), None);
        assert_eq!(near_miss("v3/profitsharing/receivers/<id>", post), None);
        assert_eq!(near_miss("v3/my/own/path", post), None);
    }

    #[test]
    fn integer_formats() {
        let mut number = Schema::of(JsonType::Number);
        number.format = Some("integer");
        assert!(fits(&Shape::Integer, &number));
        assert!(!fits(&Shape::Float, &number));
        assert!(fits(&Shape::Float, &Schema::of(JsonType::Number)));
        assert!(fits(&Shape::Integer, &Schema::of(JsonType::Number)));
        assert!(!fits(&Shape::Text, &Schema::of(JsonType::Integer)));
        assert!(!fits(&Shape::Integer, &Schema::of(JsonType::String)));
        assert!(!fits(&Shape::Array(Box::new(Shape::Text)), &Schema::of(JsonType::String)));
        assert!(!fits(&Shape::Text, &Schema::of(JsonType::Object)));
        assert!(fits(&Shape::Unknown, &Schema::of(JsonType::Object)));
    }
}
