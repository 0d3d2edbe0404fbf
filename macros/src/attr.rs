//! Parses what the user wrote: the `#[wechat_endpoint(...)]` arguments, the
//! `#[wechat(...)]` field attributes, and the `#[serde(...)]` attributes the serde
//! mirrors of the struct take over.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, DeriveInput, Ident, LitStr, Meta, Token, Type};

use crate::ctxt::Ctxt;
use crate::suggest::closest;
use crate::template::{Template, parse_template};

/// An HTTP method WeChat Pay APIv3 uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    const ALL: [Method; 5] = [Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete];

    /// The name as written in the attribute and as `http::Method`'s constant.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether fields without a `#[wechat(...)]` role go to the JSON body (otherwise to
    /// the query string).
    pub(crate) fn sends_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }
}

/// The arguments of `#[wechat_endpoint(...)]`; a part is `None` when it was missing or
/// wrong, the error already recorded.
pub(crate) struct Args {
    pub(crate) method: Option<Method>,
    pub(crate) template: Option<(LitStr, Template)>,
    pub(crate) response: Option<Type>,
    /// `idempotent` (`true`) or `idempotent = true|false`; `None` leaves it to the method.
    pub(crate) idempotent: Option<bool>,
}

const EXAMPLE: &str = "`#[wechat_endpoint(GET, \"v3/certificates\", response = Certificates)]`";

/// Parses `METHOD, "template", response = Type`, recording every problem.
pub(crate) fn parse_args(cx: &Ctxt, tokens: TokenStream) -> Args {
    let mut parser = ArgsParser {
        cx,
        args: Args { method: None, template: None, response: None, idempotent: None },
        saw_method: false,
        saw_template: false,
        saw_response: false,
        saw_idempotent: false,
    };
    let parsed = (|input: ParseStream| {
        let mut first = true;
        while !input.is_empty() {
            parser.argument(input, first)?;
            first = false;
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(())
    })
    .parse2(tokens);
    if let Err(error) = parsed {
        cx.syn_error(error);
        return parser.args;
    }
    if !parser.saw_method {
        cx.syn_error(syn::Error::new(
            Span::call_site(),
            format!(
                "missing the HTTP method; write one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE` first, like {EXAMPLE}"
            ),
        ));
    }
    if !parser.saw_template {
        cx.syn_error(syn::Error::new(
            Span::call_site(),
            format!("missing the path template; write it after the method, like {EXAMPLE}"),
        ));
    }
    parser.args
}

struct ArgsParser<'c> {
    cx: &'c Ctxt,
    args: Args,
    saw_method: bool,
    saw_template: bool,
    saw_response: bool,
    saw_idempotent: bool,
}

/// The named arguments, for "did you mean" hints.
const NAMED: [&str; 2] = ["response", "idempotent"];

