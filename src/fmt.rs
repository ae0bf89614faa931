//! `rel fmt`: one canonical layout for `.rel` files.
//!
//! The layout: a statement a line, starting in column 0, one space between
//! its words, none inside a citation's brackets or before a comma; an
//! event's attributes in one order ([`ATTRIBUTE_ORDER`]); a range's end
//! written as the docs write it (`2025-05-07..10`); a ladder's levels one a
//! line, indented two spaces, their names aligned; a comment after a
//! statement two spaces after it; at most one blank line in a row, none at
//! the start or end.
//!
//! Formatting is lossless: every comment is kept and the model is the same
//! (strings are copied as written, words are never split or joined). A
//! text with a syntax error is refused: the formatter never guesses what a
//! broken statement meant.

use crate::syntax::ast::{AttrKey, StmtKind};
use crate::syntax::{self, split, SyntaxError};

/// The order an event's attributes are written in: what the event was,
/// who else took part, where, about what, whether it happened, why, and
/// its label last.
pub const ATTRIBUTE_ORDER: [AttrKey; 12] = [
    AttrKey::Kind,
    AttrKey::Mode,
    AttrKey::Capacity,
    AttrKey::Host,
    AttrKey::With,
    AttrKey::InvitedBy,
    AttrKey::At,
    AttrKey::Topics,
    AttrKey::Status,
    AttrKey::Reason,
    AttrKey::During,
    AttrKey::Label,
];

/// The text in the canonical layout, or the syntax errors that keep it
/// from being formatted (offsets in `text`).
pub fn format(text: &str) -> Result<String, Vec<SyntaxError>> {
    let mut out = Output::default();
    let mut errors = Vec::new();
    let mut pos = 0;
    for (chunk, parsed) in split::split(text).zip(syntax::statements(text)) {
        let stmt = match parsed {
            Ok(stmt) => stmt,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        out.gap(&text[pos..chunk.span.start]);
        let (start, end) = (chunk.span.start, chunk.span.end);
        let body = &text[start..end];
        let formatted = match &stmt.kind {
            StmtKind::Ladder { .. } => ladder(body),
            // A string written across lines is kept as written.
            _ if body.contains('\n') => body.to_string(),
            StmtKind::Event(ev) if ev.attrs.len() > 1 => {
                let attrs: Vec<(AttrKey, usize, usize)> = ev
                    .attrs
                    .iter()
                    .map(|a| {
                        let last = a
                            .values()
                            .map(|v| v.span().end)
                            .max()
                            .unwrap_or(a.key_span.end);
                        (a.key, a.key_span.start - start, last - start)
                    })
                    .collect();
                reordered(body, &attrs)
            }
            _ => words(body),
        };
        // A visit's arrow stands between spaces, a figure's flow is one
        // word: `visit Xi -> Russia`, `figure aid Chile->Kenya`.
        let formatted = match &stmt.kind {
            StmtKind::Event(ev) if ev.kind.keyword() == crate::syntax::keyword::Keyword::Visit => {
                arrow(&formatted, " -> ")
            }
            StmtKind::Figure(_) => arrow(&formatted, "->"),
            _ => formatted,
        };
        // The rest of the statement's line: blanks and maybe a comment.
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        let rest = text[end..line_end].trim();
        out.statement(&formatted, rest);
        pos = (line_end + 1).min(text.len());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.gap(&text[pos.min(text.len())..]);
    Ok(out.finish())
}

/// The formatted text, built a line at a time.
#[derive(Default)]
struct Output {
    text: String,
    /// A blank line is owed before the next line written.
    blank: bool,
}

impl Output {
    fn line(&mut self, line: &str) {
        if self.blank && !self.text.is_empty() {
            self.text.push('\n');
        }
        self.blank = false;
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// What lies between statements: comment lines, kept, and blank lines,
    /// at most one in a row.
    fn gap(&mut self, gap: &str) {
        let mut lines = gap.split('\n').peekable();
        while let Some(line) = lines.next() {
            let line = line.trim();
            // The last piece is what precedes the next statement on its own
            // line (its indentation), not a line of its own.
            let whole_line = lines.peek().is_some();
            if !line.is_empty() {
                self.line(line);
            } else if whole_line {
                self.blank = true;
            }
        }
    }

    fn statement(&mut self, formatted: &str, trailing_comment: &str) {
        if trailing_comment.is_empty() {
            self.line(formatted);
        } else {
            self.line(&format!("{formatted}  {trailing_comment}"));
        }
    }

    fn finish(self) -> String {
        self.text
    }
}

/// A piece of a statement's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'a> {
    /// A run of characters that are none of the others: an id, a date, a
    /// keyword, `A~B`, `count(visits`.
    Word(&'a str),
    /// A string literal, quotes and escapes as written.
    Str(&'a str),
    /// `#` to the end of the line.
    Comment(&'a str),
    /// `,`, `[`, `]`, `{` or `}`.
    Punct(char),
}

/// Cuts a statement's text into tokens, with the offset of each.
fn tokens(text: &str) -> Vec<(usize, Token<'_>)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'"' => {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = (j + 1).min(bytes.len());
                out.push((i, Token::Str(&text[i..end])));
                i = end;
            }
            b'#' => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                out.push((i, Token::Comment(text[i..end].trim_end())));
                i = end;
            }
            b',' | b'[' | b']' | b'{' | b'}' if !decimal_comma(bytes, i) => {
                out.push((i, Token::Punct(c as char)));
                i += 1;
            }
            _ => {
                let mut end = i + 1;
                while end < bytes.len() {
                    let b = bytes[end];
                    let stops = b.is_ascii_whitespace()
                        || matches!(b, b'"' | b'#' | b'[' | b']' | b'{' | b'}')
                        || (b == b',' && !decimal_comma(bytes, end));
                    if stops {
                        break;
                    }
                    end += 1;
                }
                // Words end on a character boundary: every byte that stops
                // one is ASCII.
                out.push((i, Token::Word(&text[i..end])));
                i = end;
            }
        }
    }
    out
}

impl Token<'_> {
    /// How many bytes of the text the token covers.
    fn len(&self) -> usize {
        match self {
            Token::Word(s) | Token::Str(s) | Token::Comment(s) => s.len(),
            Token::Punct(_) => 1,
        }
    }
}

