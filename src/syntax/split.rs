//! Cuts a file into statements before pest sees any of it.
//!
//! A statement is one line, or more while a `{` block or a string is open.
//! Parsing each statement on its own keeps memory proportional to the
//! largest statement, not the file, and gives error recovery for free: a
//! broken statement ends at its line and the next one parses normally.
//! When a block or string is left open, a line that starts in column 0 with
//! a statement keyword ends it, so one missing `}` costs one statement;
//! only a keyword line that closes the open string (an odd number of
//! quotes, `summit"` after `reason "BRICS`) goes on with it.

use super::keyword::Keyword;
use super::scan::{self, Items, Nesting, Place};
use crate::source::Span;

pub use scan::{MAX_DEPTH, MAX_ITEMS, MAX_STATEMENT_BYTES};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The `{` at this offset is never closed.
    UnclosedBlock(usize),
    /// The `"` at this offset is never closed.
    UnterminatedString(usize),
    /// Brackets nest deeper than [`MAX_DEPTH`]; the offset of the first
    /// bracket past the limit.
    TooDeep(usize),
    /// The statement is longer than [`MAX_STATEMENT_BYTES`]: where it
    /// starts, and its length.
    TooLong { at: usize, len: usize },
    /// The statement has more than [`MAX_ITEMS`] items; where the first
    /// item past the limit starts.
    TooManyItems(usize),
}

impl Problem {
    /// The same problem with its offset moved by `by`.
    pub fn shift(self, by: usize) -> Problem {
        match self {
            Problem::UnclosedBlock(at) => Problem::UnclosedBlock(at + by),
            Problem::UnterminatedString(at) => Problem::UnterminatedString(at + by),
            Problem::TooDeep(at) => Problem::TooDeep(at + by),
            Problem::TooLong { at, len } => Problem::TooLong { at: at + by, len },
            Problem::TooManyItems(at) => Problem::TooManyItems(at + by),
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
    /// Off only in the test that compares the two ways of finding a plain
    /// line's end.
    plain_lines: bool,
}

pub fn split(text: &str) -> Splitter<'_> {
    Splitter {
        text,
        pos: 0,
        plain_lines: true,
    }
}

/// Longest line [`Splitter::plain_line`] reads: short enough that its items
/// (runs between blanks and commas, at least two bytes each but the last)
/// stay under [`MAX_ITEMS`], and its length under [`MAX_STATEMENT_BYTES`].
const PLAIN_LINE_MAX: usize = 16 * 1024;

/// True when the text starts with a statement keyword (followed by a
/// non-word character): such a line begins a new statement, unless it
/// closes a string left open above it.
pub fn starts_statement(line: &str) -> bool {
    Keyword::starting_statement(line).is_some()
}

/// True when `text` leaves a string or a `{` block open in its last
/// statement, as this module cuts statements: an interactive reader should
/// ask for another line before handing it on. A string or block left open
/// in an earlier statement, which a keyword line has ended, is that
/// statement's error (E0105, E0104), and the input is complete: the REPL
/// reads what it types as a file would be read, rather than wait for a
/// quote that the next statement's own strings have thrown off.
pub fn is_incomplete(text: &str) -> bool {
    split(text)
        .last()
        .is_some_and(|last| scan::is_incomplete(&text[last.span.start..]))
}

/// True when the line at `from` begins a statement whatever comes before
/// it: it starts with a statement keyword and could not close a string
/// left open above it. Text may be cut at such a line and each part split
/// on its own with the same result.
pub fn always_starts_statement(text: &str, from: usize) -> bool {
    starts_statement(&text[from..]) && !scan::closes_open_string(text, from)
}

impl Splitter<'_> {
    /// Moves past blank and comment-only lines; returns where the next
    /// statement starts, if one does.
    fn skip_blank_lines(&mut self) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        loop {
            while self.pos < len && is_blank(bytes[self.pos]) {
                self.pos += 1;
            }
            if self.pos < len && bytes[self.pos] == b'#' {
                while self.pos < len && bytes[self.pos] != b'\n' {
                    self.pos += 1;
                }
                continue;
            }
            return (self.pos < len).then_some(self.pos);
        }
    }
}

