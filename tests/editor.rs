//! The editor's tools: `rel fmt` (and, below, `rel lsp`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn rel_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new("examples")
        .into_iter()
        .chain(walkdir::WalkDir::new("tests"))
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rel"))
        .collect();
    files.sort();
    files
}

/// The comments of a text, in order: formatting keeps every one.
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '#' if !in_string => {
                    out.push(line[i..].trim_end().to_string());
                    break;
                }
                _ => {}
            }
        }
    }
    out
}

/// Every `.rel` file in the repository: formatted once, it keeps its
/// comments and its model (`rel eval --json`), and formatting it again
/// changes nothing. A file with a syntax error is refused, never guessed at.
#[test]
fn fmt_is_lossless_and_idempotent_on_every_rel_file() {
    let files = rel_files();
    assert!(files.len() > 50, "{}", files.len());
    let mut formatted = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // not UTF-8: `rel fmt` leaves it alone (tested below)
        };
        let shown = path.display();
        match rel::fmt::format(&text) {
            Err(errors) => {
                assert!(!errors.is_empty());
                let loaded = rel::load_str("x.rel", &text);
                assert!(
                    loaded.diagnostics.iter().any(|d| d.code.id().starts_with("rel::E01")),
                    "{shown}: refused, but it has no syntax error"
                );
            }
            Ok(once) => {
                formatted += 1;
                let twice = rel::fmt::format(&once).expect("formatted text parses");
                assert_eq!(twice, once, "{shown}: formatting twice changed it");
                assert_eq!(comments(&once), comments(&text), "{shown}: comments");
                let before = rel::render::eval_json(&rel::load_str("x.rel", &text).model);
                let after = rel::render::eval_json(&rel::load_str("x.rel", &once).model);
                assert_eq!(before, after, "{shown}: the model changed");
            }
        }
    }
    assert!(formatted > 40, "{formatted}");
}

#[test]
fn fmt_layout() {
    let text = std::fs::read_to_string("tests/fmt/messy.rel").unwrap();
    insta::assert_snapshot!(rel::fmt::format(&text).unwrap());
}

fn rel_bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rel"))
}

fn shown(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `rel fmt` on the command line: `--check` shows what would change and
/// exits 1; a file with a syntax error is refused and left as it was; a
/// file formatted in place is written whole; `-` is standard input.
#[test]
fn fmt_command() {
    let dir = tempfile::tempdir().unwrap();
    let messy = dir.path().join("messy.rel");
    std::fs::copy("tests/fmt/messy.rel", &messy).unwrap();
    let broken = dir.path().join("broken.rel");
    std::fs::write(&broken, "state A \"A\"\nvisit A Russia 2025\n").unwrap();
    let mut out = String::new();
    let mut step = |title: &str, cmd: &mut Command| {
        let text = shown(cmd.arg("--color").arg("never"));
        out.push_str(&format!("## {title}\n{}\n", text.replace(&dir.path().display().to_string(), "<tmp>")));
    };
    step("check a messy file", rel_bin().arg("fmt").arg("--check").arg(&messy));
    step("refuse a file with a syntax error", rel_bin().arg("fmt").arg(&broken));
    step("format in place", rel_bin().arg("fmt").arg(&messy));
    step("check it again", rel_bin().arg("fmt").arg("--check").arg(&messy));
    step("the examples are formatted", rel_bin().args(["fmt", "--check"]).args(
        std::fs::read_dir("examples").unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "rel")).collect::<Vec<_>>().iter().map(|p| p.as_path()).collect::<Vec<&Path>>()
    ));
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "state A \"A\"\nvisit A Russia 2025\n"
    );
    let formatted = std::fs::read_to_string(&messy).unwrap();
    assert_eq!(rel::fmt::format(&formatted).unwrap(), formatted);
    let mut stdin_run = rel_bin()
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    stdin_run
        .stdin
        .take()
        .unwrap()
        .write_all(b"state   A  \"A\"\n")
        .unwrap();
    let piped = stdin_run.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&piped.stdout), "state A \"A\"\n");
    insta::assert_snapshot!(out);
}
