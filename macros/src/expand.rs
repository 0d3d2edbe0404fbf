//! Generates the `Endpoint` impl from a checked model; nothing here can fail.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{GenericParam, Generics, Ident, Lifetime, LitStr, Token, Type, WherePredicate};

use crate::attr::Method;
use crate::model::{self, Endpoint, Field, Plaintext, Role};
use crate::template::Piece;

/// The `Endpoint` impl of a checked endpoint.
pub(crate) fn expand(endpoint: &Endpoint) -> TokenStream {
    let private = private();
    let ident = endpoint.ident;
    let param_idents: Vec<&Ident> = (endpoint.generics.type_params().map(|p| &p.ident))
        .chain(endpoint.generics.const_params().map(|p| &p.ident))
        .collect();

    let mut bounds: Vec<WherePredicate> = Vec::new();
    let write_target = write_target(endpoint, &param_idents, &mut bounds);
    let write_body = write_body(endpoint, &param_idents, &mut bounds);
    let media_file = media_file(endpoint);
    let response = match &endpoint.response {
        Some(ty) => {
            if mentions(ty, &param_idents) {
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
    let method = endpoint.method.expect("checked: the method is known");
    let method_ident = format_ident!("{}", method.as_str());
    let path_template = endpoint.template.declared();
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

/// The hidden module generated code reaches the runtime through.
fn private() -> TokenStream {
    quote!(::wechat_endpoint::__private)
}

/// One `push_path` per literal run, one `push_segment` per placeholder, then one
/// `push_query` when there are query fields.
fn write_target(endpoint: &Endpoint, param_idents: &[&Ident], bounds: &mut Vec<WherePredicate>) -> TokenStream {
    let private = private();
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
    let display_fn = endpoint.template.placeholders().next().map(|_| {
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
    } else if endpoint.method.is_some_and(Method::sends_body) && !upload {
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
    Some(quote! {
        fn media_file(&self) -> #private::Option<&#private::MediaFile> {
            fn __media_file(__file: &#private::MediaFile) -> &#private::MediaFile {
                __file
            }
            #private::Option::Some(#value)
        }
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
                    Plaintext::Str => "::wechat_endpoint::__private::encrypt",
                    Plaintext::OptionString => "::wechat_endpoint::__private::encrypt_option",
                    Plaintext::OptionStr => ENCRYPT_OPTION_STR,
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
        let crate_path = "::wechat_endpoint::__private::serde";

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
