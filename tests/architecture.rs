//! The module graph is the one `docs/architecture.md` draws.
//!
//! The code map there has a table of modules, each with the modules it may
//! use. This test reads that table and every `crate::` path under `src/`,
//! and fails on an import the table does not allow, or on a table that
//! itself allows a cycle. The docs are the rule; the test keeps them true.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module name -> the modules it may use, as the code map lists them.
fn code_map() -> BTreeMap<String, BTreeSet<String>> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/architecture.md"))
        .expect("docs/architecture.md is part of the repository");
    let mut map = BTreeMap::new();
    let mut in_table = false;
    for line in doc.lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.first() == Some(&"module") && cells.get(1) == Some(&"may use") {
            in_table = true;
            continue;
        }
        if !in_table {
            continue;
        }
        if !line.trim_start().starts_with('|') {
            break;
        }
        if cells[0].starts_with("---") {
            continue;
        }
        let name = cells[0].trim_matches('`').to_string();
        let allowed = cells[1]
            .split(',')
            .map(|m| m.trim().trim_matches('`').to_string())
            .filter(|m| !m.is_empty() && m != "—" && m != "-")
            .collect();
        map.insert(name, allowed);
    }
    assert!(
        !map.is_empty(),
        "docs/architecture.md has no `| module | may use |` table"
    );
    map
}

/// The top-level module a file under `src/` belongs to.
fn module_of(path: &Path, src: &Path) -> String {
    let rel = path.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .to_string();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::name` a file mentions, outside comments.
fn uses(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
            rest = after;
        }
        // `use crate::{a, b}` lists several modules at once.
        if let Some(i) = code.find("crate::{") {
            let list = &code[i + "crate::{".len()..];
            for part in list.split([',', '}']) {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn imports_follow_the_code_map() {
    let map = code_map();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut used_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = module_of(file, &src);
        if module == "lib" || module == "main" {
            continue; // the crate root declares the modules; main only calls `cli`
        }
        let Some(allowed) = map.get(&module) else {
            problems.push(format!(
                "src/{module}: not in the code map of docs/architecture.md"
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for used in uses(&text) {
            if used == module || !map.contains_key(&used) {
                continue; // itself, or an item of the crate root (re-exports)
            }
            used_by
                .entry(module.clone())
                .or_default()
                .insert(used.clone());
            if !allowed.contains(&used) {
                problems.push(format!(
                    "{}: `{module}` uses `{used}`, which the code map does not allow",
                    file.strip_prefix(src.parent().unwrap()).unwrap().display()
                ));
            }
        }
    }
    // An allowance nothing uses is a stale line of the map: it would let
    // the next change add the import without a second thought.
    for (module, allowed) in &map {
        let used = used_by.get(module).cloned().unwrap_or_default();
        for unused in allowed.difference(&used) {
            problems.push(format!(
                "docs/architecture.md: `{module}` may use `{unused}`, but does not: drop it from the code map"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_code_map_has_no_cycle() {
    let map = code_map();
    // Depth-first search with colours: a grey node met again is a cycle.
    fn visit<'a>(
        m: &'a str,
        map: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, bool>,
        path: &mut Vec<&'a str>,
    ) {
        match state.get(m) {
            Some(true) => return,
            Some(false) => panic!("cycle in the code map: {} -> {m}", path.join(" -> ")),
            None => {}
        }
        state.insert(m, false);
        path.push(m);
        for next in map.get(m).into_iter().flatten() {
            assert!(
                map.contains_key(next),
                "`{m}` may use `{next}`, which the code map does not list"
            );
            visit(next, map, state, path);
        }
        path.pop();
        state.insert(m, true);
    }
    let mut state = BTreeMap::new();
    for m in map.keys() {
        visit(m, &map, &mut state, &mut Vec::new());
    }
}

#[test]
fn every_module_is_in_the_code_map() {
    let map = code_map();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    for line in lib.lines() {
        let line = line.trim();
        let Some(rest) = line
            .strip_prefix("pub mod ")
            .or_else(|| line.strip_prefix("mod "))
        else {
            continue;
        };
        let name = rest.trim_end_matches(';').trim();
        assert!(
            map.contains_key(name),
            "module `{name}` is declared in lib.rs but missing from the code map"
        );
    }
}

/// The library without the `cli` feature: it must build, and pull in no
/// terminal crate. `cargo test` runs with default features, so this test
/// builds the other configuration itself, in a target directory of its own
/// (a nested cargo would otherwise wait on the lock of the running one).
#[test]
fn the_library_builds_without_the_command_line() {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let target = concat!(env!("CARGO_MANIFEST_DIR"), "/target/no-default-features");

    let tree = std::process::Command::new(&cargo)
        .args([
            "tree",
            "--offline",
            "--locked",
            "--no-default-features",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .args(["--manifest-path", manifest, "-p", "rel-lang"])
        .output()
        .expect("cargo runs");
    assert!(
        tree.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&tree.stderr)
    );
    let tree = String::from_utf8_lossy(&tree.stdout);
    for terminal_crate in ["clap ", "rustyline "] {
        assert!(
            !tree.lines().any(|l| l.starts_with(terminal_crate)),
            "the library without `cli` depends on {terminal_crate}:\n{tree}"
        );
    }

    let check = std::process::Command::new(&cargo)
        .args([
            "check",
            "--offline",
            "--locked",
            "--lib",
            "--no-default-features",
            "--quiet",
        ])
        .args(["--manifest-path", manifest, "--target-dir", target])
        .output()
        .expect("cargo runs");
    assert!(
        check.status.success(),
        "the library does not build without `cli`:\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
