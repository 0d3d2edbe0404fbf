//! The path template: `"v3/…/product-coupons/<product_coupon_id>/stocks/<stock_id>"`.
//!
//! Plain `std` and no proc-macro types, so that a fuzz target can include this file with
//! `#[path]` and call [`parse_template`] directly.

use std::fmt;

/// A checked path template: literal runs and whole-segment placeholders, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pieces: Vec<Piece>,
}

/// One run of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Text written as it is, `/` separators included; never empty.
    Literal(String),
    /// A `<name>` segment, filled with the field `name`.
    Placeholder(String),
}

impl Template {
    /// Literal runs and placeholders in order; two literals never follow each other.
    pub(crate) fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// The placeholder names, in order.
    pub(crate) fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Placeholder(name) => Some(name.as_str()),
            Piece::Literal(_) => None,
        })
    }

    /// The template as `Endpoint::PATH_TEMPLATE` shows it: no leading `/`, placeholders
    /// written `{name}`, the way the WeChat Pay documentation writes them.
    pub(crate) fn declared(&self) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Placeholder(name) => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            }
        }
        out
    }
}

/// One thing wrong with a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateError {
    /// Byte offset in the template where the problem starts; always on a `char` boundary
    /// and at most the template's length.
    pub(crate) offset: usize,
    message: String,
}

impl TemplateError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        TemplateError { offset, message: message.into() }
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Parses and checks a path template, reporting every problem it finds.
///
/// A template is a relative path, optionally with one leading `/`. Its segments are
/// either literal text of RFC 3986 path characters or a whole-segment `<name>`
/// placeholder, `name` a Rust identifier used at most once. It has no query, no
/// fragment, and no empty, `.` or `..` segment; it may end with `/`, as some gateway
/// paths do (`v3/applyment4sub/applyment/`).
///
/// Never panics, whatever the input.
pub(crate) fn parse_template(template: &str) -> Result<Template, Vec<TemplateError>> {
    let mut errors = Vec::new();
    if template.is_empty() {
        errors.push(TemplateError::new(
            0,
            "the path template is empty; write the path after the method, like \
             `\"v3/certificates\"`",
        ));
        return Err(errors);
    }
    let start = usize::from(template.starts_with('/'));
    let mut rest = &template[start..];
    if rest.is_empty() {
        errors.push(TemplateError::new(
            0,
            "the path template is only `/`; write the whole path, like `\"v3/certificates\"`",
        ));
        return Err(errors);
    }

    // What follows `?` or `#` is not path; report it and check the path before it.
    if let Some(at) = rest.find(['?', '#']) {
        let message = if rest[at..].starts_with('?') {
            "the path template has a query (`?…`); fields of a GET or DELETE go to the query \
             string, and `#[wechat(query)]` sends a field there on any method"
        } else {
            "the path template has a fragment (`#…`); a request target has none, remove it"
        };
        errors.push(TemplateError::new(start + at, message));
        rest = &rest[..at];
    }

    let mut pieces: Vec<Piece> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut offset = start;
    let mut segments = rest.split('/').peekable();
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        match check_segment(segment, offset, last, &mut errors) {
            Some(Segment::Literal) => push_literal(&mut pieces, segment),
            Some(Segment::Placeholder(name)) => {
                if seen.contains(&name) {
                    errors.push(TemplateError::new(
                        offset,
                        format!(
                            "placeholder `<{name}>` appears twice; each path value fills \
                             one segment"
                        ),
                    ));
                }
                seen.push(name);
                pieces.push(Piece::Placeholder(name.to_owned()));
            }
            None => {}
        }
        if !last {
            push_literal(&mut pieces, "/");
        }
        offset += segment.len() + 1;
    }

    if errors.is_empty() { Ok(Template { pieces }) } else { Err(errors) }
}

enum Segment<'a> {
    Literal,
    Placeholder(&'a str),
}

/// Classifies one segment, pushing what is wrong with it; `None` when it is unusable.
fn check_segment<'a>(
    segment: &'a str,
    offset: usize,
    last: bool,
    errors: &mut Vec<TemplateError>,
) -> Option<Segment<'a>> {
    let error = |at: usize, message: String| TemplateError::new(offset + at, message);
    if segment.is_empty() {
        if last {
            // A trailing `/` is part of some gateway paths.
            return Some(Segment::Literal);
        }
        errors.push(error(0, "the path template has an empty segment (`//`); remove the extra `/`".to_owned()));
        return None;
    }
    if segment == "." || segment == ".." {
        errors.push(error(
            0,
            format!(
                "the path template has a `{segment}` segment, which URL normalisation would \
                 remove; write the path without it"
            ),
        ));
        return None;
    }

    let Some(open) = segment.find(['<', '>']) else {
        return match literal_problem(segment) {
            Some((at, message)) => {
                errors.push(error(at, message));
                None
            }
            None => Some(Segment::Literal),
        };
    };
    if segment.as_bytes()[open] == b'>' {
        errors.push(error(open, format!("`>` without `<` in segment `{segment}`; placeholders are written `<name>`")));
        return None;
    }
    let Some(close) =
        segment[open + 1..].find(['<', '>']).map(|at| open + 1 + at).filter(|&at| segment.as_bytes()[at] == b'>')
    else {
        errors.push(error(open, format!("`<` without a closing `>` in segment `{segment}`")));
        return None;
    };
    let placeholder = &segment[open..=close];
    if open != 0 || close != segment.len() - 1 {
        errors.push(error(
            open,
            format!(
                "placeholder `{placeholder}` shares segment `{segment}` with other text; a \
                 placeholder must be a whole segment, between `/`s"
            ),
        ));
        return None;
    }
    let name = &segment[1..close];
    match name_problem(name) {
        Some(message) => {
            errors.push(error(0, message));
            None
        }
        None => Some(Segment::Placeholder(name)),
    }
}

