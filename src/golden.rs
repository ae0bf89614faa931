//! `rel test`: golden-file tests of users' own `.rel` files.
//!
//! For each `x.rel` found, the expected output lives beside it in
//! `x.rel.expected`: the evaluated model, then the diagnostics rendered
//! without colour. Files that another tested file includes are part of
//! that file's test and are not tested on their own.
//!
//! [`run`] compares (or blesses) and returns a [`Report`]; printing it and
//! choosing the exit code is the command line's business.

use crate::diag::{self, Code, Diagnostic, RenderOptions};
use crate::load::{display_path, io_reason, Loaded, Program};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    out.push_str(&check_text(&loaded));
    (out, included)
}

/// A load's diagnostics and summary line as `rel check` prints them, with
/// no colour: what golden files and snapshots compare.
pub fn check_text(loaded: &Loaded) -> String {
    let mut out = diag::render_all(
        &loaded.sources,
        &loaded.diagnostics,
        RenderOptions::default(),
    );
    out.push_str(&loaded.summary());
    out.push('\n');
    out
}

/// Every file a test run covers, in a stable order: each path named is
/// taken as it is (a file whatever its extension, a directory walked for
/// `.rel` files, sorted by name). Links inside a directory are not
/// followed, so a link back up the tree cannot send the walk round forever.
pub fn collect(roots: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut files = Vec::new();
    for root in roots {
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let entry = entry.map_err(|e| unreadable_path(root, &e))?;
            let named = entry.depth() == 0;
            let is_rel = entry.path().extension().is_some_and(|x| x == "rel");
            if !entry.file_type().is_dir() && (named || is_rel) {
                files.push(entry.into_path());
            }
        }
    }
    Ok(files)
}

fn unreadable_path(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e.path().unwrap_or(root);
    let reason = match e.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
            "no such file or directory".to_string()
        }
        Some(io) => io_reason(io),
        None => e.to_string(),
    };
    Diagnostic::new(
        Code::TestPathUnreadable,
        format!("cannot read `{}`: {reason}", display_path(path)),
    )
    .help("name .rel files or directories that hold them; with no path, `rel test` searches the current directory")
}

/// Longer than this, a diff settles for a coarser answer rather than keep
/// the test run waiting: a diff of huge files is read only to its first
/// changes anyway.
const DIFF_TIMEOUT: Duration = Duration::from_secs(2);

/// Lines of context around each change.
const DIFF_CONTEXT: usize = 2;

/// A line diff: `-` for expected lines missing, `+` for new ones, with two
/// lines of context around each change and `...` for lines left out.
pub fn diff(expected: &str, actual: &str) -> String {
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .timeout(DIFF_TIMEOUT)
        .diff_lines(expected, actual);
    let total = diff.old_slices().len();
    let groups = diff.grouped_ops(DIFF_CONTEXT);
    let mut out = String::new();
    let mut shown_up_to = 0;
    for group in &groups {
        let Some(first) = group.first() else { continue };
        if first.old_range().start > shown_up_to {
            out.push_str("  ...\n");
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Equal => ' ',
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                };
                let line = change.value();
                let line = line.strip_suffix('\n').unwrap_or(line);
                let line = line.strip_suffix('\r').unwrap_or(line);
                out.push(sign);
                out.push(' ');
                out.push_str(line);
                out.push('\n');
            }
            shown_up_to = op.old_range().end;
        }
    }
    if !groups.is_empty() && shown_up_to < total {
        out.push_str("  ...\n");
    }
    out
}

/// What happened to one tested file.
#[derive(Debug)]
pub enum Outcome {
    /// The output matches the golden file.
    Passed,
    /// The output differs; the diff runs from the golden file to the output.
    Differs { diff: String },
    /// There is no golden file yet.
    NoGolden,
    /// `--bless` wrote the golden file.
    Blessed,
    /// The golden file could not be read or written.
    Failed(Diagnostic),
}

impl Outcome {
    pub fn failed(&self) -> bool {
        !matches!(self, Outcome::Passed | Outcome::Blessed)
    }
}

/// One tested file: where it is, its golden file, and the outcome.
#[derive(Debug)]
pub struct FileResult {
    pub file: PathBuf,
    pub golden: PathBuf,
    pub outcome: Outcome,
}

/// The result of a test run, file by file in a stable order.
#[derive(Debug)]
pub struct Report {
    pub files: Vec<FileResult>,
    pub blessed: bool,
}

impl Report {
    pub fn count(&self, pick: impl Fn(&Outcome) -> bool) -> usize {
        self.files.iter().filter(|f| pick(&f.outcome)).count()
    }
    pub fn failed(&self) -> usize {
        self.count(Outcome::failed)
    }
}

/// Runs the golden tests under `paths` (the current directory when there
/// are none), or with `bless`, writes each golden file from the current
/// output. Fails only when a path cannot be read; every other problem is a
/// file's outcome.
pub fn run(paths: &[PathBuf], bless: bool) -> Result<Report, Diagnostic> {
    let roots = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let files = collect(&roots)?;
    let mut outputs = Vec::new();
    let mut included = HashSet::new();
    for f in files {
        let (out, inc) = golden_output(&f);
        included.extend(inc);
        outputs.push((f, out));
    }
    let mut results = Vec::new();
    for (file, actual) in outputs {
        let canonical = file.canonicalize().unwrap_or_else(|_| file.clone());
        if included.contains(&canonical) {
            continue;
        }
        let golden = PathBuf::from(format!("{}{EXPECTED_SUFFIX}", file.display()));
        let outcome = if bless {
            bless_one(&golden, &actual)
        } else {
            compare(&golden, &actual)
        };
        results.push(FileResult {
            file,
            golden,
            outcome,
        });
    }
    Ok(Report {
        files: results,
        blessed: bless,
    })
}

fn bless_one(golden: &Path, actual: &str) -> Outcome {
    match crate::write::write_atomically(golden, actual) {
        Ok(()) => Outcome::Blessed,
        Err(e) => Outcome::Failed(
            Diagnostic::new(
                Code::GoldenUnwritable,
                format!("cannot write `{}`: {}", display_path(golden), io_reason(&e)),
            )
            .help("the golden file was left as it was; check that its directory can be written to"),
        ),
    }
}

fn compare(golden: &Path, actual: &str) -> Outcome {
    match std::fs::read_to_string(golden) {
        Ok(expected) if expected == actual => Outcome::Passed,
        Ok(expected) => Outcome::Differs {
            diff: diff(&expected, actual),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Outcome::NoGolden,
        Err(e) => Outcome::Failed(
            Diagnostic::new(
                Code::GoldenUnreadable,
                format!("cannot read `{}`: {}", display_path(golden), io_reason(&e)),
            )
            .help("a golden file is a UTF-8 text file; `rel test --bless` writes it anew"),
        ),
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

    #[test]
    fn diff_leaves_out_lines_far_from_a_change() {
        let expected = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let actual = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(
            diff(expected, actual),
            "  ...\n  3\n  4\n- 5\n+ five\n  6\n  7\n  ...\n"
        );
    }
}
