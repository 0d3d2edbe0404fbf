//! The endpoint as the rest of the macro sees it: its arguments, and each field with its
//! role.

use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Generics, Ident, LitStr, Type};

use crate::attr::{self, Args, ContainerSerde, FieldAttr, FieldSerde, Method, Placement};
use crate::ctxt::Ctxt;
use crate::template::Template;

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
    /// A member of the JSON body.
    Body,
}

impl<'a> Endpoint<'a> {
    /// Models `input`, recording what is wrong with it; `None` if the item is not a
    /// struct with named fields or the template is unusable, which leaves nothing to check.
    pub(crate) fn from_ast(cx: &Ctxt, args: Args, input: &'a DeriveInput) -> Option<Self> {
        for attr in input.attrs.iter().filter(|a| attr::is_wechat(a)) {
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
        let parsed: Vec<_> = named.named.iter().map(|field| (field, attr::field_attr(cx, &field.attrs))).collect();
        let method = args.method;
        let (template_lit, template) = args.template?;

        let fields = parsed
            .into_iter()
            .filter_map(|(field, attr)| {
                let ident = field.ident.as_ref()?;
                let name = ident.unraw().to_string();
                let role = if template.placeholders().any(|p| p == name) {
                    Role::Path
                } else {
                    match attr.placement {
                        Some((Placement::Query, _)) => Role::Query,
                        Some((Placement::Body, _)) => Role::Body,
                        None if method.is_some_and(Method::sends_body) => Role::Body,
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
                    serde: attr::field_serde(&field.attrs),
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
            serde: attr::container_serde(&input.attrs),
            fields,
        })
    }

    /// The fields with `role`, in declaration order.
    pub(crate) fn fields_in(&self, role: Role) -> impl Iterator<Item = &Field<'a>> {
        self.fields.iter().filter(move |field| field.role == role)
    }
}
