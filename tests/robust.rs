//! Hostile input: files that are not files, positions that must be exact,
//! text that must not drive the terminal, findings that must not multiply,
//! and the REPL's writes and input. Each test fails on the behaviour it
//! replaced (a hang, a wrong column, a raw escape sequence, a quadratic
//! report, a lost statement).

mod common;

use rel::diag::{self, RenderOptions};
use std::path::Path;

#[cfg(feature = "cli")]
use common::{rel_bin, run_piped};

/// Makes a FIFO (a named pipe) with the system's `mkfifo`.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

/// A FIFO, a device and a file above the size limit, named on the command
/// line, included, and given to `:load`: each is refused with a code at
/// once, where a FIFO used to wait for a writer forever and `/dev/zero`
/// was read until memory ran out.
#[cfg(all(unix, feature = "cli"))]
#[test]
fn files_that_are_not_files() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("fifo.rel"));
    std::fs::write(
        dir.path().join("main.rel"),
        "state A \"Atlantis\"\ninclude \"fifo.rel\"\n",
    )
    .unwrap();
    // Sparse: it takes no room on disk, and its size alone refuses it.
    let big = std::fs::File::create(dir.path().join("big.rel")).unwrap();
    big.set_len(rel::load::MAX_FILE_BYTES + 1).unwrap();
    drop(big);
    let mut out = String::new();
    let mut step = |title: &str, args: &[&str], stdin: &[u8]| {
        out.push_str(&format!(
            "## {title}\n$ rel {}\n{}\n",
            args.join(" "),
            run_piped(rel_bin().current_dir(dir.path()).args(args), stdin)
        ));
    };
    step(
        "a FIFO named on the command line",
        &["check", "fifo.rel"],
        b"",
    );
    step("a FIFO included", &["check", "main.rel"], b"");
    step("a FIFO given to :load", &["repl"], b":load fifo.rel\n");
    step("a device", &["check", "/dev/zero"], b"");
    step(
        "a device as JSON",
        &["check", "--format", "json", "/dev/zero"],
        b"",
    );
    step("a file above the limit", &["check", "big.rel"], b"");
    step("a directory", &["check", "."], b"");
    insta::assert_snapshot!(out);
}

/// `include ""` names no file (it used to be read as the directory), and
/// the 64th nested include is read (the 65th is refused, and the message
/// says so).
#[test]
fn include_edge_cases() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.rel");
    std::fs::write(&empty, "include \"\"\n").unwrap();
    let loaded = rel::load_file(&empty);
    let shown = rel::golden::check_text(&loaded);
    assert!(
        shown.contains("rel::E0801") && shown.contains("`include` names no file"),
        "{shown}"
    );
    assert!(!shown.contains("is a directory"), "{shown}");

    // f0 includes f1 … includes f{n}: n nested includes.
    let chain = |n: usize| {
        let d = tempfile::tempdir().unwrap();
        for i in 0..=n {
            let text = if i < n {
                format!("include \"f{}.rel\"\n", i + 1)
            } else {
                "state A \"Atlantis\"\n".to_string()
            };
            std::fs::write(d.path().join(format!("f{i}.rel")), text).unwrap();
        }
        let loaded = rel::load_file(d.path().join("f0.rel"));
        (d, loaded)
    };
    let (_d, sixty_four) = chain(64);
    assert!(
        sixty_four.diagnostics.is_empty(),
        "{}",
        rel::golden::check_text(&sixty_four)
    );
    assert_eq!(sixty_four.model.actors.len(), 1);
    let (_d, sixty_five) = chain(65);
    let shown = rel::golden::check_text(&sixty_five);
    assert!(
        shown.contains("rel::E0103") && shown.contains("includes nest more than 64 deep"),
        "{shown}"
    );
}

/// Diagnostics of `text` as `rel check --format json` gives them.
fn json_of(name: &str, bytes: &[u8]) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let loaded = rel::load_file(&path);
    loaded
        .diagnostics
        .iter()
        .map(|d| serde_json::to_value(diag::to_json(&loaded.sources, d)).unwrap())
        .collect()
}