impl ArgsParser<'_> {
    /// One argument, whatever its kind; a wrong one is recorded and skipped.
    fn argument(&mut self, input: ParseStream, first: bool) -> syn::Result<()> {
        let cx = self.cx;
        if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            if self.saw_template {
                cx.error_spanned_by(&lit, "the path template is given twice");
            } else {
                self.args.template = template(cx, lit);
            }
            self.saw_template = true;
        } else if input.peek(syn::Lit) {
            let lit: syn::Lit = input.parse()?;
            cx.error_spanned_by(&lit, format!("the path template must be a string literal, like {EXAMPLE}"));
            self.saw_template = true;
        } else if input.peek(Ident) && input.peek2(Token![=]) {
            let key: Ident = input.parse()?;
            let eq: Token![=] = input.parse()?;
            let value = value_tokens(input);
            self.named(key, eq, value);
        } else if input.peek(Ident) && (input.peek2(Token![,]) || peek_last(input)) {
            let ident: Ident = input.parse()?;
            self.bare(ident, first);
        } else {
            let tokens = value_tokens(input);
            cx.error_spanned_by(
                tokens,
                format!(
                    "expected the method (`GET`, `POST`, `PUT`, `PATCH` or `DELETE`), the path template \
                     string, `response = Type` or `idempotent`, like {EXAMPLE}"
                ),
            );
        }
        Ok(())
    }

    /// `key = value`: `response = Type` or `idempotent = true|false`.
    fn named(&mut self, key: Ident, eq: Token![=], value: TokenStream) {
        let cx = self.cx;
        if key == "idempotent" {
            self.idempotent(&key, Some((eq, value)));
            return;
        }
        if key != "response" {
            let hint =
                closest(&key.to_string(), NAMED).map(|near| format!(" (did you mean `{near}`?)")).unwrap_or_default();
            cx.error_spanned_by(
                &key,
                format!(
                    "unknown argument `{key}`; the named arguments are `response = Type` and \
                     `idempotent`{hint}"
                ),
            );
            return;
        }
        if self.saw_response {
            cx.error_spanned_by(&key, "`response` is given twice");
            return;
        }
        self.saw_response = true;
        if let Ok(ty) = syn::parse2::<Type>(value.clone()) {
            self.args.response = Some(ty);
            return;
        }
        let quoted = syn::parse2::<LitStr>(value.clone())
            .ok()
            .and_then(|lit| lit.parse::<Type>().ok())
            .map(|ty| ty.into_token_stream().to_string());
        let message = match quoted {
            Some(ty) => format!("`response` takes a type, not a string: write `response = {ty}`"),
            None => "`response` must name the response's type, like `response = AssociatedStores`".to_owned(),
        };
        if value.is_empty() {
            cx.error_spanned_by(eq, message);
        } else {
            cx.error_spanned_by(value, message);
        }
    }

    /// `idempotent`, or `idempotent = true|false`.
    fn idempotent(&mut self, key: &Ident, value: Option<(Token![=], TokenStream)>) {
        let cx = self.cx;
        if self.saw_idempotent {
            cx.error_spanned_by(key, "`idempotent` is given twice");
            return;
        }
        self.saw_idempotent = true;
        let Some((eq, value)) = value else {
            self.args.idempotent = Some(true);
            return;
        };
        if let Ok(lit) = syn::parse2::<syn::LitBool>(value.clone()) {
            self.args.idempotent = Some(lit.value);
            return;
        }
        let message = "`idempotent` takes `true` or `false`; `idempotent` alone means `true`: \
                       the request may be sent again after a `5xx`, a `429` or a dropped connection";
        if value.is_empty() {
            cx.error_spanned_by(eq, message);
        } else {
            cx.error_spanned_by(value, message);
        }
    }

    /// A lone identifier: the method, or `idempotent`.
    fn bare(&mut self, ident: Ident, first: bool) {
        let cx = self.cx;
        let is_method = Method::ALL.iter().any(|m| m.as_str().eq_ignore_ascii_case(&ident.to_string()));
        if ident == "idempotent" {
            self.idempotent(&ident, None);
        } else if ident == "response" {
            cx.error_spanned_by(&ident, "`response` needs the response's type: `response = AssociatedStores`");
        } else if !is_method && (self.saw_method || !first) {
            let hint = closest(&ident.to_string(), ["idempotent"])
                .map(|near| format!(" (did you mean `{near}`?)"))
                .unwrap_or_default();
            cx.error_spanned_by(
                &ident,
                format!(
                    "unknown argument `{ident}`{hint}; the arguments are the method, the path template, \
                     `response = Type` and `idempotent`, like {EXAMPLE}"
                ),
            );
        } else if self.saw_method {
            cx.error_spanned_by(&ident, "the method is given twice");
        } else {
            self.saw_method = true;
            if !first {
                cx.error_spanned_by(&ident, format!("write the method first, like {EXAMPLE}"));
            }
            self.args.method = method(cx, &ident);
        }
    }
}

/// Whether the next token is the last one.
fn peek_last(input: ParseStream) -> bool {
    let fork = input.fork();
    fork.parse::<proc_macro2::TokenTree>().is_ok() && fork.is_empty()
}

/// The tokens up to the next top-level `,`.
fn value_tokens(input: ParseStream) -> TokenStream {
    let mut tokens = TokenStream::new();
    // `Type` first, so that the commas of `Page<A, B>` stay inside it.
    let fork = input.fork();
    if fork.parse::<Type>().is_ok() && (fork.is_empty() || fork.peek(Token![,])) {
        return input.parse::<Type>().map(ToTokens::into_token_stream).unwrap_or_default();
    }
    while !input.is_empty() && !input.peek(Token![,]) {
        match input.parse::<proc_macro2::TokenTree>() {
            Ok(tree) => tokens.extend([tree]),
            Err(_) => break,
        }
    }
    tokens
}

