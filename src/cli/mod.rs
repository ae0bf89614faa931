//! The command line (cargo feature `cli`): argument parsing, printing and
//! exit codes. Each subcommand is a few lines over the library; `repl` is
//! the line editor in front of [`Session`](crate::session::Session), `test`
//! prints what [`golden::run`](crate::golden::run) found.

pub mod fmt;
mod repl;
mod test;

use crate::diag::{self, Diagnostic, RenderOptions};
use crate::load::{display_path, load_file, Loaded, Program};
use crate::session::{ask, AnswerFormat};
use crate::source::SourceMap;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Exit codes.
pub const EXIT_OK: i32 = 0;
pub const EXIT_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "rel",
    version,
    about = "Write down diplomatic relations as plain text, check them, and query them",
    long_about = "Rel reads .rel files (actors, visits, meetings, partnership levels, trade \
figures and statements, each with its source), builds a world model, and reports every \
problem it finds with a precise diagnostic.\n\n\
Exit codes: 0 when clean (or warnings only), 1 when there are errors (or warnings under \
--deny warnings, or failed tests), 2 for usage errors and unreadable files.",
    after_help = "Examples:\n  rel check examples/china_russia_2025.rel\n  rel eval examples/china_russia_2025.rel\n  rel query examples/china_russia_2025.rel 'visits by Xi to Russia'\n  rel repl examples/china_russia_2025.rel\n  rel test --bless facts/    (write golden files for the .rel files under facts/)\n  rel test facts/            (then, after each edit, compare with them)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// miette's graphical report
    Human,
    /// one JSON object a line: code, severity, message, file, line, column, span, help
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// treat warnings as errors
    Warnings,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check files and report every problem. Each file is checked on its own,
    /// with what it includes.
    Check {
        /// .rel files to check
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// how to print diagnostics
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// fail on warnings too
        #[arg(long, value_enum)]
        deny: Option<Deny>,
        /// colour in diagnostics (auto: when printing to a terminal and NO_COLOR is unset)
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Print the evaluated model: actors and roles, relations with level history
    /// and trade, the timeline of events, statements, sources and checks.
    Eval {
        /// the .rel file to evaluate
        file: PathBuf,
        /// print the model as JSON instead of text
        #[arg(long)]
        json: bool,
        /// colour in diagnostics
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Answer one query, e.g. 'visits by Xi to Russia' or
    /// 'level China~Russia on 2018-01-01'. See docs/queries.md.
    Query {
        /// the .rel file to load
        file: PathBuf,
        /// the query (quote it)
        query: String,
        /// print the answer as JSON
        #[arg(long)]
        json: bool,
        /// colour in diagnostics
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Interactive session: ask queries, add statements, save them.
    Repl {
        /// files to load first
        files: Vec<PathBuf>,
        /// where to keep input history (default: $XDG_DATA_HOME/rel/history,
        /// else ~/.local/share/rel/history)
        #[arg(long)]
        history_file: Option<PathBuf>,
    },
    /// Format files in the canonical layout, in place (`-` reads standard
    /// input and writes standard output). A file with a syntax error is
    /// left as it is.
    Fmt {
        /// .rel files to format, or `-`
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// change nothing: show what would change, and exit 1 if anything would
        #[arg(long)]
        check: bool,
        /// colour in diagnostics
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Export the model for other tools: json, jsonl, csv, parquet, plover,
    /// cameo, claimreview, mermaid, dot. See docs/export.md.
    Export {
        /// the .rel file to export
        file: PathBuf,
        /// the output format
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(crate::export::Format::WORDS))]
        format: String,
        /// one table of csv or parquet: events, event_actors, actors, levels,
        /// figures, statements, claims, sources (default: all, into the
        /// directory -o names)
        #[arg(long)]
        table: Option<String>,
        /// the date a dot graph shows the relations on (YYYY, YYYY-MM or YYYY-MM-DD)
        #[arg(long)]
        on: Option<String>,
        /// where to write: a file, or a directory for all tables (default: standard output)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// colour in diagnostics
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Write one self-contained HTML page about a file: timeline, levels,
    /// figures, claims, diagnostics and sources. See docs/report.md.
    Report {
        /// the .rel file to report on
        file: PathBuf,
        /// the HTML file to write
        #[arg(short, long)]
        output: PathBuf,
        /// colour in diagnostics
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// A language server over standard input and output, for editors:
    /// diagnostics, hover, definitions, references, rename, completion,
    /// quick fixes, outline, folding, highlighting, formatting.
    Lsp,
    /// Golden-file tests: compare each x.rel's evaluated model and diagnostics
    /// with x.rel.expected beside it.
    Test {
        /// files or directories to search for .rel files (default: .)
        paths: Vec<PathBuf>,
        /// write the golden files from the current output instead of comparing
        #[arg(long)]
        bless: bool,
    },
}

/// Options for diagnostics printed to stderr.
fn render_options(color: ColorChoice) -> RenderOptions {
    let tty = std::io::stderr().is_terminal();
    let no_color = no_color();
    RenderOptions {
        color: match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        },
        width: 100,
    }
}

/// Prints a load's diagnostics to stderr.
fn report(loaded: &Loaded, opts: RenderOptions) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(diag::render_all(&loaded.sources, &loaded.diagnostics, opts).as_bytes());
}

/// Prints diagnostics to stderr as `rel check --format json` prints them:
/// one JSON object a line.
fn report_json(sources: &SourceMap, diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{}", json_line(sources, d));
    }
}

