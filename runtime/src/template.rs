//! The path template of the dynamic form and of the sandbox's routes:
//! `"v3/pay/transactions/out-trade-no/{out_trade_no}"`.
//!
//! The grammar is the one `#[wechat_endpoint]` checks at compile time, in
//! `macros/src/template.rs`, rule for rule and message for message, with placeholders
//! written `{name}` (the form the WeChat Pay documentation and `Endpoint::PATH_TEMPLATE`
//! use) where the macro's are written `<name>`: every template the macro accepts is
//! accepted here once its placeholders are written `{name}`, and nothing else is. The
//! proc-macro crate cannot export functions, so the two are kept side by side; a change
//! to one is a change to both. Plain `std`, like the macro's.

/// A checked path template: its `/`-separated segments, in order, after the optional
/// leading `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    segments: Vec<Segment>,
}

/// One segment of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Text sent as it is; empty only as the last segment of a template that ends with
    /// `/`.
    Literal(String),
    /// A `{name}` segment, filled with the value given for `name`.
    Placeholder(String),
}

impl Template {
    /// The segments, in order.
    pub(crate) fn segments(&self) -> &[Segment] {
        &self.segments
    }
}

/// One thing wrong with a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// Byte offset in the template where the problem starts; always on a `char` boundary
    /// and at most the template's length.
    pub(crate) offset: usize,
    pub(crate) message: String,
}

impl Problem {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        Problem { offset, message: message.into() }
    }
}

/// Parses and checks a path template, reporting every problem it finds.
///
/// A template is a relative path, optionally with one leading `/`. Its segments are
/// either literal text of RFC 3986 path characters or a whole-segment `{name}`
/// placeholder, `name` a Rust identifier used at most once. It has no query, no
/// fragment, and no empty, `.` or `..` segment; it may end with `/`, as some gateway
/// paths do (`v3/applyment4sub/applyment/`).
///
/// Never panics, whatever the input.
pub(crate) fn parse_template(template: &str) -> Result<Template, Vec<Problem>> {
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
            "the path template has a query (`?…`); give query values on their own, with `.query(…)`, \
             and they are encoded and signed as sent"
        } else {
            "the path template has a fragment (`#…`); a request target has none, remove it"
        };
        problems.push(Problem::new(start + at, message));
        rest = &rest[..at];
    }

    let mut segments = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut offset = start;
    let mut parts = rest.split('/').peekable();
    while let Some(segment) = parts.next() {
        let last = parts.peek().is_none();
        match check_segment(segment, offset, last, &mut problems) {
            Some(Kind::Literal) => segments.push(Segment::Literal(segment.to_owned())),
            Some(Kind::Placeholder(name)) => {
                if seen.contains(&name) {
                    problems.push(Problem::new(
                        offset,
                        format!("placeholder `{{{name}}}` appears twice; each path value fills one segment"),
                    ));
                }
                seen.push(name);
                segments.push(Segment::Placeholder(name.to_owned()));
            }
            None => {}
        }
        offset += segment.len() + 1;
    }

    if problems.is_empty() { Ok(Template { segments }) } else { Err(problems) }
}

enum Kind<'a> {
    Literal,
    Placeholder(&'a str),
}