/// The header's column counts characters, as the JSON does (it counted
/// bytes: `2:22` where the JSON said `2:17`).
#[test]
fn header_columns_are_characters() {
    let text = "state A \"Ä Ä Ä\"\nstate B \"ééééé\" x\n";
    let loaded = rel::load_str("mb.rel", text);
    let shown = rel::golden::check_text(&loaded);
    assert!(shown.contains("[mb.rel:2:17]"), "{shown}");
    let json = diag::to_json(&loaded.sources, &loaded.diagnostics[0]);
    assert_eq!((json.line, json.column), (Some(2), Some(17)));
    // Astral characters and combining accents are one column each.
    let text = "state A \"\u{1F600}e\u{301}\" x\n";
    let shown = rel::golden::check_text(&rel::load_str("astral.rel", text));
    assert!(shown.contains("[astral.rel:1:15]"), "{shown}");
}

/// JSON spans are byte offsets in the file as written: after a byte-order
/// mark (they were 3 short) and after invalid UTF-8 (they pointed into the
/// repaired text, where each bad byte had become 3).
#[test]
fn json_spans_are_offsets_in_the_file() {
    let body = b"state A \"A\"\nstate B \"B\" x\n";
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(body);
    let plain = json_of("plain.rel", body);
    let bom = json_of("bom.rel", &with_bom);
    assert_eq!(plain[0]["span"]["start"], 24);
    assert_eq!(bom[0]["span"]["start"], 27);
    assert_eq!(
        (bom[0]["line"].clone(), bom[0]["column"].clone()),
        (plain[0]["line"].clone(), plain[0]["column"].clone())
    );

    let bytes = b"state A \"A\"\nstate B \"\xFF\xFE\" x\n";
    let found = json_of("bad.rel", bytes);
    let at = |code: &str| {
        found
            .iter()
            .find(|d| d["code"] == code)
            .map(|d| d["span"]["start"].as_u64().unwrap() as usize)
            .unwrap()
    };
    assert_eq!(bytes[at("rel::E0102")], 0xFF);
    assert_eq!(bytes[at("rel::E0101")], b'x');
}

/// A file with lone CR line ends is read line by line, as with LF and
/// CRLF: it used to be one statement, one E0101, every other statement
/// dropped, and a gutter showing line 0. Its diagnostics read the same
/// whatever the line ends (CRLF's CR used to show as `\r`).
#[test]
fn lone_cr_ends_lines() {
    let mut reports = Vec::new();
    for (name, end) in [("lf.rel", "\n"), ("crlf.rel", "\r\n"), ("cr.rel", "\r")] {
        let text = ["state A \"A\"", "state B \"B\"", "state C \"C\" x", ""].join(end);
        let loaded = rel::load_str(name, &text);
        assert_eq!(loaded.model.actors.len(), 2, "{name}");
        assert_eq!(loaded.errors(), 1, "{name}");
        let shown = rel::golden::check_text(&loaded);
        assert!(
            shown.contains(&format!("[{name}:3:13]")) && shown.contains(" 3 │ state C"),
            "{shown}"
        );
        assert!(!shown.contains(" 0 │"), "{shown}");
        reports.push(shown.replace(name, "file.rel"));
    }
    assert_eq!(reports[1], reports[0], "CRLF");
    assert_eq!(reports[2], reports[0], "CR");
}

/// An escape sequence that retitles the window and clears the screen, a
/// right-to-left override and a lone CR inside a string, from a file.
const HOSTILE: &str = "state A \"A\u{1b}]0;pwned\u{7}\u{1b}[2J\"\nstate B \"B\u{202E}olleh\" x\u{1b}[31m\nperson P \"P\u{85}\"\n";

/// Control characters from a file never reach the terminal raw, in
/// `check`, `eval`, `query` and the REPL, even with colour off; JSON
/// escapes them as JSON does.
#[cfg(feature = "cli")]
#[test]
fn control_characters_are_escaped_in_human_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hostile.rel"), HOSTILE).unwrap();
    let mut out = String::new();
    for args in [
        vec!["check", "hostile.rel"],
        vec!["check", "--color", "always", "hostile.rel"],
        vec!["eval", "hostile.rel"],
        vec!["query", "hostile.rel", "actors"],
        vec!["repl", "hostile.rel"],
    ] {
        let shown = run_piped(rel_bin().current_dir(dir.path()).args(&args), b"actors\n");
        // With colour, miette's own escape sequences are expected; the
        // file's red is escaped all the same.
        let colour = args[1] == "--color";
        for bad in [
            "\u{1b}]",
            "\u{1b}[2J",
            "\u{7}",
            "\u{202E}",
            "\u{85}",
            "x\u{1b}[31m",
        ] {
            assert!(
                !shown.contains(bad),
                "rel {}: {bad:?} printed raw:\n{shown}",
                args.join(" ")
            );
        }
        if !colour {
            out.push_str(&format!("$ rel {}\n{shown}\n", args.join(" ")));
        }
    }
    let json = run_piped(
        rel_bin()
            .current_dir(dir.path())
            .args(["check", "--format", "json", "hostile.rel"]),
        b"",
    );
    let stdout = json
        .split("--- stdout\n")
        .nth(1)
        .unwrap()
        .split("--- stderr")
        .next()
        .unwrap();
    for line in stdout.lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
    out.push_str(&format!("$ rel check --format json hostile.rel\n{json}"));
    insta::assert_snapshot!(out);
}

