//! The files of `runtime/src` depend on each other one way: no two import each other,
//! directly or through others, and no file imports from a layer above its own.
//!
//! A file depends on another when it names an item defined there: a `use` of it, or a
//! path such as `crate::x::Y`, `super::Y` or `child::Y` in its code (comments and string
//! literals aside). A path through a re-export (`pub use`, or any `use` of the module
//! it names) counts as a dependency on the file that defines the item, so importing
//! `crate::Error` depends on the file of `Error`, not on `lib.rs`. A module file's
//! references to its own submodules are the module tree itself (declaring, re-exporting
//! and driving them), not dependencies; a submodule naming what its parent defines is.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/runtime/src");

/// The layers, lowest first, by where a file sits. A file may depend on files of its
/// own layer or below.
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &["crypto/", "template.rs", "catalog.rs"]),
    ("pipeline", &["pipeline/"]),
    ("features", &["features/"]),
    ("apis", &["apis/"]),
    ("assembly", &["builder.rs"]),
    ("adapters", &["adapters/"]),
    ("crate root", &["lib.rs"]),
];

#[test]
fn runtime_files_depend_on_each_other_one_way() {
    let graph = Graph::read(Path::new(SRC));
    let mut problems = Vec::new();

    for (from, to, line) in graph.edges() {
        let (from_layer, to_layer) = (layer(&graph.files[from].path), layer(&graph.files[to].path));
        match (from_layer, to_layer) {
            (Some(a), Some(b)) if b > a => problems.push(format!(
                "{}:{line} imports {} from the `{}` layer, above its own `{}`",
                graph.files[from].path, graph.files[to].path, LAYERS[b].0, LAYERS[a].0
            )),
            _ => {}
        }
    }
    for file in &graph.files {
        if layer(&file.path).is_none() {
            problems.push(format!("{} is in no layer: add it to LAYERS", file.path));
        }
    }

    for circle in graph.circles() {
        let mut text = format!("{} files import each other in a circle:", circle.len());
        for (from, to, line) in graph.edges() {
            if circle.contains(&from) && circle.contains(&to) {
                text.push_str(&format!("\n    {}:{line} -> {}", graph.files[from].path, graph.files[to].path));
            }
        }
        problems.push(text);
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

fn layer(path: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, prefixes)| prefixes.iter().any(|p| path.starts_with(p)))
}

/// One source file and what it names.
struct File {
    /// Relative to `runtime/src`, `/`-separated.
    path: String,
    /// Its module path from the crate root.
    module: Vec<String>,
    /// Every path it names, absolute, with the line it is on.
    uses: Vec<(Vec<String>, usize)>,
    /// What its `use` declarations bring in, by the name they bind.
    imports: BTreeMap<String, Vec<String>>,
}

struct Graph {
    files: Vec<File>,
    by_module: BTreeMap<Vec<String>, usize>,
}

impl Graph {
    fn read(src: &Path) -> Self {
        let mut paths = Vec::new();
        collect_rs(src, src, &mut paths);
        paths.sort();
        let modules: Vec<Vec<String>> = paths.iter().map(|p| module_of(p)).collect();
        let by_module: BTreeMap<Vec<String>, usize> =
            modules.iter().cloned().enumerate().map(|(i, m)| (m, i)).collect();
        let files = paths
            .iter()
            .zip(modules)
            .map(|(path, module)| {
                let text = std::fs::read_to_string(src.join(path)).unwrap();
                let children: BTreeSet<String> = by_module
                    .keys()
                    .filter(|m| m.len() == module.len() + 1 && m.starts_with(&module))
                    .map(|m| m.last().unwrap().clone())
                    .collect();
                let (uses, imports) = scan(&strip(&text), &module, &children);
                File { path: path.clone(), module, uses, imports }
            })
            .collect();
        Graph { files, by_module }
    }

