//! The endpoint as the rest of the macro sees it: its arguments, and each field with its
//! role.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Generics, Ident, LitStr, Type};
use wechat_endpoint_template::{Placeholder, Template};

use crate::ctxt::Ctxt;
use crate::parse;
use crate::parse::args::{Args, Method, sends_body};
use crate::parse::field::{FieldAttr, Placement, field_attr};
use crate::parse::serde_attr::{self, ContainerSerde, FieldSerde};

/// A `#[wechat_endpoint]` struct whose arguments and attributes parsed.
pub(crate) struct Endpoint<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) generics: &'a Generics,
    /// `None` when it was missing or unknown (an error is recorded): the other checks
    /// still run, and expansion does not.
    pub(crate) method: Option<Method>,
    pub(crate) template: Template,
    pub(crate) template_lit: LitStr,
    pub(crate) response: Option<Type>,
    /// `Endpoint::IDEMPOTENT`: `None` leaves it to the method.
    pub(crate) idempotent: Option<bool>,
    /// `unchecked`: no comparison with the catalog of APIv3 operations.
    pub(crate) unchecked: bool,
    pub(crate) serde: ContainerSerde,
    pub(crate) fields: Vec<Field<'a>>,
}

/// One named field.
pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    /// The name placeholders use: the identifier without `r#`.
    pub(crate) name: String,
    pub(crate) ty: &'a Type,
    /// The field's `#[cfg(...)]` attributes: rustc applies them to the struct only after
    /// this macro ran, so the mirror structs carry them too.
    pub(crate) cfgs: Vec<&'a syn::Attribute>,
    pub(crate) role: Role,
    pub(crate) attr: FieldAttr,
    pub(crate) serde: FieldSerde<'a>,
}

/// Where a field's value goes in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Fills the placeholder of the same name.
    Path,
    /// A pair of the query string.
    Query,
    /// A member of the JSON body; of an upload, a member of its `meta` JSON.
    Body,
    /// The file of a media upload.
    File,
}

impl<'a> Endpoint<'a> {
    /// Models `input`, recording what is wrong with it; `None` if the item is not a
    /// struct with named fields or the template is unusable, which leaves nothing to check.
    pub(crate) fn from_ast(cx: &Ctxt, args: Args, input: &'a DeriveInput) -> Option<Self> {
        for attr in input.attrs.iter().filter(|a| parse::is_wechat(a)) {
            cx.error_spanned_by(
                attr,
                "`#[wechat(...)]` goes on fields; the endpoint's own settings go in \
                 `#[wechat_endpoint(...)]`",
            );
        }
        let named = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => Some(named),
                Fields::Unnamed(fields) => {
                    cx.error_spanned_by(
                        fields,
                        "`#[wechat_endpoint]` needs named fields: a field's name says which \
                         placeholder, query pair or JSON member it fills; write \
                         `struct Name { field: Type, … }`",
                    );
                    None
                }
                Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        format!(
                            "`#[wechat_endpoint]` needs a struct with braces; for an endpoint \
                             without fields write `struct {} {{}}`",
                            input.ident
                        ),
                    );
                    None
                }
            },
            Data::Enum(data) => {
                cx.error_spanned_by(
                    data.enum_token,
                    "`#[wechat_endpoint]` goes on a struct with named fields, not an enum: \
                     one struct per endpoint",
                );
                None
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "`#[wechat_endpoint]` goes on a struct with named fields, not a union",
                );
                None
            }
        }?;

        // Field attributes are checked even when the arguments are wrong.
        let parsed: Vec<_> = named.named.iter().map(|field| (field, field_attr(cx, &field.attrs))).collect();
        let method = args.method;
        let (template_lit, template) = args.template?;

        let fields = parsed
            .into_iter()
            .filter_map(|(field, attr)| {
                let ident = field.ident.as_ref()?;
                let name = ident.unraw().to_string();
                let role = if template.placeholders().iter().any(|p| p.name() == name) {
                    Role::Path
                } else {
                    match attr.placement {
                        Some((Placement::Query, _)) => Role::Query,
                        Some((Placement::Body, _)) => Role::Body,
                        Some((Placement::File, _)) => Role::File,
                        None if method.is_some_and(sends_body) => Role::Body,
                        None => Role::Query,
                    }
                };
                Some(Field {
                    ident,
                    name,
                    ty: &field.ty,
                    cfgs: field.attrs.iter().filter(|a| a.path().is_ident("cfg")).collect(),
                    role,
                    attr,
                    serde: serde_attr::field_serde(&field.attrs),
                })
            })
            .collect();

        Some(Endpoint {
            ident: &input.ident,
            generics: &input.generics,
            method,
            template,
            template_lit,
            response: args.response,
            idempotent: args.idempotent,
            unchecked: args.unchecked,
            serde: serde_attr::container_serde(&input.attrs),
            fields,
        })
    }

    /// The placeholder `name` fills, as the template writes it (`{name}` or `<name>`).
    pub(crate) fn placeholder(&self, name: &str) -> Option<&Placeholder> {
        self.template.placeholders().iter().find(|p| p.name() == name)
    }

    /// The fields with `role`, in declaration order.
    pub(crate) fn fields_in(&self, role: Role) -> impl Iterator<Item = &Field<'a>> {
        self.fields.iter().filter(move |field| field.role == role)
    }
}

