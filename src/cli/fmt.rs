//! `rel fmt`: formats files in place, checks them (`--check`), or formats
//! standard input to standard output (`-`).

use super::{render_options, report_failure, ColorChoice, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::diag::{self, Code, Diagnostic};
use crate::load::{display_path, io_reason, read_source};
use crate::source::{decode, SourceFile, SourceMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub fn run(files: &[PathBuf], check: bool, color: ColorChoice) -> i32 {
    let opts = render_options(color);
    let mut code = EXIT_OK;
    for file in files {
        let result = if file.as_os_str() == "-" {
            stdin_to_stdout(check, opts)
        } else {
            one_file(file, check, opts)
        };
        code = code.max(result);
    }
    code
}

/// The file's text as formatted, or the exit code after reporting why it
/// cannot be.
fn formatted(
    name: &str,
    path: Option<&Path>,
    bytes: &[u8],
    opts: diag::RenderOptions,
) -> Result<(String, String), i32> {
    let decoded = decode(bytes);
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::from_decoded(
        name.to_string(),
        path.map(Path::to_path_buf),
        decoded,
    ));
    let text = sources.get(id).text.clone();
    if bytes.starts_with(b"\xEF\xBB\xBF") || sources.get(id).file_offset(text.len()) != bytes.len()
    {
        // A byte-order mark or bytes that are not UTF-8: formatting would
        // drop them, so the file is left alone.
        let d = Diagnostic::new(
            Code::NotUtf8,
            format!("`{name}` is not plain UTF-8: it is not formatted"),
        )
        .help("save the file as UTF-8 without a byte-order mark, then format it");
        report_failure(&d, opts);
        return Err(EXIT_FAILED);
    }
    match crate::fmt::format(&text) {
        Ok(out) => Ok((text, out)),
        Err(errors) => {
            let diags: Vec<Diagnostic> =
                errors.into_iter().map(|e| e.into_diagnostic(id)).collect();
            let _ = std::io::stderr()
                .lock()
                .write_all(diag::render_all(&sources, &diags, opts).as_bytes());
            eprintln!(
                "{name}: not formatted: {} (fix {} first)",
                diag::plural(diags.len(), "syntax error"),
                if diags.len() == 1 { "it" } else { "them" }
            );
            Err(EXIT_FAILED)
        }
    }
}

fn one_file(file: &Path, check: bool, opts: diag::RenderOptions) -> i32 {
    let name = display_path(file);
    let bytes = match read_source(file) {
        Ok(b) => b,
        Err(e) => {
            report_failure(&e.diagnostic(&name), opts);
            return EXIT_USAGE;
        }
    };
    let (text, out) = match formatted(&name, Some(file), &bytes, opts) {
        Ok(pair) => pair,
        Err(code) => return code,
    };
    if out == text {
        return EXIT_OK;
    }
    if check {
        println!("{name}: not formatted; `rel fmt {name}` would change:");
        print!("{}", crate::golden::diff(&text, &out));
        return EXIT_FAILED;
    }
    match write_formatted(file, &name, &out) {
        Ok(()) => {
            eprintln!("formatted {name}");
            EXIT_OK
        }
        Err(d) => {
            report_failure(&d, opts);
            EXIT_FAILED
        }
    }
}

/// Writes a formatted file whole, or says why it cannot be (the file as it
/// was is then left untouched).
pub fn write_formatted(file: &Path, name: &str, text: &str) -> Result<(), Diagnostic> {
    crate::write::write_atomically(file, text).map_err(|e| {
        Diagnostic::new(
            Code::FormatUnwritable,
            format!("`{name}` cannot be written: {}", io_reason(&e)),
        )
        .help("check that its directory still exists and can be written to, and the free space; the file is unchanged")
    })
}

fn stdin_to_stdout(check: bool, opts: diag::RenderOptions) -> i32 {
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
        let d = Diagnostic::new(
            Code::InputFailed,
            format!("standard input cannot be read: {}", io_reason(&e)),
        );
        report_failure(&d, opts);
        return EXIT_FAILED;
    }
    let (text, out) = match formatted("<stdin>", None, &bytes, opts) {
        Ok(pair) => pair,
        Err(code) => return code,
    };
    if check {
        if out == text {
            return EXIT_OK;
        }
        println!("<stdin>: not formatted; `rel fmt -` would change:");
        print!("{}", crate::golden::diff(&text, &out));
        return EXIT_FAILED;
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    EXIT_OK
}
