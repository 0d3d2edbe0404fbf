//! The rules between the template, the method and the fields.

use crate::attr::{Method, Placement};
use crate::ctxt::Ctxt;
use crate::model::{Endpoint, Role};
use crate::suggest::closest;

/// Records every way `endpoint` breaks a rule; expansion runs only when there is none.
pub(crate) fn check(cx: &Ctxt, endpoint: &Endpoint) {
    placeholders_have_fields(cx, endpoint);
    placements_fit(cx, endpoint);
}

fn placeholders_have_fields(cx: &Ctxt, endpoint: &Endpoint) {
    let names: Vec<&str> = endpoint.fields.iter().map(|f| f.name.as_str()).collect();
    for placeholder in endpoint.template.placeholders() {
        if names.contains(&placeholder) {
            continue;
        }
        let message = if names.is_empty() {
            format!(
                "placeholder `<{placeholder}>` has no field; the struct has no fields, add \
                 `{placeholder}: String`"
            )
        } else {
            let listed = names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ");
            let hint = closest(placeholder, names.iter().copied())
                .map(|near| format!(" (did you mean `{near}`?)"))
                .unwrap_or_default();
            format!("placeholder `<{placeholder}>` has no field; fields are {listed}{hint}")
        };
        cx.error_spanned_by(&endpoint.template_lit, message);
    }
}

fn placements_fit(cx: &Ctxt, endpoint: &Endpoint) {
    for field in endpoint.fields_in(Role::Path) {
        for cfg in &field.cfgs {
            cx.error_spanned_by(
                cfg,
                format!(
                    "field `{name}` fills the placeholder `<{name}>`, which needs a value in every build; \
                     it cannot be `#[cfg]`-conditional",
                    name = field.name
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
                    "field `{name}` fills the placeholder `<{name}>`, so it cannot also go to \
                     the {placement}; remove `#[wechat({placement})]`",
                    name = field.name,
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
