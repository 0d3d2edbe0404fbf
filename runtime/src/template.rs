//! The path template of the dynamic form and of the sandbox's routes:
//! `"v3/pay/transactions/out-trade-no/{out_trade_no}"`.
//!
//! The grammar and its one parser live in `wechat-endpoint-template`, which
//! `#[wechat_endpoint]` checks declared templates with at compile time: a template is
//! accepted here exactly when the macro accepts it, placeholders written `{name}` (as the
//! WeChat Pay documentation writes paths) or `<name>`.

pub(crate) use wechat_endpoint_template::{Problem, Segment, Template};

/// Parses and checks `template`, with messages that speak of path values (given with
/// `.path(name, value)`) rather than fields.
pub(crate) fn parse_template(template: &str) -> Result<Template, Vec<Problem>> {
    wechat_endpoint_template::parse(template, wechat_endpoint_template::FilledBy::Values)
}
