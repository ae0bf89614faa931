//! Replays every file of the fuzz corpora (`fuzz/corpus/<target>/`) and
//! every crash kept as a regression (`fuzz/regressions/<target>/`) through
//! the functions the cargo-fuzz targets call, on the stable toolchain and
//! without cargo-fuzz: an input that once crashed a target fails here if
//! it crashes again.

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::Path;

/// Runs `target` on every file under the target's corpus and regression
/// directories; returns how many it ran.
fn replay(name: &str, target: fn(&[u8])) -> usize {
    replay_corpora(&[name], target)
}

/// Runs `target` on every file of the corpora and regressions of `names`.
fn replay_corpora(names: &[&str], target: fn(&[u8])) -> usize {
    let name = names.join(", ");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["corpus", "regressions"] {
        for corpus in names {
            let Ok(entries) = std::fs::read_dir(root.join(dir).join(corpus)) else {
                continue;
            };
            files.extend(entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
        }
    }
    files.sort();
    for file in &files {
        let data = std::fs::read(file).unwrap();
        let outcome = std::panic::catch_unwind(|| target(&data));
        assert!(
            outcome.is_ok(),
            "fuzz target `{name}` fails on {}",
            file.display()
        );
    }
    files.len()
}

#[test]
fn load_corpus() {
    // The seeds alone are every .rel file of examples/ and tests/.
    assert!(replay("load", harness::load) >= 50);
}

#[test]
fn query_corpus() {
    assert!(replay("query", harness::query) >= 50);
}

#[test]
fn positions_corpus() {
    assert!(replay("positions", harness::positions) >= 50);
}

#[test]
fn fast_path_corpus() {
    // The fast reader's own corpus grows from the `load` seeds, which are
    // replayed too.
    assert!(replay_corpora(&["fast_path", "load"], harness::fast_path) >= 50);
}