    /// The file that defines what `path` names, following imports.
    fn resolve(&self, path: &[String], depth: usize) -> Option<usize> {
        let (len, file) =
            (0..=path.len()).rev().find_map(|len| self.by_module.get(&path[..len]).map(|&file| (len, file)))?;
        if len == path.len() || depth > 16 {
            return Some(file);
        }
        match self.files[file].imports.get(&path[len]) {
            Some(target) if target.as_slice() != path => {
                let mut next = target.clone();
                next.extend_from_slice(&path[len + 1..]);
                self.resolve(&next, depth + 1).or(Some(file))
            }
            _ => Some(file),
        }
    }

    /// `(from, to, line)` for every dependency, the first line naming it.
    fn edges(&self) -> Vec<(usize, usize, usize)> {
        let mut edges = BTreeMap::new();
        for (from, file) in self.files.iter().enumerate() {
            for (path, line) in &file.uses {
                let Some(to) = self.resolve(path, 0) else { continue };
                // A module's own submodules are its tree, not its dependencies.
                if to == from || self.files[to].module.starts_with(&file.module) {
                    continue;
                }
                edges.entry((from, to)).or_insert(*line);
            }
        }
        edges.into_iter().map(|((from, to), line)| (from, to, line)).collect()
    }

    /// The strongly connected components of more than one file (Tarjan).
    fn circles(&self) -> Vec<Vec<usize>> {
        struct Tarjan<'a> {
            next: &'a [Vec<usize>],
            index: Vec<Option<usize>>,
            low: Vec<usize>,
            stack: Vec<usize>,
            on_stack: Vec<bool>,
            counter: usize,
            found: Vec<Vec<usize>>,
        }
        impl Tarjan<'_> {
            fn visit(&mut self, v: usize) {
                self.index[v] = Some(self.counter);
                self.low[v] = self.counter;
                self.counter += 1;
                self.stack.push(v);
                self.on_stack[v] = true;
                for &w in &self.next[v] {
                    match self.index[w] {
                        None => {
                            self.visit(w);
                            self.low[v] = self.low[v].min(self.low[w]);
                        }
                        Some(index) if self.on_stack[w] => self.low[v] = self.low[v].min(index),
                        Some(_) => {}
                    }
                }
                if Some(self.low[v]) == self.index[v] {
                    let mut component = Vec::new();
                    loop {
                        let w = self.stack.pop().unwrap();
                        self.on_stack[w] = false;
                        component.push(w);
                        if w == v {
                            break;
                        }
                    }
                    if component.len() > 1 {
                        component.sort();
                        self.found.push(component);
                    }
                }
            }
        }
        let n = self.files.len();
        let mut next = vec![Vec::new(); n];
        for (from, to, _) in self.edges() {
            next[from].push(to);
        }
        let mut tarjan = Tarjan {
            next: &next,
            index: vec![None; n],
            low: vec![0; n],
            stack: Vec::new(),
            on_stack: vec![false; n],
            counter: 0,
            found: Vec::new(),
        };
        for v in 0..n {
            if tarjan.index[v].is_none() {
                tarjan.visit(v);
            }
        }
        tarjan.found
    }
}

fn collect_rs(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rs(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
        }
    }
}

