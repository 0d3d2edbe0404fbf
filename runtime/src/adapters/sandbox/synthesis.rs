//! Response bodies synthesised from an operation's response schema: every member
//! present with its JSON type, the first declared enum value, fixed timestamps and dates,
//! strings within their length bounds, numbers within theirs, objects filled and arrays
//! of one element (or as many as `minItems` asks). A member named like a request value
//! echoes it. Sensitive members are encrypted under the merchant key.
//!
//! Everything but the encryption is a function of the operation and the echoed values,
//! so the same request gets the same body; the caller caches bodies holding ciphertext.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value};

use super::validate::{Echo, Echoed, in_enum};
use crate::catalog::{JsonType, Member, Schema};
use crate::crypto::{CryptoError, VerifyingKey};

/// Objects nested deeper than this are left empty.
const MAX_DEPTH: usize = 32;
/// Arrays get at most this many elements, whatever `minItems` says.
const MAX_ELEMENTS: u32 = 8;

/// The JSON object of a response with `members`, echoing `echo`, its sensitive members
/// encrypted under `merchant_key`.
///
/// # Errors
///
/// The error of an encryption that failed (a plaintext over 214 bytes).
pub(super) fn body(members: &'static [Member], echo: &Echo, merchant_key: &VerifyingKey) -> Result<Value, CryptoError> {
    Synthesis { echo, merchant_key }.object(members, 0).map(Value::Object)
}

struct Synthesis<'a> {
    echo: &'a Echo,
    merchant_key: &'a VerifyingKey,
}

impl Synthesis<'_> {
    fn object(&self, members: &'static [Member], depth: usize) -> Result<Map<String, Value>, CryptoError> {
        let mut object = Map::new();
        if depth >= MAX_DEPTH {
            return Ok(object);
        }
        for member in members {
            let value = match self.echoed(member) {
                Some(value) => value?,
                None => self.value(member.name, &member.schema, member.sensitive, depth + 1)?,
            };
            object.insert(member.name.to_owned(), value);
        }
        Ok(object)
    }

    /// The request's value of the same name, when it is a scalar of this member's type,
    /// sensitive exactly when the member is, and within the member's constraints.
    fn echoed(&self, member: &Member) -> Option<Result<Value, CryptoError>> {
        let Echoed { value, sensitive } = self.echo.get(member.name)?;
        if *sensitive != member.sensitive || !fits(value, &member.schema) {
            return None;
        }
        Some(match value {
            Value::String(text) if member.sensitive => self.encrypt(text),
            other => Ok(other.clone()),
        })
    }

    fn value(&self, name: &str, schema: &Schema, sensitive: bool, depth: usize) -> Result<Value, CryptoError> {
        Ok(match schema.ty {
            JsonType::Object => Value::Object(self.object(schema.members, depth)?),
            JsonType::Array => {
                let Some(items) = schema.items.filter(|_| depth < MAX_DEPTH) else {
                    return Ok(Value::Array(Vec::new()));
                };
                let count = schema.min_items.unwrap_or(1).clamp(1, MAX_ELEMENTS);
                let count = schema.max_items.map_or(count, |max| count.min(max));
                let element = self.value(name, items, sensitive, depth + 1)?;
                Value::Array((0..count).map(|_| element.clone()).collect())
            }
            JsonType::Integer => Value::from(schema.sample_integer()),
            JsonType::Number => Value::from(schema.sample_integer()),
            JsonType::Boolean => Value::Bool(true),
            _ if sensitive => self.encrypt(&schema.sample_text(name))?,
            _ => Value::String(schema.sample_text(name)),
        })
    }

    fn encrypt(&self, plaintext: &str) -> Result<Value, CryptoError> {
        let ciphertext = self.merchant_key.encrypt_oaep(plaintext.as_bytes())?;
        Ok(Value::String(BASE64.encode(ciphertext)))
    }
}

/// Whether an echoed scalar is of the member's type and within its constraints.
fn fits(value: &Value, schema: &Schema) -> bool {
    let typed = match schema.ty {
        JsonType::String => value.is_string(),
        JsonType::Integer => value.is_i64() || value.is_u64(),
        JsonType::Number => value.is_number(),
        JsonType::Boolean => value.is_boolean(),
        _ => false,
    };
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let chars = u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
    let number = value.as_i64();
    typed
        && in_enum(schema.enum_values, value)
        && (!value.is_string()
            || (schema.min_length.is_none_or(|min| chars >= min) && schema.max_length.is_none_or(|max| chars <= max)))
        && schema.minimum.is_none_or(|min| number.is_some_and(|n| n >= min))
        && schema.maximum.is_none_or(|max| number.is_some_and(|n| n <= max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_echo_must_fit_the_member() {
        let mut schema = Schema::of(JsonType::String);
        schema.max_length = Some(3);
        assert!(fits(&Value::from("abc"), &schema));
        assert!(!fits(&Value::from("abcd"), &schema));
        assert!(!fits(&Value::from(1), &schema));
        schema.enum_values = &["abc"];
        assert!(!fits(&Value::from("abd"), &schema));
    }
}
