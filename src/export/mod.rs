//! `rel export`: the model in the forms other tools read. JSON (the
//! model, as `rel eval --json`), JSON Lines (one event a line), CSV and
//! Parquet tables ([`table`]), PLOVER and CAMEO event data ([`events`]),
//! schema.org ClaimReview ([`claimreview`]), a Mermaid timeline and a
//! Graphviz graph ([`graph`]).
//!
//! The library builds the bytes and writes files (whole or not at all);
//! it prints nothing: [`run`] returns what belongs on standard output and
//! the warnings, and the command line prints them.

pub mod claimreview;
pub mod events;
pub mod graph;
pub mod iso;
pub mod parquet_out;
pub mod table;

use crate::date::{parse_partial, When};
use crate::diag::{Code, Diagnostic};
use crate::load::Loaded;
use crate::write::write_bytes_atomically;
use std::path::{Path, PathBuf};

/// The formats, by the word `--format` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Jsonl,
    Csv,
    Parquet,
    Plover,
    Cameo,
    Claimreview,
    Mermaid,
    Dot,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Json,
        Format::Jsonl,
        Format::Csv,
        Format::Parquet,
        Format::Plover,
        Format::Cameo,
        Format::Claimreview,
        Format::Mermaid,
        Format::Dot,
    ];
    pub const WORDS: [&'static str; 9] = [
        "json",
        "jsonl",
        "csv",
        "parquet",
        "plover",
        "cameo",
        "claimreview",
        "mermaid",
        "dot",
    ];

    pub fn word(self) -> &'static str {
        Format::WORDS[Format::ALL.iter().position(|f| *f == self).unwrap_or(0)]
    }

    pub fn from_word(word: &str) -> Option<Format> {
        Format::WORDS
            .iter()
            .position(|w| *w == word)
            .map(|i| Format::ALL[i])
    }

    /// Formats made of tables, one file each.
    fn is_tabular(self) -> bool {
        matches!(self, Format::Csv | Format::Parquet)
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Parquet => "parquet",
            _ => "csv",
        }
    }
}

/// What `rel export` was asked for.
#[derive(Clone, Debug)]
pub struct Options {
    pub format: Format,
    /// One table of a tabular format.
    pub table: Option<String>,
    /// The date of a `dot` graph.
    pub on: Option<String>,
    /// Where to write: a file, or for every table of a tabular format, a
    /// directory. `None` is standard output.
    pub output: Option<PathBuf>,
    /// The name the input is shown by, for titles and record ids.
    pub name: String,
}

/// What an export did.
#[derive(Debug, Default)]
pub struct Done {
    /// What to print on standard output (nothing when written to files).
    pub stdout: Vec<u8>,
    /// The files written, in order.
    pub written: Vec<PathBuf>,
    /// Warnings to show: what an event-data export could not map.
    pub warnings: Vec<Diagnostic>,
}

/// The export's output before it is written: one document, or one file
/// per table.
enum Output {
    One(Vec<u8>),
    Tables(Vec<(String, Vec<u8>)>),
}

/// Builds the export and writes it where `opts.output` says. A model with
/// errors is not exported: a partial dataset would pass for a whole one.
pub fn run(loaded: &Loaded, opts: &Options) -> Result<Done, Diagnostic> {
    if loaded.errors() > 0 {
        return Err(Diagnostic::new(
            Code::ExportOfErrors,
            format!(
                "{} has {}: nothing exported",
                opts.name,
                crate::diag::plural(loaded.errors(), "error")
            ),
        )
        .help("fix the errors `rel check` shows, then export again"));
    }
    let (output, warnings) = build(loaded, opts)?;
    let mut done = Done {
        warnings,
        ..Done::default()
    };
    match (output, &opts.output) {
        (Output::One(bytes), None) if opts.format != Format::Parquet => done.stdout = bytes,
        (Output::One(_), None) => {
            return Err(Diagnostic::new(
                Code::OutputNeedsPath,
                "Parquet is binary: it is written to a file, not to the terminal",
            )
            .help("name the file with `-o FILE.parquet`"))
        }
        (Output::One(bytes), Some(path)) => {
            write_file(path, &bytes)?;
            done.written.push(path.clone());
        }
        (Output::Tables(_), None) => {
            return Err(Diagnostic::new(
                Code::OutputNeedsPath,
                format!(
                    "`--format {}` without `--table` writes one file per table, into a directory",
                    opts.format.word()
                ),
            )
            .help(format!(
                "name the directory with `-o DIR`, or pick one table with `--table T` ({})",
                table::TABLES.join(", ")
            )))
        }
        (Output::Tables(files), Some(dir)) => {
            if !dir.is_dir() {
                std::fs::create_dir_all(dir).map_err(|e| unwritable(dir, &e))?;
            }
            for (name, bytes) in files {
                let path = dir.join(name);
                write_file(&path, &bytes)?;
                done.written.push(path);
            }
        }
    }
    Ok(done)
}

fn unwritable(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::OutputUnwritable,
        format!(
            "cannot write `{}`: {}",
            path.display(),
            crate::load::io_reason(e)
        ),
    )
    .help("check that the directory exists and can be written to; nothing was written there")
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_bytes_atomically(path, bytes).map_err(|e| unwritable(path, &e))
}