/// `lib.rs` → ``, `a.rs` and `a/mod.rs` → `a`, `a/b.rs` → `a::b`.
fn module_of(path: &str) -> Vec<String> {
    let mut parts: Vec<String> = path.trim_end_matches(".rs").split('/').map(str::to_owned).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// `text` with comments, string literals and char literals blanked out; line breaks
/// are kept, so lines still count.
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, chars[i]);
                    i += 1;
                }
            }
        } else if (c == 'r' || (c == 'b' && next == Some('r')))
            && !chars.get(i.wrapping_sub(1)).is_some_and(|p| p.is_alphanumeric() || *p == '_')
            && {
                let start = if c == 'b' { i + 2 } else { i + 1 };
                let hashes = chars[start..].iter().take_while(|&&h| h == '#').count();
                chars.get(start + hashes) == Some(&'"')
            }
        {
            let start = if c == 'b' { i + 2 } else { i + 1 };
            let hashes = chars[start..].iter().take_while(|&&h| h == '#').count();
            i = start + hashes + 1;
            loop {
                if i >= chars.len() {
                    break;
                }
                if chars[i] == '"' && chars[i + 1..].iter().take(hashes).filter(|&&h| h == '#').count() == hashes {
                    i += 1 + hashes;
                    break;
                }
                blank(&mut out, chars[i]);
                i += 1;
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if let Some(&c) = chars.get(i) {
                    blank(&mut out, c);
                }
                i += 1;
            }
            i += 1;
        } else if c == '\'' {
            // A char literal (`'x'`, `'\n'`, `'\u{1F}'`), or a lifetime (`'a`).
            let end = if next == Some('\\') {
                chars[i + 2..].iter().position(|&c| c == '\'').map(|p| i + 2 + p)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => i = end + 1,
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Punct(char),
}

fn tokens(text: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphabetic() || c == '_' || c == '$' {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Token::Ident(chars[start..i].iter().collect()), line));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push((Token::PathSep, line));
            i += 2;
        } else {
            out.push((Token::Punct(c), line));
            i += 1;
        }
    }
    out
}

type Scanned = (Vec<(Vec<String>, usize)>, BTreeMap<String, Vec<String>>);