fn json_line(sources: &SourceMap, d: &Diagnostic) -> String {
    serde_json::to_string(&diag::to_json(sources, d)).unwrap_or_default()
}

/// Prints a diagnostic that has no place in a file (a path, the terminal).
/// True when the user asked for no colour (`NO_COLOR` set and not empty).
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn report_failure(d: &Diagnostic, opts: RenderOptions) {
    let _ = std::io::stderr()
        .lock()
        .write_all(diag::render(&SourceMap::new(), d, opts).as_bytes());
}

fn summary(name: &str, loaded: &Loaded) -> String {
    format!("{name}: {}", loaded.summary())
}

/// Runs the command line and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    run(cli)
}

pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check {
            files,
            format,
            deny,
            color,
        } => check(&files, format, deny, color),
        Command::Eval { file, json, color } => eval(&file, json, color),
        Command::Query {
            file,
            query,
            json,
            color,
        } => answer(&file, &query, json, color),
        Command::Repl {
            files,
            history_file,
        } => repl::run_terminal(&files, history_file),
        Command::Test { paths, bless } => test::run(&paths, bless),
        Command::Fmt {
            files,
            check,
            color,
        } => fmt::run(&files, check, color),
        Command::Lsp => crate::lsp::run_stdio(),
        Command::Export {
            file,
            format,
            table,
            on,
            output,
            color,
        } => export(&file, &format, table, on, output, color),
        Command::Report {
            file,
            output,
            color,
        } => report_page(&file, &output, color),
    }
}

/// `rel report`: the page shows the file's diagnostics too, so it is
/// written even when there are errors; the exit code says so (1), as for
/// `rel eval`.
fn report_page(file: &Path, output: &Path, color: ColorChoice) -> i32 {
    let opts = render_options(color);
    let loaded = load_file(file);
    // Errors and warnings; claims' advice is on the page.
    let problems: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity != diag::Severity::Advice)
        .cloned()
        .collect();
    let _ = std::io::stderr()
        .lock()
        .write_all(diag::render_all(&loaded.sources, &problems, opts).as_bytes());
    if loaded.unreadable {
        return EXIT_USAGE;
    }
    if let Err(d) = crate::report::write(&loaded, &display_path(file), output) {
        let _ = std::io::stderr()
            .lock()
            .write_all(diag::render_all(&SourceMap::new(), &[d], opts).as_bytes());
        return EXIT_FAILED;
    }
    eprintln!("{}", summary(&display_path(file), &loaded));
    eprintln!("wrote {}", output.display());
    if loaded.errors() > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// `rel export`: the library builds and writes; here, printing and the
