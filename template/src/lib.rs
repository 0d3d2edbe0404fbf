//! The path template grammar of `wechat-endpoint`, in the one parser that the
//! `#[wechat_endpoint]` attribute (at compile time), the dynamic form and the sandbox's
//! routes (at run time) share.
//!
//! A template is a relative path, optionally with one leading `/`:
//!
//! - its segments, between `/`s, are either literal text of RFC 3986 path characters
//!   (`%XX` escapes included) or a whole-segment placeholder;
//! - a placeholder is written `{name}`, as the WeChat Pay documentation writes paths, or
//!   `<name>`; the two may be mixed in one template. `name` is a Rust identifier (letters,
//!   digits and `_`, not starting with a digit, not `_` alone), used at most once;
//! - it has no query (`?…`), no fragment (`#…`), no empty segment (`//`), no `.` or `..`
//!   segment, no whitespace or control character, and nothing a request target cannot
//!   carry unchanged;
//! - it may end with `/`, as some gateway paths do (`v3/applyment4sub/applyment/`).
//!
//! ```
//! use wechat_endpoint_template::{FilledBy, Segment, parse};
//!
//! let template = parse("v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/<stock_id>", FilledBy::Fields)?;
//! assert_eq!(template.segments()[5], Segment::Placeholder("product_coupon_id".into()));
//! assert_eq!(template.placeholders()[1].to_string(), "<stock_id>");
//! // The canonical form: no leading `/`, every placeholder written `{name}`.
//! assert_eq!(template.to_string(), "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}");
//!
//! let problems = parse("v3/stocks/{stock_id}?brand_id=1", FilledBy::Values).unwrap_err();
//! assert_eq!(problems[0].offset, 20);
//! assert!(problems[0].message.starts_with("the path template has a query"));
//! # Ok::<(), Vec<wechat_endpoint_template::Problem>>(())
//! ```
//!
//! Plain `std` and no dependencies. It is a crate of its own because a proc-macro crate
//! can export only macros: the runtime could not call a parser kept in
//! `wechat-endpoint-macros`.

use std::fmt;

/// The README's example, run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;

/// A checked path template: its `/`-separated segments, in order, after the optional
/// leading `/`.
///
/// Its [`Display`](fmt::Display) is the canonical form `Endpoint::PATH_TEMPLATE` shows: no
/// leading `/`, every placeholder written `{name}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    segments: Vec<Segment>,
    placeholders: Vec<Placeholder>,
}

/// One segment of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text sent as it is; empty only as the last segment of a template that ends with
    /// `/`.
    Literal(String),
    /// A placeholder, by name: the segment is the value given for `name`.
    Placeholder(String),
}

/// A placeholder as the template writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    name: String,
    delimiters: Delimiters,
}

/// How a placeholder is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiters {
    /// `{name}`, as the WeChat Pay documentation writes paths.
    Braces,
    /// `<name>`.
    Angles,
}

impl Delimiters {
    /// The opening and the closing character.
    pub fn chars(self) -> (char, char) {
        match self {
            Delimiters::Braces => ('{', '}'),
            Delimiters::Angles => ('<', '>'),
        }
    }

    fn opened_by(c: u8) -> Option<Self> {
        match c {
            b'{' => Some(Delimiters::Braces),
            b'<' => Some(Delimiters::Angles),
            _ => None,
        }
    }
}

impl Template {
    /// The segments, in order; a template ending with `/` ends with an empty
    /// [`Segment::Literal`].
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The placeholders, in order, as written.
    pub fn placeholders(&self) -> &[Placeholder] {
        &self.placeholders
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            match segment {
                Segment::Literal(text) => f.write_str(text)?,
                Segment::Placeholder(name) => write!(f, "{{{name}}}")?,
            }
        }
        Ok(())
    }
}

impl Placeholder {
    /// The name: the field (of a declared endpoint) or the value (of a dynamic request)
    /// that fills it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How it is written.
    pub fn delimiters(&self) -> Delimiters {
        self.delimiters
    }
}