/// The types `#[wechat(encrypt)]` takes, by how they are serialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plaintext {
    /// `String`, `&str`: through `sensitive::encrypt`, which takes a `&str`.
    Str,
    /// `Option<String>`: through `sensitive::encrypt_option`.
    OptionString,
    /// `Option<&str>`: through a helper of the generated code, as `encrypt_option` takes
    /// an `&Option<String>` only.
    OptionStr,
}

/// How `#[wechat(encrypt)]` serialises a field of type `ty`; `None` if it cannot.
///
/// Types are recognised by name, as written (`String` and `Option` by their last path
/// segment): an alias is not looked through.
pub(crate) fn plaintext(ty: &Type) -> Option<Plaintext> {
    if is_string(ty) || is_str_ref(ty) {
        return Some(Plaintext::Str);
    }
    let inner = option_argument(ty)?;
    if is_string(inner) {
        Some(Plaintext::OptionString)
    } else if is_str_ref(inner) {
        Some(Plaintext::OptionStr)
    } else {
        None
    }
}

/// Whether `ty` is, or wraps in an `Option`, a type named `Sensitive`: one that encrypts
/// itself.
pub(crate) fn is_sensitive(ty: &Type) -> bool {
    let named = |ty: &Type| last_segment(ty).is_some_and(|last| last.ident == "Sensitive");
    named(ty) || option_argument(ty).is_some_and(named)
}

/// The span of the name `MediaFile` when `ty` is a type of that name, a shared
/// reference to one, or an `Arc`, `Rc` or `Box` of one; and whether it is a reference.
/// The generated code checks that it is `wechat_endpoint::media::MediaFile`.
pub(crate) fn media_file_name(ty: &Type) -> Option<(Span, bool)> {
    let (ty, borrowed) = match ty {
        Type::Reference(reference) if reference.mutability.is_none() => (&*reference.elem, true),
        ty => (ty, false),
    };
    let ty = match last_segment(ty) {
        Some(last) if ["Arc", "Rc", "Box"].iter().any(|pointer| last.ident == pointer) => only_argument(last)?,
        _ => ty,
    };
    last_segment(ty)
        .filter(|last| last.ident == "MediaFile" && last.arguments.is_none())
        .map(|last| (last.ident.span(), borrowed))
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        Type::Group(group) => last_segment(&group.elem),
        Type::Paren(paren) => last_segment(&paren.elem),
        _ => None,
    }
}

fn is_string(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|last| last.ident == "String" && last.arguments.is_none())
}

/// `&str` or `&'a str`.
fn is_str_ref(ty: &Type) -> bool {
    match ty {
        Type::Reference(reference) => {
            reference.mutability.is_none() && matches!(&*reference.elem, Type::Path(p) if p.path.is_ident("str"))
        }
        Type::Group(group) => is_str_ref(&group.elem),
        Type::Paren(paren) => is_str_ref(&paren.elem),
        _ => false,
    }
}

/// `T` of `Option<T>`.
fn option_argument(ty: &Type) -> Option<&Type> {
    last_segment(ty).filter(|last| last.ident == "Option").and_then(only_argument)
}

/// `T` of `Name<T>`.
fn only_argument(segment: &syn::PathSegment) -> Option<&Type> {
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [syn::GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> Type {
        syn::parse_str(text).unwrap()
    }

    #[test]
    fn plaintext_types() {
        for (text, expected) in [
            ("String", Some(Plaintext::Str)),
            ("std::string::String", Some(Plaintext::Str)),
            ("&str", Some(Plaintext::Str)),
            ("&'a str", Some(Plaintext::Str)),
            ("Option<String>", Some(Plaintext::OptionString)),
            ("core::option::Option<alloc::string::String>", Some(Plaintext::OptionString)),
            ("Option<&'static str>", Some(Plaintext::OptionStr)),
            ("&mut str", None),
            ("&String", None),
            ("Option<Option<String>>", None),
            ("Vec<String>", None),
            ("Cow<'a, str>", None),
            ("Sensitive", None),
            ("u64", None),
        ] {
            assert_eq!(plaintext(&ty(text)), expected, "{text}");
        }
        assert!(is_sensitive(&ty("wechat_endpoint::sensitive::Sensitive")));
        assert!(is_sensitive(&ty("Option<Sensitive>")));
        assert!(!is_sensitive(&ty("Vec<Sensitive>")));
    }

    #[test]
    fn media_file_types() {
        for (text, expected) in [
            ("MediaFile", Some(false)),
            ("wechat_endpoint::media::MediaFile", Some(false)),
            ("&'a MediaFile", Some(true)),
            ("&MediaFile", Some(true)),
            ("std::sync::Arc<MediaFile>", Some(false)),
            ("Box<wechat_endpoint::media::MediaFile>", Some(false)),
            ("&'a Rc<MediaFile>", Some(true)),
            ("Arc<Vec<u8>>", None),
            ("&mut MediaFile", None),
            ("Option<MediaFile>", None),
            ("Vec<u8>", None),
            ("MediaFile<T>", None),
        ] {
            assert_eq!(media_file_name(&ty(text)).map(|(_, borrowed)| borrowed), expected, "{text}");
        }
    }
}
