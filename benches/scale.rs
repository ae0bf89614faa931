//! Scale benchmark: a generated file of N events (default 1,000,000),
//! timed stage by stage, each stage reported as a ratio to a baseline
//! measured in the same run: reading the file and counting its lines, the
//! least any checker must do.
//!
//!     cargo bench --bench scale              # 1,000,000 events
//!     cargo bench --bench scale -- 200000    # another size
//!
//! Prints a table; see docs/performance.md for figures.

use std::fmt::Write as _;
mod common;

use common::best_of;
use std::time::Duration;

/// A deterministic file: 200 states, a bloc, 2,000 people with roles, a
/// ladder, and `events` events spread over 25 years, each cited: visits
/// (some planned, some with company, a few labelled and dated by a second
/// source), meetings (some with an office as participant), calls with
/// topics, speeches, agreements; and around them every other statement
/// kind: relations, levels, memberships, trade figures, other figures,
/// targets, statements about a pair, a claim and a complete scope.
fn generate(events: usize) -> String {
    let (states, people) = (200, 2000);
    let mut s = String::with_capacity(events * 60);
    s.push_str("source src \"Generated benchmark data\"\n");
    s.push_str("bloc B0 \"Bloc zero\"\n");
    s.push_str("ladder tiers {\n  low  \"low\"\n  high \"high\"\n}\n");
    for i in 0..states {
        let _ = writeln!(s, "state S{i} \"State {i}\"");
        let j = (i + 1) % states;
        let _ = writeln!(s, "relations S{i}~S{j} established 1990 [src]");
        let _ = writeln!(s, "level S{i}~S{j} low since 2000-01-01 [src]");
        let _ = writeln!(s, "member S{i} of B0 since 1995 [src]");
    }
    for i in 0..people {
        let _ = writeln!(s, "person P{i} \"Person {i}\" of S{}", i % states);
        if i < states {
            let _ = writeln!(s, "role P{i} president of S{i} since 2000-01-01");
        } else {
            let _ = writeln!(s, "role P{i} minister of S{} 2001..2030", i % states);
        }
    }
    for n in 0..events {
        let (y, m, d) = (2000 + n % 25, 1 + (n / 25) % 12, 1 + (n / 300) % 28);
        let (p, q) = (n % people, (n * 13 + 5) % people);
        let date = format!("{y}-{m:02}-{d:02}");
        if n % 2 == 0 {
            let to = (n * 7 + 1) % states;
            let extra = match n % 1000 {
                0 => " status planned".to_string(),
                10 => format!(" with P{q}"),
                20 => format!(" as v{n}"),
                _ => String::new(),
            };
            let _ = writeln!(s, "visit P{p} -> S{to} {date} kind state{extra} [src]");
            if n % 1000 == 20 {
                let _ = writeln!(s, "dated v{n} {date} [src]");
            }
        } else {
            let _ = match n % 10 {
                1 => writeln!(
                    s,
                    "call P{p}, P{q} {date} topics \"trade\", \"security\" [src]"
                ),
                3 => writeln!(
                    s,
                    "event speech \"Speech {n}\" by P{p} {date} at \"Capital\" [src]"
                ),
                5 => writeln!(
                    s,
                    "agreement \"Agreement {n}\" between S{}, S{} {date} [src]",
                    n % states,
                    (n + 3) % states
                ),
                7 => writeln!(
                    s,
                    "meeting P{p}, foreign_minister@S{} {date} [src]",
                    (n + 9) % states
                ),
                _ => writeln!(s, "meeting P{p}, P{q} {date} mode virtual [src]"),
            };
        }
        // Every hundredth event brings facts of other kinds along: the
        // figures of a pair and year are the same wherever they repeat, so
        // they agree.
        if n % 100 == 1 {
            let (a, b) = ((n / 100) % states, ((n / 100) % states + 1) % states);
            let year = 2000 + (n / 100 / states) % 25;
            let amount = 10 + (a + year) % 50;
            let _ = writeln!(s, "trade S{a}~S{b} {year} {amount}bn USD [src]");
            let _ = writeln!(s, "figure investment S{a}->S{b} {year} {amount}m USD [src]");
            let _ = writeln!(
                s,
                "statement P{p} {date} about S{a}~S{b} \"relations are good\" [src]"
            );
        }
    }
    s.push_str("target trade S0~S1 2030 1tn USD [src]\n");
    s.push_str("complete visits by P0 in 2000..2024 [src]\n");
    s.push_str("claim count(visits by P0 in 2000..2024) >= 1 [src]\n");
    s
}