/// The export's bytes, and its warnings.
fn build(loaded: &Loaded, opts: &Options) -> Result<(Output, Vec<Diagnostic>), Diagnostic> {
    let model = &loaded.model;
    let mut warnings = Vec::new();
    if opts.format.is_tabular() {
        let tables = match &opts.table {
            Some(name) => vec![table::table(model, name).ok_or_else(|| unknown_table(name))?],
            None => table::tables(model),
        };
        let mut files = Vec::new();
        for t in tables {
            let bytes = match opts.format {
                Format::Parquet => parquet_out::write(&t).map_err(|e| {
                    Diagnostic::new(
                        Code::OutputUnwritable,
                        format!("table `{}` cannot be encoded as Parquet: {e}", t.name),
                    )
                })?,
                _ => csv_bytes(&t),
            };
            files.push((format!("{}.{}", t.name, opts.format.extension()), bytes));
        }
        return Ok(match (opts.table.is_some(), files.pop()) {
            (true, Some((_, bytes))) => (Output::One(bytes), warnings),
            (_, last) => {
                files.extend(last);
                (Output::Tables(files), warnings)
            }
        });
    }
    if opts.table.is_some() {
        return Err(Diagnostic::new(
            Code::UnknownTable,
            format!("`--format {}` has no tables", opts.format.word()),
        )
        .help("`--table` picks a table of `--format csv` or `--format parquet`"));
    }
    let text = match opts.format {
        Format::Json => {
            serde_json::to_string_pretty(&crate::render::eval_json(model)).unwrap_or_default()
                + "\n"
        }
        Format::Jsonl => {
            let json = crate::render::eval_json(model);
            let mut out = String::new();
            for e in json["events"].as_array().into_iter().flatten() {
                out.push_str(&e.to_string());
                out.push('\n');
            }
            out
        }
        Format::Plover => {
            let (lines, unmapped) = events::plover_lines(model, &dataset_id(&opts.name));
            warnings.extend(not_mapped("PLOVER", unmapped));
            lines
        }
        Format::Cameo => {
            let (rows, unmapped) = events::cameo_csv(model).map_err(|e| {
                Diagnostic::new(
                    Code::OutputUnwritable,
                    format!("CAMEO rows cannot be written: {e}"),
                )
            })?;
            warnings.extend(not_mapped("CAMEO", unmapped));
            rows
        }
        Format::Claimreview => {
            serde_json::to_string_pretty(&claimreview::claim_reviews(loaded, &opts.name))
                .unwrap_or_default()
                + "\n"
        }
        Format::Mermaid => graph::mermaid(model, &opts.name),
        Format::Dot => graph::dot(model, &on_date(opts.on.as_deref())?),
        Format::Csv | Format::Parquet => unreachable!("tabular formats return above"),
    };
    Ok((Output::One(text.into_bytes()), warnings))
}

/// A CSV table with a header row.
pub fn csv_bytes(t: &table::Table) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory fails only on a bug in the writer.
    let _ = w.write_record(t.columns.iter().map(|(name, _)| *name));
    for row in &t.rows {
        let _ = w.write_record(row.iter().map(table::Cell::text));
    }
    w.into_inner().unwrap_or_default()
}

fn unknown_table(name: &str) -> Diagnostic {
    let d = Diagnostic::new(Code::UnknownTable, format!("no table `{name}`"));
    match crate::diag::suggest(name, table::TABLES.iter().copied()) {
        Some(s) => d.help(format!(
            "did you mean `{s}`? the tables: {}",
            table::TABLES.join(", ")
        )),
        None => d.help(format!("the tables: {}", table::TABLES.join(", "))),
    }
}

/// The date a `dot` graph shows.
fn on_date(on: Option<&str>) -> Result<When, Diagnostic> {
    let Some(text) = on else {
        return Err(Diagnostic::new(
            Code::BadExportDate,
            "`--format dot` draws the relations on one date: give it with `--on`",
        )
        .help("e.g. `--on 2019-06-05` or `--on 2019`"));
    };
    parse_partial(text)
        .ok()
        .and_then(|p| When::point(p).ok())
        .ok_or_else(|| {
            Diagnostic::new(Code::BadExportDate, format!("`--on {text}` is not a date"))
                .help("write it as YYYY, YYYY-MM or YYYY-MM-DD, e.g. `--on 2019-06-05`")
        })
}

/// `china_russia_2025` for `examples/china_russia_2025.rel`: the prefix
/// of PLOVER record ids.
fn dataset_id(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "rel".to_string())
}

/// One warning listing every fact or actor the format could not take.
fn not_mapped(format: &str, unmapped: Vec<String>) -> Option<Diagnostic> {
    if unmapped.is_empty() {
        return None;
    }
    let mut d = Diagnostic::new(
        Code::NotMapped,
        format!(
            "{} the {format} export cannot map (listed below; the rest is exported)",
            crate::diag::plural(unmapped.len(), "item")
        ),
    )
    .help("docs/export.md has the mapping table");
    for u in unmapped {
        d = d.note(u);
    }
    Some(d)
}
