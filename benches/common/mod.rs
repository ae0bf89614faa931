//! What the benchmarks share.

pub mod generate;

use std::time::{Duration, Instant};

/// The shortest time of `runs` runs of `f`, and what the last run gave.
pub fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let out = f();
        best = best.min(t.elapsed());
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}