/// The placeholder as written: `{name}` or `<name>`.
impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (open, close) = self.delimiters.chars();
        write!(f, "{open}{}{close}", self.name)
    }
}

/// What fills the placeholders, which words the problems: the grammar is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilledBy {
    /// The fields of a `#[wechat_endpoint]` struct.
    Fields,
    /// Values given by name at run time: the dynamic form's `.path(name, value)`, a
    /// sandbox route's path values.
    Values,
}

/// One thing wrong with a template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// Byte offset in the template where the problem starts; always on a `char` boundary
    /// and at most the template's length.
    pub offset: usize,
    /// What is wrong, and what would be right.
    pub message: String,
}

impl Problem {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        Problem { offset, message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

/// Parses and checks a path template with the grammar of the [crate docs](crate).
///
/// Never panics, whatever the input.
///
/// # Errors
///
/// Every problem found, in order: the template's segments are each checked even after
/// one fails, and the path before a `?` or `#` is still checked. `filled_by` only words
/// the messages.
pub fn parse(template: &str, filled_by: FilledBy) -> Result<Template, Vec<Problem>> {
    let mut problems = Vec::new();
    if template.is_empty() {
        problems.push(Problem::new(
            0,
            "the path template is empty; write the path after the method, like `\"v3/certificates\"`",
        ));
        return Err(problems);
    }
    let start = usize::from(template.starts_with('/'));
    let mut rest = &template[start..];
    if rest.is_empty() {
        problems
            .push(Problem::new(0, "the path template is only `/`; write the whole path, like `\"v3/certificates\"`"));
        return Err(problems);
    }

    // What follows `?` or `#` is not path; report it and check the path before it.
    if let Some(at) = rest.find(['?', '#']) {
        let message = if rest[at..].starts_with('?') {
            match filled_by {
                FilledBy::Fields => {
                    "the path template has a query (`?…`); fields of a GET or DELETE go to the query string, and \
                     `#[wechat(query)]` sends a field there on any method"
                }
                FilledBy::Values => {
                    "the path template has a query (`?…`); give query values on their own, with `.query(…)`, and \
                     they are encoded and signed as sent"
                }
            }
        } else {
            "the path template has a fragment (`#…`); a request target has none, remove it"
        };
        problems.push(Problem::new(start + at, message));
        rest = &rest[..at];
    }

    let mut segments = Vec::new();
    let mut placeholders: Vec<Placeholder> = Vec::new();
    let mut offset = start;
    let mut parts = rest.split('/').peekable();
    while let Some(segment) = parts.next() {
        let last = parts.peek().is_none();
        match check_segment(segment, offset, last, filled_by, &mut problems) {
            Some(Kind::Literal) => segments.push(Segment::Literal(segment.to_owned())),
            Some(Kind::Placeholder(placeholder)) => {
                if placeholders.iter().any(|seen| seen.name == placeholder.name) {
                    problems.push(Problem::new(
                        offset,
                        format!("placeholder `{placeholder}` appears twice; each path value fills one segment"),
                    ));
                }
                segments.push(Segment::Placeholder(placeholder.name.clone()));
                placeholders.push(placeholder);
            }
            None => {}
        }
        offset += segment.len() + 1;
    }

    if problems.is_empty() { Ok(Template { segments, placeholders }) } else { Err(problems) }
}

enum Kind {
    Literal,
    Placeholder(Placeholder),
}

/// Classifies one segment, pushing what is wrong with it; `None` when it is unusable.
fn check_segment(
    segment: &str,
    offset: usize,
    last: bool,
    filled_by: FilledBy,
    problems: &mut Vec<Problem>,
) -> Option<Kind> {
    let problem = |at: usize, message: String| Problem::new(offset + at, message);
    if segment.is_empty() {
        if last {
            // A trailing `/` is part of some gateway paths.
            return Some(Kind::Literal);
        }
        problems.push(problem(0, "the path template has an empty segment (`//`); remove the extra `/`".to_owned()));
        return None;
    }
    if segment == "." || segment == ".." {
        problems.push(problem(
            0,
            format!(
                "the path template has a `{segment}` segment, which URL normalisation would remove; write the path \
                 without it"
            ),
        ));
        return None;
    }

    const DELIMITERS: [char; 4] = ['{', '}', '<', '>'];
    let Some(open) = segment.find(DELIMITERS) else {
        return match literal_problem(segment) {
            Some((at, message)) => {
                problems.push(problem(at, message));
                None
            }
            None => Some(Kind::Literal),
        };
    };
    let Some(delimiters) = Delimiters::opened_by(segment.as_bytes()[open]) else {
        let closer = &segment[open..=open];
        let opener = if closer == "}" { "{" } else { "<" };
        problems.push(problem(
            open,
            format!(
                "`{closer}` without `{opener}` in segment `{segment}`; placeholders are written `{{name}}` or \
                 `<name>`"
            ),
        ));
        return None;
    };
    let (opener, closer) = delimiters.chars();
    // The next delimiter closes the placeholder, or the segment is malformed.
    let Some(close) = segment[open + 1..]
        .find(DELIMITERS)
        .map(|at| open + 1 + at)
        .filter(|&at| char::from(segment.as_bytes()[at]) == closer)
    else {
        problems.push(problem(open, format!("`{opener}` without a closing `{closer}` in segment `{segment}`")));
        return None;
    };
    let written = &segment[open..=close];
    if open != 0 || close != segment.len() - 1 {
        problems.push(problem(
            open,
            format!(
                "placeholder `{written}` shares segment `{segment}` with other text; a placeholder must be a whole \
                 segment, between `/`s"
            ),
        ));
        return None;
    }
    let name = &segment[1..close];
    match name_problem(name, delimiters, filled_by) {
        Some(message) => {
            problems.push(problem(0, message));
            None
        }
        None => Some(Kind::Placeholder(Placeholder { name: name.to_owned(), delimiters })),
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
                "`%` in segment `{segment}` does not start a percent-encoded byte like `%2F`; write `%25` for a \
                 literal `%`"
            ),
            ' ' => format!(
                "the path template has a space in segment `{shown}`; a request target cannot carry it, \
                 percent-encode it as `%20`",
                shown = segment.escape_debug(),
            ),
            c if c.is_whitespace() || c.is_control() => format!(
                "the path template has `{}` in segment `{shown}`; a request target cannot carry it, percent-encode it",
                c.escape_default(),
                shown = segment.escape_debug(),
            ),
            c if !c.is_ascii() => format!(
                "the path template has `{c}` in segment `{segment}`; a request target is ASCII, percent-encode it as \
                 UTF-8 bytes"
            ),
            c => format!(
                "the path template has `{c}` in segment `{segment}`, which a request target cannot carry unchanged; \
                 percent-encode it"
            ),
        };
        return Some((at, message));
    }
    None
}

/// Why `name` cannot name a field or a value, if it cannot.
fn name_problem(name: &str, delimiters: Delimiters, filled_by: FilledBy) -> Option<String> {
    let (open, close) = delimiters.chars();
    if name.is_empty() {
        let whose = match filled_by {
            FilledBy::Fields => "field's",
            FilledBy::Values => "value's",
        };
        return Some(format!(
            "placeholder `{open}{close}` has no name; write the {whose} name, like `{open}stock_id{close}`"
        ));
    }
    let mut chars = name.chars();
    let first = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') || name == "_" {
        let what = match filled_by {
            FilledBy::Fields => "a field name",
            FilledBy::Values => "a name",
        };
        return Some(format!(
            "placeholder `{open}{name}{close}` is not {what}; use letters, digits and `_`, not starting with a digit"
        ));
    }
    None
}
