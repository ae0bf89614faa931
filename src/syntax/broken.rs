//! What a statement that did not parse meant to declare.
//!
//! When `state Chile "Chile" of` fails to parse, every later use of `Chile`
//! would be "unknown actor": one mistake, many errors. The ids such a
//! statement declares are read here, from its words alone, so lowering can
//! leave uses of them unreported: the syntax error is the one real error.

use super::ast::{Declared, DeclaredKind, Ident};
use super::keyword::Keyword;
use super::scan::{scan, Place};
use crate::source::Span;

/// A word outside strings and comments, or a string (as `"`), with its
/// start in the statement.
fn words(body: &str) -> Vec<(usize, &str)> {
    let mut out: Vec<(usize, &str)> = Vec::new();
    let mut word: Option<usize> = None;
    let mut last_end = 0;
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    for b in scan(body, 0) {
        let continues = b.place == Place::Code && is_word(b.byte) && b.at == last_end;
        if !continues {
            if let Some(start) = word.take() {
                out.push((start, &body[start..last_end]));
            }
        }
        last_end = b.at + 1;
        match b.place {
            Place::Code if is_word(b.byte) => {
                word.get_or_insert(b.at);
            }
            Place::Code if !b.byte.is_ascii_whitespace() => out.push((b.at, &body[b.at..b.at + 1])),
            Place::StringStart => out.push((b.at, "\"")),
            _ => {}
        }
    }
    if let Some(start) = word {
        out.push((start, &body[start..last_end]));
    }
    out
}

/// The statement keyword a misspelt first word most likely means, as the
/// syntax error's "did you mean" picks it.
fn misspelt_keyword(body: &str) -> Option<Keyword> {
    let first = body
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()?;
    let words = Keyword::STATEMENT_STARTS.iter().map(|k| k.word());
    let meant = crate::diag::suggest(first, words)?;
    Keyword::STATEMENT_STARTS
        .iter()
        .copied()
        .find(|k| k.word() == meant)
}

fn is_id(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| c == '_' || c.is_alphabetic())
        && word.chars().all(|c| c == '_' || c.is_alphanumeric())
}

/// The ids a statement declares, read from its words; `offset` is the
/// statement's start in its file.
pub fn declared_by(body: &str, offset: usize) -> Vec<Declared> {
    // A misspelt keyword (`stat Bx "B"`) is read as the one the syntax
    // error suggests, so it too declares what it meant to.
    let Some(keyword) = Keyword::starting_statement(body).or_else(|| misspelt_keyword(body)) else {
        return Vec::new();
    };
    let words = words(body);
    let mut out = Vec::new();
    let mut add = |kind, (at, word): (usize, &str)| {
        if is_id(word) {
            out.push(Declared {
                kind,
                id: Ident {
                    name: word.into(),
                    span: Span::new(offset + at, offset + at + word.len()),
                },
            });
        }
    };
    // The sources of a citation, even one left open (`[cgtn`).
    let mut in_citation = false;
    for &(at, word) in &words {
        match word {
            "[" => in_citation = true,
            "]" => in_citation = false,
            "," => {}
            _ if in_citation => add(DeclaredKind::Cited, (at, word)),
            _ => {}
        }
    }
    let second = words.get(1).copied();
    use Keyword::*;
    match keyword {
        State | Person | Org | Bloc => {
            if let Some(w) = second {
                add(DeclaredKind::Actor, w);
            }
            // `aka A, B`
            if let Some(i) = words.iter().position(|w| w.1 == Aka.word()) {
                let mut j = i + 1;
                while let Some(&w) = words.get(j) {
                    add(DeclaredKind::Actor, w);
                    if words.get(j + 1).map(|w| w.1) != Some(",") {
                        break;
                    }
                    j += 2;
                }
            }
        }
        Source => {
            if let Some(w) = second {
                add(DeclaredKind::Source, w);
            }
        }
        Ladder => {
            if let Some(w) = second {
                add(DeclaredKind::Ladder, w);
            }
            // Each rung is an id followed by its name in quotes.
            for pair in words.windows(2).skip(2) {
                if pair[1].1 == "\"" {
                    add(DeclaredKind::Level, pair[0]);
                }
            }
        }
        Visit | Meeting | Call | Elected | Reelected | Agreement | Summit => {
            for pair in words.windows(2) {
                if pair[0].1 == As.word() {
                    add(DeclaredKind::Label, pair[1]);
                }
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(body: &str) -> Vec<(DeclaredKind, String)> {
        declared_by(body, 0)
            .into_iter()
            .map(|d| (d.kind, d.id.name.to_string()))
            .collect()
    }

    #[test]
    fn reads_what_a_broken_statement_declares() {
        use DeclaredKind::*;
        assert_eq!(
            names("state Chile \"Chile\" of"),
            vec![(Actor, "Chile".into())]
        );
        assert_eq!(
            names("person Xi \"Xi # \\\" Jinping\" aka XJP, Xi_ of ("),
            vec![
                (Actor, "Xi".into()),
                (Actor, "XJP".into()),
                (Actor, "Xi_".into())
            ]
        );
        assert_eq!(
            names("ladder l {\n low \"low\"\n high \"high\"\n"),
            vec![
                (Ladder, "l".into()),
                (Level, "low".into()),
                (Level, "high".into())
            ]
        );
        assert_eq!(
            names("visit Xi -> Russia 2019-06-05..07 kind state as moscow2019 ["),
            vec![(Label, "moscow2019".into())]
        );
        // What a broken statement cites counts as cited, an open list too.
        assert_eq!(
            names("visit Xi Russia 2024 [tass, cgtn]"),
            vec![(Cited, "tass".into()), (Cited, "cgtn".into())]
        );
        assert_eq!(
            names("state A \"A [x]\" of [wire, cgtn"),
            vec![
                (Cited, "wire".into()),
                (Cited, "cgtn".into()),
                (Actor, "A".into())
            ]
        );
        assert_eq!(names("stat Bx \"B\""), vec![(Actor, "Bx".into())]);
        assert_eq!(names("state \"Chile\""), vec![]);
        assert_eq!(names("level A~B x since 2001 ("), vec![]);
    }
}