/// A person with thousands of visits that all overlap: one finding a
/// visit, not one a pair (2,000 visits gave 1,000,000), found in time
/// that grows as n log n; human output caps the code, JSON keeps every one.
#[test]
fn overlapping_visits_are_reported_once_each() {
    let n = 20_000;
    let mut text = String::from("state A \"A\"\nstate B \"B\"\nperson X \"X\"\n");
    let start = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    for i in 0..n {
        // Each visit lasts ten days and starts a day after the one before:
        // it shares nine days with each of the nine before it.
        let from = start + chrono::Days::new(i as u64);
        let to = from + chrono::Days::new(9);
        text.push_str(&format!(
            "visit X -> {} {}..{}\n",
            if i % 2 == 0 { "A" } else { "B" },
            from.format("%Y-%m-%d"),
            to.format("%Y-%m-%d")
        ));
    }
    let begun = std::time::Instant::now();
    let loaded = rel::load_str("many.rel", &text);
    let took = begun.elapsed();
    let found = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == rel::Code::TwoPlacesAtOnce)
        .count();
    assert_eq!(found, n - 1);
    assert!(took.as_secs() < 60, "took {took:?}");
    // Each against the visit just before it: the nearest.
    assert!(loaded.diagnostics[0].message.contains("(9 days shared)"));
    let shown = diag::render_all(
        &loaded.sources,
        &loaded.diagnostics,
        RenderOptions::default(),
    );
    assert_eq!(
        shown.matches("\nrel::E0501\n").count() + 1,
        diag::MAX_SHOWN_PER_CODE
    );
    assert!(
        shown.ends_with(&format!(
            "rel::E0501: and {} more like this (`rel check --format json` lists every one)\n\n",
            n - 1 - diag::MAX_SHOWN_PER_CODE
        )),
        "{}",
        &shown[shown.len().saturating_sub(300)..]
    );
}

#[test]
fn source_positions_are_one_conversion() {
    // The conversion the LSP will use, on the file as loaded.
    let loaded = rel::load_str("p.rel", "state 中国 \"\u{1F1E8}\u{1F1F3} China\" x\n");
    let file = loaded.sources.get(rel::source::FileId(0));
    let x = file.text.find(" x").unwrap() + 1;
    let p = file.position(x);
    assert_eq!((p.line, p.column, p.utf16_column), (1, 21, 22));
}

/// `:save` replaces only what the session wrote; `:save!` replaces
/// anything; a link is written through and the target keeps its mode.
#[test]
fn save_does_not_replace_what_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let precious = dir.path().join("precious.txt");
    std::fs::write(&precious, "keep me\n").unwrap();
    let loaded = dir.path().join("loaded.rel");
    std::fs::write(&loaded, "state A \"Atlantis\"\n").unwrap();
    let mut s = rel::session::Session::new(RenderOptions::default());
    s.handle(&format!(":load {}", loaded.display()));
    assert!(s.handle("state B \"Borduria\"").output.ends_with("added\n"));

    for target in [&precious, &loaded] {
        let reply = s.handle(&format!(":save {}", target.display()));
        assert!(reply.output.contains("rel::E1008"), "{}", reply.output);
        assert!(reply.failed && reply.to_stderr);
    }
    assert!(s
        .handle(&format!(":save {}", loaded.display()))
        .output
        .contains("this session loaded"));
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me\n");
    assert_eq!(
        std::fs::read_to_string(&loaded).unwrap(),
        "state A \"Atlantis\"\n"
    );

    // A new file, then the same file again: both written.
    let new = dir.path().join("new.rel");
    assert!(s
        .handle(&format!(":save {}", new.display()))
        .output
        .starts_with("saved 1 statement"));
    s.handle("state C \"Carpathia\"");
    assert!(s
        .handle(&format!(":save {}", new.display()))
        .output
        .starts_with("saved 2 statements"));
    // `:save!` replaces what the session did not write.
    let reply = s.handle(&format!(":save! {}", precious.display()));
    assert!(
        reply.output.starts_with("saved 2 statements"),
        "{}",
        reply.output
    );
    assert!(std::fs::read_to_string(&precious)
        .unwrap()
        .contains("Carpathia"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let real = dir.path().join("real.rel");
        std::fs::write(&real, "").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o644)).unwrap();
        let link = dir.path().join("link.rel");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let reply = s.handle(&format!(":save! {}", link.display()));
        assert!(reply.output.starts_with("saved"), "{}", reply.output);
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(std::fs::read_to_string(&real)
            .unwrap()
            .contains("Carpathia"));
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }
}