/// The first character a literal segment cannot carry unchanged, and why.
fn literal_problem(segment: &str) -> Option<(usize, String)> {
    let bytes = segment.as_bytes();
    for (at, c) in segment.char_indices() {
        let message = match c {
            // RFC 3986 `pchar`, minus `%` which is checked below.
            'a'..='z' | 'A'..='Z' | '0'..='9' => continue,
            '-' | '.' | '_' | '~' | '!' | '$' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | ';' | '=' | ':' | '@' => {
                continue;
            }
            '%' if bytes.get(at + 1..at + 3).is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) => {
                continue;
            }
            '%' => format!(
                "`%` in segment `{segment}` does not start a percent-encoded byte like `%2F`; \
                 write `%25` for a literal `%`"
            ),
            '{' | '}' => match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) if name_problem(name).is_none() => {
                    format!(
                        "write `<{name}>` for segment `{segment}`: placeholders are written `<name>`, not `{{name}}`"
                    )
                }
                _ => format!("segment `{segment}` has `{c}`; placeholders are written `<name>`, not `{{name}}`"),
            },
            ' ' => format!(
                "the path template has a space in segment `{shown}`; a request target cannot carry it, \
                 percent-encode it as `%20`",
                shown = segment.escape_debug(),
            ),
            c if c.is_whitespace() || c.is_control() => format!(
                "the path template has `{}` in segment `{shown}`; a request target cannot carry it, \
                 percent-encode it",
                c.escape_default(),
                shown = segment.escape_debug(),
            ),
            c if !c.is_ascii() => format!(
                "the path template has `{c}` in segment `{segment}`; a request target is ASCII, \
                 percent-encode it as UTF-8 bytes"
            ),
            c => format!(
                "the path template has `{c}` in segment `{segment}`, which a request target cannot carry \
                 unchanged; percent-encode it"
            ),
        };
        return Some((at, message));
    }
    None
}

/// Why `name` cannot name a field, if it cannot.
fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("placeholder `<>` has no name; write the field's name, like `<stock_id>`".into());
    }
    let mut chars = name.chars();
    let first = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') || name == "_" {
        return Some(format!(
            "placeholder `<{name}>` is not a field name; use letters, digits and `_`, not \
             starting with a digit"
        ));
    }
    None
}

