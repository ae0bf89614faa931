//! The generated file of the scale benchmark, which the tests read too
//! (`tests/common`): the same statements at any size.
#![allow(dead_code)] // not every benchmark that includes this file generates

use std::fmt::Write as _;

/// A deterministic file: 200 states, a bloc, 2,000 people with roles, a
/// ladder, and `events` events spread over 25 years, each cited: visits
/// (some planned, some with company, a few labelled and dated by a second
/// source), meetings (some with an office as participant), calls with
/// topics, speeches, agreements; and around them every other statement
/// kind: relations, levels, memberships, trade figures, other figures,
/// targets, statements about a pair, a claim and a complete scope.
pub fn generate(events: usize) -> String {
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
    let first_day = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date");
    for n in 0..events {
        // Days step by a prime through the 9,132 days of 2000..2024, so a
        // person's events (every 2,000th) fall on a new day each time for
        // over four million events: no event repeats another word for
        // word, as none would in a real file.
        let day = (n * 7919) % 9132;
        let date = (first_day + chrono::Days::new(day as u64)).format("%Y-%m-%d");
        let (p, q) = (n % people, (n * 13 + 5) % people);
        if n % 2 == 0 {
            let to = (n * 7 + 1) % states;
            let extra = match n % 1000 {
                2 => " status planned".to_string(),
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
