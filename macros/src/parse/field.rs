//! A field's `#[wechat(...)]` attributes: `query`, `body`, `file` and `encrypt`.

use syn::{Attribute, Ident, LitStr, Meta, Token};

use super::attr::Attr;
use super::is_wechat;
use crate::ctxt::Ctxt;
use crate::suggest::closest;

/// Where a `#[wechat(...)]` attribute sends a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    Query,
    Body,
    /// The `file` part of a media upload.
    File,
}

impl Placement {
    const ALL: [Placement; 3] = [Placement::Query, Placement::Body, Placement::File];

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
    /// The part name of `file = "…"`, for an upload whose file part is not `file`.
    pub(crate) file_part: Option<LitStr>,
}

/// Parses a field's `#[wechat(...)]` attributes.
pub(crate) fn field_attr(cx: &Ctxt, attrs: &[Attribute]) -> FieldAttr {
    // One setting per placement, in the order of `Placement::ALL` (indexed by
    // `Placement as usize`); a field takes one of them.
    let mut placements: [Attr<Ident>; 3] =
        [Attr::none(cx, "`query`"), Attr::none(cx, "`body`"), Attr::none(cx, "`file`")];
    let mut encrypt = Attr::none(cx, "`encrypt`");
    let mut file_part = Attr::none(cx, "the file part's name");
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
                "file" => {
                    if meta.input.peek(Token![=]) {
                        let name: LitStr = meta.value()?.parse()?;
                        file_part.set(&name, || Some(name.clone()));
                    }
                    Placement::File
                }
                "encrypt" => {
                    encrypt.set(key, || Some(key.clone()));
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
            // A conflicting placement is not recorded, so the one given first stays the only one.
            let earlier = Placement::ALL
                .into_iter()
                .zip(&placements)
                .find(|(placement, attr)| *placement != found && attr.is_given())
                .map(|(placement, _)| placement);
            match earlier {
                Some(earlier) => cx.error_spanned_by(
                    key,
                    format!(
                        "a field goes to {} or to {}, not both; keep one of `{}`, `{}`",
                        earlier.destination(),
                        found.destination(),
                        earlier.as_str(),
                        found.as_str(),
                    ),
                ),
                None => placements[found as usize].set(key, || Some(key.clone())),
            }
            Ok(())
        });
        if let Err(error) = parsed {
            cx.syn_error(error);
        }
    }
    let placement =
        Placement::ALL.into_iter().zip(placements).find_map(|(placement, attr)| Some((placement, attr.get()?)));
    FieldAttr { placement, encrypt: encrypt.get(), file_part: file_part.get() }
}