/// SQLite's CSV import of the same events, with nothing checked: the
/// baseline a checker of events is measured against. `None` without the
/// `sqlite3` command.
fn sqlite_import(text: &str, dir: &std::path::Path) -> Option<Duration> {
    let csv = dir.join("events.csv");
    let mut rows = String::from("kind,who,other,date\n");
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let date = words.iter().find(|w| w.starts_with("20") && w.len() == 10);
        if let (Some(kind), Some(date)) = (words.first(), date) {
            if matches!(*kind, "visit" | "meeting" | "call" | "event" | "agreement") {
                let _ = writeln!(
                    rows,
                    "{kind},{},{},{date}",
                    words.get(1).unwrap_or(&""),
                    words.get(3).unwrap_or(&"")
                );
            }
        }
    }
    std::fs::write(&csv, rows).ok()?;
    let run = || {
        std::process::Command::new("sqlite3")
            .arg(":memory:")
            .arg(".mode csv")
            .arg(format!(".import {} events", csv.display()))
            .arg("select count(*) from events;")
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    run()?;
    let (d, _) = best_of(3, run);
    Some(d)
}

fn main() {
    let events: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let text = generate(events);
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("scale.rel");
    std::fs::write(&path, &text).expect("write the generated file");
    let runs = if events > 200_000 { 3 } else { 5 };

    let (baseline, lines) = best_of(runs, || {
        let t = std::fs::read_to_string(&path).expect("read");
        t.lines().count()
    });
    let (split, chunks) = best_of(runs, || rel::syntax::split::split(&text).count());
    let (parse, parsed) = best_of(runs, || {
        rel::syntax::statements(&text).filter(|s| s.is_ok()).count()
    });
    let (parse_all, parsed_all) = best_of(runs, || {
        rel::syntax::parse_all(&text)
            .0
            .iter()
            .map(Vec::len)
            .sum::<usize>()
    });
    assert_eq!(parsed, parsed_all);
    let (load, program) = best_of(runs, || {
        let mut p = rel::Program::new();
        p.add_file(&path);
        p
    });
    let (build, (model, diags)) = best_of(runs, || program.build());
    let (check, loaded) = best_of(runs, || rel::load_file(&path));
    let (query, answer) = best_of(runs, || {
        rel::query(&loaded, "meetings of P7 with P96 in 2010..2020 | count")
    });
    let (scan_query, _) = best_of(runs, || rel::query(&loaded, "visits in 2024 | count"));
    let sqlite = sqlite_import(&text, dir.path());

    assert_eq!(chunks, parsed, "every generated statement parses");
    assert_eq!(model.events.len(), events);
    assert!(
        diags.iter().all(|d| !d.is_error()),
        "the generated file checks clean"
    );
    let ratio = |d: Duration| d.as_secs_f64() / baseline.as_secs_f64();
    println!(
        "{events} events, {} lines, {:.1} MB; best of {runs} runs",
        lines,
        text.len() as f64 / 1e6
    );
    println!("{:<44} {:>10} {:>8}", "stage", "time", "ratio");
    for (name, d) in [
        ("baseline: read file, count lines", baseline),
        ("split into statements", split),
        ("split + parse (pest), one thread", parse),
        ("split + parse, all cores", parse_all),
        ("load: read + parse + includes", load),
        ("build: lower + validate + checks", build),
        ("rel check total (load_file)", check),
        ("query by pair index", query),
        ("query scanning a year", scan_query),
    ] {
        println!(
            "{name:<44} {:>8.1}ms {:>7.1}x",
            d.as_secs_f64() * 1e3,
            ratio(d)
        );
    }
    match sqlite {
        Some(d) => println!(
            "{:<44} {:>8.1}ms {:>7.1}x   (rel check / import: {:.2})",
            "baseline 2: SQLite CSV import of the events",
            d.as_secs_f64() * 1e3,
            ratio(d),
            check.as_secs_f64() / d.as_secs_f64()
        ),
        None => println!("baseline 2: SQLite CSV import skipped: no `sqlite3` command"),
    }
    let _ = answer;
}
