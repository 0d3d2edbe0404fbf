//! Compile-time behaviour of `#[wechat_endpoint]`: what it accepts, and the message
//! for each mistake. `TRYBUILD=overwrite` regenerates the `.stderr` snapshots; read
//! every diff before committing one.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