/// Classifies one segment, pushing what is wrong with it; `None` when it is unusable.
fn check_segment<'a>(segment: &'a str, offset: usize, last: bool, problems: &mut Vec<Problem>) -> Option<Kind<'a>> {
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

    let Some(open) = segment.find(['{', '}']) else {
        return match literal_problem(segment) {
            Some((at, message)) => {
                problems.push(problem(at, message));
                None
            }
            None => Some(Kind::Literal),
        };
    };
    if segment.as_bytes()[open] == b'}' {
        problems.push(problem(
            open,
            format!("`}}` without `{{` in segment `{segment}`; placeholders are written `{{name}}`"),
        ));
        return None;
    }
    let Some(close) =
        segment[open + 1..].find(['{', '}']).map(|at| open + 1 + at).filter(|&at| segment.as_bytes()[at] == b'}')
    else {
        problems.push(problem(open, format!("`{{` without a closing `}}` in segment `{segment}`")));
        return None;
    };
    let placeholder = &segment[open..=close];
    if open != 0 || close != segment.len() - 1 {
        problems.push(problem(
            open,
            format!(
                "placeholder `{placeholder}` shares segment `{segment}` with other text; a placeholder must be a \
                 whole segment, between `/`s"
            ),
        ));
        return None;
    }
    let name = &segment[1..close];
    match name_problem(name) {
        Some(message) => {
            problems.push(problem(0, message));
            None
        }
        None => Some(Kind::Placeholder(name)),
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
            '<' | '>' => match segment.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
                Some(name) if name_problem(name).is_none() => {
                    format!(
                        "write `{{{name}}}` for segment `{segment}`: placeholders are written `{{name}}`, not `<name>`"
                    )
                }
                _ => format!("segment `{segment}` has `{c}`; placeholders are written `{{name}}`, not `<name>`"),
            },
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

