//! `rel report` in a real browser: every example's page is rendered by
//! headless Chromium, which takes a screenshot (kept in cargo's test
//! temporary directory, under `report-screenshots/`) and dumps the DOM it
//! built; the DOM must hold each chart and table the model calls for, and
//! nothing that would load from the network.

mod common;

use common::{output_of_success, rel_bin};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser"] {
        let found = std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(name))
                .find(|p| p.is_file())
        });
        if found.is_some() {
            return found;
        }
    }
    let msg = "`chromium` is not installed (it renders the report pages); `.ci/run` installs it (Debian package `chromium`)";
    assert!(std::env::var_os("CI").is_none(), "{msg}");
    eprintln!("SKIPPED: {msg}");
    None
}

/// Chromium as the machine allows it here: headless, as root without its
/// sandbox, with no call to any network service, in a profile of its own.
fn browser(bin: &Path, profile: &Path) -> Command {
    let mut c = Command::new(bin);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The part of the page in `<section id="…">`.
fn section<'a>(dom: &'a str, id: &str) -> &'a str {
    let start = dom
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let rest = &dom[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

#[test]
fn every_example_renders_in_chromium() {
    let Some(bin) = chromium() else { return };
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rel"))
        .collect();
    files.sort();
    // Two examples at a time: Chromium takes a second or two to start.
    for pair in files.chunks(2) {
        std::thread::scope(|s| {
            for file in pair {
                let (bin, shots, dir) = (&bin, &shots, dir.path());
                s.spawn(move || check_page(bin, file, shots, dir));
            }
        });
    }
}

fn check_page(bin: &Path, file: &Path, shots: &Path, dir: &Path) {
    let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
    let page = dir.join(format!("{stem}.html"));
    output_of_success(
        rel_bin().arg("report").arg(file).arg("-o").arg(&page),
        &stem,
    );
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: no script, stylesheet, image, frame or font to fetch.
    for banned in [
        "<script", "<link", "<img", "<iframe", "src=", "@import", "url(",
    ] {
        assert!(!html.contains(banned), "{stem}: the page has `{banned}`");
    }
    let url = format!("file://{}", page.display());
    let profile = dir.join(format!("profile-{stem}"));
    let shot = shots.join(format!("{stem}.png"));
    output_of_success(
        browser(bin, &profile)
            .arg("--window-size=1280,3000")
            .arg(format!("--screenshot={}", shot.display()))
            .arg(&url),
        &stem,
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG"),
        "{stem}: the screenshot is not a PNG"
    );
    assert!(
        png.len() > 50_000,
        "{stem}: a {} byte screenshot is a blank page",
        png.len()
    );
    let phone = shots.join(format!("{stem}-phone.png"));
    let status = browser(bin, &profile)
        .arg("--window-size=390,1600")
        .arg(format!("--screenshot={}", phone.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        status.status.success() && phone.is_file(),
        "{stem}: no phone screenshot"
    );
    let dump = browser(bin, &profile)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dump.stdout).into_owned();
    assert!(dom.contains("</html>"), "{stem}: Chromium dumped no page");

    let loaded = rel::load_file(file);
    let model = &loaded.model;
    // The timeline: one chart, a link over every mark of every event.
    let timeline = section(&dom, "timeline");
    assert_eq!(
        count(timeline, "class=\"chart\""),
        1,
        "{stem}: timeline chart"
    );
    assert!(
        count(timeline, "<circle") + count(timeline, "<line") > 0,
        "{stem}: no marks"
    );
    assert!(
        count(timeline, "class=\"hit\"") >= model.events.len(),
        "{stem}: a mark per event"
    );
    assert_eq!(
        count(timeline, "<tr id=\"e"),
        model.events.len(),
        "{stem}: events table"
    );
    // A staircase and a table per relation with levels.
    let laddered = model
        .relations
        .values()
        .filter(|r| r.ladder.is_some() && !r.levels.is_empty())
        .count();
    let levels = section(&dom, "levels");
    assert_eq!(
        count(levels, "class=\"chart\""),
        laddered,
        "{stem}: staircases"
    );
    let level_rows: usize = model
        .relations
        .values()
        .filter(|r| r.ladder.is_some())
        .map(|r| r.levels.len())
        .sum();
    assert_eq!(
        count(levels, "<tr id=\"level-"),
        level_rows,
        "{stem}: level rows"
    );
    // A chart per relation with trade.
    let traded = model
        .relations
        .values()
        .filter(|r| !r.trade.is_empty())
        .count();
    assert_eq!(
        count(section(&dom, "figures"), "class=\"chart\""),
        traded,
        "{stem}: trade charts"
    );
    // Every claim and assertion with its verdict; every source.
    let claims = section(&dom, "claims");
    assert_eq!(
        count(claims, "class=\"badge "),
        model.checks.len(),
        "{stem}: claims table"
    );
    assert_eq!(
        count(section(&dom, "sources"), "<tr id=\"src-"),
        model.sources.len(),
        "{stem}: sources"
    );
    // Every warning and error listed, each linked to its line.
    let shown = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity != rel::Severity::Advice)
        .count();
    let diags = section(&dom, "diagnostics");
    if shown > 0 {
        assert_eq!(count(diags, "<li>"), shown, "{stem}: diagnostics");
        assert!(
            diags.contains("href=\"#f0-L"),
            "{stem}: diagnostics link to lines"
        );
    }
    assert!(
        diags.contains("<span class=\"line\" id=\"f0-L1\">"),
        "{stem}: the source text"
    );
}

/// A report that cannot be written: E1101, and nothing left behind.
#[test]
fn unwritable_report_is_a_coded_failure() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("no/such/dir/r.html");
    let out = rel_bin()
        .args(["report", "examples/china_russia_2025.rel", "-o"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rel::E1101"), "{err}");
    assert!(!target.exists());
}
