//! Source files and byte spans.
//!
//! Every syntax node carries a [`Span`] of byte offsets into one file of the
//! [`SourceMap`]; diagnostics turn spans into line and column only when they
//! are rendered.

use serde::Serialize;
use std::path::PathBuf;

/// A half-open range of byte offsets, `start..end`, within one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    pub fn shift(self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }
    pub fn len(self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
}

/// Index of a file in the [`SourceMap`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A loaded file: its display name (as the user wrote it, `/`-separated),
/// its path on disk if it has one, and its text.
///
/// Line ends are LF, CRLF or a lone CR (as old Mac editors write): a lone
/// CR is turned into LF when the file is made, byte for byte, so every
/// stage after (the splitter, the scanner, miette's snippets) sees one
/// kind of line end and every offset still points into the file as
/// written.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub path: Option<PathBuf>,
    pub text: String,
    /// Where each line starts, found the first time a line or column is
    /// asked for: checking a large file without errors never needs them.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// Where `text` differs in length from the bytes on disk (a byte-order
    /// mark left out, invalid UTF-8 replaced): `(offset in text, offset in
    /// the file)` at the end of each such place, in order. Empty when the
    /// text is the file byte for byte.
    file_offsets: Vec<(usize, usize)>,
}

/// A place in a file as people and editors count it: one-based line,
/// one-based column in characters (Unicode scalar values, as Rust's
/// `chars` counts them: a combining accent is a character of its own), and
/// zero-based column in UTF-16 code units (what the Language Server
/// Protocol counts: a character outside the Basic Multilingual Plane is
/// two).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub utf16_column: usize,
}

/// Text read from bytes that may not be UTF-8 and may start with a
/// byte-order mark, with the map back to the bytes as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Offset in the file of the first byte that is not UTF-8, if any.
    pub first_invalid: Option<usize>,
    /// As [`SourceFile`]'s map: `(offset in text, offset in the file)`.
    pub file_offsets: Vec<(usize, usize)>,
}

/// Like [`decode`], taking the bytes: text that is UTF-8 throughout, the
/// common case, becomes the text without a copy (a file of fifty megabytes
/// is not held twice).
pub fn decode_owned(mut bytes: Vec<u8>) -> Decoded {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    if bom {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            first_invalid: None,
            file_offsets: if bom { vec![(0, 3)] } else { Vec::new() },
        },
        Err(e) => {
            let mut bytes = e.into_bytes();
            if bom {
                bytes.splice(..0, *b"\xEF\xBB\xBF");
            }
            decode(&bytes)
        }
    }
}

/// Reads bytes as text: a leading byte-order mark is left out, and each
/// run of bytes that is not UTF-8 becomes one U+FFFD, as
/// [`String::from_utf8_lossy`] does. Unlike it, this records where the
/// text and the bytes part, so positions can be given in the file.
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut file_offsets = Vec::new();
    let (body, skipped) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            file_offsets.push((0, 3));
            (rest, 3)
        }
        None => (bytes, 0),
    };
    let mut text = String::with_capacity(body.len());
    let mut in_file = skipped;
    let mut first_invalid = None;
    for chunk in body.utf8_chunks() {
        text.push_str(chunk.valid());
        in_file += chunk.valid().len();
        let bad = chunk.invalid();
        if !bad.is_empty() {
            first_invalid.get_or_insert(in_file);
            text.push(char::REPLACEMENT_CHARACTER);
            in_file += bad.len();
            file_offsets.push((text.len(), in_file));
        }
    }
    Decoded {
        text,
        first_invalid,
        file_offsets,
    }
}

/// Lone CRs made LF, byte for byte (CRLF is left as it is).
fn lone_cr_to_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // One ASCII byte replaced by another: still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

