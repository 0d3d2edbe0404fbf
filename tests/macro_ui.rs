//! Compile-time behaviour of `#[wechat_endpoint]`: what it accepts, and the message
//! for each mistake. `TRYBUILD=overwrite` regenerates the `.stderr` snapshots; read
//! every diff before committing one.

// The expansion does not depend on the crypto backend, and trybuild builds the whole
// dependency tree again for each feature set: the suite runs once, in the default
// (aws-lc) build.
#[cfg(feature = "aws-lc")]
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
