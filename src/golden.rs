//! `rel test`: golden-file tests of users' own `.rel` files.
//!
//! For each `x.rel` found, the expected output lives beside it in
//! `x.rel.expected`: the evaluated model, then the diagnostics rendered
//! without colour. Files that another tested file includes are part of
//! that file's test and are not tested on their own.

use crate::diag::{self, RenderOptions};
use crate::load::{display_path, Program};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The golden file's suffix.
pub const EXPECTED_SUFFIX: &str = ".expected";

/// What `rel test` compares for one file: deterministic, with the file
/// shown by its own name so the output does not depend on where it runs.
pub fn golden_output(path: &Path) -> (String, Vec<PathBuf>) {
    let mut program = Program::new();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| display_path(path));
    program.add_file_as(path, &name);
    let included: Vec<PathBuf> = program
        .sources
        .files()
        .skip(1)
        .filter_map(|(_, f)| f.path.clone())
        .collect();
    let loaded = program.finish();
    let mut out = crate::render::eval_text(&loaded.model);
    out.push_str("\n-- diagnostics --\n");
    out.push_str(&diag::render_all(
        &loaded.sources,
        &loaded.diagnostics,
        RenderOptions::default(),
    ));
    out.push_str(&loaded.summary());
    out.push('\n');
    (out, included)
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        // Entries are typed without following links, so a link back up the
        // tree cannot send the walk round forever.
        let mut entries: Vec<(PathBuf, bool)> = std::fs::read_dir(path)?
            .filter_map(|e| e.ok())
            .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
            .collect();
        entries.sort();
        for (e, is_dir) in entries {
            if is_dir {
                collect(&e, out)?;
            } else if e.extension().is_some_and(|x| x == "rel") {
                out.push(e);
            }
        }
    } else if path.exists() {
        out.push(path.to_path_buf());
    } else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file or directory",
        ));
    }
    Ok(())
}

/// A line diff: `-` for expected lines missing, `+` for new ones, with
/// two lines of context around each change.
pub fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    if a.len().saturating_mul(b.len()) > 4_000_000 {
        let first = a
            .iter()
            .zip(&b)
            .position(|(x, y)| x != y)
            .unwrap_or(a.len().min(b.len()));
        return format!(
            "  (files too large to diff; first difference at line {})\n-{}\n+{}\n",
            first + 1,
            a.get(first).unwrap_or(&""),
            b.get(first).unwrap_or(&"")
        );
    }
    // Longest common subsequence table, from the end.
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| {
        let lo = k.saturating_sub(2);
        let hi = (k + 3).min(ops.len());
        ops[lo..hi].iter().any(|(c, _)| *c != ' ')
    };
    let mut out = String::new();
    let mut skipped = false;
    for (k, (c, line)) in ops.iter().enumerate() {
        if *c == ' ' && !near_change(k) {
            if !skipped {
                out.push_str("  ...\n");
                skipped = true;
            }
            continue;
        }
        skipped = false;
        out.push(*c);
        out.push(' ');
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Runs `rel test`; returns the exit code.
pub fn run(paths: &[PathBuf], bless: bool) -> i32 {
    let roots = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut files = Vec::new();
    for root in &roots {
        if let Err(e) = collect(root, &mut files) {
            eprintln!("error: cannot read `{}`: {e}", display_path(root));
            return crate::cli::EXIT_USAGE;
        }
    }
    let mut outputs = Vec::new();
    let mut included = HashSet::new();
    for f in &files {
        let (out, inc) = golden_output(f);
        included.extend(inc);
        outputs.push((f, out));
    }
    let (mut passed, mut failed, mut blessed) = (0, 0, 0);
    for (file, actual) in outputs {
        let canonical = file.canonicalize().unwrap_or_else(|_| file.clone());
        if included.contains(&canonical) {
            continue;
        }
        let shown = display_path(file);
        let golden = PathBuf::from(format!("{}{EXPECTED_SUFFIX}", file.display()));
        if bless {
            match crate::write::write_atomically(&golden, &actual) {
                Ok(()) => {
                    println!("blessed {}", display_path(&golden));
                    blessed += 1;
                }
                Err(e) => {
                    println!("FAIL {shown}: cannot write {}: {e}", display_path(&golden));
                    failed += 1;
                }
            }
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(expected) if expected == actual => {
                println!("ok   {shown}");
                passed += 1;
            }
            Ok(expected) => {
                println!(
                    "FAIL {shown}: output differs from {}",
                    display_path(&golden)
                );
                print!("{}", diff(&expected, &actual));
                failed += 1;
            }
            Err(_) => {
                println!(
                    "FAIL {shown}: no golden file {} (run `rel test --bless` to write it)",
                    display_path(&golden)
                );
                failed += 1;
            }
        }
    }
    if bless {
        println!("{blessed} blessed, {failed} failed");
    } else {
        println!("{passed} passed, {failed} failed");
    }
    if failed > 0 {
        crate::cli::EXIT_FAILED
    } else {
        crate::cli::EXIT_OK
    }
}

#[cfg(test)]
mod tests {
    use super::diff;

    #[test]
    fn diff_marks_changed_lines() {
        let d = diff("a\nb\nc\n", "a\nx\nc\n");
        assert!(d.contains("- b") && d.contains("+ x"), "{d}");
    }
}
