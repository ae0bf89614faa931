//! What each piece of a text is, for an editor's colours, read from the
//! grammar's own parse: highlighting never disagrees with `grammar/rel.pest`.

use super::keyword;
use super::split;
use super::{RelParser, Rule};
use crate::source::Span;
use pest::iterators::Pair;
use pest::Parser;

/// The classes of text an editor colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenClass {
    Keyword,
    /// An id: an actor, a source, a ladder, a level, a label.
    Id,
    String,
    /// Dates, amounts, percentages, counts.
    Number,
    Comment,
    /// `==`, `<`, `+` in a comparison, `~` `>` `<` before an amount.
    Operator,
}

impl TokenClass {
    pub const ALL: [TokenClass; 6] = [
        TokenClass::Keyword,
        TokenClass::Id,
        TokenClass::String,
        TokenClass::Number,
        TokenClass::Comment,
        TokenClass::Operator,
    ];
}

/// Every classified piece of `text`, in order, not overlapping. A
/// statement that does not parse gets no classes but its comments: an
/// editor then shows it plain, as the checker rejects it.
pub fn highlight(text: &str) -> Vec<(Span, TokenClass)> {
    let mut out = Vec::new();
    for chunk in split::split(text) {
        let (start, end) = (chunk.span.start, chunk.span.end);
        if chunk.problem.is_some() {
            continue;
        }
        if let Ok(pairs) = RelParser::parse(Rule::statement, &text[start..end]) {
            for pair in pairs {
                classify(pair, start, &mut out);
            }
        }
    }
    out.extend(comments(text).into_iter().map(|s| (s, TokenClass::Comment)));
    out.sort_by_key(|(s, _)| s.start);
    out
}

fn class_of(rule: Rule) -> Option<TokenClass> {
    use Rule::*;
    if keyword::is_token(rule) {
        return Some(TokenClass::Keyword);
    }
    Some(match rule {
        actor_kind | attr_key | filter_key | noun | func | relation_change | weekday
        | part_of_day | p_count | p_first | p_last | p_reverse | desc | season | downgrade => {
            TokenClass::Keyword
        }
        string => TokenClass::String,
        when | date | money | amount | number | percent | raw_literal | clock | duration => {
            TokenClass::Number
        }
        ident | who | subject => TokenClass::Id,
        cmp_op | shift_sign | bound => TokenClass::Operator,
        _ => return None,
    })
}

fn classify(pair: Pair<'_, Rule>, offset: usize, out: &mut Vec<(Span, TokenClass)>) {
    if let Some(class) = class_of(pair.as_rule()) {
        let s = pair.as_span();
        out.push((Span::new(offset + s.start(), offset + s.end()), class));
        return;
    }
    for inner in pair.into_inner() {
        classify(inner, offset, out);
    }
}

/// The comments of a text: `#` outside a string, to the end of its line.
fn comments(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let (mut in_string, mut i) = (false, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'\n' => in_string = in_string && !next_line_starts_statement(text, i + 1),
            b'#' if !in_string => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                out.push(Span::new(i, end));
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// A string left open ends where a statement keyword starts a line, as
/// the splitter reads it.
fn next_line_starts_statement(text: &str, at: usize) -> bool {
    split::starts_statement(&text[at.min(text.len())..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_grammar() {
        let text = "visit Xi -> Russia 2025-05-07..10 kind state [cgtn]  # why\n";
        let got: Vec<(&str, TokenClass)> = highlight(text)
            .into_iter()
            .map(|(s, c)| (&text[s.start..s.end], c))
            .collect();
        assert_eq!(
            got,
            vec![
                ("visit", TokenClass::Keyword),
                ("Xi", TokenClass::Id),
                ("Russia", TokenClass::Id),
                ("2025-05-07..10", TokenClass::Number),
                ("kind", TokenClass::Keyword),
                ("state", TokenClass::Id),
                ("cgtn", TokenClass::Id),
                ("# why", TokenClass::Comment),
            ]
        );
    }

    #[test]
    fn a_broken_statement_keeps_only_its_comments() {
        let text = "visit Xi Russia 2025 # no arrow\nstate A \"A\"\n";
        let got = highlight(text);
        assert_eq!(got.first().map(|t| t.1), Some(TokenClass::Comment));
        assert!(got
            .iter()
            .any(|(s, c)| *c == TokenClass::String && &text[s.start..s.end] == "\"A\""));
    }
}
