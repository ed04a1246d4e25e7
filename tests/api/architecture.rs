//! The code's shape, checked: no import cycles between the modules of `src/`, and no file over
//! 350 lines. Read from the source text (`use crate::…`, `super::…` and inline `crate::…`
//! paths), so it needs no extra tool.
//!
//! Each file is a module. A path is resolved to the longest module it names; a name that a
//! `mod.rs` re-exports from one of its children (`pub use child::Name`) is resolved to that
//! child, so a re-export can't hide a cycle. A `mod.rs` declaring or re-exporting its own
//! children is structure, not a dependency. Test code (`#[cfg(test)]` onwards, `*tests.rs`) is
//! left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 350;

pub(crate) struct Module {
    path: String,
    is_mod_rs: bool,
    source: String,
}

pub(crate) fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn modules() -> Vec<Module> {
    modules_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

/// The modules of the crate whose `src/` is `src`.
pub(crate) fn modules_of(src: &Path) -> Vec<Module> {
    let src = src.to_path_buf();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|f| !f.ends_with("main.rs") || f.parent() != Some(src.as_path()))
        .filter(|f| {
            let name = f.file_name().unwrap().to_string_lossy();
            !name.ends_with("tests.rs")
        })
        .map(|file| {
            let relative = file.strip_prefix(&src).unwrap().with_extension("");
            let mut parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let is_mod_rs = parts.last().is_some_and(|p| p == "mod");
            if is_mod_rs || parts == ["lib"] {
                parts.pop();
            }
            let path = std::iter::once("crate".to_owned())
                .chain(parts)
                .collect::<Vec<_>>()
                .join("::");
            let text = std::fs::read_to_string(&file).unwrap();
            let code = match text.find("#[cfg(test)]") {
                Some(at) => &text[..at],
                None => &text,
            };
            // Comments name paths in prose (doc links); only code counts.
            let source = code
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .map(|line| line.split(" // ").next().unwrap_or(line))
                .collect::<Vec<_>>()
                .join("\n");
            Module {
                path,
                is_mod_rs: is_mod_rs || file.ends_with("lib.rs"),
                source,
            }
        })
        .collect()
}

/// `use a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|i| !i.is_empty())
        .flat_map(|item| expand(&format!("{prefix}{item}")))
        .collect()
}

/// Every path a module's source names: `use` trees expanded, plus inline `crate::`/`super::`.
fn named_paths(source: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for statement in source.split(';') {
        let trimmed = statement.trim_start();
        let body = trimmed
            .strip_prefix("pub(crate) use ")
            .or_else(|| trimmed.strip_prefix("pub use "))
            .or_else(|| trimmed.strip_prefix("use "));
        if let Some(body) = body {
            paths.extend(expand(body.split(" as ").next().unwrap_or(body)));
        }
    }
    let bytes: Vec<char> = source.chars().collect();
    let text: String = bytes.iter().collect();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = text[from..].find(start) {
            let begin = from + at;
            let end = text[begin..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(text.len(), |e| begin + e);
            paths.push(text[begin..end].trim_end_matches(':').to_owned());
            from = end.max(begin + start.len());
        }
    }
    paths
}

fn resolve_super(module: &Module, path: &str) -> String {
    let mut base: Vec<&str> = module.path.split("::").collect();
    let mut rest = path;
    // In a file `a/b.rs` (module a::b), `super` is `a`; in `a/mod.rs` (module a) it is a's parent.
    while let Some(tail) = rest.strip_prefix("super::") {
        base.pop();
        rest = tail;
    }
    if rest == "super" {
        base.pop();
        rest = "";
    }
    let mut joined = base.join("::");
    if !rest.is_empty() {
        joined = format!("{joined}::{rest}");
    }
    joined
}

/// Names a `mod.rs` re-exports from each child: (module, name) → child module.
fn re_exports(modules: &[Module]) -> BTreeMap<(String, String), String> {
    let mut map = BTreeMap::new();
    for module in modules.iter().filter(|m| m.is_mod_rs) {
        for statement in module.source.split(';') {
            let Some(body) = statement.trim_start().strip_prefix("pub use ") else {
                continue;
            };
            for path in expand(body) {
                let path = path.strip_prefix("self::").unwrap_or(&path).to_owned();
                if path.starts_with("crate::") || path.starts_with("super::") {
                    continue;
                }
                let mut parts: Vec<&str> = path.split("::").collect();
                if parts.len() < 2 {
                    continue;
                }
                let name = parts.pop().unwrap_or_default().to_owned();
                let child = format!("{}::{}", module.path, parts.join("::"));
                map.insert((module.path.clone(), name), child);
            }
        }
    }
    map
}

