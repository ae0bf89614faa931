//! A faster reading of the commonest statements: events with plain ids
//! (`visit P0 -> S1 2000-01-01 kind state [src]`).
//!
//! pest stays the grammar of record. This reader accepts a subset of what
//! `grammar/rel.pest` accepts and builds exactly the tree pest's parse
//! would; whenever it meets anything it does not fully handle (a letter
//! beyond ASCII next to an id, a season word, a weekday, a time, a syntax
//! error, a statement of another kind) it gives up and the statement goes
//! to pest, which also writes every syntax error. `tests/properties.rs`
//! proves the two readings equal over every `.rel` file of the repository,
//! the docs' examples, the generated benchmark file and variations of
//! every event it takes; the `fast_path` fuzz target does the same on
//! arbitrary bytes, and `tests/fuzz_replay.rs` replays its corpus.
//!
//! A million-event file is nine tenths such statements, on which pest
//! spends about 19,000 instructions each: reading them here took
//! `rel check` on such a file from 2.84 s to 1.75 s.

use super::ast::*;
use super::unescape;
use crate::source::Span;

/// The statement `body` (one chunk, starting at byte `offset` of its file)
/// holds, if it is an event this reader handles completely; `None` hands
/// it to pest.
pub(super) fn event(body: &str, offset: usize) -> Option<StmtKind> {
    let mut r = Reader {
        text: body,
        bytes: body.as_bytes(),
        at: 0,
        offset,
    };
    let (word_start, word_end) = r.word()?;
    let keyword = r.span(word_start, word_end);
    let kind = match &body[word_start..word_end] {
        "visit" => {
            let visitor = r.who()?;
            r.punct(b'-')?;
            if r.bytes.get(r.at) != Some(&b'>') {
                return None;
            }
            r.at += 1;
            let host = r.ident()?;
            EventKindAst::Visit { visitor, host }
        }
        "meeting" => r.meeting(false)?,
        "call" => r.meeting(true)?,
        "agreement" => {
            let title = r.string()?;
            r.keyword("between")?;
            let parties = r.list(Reader::ident)?;
            if parties.len() < 2 {
                return None;
            }
            EventKindAst::Agreement { title, parties }
        }
        "summit" => EventKindAst::Summit { title: r.string()? },
        "event" => {
            let kind = r.ident()?;
            let title = r.string()?;
            r.keyword("by")?;
            let parties = r.list(Reader::who)?;
            EventKindAst::Other(Box::new(OtherEventAst {
                kind,
                title,
                parties,
            }))
        }
        _ => return None,
    };
    let when = r.when()?;
    let mut attrs = Vec::new();
    let mut cite = Vec::new();
    loop {
        r.trivia();
        match r.bytes.get(r.at) {
            None => break,
            Some(b'[') => {
                r.at += 1;
                cite = r.list(Reader::ident)?;
                r.punct(b']')?;
                r.trivia();
                if r.at != r.bytes.len() {
                    return None;
                }
                break;
            }
            Some(_) => attrs.push(r.attr()?),
        }
    }
    Some(StmtKind::Event(EventAst {
        kind,
        keyword,
        when,
        day: None,
        attrs,
        cite,
    }))
}

/// A cursor over one statement's bytes. Every method skips the blanks and
/// comments before its token, as pest does between the parts of a rule,
/// and returns `None` where pest might read the text differently.
struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    offset: usize,
}

