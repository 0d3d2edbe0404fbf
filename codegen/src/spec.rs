//! Reading the specification's YAML files and following its `$ref`s.
//!
//! Every `$ref` is rewritten when its file is loaded into one absolute form,
//! `file#/pointer`, the file relative to the specification's root. A reference then means
//! the same thing wherever `allOf` merging carries it.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use yaml_rust2::{Yaml, YamlLoader, yaml::Hash};

use crate::report::Report;

/// Reads a file of the specification, by its path relative to the root.
pub type Reader = Box<dyn Fn(&Path) -> std::io::Result<String>>;

/// The specification's files, loaded on first use.
pub struct Spec {
    read: Reader,
    files: HashMap<PathBuf, Yaml>,
}

/// A `$ref` target that could not be used.
#[derive(Debug)]
pub struct RefError(pub String);

impl Spec {
    /// A specification whose files `read` returns.
    pub fn new(read: Reader) -> Spec {
        Spec { read, files: HashMap::new() }
    }

    /// A specification on disk under `root`.
    pub fn on_disk(root: PathBuf) -> Spec {
        Spec::new(Box::new(move |path| std::fs::read_to_string(root.join(path))))
    }

    /// The document of `file` (relative to the root), its `$ref`s made absolute.
    pub fn file(&mut self, file: &Path, report: &mut Report) -> Result<&Yaml, RefError> {
        if !self.files.contains_key(file) {
            let text = (self.read)(file).map_err(|e| RefError(format!("cannot read {}: {e}", file.display())))?;
            let mut docs = YamlLoader::load_from_str(&text)
                .map_err(|e| RefError(format!("{} is not YAML: {e}", file.display())))?;
            let mut doc = if docs.is_empty() { Yaml::Null } else { docs.swap_remove(0) };
            absolutise_refs(&mut doc, file, report);
            self.files.insert(file.to_path_buf(), doc);
        }
        Ok(&self.files[file])
    }

    /// The node an absolute reference (`file#/pointer`, `file#`) names.
    pub fn target(&mut self, reference: &str, report: &mut Report) -> Result<Yaml, RefError> {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let mut node = self.file(Path::new(file), report)?;
        for token in pointer.split('/').filter(|token| !token.is_empty()) {
            let token = token.replace("~1", "/").replace("~0", "~");
            node = match node {
                Yaml::Hash(hash) => hash.get(&Yaml::String(token.clone())),
                Yaml::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            }
            .ok_or_else(|| RefError(format!("`{reference}` names nothing: no `{token}`")))?;
        }
        Ok(node.clone())
    }

    /// `node` with its `$ref` followed (again while the target is a `$ref`), the
    /// target's keys overlaid by the referring node's other keys. `followed` receives
    /// the references, to guard against cycles; a reference already in `active` is a
    /// cycle.
    pub fn resolve(
        &mut self,
        node: &Yaml,
        active: &[String],
        followed: &mut Vec<String>,
        report: &mut Report,
    ) -> Result<Yaml, RefError> {
        let mut node = node.clone();
        loop {
            let Yaml::Hash(hash) = &node else { return Ok(node) };
            let Some(reference) = hash.get(&key("$ref")) else { return Ok(node) };
            let Some(reference) = reference.as_str().map(str::to_owned) else {
                return Err(RefError("a `$ref` that is not text".into()));
            };
            if active.contains(&reference) || followed.contains(&reference) {
                return Err(RefError(format!("`$ref` cycle through `{reference}`")));
            }
            followed.push(reference.clone());
            let target = self.target(&reference, report)?;
            let mut siblings = hash.clone();
            siblings.remove(&key("$ref"));
            node = if siblings.keys().any(|k| !is_prose(k)) {
                report.handled("`$ref` with sibling keys: the siblings overlay the target", &reference);
                match target {
                    Yaml::Hash(mut merged) => {
                        for (k, v) in siblings {
                            merged.insert(k, v);
                        }
                        Yaml::Hash(merged)
                    }
                    other => other,
                }
            } else {
                target
            };
        }
    }
}

/// A YAML mapping key.
pub fn key(name: &str) -> Yaml {
    Yaml::String(name.to_owned())
}

/// Whether a key holds prose or examples, which the catalog never keeps.
pub fn is_prose(k: &Yaml) -> bool {
    matches!(k.as_str(), Some("description" | "example" | "x-example" | "title"))
}

/// Rewrites every `$ref` under `node`, found in `file`, to `file#/pointer` relative to
/// the specification's root.
fn absolutise_refs(node: &mut Yaml, file: &Path, report: &mut Report) {
    match node {
        Yaml::Hash(hash) => {
            if let Some(Yaml::String(reference)) = hash.get_mut(&key("$ref")) {
                *reference = absolute_ref(reference, file, report);
            }
            for value in hash.values_mut() {
                absolutise_refs(value, file, report);
            }
        }
        Yaml::Array(items) => items.iter_mut().for_each(|item| absolutise_refs(item, file, report)),
        _ => {}
    }
}

/// `reference`, written in `file`, as `file#/pointer` relative to the root.
fn absolute_ref(reference: &str, file: &Path, report: &mut Report) -> String {
    let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let target = if target.is_empty() {
        file.to_path_buf()
    } else {
        normalise(&file.parent().unwrap_or(Path::new("")).join(target))
    };
    let pointer = if fragment.is_empty() || fragment.starts_with('/') {
        fragment.to_owned()
    } else {
        report.handled("`$ref` fragment without a leading `/` (`File.yaml#Name`): read as `#/Name`", reference);
        format!("/{fragment}")
    };
    format!("{}#{pointer}", target.to_string_lossy().replace('\\', "/"))
}

/// `path` with `.` and `..` folded away, lexically.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The mapping inside `node`, if it is one.
pub fn hash(node: &Yaml) -> Option<&Hash> {
    match node {
        Yaml::Hash(hash) => Some(hash),
        _ => None,
    }
}

/// The value of `name` in a mapping.
pub fn get<'a>(hash: &'a Hash, name: &str) -> Option<&'a Yaml> {
    hash.get(&key(name))
}

/// The text of a scalar as the specification writes it (`1`, `1.5`, `true`, `CNY`).
pub fn scalar_text(node: &Yaml) -> Option<String> {
    match node {
        Yaml::String(text) | Yaml::Real(text) => Some(text.clone()),
        Yaml::Integer(number) => Some(number.to_string()),
        Yaml::Boolean(value) => Some(value.to_string()),
        _ => None,
    }
}
