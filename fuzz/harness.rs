//! What each fuzz target does with one input. The cargo-fuzz targets in
//! `fuzz_targets/` and the stable replay test (`tests/fuzz_replay.rs`)
//! both call these functions, so every corpus and crash file is replayed
//! by `cargo test` exactly as the fuzzer ran it.
//!
//! Each function panics on a broken invariant: a panic is what the fuzzer
//! reports, and what the replay test fails on.

// Each fuzz target calls one of these functions.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

/// The example every query runs on.
const SEED: &str = include_str!("../examples/china_russia_2025.rel");

/// The directory for the files the `load` target writes, one for every
/// run (each file is removed once loaded, so nothing piles up). Includes
/// resolve inside it, so an input that includes `x.rel` finds nothing
/// rather than a file of the machine.
fn scratch_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join("rel-fuzz-inputs");
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        dir
    })
}

/// Loads the bytes as a file (byte-order mark, bad UTF-8 and line ends
/// as `rel check` reads them), checks it, and renders every diagnostic for
/// people and as JSON, and the model as `rel eval` shows it.
pub fn load(data: &[u8]) {
    // One name for each process and thread: test threads and parallel
    // fuzz jobs never share a file.
    let path = scratch_dir().join(format!(
        "input-{}-{:?}.rel",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&path, data).expect("the input written");
    let loaded = rel::load_file(&path);
    let _ = std::fs::remove_file(&path);
    let shown = rel::golden::check_text(&loaded);
    assert!(shown.ends_with('\n'));
    for d in &loaded.diagnostics {
        let json = rel::diag::to_json(&loaded.sources, d);
        let value = serde_json::to_value(&json).expect("a diagnostic as JSON");
        // Spans in JSON are offsets in the file as written.
        if let Some(span) = value.get("span").filter(|s| !s.is_null()) {
            let end = span["end"].as_u64().unwrap_or(0) as usize;
            let start = span["start"].as_u64().unwrap_or(0) as usize;
            let in_this_file = value["file"].as_str().is_some_and(|f| f.ends_with(".rel"));
            if in_this_file && loaded.sources.len() == 1 {
                assert!(start <= end && end <= data.len(), "{value}");
            }
        }
    }
    let _ = rel::render::eval_text(&loaded.model);
    let _ = rel::render::eval_json(&loaded.model);
}

/// Runs the text as a query on the seed example, as `rel query` does.
pub fn query(data: &[u8]) {
    static SEEDED: OnceLock<rel::Loaded> = OnceLock::new();
    let seed = SEEDED.get_or_init(|| rel::load_str("china_russia_2025.rel", SEED));
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The REPL and `rel query` take one line at a time.
    for line in text.lines() {
        let _ = rel::query(seed, line);
    }
}

/// Positions in a file made from the bytes: every offset's line and
/// columns, its line's span, and its place in the file as written.
pub fn positions(data: &[u8]) {
    let decoded = rel::source::decode(data);
    let file = rel::source::SourceFile::from_decoded("fuzz.rel", None, decoded);
    let text = &file.text;
    let mut last = (1, 0);
    let mut last_in_file = 0;
    for offset in 0..=text.len() + 2 {
        let p = file.position(offset);
        assert!(p.line >= 1 && p.column >= 1);
        assert!(p.utf16_column + 1 >= p.column, "{p:?}");
        assert!(p.utf16_column <= 2 * (p.column - 1), "{p:?}");
        // Positions never go backwards as the offset grows.
        assert!(
            (p.line, p.utf16_column) >= last,
            "{offset}: {p:?} after {last:?}"
        );
        last = (p.line, p.utf16_column);
        assert_eq!(file.line_col(offset), (p.line, p.column));
        let line = file.line_span(offset);
        assert!(line.start <= line.end && line.end <= text.len(), "{line:?}");
        assert!(text.is_char_boundary(line.start) && text.is_char_boundary(line.end));
        assert_eq!(file.line_start(p.line), line.start, "{offset}");
        let in_file = file.file_offset(offset.min(text.len()));
        assert!(
            in_file >= last_in_file && in_file <= data.len(),
            "{offset}: {in_file}"
        );
        last_in_file = in_file;
    }
    assert_eq!(file.file_offset(text.len()), data.len());
}

/// Reads every statement of the text both ways, by the fast reader and by
/// pest alone: wherever the fast reader accepts a statement, pest accepts
/// it too and builds exactly the same tree, spans included.
pub fn fast_path(data: &[u8]) {
    let decoded = rel::source::decode(data);
    let file = rel::source::SourceFile::from_decoded("fuzz.rel", None, decoded);
    for (fast, pest) in rel::syntax::read_both_ways(&file.text) {
        if let Some(fast) = fast {
            match pest {
                Ok(statement) => assert_eq!(statement.kind, fast),
                Err(e) => panic!("the fast reader accepts what pest refuses: {e:?}"),
            }
        }
    }
}