/// Every path `text` (stripped) names, made absolute, and what its `use`
/// declarations bind at file level.
fn scan(text: &str, module: &[String], children: &BTreeSet<String>) -> Scanned {
    let tokens = tokens(text);
    let ident = |i: usize| match tokens.get(i) {
        Some((Token::Ident(name), _)) => Some(name.as_str()),
        _ => None,
    };
    let is = |i: usize, t: &Token| tokens.get(i).is_some_and(|(token, _)| token == t);
    let mut uses = Vec::new();
    let mut imports = BTreeMap::new();
    // Inline modules (`mod tests { … }`): their names and the brace depth they opened at.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        let current: Vec<String> = module.iter().cloned().chain(inline.iter().map(|(name, _)| name.clone())).collect();
        let line = tokens[i].1;
        match &tokens[i].0 {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth -= 1;
                if inline.last().is_some_and(|(_, at)| *at == depth) {
                    inline.pop();
                }
            }
            Token::Ident(word) if word == "mod" && is(i + 2, &Token::Punct('{')) => {
                inline.push((ident(i + 1).unwrap_or_default().to_owned(), depth));
                depth += 1;
                i += 3;
                continue;
            }
            Token::Ident(word) if word == "use" && !is(i.wrapping_sub(1), &Token::PathSep) => {
                let mut leaves = Vec::new();
                let end = use_tree(&tokens, i + 1, Vec::new(), &mut leaves);
                for (path, bound) in leaves {
                    if let Some(absolute) = absolute(&path, &current, children, inline.is_empty()) {
                        if inline.is_empty()
                            && let Some(name) = bound
                        {
                            imports.insert(name, absolute.clone());
                        }
                        uses.push((absolute, line));
                    }
                }
                i = end;
                continue;
            }
            Token::Ident(word)
                if is(i + 1, &Token::PathSep)
                    && !is(i.wrapping_sub(1), &Token::PathSep)
                    && !is(i.wrapping_sub(1), &Token::Punct('.'))
                    && (matches!(word.as_str(), "crate" | "$crate" | "super" | "self")
                        || (inline.is_empty() && children.contains(word))) =>
            {
                let mut path = vec![word.clone()];
                let mut j = i + 1;
                while is(j, &Token::PathSep)
                    && let Some(next) = ident(j + 1)
                {
                    path.push(next.to_owned());
                    j += 2;
                }
                if let Some(absolute) = absolute(&path, &current, children, inline.is_empty()) {
                    uses.push((absolute, line));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    (uses, imports)
}

/// Reads a use tree from `at`; pushes each leaf's path and the name it binds (`None`
/// for a glob); responses where the declaration ends.
fn use_tree(
    tokens: &[(Token, usize)],
    mut at: usize,
    mut prefix: Vec<String>,
    leaves: &mut Vec<(Vec<String>, Option<String>)>,
) -> usize {
    loop {
        match tokens.get(at).map(|(t, _)| t) {
            Some(Token::Ident(word)) if word == "as" => {
                if let Some((Token::Ident(alias), _)) = tokens.get(at + 1) {
                    let path = std::mem::take(&mut prefix);
                    leaves.push((path, Some(alias.clone())));
                }
                at += 2;
            }
            Some(Token::Ident(word)) => {
                prefix.push(word.clone());
                at += 1;
            }
            Some(Token::PathSep) => at += 1,
            Some(Token::Punct('*')) => {
                leaves.push((std::mem::take(&mut prefix), None));
                at += 1;
            }
            Some(Token::Punct('{')) => {
                at += 1;
                loop {
                    at = use_tree(tokens, at, prefix.clone(), leaves);
                    match tokens.get(at).map(|(t, _)| t) {
                        Some(Token::Punct(',')) => at += 1,
                        Some(Token::Punct('}')) => {
                            at += 1;
                            break;
                        }
                        _ => break,
                    }
                    if matches!(tokens.get(at).map(|(t, _)| t), Some(Token::Punct('}'))) {
                        at += 1;
                        break;
                    }
                }
                return at;
            }
            _ => {
                if !prefix.is_empty() {
                    let name = match prefix.last().map(String::as_str) {
                        Some("self") => {
                            prefix.pop();
                            prefix.last().cloned()
                        }
                        last => last.map(str::to_owned),
                    };
                    leaves.push((prefix, name));
                }
                return match tokens.get(at).map(|(t, _)| t) {
                    Some(Token::Punct(';')) => at + 1,
                    _ => at,
                };
            }
        }
    }
}

/// `path` made absolute from `current`; `None` for paths into other crates.
fn absolute(
    path: &[String],
    current: &[String],
    children: &BTreeSet<String>,
    at_file_level: bool,
) -> Option<Vec<String>> {
    let mut segments = path.iter().map(String::as_str).peekable();
    let mut out: Vec<String> = match segments.peek().copied()? {
        "crate" | "$crate" | "wechat_endpoint" => {
            segments.next();
            Vec::new()
        }
        "self" => {
            segments.next();
            current.to_vec()
        }
        "super" => current.to_vec(),
        first if at_file_level && children.contains(first) => current.to_vec(),
        _ => return None,
    };
    while segments.peek() == Some(&"super") {
        segments.next();
        out.pop();
    }
    out.extend(segments.map(str::to_owned));
    Some(out)
}

#[test]
fn the_scanner_reads_use_trees_paths_and_imports() {
    let text = strip(
        r#"
        use crate::a::{B, c::{self, D as E}, f::*};
        use super::g::H;
        // use crate::commented::Out;
        fn f() { let s = "crate::in_string::X"; crate::i::j(); child::K; x.child::L; }
        mod tests { use super::*; use crate::t::U; }
        "#,
    );
    let children = BTreeSet::from(["child".to_owned()]);
    let (uses, imports) = scan(&text, &["m".to_owned(), "n".to_owned()], &children);
    let paths: Vec<String> = uses.iter().map(|(p, _)| p.join("::")).collect();
    assert_eq!(paths, ["a::B", "a::c", "a::c::D", "a::f", "m::g::H", "i::j", "m::n::child::K", "m::n", "t::U"]);
    assert_eq!(imports["E"], ["a", "c", "D"]);
    assert_eq!(imports["c"], ["a", "c"]);
    assert!(!imports.contains_key("U"), "imports of inline modules are theirs");
}