fn push_literal(pieces: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Piece::Literal(run)) = pieces.last_mut() {
        run.push_str(text);
    } else {
        pieces.push(Piece::Literal(text.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(text: &str) -> Piece {
        Piece::Literal(text.into())
    }

    fn ph(name: &str) -> Piece {
        Piece::Placeholder(name.into())
    }

    fn errors(template: &str) -> Vec<String> {
        parse_template(template).expect_err(template).iter().map(ToString::to_string).collect()
    }

    fn one_error(template: &str) -> String {
        let errors = errors(template);
        assert_eq!(errors.len(), 1, "{template}: {errors:?}");
        errors.into_iter().next().unwrap()
    }

    #[test]
    fn literal_runs_and_placeholders() {
        let t = parse_template(
            "v3/marketing/partner/product-coupon/product-coupons/<product_coupon_id>/stocks/\
             <stock_id>/associated-stores",
        )
        .unwrap();
        assert_eq!(
            t.pieces(),
            [
                lit("v3/marketing/partner/product-coupon/product-coupons/"),
                ph("product_coupon_id"),
                lit("/stocks/"),
                ph("stock_id"),
                lit("/associated-stores"),
            ]
        );
        assert_eq!(
            t.declared(),
            "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/\
             {stock_id}/associated-stores"
        );
        assert_eq!(t.placeholders().collect::<Vec<_>>(), ["product_coupon_id", "stock_id"]);
    }

    #[test]
    fn leading_slash_is_dropped() {
        assert_eq!(parse_template("/v3/certificates"), parse_template("v3/certificates"));
        assert_eq!(parse_template("/v3/certificates").unwrap().declared(), "v3/certificates");
    }

    #[test]
    fn placeholder_at_either_end_and_alone() {
        assert_eq!(parse_template("<id>").unwrap().pieces(), [ph("id")]);
        assert_eq!(parse_template("/<a>/b/<_c1>").unwrap().pieces(), [ph("a"), lit("/b/"), ph("_c1")]);
        assert_eq!(parse_template("<a>/<b>").unwrap().pieces(), [ph("a"), lit("/"), ph("b")]);
    }

    #[test]
    fn rfc3986_path_characters_are_kept() {
        let text = "v3/a-b.c_d~e!$&'()*+,;=:@/%2F%e4";
        assert_eq!(parse_template(text).unwrap().declared(), text);
    }

    #[test]
    fn empty_templates() {
        assert!(one_error("").contains("is empty"));
        assert!(one_error("/").contains("only `/`"));
    }

    #[test]
    fn unbalanced_and_empty_placeholders() {
        assert!(one_error("v3/<id").contains("`<` without a closing `>`"));
        assert!(one_error("v3/<a<b>").contains("`<` without a closing `>`"));
        assert!(one_error("v3/id>").contains("`>` without `<`"));
        assert!(one_error("v3/<>").contains("`<>` has no name"));
        assert!(one_error("v3/<1abc>").contains("`<1abc>` is not a field name"));
        assert!(one_error("v3/<a-b>").contains("`<a-b>` is not a field name"));
        assert!(one_error("v3/<_>").contains("`<_>` is not a field name"));
        assert!(one_error("v3/< id>").contains("`< id>` is not a field name"));
    }

    #[test]
    fn placeholders_fill_whole_segments() {
        for bad in ["v3/a<id>", "v3/<id>.json", "v3/<a><b>", "v3/x<id>y"] {
            assert!(one_error(bad).contains("must be a whole segment"), "{bad}");
        }
    }

    #[test]
    fn duplicate_placeholders() {
        assert!(one_error("v3/<id>/x/<id>").contains("`<id>` appears twice"));
    }

    #[test]
    fn empty_dot_and_trailing_segments() {
        assert!(one_error("v3//a").contains("empty segment"));
        assert!(one_error("//v3").contains("empty segment"));
        assert!(parse_template("v3/applyment4sub/applyment/").is_ok());
        assert!(parse_template("v3/<id>/").is_ok());
        assert!(one_error("v3/a//").contains("empty segment"));
        assert!(one_error("v3/../a").contains("`..` segment"));
        assert!(one_error("v3/./a").contains("`.` segment"));
    }

    #[test]
    fn query_and_fragment() {
        assert!(one_error("v3/a?x=1").contains("has a query"));
        assert!(one_error("v3/a#top").contains("has a fragment"));
        // The path before the query is still checked.
        assert_eq!(errors("v3//a?x=1").len(), 2);
    }

    #[test]
    fn characters_a_target_cannot_carry() {
        assert!(one_error("v3/a b").contains("a space in segment `a b`"));
        assert!(one_error("v3/a\tb").contains("has `\\t` in segment `a\\tb`"));
        assert!(one_error("v3/a\u{7}b").contains("has `\\u{7}`"));
        assert!(one_error("v3/中文").contains("is ASCII"));
        assert!(one_error("v3/{id}").contains("write `<id>`"));
        assert!(one_error("v3/a{id}").contains("not `{name}`"));
        assert!(one_error("v3/a%zz").contains("percent-encoded byte"));
        assert!(one_error("v3/a%2").contains("percent-encoded byte"));
        assert!(one_error("v3/a\"b").contains("cannot carry unchanged"));
        assert!(one_error("v3/a\\b").contains("cannot carry unchanged"));
    }

    #[test]
    fn every_problem_is_reported() {
        let errors = errors("v3/<a>/<a>//b c/<1>/x<y>/z/./");
        assert_eq!(errors.len(), 6, "{errors:?}");
    }

    #[test]
    fn offsets_point_into_the_template() {
        let template = "/v3/ok/a b";
        let errors = parse_template(template).unwrap_err();
        assert_eq!(errors[0].offset, template.find(' ').unwrap());

        let template = "/v3/<a>/<a>";
        let errors = parse_template(template).unwrap_err();
        assert_eq!(errors[0].offset, template.rfind('<').unwrap());
    }

    /// A poor man's fuzz run until issue 5 adds a real one: every short string over an
    /// alphabet of the characters the parser cares about.
    #[test]
    fn never_panics_and_offsets_stay_in_bounds() {
        const ALPHABET: [char; 10] = ['/', '<', '>', 'a', '1', '?', '%', ' ', '.', '中'];
        let mut stack = vec![String::new()];
        while let Some(template) = stack.pop() {
            match parse_template(&template) {
                Ok(parsed) => {
                    let declared = parsed.declared();
                    assert_eq!(declared.len() + usize::from(template.starts_with('/')), template.len(), "{template:?}");
                }
                Err(errors) => {
                    assert!(!errors.is_empty());
                    for error in errors {
                        assert!(error.offset <= template.len(), "{template:?}");
                        assert!(template.is_char_boundary(error.offset), "{template:?}");
                    }
                }
            }
            if template.chars().count() < 5 {
                for c in ALPHABET {
                    stack.push(format!("{template}{c}"));
                }
            }
        }
    }
}
