//! `rel test`: prints what [`golden::run`] found, file by file, and turns
//! it into an exit code.

use super::{render_options, report_failure, ColorChoice, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::diag::{self, RenderOptions};
use crate::golden::{self, Outcome};
use crate::load::display_path;
use crate::source::SourceMap;
use std::io::Write;
use std::path::PathBuf;

pub fn run(paths: &[PathBuf], bless: bool) -> i32 {
    let report = match golden::run(paths, bless) {
        Ok(r) => r,
        Err(d) => {
            report_failure(&d, render_options(ColorChoice::Auto));
            return EXIT_USAGE;
        }
    };
    let mut out = std::io::stdout().lock();
    for result in &report.files {
        let shown = display_path(&result.file);
        let golden = display_path(&result.golden);
        let _ = match &result.outcome {
            Outcome::Passed => writeln!(out, "ok   {shown}"),
            Outcome::Blessed => writeln!(out, "blessed {golden}"),
            Outcome::Differs { diff } => {
                write!(
                    out,
                    "FAIL {shown}: output differs from {golden}\n{}",
                    crate::source::escape_for_terminal(diff)
                )
            }
            Outcome::NoGolden => writeln!(
                out,
                "FAIL {shown}: no golden file {golden} (run `rel test --bless` to write it)"
            ),
            // The report is one stream, like the diffs: the diagnostic
            // follows its file's line, without colour, then a blank line.
            Outcome::Failed(d) => write!(
                out,
                "FAIL {shown}\n{}",
                diag::render_all(
                    &SourceMap::new(),
                    std::slice::from_ref(d),
                    RenderOptions::default()
                )
            ),
        };
    }
    let failed = report.failed();
    let _ = if report.blessed {
        let blessed = report.count(|o| matches!(o, Outcome::Blessed));
        writeln!(out, "{blessed} blessed, {failed} failed")
    } else {
        let passed = report.count(|o| matches!(o, Outcome::Passed));
        writeln!(out, "{passed} passed, {failed} failed")
    };
    if failed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}
