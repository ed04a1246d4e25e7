//! The Meta sandbox as a crate of its own (`sandbox/`, docs/architecture.md), checked: the same
//! shape rules as `src/`, a manifest with no dependency on anything of the app's, and in the
//! app one module only (`server/sandbox_mode.rs`) that names it. The compiler enforces the rest:
//! the sandbox cannot reach the app's code, and `--no-default-features` (scripts/test) builds the
//! app without it.

use crate::architecture::{cycles, dependency_graph, long_files, modules_of, rust_files};
use std::path::{Path, PathBuf};

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sandbox_src() -> PathBuf {
    repository().join("sandbox").join("src")
}

#[test]
fn no_two_modules_of_the_sandbox_crate_import_each_other() {
    let graph = dependency_graph(&modules_of(&sandbox_src()));
    assert!(graph.len() > 20, "the sandbox's source was read");
    let found = cycles(&graph);
    assert!(found.is_empty(), "import cycles in the sandbox: {found:#?}");
}

#[test]
fn no_file_in_the_sandbox_crate_is_over_350_lines() {
    let (long, read) = long_files(&sandbox_src());
    assert!(read > 20, "the sandbox's source was read");
    assert!(long.is_empty(), "split these by responsibility: {long:#?}");
}

#[test]
fn the_sandbox_crate_depends_on_no_crate_of_this_repository() {
    let manifest = std::fs::read_to_string(repository().join("sandbox/Cargo.toml")).unwrap();
    let local: Vec<&str> = manifest
        .lines()
        .filter(|line| line.contains("path =") || line.contains("path="))
        .filter(|line| !line.trim_start().starts_with("path = \"src/lib.rs\""))
        .collect();
    assert!(local.is_empty(), "the sandbox must stand alone: {local:#?}");
}

#[test]
fn only_sandbox_mode_names_the_sandbox_crate_in_the_app() {
    let src = repository().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let naming: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("server/sandbox_mode.rs"))
        .filter(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .any(|line| line.contains("meta_sandbox"))
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        naming.is_empty(),
        "only src/server/sandbox_mode.rs may use the sandbox: {naming:#?}"
    );
}
