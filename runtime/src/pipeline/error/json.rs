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
        let field = ["missing field `", "unknown field `"].into_iter().find_map(|prefix| {
            let name = message.strip_prefix(prefix)?;
            name.find('`').map(|end| format!("{prefix}{}`", &name[..end]))
        });
        let kind = match error.classify() {
            Category::Io => "the JSON could not be read",
            Category::Syntax => "not valid JSON",
            Category::Eof => "the JSON ends early",
            Category::Data => "a value does not fit the expected type",
        };
        write!(f, "{} at line {}, column {}", field.as_deref().unwrap_or(kind), error.line(), error.column())
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
}
