//! Generates the `Endpoint` impl from a checked model; nothing here can fail.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{GenericParam, Generics, Ident, Lifetime, LitStr, Token, Type, WherePredicate};

use crate::model::{Endpoint, Field, Role};
use crate::template::Piece;

/// The `Endpoint` impl of a checked endpoint.
pub(crate) fn expand(endpoint: &Endpoint) -> TokenStream {
    let private = private();
    let ident = endpoint.ident;
    let type_params: Vec<&Ident> = endpoint.generics.type_params().map(|p| &p.ident).collect();

    let mut bounds: Vec<WherePredicate> = Vec::new();
    let write_target = write_target(endpoint, &type_params, &mut bounds);
    let write_body = write_body(endpoint, &type_params, &mut bounds);
    let response = match &endpoint.response {
        Some(ty) => {
            if mentions(ty, &type_params) {
                bounds.push(syn::parse_quote_spanned!(ty.span()=>
                    #ty: #private::serde::de::DeserializeOwned
                ));
            }
            ty.to_token_stream()
        }
        None => quote!(()),
    };

    let mut generics = endpoint.generics.clone();
    generics.make_where_clause().predicates.extend(bounds);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let method = format_ident!("{}", endpoint.method.as_str());
    let path_template = endpoint.template.declared();

    quote! {
        impl #impl_generics #private::Endpoint for #ident #ty_generics #where_clause {
            type Response = #response;
            const METHOD: #private::Method = #private::Method::#method;
            const PATH_TEMPLATE: &'static str = #path_template;

            #write_target
            #write_body
        }
    }
}

/// The hidden module generated code reaches the runtime through.
fn private() -> TokenStream {
    quote!(::wechat_endpoint::__private)
}

