//! The rules between the template, the method and the fields; `catalog` compares them
//! with WeChat Pay's description of the operation.

mod catalog;

use crate::ctxt::Ctxt;
use crate::model::{self, Endpoint, Field, Role};
use crate::parse::args::Method;
use crate::parse::field::Placement;
use crate::suggest::closest;

/// Records every way `endpoint` breaks a rule; expansion runs only when there is none.
pub(crate) fn check(cx: &Ctxt, endpoint: &Endpoint) {
    placeholders_have_fields(cx, endpoint);
    placements_fit(cx, endpoint);
    encrypted_fields_fit(cx, endpoint);
    file_fits(cx, endpoint);
    catalog::check(cx, endpoint);
}

fn placeholders_have_fields(cx: &Ctxt, endpoint: &Endpoint) {
    let names: Vec<&str> = endpoint.fields.iter().map(|f| f.name.as_str()).collect();
    for placeholder in endpoint.template.placeholders() {
        let name = placeholder.name();
        if names.contains(&name) {
            continue;
        }
        let message = if names.is_empty() {
            format!("placeholder `{placeholder}` has no field; the struct has no fields, add `{name}: String`")
        } else {
            let listed = names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ");
            let hint = closest(name, names.iter().copied())
                .map(|near| format!(" (did you mean `{near}`?)"))
                .unwrap_or_default();
            format!("placeholder `{placeholder}` has no field; fields are {listed}{hint}")
        };
        cx.error_spanned_by(&endpoint.template_lit, message);
    }
}

/// The placeholder a path field fills, as the template writes it: `{name}` or `<name>`.
fn written(endpoint: &Endpoint, field: &Field) -> String {
    endpoint.placeholder(&field.name).expect("a path field fills a placeholder").to_string()
}

fn placements_fit(cx: &Ctxt, endpoint: &Endpoint) {
    for field in endpoint.fields_in(Role::Path) {
        for cfg in &field.cfgs {
            cx.error_spanned_by(
                cfg,
                format!(
                    "field `{name}` fills the placeholder `{placeholder}`, which needs a value in every build; \
                     it cannot be `#[cfg]`-conditional",
                    name = field.name,
                    placeholder = written(endpoint, field),
                ),
            );
        }
    }
    for field in &endpoint.fields {
        let Some((placement, keyword)) = &field.attr.placement else {
            continue;
        };
        if field.role == Role::Path {
            cx.error_spanned_by(
                keyword,
                format!(
                    "field `{name}` fills the placeholder `{placeholder}`, so it cannot also go to \
                     {destination}; remove `#[wechat({placement})]`",
                    name = field.name,
                    placeholder = written(endpoint, field),
                    destination = placement.destination(),
                    placement = placement.as_str(),
                ),
            );
        } else if *placement == Placement::Body && endpoint.method == Some(Method::Get) {
            cx.error_spanned_by(
                keyword,
                "a GET request has no body; remove `#[wechat(body)]` to send the field in \
                 the query string",
            );
        }
    }
}

/// `#[wechat(encrypt)]` goes on a `String` or `&str` (or an `Option` of one) of the JSON
/// body or of the query string, serialised by nothing else.
fn encrypted_fields_fit(cx: &Ctxt, endpoint: &Endpoint) {
    for field in &endpoint.fields {
        let Some(keyword) = &field.attr.encrypt else {
            continue;
        };
        let name = &field.name;
        let misplaced = match field.role {
            Role::Body | Role::Query => None,
            Role::Path => Some(format!(
                "field `{name}` fills the placeholder `{placeholder}`, and the gateway decrypts values of the \
                 JSON body or the query string, never of a path segment; `#[wechat(encrypt)]` is for those \
                 fields",
                placeholder = written(endpoint, field),
            )),
            Role::File => Some(
                "the uploaded file is sent as it is; `#[wechat(encrypt)]` is for fields of the JSON \
                 body or the query string"
                    .to_owned(),
            ),
        };
        if let Some(message) = misplaced {
            cx.error_spanned_by(keyword, message);
        } else if model::is_sensitive(field.ty) {
            cx.error_spanned_by(
                keyword,
                format!("`{name}` is a `Sensitive` value, which encrypts itself; remove `#[wechat(encrypt)]`"),
            );
        } else if model::plaintext(field.ty).is_none() {
            cx.error_spanned_by(
                field.ty,
                "`#[wechat(encrypt)]` takes a field of type `String`, `&str`, `Option<String>` or \
                 `Option<&str>`; for sensitive values inside other types (a struct, a `Vec`…) give \
                 each one the type `wechat_endpoint::sensitive::Sensitive` and leave out \
                 `#[wechat(encrypt)]`",
            );
        }
        if let Some(key) = &field.serde.custom_serializer {
            let key_name = key.get_ident().map(ToString::to_string).unwrap_or_default();
            cx.error_spanned_by(
                key,
                format!(
                    "`#[wechat(encrypt)]` already serialises `{name}`, with \
                     `wechat_endpoint::sensitive::encrypt`; remove `{key_name}`, or remove `encrypt` \
                     and call `wechat_endpoint::sensitive::encrypt` from your own function"
                ),
            );
        }
    }
}

/// One `MediaFile` field, always there, on a POST.
fn file_fits(cx: &Ctxt, endpoint: &Endpoint) {
    let files: Vec<_> = endpoint
        .fields
        .iter()
        .filter_map(|field| match &field.attr.placement {
            Some((Placement::File, keyword)) => Some((field, keyword)),
            _ => None,
        })
        .collect();
    let Some((first, _)) = files.first() else {
        return;
    };
    for (field, keyword) in &files[1..] {
        cx.error_spanned_by(
            keyword,
            format!(
                "an upload sends one file, and `{}` is already it; remove `#[wechat(file)]` from `{}`",
                first.name, field.name
            ),
        );
    }
    for (field, keyword) in &files {
        if let Some(name) = &field.attr.file_part {
            let text = name.value();
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
                cx.error_spanned_by(
                    name,
                    format!("the file part's name {text:?} cannot be sent: use ASCII letters, digits, `_` and `-`"),
                );
            }
        }
        if field.role == Role::Path {
            // Reported by `placements_fit`.
            continue;
        }
        if let Some(method) = endpoint.method.filter(|method| *method != Method::Post) {
            cx.error_spanned_by(
                keyword,
                format!(
                    "a media upload is a POST (its file goes in a multipart/form-data body), not a \
                     {method}; write `#[wechat_endpoint(POST, …)]`",
                    method = method.as_str()
                ),
            );
        }
        for cfg in &field.cfgs {
            cx.error_spanned_by(
                cfg,
                format!(
                    "`{}` is the file of the upload, which every build sends; it cannot be `#[cfg]`-conditional",
                    field.name
                ),
            );
        }
        if model::media_file_name(field.ty).is_none() {
            cx.error_spanned_by(
                field.ty,
                "`#[wechat(file)]` takes a field of type `wechat_endpoint::media::MediaFile`, or a \
                 reference, an `Arc`, an `Rc` or a `Box` of one: read the file with \
                 `MediaFile::open` or make it with `MediaFile::from_bytes`",
            );
        }
    }
}