/// A byte that continues an id (XID_CONTINUE, in ASCII).
fn continues_id(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Reader<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.offset + start, self.offset + end)
    }

    /// Blanks (`WHITESPACE`: space, tab to carriage return) and comments.
    fn trivia(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b' ' | b'\t'..=b'\r' => self.at += 1,
                b'#' => {
                    self.at += self.bytes[self.at..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .unwrap_or(self.bytes.len() - self.at)
                }
                _ => break,
            }
        }
    }

    /// The next id-shaped word's bounds. `None` when there is none, or when
    /// it touches a byte beyond ASCII, which may be part of a Unicode id.
    fn word(&mut self) -> Option<(usize, usize)> {
        self.trivia();
        let start = self.at;
        match self.bytes.get(start) {
            Some(b) if b.is_ascii_alphabetic() || *b == b'_' => {}
            _ => return None,
        }
        let len = self.bytes[start..]
            .iter()
            .position(|&b| !continues_id(b))
            .unwrap_or(self.bytes.len() - start);
        self.at = start + len;
        if self.bytes.get(self.at).is_some_and(|b| !b.is_ascii()) {
            return None;
        }
        Some((start, self.at))
    }

    /// `ident`.
    fn ident(&mut self) -> Option<Ident> {
        let (start, end) = self.word()?;
        // An id followed by `@` is an office, which this slot does not take.
        if self.bytes.get(end) == Some(&b'@') {
            return None;
        }
        Some(Ident {
            name: self.text[start..end].into(),
            span: self.span(start, end),
        })
    }

    /// `who`: an id, or an office at a state or body (`minister@Kenya`).
    fn who(&mut self) -> Option<Ident> {
        let (start, mut end) = self.word()?;
        if self.bytes.get(end) == Some(&b'@') {
            self.at = end + 1;
            let (of_start, of_end) = self.word()?;
            // No blank may come between the `@` and the state.
            if of_start != end + 1 || self.bytes.get(of_end) == Some(&b'@') {
                return None;
            }
            end = of_end;
        }
        Some(Ident {
            name: self.text[start..end].into(),
            span: self.span(start, end),
        })
    }

    /// A keyword: the word itself, not a longer id starting with it.
    fn keyword(&mut self, word: &str) -> Option<()> {
        let (start, end) = self.word()?;
        (&self.text[start..end] == word).then_some(())
    }

    /// One punctuation byte.
    fn punct(&mut self, byte: u8) -> Option<()> {
        self.trivia();
        if self.bytes.get(self.at) != Some(&byte) {
            return None;
        }
        self.at += 1;
        Some(())
    }

    /// A comma after blanks: true when there is one, and it is passed;
    /// otherwise nothing is.
    fn comma(&mut self) -> bool {
        let before = self.at;
        self.trivia();
        if self.bytes.get(self.at) == Some(&b',') {
            self.at += 1;
            true
        } else {
            self.at = before;
            false
        }
    }

    /// `item ~ ("," ~ item)*`, in a vector of exactly its length.
    fn list(&mut self, item: fn(&mut Self) -> Option<Ident>) -> Option<Vec<Ident>> {
        let mut items = vec![item(self)?];
        while self.comma() {
            items.push(item(self)?);
        }
        items.shrink_to_fit();
        Some(items)
    }

    /// A string literal, escapes resolved.
    fn string(&mut self) -> Option<Str> {
        self.trivia();
        let start = self.at;
        if self.bytes.get(start) != Some(&b'"') {
            return None;
        }
        let mut i = start + 1;
        loop {
            match *self.bytes.get(i)? {
                b'"' => break,
                // `"\\" ~ ANY`: the escaped character may be several bytes,
                // none of them a quote or a backslash.
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
        self.at = i + 1;
        let raw = self.text.get(start..self.at)?;
        Some(Str {
            value: unescape(raw),
            span: self.span(start, self.at),
        })
    }

    /// A meeting's or call's participants, each perhaps with a capacity.
    fn meeting(&mut self, call: bool) -> Option<EventKindAst> {
        let (mut parties, mut capacities) = (Vec::new(), Vec::new());
        loop {
            parties.push(self.who()?);
            let before = self.at;
            if let Some((start, end)) = self.word() {
                if &self.text[start..end] != "capacity" {
                    return None;
                }
                capacities.push((parties.len() - 1, self.ident()?));
            } else {
                self.at = before;
            }
            if !self.comma() {
                break;
            }
        }
        if parties.len() < 2 {
            return None;
        }
        Some(EventKindAst::Meeting {
            parties,
            capacities,
            call,
        })
    }

    /// Digits joined by `-` or `/`, at most three groups.
    fn date_groups(&mut self) -> Option<()> {
        for group in 0..3 {
            if group > 0 {
                match self.bytes.get(self.at) {
                    Some(b'-' | b'/') => self.at += 1,
                    _ => return Some(()),
                }
            }
            let digits = self.bytes[self.at..]
                .iter()
                .position(|b| !b.is_ascii_digit())
                .unwrap_or(self.bytes.len() - self.at);
            if digits == 0 {
                return None;
            }
            self.at += digits;
        }
        Some(())
    }

    /// `when`, in its numeric forms: a date or a range of dates. A season
    /// word (`early 2025`) goes to pest.
    fn when(&mut self) -> Option<WhenAst> {
        self.trivia();
        let start = self.at;
        self.date_groups()?;
        let start_end = self.at;
        let form = if self.text[self.at..].starts_with("..") {
            self.at += 2;
            let end_start = self.at;
            let end = if self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
                self.date_groups()?;
                Some((
                    self.text[end_start..self.at].into(),
                    self.span(end_start, self.at),
                ))
            } else {
                None
            };
            WhenForm::Range(self.text[start..start_end].into(), end)
        } else {
            WhenForm::Single(self.text[start..start_end].into())
        };
        // `!(ic | date_sep | ".")`.
        match self.bytes.get(self.at) {
            Some(&b) if continues_id(b) || !b.is_ascii() || matches!(b, b'-' | b'/' | b'.') => {
                return None
            }
            _ => {}
        }
        Some(WhenAst {
            form,
            span: self.span(start, self.at),
        })
    }

    /// `attr`: a key and its values.
    fn attr(&mut self) -> Option<Attr> {
        let (start, end) = self.word()?;
        let key = AttrKey::from_word(&self.text[start..end])?;
        let value = self.attr_value()?;
        let mut more = Vec::new();
        while self.comma() {
            more.push(self.attr_value()?);
        }
        Some(Attr {
            key,
            key_span: self.span(start, end),
            value,
            more,
        })
    }

    /// `string | who`.
    fn attr_value(&mut self) -> Option<AttrValue> {
        self.trivia();
        if self.bytes.get(self.at) == Some(&b'"') {
            self.string().map(AttrValue::Str)
        } else {
            self.who().map(AttrValue::Ident)
        }
    }
}