fn method(cx: &Ctxt, ident: &Ident) -> Option<Method> {
    let name = ident.to_string();
    if let Some(method) = Method::ALL.into_iter().find(|m| m.as_str() == name) {
        return Some(method);
    }
    // A method in the wrong case is reported, and still used for the other checks.
    let meant = Method::ALL.into_iter().find(|m| m.as_str().eq_ignore_ascii_case(&name));
    let message = match meant {
        Some(method) => format!("write the method upper case, as HTTP does: `{}`", method.as_str()),
        None => format!("unknown method `{name}`; expected one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`"),
    };
    cx.error_spanned_by(ident, message);
    meant
}

fn template(cx: &Ctxt, lit: LitStr) -> Option<(LitStr, Template)> {
    match parse_template(&lit.value()) {
        Ok(template) => Some((lit, template)),
        Err(errors) => {
            for error in errors {
                cx.error_spanned_by(&lit, error);
            }
            None
        }
    }
}

/// Where a `#[wechat(...)]` attribute sends a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    Query,
    Body,
    /// The `file` part of a media upload.
    File,
}

impl Placement {
    /// The keyword, as written in `#[wechat(...)]`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Placement::Query => "query",
            Placement::Body => "body",
            Placement::File => "file",
        }
    }

    /// Where the field goes, for messages.
    pub(crate) fn destination(self) -> &'static str {
        match self {
            Placement::Query => "the query",
            Placement::Body => "the body",
            Placement::File => "the file part of an upload",
        }
    }
}

/// The keys `#[wechat(...)]` takes.
const FIELD_KEYS: [&str; 4] = ["query", "body", "encrypt", "file"];

/// A field's `#[wechat(...)]` keys, each with its keyword for errors.
pub(crate) struct FieldAttr {
    /// `query`, `body` or `file`.
    pub(crate) placement: Option<(Placement, Ident)>,
    /// `encrypt`.
    pub(crate) encrypt: Option<Ident>,
}

/// Parses a field's `#[wechat(...)]` attributes.
pub(crate) fn field_attr(cx: &Ctxt, attrs: &[Attribute]) -> FieldAttr {
    let mut placement: Option<(Placement, Ident)> = None;
    let mut encrypt: Option<Ident> = None;
    for attr in attrs.iter().filter(|attr| is_wechat(attr)) {
        if !matches!(attr.meta, Meta::List(_)) {
            cx.error_spanned_by(
                attr,
                "write `#[wechat(query)]`, `#[wechat(body)]`, `#[wechat(encrypt)]` or `#[wechat(file)]`",
            );
            continue;
        }
        let parsed = attr.parse_nested_meta(|meta| {
            let key = meta.path.require_ident()?;
            let found = match key.to_string().as_str() {
                "query" => Placement::Query,
                "body" => Placement::Body,
                "file" => Placement::File,
                "encrypt" => {
                    match &encrypt {
                        Some(_) => cx.error_spanned_by(key, "`encrypt` is given twice"),
                        None => encrypt = Some(key.clone()),
                    }
                    return Ok(());
                }
                other => {
                    let hint =
                        closest(other, FIELD_KEYS).map(|near| format!(" (did you mean `{near}`?)")).unwrap_or_default();
                    return Err(meta.error(format!(
                        "unknown `#[wechat]` key `{other}`; expected `query`, `body`, `encrypt` or `file`{hint}"
                    )));
                }
            };
            match &placement {
                Some((earlier, _)) if *earlier == found => {
                    cx.error_spanned_by(key, format!("`{}` is given twice", found.as_str()))
                }
                Some((earlier, _)) => cx.error_spanned_by(
                    key,
                    format!(
                        "a field goes to {} or to {}, not both; keep one of `{}`, `{}`",
                        earlier.destination(),
                        found.destination(),
                        earlier.as_str(),
                        found.as_str(),
                    ),
                ),
                None => placement = Some((found, key.clone())),
            }
            Ok(())
        });
        if let Err(error) = parsed {
            cx.syn_error(error);
        }
    }
    FieldAttr { placement, encrypt }
}

pub(crate) fn is_wechat(attr: &Attribute) -> bool {
    attr.path().is_ident("wechat")
}

pub(crate) fn is_serde(attr: &Attribute) -> bool {
    attr.path().is_ident("serde")
}

/// Whether the struct derives `Serialize` or `Deserialize` itself, so that its
/// `#[serde(...)]` attributes are its own and stay.
pub(crate) fn derives_serde(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .filter_map(|attr| attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated).ok())
        .flatten()
        .any(|path| path.segments.last().is_some_and(|last| last.ident == "Serialize" || last.ident == "Deserialize"))
}

/// The items of a `#[serde(...)]` attribute, when it parses as a list of metas.
fn serde_metas(attr: &Attribute) -> Option<Punctuated<Meta, Token![,]>> {
    attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated).ok()
}

