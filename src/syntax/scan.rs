//! The one scanner of strings, comments and brackets before pest.
//!
//! The splitter, the depth check on queries and the REPL's "is this input
//! complete?" all need to know which bytes are code, which are inside a
//! string and which are comments, without parsing. They all read the text
//! through [`scan`], so a `"` inside a comment or a `{` inside a string
//! means the same to each of them.

/// Deeper nesting than this is refused before parsing, so no input can
/// exhaust the parser's stack.
pub const MAX_DEPTH: usize = 64;

/// Longer statements (and query lines) are refused before parsing: pest's
/// memory grows with a statement's length (some hundred bytes for each
/// byte of a long list), so one generated line could otherwise take
/// gigabytes. A quarter of a megabyte is over a thousand times the longest
/// statement of the examples and tests (some 220 bytes); at the limit,
/// parsing takes some tens of megabytes.
pub const MAX_STATEMENT_BYTES: usize = 256 * 1024;

/// More items (words, numbers, strings) than this in one statement or
/// query line are refused before parsing, for the same reason: a meeting of
/// every state on earth, with a source for each, has some four hundred.
pub const MAX_ITEMS: usize = 10_000;

/// What a byte is part of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Outside strings and comments.
    Code,
    /// The `"` that opens a string.
    StringStart,
    /// A byte inside a string.
    InString,
    /// The byte after a `\` inside a string: never the string's end.
    Escaped,
    /// The `"` that closes a string.
    StringEnd,
}

impl Place {
    /// True for every part of a string literal, quotes included.
    pub fn is_string(self) -> bool {
        self != Place::Code
    }
}

/// One byte of the text that is not in a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Byte {
    pub at: usize,
    pub byte: u8,
    pub place: Place,
}

/// The bytes of `text` from `from` on, comments left out (the newline that
/// ends a comment is kept). Strings are `"…"` with `\` escaping the next
/// byte; a comment runs from `#` outside a string to the end of its line.
pub fn scan(text: &str, from: usize) -> Scanner<'_> {
    Scanner {
        bytes: text.as_bytes(),
        pos: from,
        in_string: false,
        escape: false,
    }
}

/// The first `byte` (not `"`, `\\` or `#`) at or after `from` that is
/// code, outside strings and comments, as [`scan`] reads them; `from`
/// must be in code. It jumps between the bytes that matter rather than
/// reading each: for a look at every statement of a large file.
pub fn find_in_code(text: &[u8], from: usize, byte: u8) -> Option<usize> {
    let mut i = from;
    loop {
        i += memchr::memchr3(b'"', b'#', byte, text.get(i..)?)?;
        match text[i] {
            b'"' => {
                // Past the closing quote; `\` escapes the byte after it.
                i += 1;
                while i < text.len() && text[i] != b'"' {
                    i += if text[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'#' => i += memchr::memchr(b'\n', &text[i..])?,
            _ => return Some(i),
        }
    }
}

/// Like [`scan`], for text that starts inside a string (the rest of a
/// string left open on an earlier line).
pub fn scan_in_string(text: &str, from: usize) -> Scanner<'_> {
    Scanner {
        in_string: true,
        ..scan(text, from)
    }
}

/// Whether the line starting at `from` ends inside a string, read from
/// inside one (`in_string`) or from code.
fn line_ends_in_string(text: &str, from: usize, in_string: bool) -> bool {
    let mut scanner = if in_string {
        scan_in_string(text, from)
    } else {
        scan(text, from)
    };
    for b in scanner.by_ref() {
        if b.byte == b'\n' {
            // A newline in code ends the line; inside a string it is
            // still the line's end.
            return b.place.is_string();
        }
    }
    scanner.in_string()
}

/// True when the line at `from`, read on from a string left open above it,
/// closes that string, and read as a statement of its own would leave one
/// open: `summit"` after `reason "BRICS`. Such a line goes on with the
/// string, though it starts with a statement keyword; any other line
/// (`state B "b"`, an even number of quotes) starts a statement.
pub fn closes_open_string(text: &str, from: usize) -> bool {
    !line_ends_in_string(text, from, true) && line_ends_in_string(text, from, false)
}

pub struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    in_string: bool,
    escape: bool,
}

impl Scanner<'_> {
    /// True when the text so far ends inside a string.
    pub fn in_string(&self) -> bool {
        self.in_string
    }
}

