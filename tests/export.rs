//! `rel export`: golden output of every format on every example, each
//! read back by a real reader (serde_json, the csv crate, the parquet
//! crate, Graphviz), and the coded failures.

mod common;

use common::{output_of_success, rel_bin, run_piped};
use std::path::{Path, PathBuf};

/// A tool the test needs, or `None` with the reason printed. Under CI
/// (`CI` set) a missing tool fails the test: `.ci/run` installs it.
pub fn needed_tool(name: &str, why: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        let msg = format!("`{name}` is not installed ({why}); `.ci/run` installs it");
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        eprintln!("SKIPPED: {msg}");
    }
    found
}

fn rel_path(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn export(file: &str, args: &[&str]) -> String {
    run_piped(rel_bin().arg("export").arg(file).args(args), b"")
}

fn stdout_of(file: &str, args: &[&str]) -> Vec<u8> {
    output_of_success(rel_bin().arg("export").arg(file).args(args), file)
}

/// The text formats, as a user sees them: exit code, stdout, stderr.
#[test]
fn text_formats_of_every_example() {
    insta::glob!("../examples", "*.rel", |path| {
        let file = rel_path(path);
        for (name, args) in [
            ("json", vec!["--format", "json"]),
            ("jsonl", vec!["--format", "jsonl"]),
            ("plover", vec!["--format", "plover"]),
            ("cameo", vec!["--format", "cameo"]),
            ("claimreview", vec!["--format", "claimreview"]),
            ("mermaid", vec!["--format", "mermaid"]),
            ("dot", vec!["--format", "dot", "--on", "2020-01-01"]),
        ] {
            insta::assert_snapshot!(name, export(&file, &args));
        }
    });
}

/// Every CSV table of every example, one after another.
#[test]
fn csv_tables_of_every_example() {
    insta::glob!("../examples", "*.rel", |path| {
        let file = rel_path(path);
        let mut out = String::new();
        for table in rel::export::table::TABLES {
            out.push_str(&format!("## {table}\n"));
            out.push_str(&export(&file, &["--format", "csv", "--table", table]));
            out.push('\n');
        }
        insta::assert_snapshot!(out);
    });
}

/// The JSON export is `rel eval --json`'s model; JSON Lines has one
/// event a line.
#[test]
fn json_reads_back_as_the_model() {
    for file in examples() {
        let loaded = rel::load_file(&file);
        let json: serde_json::Value =
            serde_json::from_slice(&stdout_of(&file, &["--format", "json"])).unwrap();
        assert_eq!(json, rel::render::eval_json(&loaded.model), "{file}");
        let lines = stdout_of(&file, &["--format", "jsonl"]);
        let events: Vec<serde_json::Value> = String::from_utf8(lines)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(events.len(), loaded.model.events.len(), "{file}");
        assert_eq!(events.first(), json["events"].as_array().unwrap().first());
        let reviews: serde_json::Value =
            serde_json::from_slice(&stdout_of(&file, &["--format", "claimreview"])).unwrap();
        let claims = loaded
            .model
            .checks
            .iter()
            .filter(|c| c.kind == rel::model::CheckKind::Claim)
            .count();
        assert_eq!(reviews.as_array().unwrap().len(), claims, "{file}");
        for r in reviews.as_array().unwrap() {
            assert_eq!(r["@type"], "ClaimReview");
            let v = r["reviewRating"]["ratingValue"].as_u64().unwrap();
            assert!((1..=3).contains(&v));
        }
    }
}

fn examples() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".rel"))
        .collect();
    files.sort();
    files
}

/// The csv crate reads every table back: the header is the table's
/// columns, a row per fact, and typed cells parse as their type.
#[test]
fn csv_reads_back_with_the_csv_crate() {
    let dir = tempfile::tempdir().unwrap();
    for file in examples() {
        let loaded = rel::load_file(&file);
        let out = dir.path().join(Path::new(&file).file_stem().unwrap());
        output_of_success(
            rel_bin()
                .args(["export", &file, "--format", "csv", "-o"])
                .arg(&out),
            &file,
        );
        for table in rel::export::table::tables(&loaded.model) {
            let mut reader =
                csv::Reader::from_path(out.join(format!("{}.csv", table.name))).unwrap();
            let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
            let names: Vec<&str> = table.columns.iter().map(|(n, _)| *n).collect();
            assert_eq!(header, names, "{file} {}", table.name);
            let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
            assert_eq!(rows.len(), table.rows.len(), "{file} {}", table.name);
            for row in &rows {
                for ((name, kind), cell) in table.columns.iter().zip(row.iter()) {
                    use rel::export::table::Kind;
                    if cell.is_empty() {
                        continue;
                    }
                    let ok = match kind {
                        Kind::Int => cell.parse::<i64>().is_ok(),
                        Kind::Decimal => cell.parse::<f64>().is_ok(),
                        Kind::Bool => cell == "true" || cell == "false",
                        Kind::Date => chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").is_ok(),
                        Kind::Text => true,
                    };
                    assert!(ok, "{file} {}.{name}: {cell:?}", table.name);
                }
            }
        }
        let events = std::fs::read_to_string(out.join("events.csv")).unwrap();
        assert_eq!(events.lines().count(), loaded.model.events.len() + 1);
    }
}

