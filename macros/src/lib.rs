//! The `#[wechat_endpoint]` attribute of the `wechat-endpoint` crate. Use it through
//! `wechat_endpoint::wechat_endpoint`, where it is documented with examples.

// Laid out like serde_derive: `parse` reads the arguments and attributes, `model` gives
// each field its role, `check` holds the rules between them, and `expand` writes the
// `Endpoint` impl from a model that passed the checks. `ctxt` collects every error of a
// declaration, so that all are reported at once, next to the user's struct and a
// stand-in impl. The template grammar is the `wechat-endpoint-template` crate's, shared
// with the runtime.

mod check;
mod ctxt;
mod expand;
mod model;
mod parse;
mod suggest;

use proc_macro::TokenStream;
use quote::quote;

/// The attribute comes from `wechat-endpoint-macros`; use it as
/// `wechat_endpoint::wechat_endpoint`, which documents it with examples.
#[proc_macro_attribute]
pub fn wechat_endpoint(args: TokenStream, input: TokenStream) -> TokenStream {
    let args = proc_macro2::TokenStream::from(args);
    let mut item = match syn::parse::<syn::DeriveInput>(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let error = syn::Error::new(
                proc_macro2::Span::call_site(),
                "`#[wechat_endpoint]` goes on a struct with named fields",
            )
            .into_compile_error();
            let input = proc_macro2::TokenStream::from(input);
            return quote!(#error #input).into();
        }
    };
    let expansion = declaration(args, &item);
    parse::strip_helper_attrs(&mut item);
    quote!(#item #expansion).into()
}

/// The impl; or the `compile_error!`s of everything wrong with the declaration, and a
/// stand-in impl.
fn declaration(args: proc_macro2::TokenStream, item: &syn::DeriveInput) -> proc_macro2::TokenStream {
    let cx = ctxt::Ctxt::new();
    let args = parse::args::parse_args(&cx, args);
    let response = args.response.clone();
    let endpoint = model::Endpoint::from_ast(&cx, args, item);
    if let Some(endpoint) = &endpoint {
        check::check(&cx, endpoint);
    }
    match (cx.check(), endpoint) {
        (Ok(()), Some(endpoint)) => expand::expand(&endpoint),
        (Err(errors), _) => expand::fallback(item, response.as_ref(), errors),
        (Ok(()), None) => unreachable!("no model without an error"),
    }
}
