//! The sandbox's `Authorization` parser, `parse_authorization`.
//!
//! Properties: never panics; when it accepts a value, the five fields written back in
//! canonical order (as the client writes them) parse to the same fields.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wechat_endpoint::sandbox::parse_authorization;
use wechat_endpoint::signing::SCHEME;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = std::str::from_utf8(data) else { return };
    let parsed = match parse_authorization(value) {
        Ok(parsed) => parsed,
        Err(message) => {
            assert!(!message.is_empty());
            return;
        }
    };
    let canonical = format!(
        r#"{SCHEME} mchid="{}",nonce_str="{}",signature="{}",timestamp="{}",serial_no="{}""#,
        parsed.mchid, parsed.nonce, parsed.signature, parsed.timestamp, parsed.serial
    );
    let again = parse_authorization(&canonical).unwrap_or_else(|e| panic!("{canonical:?} is refused: {e}"));
    assert_eq!(parsed, again, "{canonical:?}");
});
