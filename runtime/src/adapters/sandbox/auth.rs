//! The gateway's checks on a request's `Authorization` header.

use std::fmt;

use crate::crypto::signing::SCHEME;

/// The fields of an `Authorization: WECHATPAY2-SHA256-RSA2048 …` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// `mchid`.
    pub mchid: &'a str,
    /// `nonce_str`.
    pub nonce: &'a str,
    /// `signature`, base64.
    pub signature: &'a str,
    /// `timestamp` as sent.
    pub timestamp: &'a str,
    /// `serial_no`.
    pub serial: &'a str,
}

impl fmt::Debug for Authorization<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorization")
            .field("mchid", &self.mchid)
            .field("nonce", &self.nonce)
            .field("timestamp", &self.timestamp)
            .field("serial", &self.serial)
            .finish_non_exhaustive()
    }
}

/// Parses an `Authorization` header value: the scheme, then `key="value"` fields in any
/// order, separated by commas (spaces around them allowed). Every one of the five fields
/// must appear exactly once; unknown fields are refused.
///
/// The error says what is wrong, as the sandbox's `SIGN_ERROR` message does.
///
/// # Errors
///
/// A message naming the problem: another scheme, a field missing, repeated, unknown or
/// not quoted.
pub fn parse_authorization(value: &str) -> Result<Authorization<'_>, String> {
    let rest = value
        .strip_prefix(SCHEME)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| format!("Authorization does not start with `{SCHEME} `"))?;
    let mut fields: [Option<&str>; 5] = [None; 5];
    const NAMES: [&str; 5] = ["mchid", "nonce_str", "signature", "timestamp", "serial_no"];
    let mut rest = rest.trim_start();
    while !rest.is_empty() {
        let (key, after) =
            rest.split_once('=').ok_or_else(|| format!("Authorization field `{}` has no `=`", truncate(rest)))?;
        let key = key.trim();
        let after =
            after.strip_prefix('"').ok_or_else(|| format!("Authorization field `{key}` is not a quoted string"))?;
        let (value, after) =
            after.split_once('"').ok_or_else(|| format!("Authorization field `{key}` has no closing quote"))?;
        let slot = NAMES
            .iter()
            .position(|n| *n == key)
            .ok_or_else(|| format!("Authorization has an unknown field `{}`", truncate(key)))?;
        if fields[slot].replace(value).is_some() {
            return Err(format!("Authorization field `{key}` appears twice"));
        }
        rest = after.trim_start();
        if let Some(next) = rest.strip_prefix(',') {
            rest = next.trim_start();
            if rest.is_empty() {
                return Err("Authorization ends with a comma".into());
            }
        } else if !rest.is_empty() {
            return Err(format!("Authorization has text after field `{key}`: expected a comma"));
        }
    }
    let field = |i: usize| fields[i].ok_or_else(|| format!("Authorization has no `{}` field", NAMES[i]));
    Ok(Authorization {
        mchid: field(0)?,
        nonce: field(1)?,
        signature: field(2)?,
        timestamp: field(3)?,
        serial: field(4)?,
    })
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(32) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_in_any_order_with_spaces() {
        let a = parse_authorization(
            r#"WECHATPAY2-SHA256-RSA2048 serial_no="S", timestamp="1",signature="c2ln",nonce_str="N" , mchid="M""#,
        )
        .unwrap();
        assert_eq!((a.mchid, a.nonce, a.signature, a.timestamp, a.serial), ("M", "N", "c2ln", "1", "S"));
    }

    #[test]
    fn refusals_name_the_problem() {
        let cases = [
            ("Bearer x", "does not start"),
            (r#"WECHATPAY2-SHA256-RSA2048 mchid="M""#, "no `nonce_str`"),
            (r#"WECHATPAY2-SHA256-RSA2048 mchid="M",mchid="M""#, "appears twice"),
            (r#"WECHATPAY2-SHA256-RSA2048 mchid=M"#, "not a quoted"),
            (r#"WECHATPAY2-SHA256-RSA2048 mchid="M"#, "no closing quote"),
            (r#"WECHATPAY2-SHA256-RSA2048 foo="M""#, "unknown field `foo`"),
            (r#"WECHATPAY2-SHA256-RSA2048 mchid="M","#, "ends with a comma"),
            (r#"WECHATPAY2-SHA256-RSA2048 mchid="M" x"#, "expected a comma"),
            ("WECHATPAY2-SHA256-RSA2048 中文中文中文中文中文中文中文中文中文中文中文中文中文中文", "no `=`"),
        ];
        for (value, expected) in cases {
            let err = parse_authorization(value).unwrap_err();
            assert!(err.contains(expected), "{value}: {err}");
        }
    }
}
