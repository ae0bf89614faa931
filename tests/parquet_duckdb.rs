//! The same questions answered by `rel query` and by SQL over the Parquet
//! export, in DuckDB (its Python package): on an example and on a
//! generated corpus of 100,000 events. This is `docs/scale.md`'s claim,
//! tested: the export carries what the queries need, typed, so an engine
//! built for volume gives the same answers.

mod common;

use common::{output_of_success, rel_bin};
use std::path::Path;
use std::process::{Command, Stdio};

/// DuckDB answers each SQL query over the Parquet files in `dir`: one
/// number a query. `None` (with the reason printed) when Python or its
/// duckdb package is missing; under CI that fails the test, since
/// `.ci/run` installs it.
fn duckdb_counts(dir: &Path, sql: &[String]) -> Option<Vec<i64>> {
    let script = r#"
import json, sys
try:
    import duckdb
except ImportError:
    print("NO_DUCKDB")
    sys.exit(0)
d = sys.argv[1]
con = duckdb.connect()
for t in ["events", "event_actors", "actors", "levels", "figures", "statements", "claims", "sources"]:
    con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{d}/{t}.parquet')")
print(json.dumps([con.execute(q).fetchone()[0] for q in json.load(sys.stdin)]))
"#;
    let child = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let missing = |what: &str| {
        let msg = format!("{what}: the Parquet export is not checked against DuckDB; `.ci/run` installs it (`pip install duckdb`)");
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        eprintln!("SKIPPED: {msg}");
        None
    };
    let Ok(mut child) = child else {
        return missing("python3 is not installed");
    };
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(sql).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    if stdout.trim() == "NO_DUCKDB" {
        return missing("python3 cannot import duckdb");
    }
    assert!(
        out.status.success(),
        "DuckDB failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_str(stdout.trim()).unwrap())
}

fn export_parquet(file: &Path, dir: &Path) {
    output_of_success(
        rel_bin()
            .args(["export", "--format", "parquet", "-o"])
            .arg(dir)
            .arg(file),
        &file.display().to_string(),
    );
}

/// Each `rel` query's answer (a count) against DuckDB's for its SQL.
fn compare(file: &Path, pairs: &[(String, String)]) {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    export_parquet(file, dir.path());
    eprintln!("{}: exported in {:.1?}", file.display(), started.elapsed());
    let sql: Vec<String> = pairs.iter().map(|(_, s)| s.clone()).collect();
    let Some(counts) = duckdb_counts(dir.path(), &sql) else {
        return;
    };
    let loaded = rel::load_file(file);
    for ((query, sql), sql_count) in pairs.iter().zip(counts) {
        let answer = rel::query(&loaded, query).unwrap();
        eprintln!("{query} = {sql_count}");
        assert_eq!(
            answer.trim(),
            sql_count.to_string(),
            "`{query}` against `{sql}`"
        );
    }
}

/// Rel's event queries count only events that took place: the rows whose
/// `status` (planned, postponed, cancelled) is empty.
const HAPPENED: &str = "status IS NULL";

/// Visits by one person to one state (`participant` and `to` rows).
fn visits_by_to(by: &str, to: &str) -> String {
    format!("SELECT count(*) FROM events e WHERE {HAPPENED} AND type = 'visit' AND \"to\" = '{to}' AND EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND a.actor = '{by}' AND a.part = 'participant')")
}

/// Meetings and calls both actors took part in.
fn meetings_of_with(a: &str, b: &str) -> String {
    format!("SELECT count(*) FROM events e WHERE {HAPPENED} AND type IN ('meeting', 'call') AND EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.id AND x.actor = '{a}') AND EXISTS (SELECT 1 FROM event_actors y WHERE y.event_id = e.id AND y.actor = '{b}')")
}

/// `in Y`: wholly within the year.
fn within_year(year: i32) -> String {
    format!("{HAPPENED} AND start >= DATE '{year}-01-01' AND \"end\" <= DATE '{year}-12-31'")
}

#[test]
fn the_example_answers_the_same_in_duckdb() {
    compare(
        Path::new("examples/china_russia_2025.rel"),
        &[
            ("visits by Xi to Russia | count".into(), visits_by_to("Xi", "Russia")),
            ("meetings of Xi with Putin | count".into(), meetings_of_with("Xi", "Putin")),
            ("events in 2024 | count".into(), format!("SELECT count(*) FROM events WHERE {}", within_year(2024))),
            ("agreements of China with Russia | count".into(), "SELECT count(*) FROM events e WHERE status IS NULL AND type = 'agreement' AND EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND a.actor = 'China') AND EXISTS (SELECT 1 FROM event_actors b WHERE b.event_id = e.id AND b.actor = 'Russia')".into()),
            ("trade China~Russia in 2024 | count".into(), "SELECT count(*) FROM figures WHERE metric = 'trade' AND \"of\" = 'China~Russia' AND year(start) = 2024".into()),
        ],
    );
}

#[test]
fn a_corpus_of_100000_events_answers_the_same_in_duckdb() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("corpus.rel");
    std::fs::write(&file, common::generated_corpus(100_000)).unwrap();
    let mut pairs: Vec<(String, String)> = vec![
        ("visits to S7 | count".into(), format!("SELECT count(*) FROM events WHERE {HAPPENED} AND type = 'visit' AND \"to\" = 'S7'")),
        // The generator's planned visits all go to S15.
        ("visits to S15 | count".into(), format!("SELECT count(*) FROM events WHERE {HAPPENED} AND type = 'visit' AND \"to\" = 'S15'")),
        ("visits by P42 | count".into(), format!("SELECT count(*) FROM events e WHERE {HAPPENED} AND type = 'visit' AND EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND a.actor = 'P42' AND a.part = 'participant')")),
        ("meetings of P11 | count".into(), format!("SELECT count(*) FROM events e WHERE {HAPPENED} AND type IN ('meeting', 'call') AND EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id AND a.actor = 'P11')")),
        ("events in 2010 | count".into(), format!("SELECT count(*) FROM events WHERE {}", within_year(2010))),
    ];
    // The generator's visits to S7 fall in every year; P42 always goes to S95.
    for year in [2008, 2009] {
        pairs.push((
            format!("visits to S7 in {year} | count"),
            format!(
                "SELECT count(*) FROM events WHERE type = 'visit' AND \"to\" = 'S7' AND {}",
                within_year(year)
            ),
        ));
    }
    pairs.push((
        "visits by P42 to S95 | count".into(),
        visits_by_to("P42", "S95"),
    ));
    compare(&file, &pairs);
}