/// A piped session: a failed save is on stderr with the user's path and
/// a code, and the session exits 1; leaving with statements not saved
/// warns on stderr, by `:quit` or at the end of input; lone CRs end lines.
#[cfg(feature = "cli")]
#[test]
fn piped_sessions_report_failures_and_unsaved_statements() {
    let dir = tempfile::tempdir().unwrap();
    let mut out = String::new();
    for (title, input) in [
        (
            "a save that fails",
            &b"state A \"Atlantis\"\n:save no/such/dir/x.rel\n"[..],
        ),
        (
            "`:quit` with a statement not saved",
            b"state A \"Atlantis\"\n:quit\n",
        ),
        (
            "the end of input with a statement not saved",
            b"state A \"Atlantis\"\n",
        ),
        (
            "saved, then `:quit`",
            b"state A \"Atlantis\"\n:save s.rel\n:quit\n",
        ),
        (
            "lone CRs end lines",
            b"state A \"Atlantis\"\rstate B \"B\"\ractors | count\r:clear\r",
        ),
    ] {
        out.push_str(&format!(
            "## {title}\n{}\n",
            run_piped(rel_bin().current_dir(dir.path()).arg("repl"), input)
        ));
    }
    assert!(!out.contains(".rel-tmp"), "no temporary path is shown");
    insta::assert_snapshot!(out);
}

/// A saved session checks on its own: it starts with an include of each
/// loaded file it can reach (the README's example saved statements that
/// named actors only the loaded file declared).
#[test]
fn a_saved_session_includes_what_it_loaded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("facts")).unwrap();
    let facts = dir.path().join("facts/base.rel");
    std::fs::write(
        &facts,
        "state A \"Atlantis\"\nstate B \"Borduria\"\nperson X \"X\" of A\n",
    )
    .unwrap();
    let mut s = rel::session::Session::new(RenderOptions::default());
    s.handle(&format!(":load {}", facts.display()));
    assert!(s
        .handle("visit X -> B 2020-01-02")
        .output
        .ends_with("added\n"));
    let saved = dir.path().join("session.rel");
    let reply = s.handle(&format!(":save {}", saved.display()));
    assert!(
        reply
            .output
            .contains("after an include of `facts/base.rel`"),
        "{}",
        reply.output
    );
    assert_eq!(
        std::fs::read_to_string(&saved).unwrap(),
        "include \"facts/base.rel\"\nvisit X -> B 2020-01-02\n"
    );
    let loaded = rel::load_file(&saved);
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{}",
        rel::golden::check_text(&loaded)
    );
    assert_eq!(loaded.model.events.len(), 1);

    // A file outside the saved file's directory cannot be included: said.
    let elsewhere = dir.path().join("facts/session.rel");
    std::fs::remove_file(&facts).unwrap();
    std::fs::write(dir.path().join("top.rel"), "state A \"Atlantis\"\n").unwrap();
    let mut s = rel::session::Session::new(RenderOptions::default());
    s.handle(&format!(":load {}", dir.path().join("top.rel").display()));
    s.handle("state C \"Carpathia\"");
    let reply = s.handle(&format!(":save {}", elsewhere.display()));
    assert!(
        reply.output.contains("cannot be included"),
        "{}",
        reply.output
    );
}

/// `rel test` on a path that does not exist says so with a code.
#[cfg(feature = "cli")]
#[test]
fn rel_test_of_a_missing_file_has_a_code() {
    let out = run_piped(rel_bin().args(["test", "nope.rel"]), b"");
    assert!(out.starts_with("exit: 2\n"), "{out}");
    assert!(
        out.contains("rel::E1005") && out.contains("`nope.rel`"),
        "{out}"
    );
}

