//! The one rule that names an operation's typed endpoint after its method and path: the
//! catalog converter fills `Operation::rust_path` with it and the `apis` generator
//! declares the types it names.
//!
//! - The version segment is dropped: `v3/…` starts at the segment after `v3`. The paths
//!   under `hk/v3/` and `global/v3/` get a first module `hk_v3` or `global_v3` (not `hk`
//!   or `global`: the catalog has `GET v3/global/customs/orders` beside `GET
//!   global/v3/customs/orders`). Their area, the `apis-<area>` feature, is `hk` or
//!   `global`.
//! - Modules: the literal segments before the last literal one, in snake case (`-` and
//!   other separators become `_`, `camelCase` becomes `camel_case`, a Rust keyword gets a
//!   trailing `_`). The first module, the *area*, is always there: a path whose only
//!   literal is its area (`v3/certificates`) names a type in that module.
//! - The type: `POST` gives Pascal(last literal segment); `GET`, `PUT`, `PATCH` and
//!   `DELETE` prefix `Get`, `Put`, `Patch`, `Delete`. When placeholders follow the last
//!   literal, `By` and their names in Pascal case joined with `And` are appended.
//! - Tie-break: when several operations of one module get one name, each of them with a
//!   placeholder the name does not mention yet takes `By` and all its placeholder names
//!   instead; a name still shared fails the generation.

use std::collections::BTreeMap;

/// Rust's keywords, strict and reserved, which a module or field name cannot be.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "Self",
];

