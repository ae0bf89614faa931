//! Short words that many events share, each kept once: an event's kind
//! (`kind state`, `kind bilateral`, the `speech` of `event speech`) and
//! a meeting's mode (`mode virtual`). An event holds a four-byte
//! [`Word`] where an inline string took 24 bytes, and a million events
//! are 40 MB smaller for their two words.
//!
//! The table is the process's, not a model's, so that a word reads as
//! text wherever it is (in serialising an event, in a query) without the
//! model at hand, and so that the threads lowering one file share it. It
//! only grows: a word, once seen, is kept until the process ends. A file
//! has tens of such words; a language server, which lowers the text
//! again at each edit, also keeps the ones typed on the way (`spee` on
//! the way to `speech`), a few bytes each.

use rustc_hash::FxHashMap;
use serde::Serialize;
use std::num::NonZeroU32;
use std::sync::{LazyLock, RwLock};

/// A word kept in the table: compared and hashed by number, read as text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Word(NonZeroU32);

#[derive(Default)]
struct Table {
    numbers: FxHashMap<&'static str, Word>,
    /// Word `n` is `words[n - 1]`.
    words: Vec<&'static str>,
}

static TABLE: LazyLock<RwLock<Table>> = LazyLock::new(Default::default);

impl Word {
    /// The word for `text`, added to the table the first time it is seen.
    pub fn new(text: &str) -> Word {
        if let Some(word) = Word::find(text) {
            return word;
        }
        let mut table = TABLE.write().unwrap_or_else(|e| e.into_inner());
        // Another thread may have added it since the lookup.
        if let Some(&word) = table.numbers.get(text) {
            return word;
        }
        // Kept for the life of the process (see the module's doc).
        let text: &'static str = Box::leak(text.into());
        let number = u32::try_from(table.words.len() + 1)
            .ok()
            .and_then(NonZeroU32::new)
            .expect("fewer than four billion distinct words");
        let word = Word(number);
        table.words.push(text);
        table.numbers.insert(text, word);
        word
    }

    /// The word for `text` if the table has it; a word never seen is on
    /// no event.
    pub fn find(text: &str) -> Option<Word> {
        let table = TABLE.read().unwrap_or_else(|e| e.into_inner());
        table.numbers.get(text).copied()
    }

    pub fn as_str(self) -> &'static str {
        let table = TABLE.read().unwrap_or_else(|e| e.into_inner());
        table.words[self.0.get() as usize - 1]
    }
}

impl std::ops::Deref for Word {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Word {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Word {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Word {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Word;

    #[test]
    fn a_word_is_kept_once_and_reads_as_written() {
        let state = Word::new("state");
        assert_eq!(Word::new("state"), state);
        assert_eq!(&*state, "state");
        assert_ne!(Word::new("working"), state);
        assert_eq!(Word::find("never_written_anywhere"), None);
        assert_eq!(Word::find("working").map(Word::as_str), Some("working"));
        assert_eq!(serde_json::to_string(&state).unwrap(), "\"state\"");
        // Threads adding the same words agree on their numbers.
        let words: Vec<Vec<Word>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..2)
                .map(|_| s.spawn(|| (0..200).map(|i| Word::new(&format!("w{i}"))).collect()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(words[0], words[1]);
    }
}
