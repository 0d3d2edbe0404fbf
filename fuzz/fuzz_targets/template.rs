//! The `#[wechat_endpoint]` path template parser, `parse_template`, included from the
//! macro crate's source: a proc-macro crate exports only macros, and `template.rs` is
//! plain `std`.
//!
//! Properties: never panics; errors are non-empty, with offsets on `char` boundaries
//! inside the template; an accepted template is its pieces written back (leading `/`
//! aside), which parse to the same pieces.

#![no_main]

#[allow(dead_code)]
#[path = "../../macros/src/template.rs"]
mod template;

use libfuzzer_sys::fuzz_target;
use template::{Piece, parse_template};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = match parse_template(text) {
        Ok(parsed) => parsed,
        Err(errors) => {
            assert!(!errors.is_empty(), "{text:?}: refused without an error");
            for error in &errors {
                assert!(error.offset <= text.len() && text.is_char_boundary(error.offset), "{text:?}: {error:?}");
                assert!(!error.to_string().is_empty(), "{text:?}: {error:?}");
            }
            return;
        }
    };
    let pieces = parsed.pieces();
    let mut written = String::new();
    let mut names = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Literal(run) => {
                assert!(!run.is_empty(), "{text:?}: empty literal");
                assert!(!matches!(pieces.get(i + 1), Some(Piece::Literal(_))), "{text:?}: two literals in a row");
                written.push_str(run);
            }
            Piece::Placeholder(name) => {
                assert!(!names.contains(name), "{text:?}: `{name}` twice");
                names.push(name.clone());
                written.push('<');
                written.push_str(name);
                written.push('>');
            }
        }
    }
    assert_eq!(written, text.strip_prefix('/').unwrap_or(text), "{text:?}: pieces do not spell the template");
    let again = parse_template(&written).unwrap_or_else(|e| panic!("{written:?} (from {text:?}) is refused: {e:?}"));
    assert_eq!(again.pieces(), pieces, "{written:?}");
});
