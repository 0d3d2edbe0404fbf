//! `wechat-endpoint-codegen`: the project's code generators, developer tooling that no
//! user build compiles.
//!
//! `wechat-endpoint-codegen catalog [--spec DIR] [--check]` reads the wechatpay-openapi
//! description (`DIR/swagger.yaml`, by default `../shared/wechatpay-openapi/docs` beside
//! the workspace) and writes the catalog crate's data, `catalog/src/operations.rs`, and
//! its conversion summary, `catalog/CONVERSION.md`. With `--check` it writes nothing and
//! fails when the committed files differ from what it would write.

mod apis;
mod convert;
mod emit;
mod model;
mod naming;
mod report;
mod spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str =
    "usage: wechat-endpoint-codegen catalog [--spec DIR] [--check]\n       wechat-endpoint-codegen apis [--check]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("wechat-endpoint-codegen: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().ok_or("no workspace above the codegen crate")?;
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("catalog") => {}
        Some("apis") => {
            let check = match args.next().as_deref() {
                None => false,
                Some("--check") => true,
                Some(other) => return Err(format!("unknown argument `{other}`\n{USAGE}")),
            };
            return run_apis(workspace, check);
        }
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return Ok(());
        }
        _ => return Err(USAGE.to_owned()),
    }
    let mut spec_dir = workspace.join("../shared/wechatpay-openapi/docs");
    let mut check = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" => spec_dir = PathBuf::from(args.next().ok_or("--spec needs a directory")?),
            "--check" => check = true,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if !spec_dir.join("swagger.yaml").is_file() {
        return Err(format!("no swagger.yaml in {}: pass --spec DIR", spec_dir.display()));
    }
    let catalog = convert::convert(&mut spec::Spec::on_disk(spec_dir))?;
    let summary = emit::summary(&catalog);
    let outputs = [
        (workspace.join("catalog/src/operations.rs"), emit::rust_source(&catalog)?),
        (workspace.join("catalog/CONVERSION.md"), summary.clone()),
    ];
    print!("{summary}");
    if check {
        let stale: Vec<String> = outputs
            .iter()
            .filter(|(path, text)| std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()))
            .map(|(path, text)| describe_difference(path, text))
            .collect();
        if !stale.is_empty() {
            return Err(format!(
                "the committed catalog differs from the specification's:\n{}\nrun `cargo run -p wechat-endpoint-codegen -- catalog` and commit the result",
                stale.join("\n")
            ));
        }
        eprintln!("wechat-endpoint-codegen: the committed catalog is up to date");
    } else {
        for (path, text) in &outputs {
            std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// `wechat-endpoint-codegen apis [--check]`: writes the typed endpoints, or checks that
/// the committed ones are what it would write (no file differs, none is missing or
/// left over).
fn run_apis(workspace: &Path, check: bool) -> Result<(), String> {
    let outputs = apis::outputs(workspace)?;
    let generated: std::collections::BTreeSet<&PathBuf> = outputs.iter().map(|(path, _)| path).collect();
    let left_over: Vec<PathBuf> =
        apis::existing_files(workspace).into_iter().filter(|path| !generated.contains(path)).collect();
    if check {
        let mut stale: Vec<String> = outputs
            .iter()
            .filter(|(path, text)| std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()))
            .map(|(path, text)| describe_difference(path, text))
            .collect();
        stale.extend(left_over.iter().map(|path| format!("  {}: no longer generated", path.display())));
        if !stale.is_empty() {
            return Err(format!(
                "the committed typed endpoints differ from the catalog's:\n{}\nrun `cargo run -p wechat-endpoint-codegen -- apis` and commit the result",
                stale.join("\n")
            ));
        }
        eprintln!("wechat-endpoint-codegen: the committed typed endpoints are up to date");
        return Ok(());
    }
    for path in &left_over {
        std::fs::remove_file(path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
    }
    for (path, text) in &outputs {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    eprintln!("wechat-endpoint-codegen: wrote {} files", outputs.len());
    Ok(())
}

/// `path` and its first line that differs from `expected`.
fn describe_difference(path: &Path, expected: &str) -> String {
    let Ok(found) = std::fs::read_to_string(path) else {
        return format!("  {}: missing", path.display());
    };
    let line = found
        .lines()
        .zip(expected.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| found.lines().count().min(expected.lines().count()));
    format!("  {}: differs from line {}", path.display(), line + 1)
}
