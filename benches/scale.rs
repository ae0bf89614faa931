//! Scale benchmark: a generated file of N events (default 1,000,000),
//! timed stage by stage, each stage reported as a ratio to a baseline
//! measured in the same run: reading the file and counting its lines, the
//! least any checker must do.
//!
//!     cargo bench --bench scale              # 1,000,000 events
//!     cargo bench --bench scale -- 200000    # another size
//!     cargo bench --bench scale -- 1000000 --write big.rel   # only the file
//!
//! Prints a table; see docs/performance.md for figures.

mod common;

use common::best_of;
use common::generate::generate;
use std::fmt::Write as _;
use std::time::Duration;

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
    // `-- --write FILE`: only write the generated file, to time a whole
    // command on it (`/usr/bin/time -v rel check FILE`).
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--write") {
        let out = args.get(at + 1).expect("--write takes a file name");
        std::fs::write(out, &text).expect("write the generated file");
        println!("wrote {events} events to {out}");
        return;
    }
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
    // As loading parses: on every core, plain events kept as spans.
    let (parse_all, parsed_all) = best_of(runs, || {
        rel::syntax::parse_parts(&text, true)
            .0
            .iter()
            .map(|p| p.statements.len() + p.plain_events.len())
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
    // The first allocations after the earlier runs' models were freed
    // pay for the allocator tidying its free lists (a millisecond or two):
    // one query, untimed, goes first.
    let _ = rel::query(&loaded, "visits by P7 | count");
    let (query, answer) = best_of(runs, || {
        rel::query(&loaded, "meetings of P7 with P96 in 2010..2020 | count")
    });
    let (scan_query, _) = best_of(runs, || rel::query(&loaded, "visits in 2024 | count"));
    // An actor's list is made the first time a query names it: each run
    // names another person, so each pays for that one scan of the events.
    let mut fresh = 1200..;
    let (first_query, _) = best_of(runs, || {
        let person = fresh.next().unwrap_or_default();
        rel::query(&loaded, &format!("meetings of P{person} | count"))
    });
    // The REPL: a session loads the file (and makes every event list),
    // then statements are typed one at a time. Each run adds another
    // (visits of two days by another person, in 2025, after the file's
    // dates: accepted, each checked against the visitor's other visits).
    let mut session = rel::session::Session::new(Default::default());
    let started = std::time::Instant::now();
    session.load(&path);
    let repl_load = started.elapsed();
    let mut typed = 0;
    let (add_visit, reply) = best_of(runs, || {
        typed += 1;
        // Even-numbered people visit in the generated file.
        let (who, to) = (1000 + 2 * typed, (1007 + typed) % 200);
        session.handle(&format!(
            "visit P{who} -> S{to} 2025-01-{typed:02}..{:02} kind state [src]",
            typed + 1
        ))
    });
    assert!(reply.output.ends_with("added\n"), "{}", reply.output);
    let (add_meeting, reply) = best_of(runs, || {
        typed += 1;
        session.handle(&format!(
            "meeting P{}, P{} 2025-02-{typed:02} [src]",
            1000 + typed,
            1500 + typed
        ))
    });
    assert!(reply.output.ends_with("added\n"), "{}", reply.output);
    // An event in the middle of the dates: the first one makes the list
    // of ids in date order (which, until then, is the ids' own order).
    let mut meeting_in_2012 = || {
        typed += 1;
        let started = std::time::Instant::now();
        let reply = session.handle(&format!(
            "meeting P{}, P{} 2012-06-{:02} [src]",
            1000 + typed,
            1500 + typed,
            typed % 28 + 1
        ));
        assert!(reply.output.ends_with("added\n"), "{}", reply.output);
        started.elapsed()
    };
    let first_in_middle = meeting_in_2012();
    let (add_in_middle, _) = best_of(runs, &mut meeting_in_2012);
    // A trade figure of a pair with figures of its own, for a year no
    // figure has: checked against the pair's others.
    let (add_trade, reply) = best_of(runs, || {
        typed += 1;
        session.handle(&format!(
            "trade S{}~S{} 2030 {typed}bn USD [src]",
            typed % 199,
            typed % 199 + 1
        ))
    });
    assert!(reply.output.ends_with("added\n"), "{}", reply.output);
    // A level of a pair with one of its own: checked against the pair's
    // history (its text sorts before that level's, which fixed the
    // pair's ladder, and it takes the same ladder).
    let (add_level, reply) = best_of(runs, || {
        typed += 1;
        let i = typed % 199;
        session.handle(&format!(
            "level S{i}~S{} high since 2021-01-{:02} [src]",
            i + 1,
            typed % 28 + 1
        ))
    });
    assert!(reply.output.ends_with("added\n"), "{}", reply.output);
    let (repl_query, reply) = best_of(runs, || session.handle("events involving P1002 | count"));
    let involving = rel::query(&loaded, "events involving P1002 | count").expect("a count");
    assert_eq!(
        reply.output.trim().parse::<usize>().ok(),
        involving.trim().parse::<usize>().ok().map(|n| n + 1),
        "the visit added is counted"
    );
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
        ("split + parse (fast reader, pest), one thread", parse),
        ("split + parse, all cores (as loading does)", parse_all),
        ("load: read + parse + includes", load),
        ("build: lower + validate + checks", build),
        ("rel check total (load_file)", check),
        ("query naming two people (lists made)", query),
        ("query naming a new person (one scan)", first_query),
        ("query scanning a year", scan_query),
        ("REPL: load (build + every event list)", repl_load),
        ("REPL: add a visit (checked in place)", add_visit),
        ("REPL: add a meeting (checked in place)", add_meeting),
        (
            "REPL: first add in 2012 (ids put in order)",
            first_in_middle,
        ),
        ("REPL: add a meeting in 2012", add_in_middle),
        ("REPL: add a trade figure (checked in place)", add_trade),
        ("REPL: add a level (checked in place)", add_level),
        ("REPL: query after adding", repl_query),
    ] {
        println!(
            "{name:<44} {:>8.2}ms {:>7.2}x",
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