impl Iterator for Scanner<'_> {
    type Item = Byte;

    #[inline]
    fn next(&mut self) -> Option<Byte> {
        let bytes = self.bytes;
        let mut at = self.pos;
        let mut byte = *bytes.get(at)?;
        let place = if self.escape {
            self.escape = false;
            Place::Escaped
        } else if self.in_string {
            match byte {
                b'\\' => {
                    self.escape = true;
                    Place::InString
                }
                b'"' => {
                    self.in_string = false;
                    Place::StringEnd
                }
                _ => Place::InString,
            }
        } else {
            if byte == b'#' {
                at += bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .unwrap_or(bytes.len() - at);
                byte = *bytes.get(at)?;
            }
            if byte == b'"' {
                self.in_string = true;
                Place::StringStart
            } else {
                Place::Code
            }
        };
        self.pos = at + 1;
        Some(Byte { at, byte, place })
    }
}

/// How deep brackets (`(`, `[`, `{`) nest, read a byte at a time. A closing
/// bracket with none open is ignored.
#[derive(Clone, Copy, Debug, Default)]
pub struct Nesting {
    pub depth: usize,
    /// The first opening bracket past [`MAX_DEPTH`].
    pub too_deep: Option<usize>,
}

impl Nesting {
    /// Counts a code byte; returns true when it opened a bracket.
    #[inline]
    pub fn step(&mut self, b: Byte) -> bool {
        match b.byte {
            b'(' | b'[' | b'{' => {
                self.depth += 1;
                if self.depth > MAX_DEPTH && self.too_deep.is_none() {
                    self.too_deep = Some(b.at);
                }
                true
            }
            b')' | b']' | b'}' => {
                self.depth = self.depth.saturating_sub(1);
                false
            }
            _ => false,
        }
    }
}

/// Counts the items of a statement a byte at a time: each run of code
/// between blanks and commas (`Xi`, `->`, `[src]`) and each string is one.
#[derive(Clone, Copy, Debug, Default)]
pub struct Items {
    pub count: usize,
    /// Where the first item past [`MAX_ITEMS`] starts.
    pub too_many: Option<usize>,
    in_word: bool,
}

impl Items {
    #[inline]
    pub fn step(&mut self, b: Byte) {
        let starts = match b.place {
            Place::StringStart => {
                self.in_word = false;
                true
            }
            Place::Code => {
                let word = !matches!(b.byte, b' ' | b'\t' | b'\r' | b'\n' | b',');
                let starts = word && !self.in_word;
                self.in_word = word;
                starts
            }
            _ => {
                self.in_word = false;
                false
            }
        };
        if starts {
            self.count += 1;
            if self.count > MAX_ITEMS && self.too_many.is_none() {
                self.too_many = Some(b.at);
            }
        }
    }
}

/// Why a statement or query line is too large to parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TooLarge {
    /// Longer than [`MAX_STATEMENT_BYTES`]; its length.
    Bytes(usize),
    /// More than [`MAX_ITEMS`] items; where the first item past the limit
    /// starts.
    Items(usize),
}

/// Whether `text`, one statement or query line, is too large to parse.
/// Length wins: a text too long to parse is not counted further.
pub fn too_large(text: &str) -> Option<TooLarge> {
    if text.len() > MAX_STATEMENT_BYTES {
        return Some(TooLarge::Bytes(text.len()));
    }
    let mut items = Items::default();
    for b in scan(text, 0) {
        items.step(b);
        if let Some(at) = items.too_many {
            return Some(TooLarge::Items(at));
        }
    }
    None
}

/// The offset of the first bracket of `text` that nests deeper than
/// [`MAX_DEPTH`], if any.
pub fn too_deep(text: &str) -> Option<usize> {
    let mut nesting = Nesting::default();
    for b in scan(text, 0).filter(|b| b.place == Place::Code) {
        nesting.step(b);
        if nesting.too_deep.is_some() {
            break;
        }
    }
    nesting.too_deep
}

