//! Cuts a file into statements before pest sees any of it.
//!
//! A statement is one line, or more while a `{` block or a string is open.
//! Parsing each statement on its own keeps memory proportional to the
//! largest statement, not the file, and gives error recovery for free: a
//! broken statement ends at its line and the next one parses normally.
//! When a block or string is left open, a line that starts in column 0 with
//! a statement keyword ends it, so one missing `}` costs one statement.

use crate::source::Span;

/// Keywords that begin a statement.
pub const STATEMENT_KEYWORDS: &[&str] = &[
    "source",
    "state",
    "person",
    "org",
    "bloc",
    "role",
    "visit",
    "meeting",
    "call",
    "elected",
    "reelected",
    "agreement",
    "summit",
    "ladder",
    "level",
    "trade",
    "statement",
    "include",
    "assert",
    "claim",
];

/// Deeper nesting than this is refused before parsing, so no input can
/// exhaust the parser's stack.
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The `{` at this offset is never closed.
    UnclosedBlock(usize),
    /// The `"` at this offset is never closed.
    UnterminatedString(usize),
    /// Brackets nest deeper than [`MAX_DEPTH`]; the offset of the first
    /// bracket past the limit.
    TooDeep(usize),
}

impl Problem {
    /// The same problem with its offset moved by `by`.
    pub fn shift(self, by: usize) -> Problem {
        match self {
            Problem::UnclosedBlock(at) => Problem::UnclosedBlock(at + by),
            Problem::UnterminatedString(at) => Problem::UnterminatedString(at + by),
            Problem::TooDeep(at) => Problem::TooDeep(at + by),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub span: Span,
    pub problem: Option<Problem>,
}

/// Iterates over the statements of a text.
pub struct Splitter<'a> {
    text: &'a str,
    pos: usize,
}

pub fn split(text: &str) -> Splitter<'_> {
    Splitter { text, pos: 0 }
}

/// True when the text starts with a statement keyword (followed by a
/// non-word character): such a line always begins a new statement.
pub fn starts_statement(line: &str) -> bool {
    let word_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(line.len());
    STATEMENT_KEYWORDS.contains(&&line[..word_end])
}

impl Iterator for Splitter<'_> {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        // Skip blank and comment-only lines.
        let start = loop {
            if self.pos >= len {
                return None;
            }
            let mut i = self.pos;
            while i < len && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
                i += 1;
            }
            if i < len && bytes[i] == b'#' {
                while i < len && bytes[i] != b'\n' {
                    i += 1;
                }
                self.pos = i;
                continue;
            }
            self.pos = i;
            if i >= len {
                return None;
            }
            break i;
        };

        let mut i = start;
        let mut depth = 0usize;
        let mut first_brace = 0usize;
        let mut string_start: Option<usize> = None;
        let mut too_deep = None;
        let mut last_content_end = start;
        loop {
            if i >= len {
                break;
            }
            let b = bytes[i];
            if string_start.is_some() {
                match b {
                    b'\\' => i += 1,
                    b'"' => string_start = None,
                    b'\n' if starts_statement(&self.text[i + 1..]) => break,
                    _ => {}
                }
                i += 1;
                last_content_end = i.min(len);
                continue;
            }
            match b {
                b'#' => {
                    while i < len && bytes[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'"' => string_start = Some(i),
                b'{' | b'(' | b'[' => {
                    if depth == 0 && b == b'{' {
                        first_brace = i;
                    }
                    depth += 1;
                    if depth > MAX_DEPTH && too_deep.is_none() {
                        too_deep = Some(i);
                    }
                }
                b'}' | b')' | b']' => depth = depth.saturating_sub(1),
                b'\n' => {
                    if depth == 0 && string_start.is_none() {
                        break;
                    }
                    // Still open: a keyword in column 0 starts the next
                    // statement anyway.
                    if starts_statement(&self.text[i + 1..]) {
                        break;
                    }
                }
                _ => {}
            }
            if !matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
                last_content_end = i + 1;
            }
            i += 1;
        }
        self.pos = i;
        let problem = if let Some(at) = too_deep {
            Some(Problem::TooDeep(at))
        } else if let Some(at) = string_start {
            Some(Problem::UnterminatedString(at))
        } else if depth > 0 && bytes.get(first_brace) == Some(&b'{') {
            Some(Problem::UnclosedBlock(first_brace))
        } else {
            None
        };
        Some(Chunk {
            span: Span::new(start, last_content_end.max(start)),
            problem,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<&str> {
        split(src).map(|c| &src[c.span.start..c.span.end]).collect()
    }

    #[test]
    fn lines_and_blocks() {
        let src = "# c\nstate A \"a\"\n\nladder l {\n  x \"x\"\n}\nstate B \"b\" # tail\n";
        assert_eq!(
            texts(src),
            vec!["state A \"a\"", "ladder l {\n  x \"x\"\n}", "state B \"b\""]
        );
    }

    #[test]
    fn an_open_block_ends_at_the_next_keyword() {
        let src = "ladder l {\n  x \"x\"\nstate A \"a\"\n";
        let chunks: Vec<_> = split(src).collect();
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].problem, Some(Problem::UnclosedBlock(9)));
        assert_eq!(chunks[1].problem, None);
    }

    #[test]
    fn deep_nesting_is_flagged() {
        let src = "assert ".to_string() + &"(".repeat(10_000);
        let chunk = split(&src).next().unwrap();
        assert!(matches!(chunk.problem, Some(Problem::TooDeep(_))));
    }
}
