#!/usr/bin/env bash
# What the typed endpoints (`wechat_endpoint::apis`) add to a user's debug build, measured
# with a scratch user crate under the target directory: the same crate built without
# `apis`, with `apis`, and with one area (`apis-pay`), each time after cleaning the
# runtime and the user crate (the other dependencies stay built: they do not change with
# these features), then an incremental rebuild after touching the user crate.
#
#     benches/apis_build.sh            # prints one line per measurement, seconds
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="${CARGO_TARGET_DIR:-$root/target}/apis_build"
mkdir -p "$dir/src"
cat >"$dir/Cargo.toml" <<TOML
[package]
name = "apis-build-user"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
wechat-endpoint = { path = "$root/runtime" }
tokio = { version = "1", features = ["rt", "macros"] }

[features]
apis = ["wechat-endpoint/apis"]
pay = ["wechat-endpoint/apis-pay"]

[workspace]
TOML
cat >"$dir/src/main.rs" <<'RS'
//! A user of one typed endpoint (or of none, without the features).
#[cfg(any(feature = "apis", feature = "pay"))]
use wechat_endpoint::apis::pay::transactions::{GetIdByTransactionId, GetIdByTransactionIdResponse};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = wechat_endpoint::ClientBuilder::from_env()?.build()?;
    #[cfg(any(feature = "apis", feature = "pay"))]
    {
        let request = GetIdByTransactionId::new("4200000985202103031441826014", "1230000109");
        let order: GetIdByTransactionIdResponse = client.send(&request).await?;
        println!("{:?}", order.trade_state);
    }
    let _ = client;
    Ok(())
}
RS
cd "$dir"
export CARGO_TARGET_DIR="$dir/target"
cargo build -q 2>/dev/null || cargo build -q # the dependencies, once
seconds() { local start=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $start" | bc; }
clean_build() { cargo clean -q -p wechat-endpoint -p apis-build-user; seconds cargo build "$@"; }
touch_build() { touch src/main.rs; seconds cargo build "$@"; }
echo "clean runtime + user crate, no apis:   $(clean_build)"
echo "incremental (user crate), no apis:     $(touch_build)"
echo "clean runtime + user crate, apis:      $(clean_build --features apis)"
echo "incremental (user crate), apis:        $(touch_build --features apis)"
echo "clean runtime + user crate, apis-pay:  $(clean_build --features pay)"
echo "incremental (user crate), apis-pay:    $(touch_build --features pay)"
