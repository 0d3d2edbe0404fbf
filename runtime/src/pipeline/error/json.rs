//! JSON errors shown without the values they quote.

/// A JSON document that did not decode. serde_json's own message may quote values of
/// the document (`invalid type: string "13800138000", expected u64`), which are user
/// data: this error's `Display` and `Debug` say only what kind of problem it is, where
/// (line and column), and the name of a missing or unknown field. The full serde_json
/// error is [`get_ref`](Self::get_ref).
pub struct JsonError(serde_json::Error);

impl JsonError {
    pub(crate) fn new(error: serde_json::Error) -> Self {
        JsonError(error)
    }

    /// The serde_json error, whose message may quote the document.
    pub fn get_ref(&self) -> &serde_json::Error {
        &self.0
    }

    /// The serde_json error, whose message may quote the document.
    pub fn into_inner(self) -> serde_json::Error {
        self.0
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use serde_json::error::Category;
        let error = &self.0;
        let message = error.to_string();
        // The typed endpoints' responses prefix an error inside a member's value with
        // ``member `name`: `` (`features::members`): a path of names.
        let mut rest = message.as_str();
        let mut path = Vec::new();
        while let Some(after) = rest.strip_prefix("member `")
            && let Some(end) = after.find("`: ")
        {
            path.push(&after[..end]);
            rest = &after[end + 3..];
        }
        let field = ["missing field `", "unknown field `", "duplicate field `"].into_iter().find_map(|prefix| {
            let name = rest.strip_prefix(prefix)?;
            let name = &name[..name.find('`')?];
            let full: Vec<&str> = path.iter().copied().chain([name]).collect();
            Some(format!("{prefix}{}`", full.join(".")))
        });
        let kind = match error.classify() {
            Category::Io => "the JSON could not be read",
            Category::Syntax => "not valid JSON",
            Category::Eof => "the JSON ends early",
            Category::Data => "a value does not fit the expected type",
        };
        let what = match field {
            Some(field) => field,
            None if path.is_empty() => kind.to_owned(),
            None => format!("{kind}: member `{}`", path.join(".")),
        };
        // An error raised after the document was read has no position.
        match error.line() {
            0 => f.write_str(&what),
            line => write!(f, "{what} at line {line}, column {}", error.column()),
        }
    }
}

impl std::fmt::Debug for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JsonError({self})")
    }
}

impl std::error::Error for JsonError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_say_what_and_where_without_values() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Order {
            out_trade_no: String,
            total: u64,
        }
        let cases = [
            (
                r#"{"out_trade_no":"ORDER-SECRET-42","total":"13800138000"}"#,
                "a value does not fit the expected type at line 1, column 55",
            ),
            (r#"{"out_trade_no":"ORDER-SECRET-42"}"#, "missing field `total` at line 1, column 34"),
            (r#"{"out_trade_no":"ORDER-SECRET-42""#, "the JSON ends early at line 1, column 33"),
            (r#"{"out_trade_no":ORDER-SECRET-42}"#, "not valid JSON at line 1, column 17"),
        ];
        for (json, expected) in cases {
            let error = JsonError::new(serde_json::from_str::<Order>(json).unwrap_err());
            assert_eq!(error.to_string(), expected);
            assert_eq!(format!("{error:?}"), format!("JsonError({expected})"));
        }
    }

    /// The typed endpoints' responses (`features::members`) name the member whose value
    /// did not decode, as a path, and never the value.
    #[test]
    fn member_errors_say_which_member_without_values() {
        use serde::de::Error as _;
        let cases = [
            (
                "member `amount`: member `total`: invalid type: string \"13800138000\", expected i64",
                "a value does not fit the expected type: member `amount.total`",
            ),
            ("member `amount`: missing field `total`", "missing field `amount.total`"),
            ("missing field `total`", "missing field `total`"),
            ("member `payer`: duplicate field `openid`", "duplicate field `payer.openid`"),
            ("invalid type: string \"member `a`: x\", expected i64", "a value does not fit the expected type"),
        ];
        for (message, expected) in cases {
            let error = JsonError::new(serde_json::Error::custom(message));
            assert_eq!(error.to_string(), expected, "{message}");
            assert!(!format!("{error:?}").contains("13800138000"));
        }
    }
}
