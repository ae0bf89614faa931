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

/// A deterministic file: 200 states, 2,000 people with roles, and `events`
/// visits and meetings spread over 25 years, each cited.
fn generate(events: usize) -> String {
    let (states, people) = (200, 2000);
    let mut s = String::with_capacity(events * 50);
    s.push_str("source src \"Generated benchmark data\"\n");
    for i in 0..states {
        let _ = writeln!(s, "state S{i} \"State {i}\"");
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
        if n % 2 == 0 {
            let _ = writeln!(
                s,
                "visit P{} -> S{} {y}-{m:02}-{d:02} kind state [src]",
                n % people,
                (n * 7 + 1) % states
            );
        } else {
            let _ = writeln!(
                s,
                "meeting P{}, P{} {y}-{m:02}-{d:02} mode virtual [src]",
                n % people,
                (n * 13 + 5) % people
            );
        }
    }
    s
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
    let _ = answer;
}
