//! The arguments of `#[wechat_endpoint(...)]`: `METHOD, "template", response = Type,
//! idempotent, unchecked`.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::parse::{ParseStream, Parser};
use syn::{Ident, LitStr, Token, Type};
use wechat_endpoint_template::{FilledBy, Template};

use super::attr::Attr;
use crate::ctxt::Ctxt;
use crate::suggest::closest;

/// An HTTP method WeChat Pay APIv3 uses: the catalog's, so that a declaration's method
/// is looked up there as it is. Its name is written in the attribute and is
/// `http::Method`'s constant.
pub(crate) use wechat_endpoint_catalog::Method;

/// Whether fields without a `#[wechat(...)]` role go to the JSON body (otherwise to the
/// query string).
pub(crate) fn sends_body(method: Method) -> bool {
    matches!(method, Method::Post | Method::Put | Method::Patch)
}

/// The arguments of `#[wechat_endpoint(...)]`; a part is `None` when it was missing or
/// wrong, the error already recorded.
pub(crate) struct Args {
    pub(crate) method: Option<Method>,
    pub(crate) template: Option<(LitStr, Template)>,
    pub(crate) response: Option<Type>,
    /// `idempotent` (`true`) or `idempotent = true|false`; `None` leaves it to the method.
    pub(crate) idempotent: Option<bool>,
    /// `unchecked`: the declaration is not compared with the catalog of APIv3 operations.
    pub(crate) unchecked: bool,
}

const EXAMPLE: &str = "`#[wechat_endpoint(GET, \"v3/certificates\", response = Certificates)]`";

/// Parses `METHOD, "template", response = Type`, recording every problem.
pub(crate) fn parse_args(cx: &Ctxt, tokens: TokenStream) -> Args {
    let mut parser = ArgsParser {
        cx,
        method: Attr::none(cx, "the method"),
        template: Attr::none(cx, "the path template"),
        response: Attr::none(cx, "`response`"),
        idempotent: Attr::none(cx, "`idempotent`"),
        unchecked: Attr::none(cx, "`unchecked`"),
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
        return parser.into_args();
    }
    if !parser.method.is_given() {
        cx.syn_error(syn::Error::new(
            Span::call_site(),
            format!(
                "missing the HTTP method; write one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE` first, like {EXAMPLE}"
            ),
        ));
    }
    if !parser.template.is_given() {
        cx.syn_error(syn::Error::new(
            Span::call_site(),
            format!("missing the path template; write it after the method, like {EXAMPLE}"),
        ));
    }
    parser.into_args()
}

struct ArgsParser<'c> {
    cx: &'c Ctxt,
    method: Attr<'c, Method>,
    template: Attr<'c, (LitStr, Template)>,
    response: Attr<'c, Type>,
    idempotent: Attr<'c, bool>,
    unchecked: Attr<'c, ()>,
}

/// The named arguments, for "did you mean" hints.
const NAMED: [&str; 3] = ["response", "idempotent", "unchecked"];

impl ArgsParser<'_> {
    /// One argument, whatever its kind; a wrong one is recorded and skipped.
    fn argument(&mut self, input: ParseStream, first: bool) -> syn::Result<()> {
        let cx = self.cx;
        if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            self.template.set(lit.clone(), || template(cx, lit));
        } else if input.peek(syn::Lit) {
            let lit: syn::Lit = input.parse()?;
            self.template.set(&lit, || {
                cx.error_spanned_by(&lit, format!("the path template must be a string literal, like {EXAMPLE}"));
                None
            });
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
                     string, `response = Type`, `idempotent` or `unchecked`, like {EXAMPLE}"
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
        if key == "unchecked" {
            cx.error_spanned_by(
                quote::quote!(#eq #value),
                "`unchecked` takes no value: write `unchecked` alone to leave this declaration out of \
                 the catalog checks",
            );
            return;
        }
        if key != "response" {
            let hint =
                closest(&key.to_string(), NAMED).map(|near| format!(" (did you mean `{near}`?)")).unwrap_or_default();
            cx.error_spanned_by(
                &key,
                format!(
                    "unknown argument `{key}`; the named arguments are `response = Type`, \
                     `idempotent` and `unchecked`{hint}"
                ),
            );
            return;
        }
        self.response.set(&key, || response(cx, eq, value));
    }

    /// `idempotent`, or `idempotent = true|false`.
    fn idempotent(&mut self, key: &Ident, value: Option<(Token![=], TokenStream)>) {
        let cx = self.cx;
        self.idempotent.set(key, || idempotent(cx, value));
    }

    /// A lone identifier: the method, `idempotent` or `unchecked`.
    fn bare(&mut self, ident: Ident, first: bool) {
        let cx = self.cx;
        let is_method = Method::ALL.iter().any(|m| m.as_str().eq_ignore_ascii_case(&ident.to_string()));
        if ident == "idempotent" {
            self.idempotent(&ident, None);
        } else if ident == "unchecked" {
            self.unchecked.set(&ident, || Some(()));
        } else if ident == "response" {
            cx.error_spanned_by(&ident, "`response` needs the response's type: `response = AssociatedStores`");
        } else if !is_method && (self.method.is_given() || !first) {
            let hint = closest(&ident.to_string(), ["idempotent", "unchecked"])
                .map(|near| format!(" (did you mean `{near}`?)"))
                .unwrap_or_default();
            cx.error_spanned_by(
                &ident,
                format!(
                    "unknown argument `{ident}`{hint}; the arguments are the method, the path template, \
                     `response = Type`, `idempotent` and `unchecked`, like {EXAMPLE}"
                ),
            );
        } else {
            self.method.set(&ident, || {
                if !first {
                    cx.error_spanned_by(&ident, format!("write the method first, like {EXAMPLE}"));
                }
                method(cx, &ident)
            });
        }
    }

    fn into_args(self) -> Args {
        Args {
            method: self.method.get(),
            template: self.template.get(),
            response: self.response.get(),
            idempotent: self.idempotent.get(),
            unchecked: self.unchecked.get().is_some(),
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

/// The value of `response = Type`.
fn response(cx: &Ctxt, eq: Token![=], value: TokenStream) -> Option<Type> {
    if let Ok(ty) = syn::parse2::<Type>(value.clone()) {
        return Some(ty);
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
    None
}

/// The value of `idempotent` (`true`) or `idempotent = true|false`.
fn idempotent(cx: &Ctxt, value: Option<(Token![=], TokenStream)>) -> Option<bool> {
    let Some((eq, value)) = value else {
        return Some(true);
    };
    if let Ok(lit) = syn::parse2::<syn::LitBool>(value.clone()) {
        return Some(lit.value);
    }
    let message = "`idempotent` takes `true` or `false`; `idempotent` alone means `true`: \
                   the request may be sent again after a `5xx`, a `429` or a dropped connection";
    if value.is_empty() {
        cx.error_spanned_by(eq, message);
    } else {
        cx.error_spanned_by(value, message);
    }
    None
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
    match wechat_endpoint_template::parse(&lit.value(), FilledBy::Fields) {
        Ok(template) => Some((lit, template)),
        Err(errors) => {
            for error in errors {
                cx.error_spanned_by(&lit, error);
            }
            None
        }
    }
}