/// The statement with its first arrow (before any string or comment)
/// written as `spelled`.
fn arrow(line: &str, spelled: &str) -> String {
    let head_end = line.find(['"', '#']).unwrap_or(line.len());
    let Some(at) = line[..head_end].find("->") else {
        return line.to_string();
    };
    let before = line[..at].trim_end();
    let after = line[at + 2..].trim_start();
    format!("{before}{spelled}{after}")
}

/// A comma between two digits (`244,8bn`) is part of a number as written
/// (lowering explains that the point is `.`), not a list's comma.
fn decimal_comma(bytes: &[u8], at: usize) -> bool {
    bytes[at] == b','
        && at > 0
        && bytes[at - 1].is_ascii_digit()
        && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)
}

/// Tokens joined in the canonical spacing: one space where the text had
/// blanks, and after a comma; none before a comma or `]`, nor after `[`;
/// tokens written together stay together (`"UN reform")`).
fn join(tokens: &[(usize, Token<'_>)]) -> String {
    let mut out = String::new();
    let mut previous: Option<(usize, Token<'_>)> = None;
    for &(at, token) in tokens {
        let touching = previous.is_some_and(|(p_at, p)| {
            p_at + p.len() == at
                && !matches!(p, Token::Punct(_))
                && !matches!(token, Token::Punct(_))
        });
        let tight = touching
            || matches!(token, Token::Punct(',' | ']'))
            || matches!(previous, Some((_, Token::Punct('['))) | None);
        if !tight {
            out.push(' ');
        }
        match token {
            Token::Word(w) => out.push_str(&short_range(w)),
            Token::Str(s) | Token::Comment(s) => out.push_str(s),
            Token::Punct(c) => out.push(c),
        }
        previous = Some((at, token));
    }
    out
}

/// A one-line statement in the canonical spacing.
fn words(text: &str) -> String {
    join(&tokens(text))
}

/// An event with its attributes in [`ATTRIBUTE_ORDER`]. `attrs` gives each
/// attribute's key and the extent of its text in `text`.
fn reordered(text: &str, attrs: &[(AttrKey, usize, usize)]) -> String {
    let first = attrs.iter().map(|a| a.1).min().unwrap_or(text.len());
    let last = attrs.iter().map(|a| a.2).max().unwrap_or(text.len());
    let mut sorted = attrs.to_vec();
    sorted.sort_by_key(|a| ATTRIBUTE_ORDER.iter().position(|k| *k == a.0));
    let mut out = words(&text[..first]);
    for (_, start, end) in sorted {
        out.push(' ');
        out.push_str(&words(&text[start..end]));
    }
    let tail = words(&text[last..]);
    if !tail.is_empty() {
        if !tail.starts_with(',') {
            out.push(' ');
        }
        out.push_str(&tail);
    }
    out
}

/// A range's end as the docs write it, without what it shares with the
/// start: `2025-05-07..2025-05-10` is `2025-05-07..10`. Any other word is
/// returned as it is.
fn short_range(word: &str) -> std::borrow::Cow<'_, str> {
    let Some((start, end)) = word.split_once("..") else {
        return word.into();
    };
    let is_date = |s: &str| {
        let parts: Vec<&str> = s.split('-').collect();
        parts.len() <= 3
            && parts[0].len() == 4
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            && parts[1..].iter().all(|p| p.len() == 2)
    };
    if !is_date(start) || !is_date(end) || start.len() != end.len() || start.len() == 4 {
        return word.into();
    }
    // Drop the leading groups the end shares with the start, keeping at
    // least the last group.
    let (s, e): (Vec<&str>, Vec<&str>) = (start.split('-').collect(), end.split('-').collect());
    let shared = s
        .iter()
        .zip(&e)
        .take_while(|(a, b)| a == b)
        .count()
        .min(e.len() - 1);
    if shared == 0 {
        return word.into();
    }
    format!("{start}..{}", e[shared..].join("-")).into()
}

/// A ladder: its header, its levels one a line with their names aligned,
/// comments where they stood, and the closing brace.
fn ladder(text: &str) -> String {
    let toks = tokens(text);
    let open = toks.iter().position(|t| t.1 == Token::Punct('{'));
    let close = toks.iter().rposition(|t| t.1 == Token::Punct('}'));
    let (Some(open), Some(close)) = (open, close) else {
        return words(text);
    };
    let line_of = |offset: usize| text[..offset].matches('\n').count();
    // Levels (id and name) and comments, in order.
    enum Item<'a> {
        Level(&'a str, &'a str, Option<&'a str>),
        Comment(&'a str),
    }
    let mut items = Vec::new();
    let inner = &toks[open + 1..close];
    let mut i = 0;
    while i < inner.len() {
        match inner[i] {
            (at, Token::Word(id)) => {
                let name = match inner.get(i + 1) {
                    Some((_, Token::Str(s))) => s,
                    _ => "",
                };
                i += if name.is_empty() { 1 } else { 2 };
                // A comment on the level's own line stays after it.
                let comment = match inner.get(i) {
                    Some(&(c_at, Token::Comment(c))) if line_of(c_at) == line_of(at) => {
                        i += 1;
                        Some(c)
                    }
                    _ => None,
                };
                items.push(Item::Level(id, name, comment));
            }
            (_, Token::Comment(c)) => {
                items.push(Item::Comment(c));
                i += 1;
            }
            _ => i += 1,
        }
    }
    let width = items
        .iter()
        .map(|it| match it {
            Item::Level(id, ..) => id.chars().count(),
            Item::Comment(_) => 0,
        })
        .max()
        .unwrap_or(0);
    let mut out = join(&toks[..=open]);
    for it in items {
        out.push_str("\n  ");
        match it {
            Item::Level(id, name, comment) => {
                let pad = width - id.chars().count();
                out.push_str(&format!("{id}{} {name}", " ".repeat(pad)));
                if let Some(c) = comment {
                    out.push_str(&format!("  {c}"));
                }
            }
            Item::Comment(c) => out.push_str(c),
        }
    }
    out.push_str("\n}");
    // A comment after the closing brace on its line.
    if let Some((_, Token::Comment(c))) = toks.get(close + 1) {
        out.push_str(&format!("  {c}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        format(text).expect("the text parses")
    }

    #[test]
    fn spacing_is_canonical() {
        assert_eq!(
            fmt("visit   Xi -> Russia  2025-05-07..2025-05-10 [ a ,b ]   # why\n"),
            "visit Xi -> Russia 2025-05-07..10 [a, b]  # why\n"
        );
    }

    #[test]
    fn attributes_come_in_one_order() {
        assert_eq!(
            fmt("visit Xi -> Russia 2025 as m reason \"r\" kind state at \"Moscow\"\n"),
            "visit Xi -> Russia 2025 kind state at \"Moscow\" reason \"r\" as m\n"
        );
    }

    #[test]
    fn ladders_are_aligned_and_comments_kept() {
        let text = "ladder l { a \"A\" # low\n longer \"B\"\n # top next\n}\n";
        assert_eq!(
            fmt(text),
            "ladder l {\n  a      \"A\"  # low\n  longer \"B\"\n  # top next\n}\n"
        );
    }

    #[test]
    fn blank_lines_collapse_and_comments_stay() {
        let text = "\n\n# head\n\n\n\nstate A \"A\"\n  # indented\n\n\n";
        assert_eq!(fmt(text), "# head\n\nstate A \"A\"\n# indented\n");
    }

    #[test]
    fn ranges_are_written_short() {
        assert_eq!(short_range("2025-05-07..2025-05-10"), "2025-05-07..10");
        assert_eq!(short_range("2025-05-28..2025-06-02"), "2025-05-28..06-02");
        assert_eq!(short_range("2025-05..2025-07"), "2025-05..07");
        assert_eq!(
            short_range("2022-10-27..2023-10-04"),
            "2022-10-27..2023-10-04"
        );
        assert_eq!(short_range("2015..2025"), "2015..2025");
        assert_eq!(short_range("2013-03-22.."), "2013-03-22..");
    }

    #[test]
    fn arrows_are_spaced_as_the_docs_write_them() {
        assert_eq!(fmt("visit Xi->Russia 2025\n"), "visit Xi -> Russia 2025\n");
        assert_eq!(
            fmt("visit Xi  ->Russia 2025\n"),
            "visit Xi -> Russia 2025\n"
        );
        assert_eq!(
            fmt("figure aid A -> B 2024 5m USD\n"),
            "figure aid A->B 2024 5m USD\n"
        );
    }

    #[test]
    fn a_syntax_error_is_refused() {
        assert!(format("visit Xi Russia 2025\n").is_err());
    }

    #[test]
    fn formatting_twice_changes_nothing() {
        let text = "state A \"A\"   aka  B\nvisit A -> A 2025 reason \"x\" kind state\n";
        let once = fmt(text);
        assert_eq!(fmt(&once), once);
    }
}