/// What a new user meets in the first hour: the README names the Rust
/// version Cargo.toml requires and installs with `--locked`; its REPL
/// transcript says what the REPL says; `rel --help`'s `rel test` examples
/// work as given (`rel test tests/` printed "0 passed, 42 failed").
#[cfg(feature = "cli")]
#[test]
fn the_first_hour() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let manifest = std::fs::read_to_string("Cargo.toml").unwrap();
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("Cargo.toml sets rust-version");
    assert!(readme.contains(&format!("Rust {version} or later")));
    assert!(readme.contains("cargo install --path . --locked"));
    assert!(readme.contains("takes a few minutes"));

    // The README's `loaded` line is the REPL's.
    let mut s = rel::session::Session::new(RenderOptions::default());
    let loaded = s.handle(":load examples/china_russia_2025.rel").output;
    let line = loaded.lines().find(|l| l.starts_with("loaded ")).unwrap();
    assert!(readme.contains(line), "README lacks: {line}");

    // `rel --help`'s `rel test` lines, run as given in a project with a
    // `facts/` directory.
    let help = run_piped(rel_bin().arg("--help"), b"");
    let examples: Vec<Vec<String>> = help
        .lines()
        .filter_map(|l| l.trim().strip_prefix("rel test"))
        .map(|rest| {
            let args = rest.split("    (").next().unwrap();
            std::iter::once("test".to_string())
                .chain(args.split_whitespace().map(String::from))
                .collect()
        })
        .collect();
    assert!(!examples.is_empty(), "{help}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("facts")).unwrap();
    std::fs::write(dir.path().join("facts/a.rel"), "state A \"Atlantis\"\n").unwrap();
    for args in &examples {
        let out = run_piped(rel_bin().current_dir(dir.path()).args(args), b"");
        assert!(
            out.starts_with("exit: 0\n"),
            "rel {}: {out}",
            args.join(" ")
        );
        assert!(out.contains(", 0 failed"), "rel {}: {out}", args.join(" "));
    }
}

/// A statement too long to parse, and one with too many items, are each
/// refused with a code before pest sees them, as a query line is; the
/// statements around them load, and the ids the refused one declares are
/// not reported again. One 50 MB `aka` list took 6.8 GB inside pest.
#[test]
fn statements_too_large_to_parse() {
    use rel::syntax::split::{MAX_ITEMS, MAX_STATEMENT_BYTES};
    let many_names = " aka B".repeat(MAX_ITEMS / 2 + 1);
    let many_sources = vec!["wire"; MAX_STATEMENT_BYTES / 5].join(",");
    let text = format!(
        "source wire \"Wire\"\nstate A \"Atlantis\"{many_names}\nstate C \"Carthage\"\n\
         summit \"BRICS\" 2024-10-22 [{many_sources}]\nrelations A~C established 2024 [wire]\n"
    );
    let loaded = rel::load_str("large.rel", &text);
    let mut out = rel::golden::check_text(&loaded);
    // Carthage loads; Atlantis, refused, is not reported again as unknown.
    assert_eq!(loaded.model.actors.len(), 1, "{out}");
    assert_eq!(loaded.errors(), 2, "{out}");
    for query in [
        format!("visits by {}", "X".repeat(MAX_STATEMENT_BYTES)),
        format!("visits by Xi{}", " with Putin".repeat(MAX_ITEMS / 2)),
    ] {
        let answer = rel::query(&loaded, &query).unwrap_err();
        out.push_str(&format!("\n> a query of {} bytes\n{answer}", query.len()));
    }
    insta::assert_snapshot!(out);
}

/// Amounts are shown with the digits they were written with, however
/// many: `f64` showed `99999999999999999999bn` as `100000000000000000000bn`
/// and a tiny amount with digits that were never written.
#[test]
fn amounts_keep_their_digits() {
    let written = [
        "99999999999999999999bn",
        "0.000000000000000000000000001",
        "1.10",
    ];
    let mut text = String::from("state A \"A\"\nstate B \"B\"\n");
    for (i, amount) in written.iter().enumerate() {
        text.push_str(&format!("trade A~B {} {amount} USD\n", 2001 + i));
    }
    let loaded = rel::load_str("amounts.rel", &text);
    assert_eq!(loaded.errors(), 0, "{}", rel::golden::check_text(&loaded));
    let shown = rel::render::eval_text(&loaded.model);
    let json = rel::render::eval_json(&loaded.model).to_string();
    let answer = rel::query(&loaded, "trade A~B").unwrap();
    for amount in written {
        assert!(shown.contains(amount), "{amount} in\n{shown}");
        assert!(
            json.contains(&format!("\"{amount}\"")),
            "{amount} in\n{json}"
        );
        assert!(answer.contains(amount), "{amount} in\n{answer}");
    }
}