/// The words of a name: split at every character that is not a letter or digit and
/// before each upper-case letter that follows a lower-case letter or digit.
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `out-trade-no` → `OutTradeNo`, `getSignInfo` → `GetSignInfo`, `SUCCESS` → `Success`.
pub fn pascal(text: &str) -> String {
    words(text)
        .iter()
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            let mut chars = lower.chars();
            chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

/// `out-trade-no` → `out_trade_no`, `subMchid` → `sub_mchid`, `type` → `type_`; a name
/// starting with a digit gets a leading `_`.
pub fn snake(text: &str) -> String {
    let mut name = words(text).iter().map(|word| word.to_ascii_lowercase()).collect::<Vec<_>>().join("_");
    if name.is_empty() {
        name.push('_');
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Whether a segment is a placeholder, `{name}`.
fn placeholder(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

/// Where an operation's type goes and what it is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeName {
    /// The modules under `apis`, the area first.
    pub modules: Vec<String>,
    /// The type's name.
    pub name: String,
    /// The first path segment after the version, as written: the `apis-<area>` feature.
    pub area: String,
}

impl TypeName {
    /// `wechat_endpoint::apis::pay::transactions::GetIdByTransactionId`.
    pub fn rust_path(&self) -> String {
        format!("wechat_endpoint::apis::{}::{}", self.modules.join("::"), self.name)
    }
}

/// The segments after the version and the area's name, or an error naming the path.
fn versionless(path: &str) -> Result<(Vec<&str>, Option<&'static str>), String> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    match segments.as_slice() {
        ["v3", rest @ ..] => Ok((rest.to_vec(), None)),
        ["hk", "v3", rest @ ..] => Ok((rest.to_vec(), Some("hk"))),
        ["global", "v3", rest @ ..] => Ok((rest.to_vec(), Some("global"))),
        _ => Err(format!("`{path}` starts with neither `v3/`, `hk/v3/` nor `global/v3/`")),
    }
}

/// The name of one operation by the rule without its tie-break; `all_placeholders`
/// appends every placeholder rather than the trailing ones.
fn name_of(method: &str, path: &str, all_placeholders: bool) -> Result<TypeName, String> {
    let (segments, prefix) = versionless(path)?;
    let last_literal = segments
        .iter()
        .rposition(|segment| placeholder(segment).is_none())
        .ok_or_else(|| format!("`{path}` has no literal segment after its version"))?;
    let literals: Vec<&str> = segments[..last_literal].iter().copied().filter(|s| placeholder(s).is_none()).collect();
    let mut modules: Vec<String> = prefix.map(|prefix| format!("{prefix}_v3")).into_iter().collect();
    modules.extend(literals.iter().map(|segment| snake(segment)));
    if modules.is_empty() {
        modules.push(snake(segments[last_literal]));
    }
    let area =
        prefix.map_or_else(|| segments.iter().find(|s| placeholder(s).is_none()).unwrap().to_string(), str::to_owned);
    let verb = match method {
        "POST" => "",
        "GET" => "Get",
        "PUT" => "Put",
        "PATCH" => "Patch",
        "DELETE" => "Delete",
        other => return Err(format!("`{other} {path}`: unknown method")),
    };
    let mut name = format!("{verb}{}", pascal(segments[last_literal]));
    let named: Vec<&str> = if all_placeholders {
        segments.iter().filter_map(|s| placeholder(s)).collect()
    } else {
        segments[last_literal + 1..].iter().filter_map(|s| placeholder(s)).collect()
    };
    if !named.is_empty() {
        name.push_str("By");
        name.push_str(&named.iter().map(|p| pascal(p)).collect::<Vec<_>>().join("And"));
    }
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
        return Err(format!("`{method} {path}` gives `{name}`, which is not a type name"));
    }
    Ok(TypeName { modules, name, area })
}

/// The type names of `operations` (`(method, path template)`, methods upper case), in
/// order, with the tie-break applied.
///
/// # Errors
/// A path outside the APIv3 prefixes, or two operations the rule and its tie-break give
/// one name.
pub fn type_names(operations: &[(&str, &str)]) -> Result<Vec<TypeName>, String> {
    let mut names =
        operations.iter().map(|&(method, path)| name_of(method, path, false)).collect::<Result<Vec<_>, _>>()?;
    let mut by_path: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        by_path.entry(name.rust_path()).or_default().push(i);
    }
    for indices in by_path.values().filter(|indices| indices.len() > 1) {
        for &i in indices {
            let (method, path) = operations[i];
            names[i] = name_of(method, path, true)?;
        }
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        if let Some(first) = seen.insert(name.rust_path(), i) {
            let (a, b) = (operations[first], operations[i]);
            return Err(format!(
                "`{} {}` and `{} {}` are both named `{}`: the naming rule needs another tie-break",
                a.0,
                a.1,
                b.0,
                b.1,
                name.rust_path()
            ));
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(method: &str, path: &str) -> String {
        type_names(&[(method, path)]).unwrap()[0].rust_path()
    }

    #[test]
    fn the_rule_on_its_documented_examples() {
        assert_eq!(
            one(
                "POST",
                "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/disassociate-stores"
            ),
            "wechat_endpoint::apis::marketing::partner::product_coupon::product_coupons::stocks::DisassociateStores"
        );
        assert_eq!(
            one("GET", "v3/pay/transactions/id/{transaction_id}"),
            "wechat_endpoint::apis::pay::transactions::GetIdByTransactionId"
        );
        assert_eq!(one("GET", "v3/certificates"), "wechat_endpoint::apis::certificates::GetCertificates");
        assert_eq!(one("POST", "hk/v3/merchants"), "wechat_endpoint::apis::hk_v3::Merchants");
        assert_eq!(one("GET", "global/v3/customs/orders"), "wechat_endpoint::apis::global_v3::customs::GetOrders");
        assert_eq!(one("GET", "v3/global/customs/orders"), "wechat_endpoint::apis::global::customs::GetOrders");
        assert_eq!(one("POST", "v3/applyment4sub/applyment/"), "wechat_endpoint::apis::applyment4sub::Applyment");
    }

    #[test]
    fn get_and_patch_on_one_path_are_two_types() {
        let names = type_names(&[
            ("GET", "v3/marketing/busifavor/stocks/{stock_id}"),
            ("PATCH", "v3/marketing/busifavor/stocks/{stock_id}"),
        ])
        .unwrap();
        assert_eq!(names[0].name, "GetStocksByStockId");
        assert_eq!(names[1].name, "PatchStocksByStockId");
    }

    #[test]
    fn a_shared_name_takes_every_placeholder() {
        let names = type_names(&[
            ("POST", "v3/apply4subject/applyment/{applyment_id}/cancel"),
            ("POST", "v3/apply4subject/applyment/{business_code}/cancel"),
        ])
        .unwrap();
        assert_eq!(names[0].name, "CancelByApplymentId");
        assert_eq!(names[1].name, "CancelByBusinessCode");
        let same = type_names(&[("POST", "v3/a/{x}/b"), ("POST", "v3/a/{x}/b")]);
        assert!(same.unwrap_err().contains("both named"));
    }

    #[test]
    fn case_conversions() {
        assert_eq!(snake("subMchid"), "sub_mchid");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("out-trade-no"), "out_trade_no");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(pascal("video_upload"), "VideoUpload");
        assert_eq!(pascal("SUCCESS"), "Success");
        assert_eq!(pascal("getSignInfo"), "GetSignInfo");
        assert_eq!(pascal("applyment4sub"), "Applyment4sub");
    }
}
