//! Parses what the user wrote, one idea per file: the `#[wechat_endpoint(...)]`
//! arguments (`args`), the `#[wechat(...)]` field attributes (`field`), and the
//! `#[serde(...)]` attributes the serde mirrors of the struct take over (`serde_attr`).
//! A setting given twice is reported by [`attr::Attr`], for all of them alike.

pub(crate) mod args;
pub(crate) mod attr;
pub(crate) mod field;
pub(crate) mod serde_attr;

use syn::{Attribute, DeriveInput};

pub(crate) fn is_wechat(attr: &Attribute) -> bool {
    attr.path().is_ident("wechat")
}

pub(crate) fn is_serde(attr: &Attribute) -> bool {
    attr.path().is_ident("serde")
}

/// Removes what only this macro understands from the user's item: every
/// `#[wechat(...)]`, and the `#[serde(...)]` attributes unless the item derives serde
/// itself (without its derive, rustc would not know the `serde` attribute).
pub(crate) fn strip_helper_attrs(item: &mut DeriveInput) {
    let keep_serde = serde_attr::derives_serde(&item.attrs);
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