/// Parquet read back by the parquet crate's reader: the schema and every
/// row, as text, for each table of an example.
#[test]
fn parquet_reads_back_with_the_parquet_reader() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let dir = tempfile::tempdir().unwrap();
    insta::glob!("../examples", "*.rel", |path| {
        let file = rel_path(path);
        let out = dir.path().join(path.file_stem().unwrap());
        let run = export(&file, &["--format", "parquet", "-o", out.to_str().unwrap()]);
        assert!(run.starts_with("exit: 0"), "{run}");
        let mut text = String::new();
        for table in rel::export::table::TABLES {
            let bytes = std::fs::read(out.join(format!("{table}.parquet"))).unwrap();
            let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
            let schema = reader.metadata().file_metadata().schema_descr();
            text.push_str(&format!("## {table}\n"));
            for c in schema.columns() {
                text.push_str(&format!(
                    "{}: {} {:?}\n",
                    c.name(),
                    c.physical_type(),
                    c.logical_type_ref()
                ));
            }
            for row in reader.get_row_iter(None).unwrap() {
                text.push_str(&format!("{}\n", row.unwrap()));
            }
        }
        insta::assert_snapshot!(text);
    });
}

/// Graphviz draws every example's DOT graph.
#[test]
fn dot_renders_with_graphviz() {
    let Some(dot) = needed_tool("dot", "Graphviz renders the DOT export") else {
        return;
    };
    for file in examples() {
        let graph = stdout_of(&file, &["--format", "dot", "--on", "2020-01-01"]);
        let mut child = std::process::Command::new(&dot)
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&graph).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let svg = String::from_utf8(out.stdout).unwrap();
        assert!(svg.contains("<svg"), "{file}");
        assert!(svg.contains("class=\"edge\""), "{file} draws no relation");
    }
}

/// Each way an export fails, with its code, and the warning for what the
/// event-data formats cannot map.
#[test]
fn export_failures() {
    let dir = tempfile::tempdir().unwrap();
    let seed = "examples/china_russia_2025.rel";
    let broken = "tests/diagnostics/E0201_unknown_actor.rel";
    let missing_dir = dir.path().join("no/such/dir/out.json");
    let small = dir.path().join("small.rel");
    std::fs::write(
        &small,
        "source s \"S\"\nstate Wakanda \"Wakanda\"\nstate Kenya \"Republic of Kenya\"\nperson T \"T'Challa\" of Wakanda\nvisit T -> Kenya 2020-01-02 [s]\nelected T king of Wakanda 2019 [s]\n",
    )
    .unwrap();
    let mut out = String::new();
    let cases: Vec<(String, Vec<String>)> = vec![
        (
            seed.into(),
            vec![
                "--format".into(),
                "csv".into(),
                "--table".into(),
                "event".into(),
            ],
        ),
        (seed.into(), vec!["--format".into(), "csv".into()]),
        (
            seed.into(),
            vec![
                "--format".into(),
                "parquet".into(),
                "--table".into(),
                "events".into(),
            ],
        ),
        (seed.into(), vec!["--format".into(), "dot".into()]),
        (
            seed.into(),
            vec![
                "--format".into(),
                "dot".into(),
                "--on".into(),
                "2019-13".into(),
            ],
        ),
        (
            seed.into(),
            vec![
                "--format".into(),
                "mermaid".into(),
                "--table".into(),
                "events".into(),
            ],
        ),
        (broken.into(), vec!["--format".into(), "json".into()]),
        (
            seed.into(),
            vec![
                "--format".into(),
                "json".into(),
                "-o".into(),
                missing_dir.display().to_string(),
            ],
        ),
        (
            small.display().to_string(),
            vec!["--format".into(), "plover".into()],
        ),
        (seed.into(), vec!["--format".into(), "xml".into()]),
    ];
    for (file, args) in cases {
        let shown_file = if file.starts_with(dir.path().to_str().unwrap()) {
            "small.rel".to_string()
        } else {
            file.clone()
        };
        let shown: Vec<String> = args
            .iter()
            .map(|a| a.replace(dir.path().to_str().unwrap(), "$TMP"))
            .collect();
        out.push_str(&format!("$ rel export {shown_file} {}\n", shown.join(" ")));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        out.push_str(&export(&file, &args).replace(dir.path().to_str().unwrap(), "$TMP"));
        out.push('\n');
    }
    assert!(!missing_dir.exists());
    insta::assert_snapshot!(out);
}

/// Written files are whole: a second export replaces the first and
/// leaves no temporary file beside it.
#[test]
fn exports_are_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("events.csv");
    for _ in 0..2 {
        let run = export(
            "examples/china_russia_2025.rel",
            &[
                "--format",
                "csv",
                "--table",
                "events",
                "-o",
                target.to_str().unwrap(),
            ],
        );
        assert!(run.starts_with("exit: 0"), "{run}");
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["events.csv"]);
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("id,start,end,date,type"));
}

/// A state may carry its ISO code (`iso FRA`): an export names it by that
/// code even when its id and name are not in the built-in table.
#[test]
fn a_state_names_its_own_iso_code() {
    let loaded = rel::load_str(
        "iso.rel",
        "state Gallia \"Fifth Republic\" iso FRA\nstate Teuton \"Federal Republic\" iso DEU\nperson P \"P\" of Gallia\nvisit P -> Teuton 2024-05-02\n",
    );
    assert_eq!(loaded.errors(), 0);
    let done = rel::export::run(
        &loaded,
        &rel::export::Options {
            format: rel::export::Format::Plover,
            table: None,
            on: None,
            output: None,
            name: "iso.rel".into(),
        },
    )
    .unwrap();
    let text = String::from_utf8(done.stdout).unwrap();
    assert!(
        text.contains("\"FRA\"") && text.contains("\"DEU\""),
        "{text}"
    );
    assert!(done.warnings.is_empty(), "every party is mapped");
}