pub(crate) fn dependency_graph(modules: &[Module]) -> BTreeMap<String, BTreeSet<String>> {
    let known: BTreeSet<&str> = modules.iter().map(|m| m.path.as_str()).collect();
    let exports = re_exports(modules);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for module in modules {
        let edges = graph.entry(module.path.clone()).or_default();
        for raw in named_paths(&module.source) {
            let path = if raw.starts_with("super") {
                resolve_super(module, &raw)
            } else if raw.starts_with("crate") {
                raw.clone()
            } else if module.is_mod_rs {
                continue; // `mod x;` / `pub use child::…` in a mod.rs: its own children.
            } else {
                continue; // an outside crate
            };
            let segments: Vec<&str> = path.split("::").collect();
            let Some(length) = (1..=segments.len())
                .rev()
                .find(|n| known.contains(segments[..*n].join("::").as_str()))
            else {
                continue;
            };
            let mut target = segments[..length].join("::");
            if let Some(name) = segments.get(length) {
                if let Some(child) = exports.get(&(target.clone(), (*name).to_owned())) {
                    if known.contains(child.as_str()) {
                        target = child.clone();
                    }
                }
            }
            let own_child = module.is_mod_rs && target.starts_with(&format!("{}::", module.path));
            if target != module.path && !own_child {
                edges.insert(target);
            }
        }
    }
    graph
}

/// The strongly connected components with more than one module (Tarjan).
pub(crate) fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Tarjan<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, node: &'a str) {
            let next = self.index.len();
            self.index.insert(node, next);
            self.low.insert(node, next);
            self.stack.push(node);
            self.on_stack.insert(node);
            let graph = self.graph;
            for target in graph.get(node).into_iter().flatten() {
                let target = target.as_str();
                if !self.index.contains_key(target) {
                    self.visit(target);
                    let low = self.low[node].min(self.low[target]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(target) {
                    let low = self.low[node].min(self.index[target]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(top);
                    component.push(top.to_owned());
                    if top == node {
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
    let mut tarjan = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !tarjan.index.contains_key(node.as_str()) {
            tarjan.visit(node);
        }
    }
    tarjan.found
}

#[test]
fn no_two_modules_import_each_other_even_through_others() {
    let graph = dependency_graph(&modules());
    assert!(graph.len() > 50, "the source was read");
    assert!(
        graph["crate::server::startup"].contains("crate::server::state"),
        "edges are found"
    );
    let found = cycles(&graph);
    let edges: Vec<String> = found
        .iter()
        .flat_map(|component| {
            component.iter().flat_map(|from| {
                graph[from]
                    .iter()
                    .filter(|to| component.contains(to))
                    .map(move |to| format!("{from} -> {to}"))
            })
        })
        .collect();
    assert!(found.is_empty(), "import cycles: {edges:#?}");
}

/// The layers and what each may import (the README's "Architecture" section).
const LAYER_RULES: &[(&str, &[&str])] = &[
    // Pages and components: their data comes through `api`.
    ("crate::app", &["crate::server"]),
    // Parse-don't-validate types and the policy: nothing of the app around them.
    (
        "crate::domain",
        &["crate::server", "crate::api", "crate::app", "crate::error"],
    ),
    // The error table: messages and codes, built from domain types only.
    (
        "crate::error",
        &["crate::server", "crate::api", "crate::app"],
    ),
    // Services: business rules, no HTTP, no Leptos, no whole-app state.
    (
        "crate::server::services",
        &[
            "crate::api",
            "crate::app",
            "crate::server::http",
            "crate::server::state",
            "crate::server::startup",
        ],
    ),
    // Meta's clients know nothing of connections, services or HTTP routes.
    (
        "crate::server::meta",
        &[
            "crate::api",
            "crate::app",
            "crate::server::connect",
            "crate::server::services",
        ],
    ),
];

#[test]
fn each_layer_imports_only_what_its_rule_allows() {
    let graph = dependency_graph(&modules());
    let mut broken = Vec::new();
    for (from, edges) in &graph {
        for (layer, forbidden) in LAYER_RULES {
            let inside = from == layer || from.starts_with(&format!("{layer}::"));
            if !inside {
                continue;
            }
            for to in edges {
                if forbidden
                    .iter()
                    .any(|f| to == f || to.starts_with(&format!("{f}::")))
                {
                    broken.push(format!("{from} -> {to}"));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "imports across a layer's rule: {broken:#?}"
    );
}

#[test]
fn the_cycle_check_finds_a_cycle_through_a_re_export() {
    let module = |path: &str, is_mod_rs: bool, source: &str| Module {
        path: path.to_owned(),
        is_mod_rs,
        source: source.to_owned(),
    };
    let modules = [
        module(
            "crate::c",
            true,
            "pub mod a;\npub mod b;\npub use a::Thing;",
        ),
        module("crate::c::a", false, "use super::b::Other;"),
        module("crate::c::b", false, "use crate::c::Thing;"),
    ];
    let found = cycles(&dependency_graph(&modules));
    assert_eq!(
        found,
        [vec!["crate::c::a".to_owned(), "crate::c::b".to_owned()]]
    );
}

/// The Rust files under `dir` longer than [`MAX_LINES`], with their length; and how many
/// files were read.
pub(crate) fn long_files(dir: &Path) -> (Vec<String>, usize) {
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    let long = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    (long, files.len())
}

#[test]
fn no_file_in_src_is_over_350_lines() {
    let (long, _) = long_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(long.is_empty(), "split these by responsibility: {long:#?}");
}
