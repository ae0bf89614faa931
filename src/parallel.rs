//! Work shared between two threads on large inputs: the one rule for when
//! a second thread pays for itself, and a join that runs two pieces of
//! work side by side. Parsing, lowering plain events, sorting events,
//! validating and indexing all split their work this way.

/// From this many items (statements, events) on, a second thread saves
/// more than starting it costs.
pub const MIN_ITEMS: usize = 50_000;

/// True when `items` items are enough work to share and the machine has a
/// second core.
pub fn worth_two_threads(items: usize) -> bool {
    items >= MIN_ITEMS && threads() >= 2
}

/// How many threads can run at once here.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `on_other` on a second thread and `here` on this one, and returns
/// both results. A panic on the second thread goes on here.
pub fn join<A: Send, B>(on_other: impl FnOnce() -> A + Send, here: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|scope| {
        let other = scope.spawn(on_other);
        let mine = here();
        let theirs = other
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (theirs, mine)
    })
}