/// True when `text`, one statement, leaves a string or a `{` block open
/// (the REPL asks this of the last statement of its input, see
/// `split::is_incomplete`). Only braces
/// count, and a stray `}` closes one in advance, so `}` then `{` is
/// complete.
pub fn is_incomplete(text: &str) -> bool {
    let mut scanner = scan(text, 0);
    let mut depth = 0i64;
    for b in scanner.by_ref() {
        match (b.place, b.byte) {
            (Place::Code, b'{') => depth += 1,
            (Place::Code, b'}') => depth -= 1,
            _ => {}
        }
    }
    scanner.in_string() || depth > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes `find_in_code` finds are those `scan` reads as code.
    #[test]
    fn find_in_code_finds_what_scan_reads_as_code() {
        for text in [
            "visit a -> b 2020 as v [a]",
            "summit \"a \\\" a\" a # a \"\na a",
            "x \"a\\\\\" a \"open a",
            "a#a\n\"a\"a",
            "\"\\",
            "",
        ] {
            let scanned: Vec<usize> = scan(text, 0)
                .filter(|b| b.place == Place::Code && b.byte == b'a')
                .map(|b| b.at)
                .collect();
            let mut found = Vec::new();
            let mut from = 0;
            while let Some(i) = find_in_code(text.as_bytes(), from, b'a') {
                found.push(i);
                from = i + 1;
            }
            assert_eq!(found, scanned, "{text:?}");
        }
    }

    fn places(text: &str) -> Vec<(char, Place)> {
        scan(text, 0).map(|b| (b.byte as char, b.place)).collect()
    }

    #[test]
    fn strings_escapes_and_comments() {
        use Place::*;
        assert_eq!(
            places("a\"\\\"#\"#x\"\nb"),
            vec![
                ('a', Code),
                ('"', StringStart),
                ('\\', InString),
                ('"', Escaped),
                ('#', InString),
                ('"', StringEnd),
                ('\n', Code),
                ('b', Code),
            ]
        );
        // A comment at the very end leaves nothing.
        assert_eq!(places("# only"), vec![]);
    }

    #[test]
    fn items_and_length() {
        let items = |t: &str| {
            let mut i = Items::default();
            scan(t, 0).for_each(|b| i.step(b));
            i.count
        };
        // state, A, "A, B", aka, B, B, [src]: commas, blanks and comments
        // are not items.
        assert_eq!(items("state A \"A, B\" aka B,B [src] # one, two"), 7);
        assert_eq!(items("visit Xi -> Russia 2024-07-03"), 5);
        let many = format!("state A \"A\" aka {}", vec!["B"; MAX_ITEMS].join(", "));
        // `state A "A" aka` are four items, so the limit is passed at the
        // fourth `B` from the end.
        let at = many.len() - "B, B, B, B".len();
        assert_eq!(too_large(&many), Some(TooLarge::Items(at)));
        assert_eq!(too_large(&many[..at - 2]), None);
        let long = format!("summit \"{}\" 2024", "a".repeat(MAX_STATEMENT_BYTES));
        assert_eq!(too_large(&long), Some(TooLarge::Bytes(long.len())));
    }

    #[test]
    fn depth_ignores_strings_and_comments() {
        let deep = "(".repeat(MAX_DEPTH + 1);
        assert_eq!(too_deep(&deep), Some(MAX_DEPTH));
        assert_eq!(too_deep(&"(".repeat(MAX_DEPTH)), None);
        assert_eq!(too_deep(&format!("\"{deep}\"")), None);
        assert_eq!(too_deep(&format!("# {deep}\n")), None);
        assert_eq!(too_deep(&")".repeat(10)), None);
    }

    #[test]
    fn incomplete_input() {
        for open in [
            "ladder l {",
            "ladder l {\n  a \"a\"",
            "statement X 2020 \"not yet",
            "statement X 2020 \"escaped \\\"",
            "{ { }",
            "{ # }",
        ] {
            assert!(is_incomplete(open), "{open:?}");
        }
        for done in [
            "",
            "visits by Xi",
            "ladder l {\n  a \"a\"\n}",
            "statement X 2020 \"a } and a {\"",
            "# {",
            "state A \"a\" # \"",
            "} {",
            "(((",
            "[",
            "\"a\\\\\"",
        ] {
            assert!(!is_incomplete(done), "{done:?}");
        }
    }
}
