//! Generates the `Endpoint` impl from a checked model, or the errors and a stand-in impl
//! when the declaration has errors; nothing here can fail.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{DeriveInput, GenericParam, Generics, Ident, Lifetime, LitStr, Token, Type, WherePredicate};
use wechat_endpoint_template::{Segment, Template};

use crate::model::{self, Endpoint, Field, Plaintext, Role};
use crate::parse::args::sends_body;

/// The `Endpoint` impl of a checked endpoint.
pub(crate) fn expand(endpoint: &Endpoint) -> TokenStream {
    let private = private();
    let ident = endpoint.ident;
    let param_idents = param_idents(endpoint.generics);

    let mut bounds: Vec<WherePredicate> = Vec::new();
    let write_target = write_target(endpoint, &param_idents, &mut bounds);
    let write_body = write_body(endpoint, &param_idents, &mut bounds);
    let media_file = media_file(endpoint);
    let response = response(endpoint.response.as_ref(), &param_idents, &mut bounds);

    let mut generics = endpoint.generics.clone();
    generics.make_where_clause().predicates.extend(bounds);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let method = endpoint.method.expect("checked: the method is known");
    let method_ident = format_ident!("{}", method.as_str());
    let path_template = endpoint.template.to_string();
    let idempotent = endpoint
        .idempotent
        .map(|idempotent| quote!(const IDEMPOTENT: #private::Option<bool> = #private::Option::Some(#idempotent);));

    quote! {
        // The struct's lifetimes appear once in the impl's header, which a user crate
        // denying `single_use_lifetimes` would otherwise report at the struct.
        #[allow(single_use_lifetimes)]
        impl #impl_generics #private::Endpoint for #ident #ty_generics #where_clause {
            type Response = #response;
            const METHOD: #private::Method = #private::Method::#method_ident;
            const PATH_TEMPLATE: &'static str = #path_template;
            #idempotent

            #write_target
            #write_body
            #media_file
        }
    }
}

/// The errors of a declaration, and an `Endpoint` impl standing in for the one it would
/// have had, as thiserror does: code using the struct (`client.send(&request)`, the
/// response's fields) reports nothing more, so one mistake gives one message. The errors
/// keep the program from building, so the stand-in never runs; it compiles for any item
/// the attribute can be on, generics included.
pub(crate) fn fallback(item: &DeriveInput, response: Option<&Type>, errors: syn::Error) -> TokenStream {
    let private = private();
    let ident = &item.ident;
    let mut bounds = Vec::new();
    let response = self::response(response, &param_idents(&item.generics), &mut bounds);
    let mut generics = item.generics.clone();
    generics.make_where_clause().predicates.extend(bounds);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let errors = errors.into_compile_error();
    quote! {
        #errors

        #[allow(single_use_lifetimes)]
        impl #impl_generics #private::Endpoint for #ident #ty_generics #where_clause {
            type Response = #response;
            const METHOD: #private::Method = #private::Method::GET;
            const PATH_TEMPLATE: &'static str = "";

            fn write_target(
                &self,
                _: &mut #private::TargetWriter<'_>,
            ) -> #private::Result<(), #private::BuildError> {
                ::core::unreachable!()
            }
        }
    }
}

/// The name of the hidden module of the runtime that generated code reaches it through
/// (`::wechat_endpoint::__private_0_1_0::serde`…), after the version the two crates share:
/// the runtime pins this crate to its own version exactly, and a pair of other versions
/// fails to resolve the module rather than build against one whose contents differ. serde
/// names its own the same way (`serde::__private228`).
const PRIVATE: &str = "__private_0_1_0";

/// The hidden module generated code reaches the runtime through.
fn private() -> TokenStream {
    let module = Ident::new(PRIVATE, Span::call_site());
    quote!(::wechat_endpoint::#module)
}

/// The struct's type and const parameters, which bounds are needed for.
fn param_idents(generics: &Generics) -> Vec<&Ident> {
    (generics.type_params().map(|p| &p.ident)).chain(generics.const_params().map(|p| &p.ident)).collect()
}

/// `Endpoint::Response`: the `response` type, bounded when it names a parameter; `()`
/// without one.
fn response(response: Option<&Type>, param_idents: &[&Ident], bounds: &mut Vec<WherePredicate>) -> TokenStream {
    let private = private();
    match response {
        Some(ty) => {
            if mentions(ty, param_idents) {
                bounds.push(syn::parse_quote_spanned!(ty.span()=>
                    #ty: #private::serde::de::DeserializeOwned
                ));
            }
            ty.to_token_stream()
        }
        None => quote!(()),
    }
}

/// What `write_target` writes, in order: literal runs of the template (its `/`
/// separators included) and placeholders.
enum Piece<'t> {
    Literal(String),
    Placeholder(&'t str),
}

/// The template as literal runs and placeholders; two literals never follow each other.
fn pieces(template: &Template) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut run = String::new();
    for (i, segment) in template.segments().iter().enumerate() {
        if i > 0 {
            run.push('/');
        }
        match segment {
            Segment::Literal(text) => run.push_str(text),
            Segment::Placeholder(name) => {
                if !run.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut run)));
                }
                pieces.push(Piece::Placeholder(name));
            }
        }
    }
    if !run.is_empty() {
        pieces.push(Piece::Literal(run));
    }
    pieces
}

