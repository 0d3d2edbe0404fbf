//! The path template parser of `wechat-endpoint-template`, which `#[wechat_endpoint]`,
//! the dynamic form and the sandbox's routes share.
//!
//! Properties: never panics; problems are non-empty, with offsets on `char` boundaries
//! inside the template; an accepted template is its segments written back (leading `/`
//! aside, placeholders as written), and its canonical form parses to the same segments;
//! who fills the placeholders changes the words of the problems, never where they are.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wechat_endpoint_template::{FilledBy, Problem, Segment, parse};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let offsets = |problems: &[Problem]| problems.iter().map(|p| p.offset).collect::<Vec<_>>();
    let parsed = match parse(text, FilledBy::Fields) {
        Ok(parsed) => parsed,
        Err(problems) => {
            assert!(!problems.is_empty(), "{text:?}: refused without a problem");
            for problem in &problems {
                assert!(problem.offset <= text.len() && text.is_char_boundary(problem.offset), "{text:?}: {problem:?}");
                assert!(!problem.message.is_empty(), "{text:?}: {problem:?}");
            }
            let values = parse(text, FilledBy::Values).expect_err(text);
            assert_eq!(offsets(&values), offsets(&problems), "{text:?}");
            return;
        }
    };
    assert_eq!(parse(text, FilledBy::Values).as_ref(), Ok(&parsed), "{text:?}");
    let mut placeholders = parsed.placeholders().iter();
    let mut names: Vec<&str> = Vec::new();
    let mut written = Vec::new();
    for segment in parsed.segments() {
        match segment {
            Segment::Literal(text) => written.push(text.clone()),
            Segment::Placeholder(name) => {
                let placeholder = placeholders.next().expect("one placeholder per placeholder segment");
                assert_eq!(placeholder.name(), name);
                assert!(!names.contains(&name.as_str()), "{text:?}: `{name}` twice");
                names.push(name);
                written.push(placeholder.to_string());
            }
        }
    }
    assert!(placeholders.next().is_none(), "{text:?}: a placeholder without a segment");
    assert_eq!(
        written.join("/"),
        text.strip_prefix('/').unwrap_or(text),
        "{text:?}: segments do not spell the template"
    );
    let canonical = parsed.to_string();
    let again = parse(&canonical, FilledBy::Fields)
        .unwrap_or_else(|e| panic!("{canonical:?} (from {text:?}) is refused: {e:?}"));
    assert_eq!(again.segments(), parsed.segments(), "{canonical:?}");
    assert_eq!(again.to_string(), canonical);
});
