//! Reading a JSON object member by member: the `Deserialize` of every response type of the
//! typed endpoints (`crate::apis`).
//!
//! Where serde's derive expands to a field enum, two visitors and a match arm per member
//! for each struct, a generated `Deserialize` here is one call to [`Members::read`] and one
//! [`Members::required`] or [`Members::optional`] per member, sharing this code, so that
//! the 1,210 response structs of `apis` stay cheap to compile:
//!
//! ```ignore
//! impl<'de> serde::Deserialize<'de> for Store {
//!     fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
//!         let mut members = Members::read(deserializer, &["store_id", "name"])?;
//!         Ok(Store { store_id: members.required(0)?, name: members.optional(1)? })
//!     }
//! }
//! ```
//!
//! It behaves as serde's derive does without `deny_unknown_fields`: members not named are
//! skipped, a missing required member is `missing_field`, `null` or a missing optional
//! member is `None`, and a member the object gives twice is `duplicate_field`. Each named
//! member is held as a [`serde_json::Value`] until its field takes it, so a value nested
//! `n` objects deep is read `n + 1` times, and within a member's value (read as a `Value`
//! first) a member given twice counts once, the last. An error from a member's value is
//! prefixed with ``member `name`: `` (names only, never values), which
//! [`JsonError`](crate::JsonError) shows as a path.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

/// The members of one JSON object, by their index in the names given to [`Members::read`].
pub(crate) struct Members {
    names: &'static [&'static str],
    values: Vec<Option<Value>>,
}

impl Members {
    /// Reads an object, keeping the members in `names` and skipping the others.
    ///
    /// # Errors
    ///
    /// The deserializer's error when the input is not an object or a member is given twice.
    pub(crate) fn read<'de, D: Deserializer<'de>>(
        deserializer: D,
        names: &'static [&'static str],
    ) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor { names })
    }

    /// The member at `index`, which must be present.
    ///
    /// # Errors
    ///
    /// `missing_field` when it is absent; when it does not decode as `T`, the error of
    /// that, after the member's name.
    pub(crate) fn required<T: DeserializeOwned, E: de::Error>(&mut self, index: usize) -> Result<T, E> {
        match self.values[index].take() {
            Some(value) => self.decode(index, value),
            None => Err(E::missing_field(self.names[index])),
        }
    }

    /// The member at `index`, `None` when it is absent or `null`.
    ///
    /// # Errors
    ///
    /// When it does not decode as `T`, the error of that, after the member's name.
    pub(crate) fn optional<T: DeserializeOwned, E: de::Error>(&mut self, index: usize) -> Result<Option<T>, E> {
        match self.values[index].take() {
            None | Some(Value::Null) => Ok(None),
            Some(value) => self.decode(index, value).map(Some),
        }
    }

    fn decode<T: DeserializeOwned, E: de::Error>(&self, index: usize, value: Value) -> Result<T, E> {
        T::deserialize(value).map_err(|error| E::custom(format_args!("member `{}`: {error}", self.names[index])))
    }
}

struct ObjectVisitor {
    names: &'static [&'static str],
}

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Members;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
        let mut values: Vec<Option<Value>> = vec![None; self.names.len()];
        while let Some(index) = map.next_key_seed(Name { names: self.names })? {
            match index {
                Some(index) if values[index].is_some() => return Err(de::Error::duplicate_field(self.names[index])),
                Some(index) => values[index] = Some(map.next_value()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Members { names: self.names, values })
    }
}

/// A member's name, read as the index of a name kept, or `None` for one skipped.
struct Name {
    names: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for Name {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Name {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Option<usize>, E> {
        Ok(self.names.iter().position(|kept| *kept == name))
    }
}

#[cfg(test)]
mod tests {
    use super::Members;

    #[derive(Debug, PartialEq)]
    struct Store {
        id: String,
        count: Option<i64>,
        tags: Option<Vec<String>>,
    }

    impl<'de> serde::Deserialize<'de> for Store {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut members = Members::read(deserializer, &["id", "count", "tags"])?;
            Ok(Store { id: members.required(0)?, count: members.optional(1)?, tags: members.optional(2)? })
        }
    }

    #[test]
    fn members_are_read_by_name_and_others_skipped() {
        let store: Store =
            serde_json::from_str(r#"{"extra":{"a":[1,2]},"tags":["x"],"id":"S1","count":null}"#).unwrap();
        assert_eq!(store, Store { id: "S1".into(), count: None, tags: Some(vec!["x".into()]) });
        let nested: Vec<Store> = serde_json::from_str(r#"[{"id":"a","count":3},{"id":"b"}]"#).unwrap();
        assert_eq!(nested[0].count, Some(3));
        assert_eq!(nested[1], Store { id: "b".into(), count: None, tags: None });
    }

    #[test]
    fn errors_name_the_member() {
        let missing = serde_json::from_str::<Store>(r#"{"count":1}"#).unwrap_err().to_string();
        assert!(missing.starts_with("missing field `id`"), "{missing}");
        let wrong = serde_json::from_str::<Store>(r#"{"id":"a","count":"x"}"#).unwrap_err().to_string();
        assert!(wrong.starts_with("member `count`: invalid type"), "{wrong}");
        let twice = serde_json::from_str::<Store>(r#"{"id":"a","id":"b"}"#).unwrap_err().to_string();
        assert!(twice.starts_with("duplicate field `id`"), "{twice}");
        let required_null = serde_json::from_str::<Store>(r#"{"id":null}"#).unwrap_err().to_string();
        assert!(required_null.starts_with("member `id`: invalid type: null"), "{required_null}");
        let not_object = serde_json::from_str::<Store>("[1]").unwrap_err().to_string();
        assert!(not_object.contains("expected a JSON object"), "{not_object}");
    }
}