/// One `push_path` per literal run, one `push_segment` per placeholder, then one
/// `push_query` when there are query fields.
fn write_target(endpoint: &Endpoint, type_params: &[&Ident], bounds: &mut Vec<WherePredicate>) -> TokenStream {
    let private = private();
    let mut asserts = TokenStream::new();
    let mut pushes = TokenStream::new();
    for piece in endpoint.template.pieces() {
        match piece {
            Piece::Literal(text) => pushes.extend(quote! {
                #private::TargetWriter::push_path(__target, #text);
            }),
            Piece::Placeholder(name) => {
                let field = endpoint
                    .fields_in(Role::Path)
                    .find(|field| field.name == *name)
                    .expect("checked: every placeholder has a field");
                let (ident, ty) = (field.ident, field.ty);
                if mentions(ty, type_params) {
                    bounds.push(syn::parse_quote_spanned!(ty.span()=> #ty: #private::Display));
                }
                // Spanned at the field's type, so that a type without `Display` is
                // reported there, once.
                asserts.extend(quote_spanned! {ty.span()=>
                    __assert_display::<#ty>();
                });
                let value = quote_spanned!(ty.span()=> &self.#ident);
                pushes.extend(quote! {
                    #private::TargetWriter::push_segment(__target, #name, #value)?;
                });
            }
        }
    }
    let assert_fn = (!asserts.is_empty()).then(|| {
        quote! {
            fn __assert_display<T: ?::core::marker::Sized + #private::Display>() {}
        }
    });

    let query: Vec<&Field> = endpoint.fields_in(Role::Query).collect();
    let tail = if query.is_empty() {
        quote!(#private::Result::Ok(()))
    } else {
        let name = Ident::new("__WechatEndpointQuery", Span::call_site());
        let helper = Helper::new(endpoint, name, &query, type_params, bounds);
        let (definition, value) = (&helper.definition, &helper.value);
        quote! {
            #definition
            #private::TargetWriter::push_query(__target, &#value)
        }
    };

    quote! {
        fn write_target(
            &self,
            __target: &mut #private::TargetWriter<'_>,
        ) -> #private::Result<(), #private::BuildError> {
            #assert_fn
            #asserts
            #pushes
            #tail
        }
    }
}

/// The JSON body of the body fields; `{}` when a POST, PUT or PATCH has none; nothing
/// (the trait's default) for a GET or DELETE without body fields.
fn write_body(endpoint: &Endpoint, type_params: &[&Ident], bounds: &mut Vec<WherePredicate>) -> Option<TokenStream> {
    let private = private();
    let body: Vec<&Field> = endpoint.fields_in(Role::Body).collect();
    let statements = if !body.is_empty() {
        let name = Ident::new("__WechatEndpointBody", Span::call_site());
        let helper = Helper::new(endpoint, name, &body, type_params, bounds);
        let (definition, value) = (&helper.definition, &helper.value);
        quote! {
            #definition
            #private::write_json(__body, &#value)
        }
    } else if endpoint.method.sends_body() {
        quote! {
            #private::Vec::extend_from_slice(__body, b"{}");
            #private::Result::Ok(())
        }
    } else {
        return None;
    };
    Some(quote! {
        fn write_body(
            &self,
            __body: &mut #private::Vec<u8>,
        ) -> #private::Result<(), #private::BuildError> {
            #statements
        }
    })
}

/// A struct of references to some of the fields, deriving `Serialize` with the fields'
/// `#[serde(...)]` attributes, so that the body or query serialises without copying.
struct Helper {
    /// The struct, defined inside the method that uses it.
    definition: TokenStream,
    /// An expression building it from `self`.
    value: TokenStream,
}

impl Helper {
    /// Also pushes onto `bounds` what the impl needs for the helper to be `Serialize`:
    /// exactly the bounds the helper's own impl is given.
    fn new(
        endpoint: &Endpoint,
        name: Ident,
        fields: &[&Field],
        type_params: &[&Ident],
        bounds: &mut Vec<WherePredicate>,
    ) -> Self {
        let private = private();
        let lifetime = Lifetime::new("'__wechat_endpoint", Span::call_site());

        // serde adds each field's own bound; the struct's bound replaces what serde would
        // infer, and when there is none, the inferred bounds are spelled out here, so
        // that the impl can state the same ones.
        for field in fields {
            if let Some(lit) = &field.serde.ser_bound {
                bounds.extend(predicates(lit));
            }
        }
        let ser_bound = match &endpoint.serde.ser_bound {
            Some(lit) => {
                bounds.extend(predicates(lit));
                lit.clone()
            }
            None => {
                let inferred: Vec<WherePredicate> = fields
                    .iter()
                    .filter(|field| field.serde.infers_bound && mentions(field.ty, type_params))
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
                bounds.extend(inferred);
                LitStr::new(&text, Span::call_site())
            }
        };

        let generics = helper_generics(endpoint.generics, &lifetime);
        let where_clause = &generics.where_clause;
        let copied = &endpoint.serde.copied;
        let idents: Vec<&Ident> = fields.iter().map(|field| field.ident).collect();
        let members = fields.iter().map(|field| {
            let (attrs, ident, ty) = (&field.serde.attrs, field.ident, field.ty);
            quote!(#(#attrs)* #ident: &#lifetime #ty,)
        });
        let (marker, marker_value) = if endpoint.generics.params.is_empty() {
            (None, None)
        } else {
            // Uses every parameter of the struct, whichever fields this helper holds.
            let ident = endpoint.ident;
            let (_, ty_generics, _) = endpoint.generics.split_for_impl();
            (
                Some(quote! {
                    #[serde(skip)]
                    __wechat_endpoint_marker: #private::PhantomData<&#lifetime #ident #ty_generics>,
                }),
                Some(quote!(__wechat_endpoint_marker: #private::PhantomData::<&Self>,)),
            )
        };
        let params = &generics.params;
        let crate_path = "::wechat_endpoint::__private::serde";

        Helper {
            definition: quote! {
                // A skipped field is never read, like the marker.
                #[allow(dead_code)]
                #[derive(#private::serde::Serialize)]
                #[serde(crate = #crate_path, bound(serialize = #ser_bound))]
                #(#[serde(#copied)])*
                struct #name<#params> #where_clause {
                    #(#members)*
                    #marker
                }
            },
            value: quote! {
                #name {
                    #(#idents: &self.#idents,)*
                    #marker_value
                }
            },
        }
    }
}

/// The struct's parameters after the helper's own lifetime, without defaults.
fn helper_generics(generics: &Generics, lifetime: &Lifetime) -> Generics {
    let mut helper = generics.clone();
    for param in &mut helper.params {
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
    helper
        .params
        .insert(0, GenericParam::Lifetime(syn::LifetimeParam::new(lifetime.clone())));
    helper
}

/// The predicates of a serde `bound` string; serde reports a string that does not parse.
fn predicates(lit: &LitStr) -> Vec<WherePredicate> {
    lit.parse_with(Punctuated::<WherePredicate, Token![,]>::parse_terminated)
        .map(|predicates| predicates.into_iter().collect())
        .unwrap_or_default()
}

/// Whether `ty` names one of the struct's type parameters, so that a bound on it is
/// needed (and allowed: a bound on a concrete type is checked where it is written).
fn mentions(ty: &Type, type_params: &[&Ident]) -> bool {
    fn walk(tokens: TokenStream, type_params: &[&Ident]) -> bool {
        tokens.into_iter().any(|tree| match tree {
            TokenTree::Ident(ident) => type_params.iter().any(|param| **param == ident),
            TokenTree::Group(group) => walk(group.stream(), type_params),
            _ => false,
        })
    }
    !type_params.is_empty() && walk(ty.to_token_stream(), type_params)
}