/// Why `name` cannot name a path value, if it cannot.
fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("placeholder `{}` has no name; write the value's name, like `{stock_id}`".into());
    }
    let mut chars = name.chars();
    let first = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') || name == "_" {
        return Some(format!(
            "placeholder `{{{name}}}` is not a name; use letters, digits and `_`, not starting with a digit"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(text: &str) -> Segment {
        Segment::Literal(text.into())
    }

    fn ph(name: &str) -> Segment {
        Segment::Placeholder(name.into())
    }

    fn problems(template: &str) -> Vec<String> {
        parse_template(template).expect_err(template).into_iter().map(|p| p.message).collect()
    }

    fn one_problem(template: &str) -> String {
        let problems = problems(template);
        assert_eq!(problems.len(), 1, "{template}: {problems:?}");
        problems.into_iter().next().unwrap()
    }

    #[test]
    fn segments_and_placeholders() {
        let t = parse_template(
            "v3/marketing/partner/product-coupon/product-coupons/{product_coupon_id}/stocks/{stock_id}/associated-stores",
        )
        .unwrap();
        assert_eq!(
            t.segments(),
            [
                lit("v3"),
                lit("marketing"),
                lit("partner"),
                lit("product-coupon"),
                lit("product-coupons"),
                ph("product_coupon_id"),
                lit("stocks"),
                ph("stock_id"),
                lit("associated-stores"),
            ]
        );
    }

    #[test]
    fn leading_slash_is_dropped_and_a_trailing_one_kept() {
        assert_eq!(parse_template("/v3/certificates"), parse_template("v3/certificates"));
        assert_eq!(
            parse_template("v3/applyment4sub/applyment/").unwrap().segments(),
            [lit("v3"), lit("applyment4sub"), lit("applyment"), lit("")]
        );
        assert!(parse_template("v3/{id}/").is_ok());
    }

    #[test]
    fn placeholder_at_either_end_and_alone() {
        assert_eq!(parse_template("{id}").unwrap().segments(), [ph("id")]);
        assert_eq!(parse_template("/{a}/b/{_c1}").unwrap().segments(), [ph("a"), lit("b"), ph("_c1")]);
    }

    #[test]
    fn rfc3986_path_characters_are_kept() {
        let t = parse_template("v3/a-b.c_d~e!$&'()*+,;=:@/%2F%e4").unwrap();
        assert_eq!(t.segments(), [lit("v3"), lit("a-b.c_d~e!$&'()*+,;=:@"), lit("%2F%e4")]);
    }

    #[test]
    fn empty_templates() {
        assert!(one_problem("").contains("is empty"));
        assert!(one_problem("/").contains("only `/`"));
    }

    #[test]
    fn unbalanced_and_empty_placeholders() {
        assert!(one_problem("v3/{id").contains("`{` without a closing `}`"));
        assert!(one_problem("v3/{a{b}").contains("`{` without a closing `}`"));
        assert!(one_problem("v3/id}").contains("`}` without `{`"));
        assert!(one_problem("v3/{}").contains("`{}` has no name"));
        assert!(one_problem("v3/{1abc}").contains("`{1abc}` is not a name"));
        assert!(one_problem("v3/{a-b}").contains("`{a-b}` is not a name"));
        assert!(one_problem("v3/{_}").contains("`{_}` is not a name"));
        assert!(one_problem("v3/{ id}").contains("`{ id}` is not a name"));
    }

    #[test]
    fn placeholders_fill_whole_segments() {
        for bad in ["v3/a{id}", "v3/{id}.json", "v3/{a}{b}", "v3/x{id}y"] {
            assert!(one_problem(bad).contains("must be a whole segment"), "{bad}");
        }
    }

    #[test]
    fn duplicate_placeholders() {
        assert!(one_problem("v3/{id}/x/{id}").contains("`{id}` appears twice"));
    }

    #[test]
    fn empty_and_dot_segments() {
        assert!(one_problem("v3//a").contains("empty segment"));
        assert!(one_problem("//v3").contains("empty segment"));
        assert!(one_problem("v3/a//").contains("empty segment"));
        assert!(one_problem("v3/../a").contains("`..` segment"));
        assert!(one_problem("v3/./a").contains("`.` segment"));
    }

    #[test]
    fn query_and_fragment() {
        assert!(one_problem("v3/a?x=1").contains("has a query"));
        assert!(one_problem("v3/a#top").contains("has a fragment"));
        // The path before the query is still checked.
        assert_eq!(problems("v3//a?x=1").len(), 2);
    }

    #[test]
    fn characters_a_target_cannot_carry() {
        assert!(one_problem("v3/a b").contains("a space in segment `a b`"));
        assert!(one_problem("v3/a\tb").contains("has `\\t` in segment `a\\tb`"));
        assert!(one_problem("v3/a\u{7}b").contains("has `\\u{7}`"));
        assert!(one_problem("v3/中文").contains("is ASCII"));
        assert!(one_problem("v3/<id>").contains("write `{id}`"));
        assert!(one_problem("v3/a<id>").contains("not `<name>`"));
        assert!(one_problem("v3/a%zz").contains("percent-encoded byte"));
        assert!(one_problem("v3/a%2").contains("percent-encoded byte"));
        assert!(one_problem("v3/a\"b").contains("cannot carry unchanged"));
        assert!(one_problem("v3/a\\b").contains("cannot carry unchanged"));
    }

    #[test]
    fn every_problem_is_reported() {
        let problems = problems("v3/{a}/{a}//b c/{1}/x{y}/z/./");
        assert_eq!(problems.len(), 6, "{problems:?}");
    }

    #[test]
    fn offsets_point_into_the_template() {
        let template = "/v3/ok/a b";
        assert_eq!(parse_template(template).unwrap_err()[0].offset, template.find(' ').unwrap());
        let template = "/v3/{a}/{a}";
        assert_eq!(parse_template(template).unwrap_err()[0].offset, template.rfind('{').unwrap());
    }

    /// Every short string over an alphabet of the characters the parser cares about.
    #[test]
    fn never_panics_and_offsets_stay_in_bounds() {
        const ALPHABET: [char; 10] = ['/', '{', '}', 'a', '1', '?', '%', ' ', '.', '中'];
        let mut stack = vec![String::new()];
        while let Some(template) = stack.pop() {
            match parse_template(&template) {
                Ok(parsed) => {
                    let written: Vec<String> = parsed
                        .segments()
                        .iter()
                        .map(|s| match s {
                            Segment::Literal(text) => text.clone(),
                            Segment::Placeholder(name) => format!("{{{name}}}"),
                        })
                        .collect();
                    assert_eq!(written.join("/"), template.strip_prefix('/').unwrap_or(&template));
                }
                Err(problems) => {
                    assert!(!problems.is_empty());
                    for problem in problems {
                        assert!(problem.offset <= template.len(), "{template:?}");
                        assert!(template.is_char_boundary(problem.offset), "{template:?}");
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