/// One `push_path` per literal run, one `push_segment` per placeholder, then one
/// `push_query` when there are query fields.
fn write_target(endpoint: &Endpoint, param_idents: &[&Ident], bounds: &mut Vec<WherePredicate>) -> TokenStream {
    let private = private();
    let mut pushes = TokenStream::new();
    for piece in pieces(&endpoint.template) {
        match piece {
            Piece::Literal(text) => pushes.extend(quote! {
                #private::TargetWriter::push_path(__target, #text);
            }),
            Piece::Placeholder(name) => {
                let field = endpoint
                    .fields_in(Role::Path)
                    .find(|field| field.name == *name)
                    .expect("checked: every placeholder has a field");
                let ty = field.ty;
                if mentions(ty, param_idents) {
                    bounds.push(syn::parse_quote_spanned!(ty.span()=> #ty: #private::Display));
                }
                // `__display` is the only place that asks for `Display`, spanned at the
                // field's type: a type without it is reported there, once, and not again
                // by `push_segment`, which gets a `dyn Display`.
                let mut ident = field.ident.clone();
                ident.set_span(ty.span());
                let value = quote_spanned!(ty.span()=> __display::<#ty>(&self.#ident));
                pushes.extend(quote! {
                    #private::TargetWriter::push_segment(__target, #name, #value)?;
                });
            }
        }
    }
    let display_fn = endpoint.template.placeholders().first().map(|_| {
        quote! {
            fn __display<T: #private::Display>(value: &T) -> &dyn #private::Display {
                value
            }
        }
    });

    let query: Vec<&Field> = endpoint.fields_in(Role::Query).collect();
    let mut attrs = TokenStream::new();
    let tail = if query.is_empty() {
        quote!(#private::Result::Ok(()))
    } else {
        let mirror = Mirror::new(endpoint, "Query", &query, param_idents, bounds);
        let (definition, value) = (&mirror.definition, &mirror.value);
        attrs = mirror.attrs;
        quote! {
            #definition
            #private::TargetWriter::push_query(__target, &#value)
        }
    };

    quote! {
        #attrs
        fn write_target(
            &self,
            __target: &mut #private::TargetWriter<'_>,
        ) -> #private::Result<(), #private::BuildError> {
            #display_fn
            #pushes
            #tail
        }
    }
}

/// The JSON body of the body fields; `{}` when a POST, PUT or PATCH has none; nothing
/// (the trait's default) for a GET or DELETE without body fields, and for an upload
/// without extra `meta` fields, whose `meta` is then `filename` and `sha256` alone.
fn write_body(endpoint: &Endpoint, param_idents: &[&Ident], bounds: &mut Vec<WherePredicate>) -> Option<TokenStream> {
    let private = private();
    let body: Vec<&Field> = endpoint.fields_in(Role::Body).collect();
    let upload = endpoint.fields_in(Role::File).next().is_some();
    let mut attrs = TokenStream::new();
    let statements = if !body.is_empty() {
        let mirror = Mirror::new(endpoint, "Body", &body, param_idents, bounds);
        let (definition, value) = (&mirror.definition, &mirror.value);
        attrs = mirror.attrs;
        quote! {
            #definition
            #private::write_json(__body, &#value)
        }
    } else if endpoint.method.is_some_and(sends_body) && !upload {
        quote! {
            #private::Vec::extend_from_slice(__body, b"{}");
            #private::Result::Ok(())
        }
    } else {
        return None;
    };
    Some(quote! {
        #attrs
        fn write_body(
            &self,
            __body: &mut #private::Vec<u8>,
        ) -> #private::Result<(), #private::BuildError> {
            #statements
        }
    })
}

/// `media_file` for an upload: the file field, through a function that takes a
/// `&MediaFile`, spanned at the field type's `MediaFile`, so that a field whose type is
/// named `MediaFile` but is another type is reported there.
fn media_file(endpoint: &Endpoint) -> Option<TokenStream> {
    let private = private();
    let field = endpoint.fields_in(Role::File).next()?;
    let (span, borrowed) = model::media_file_name(field.ty).expect("checked: the file field is a MediaFile");
    let mut ident = field.ident.clone();
    ident.set_span(span);
    let value = if borrowed {
        quote_spanned!(span=> __media_file(self.#ident))
    } else {
        quote_spanned!(span=> __media_file(&self.#ident))
    };
    let file_part = field.attr.file_part.as_ref().map(|name| quote!(const FILE_PART: &'static str = #name;));
    Some(quote! {
        fn media_file(&self) -> #private::Option<&#private::MediaFile> {
            fn __media_file(__file: &#private::MediaFile) -> &#private::MediaFile {
                __file
            }
            #private::Option::Some(#value)
        }
        #file_part
    })
}

/// How the body or the query serialises: a mirror of some of the struct's fields, with
/// their `#[serde(...)]` attributes, deriving `Serialize` as a serde *remote* of the
/// struct, and a `Serialize` wrapper around `&self` that calls it.
///
/// A remote derive reads the fields straight from the user's struct, exactly as a derive
/// on that struct would: `skip_serializing_if`, `serialize_with` and `with` functions get
/// a `&FieldType`, and nothing is copied.
struct Mirror {
    /// The mirror and the wrapper, defined inside the method that uses them.
    definition: TokenStream,
    /// An expression wrapping `self`.
    value: TokenStream,
    /// Attributes for the method the mirror is defined in.
    attrs: TokenStream,
}

impl Mirror {
    /// Also pushes onto `bounds` what the impl needs for the wrapper to be `Serialize`:
    /// exactly the bounds the mirror's derived code is given.
    fn new(
        endpoint: &Endpoint,
        role: &str,
        fields: &[&Field],
        param_idents: &[&Ident],
        bounds: &mut Vec<WherePredicate>,
    ) -> Self {
        let private = private();
        let mirror = format_ident!("__WechatEndpoint{role}");
        let wrapper = format_ident!("__WechatEndpoint{role}Ref");

        // serde adds each field's own bound; the struct's bound replaces what serde would
        // infer, and when there is none, the inferred bounds are spelled out here, so
        // that the impl can state the same ones.
        let mut needed: Vec<WherePredicate> = Vec::new();
        for field in fields {
            if let Some(lit) = &field.serde.ser_bound {
                needed.extend(predicates(lit));
            }
        }
        let ser_bound = match &endpoint.serde.ser_bound {
            Some(lit) => {
                needed.extend(predicates(lit));
                lit.clone()
            }
            None => {
                let inferred: Vec<WherePredicate> = fields
                    .iter()
                    .filter(|field| field.serde.infers_bound && mentions(field.ty, param_idents))
                    .map(|field| {
                        let ty = field.ty;
                        syn::parse_quote_spanned!(ty.span()=> #ty: #private::serde::Serialize)
                    })
                    .collect();
                let text = inferred
                    .iter()
                    .map(|predicate| predicate.to_token_stream().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                needed.extend(inferred);
                LitStr::new(&text, Span::call_site())
            }
        };

        let ident = endpoint.ident;
        let remote = ident.to_string();
        let generics = without_defaults(endpoint.generics);
        let (_, ty_generics, where_clause) = generics.split_for_impl();
        let params = &generics.params;
        let copied = &endpoint.serde.copied;
        let members = fields.iter().map(|field| {
            let (cfgs, attrs, ident, ty) = (&field.cfgs, &field.serde.attrs, field.ident, field.ty);
            let encrypt = field.attr.encrypt.as_ref().map(|_| {
                let function = match model::plaintext(ty).expect("checked: an encrypted field is a string") {
                    Plaintext::Str => format!("::wechat_endpoint::{PRIVATE}::encrypt"),
                    Plaintext::OptionString => format!("::wechat_endpoint::{PRIVATE}::encrypt_option"),
                    Plaintext::OptionStr => ENCRYPT_OPTION_STR.to_owned(),
                };
                quote!(#[serde(serialize_with = #function)])
            });
            quote!(#(#cfgs)* #(#attrs)* #encrypt #ident: #ty,)
        });
        let encrypt_option_str = fields
            .iter()
            .any(|field| field.attr.encrypt.is_some() && model::plaintext(field.ty) == Some(Plaintext::OptionStr))
            .then(|| {
                let function = format_ident!("{ENCRYPT_OPTION_STR}");
                quote! {
                    fn #function<__S>(
                        __plaintext: &#private::Option<&str>,
                        __serializer: __S,
                    ) -> #private::Result<__S::Ok, __S::Error>
                    where
                        __S: #private::serde::Serializer,
                    {
                        match __plaintext {
                            #private::Option::Some(__text) => #private::encrypt(__text, __serializer),
                            #private::Option::None => #private::serde::Serializer::serialize_none(__serializer),
                        }
                    }
                }
            });
        // A mirror must use every parameter of the struct, whichever fields it holds.
        let marker = (!generics.params.is_empty()).then(|| {
            quote! {
                #[serde(skip)]
                __wechat_endpoint_marker: #private::PhantomData<#ident #ty_generics>,
            }
        });
        let crate_path = format!("::wechat_endpoint::{PRIVATE}::serde");

        let lifetime = Lifetime::new("'__wechat_endpoint", Span::call_site());
        let mut wrapper_generics = generics.clone();
        wrapper_generics.params.insert(0, GenericParam::Lifetime(syn::LifetimeParam::new(lifetime.clone())));
        let wrapper_where = wrapper_generics.where_clause.clone();
        wrapper_generics.make_where_clause().predicates.extend(needed.iter().cloned());
        let (wrapper_impl_generics, wrapper_ty_generics, wrapper_impl_where) = wrapper_generics.split_for_impl();
        bounds.extend(needed);

        Mirror {
            definition: quote! {
                #encrypt_option_str

                // Never built: serde reads the struct through it.
                #[allow(dead_code)]
                #[derive(#private::serde::Serialize)]
                #[serde(crate = #crate_path, remote = #remote, bound(serialize = #ser_bound))]
                #(#[serde(#copied)])*
                struct #mirror<#params> #where_clause {
                    #(#members)*
                    #marker
                }

                struct #wrapper #wrapper_impl_generics (&#lifetime #ident #ty_generics) #wrapper_where;

                impl #wrapper_impl_generics #private::serde::Serialize for #wrapper #wrapper_ty_generics
                #wrapper_impl_where
                {
                    fn serialize<__S>(&self, __serializer: __S) -> #private::Result<__S::Ok, __S::Error>
                    where
                        __S: #private::serde::Serializer,
                    {
                        #mirror::serialize(self.0, __serializer)
                    }
                }
            },
            value: quote!(#wrapper(self)),
            // serde hands a `serialize_with` function an `&FieldType`: for an encrypted
            // `Option<&str>`, an `&Option<&str>`, in the helper and in serde's own code.
            attrs: if encrypt_option_str.is_some() {
                quote!(#[allow(clippy::ref_option_ref)])
            } else {
                TokenStream::new()
            },
        }
    }
}

/// The `serialize_with` function of an encrypted `Option<&str>`, defined next to the
/// mirror: the runtime's `encrypt_option` takes an `&Option<String>`.
const ENCRYPT_OPTION_STR: &str = "__wechat_endpoint_encrypt_option_str";

/// The struct's parameters without their defaults, which only a type declaration takes.
fn without_defaults(generics: &Generics) -> Generics {
    let mut generics = generics.clone();
    for param in &mut generics.params {
        match param {
            GenericParam::Type(param) => {
                param.eq_token = None;
                param.default = None;
            }
            GenericParam::Const(param) => {
                param.eq_token = None;
                param.default = None;
            }
            GenericParam::Lifetime(_) => {}
        }
    }
    generics
}

/// The predicates of a serde `bound` string; serde reports a string that does not parse.
fn predicates(lit: &LitStr) -> Vec<WherePredicate> {
    lit.parse_with(Punctuated::<WherePredicate, Token![,]>::parse_terminated)
        .map(|predicates| predicates.into_iter().collect())
        .unwrap_or_default()
}

/// Whether `ty` names one of the struct's type or const parameters, so that a bound on
/// it is needed (and allowed: a bound on a concrete type is checked where it is written).
fn mentions(ty: &Type, param_idents: &[&Ident]) -> bool {
    fn walk(tokens: TokenStream, param_idents: &[&Ident]) -> bool {
        tokens.into_iter().any(|tree| match tree {
            TokenTree::Ident(ident) => param_idents.iter().any(|param| **param == ident),
            TokenTree::Group(group) => walk(group.stream(), param_idents),
            _ => false,
        })
    }
    !param_idents.is_empty() && walk(ty.to_token_stream(), param_idents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_private_module_is_named_after_the_version() {
        let version = env!("CARGO_PKG_VERSION").replace(['.', '-', '+'], "_");
        assert_eq!(PRIVATE, format!("__private_{version}"), "rename the runtime's module and `PRIVATE` together");
    }

    #[test]
    fn pieces_are_literal_runs_and_placeholders() {
        let template = wechat_endpoint_template::parse(
            "/v3/product-coupons/{product_coupon_id}/stocks/<stock_id>/",
            wechat_endpoint_template::FilledBy::Fields,
        )
        .unwrap();
        let pieces: Vec<String> = pieces(&template)
            .into_iter()
            .map(|piece| match piece {
                Piece::Literal(text) => format!("push_path({text})"),
                Piece::Placeholder(name) => format!("push_segment({name})"),
            })
            .collect();
        assert_eq!(
            pieces,
            [
                "push_path(v3/product-coupons/)",
                "push_segment(product_coupon_id)",
                "push_path(/stocks/)",
                "push_segment(stock_id)",
                "push_path(/)",
            ]
        );
    }
}
