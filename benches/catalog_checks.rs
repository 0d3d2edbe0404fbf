//! What the catalog checks of `#[wechat_endpoint]` add to a build: writes a crate with
//! one declaration per APIv3 operation of the catalog (1,018), every query and body
//! member declared with its type, builds it with the checks and again with every
//! declaration `unchecked`, and prints the difference per declaration. Each variant is
//! built `ROUNDS` times after a warm-up build of the dependencies, alternating; the least
//! CPU time of each counts (wall time where the CPU time cannot be read), so that other
//! work on the machine does not.
//!
//! ```text
//! cargo bench --bench catalog_checks
//! ```
//!
//! The crate is written under `$CARGO_TARGET_DIR` (or `target/`), in
//! `catalog-checks-bench/`, with its own target directory.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use wechat_endpoint::catalog::{Body, JsonType, Location, Member, Method, OPERATIONS, Operation, Schema};

const ROUNDS: usize = 5;

fn main() {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace.join("target"), PathBuf::from);
    let dir = target.join("catalog-checks-bench");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), manifest(&workspace)).unwrap();

    let (checked, count) = crate_source(false);
    let (unchecked, _) = crate_source(true);
    println!("{count} declarations checked (of {} operations)", OPERATIONS.len());

    // Warm-up: the dependencies, and a first expansion of each variant.
    build(&dir, &unchecked);
    build(&dir, &checked);
    let (mut with, mut without) = (Duration::MAX, Duration::MAX);
    for round in 0..ROUNDS {
        let (checked_time, unchecked_time) = (build(&dir, &checked), build(&dir, &unchecked));
        println!("round {round}: checked {checked_time:.2?}, unchecked {unchecked_time:.2?}");
        with = with.min(checked_time);
        without = without.min(unchecked_time);
    }
    let added = with.saturating_sub(without);
    println!("build with the checks:    {with:.2?} (CPU)");
    println!("build with `unchecked`:   {without:.2?} (CPU)");
    println!(
        "the checks add {added:.2?}, {:.3} ms per declaration (budget: 1 ms)",
        added.as_secs_f64() * 1000.0 / count as f64
    );
}

fn manifest(workspace: &Path) -> String {
    format!(
        "[package]\nname = \"catalog-checks-bench\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n\
         wechat-endpoint = {{ path = {runtime:?}, default-features = false, features = [\"rust-crypto\"] }}\n\
         serde = \"1\"\nserde_json = \"1\"\n",
        runtime = workspace.join("runtime").display().to_string(),
    )
}

/// The CPU time (user and system) of the waited-for children of this process, from
/// `/proc/self/stat` (Linux, in clock ticks of 10 ms); `None` elsewhere.
fn children_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses: cutime and cstime are
    // the 16th and 17th fields of the line, the 14th and 15th after `)`.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Writes `source` as the crate's `lib.rs` and builds it; the time of the build: the CPU
/// time of cargo and rustc where it can be read (other work on the machine slows it
/// less than it slows the wall clock), else the wall clock.
fn build(dir: &Path, source: &str) -> Duration {
    std::fs::write(dir.join("src/lib.rs"), source).unwrap();
    let cpu = children_cpu();
    let start = Instant::now();
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--lib"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        // Each build starts from the same state: no incremental cache of the other variant.
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .unwrap();
    assert!(status.success(), "the generated crate must build");
    let wall = start.elapsed();
    cpu.zip(children_cpu()).map_or(wall, |(before, after)| after - before)
}

/// The crate's source, and how many declarations the catalog checks.
fn crate_source(unchecked: bool) -> (String, usize) {
    let mut source = String::from(
        "#![allow(dead_code)]\nuse wechat_endpoint::sensitive::Sensitive;\nuse wechat_endpoint::wechat_endpoint;\n\n",
    );
    let mut checked = 0;
    for (i, operation) in OPERATIONS.iter().enumerate() {
        checked += usize::from(declaration(&mut source, i, operation, unchecked));
    }
    (source, checked)
}

/// One declaration of `operation` that its checks accept; whether it is checked.
fn declaration(out: &mut String, i: usize, operation: &Operation, unchecked: bool) -> bool {
    let sends_body = matches!(operation.method, Method::Post | Method::Put | Method::Patch);
    // A GET cannot send a body (the macro says so), whatever the specification lists.
    let body_members = match operation.body {
        Body::Json(members) if operation.method != Method::Get => members,
        _ => &[],
    };
    let skipped_body = matches!(operation.body, Body::Json(m) if !m.is_empty()) && body_members.is_empty();
    let unchecked = unchecked || skipped_body;
    let mut placeholders = 0;
    let template: Vec<String> = operation
        .path_template
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                placeholders += 1;
                format!("{{p{}}}", placeholders - 1)
            } else {
                segment.to_owned()
            }
        })
        .collect();
    let flag = if unchecked { ", unchecked" } else { "" };
    writeln!(out, "#[wechat_endpoint({}, {:?}{flag})]\npub struct Op{i} {{", operation.method, template.join("/"))
        .unwrap();
    for p in 0..placeholders {
        writeln!(out, "    pub p{p}: String,").unwrap();
    }
    if matches!(operation.body, Body::Multipart(_)) {
        writeln!(out, "    #[wechat(file)]\n    pub file: wechat_endpoint::media::MediaFile,").unwrap();
    }
    for (j, member) in operation.parameters.iter().filter(|m| m.location == Location::Query).enumerate() {
        let place = if sends_body { "    #[wechat(query)]\n" } else { "" };
        field(out, &format!("q{j}"), place, member);
    }
    for (j, member) in body_members.iter().enumerate() {
        let place = if sends_body { "" } else { "    #[wechat(body)]\n" };
        field(out, &format!("b{j}"), place, member);
    }
    out.push_str("}\n\n");
    !unchecked
}

fn field(out: &mut String, ident: &str, place: &str, member: &Member) {
    let mut ty = rust_type(&member.schema, member.sensitive);
    let encrypt = member.sensitive && ty == "String";
    if !member.required {
        ty = format!("Option<{ty}>");
    }
    let encrypt = if encrypt { "    #[wechat(encrypt)]\n" } else { "" };
    writeln!(out, "{place}{encrypt}    #[serde(rename = {:?})]\n    pub {ident}: {ty},", member.name).unwrap();
}

fn rust_type(schema: &Schema, sensitive: bool) -> String {
    let integer =
        schema.format.is_some_and(|f| ["integer", "int32", "int64", "uint32", "uint64", "unit32"].contains(&f));
    match schema.ty {
        JsonType::String => "String".to_owned(),
        JsonType::Integer => "i64".to_owned(),
        JsonType::Number if integer => "i64".to_owned(),
        JsonType::Number => "f64".to_owned(),
        JsonType::Boolean => "bool".to_owned(),
        JsonType::Array if sensitive => "Vec<Sensitive>".to_owned(),
        JsonType::Array => match schema.items {
            Some(items) if matches!(items.ty, JsonType::String | JsonType::Integer | JsonType::Boolean) => {
                format!("Vec<{}>", rust_type(items, false))
            }
            _ => "Vec<serde_json::Value>".to_owned(),
        },
        _ => "serde_json::Value".to_owned(),
    }
}
