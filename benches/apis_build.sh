#!/usr/bin/env bash
# What the typed endpoints (`wechat_endpoint::apis`) add to a user's debug build, measured
# with a scratch user crate under the target directory: the same crate built without
# `apis`, with `apis`, and with one area (`apis-pay`), each time after cleaning the
# runtime and the user crate (the other dependencies stay built: they do not change with
# these features), then an incremental rebuild after touching the user crate.
#
#     benches/apis_build.sh            # ROUNDS=3 by default; prints the medians, seconds
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
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# Rounds alternate the three builds, so a change in the machine's load touches all three;
# each figure is the median of its rounds, and the additions are against the build
# without the features in the same run.
rounds="${ROUNDS:-3}"
declare -a none=() all=() pay=() none_inc=() all_inc=() pay_inc=()
for _ in $(seq "$rounds"); do
  none+=("$(clean_build)"); none_inc+=("$(touch_build)")
  all+=("$(clean_build --features apis)"); all_inc+=("$(touch_build --features apis)")
  pay+=("$(clean_build --features pay)"); pay_inc+=("$(touch_build --features pay)")
done
base=$(median "${none[@]}")
with_all=$(median "${all[@]}")
with_pay=$(median "${pay[@]}")
echo "median of $rounds rounds, seconds"
echo "clean runtime + user crate, no apis:   $base"
echo "clean runtime + user crate, apis:      $with_all (adds $(echo "$with_all - $base" | bc), budget 60)"
echo "clean runtime + user crate, apis-pay:  $with_pay (adds $(echo "$with_pay - $base" | bc), budget 10)"
echo "incremental (user crate), no apis:     $(median "${none_inc[@]}")"
echo "incremental (user crate), apis:        $(median "${all_inc[@]}")"
echo "incremental (user crate), apis-pay:    $(median "${pay_inc[@]}")"