impl Splitter<'_> {
    /// The statement at `start`, if it is one plain line: no comment,
    /// brace or parenthesis, strings without escapes that close on the
    /// line, square brackets that close on the line and nest no deeper
    /// than [`MAX_DEPTH`], at most [`PLAIN_LINE_MAX`] bytes (and at most
    /// [`MAX_ITEMS`] with a string). That is most lines of a large file,
    /// and for them this gives the chunk the byte scanner of `next` gives,
    /// in one pass; anything else is left to the scanner.
    fn plain_line(&mut self, start: usize) -> Option<Chunk> {
        let bytes = self.text.as_bytes();
        let limit = (start + PLAIN_LINE_MAX).min(bytes.len());
        let mut depth = 0;
        let mut end = start;
        let mut strings = false;
        while end < limit {
            match bytes[end] {
                b'\n' => break,
                b'"' => {
                    // To the closing quote: nothing inside is code.
                    let inside = &bytes[end + 1..limit];
                    let close = inside
                        .iter()
                        .position(|&b| matches!(b, b'"' | b'\\' | b'\n'))?;
                    if inside[close] != b'"' {
                        return None;
                    }
                    end += close + 1;
                    strings = true;
                }
                b'#' | b'{' | b'}' | b'(' | b')' => return None,
                b'[' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return None;
                    }
                }
                b']' => depth = usize::saturating_sub(depth, 1),
                _ => {}
            }
            end += 1;
        }
        // An item is one byte or more, so a line no longer than
        // `MAX_ITEMS` has no more; without strings, an item and the blank
        // or comma after it are two, and `PLAIN_LINE_MAX` is short enough.
        if depth > 0
            || (end == limit && limit < bytes.len())
            || (strings && end - start > MAX_ITEMS)
        {
            return None;
        }
        let content = bytes[start..end]
            .iter()
            .rposition(|&b| !is_blank(b))
            .map_or(start, |i| start + i + 1);
        self.pos = end;
        Some(Chunk {
            span: Span::new(start, content),
            problem: None,
        })
    }
}