/// The string of `bound = "..."` or `bound(serialize = "...")`.
fn serialize_bound(meta: &Meta) -> Option<LitStr> {
    let lit = |expr: &syn::Expr| match expr {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. }) => Some(lit.clone()),
        _ => None,
    };
    if !meta.path().is_ident("bound") {
        return None;
    }
    match meta {
        Meta::NameValue(nv) => lit(&nv.value),
        Meta::List(list) => list
            .parse_args_with(Punctuated::<syn::MetaNameValue, Token![,]>::parse_terminated)
            .ok()?
            .into_iter()
            .find(|nv| nv.path.is_ident("serialize"))
            .and_then(|nv| lit(&nv.value)),
        Meta::Path(_) => None,
    }
}

/// What the serde mirrors take from the struct's own `#[serde(...)]` attributes.
#[derive(Default)]
pub(crate) struct ContainerSerde {
    /// `rename_all` items, copied as written.
    pub(crate) copied: Vec<Meta>,
    /// The user's `bound(serialize = "...")`, which replaces the inferred bounds.
    pub(crate) ser_bound: Option<LitStr>,
}

/// Container attributes that shape the fields apply to the mirrors; the ones that
/// describe the struct as a whole (`into`, `tag`, `transparent`, `crate`…) do not.
pub(crate) fn container_serde(attrs: &[Attribute]) -> ContainerSerde {
    let mut serde = ContainerSerde::default();
    for meta in attrs.iter().filter(|a| is_serde(a)).filter_map(serde_metas).flatten() {
        if meta.path().is_ident("rename_all") {
            serde.copied.push(meta);
        } else if let Some(bound) = serialize_bound(&meta) {
            serde.ser_bound = Some(bound);
        }
    }
    serde
}

/// A field's `#[serde(...)]` attributes, and what they mean for the mirror's bounds.
pub(crate) struct FieldSerde<'a> {
    /// The attributes, copied onto the mirror's field.
    pub(crate) attrs: Vec<&'a Attribute>,
    /// The field's own `bound(serialize = "...")`.
    pub(crate) ser_bound: Option<LitStr>,
    /// Whether serde would infer a `Serialize` bound from the field's type: it is
    /// serialized, by its own impl, with no bound of its own.
    pub(crate) infers_bound: bool,
    /// The `serialize_with` or `with` key, when a function of the user's serialises the
    /// field.
    pub(crate) custom_serializer: Option<syn::Path>,
}

pub(crate) fn field_serde(attrs: &[Attribute]) -> FieldSerde<'_> {
    let attrs: Vec<&Attribute> = attrs.iter().filter(|a| is_serde(a)).collect();
    let mut ser_bound = None;
    let mut serializes_itself = true;
    let mut custom_serializer = None;
    for meta in attrs.iter().filter_map(|a| serde_metas(a)).flatten() {
        let path = meta.path();
        if ["skip", "skip_serializing", "serialize_with", "with"].iter().any(|key| path.is_ident(key)) {
            serializes_itself = false;
        }
        if ["serialize_with", "with"].iter().any(|key| path.is_ident(key)) {
            custom_serializer = Some(path.clone());
        }
        if let Some(bound) = serialize_bound(&meta) {
            ser_bound = Some(bound);
        }
    }
    FieldSerde { infers_bound: serializes_itself && ser_bound.is_none(), attrs, ser_bound, custom_serializer }
}

/// Removes what only this macro understands from the user's item: every
/// `#[wechat(...)]`, and the `#[serde(...)]` attributes unless the item derives serde
/// itself (without its derive, rustc would not know the `serde` attribute).
pub(crate) fn strip_helper_attrs(item: &mut DeriveInput) {
    let keep_serde = derives_serde(&item.attrs);
    let strip = |attrs: &mut Vec<Attribute>| {
        attrs.retain(|attr| !is_wechat(attr) && (keep_serde || !is_serde(attr)));
    };
    strip(&mut item.attrs);
    match &mut item.data {
        syn::Data::Struct(data) => data.fields.iter_mut().for_each(|f| strip(&mut f.attrs)),
        syn::Data::Enum(data) => {
            for variant in &mut data.variants {
                strip(&mut variant.attrs);
                variant.fields.iter_mut().for_each(|f| strip(&mut f.attrs));
            }
        }
        syn::Data::Union(data) => data.fields.named.iter_mut().for_each(|f| strip(&mut f.attrs)),
    }
}