impl SourceFile {
    pub fn new(name: impl Into<String>, path: Option<PathBuf>, text: String) -> SourceFile {
        SourceFile {
            name: name.into(),
            path,
            text: lone_cr_to_lf(text),
            line_starts: Default::default(),
            file_offsets: Vec::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
            starts
        })
    }

    /// A file read from bytes: its text as [`decode`] made it, with the
    /// map back to the bytes kept for [`SourceFile::file_offset`].
    pub fn from_decoded(
        name: impl Into<String>,
        path: Option<PathBuf>,
        decoded: Decoded,
    ) -> SourceFile {
        let mut file = SourceFile::new(name, path, decoded.text);
        file.file_offsets = decoded.file_offsets;
        file
    }

    /// The offset in the file as written (before a byte-order mark was
    /// left out and invalid UTF-8 replaced) of an offset in `text`. A
    /// replaced run is one character in the text; an offset inside that
    /// character maps to the run's start.
    pub fn file_offset(&self, offset: usize) -> usize {
        // Inside a character (a replaced run is three bytes of text for
        // as many bad bytes as there were) means at its start: counting
        // on from the last mapped place would overshoot the run.
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let i = self.file_offsets.partition_point(|&(t, _)| t <= offset);
        match i.checked_sub(1).map(|i| self.file_offsets[i]) {
            Some((t, f)) => f + (offset - t),
            None => offset,
        }
    }

    /// A span of `text` as a span of the file as written.
    pub fn file_span(&self, span: Span) -> Span {
        Span::new(self.file_offset(span.start), self.file_offset(span.end))
    }

    /// Line, character column and UTF-16 column of a byte offset (see
    /// [`Position`]). An offset past the end is the end; one inside a
    /// character counts as that character's start.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_starts = self.line_starts();
        let line = match line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let before = &self.text[line_starts[line]..offset];
        Position {
            line: line + 1,
            column: before.chars().count() + 1,
            utf16_column: before.chars().map(char::len_utf16).sum(),
        }
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let p = self.position(offset);
        (p.line, p.column)
    }

    /// Byte offset where a one-based line starts; past the last line,
    /// the end of the text.
    pub fn line_start(&self, line: usize) -> usize {
        line.checked_sub(1)
            .and_then(|i| self.line_starts().get(i))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Byte range of the line holding `offset`, without its newline.
    pub fn line_span(&self, offset: usize) -> Span {
        let (line, _) = self.line_col(offset);
        let line_starts = self.line_starts();
        let start = line_starts[line - 1];
        let end = line_starts
            .get(line)
            .map(|&n| n - 1)
            .unwrap_or(self.text.len());
        // Without the CR of a CRLF.
        let end = if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        Span::new(start, end)
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

/// Every file a load has read, in the order they were read.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
    pub fn len(&self) -> usize {
        self.files.len()
    }
    /// Forgets every file from `len` on.
    pub fn truncate(&mut self, len: usize) {
        self.files.truncate(len);
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Whether a character must not reach a terminal as it is: C0 and C1
/// controls (an ESC can retitle the window or clear the screen, a lone CR
/// overwrite the line), DEL, and the marks, embeddings, overrides and
/// isolates that reorder bidirectional text (U+202E shows text backwards).
/// Line feeds and tabs are layout, not hostile, and pass.
pub fn is_hostile(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        c if c.is_control() => true,
        '\u{061C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// Writes the character `c`, at byte `at` of `text`, as a terminal should
/// get it, and says whether that differs from `c`: a character
/// [`is_hostile`] names becomes its Rust escape (`\u{1b}`, `\u{202e}`,
/// `\r`), as rustc and ripgrep show them, except a CR right before an LF,
/// the end of a line saved with CRLF, which is left out (the LF ends the
/// line). Every printer of text to a terminal goes through here.
pub fn write_for_terminal(text: &str, at: usize, c: char, out: &mut String) -> bool {
    if !is_hostile(c) {
        out.push(c);
        return false;
    }
    if !(c == '\r' && text[at + 1..].starts_with('\n')) {
        out.extend(c.escape_debug());
    }
    true
}

/// Text as it may be printed to a terminal (see [`write_for_terminal`]).
/// Text that needs no change is returned as it is.
pub fn escape_for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_hostile) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (at, c) in text.char_indices() {
        write_for_terminal(text, at, c, &mut out);
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t.rel", None, text.to_string())
    }

    #[test]
    fn positions_count_characters_and_utf16_units() {
        // "é" precomposed (2 bytes, 1 char, 1 unit); "e" + U+0301 combining
        // acute (3 bytes, 2 chars, 2 units); U+1F600 (4 bytes, 1 char,
        // 2 units); "中" (3 bytes, 1 char, 1 unit).
        let f = file("ab\né|e\u{301}|\u{1F600}|中|x");
        let at = |s: &str| f.text.find(s).unwrap();
        let pos = |o| {
            let p = f.position(o);
            (p.line, p.column, p.utf16_column)
        };
        assert_eq!(pos(0), (1, 1, 0));
        assert_eq!(pos(at("b")), (1, 2, 1));
        assert_eq!(pos(at("é")), (2, 1, 0));
        assert_eq!(pos(at("|e")), (2, 2, 1));
        assert_eq!(pos(at("\u{301}")), (2, 4, 3));
        assert_eq!(pos(at("\u{1F600}")), (2, 6, 5));
        assert_eq!(pos(at("|中")), (2, 7, 7));
        assert_eq!(pos(at("中")), (2, 8, 8));
        assert_eq!(pos(at("x")), (2, 10, 10));
        // Inside a character: its start. Past the end: the end.
        assert_eq!(pos(at("\u{1F600}") + 2), (2, 6, 5));
        assert_eq!(pos(1000), (2, 11, 11));
        assert_eq!(f.line_col(at("x")), (2, 10));
    }

    #[test]
    fn cr_lf_and_crlf_all_end_lines() {
        let f = file("a\rb\nc\r\nd");
        assert_eq!(
            f.text, "a\nb\nc\r\nd",
            "a lone CR becomes LF, byte for byte"
        );
        assert_eq!(f.line_col(2), (2, 1));
        assert_eq!(f.line_col(4), (3, 1));
        assert_eq!(f.line_col(7), (4, 1));
        assert_eq!(
            f.line_span(4),
            Span::new(4, 5),
            "the CR of a CRLF is not in the line"
        );
    }

    #[test]
    fn offsets_map_back_to_the_file_as_written() {
        // A byte-order mark, then a bad byte, then two bad bytes in a row.
        let bytes = b"\xEF\xBB\xBFab\xFFcd\xC3\x28e";
        let d = decode(bytes);
        assert_eq!(d.text, "ab\u{FFFD}cd\u{FFFD}(e");
        assert_eq!(d.first_invalid, Some(5));
        let f = SourceFile::from_decoded("t.rel", None, d);
        let in_file = |s: &str| f.file_offset(f.text.find(s).unwrap());
        assert_eq!(in_file("a"), 3);
        assert_eq!(in_file("\u{FFFD}"), 5);
        assert_eq!(in_file("c"), 6);
        assert_eq!(
            in_file("("),
            9,
            "C3 alone is invalid; the 28 after it is `(`"
        );
        assert_eq!(in_file("e"), 10);
        assert_eq!(f.file_offset(f.text.len()), bytes.len());
        // Inside a replaced run's character is at the run's start, and
        // offsets never map backwards (the fuzz harness found a replaced
        // character's middle byte mapped past the text after it).
        let bad = f.text.find('\u{FFFD}').unwrap();
        assert_eq!(f.file_offset(bad + 1), 5);
        assert_eq!(f.file_offset(bad + 2), 5);
        let mapped: Vec<usize> = (0..=f.text.len()).map(|o| f.file_offset(o)).collect();
        assert!(mapped.windows(2).all(|w| w[0] <= w[1]), "{mapped:?}");
        // Valid text with no mark maps to itself.
        let plain = SourceFile::from_decoded("p.rel", None, decode("état".as_bytes()));
        for bytes in [
            &b"\xEF\xBB\xBFstate A \"\xC3\xA9\"\n"[..],
            b"state A \"\xC3\xA9\"\n",
            b"\xEF\xBB\xBFstate A \xFF\n",
            b"state \xC3 A\n",
            b"",
        ] {
            assert_eq!(decode_owned(bytes.to_vec()), decode(bytes));
        }
        assert_eq!(plain.file_offset(3), 3);
    }

    #[test]
    fn hostile_characters_are_escaped_for_terminals() {
        assert_eq!(
            escape_for_terminal("a\u{1b}]0;pwned\u{7}\u{1b}[2J b\u{202E}c\rd\te\nf"),
            "a\\u{1b}]0;pwned\\u{7}\\u{1b}[2J b\\u{202e}c\\rd\te\nf"
        );
        // A file saved with CRLF: its line ends are LF alone; a lone CR is
        // escaped.
        assert_eq!(escape_for_terminal("a\r\nb\r\n"), "a\nb\n");
        assert_eq!(escape_for_terminal("a\r\nb\rc"), "a\nb\\rc");
        assert!(matches!(
            escape_for_terminal("état, 中国, e\u{301}"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