fn is_blank(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

impl Iterator for Splitter<'_> {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        let text = self.text;
        let start = self.skip_blank_lines()?;
        if self.plain_lines {
            if let Some(chunk) = self.plain_line(start) {
                return Some(chunk);
            }
        }
        let mut end = text.len();
        let mut nesting = Nesting::default();
        let mut items = Items::default();
        let mut first_brace = None;
        let mut string_start: Option<usize> = None;
        let mut last_content_end = start;
        for b in scan::scan(text, start) {
            let i = b.at;
            // A newline ends the statement unless a block or a string is
            // still open; even then, a keyword in column 0 starts the next
            // statement, so one missing `}` or `"` costs one statement.
            // A keyword line that closes an open string goes on with it
            // (see [`scan::closes_open_string`]).
            if b.byte == b'\n' && matches!(b.place, Place::Code | Place::InString) {
                let in_string = b.place == Place::InString;
                let open = nesting.depth > 0 || in_string;
                let cut = !open
                    || (starts_statement(&text[i + 1..])
                        && !(in_string && scan::closes_open_string(text, i + 1)));
                if cut {
                    end = i;
                    break;
                }
            }
            items.step(b);
            match b.place {
                Place::Code => {
                    if nesting.step(b) && nesting.depth == 1 {
                        first_brace = Some(i).filter(|_| b.byte == b'{');
                    }
                    if is_blank(b.byte) {
                        continue;
                    }
                }
                Place::StringStart => string_start = Some(i),
                Place::StringEnd => string_start = None,
                Place::InString | Place::Escaped => {}
            }
            last_content_end = i + 1;
        }
        self.pos = end;
        let len = last_content_end.max(start) - start;
        // Size first: a statement too large to parse is only that.
        let problem = if len > MAX_STATEMENT_BYTES {
            Some(Problem::TooLong { at: start, len })
        } else if let Some(at) = items.too_many {
            Some(Problem::TooManyItems(at))
        } else if let Some(at) = nesting.too_deep {
            Some(Problem::TooDeep(at))
        } else if let Some(at) = string_start {
            Some(Problem::UnterminatedString(at))
        } else if nesting.depth > 0 {
            first_brace.map(Problem::UnclosedBlock)
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

    /// Plain lines found in one pass are the chunks the byte scanner finds.
    #[test]
    fn plain_lines_are_cut_as_the_scanner_cuts_them() {
        let mut texts = vec![
            "visit A -> B 2020 [s]\nmeeting A, B 2020 [s, t]\n".to_string(),
            "visit A -> B 2020 [s\n]\nstate C \"c\"\n".into(),
            "visit A -> B [[[x]]]   \t\r\n\nx ] ] [\n\n".into(),
            format!("visit {}\nstate A", "[".repeat(70) + &"]".repeat(70)),
            format!("meeting {}\nstate A", "a, ".repeat(9_000)),
            format!("meeting {}", "a,".repeat(9_000)),
            "visit A -> B # c\nx (\n)\ny {\n}\nz \"\n\"\n".into(),
            "  \n\t# only\nlast line without newline  ".into(),
            "summit \"a # [ { ( ) } ] b\" 2024 [s]\nsummit \"\" 2024\n".into(),
            "summit \"a \\\" b\" 2024 [s]\nsummit \"open\nx\" 2024\n".into(),
            "visit A -> B 2020 [s, \"t\"]\nx \"\"\"\" y\n\"last".into(),
            format!("meeting {}\nstate A", "x\"\"".repeat(3_300)),
            format!("meeting {}\nstate A", "x\"\"".repeat(3_400)),
            format!("meeting {}\nstate A", "x\"\"".repeat(5_100)),
        ];
        for file in [
            include_str!("../../examples/china_russia_2025.rel"),
            include_str!("../../tests/check/second_edition.rel"),
        ] {
            texts.push(file.to_string());
        }
        for text in &texts {
            let plain: Vec<Chunk> = split(text).collect();
            let scanned: Vec<Chunk> = Splitter {
                plain_lines: false,
                ..split(text)
            }
            .collect();
            assert_eq!(plain, scanned, "{text:?}");
        }
    }

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
    fn quotes_escapes_and_comments() {
        let src =
            "statement A 2020 \"a \\\"q\\\" # { not a comment\" # a \" comment\nstate B \"b\"\n";
        let chunks: Vec<_> = split(src).collect();
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].problem, None);
        assert!(texts(src)[0].ends_with("comment\""));
    }

    #[test]
    fn an_open_string_ends_at_the_next_keyword() {
        let src = "statement A 2020 \"open\nstill open\nstate B \"b\"\n";
        let chunks: Vec<_> = split(src).collect();
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].problem, Some(Problem::UnterminatedString(17)));
        assert_eq!(texts(src)[0], "statement A 2020 \"open\nstill open");
        assert_eq!(chunks[1].problem, None);
    }

    #[test]
    fn a_keyword_line_that_closes_an_open_string_goes_on_with_it() {
        let src = "summit \"x\" 2024 reason \"BRICS\nsummit\" [wire]\nstate B \"b\"\n";
        let chunks: Vec<_> = split(src).collect();
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].problem, None);
        assert_eq!(
            texts(src)[0],
            "summit \"x\" 2024 reason \"BRICS\nsummit\" [wire]"
        );
        // A keyword line with its own closed strings still starts a
        // statement, as does one whose quote is in a comment.
        for next in ["state B \"b\"", "state B # \""] {
            let src = format!("statement A 2020 \"open\n{next}\n");
            let chunks: Vec<_> = split(&src).collect();
            assert_eq!(chunks.len(), 2, "{next}");
            assert_eq!(chunks[0].problem, Some(Problem::UnterminatedString(17)));
        }
        assert!(always_starts_statement("state B \"b\"", 0));
        assert!(!always_starts_statement("summit\" [wire]", 0));
    }

    #[test]
    fn input_is_incomplete_as_its_last_statement_is() {
        for open in [
            "statement A 2020 \"open",
            "summit \"x\" 2024 reason \"BRICS\nand more",
            "state A \"a\"\nladder l {\n  x \"x\"",
        ] {
            assert!(is_incomplete(open), "{open:?}");
        }
        for done in [
            "summit \"x\" 2024 reason \"BRICS\nsummit\"",
            // The open string is the first statement's error; the second
            // statement's quotes are its own.
            "statement A 2020 \"open\nstate B \"b\"",
            "ladder l {\n  x \"x\"\nstate A \"a\"",
            "",
            "# only a comment \"",
        ] {
            assert!(!is_incomplete(done), "{done:?}");
        }
    }

    #[test]
    fn brackets_in_strings_do_not_nest() {
        let src = format!("summit \"{}\" 2020\n", "(".repeat(MAX_DEPTH * 2));
        assert_eq!(split(&src).next().unwrap().problem, None);
    }

    #[test]
    fn large_statements_are_flagged_and_the_next_one_parses() {
        let long = format!(
            "summit \"{}\" 2024\nstate B \"b\"\n",
            "x".repeat(MAX_STATEMENT_BYTES)
        );
        let chunks: Vec<_> = split(&long).collect();
        let len = MAX_STATEMENT_BYTES + "summit \"\" 2024".len();
        assert_eq!(chunks[0].problem, Some(Problem::TooLong { at: 0, len }));
        assert_eq!(chunks[1].problem, None);
        let many = format!(
            "state A \"A\"{}\nstate B \"b\"\n",
            " aka B".repeat(MAX_ITEMS)
        );
        let chunks: Vec<_> = split(&many).collect();
        assert!(matches!(chunks[0].problem, Some(Problem::TooManyItems(_))));
        assert_eq!(chunks[1].problem, None);
        // At the limits, nothing is flagged.
        let at_limit = format!("state A \"A\"{}", " aka B".repeat((MAX_ITEMS - 3) / 2));
        assert_eq!(split(&at_limit).next().unwrap().problem, None);
    }

    #[test]
    fn deep_nesting_is_flagged() {
        let src = "assert ".to_string() + &"(".repeat(10_000);
        let chunk = split(&src).next().unwrap();
        assert!(matches!(chunk.problem, Some(Problem::TooDeep(_))));
    }
}