/// exit code. Exit 1 for a file with errors or an export that failed.
fn export(
    file: &Path,
    format: &str,
    table: Option<String>,
    on: Option<String>,
    output: Option<PathBuf>,
    color: ColorChoice,
) -> i32 {
    let opts = render_options(color);
    let loaded = load_file(file);
    if loaded.unreadable {
        report(&loaded, opts);
        return EXIT_USAGE;
    }
    // Only what is wrong: advice on claims belongs to `rel check`.
    let problems: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let _ = std::io::stderr()
        .lock()
        .write_all(diag::render_all(&loaded.sources, &problems, opts).as_bytes());
    let Some(format) = crate::export::Format::from_word(format) else {
        return EXIT_USAGE; // clap accepts only the words of Format::WORDS
    };
    let options = crate::export::Options {
        format,
        table,
        on,
        output,
        name: display_path(file),
    };
    match crate::export::run(&loaded, &options) {
        Ok(done) => {
            let _ = std::io::stderr()
                .lock()
                .write_all(diag::render_all(&SourceMap::new(), &done.warnings, opts).as_bytes());
            let _ = std::io::stdout().lock().write_all(&done.stdout);
            for path in &done.written {
                eprintln!("wrote {}", path.display());
            }
            EXIT_OK
        }
        Err(d) => {
            let _ = std::io::stderr()
                .lock()
                .write_all(diag::render_all(&SourceMap::new(), &[d], opts).as_bytes());
            EXIT_FAILED
        }
    }
}

fn check(files: &[PathBuf], format: Format, deny: Option<Deny>, color: ColorChoice) -> i32 {
    let opts = render_options(color);
    let mut code = EXIT_OK;
    for (n, file) in files.iter().enumerate() {
        let mut program = Program::new();
        program.add_file(file);
        let (loaded, statements) = program.finish_with_statements();
        match format {
            Format::Human => {
                report(&loaded, opts);
                eprintln!("{}", summary(&display_path(file), &loaded));
            }
            Format::Json => {
                let mut out = std::io::stdout().lock();
                for d in &loaded.diagnostics {
                    let _ = writeln!(out, "{}", json_line(&loaded.sources, d));
                }
            }
        }
        let failed = loaded.errors() > 0 || (deny.is_some() && loaded.warnings() > 0);
        if loaded.unreadable {
            code = EXIT_USAGE;
        } else if failed && code == EXIT_OK {
            code = EXIT_FAILED;
        }
        // After the last file the process ends: freeing millions of
        // small allocations one by one would take longer than the
        // check, so leave it to the operating system.
        if n + 1 == files.len() {
            std::mem::forget(statements);
            std::mem::forget(loaded);
        }
    }
    code
}

fn eval(file: &Path, json: bool, color: ColorChoice) -> i32 {
    let loaded = load_file(file);
    // With `--json`, stderr holds JSON lines only, as `rel check --format
    // json` prints them, so a tool can read both streams.
    if json {
        report_json(&loaded.sources, &loaded.diagnostics);
    } else {
        report(&loaded, render_options(color));
    }
    if loaded.unreadable {
        return EXIT_USAGE;
    }
    let text = if json {
        serde_json::to_string_pretty(&crate::render::eval_json(&loaded.model)).unwrap_or_default()
            + "\n"
    } else {
        // Names and quoted text come from the file: no control character
        // of theirs reaches the terminal.
        crate::source::escape_for_terminal(&crate::render::eval_text(&loaded.model)).into_owned()
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if !json {
        eprintln!("{}", summary(&display_path(file), &loaded));
    }
    if loaded.errors() > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

fn answer(file: &Path, query: &str, json: bool, color: ColorChoice) -> i32 {
    let loaded = load_file(file);
    let opts = render_options(color);
    if loaded.unreadable {
        if json {
            report_json(&loaded.sources, &loaded.diagnostics);
        } else {
            report(&loaded, opts);
        }
        return EXIT_USAGE;
    }
    if loaded.errors() > 0 {
        if json {
            // The errors themselves, where text output has a note:
            // a tool reading stderr gets JSON lines only.
            let errors: Vec<Diagnostic> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            report_json(&loaded.sources, &errors);
        } else {
            eprintln!(
                "note: {} has errors (`rel check` shows them); answers may leave out the facts they affect",
                display_path(file)
            );
        }
    }
    let format = if json {
        AnswerFormat::Json
    } else {
        AnswerFormat::Text
    };
    match ask(&loaded.model, query, format) {
        Ok(text) => {
            let text = match format {
                AnswerFormat::Text => crate::source::escape_for_terminal(&text).into_owned(),
                AnswerFormat::Json => text,
            };
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            EXIT_OK
        }
        Err(e) if json => {
            report_json(&e.sources, std::slice::from_ref(&e.diagnostic));
            EXIT_FAILED
        }
        Err(e) => {
            let _ = std::io::stderr()
                .lock()
                .write_all(e.render(opts).as_bytes());
            EXIT_FAILED
        }
    }
}
