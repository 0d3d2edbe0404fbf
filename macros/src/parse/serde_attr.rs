//! The struct's and its fields' `#[serde(...)]` attributes, as far as the serde mirrors
//! of the query and the body take them over.

use syn::punctuated::Punctuated;
use syn::{Attribute, LitStr, Meta, Token};

use super::is_serde;

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
    if !meta.path().is_ident("bound") {
        return None;
    }
    serialize_name(meta)
}

/// The string of `key = "..."` or `key(serialize = "...")`, whatever the key.
fn serialize_name(meta: &Meta) -> Option<LitStr> {
    let lit = |expr: &syn::Expr| match expr {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. }) => Some(lit.clone()),
        _ => None,
    };
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
    /// The rule of `rename_all = "..."` or `rename_all(serialize = "...")`.
    pub(crate) rename_all: Option<LitStr>,
}

/// Container attributes that shape the fields apply to the mirrors; the ones that
/// describe the struct as a whole (`into`, `tag`, `transparent`, `crate`…) do not.
pub(crate) fn container_serde(attrs: &[Attribute]) -> ContainerSerde {
    let mut serde = ContainerSerde::default();
    for meta in attrs.iter().filter(|a| is_serde(a)).filter_map(serde_metas).flatten() {
        if meta.path().is_ident("rename_all") {
            serde.rename_all = serialize_name(&meta).or(serde.rename_all);
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
    /// The name of `rename = "..."` or `rename(serialize = "...")`.
    pub(crate) rename: Option<LitStr>,
    /// `skip` or `skip_serializing`: the field is never sent.
    pub(crate) skipped: bool,
    /// `flatten`: the field's own members are sent in its place.
    pub(crate) flatten: bool,
}

pub(crate) fn field_serde(attrs: &[Attribute]) -> FieldSerde<'_> {
    let attrs: Vec<&Attribute> = attrs.iter().filter(|a| is_serde(a)).collect();
    let mut ser_bound = None;
    let mut serializes_itself = true;
    let mut custom_serializer = None;
    let (mut rename, mut skipped, mut flatten) = (None, false, false);
    for meta in attrs.iter().filter_map(|a| serde_metas(a)).flatten() {
        let path = meta.path();
        if path.is_ident("rename") {
            rename = serialize_name(&meta).or(rename);
        }
        skipped |= path.is_ident("skip") || path.is_ident("skip_serializing");
        flatten |= path.is_ident("flatten");
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
    FieldSerde {
        infers_bound: serializes_itself && ser_bound.is_none(),
        attrs,
        ser_bound,
        custom_serializer,
        rename,
        skipped,
        flatten,
    }
}
