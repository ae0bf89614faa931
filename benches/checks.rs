//! Costs that used to grow faster than the work: model-wide checks and
//! diagnostics, each timed at growing sizes so the growth shows, with a
//! baseline measured in the same run.
//!
//!     cargo bench --bench checks
//!
//! - trade figures of one pair (W0601, W0602): 10,000 to 50,000 figures;
//! - one person's overlapping visits (E0501): the same visit 25,000 to
//!   100,000 times;
//! - 100,000 diagnostics rendered, human and JSON, against checking the
//!   same file when it is clean.

mod common;

use common::best_of;
use std::fmt::Write as _;
use std::time::Duration;

fn ms(d: Duration) -> String {
    format!("{:>9.1}ms", d.as_secs_f64() * 1e3)
}

fn trade(figures: usize) -> String {
    let mut s = String::from("state A \"A\"\nstate B \"B\"\n");
    for n in 0..figures {
        // 50 years of figures; every tenth states a change.
        let yoy = if n % 10 == 0 { " yoy +2.0%" } else { "" };
        let _ = writeln!(
            s,
            "trade A~B {} {}.{}bn USD{yoy}",
            1970 + n % 50,
            100 + n % 37,
            n % 10
        );
    }
    s
}

fn visits(count: usize) -> String {
    let mut s = String::from("state A \"A\"\nstate B \"B\"\nstate C \"C\"\nperson P \"P\" of A\n");
    for n in 0..count {
        let to = if n % 2 == 0 { "B" } else { "C" };
        let _ = writeln!(s, "visit P -> {to} 2020-03-01..10");
    }
    s
}

fn unknown_actors(count: usize, clean: bool) -> String {
    let mut s = String::from("state A \"A\"\nstate B \"B\"\nperson P \"P\" of A\n");
    for n in 0..count {
        let who = if clean {
            "P".to_string()
        } else {
            format!("Q{n}")
        };
        let _ = writeln!(
            s,
            "visit {who} -> B 2020-{:02}-{:02} kind state",
            1 + n % 12,
            1 + n % 28
        );
    }
    s
}

fn main() {
    let (baseline, _) = best_of(5, || trade(10_000).lines().count());
    println!(
        "baseline: generate 10,000 trade lines and count them: {}",
        ms(baseline)
    );
    println!(
        "\n{:<40} {:>11} {:>12}",
        "trade figures of one pair", "load+check", "per figure"
    );
    for n in [10_000, 20_000, 40_000, 50_000] {
        let text = trade(n);
        let (d, loaded) = best_of(3, || rel::load_str("trade.rel", &text));
        assert_eq!(
            loaded
                .model
                .relations
                .values()
                .next()
                .map(|r| r.trade.len()),
            Some(n)
        );
        println!(
            "{:<40} {} {:>10.2}us",
            n,
            ms(d),
            d.as_secs_f64() * 1e6 / n as f64
        );
    }
    println!(
        "\n{:<40} {:>11} {:>12}",
        "one person's overlapping visits", "load+check", "findings"
    );
    for n in [25_000, 50_000, 100_000] {
        let text = visits(n);
        let (d, loaded) = best_of(3, || rel::load_str("visits.rel", &text));
        let found = loaded
            .diagnostics
            .iter()
            .filter(|d| d.code.id() == "rel::E0501")
            .count();
        println!("{:<40} {} {:>12}", n, ms(d), found);
    }
    let n = 100_000;
    let (clean_text, bad_text) = (unknown_actors(n, true), unknown_actors(n, false));
    let (clean, _) = best_of(3, || rel::load_str("clean.rel", &clean_text));
    let bad = rel::load_str("bad.rel", &bad_text);
    assert_eq!(bad.errors(), n);
    let opts = rel::diag::RenderOptions::default();
    let (human, text) = best_of(3, || {
        rel::diag::render_all(&bad.sources, &bad.diagnostics, opts)
    });
    let (json, lines) = best_of(3, || {
        bad.diagnostics
            .iter()
            .map(|d| {
                serde_json::to_string(&rel::diag::to_json(&bad.sources, d)).map_or(0, |l| l.len())
            })
            .sum::<usize>()
    });
    println!(
        "\n100,000 unknown-actor errors in a {:.1} MB file ({} lines of human output, {:.1} MB of JSON)",
        bad_text.len() as f64 / 1e6,
        text.lines().count(),
        lines as f64 / 1e6
    );
    println!(
        "{:<40} {} {:>8}",
        "clean check of the same file (baseline)",
        ms(clean),
        "1.0x"
    );
    for (name, d) in [("render, human", human), ("render, JSON lines", json)] {
        println!(
            "{:<40} {} {:>7.2}x",
            name,
            ms(d),
            d.as_secs_f64() / clean.as_secs_f64()
        );
    }
}
