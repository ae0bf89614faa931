//! Syntax: the only stage that knows about pest.
//!
//! [`statements`] splits a text into statements and parses each into the
//! tree in [`ast`], with byte spans relative to the whole text.
//! [`parse_query_line`] parses a query or comparison for the REPL and
//! `rel query`.

pub mod ast;
mod broken;
mod fast;
pub mod highlight;
pub mod keyword;
mod parts;
pub mod scan;
pub mod split;
mod statement;
mod when;

use crate::diag::or_list;
use crate::diag::{suggest, Code};
use crate::source::Span;
use ast::*;
use keyword::{words, Keyword};
use parts::{grammar_disagrees, Parts};
use pest::iterators::Pair;
use pest::Parser;
use split::{Chunk, Problem};

pub use split::is_incomplete;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rel.pest"]
struct RelParser;

/// A statement that did not parse: where, what, and a likely fix.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub code: Code,
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    /// The ids the statement meant to declare (`state Chile …` declares
    /// `Chile`): their uses are not reported again as unknown.
    pub declares: Vec<ast::Declared>,
}

impl SyntaxError {
    /// The diagnostic for this error, in `file`.
    pub fn into_diagnostic(self, file: crate::source::FileId) -> crate::diag::Diagnostic {
        let d =
            crate::diag::Diagnostic::new(self.code, self.message).at(file, self.span, self.label);
        match self.help {
            Some(h) => d.help(h),
            None => d,
        }
    }
}

/// Parses every statement of `text`, in order. Each item is a statement or
/// the error that kept it from parsing; errors never stop the iteration.
pub fn statements(text: &str) -> impl Iterator<Item = Result<Statement, SyntaxError>> + '_ {
    split::split(text).map(move |chunk| parse_chunk(text, chunk))
}

/// Every statement of `text` that the splitter passed whole, read both
/// ways: by the fast reader (`None` where it hands the statement on) and by
/// pest alone. This is for the test that proves the fast reader gives
/// exactly pest's result; loading uses [`statements`].
#[doc(hidden)]
pub fn read_both_ways(
    text: &str,
) -> impl Iterator<Item = (Option<StmtKind>, Result<Statement, SyntaxError>)> + '_ {
    split::split(text)
        .filter(|chunk| chunk.problem.is_none())
        .map(move |chunk| {
            let body = &text[chunk.span.start..chunk.span.end];
            (
                fast::event(body, chunk.span.start),
                parse_with_pest(body, chunk.span),
            )
        })
}

/// Below this size a file is parsed on one thread: starting threads costs
/// more than it saves.
const PARALLEL_THRESHOLD: usize = 1 << 20;

/// The statements of one part of a text, in order: those whose trees are
/// kept, and the events that declare nothing, not yet read (see
/// [`parse_parts`]).
#[derive(Debug, Default)]
pub struct Part {
    pub statements: Vec<Statement>,
    /// Spans of events that declare nothing (no label), in order, not yet
    /// read: [`deferred_event`] reads each when it is needed.
    pub plain_events: Vec<Span>,
}

/// Like [`statements`], collected and separated, using every core on large
/// texts. The statements come in parts, in order; joined they are exactly
/// the statements [`statements`] gives (they are not copied into one vector:
/// for a million statements that copy alone is hundreds of megabytes).
///
/// A line that starts in column 0 with a statement keyword, and could not
/// close a string left open above it, always begins a statement (see
/// [`split`]), so the text is cut at such lines into one part a thread, and
/// each part is split and parsed on its own.
pub fn parse_all(text: &str) -> (Vec<Vec<Statement>>, Vec<SyntaxError>) {
    let (parts, errors) =
        parse_in_parts(text, crate::parallel::threads(), PARALLEL_THRESHOLD, false);
    (parts.into_iter().map(|p| p.statements).collect(), errors)
}

/// Like [`parse_all`], in [`Part`]s. With `defer`, an event that declares
/// nothing (no label: most statements of a large file) is not read here
/// and keeps only its span: lowering reads it with [`deferred_event`]
/// when it needs it, and drops that tree at once. Syntax trees of a
/// million events would take several times the file's size, and reading
/// each event once rather than twice saves a sixth of `rel check`'s work
/// on such a file. Such an event's syntax error comes from that reading.
pub fn parse_parts(text: &str, defer: bool) -> (Vec<Part>, Vec<SyntaxError>) {
    parse_in_parts(text, crate::parallel::threads(), PARALLEL_THRESHOLD, defer)
}

/// The event at `span` of `text`, if the fast reader takes it whole
/// (`None` hands it to pest: see [`deferred_event`]).
pub fn plain_event(text: &str, span: Span) -> Option<EventAst> {
    match fast::event(text.get(span.start..span.end)?, span.start)? {
        StmtKind::Event(ev) => Some(ev),
        _ => None,
    }
}

/// The event at `span` of `text`, which [`parse_parts`] deferred, read by
/// the fast reader or else by pest, as [`statements`] reads it; or its
/// syntax error, with what it meant to declare (only the sources it
/// cites: an event deferred has no label).
pub fn deferred_event(text: &str, span: Span) -> Result<EventAst, SyntaxError> {
    if let Some(ev) = plain_event(text, span) {
        return Ok(ev);
    }
    let stmt = parse_chunk(
        text,
        Chunk {
            span,
            problem: None,
        },
    )?;
    match stmt.kind {
        StmtKind::Event(ev) => Ok(ev),
        // An event's keyword begins it (`declares_nothing`), and that
        // keyword's rule is the only one a statement may then match.
        _ => unreachable!("a statement deferred as an event read as another kind"),
    }
}

/// Statements average well over 16 bytes; reserving for that many keeps the
/// vector from being copied as it grows, and pages never written are never
/// touched. A plain event is well over 32 bytes.
fn collect_part(
    text: &str,
    len: usize,
    chunks: impl Iterator<Item = Chunk>,
    defer: bool,
) -> (Part, Vec<SyntaxError>) {
    let mut part = Part::default();
    if defer {
        part.plain_events.reserve(len / 32 + 1);
    } else {
        part.statements.reserve(len / 16 + 1);
    }
    let mut errors = Vec::new();
    for chunk in chunks {
        if defer
            && chunk.problem.is_none()
            && (declares_nothing(&text[chunk.span.start..chunk.span.end])
                || is_plain_unlabelled(text, chunk.span))
        {
            part.plain_events.push(chunk.span);
            continue;
        }
        match parse_chunk(text, chunk) {
            Ok(s) => part.statements.push(s),
            Err(e) => errors.push(e),
        }
    }
    (part, errors)
}

/// True when `body` is an event that declares nothing, however it reads
/// and even if it does not parse: it begins with the keyword of an event
/// the fast reader knows, and has no `as` outside strings and comments
/// where a label could begin (`as` after a letter or `_` ends a longer
/// word). A look at the bytes, far cheaper than reading the statement;
/// what it cannot tell goes to [`is_plain_unlabelled`].
fn declares_nothing(body: &str) -> bool {
    use Keyword::*;
    if !matches!(
        Keyword::starting_statement(body),
        Some(Visit | Meeting | Call | Agreement | Summit | Event)
    ) {
        return false;
    }
    let bytes = body.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut from = 0;
    while let Some(i) = scan::find_in_code(bytes, from, b'a') {
        if bytes.get(i + 1) == Some(&b's')
            && !bytes.get(i + 2).is_some_and(|&b| word(b))
            && !(i > 0 && (bytes[i - 1].is_ascii_alphabetic() || bytes[i - 1] == b'_'))
        {
            return false;
        }
        from = i + 1;
    }
    true
}

/// True when the fast reader takes the statement at `span` whole and it
/// has no label: a label must be declared with the statements sorted
/// first, so a labelled event keeps its tree.
fn is_plain_unlabelled(text: &str, span: Span) -> bool {
    plain_event(text, span).is_some_and(|ev| ev.attrs.iter().all(|a| a.key != AttrKey::Label))
}

fn parse_in_parts(
    text: &str,
    threads: usize,
    threshold: usize,
    defer: bool,
) -> (Vec<Part>, Vec<SyntaxError>) {
    if threads < 2 || text.len() < threshold {
        let (part, errors) = collect_part(text, text.len(), split::split(text), defer);
        return (vec![part], errors);
    }
    let mut bounds = vec![0];
    for k in 1..threads {
        let from = (text.len() * k / threads).max(*bounds.last().unwrap_or(&0));
        if let Some(at) = statement_line_at_or_after(text, from) {
            if at > *bounds.last().unwrap_or(&0) {
                bounds.push(at);
            }
        }
    }
    bounds.push(text.len());
    let parts: Vec<(Part, Vec<SyntaxError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = bounds
            .windows(2)
            .map(|w| {
                let (start, end) = (w[0], w[1]);
                scope.spawn(move || {
                    let chunks = split::split(&text[start..end]).map(|mut chunk| {
                        chunk.span = chunk.span.shift(start);
                        chunk.problem = chunk.problem.map(|p| p.shift(start));
                        chunk
                    });
                    collect_part(text, end - start, chunks, defer)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut oks = Vec::with_capacity(parts.len());
    let mut errors = Vec::new();
    for (o, e) in parts {
        oks.push(o);
        errors.extend(e);
    }
    (oks, errors)
}

/// The start of the first line at or after `from` that begins a statement
/// whatever precedes it (see [`split::always_starts_statement`]).
fn statement_line_at_or_after(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    // Move to the start of the next line unless already at one.
    if i > 0 && bytes.get(i - 1) != Some(&b'\n') {
        i += bytes[i..].iter().position(|&b| b == b'\n')? + 1;
    }
    while i < bytes.len() {
        if split::always_starts_statement(text, i) {
            return Some(i);
        }
        i += bytes[i..].iter().position(|&b| b == b'\n')? + 1;
    }
    None
}

fn parse_chunk(text: &str, chunk: Chunk) -> Result<Statement, SyntaxError> {
    let (start, end) = (chunk.span.start, chunk.span.end);
    parse_chunk_alone(text, chunk).map_err(|mut e| {
        // A statement too long to parse is read no further than the
        // limit for what it declares: the words of fifty megabytes would
        // take more memory than parsing them was refused for.
        let mut until = end.min(start + split::MAX_STATEMENT_BYTES);
        while !text.is_char_boundary(until) {
            until -= 1;
        }
        e.declares = broken::declared_by(&text[start..until], start);
        e
    })
}

fn parse_chunk_alone(text: &str, chunk: Chunk) -> Result<Statement, SyntaxError> {
    let body = &text[chunk.span.start..chunk.span.end];
    match chunk.problem {
        Some(Problem::TooLong { at, len }) => return Err(too_long(text, at, len, false)),
        Some(Problem::TooManyItems(at)) => return Err(too_many_items(text, at, false)),
        Some(Problem::TooDeep(at)) => {
            return Err(SyntaxError {
                code: Code::TooDeep,
                span: Span::new(at, at + 1),
                message: format!("brackets nest more than {} deep", split::MAX_DEPTH),
                label: "this one is too deep".into(),
                help: Some("split the statement or query into simpler ones".into()),
                declares: Vec::new(),
            })
        }
        Some(Problem::UnterminatedString(at)) => {
            return Err(SyntaxError {
                code: Code::UnterminatedString,
                span: Span::new(at, at + 1),
                message: "this string is never closed".into(),
                label: "string starts here".into(),
                help: Some("add the closing `\"`".into()),
                declares: Vec::new(),
            })
        }
        Some(Problem::UnclosedBlock(at)) => {
            return Err(SyntaxError {
                code: Code::UnclosedBlock,
                span: Span::new(at, at + 1),
                message: "this block is never closed".into(),
                label: "block opens here".into(),
                help: Some("add a `}` on a line of its own after the block's last line".into()),
                declares: Vec::new(),
            })
        }
        None => {}
    }
    if let Some(kind) = fast::event(body, chunk.span.start) {
        return Ok(Statement {
            kind,
            span: chunk.span,
        });
    }
    parse_with_pest(body, chunk.span)
}

/// A statement's reading by pest alone, which the fast reader must equal.
fn parse_with_pest(body: &str, span: Span) -> Result<Statement, SyntaxError> {
    let b = Builder { offset: span.start };
    // The first word names the statement, so pest parses that rule alone instead of trying every alternative in turn. It must consume
    // the whole statement; anything else goes the slow way, through
    // `statement`, whose errors say what was expected.
    //
    // When the statement's own rule fails, its error is the one to report:
    // it stops at the token that is wrong (`visit Xi Russia` lacks the `->`
    // before `Russia`), where `statement`, having tried every alternative,
    // gives up at the first word.
    let mut own_error = None;
    if let Some(rule) = rule_for_keyword(body) {
        match RelParser::parse(rule, body) {
            Ok(mut pairs) => {
                if let Some(pair) = pairs.next() {
                    let end = pair.as_span().end();
                    if only_trivia(&body[end..]) {
                        return Ok(Statement {
                            kind: b.statement(pair),
                            span,
                        });
                    }
                }
            }
            Err(e) => own_error = Some(e),
        }
    }
    let pairs = RelParser::parse(Rule::statement, body).map_err(|e| {
        let e = match own_error {
            Some(own) if error_pos(&own) > error_pos(&e) => own,
            _ => e,
        };
        syntax_error(e, body, span.start, false)
    })?;
    let stmt = Parts::of(Parts::parsed(pairs, Rule::statement).required()).required();
    Ok(Statement {
        kind: b.statement(stmt),
        span,
    })
}

/// Thousands separators for a count in a message: `262,144`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A statement or query line longer than [`split::MAX_STATEMENT_BYTES`],
/// reported at its first token; `text` holds it at `at`.
fn too_long(text: &str, at: usize, len: usize, query: bool) -> SyntaxError {
    let (first, _) = token_at(text, at);
    let what = if query { "query" } else { "statement" };
    SyntaxError {
        code: Code::StatementTooLong,
        span: Span::new(at, at + first.max(1).min(text.len() - at)),
        message: format!(
            "this {what} is {} bytes long, more than the {} a {what} may have",
            thousands(len),
            thousands(split::MAX_STATEMENT_BYTES)
        ),
        label: format!("this {what} is too long to parse"),
        help: Some(if query {
            "ask a shorter query: filters name one actor each, and pipes narrow the answer".into()
        } else {
            "split it into several statements: a long list of names (`aka`, `of`) or sources \
             becomes one statement for each part, or a file generated by a script \
             writes one fact a line"
                .into()
        }),
        declares: Vec::new(),
    }
}

/// A statement or query line with more than [`split::MAX_ITEMS`] items,
/// reported at the first item past the limit (at `at` in `text`).
fn too_many_items(text: &str, at: usize, query: bool) -> SyntaxError {
    let (len, _) = token_at(text, at);
    let what = if query { "query" } else { "statement" };
    SyntaxError {
        code: Code::TooManyItems,
        span: Span::new(at, at + len.max(1).min(text.len() - at)),
        message: format!(
            "this {what} has more than {} items (words, numbers, strings)",
            thousands(split::MAX_ITEMS)
        ),
        label: format!("item {} starts here", thousands(split::MAX_ITEMS + 1)),
        help: Some(if query {
            "ask several shorter queries".into()
        } else {
            "split the list into several statements, each with a part of it".into()
        }),
        declares: Vec::new(),
    }
}

/// The rule a statement starting with this keyword must match.
fn rule_for_keyword(body: &str) -> Option<Rule> {
    Keyword::starting_statement(body).and_then(Keyword::statement_rule)
}

/// True when only whitespace and comments remain.
fn only_trivia(rest: &str) -> bool {
    rest.lines().all(|l| {
        let t = l.trim_start();
        t.is_empty() || t.starts_with('#')
    })
}

/// Parses a query (`visits by Xi | count`) or a comparison
/// (`count(visits by Xi) >= 2`). `offset` is added to every span.
pub fn parse_query_line(text: &str, offset: usize) -> Result<QueryLine, SyntaxError> {
    let shifted = |mut e: SyntaxError| {
        e.span = e.span.shift(offset);
        e
    };
    match scan::too_large(text) {
        Some(scan::TooLarge::Bytes(len)) => return Err(shifted(too_long(text, 0, len, true))),
        Some(scan::TooLarge::Items(at)) => return Err(shifted(too_many_items(text, at, true))),
        None => {}
    }
    if let Some(at) = scan::too_deep(text) {
        return Err(SyntaxError {
            code: Code::TooDeep,
            span: Span::new(offset + at, offset + at + 1),
            message: format!("brackets nest more than {} deep", split::MAX_DEPTH),
            label: "this one is too deep".into(),
            help: Some("write the query with fewer parentheses".into()),
            declares: Vec::new(),
        });
    }
    let pairs = RelParser::parse(Rule::query_line, text)
        .map_err(|e| syntax_error(e, text, offset, true))?;
    let b = Builder { offset };
    let inner = pairs
        .into_iter()
        .next()
        .and_then(|p| p.into_inner().next())
        .unwrap_or_else(|| grammar_disagrees(Rule::query_line));
    Ok(match inner.as_rule() {
        Rule::comparison => QueryLine::Comparison(b.comparison(inner)),
        _ => QueryLine::Query(b.query(inner)),
    })
}

/// Nouns a syntax error names as examples of a query's start.
const QUERY_EXAMPLES: &[Keyword] = &[
    Keyword::Visits,
    Keyword::Meetings,
    Keyword::Events,
    Keyword::Level,
    Keyword::History,
    Keyword::Trade,
    Keyword::Statements,
    Keyword::Actors,
];

/// Filter keys a syntax error names as examples.
const FILTER_EXAMPLES: &[Keyword] = &[
    Keyword::By,
    Keyword::To,
    Keyword::Of,
    Keyword::With,
    Keyword::In,
    Keyword::Since,
    Keyword::Until,
    Keyword::On,
];

/// What a rule is called in messages.
fn describe(rule: Rule) -> Option<String> {
    Some(match rule {
        Rule::ident | Rule::subject => "an id".into(),
        Rule::string => "a quoted string".into(),
        Rule::date | Rule::date_start | Rule::when | Rule::fuzzy | Rule::tenure => "a date".into(),
        Rule::range_end => "the end of the range".into(),
        Rule::season => or_list(&crate::date::Season::ALL.map(crate::date::Season::word)),
        Rule::number => "a number".into(),
        Rule::money | Rule::amount => "an amount such as 244.8bn".into(),
        Rule::percent => "a percentage such as +1.9%".into(),
        Rule::pair => "a pair such as China~Russia".into(),
        Rule::citation => "a citation such as [source]".into(),
        Rule::actor_list | Rule::party_list => "two or more ids separated by commas".into(),
        Rule::attr | Rule::attr_key => {
            format!("an attribute ({})", words(Keyword::ATTRIBUTES).join(", "))
        }
        Rule::rung => "a level: an id and a \"display name\"".into(),
        Rule::yoy => quoted(Keyword::Yoy),
        Rule::via => quoted(Keyword::Via),
        Rule::on_ladder => quoted(Keyword::On),
        Rule::downgrade => quoted(Keyword::Downgrade),
        Rule::published => quoted(Keyword::Published),
        Rule::url => quoted(Keyword::Url),
        Rule::aka => quoted(Keyword::Aka),
        Rule::of_actor => quoted(Keyword::Of),
        Rule::about => quoted(Keyword::About),
        Rule::since => quoted(Keyword::Since),
        Rule::until => quoted(Keyword::Until),
        Rule::capacity => quoted(Keyword::Capacity),
        Rule::actor_kind => or_list(&words(Keyword::ACTOR_KINDS)),
        Rule::relation_change => or_list(&words(Keyword::RELATION_CHANGES)),
        // An office (`president@Chile`) is one more form of id.
        Rule::who | Rule::who_list => "an id".into(),
        Rule::figure_of | Rule::flow => "a pair (A~B), a flow (A->B) or an actor".into(),
        Rule::unit => "a unit such as USD".into(),
        Rule::in_host => quoted(Keyword::In),
        Rule::body_kind => quoted(Keyword::Kind),
        Rule::succeeded_by => quoted(Keyword::SucceededBy),
        Rule::operand | Rule::noun_call => {
            format!("a query ({}, ...)", words(QUERY_EXAMPLES).join(", "))
        }
        Rule::shift => "a length of time such as + 15d".into(),
        Rule::EOI => "the end of the statement".into(),
        Rule::t_arrow => "`->`".into(),
        Rule::t_open => "`{`".into(),
        Rule::t_close => "`}`".into(),
        Rule::t_comma => "`,` and another participant".into(),
        Rule::cmp_op => "a comparison (==, !=, <, <=, >, >=)".into(),
        Rule::literal | Rule::raw_literal => "a value".into(),
        Rule::query | Rule::primary | Rule::base_query | Rule::noun | Rule::call_expr => {
            format!("a query ({}, ...)", words(QUERY_EXAMPLES).join(", "))
        }
        Rule::func => or_list(&words(Keyword::FUNCTIONS)),
        Rule::filter | Rule::filter_key => {
            format!("a filter ({}, ...)", words(FILTER_EXAMPLES).join(", "))
        }
        Rule::pipe => format!(
            "a pipe step ({}, .field)",
            words(Keyword::PIPE_STEPS).join(", ")
        ),
        Rule::field => "a field such as .date".into(),
        Rule::desc => or_list(&words(Keyword::SORT_ORDERS)),
        // The remaining keyword rules (`k_<word>`) are named by their word.
        _ => return Keyword::of_token(rule).map(quoted),
    })
}

/// The attributes an event statement takes, for an error in one:
/// `an attribute (kind, at, as, reason, host)`.
fn attributes_of(statement: Keyword) -> Option<String> {
    let taken: Vec<&str> = crate::syntax::ast::AttrKey::taken_by(statement)
        .map(|k| k.word())
        .collect();
    (!taken.is_empty()).then(|| format!("an attribute ({})", taken.join(", ")))
}

/// A keyword as messages show it: `` `yoy` ``.
fn quoted(keyword: Keyword) -> String {
    format!("`{}`", keyword.word())
}

/// What a statement starts with, for the help of a wrong first word.
/// `reelected` is `elected` again and is not listed on its own.
fn statement_start_help() -> String {
    let starts: Vec<&str> = Keyword::STATEMENT_STARTS
        .iter()
        .filter(|k| **k != Keyword::Reelected)
        .map(|k| k.word())
        .collect();
    format!("a statement starts with a keyword: {}", or_list(&starts))
}

/// What a query starts with, for the help of a wrong first word.
fn query_start_help() -> String {
    let functions: Vec<String> = Keyword::FUNCTIONS
        .iter()
        .map(|f| format!("{}(...)", f.word()))
        .collect();
    format!(
        "a query starts with what it asks for: {}, or {}",
        words(Keyword::QUERY_NOUNS).join(", "),
        functions.join(", ")
    )
}

/// The token starting at `pos`: a word, or one character.
fn token_at(body: &str, pos: usize) -> (usize, &str) {
    let rest = &body[pos..];
    let mut end = rest
        .find(|c: char| c.is_whitespace() || !(c.is_alphanumeric() || "_.-+%".contains(c)))
        .unwrap_or(rest.len());
    if end == 0 {
        end = rest.chars().next().map(char::len_utf8).unwrap_or(0);
    }
    (end, &rest[..end])
}

/// Where a pest error stopped.
fn error_pos(e: &pest::error::Error<Rule>) -> usize {
    match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

fn syntax_error(
    e: pest::error::Error<Rule>,
    body: &str,
    offset: usize,
    query: bool,
) -> SyntaxError {
    let pos = error_pos(&e).min(body.len());
    let (len, token) = token_at(body, pos);
    let found = if token.is_empty() {
        if query {
            "the end of the query"
        } else {
            "the end of the statement"
        }
        .to_string()
    } else {
        format!("`{}`", token.chars().take(40).collect::<String>())
    };
    let positives = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        pest::error::ErrorVariant::CustomError { .. } => vec![],
    };
    // Wrong from the first token: it is not the start of any statement or
    // query, so say what one starts with rather than list every rule.
    let at_statement_start = !query && pos == 0;
    let at_query_start = query && body[..pos].trim().is_empty();
    let (expected, help) = if at_query_start {
        let help = suggest(token, keyword::QUERY_START_WORDS.iter().copied())
            .map(|k| format!("did you mean `{k}`?"))
            .unwrap_or_else(query_start_help);
        ("a query".to_string(), Some(help))
    } else if at_statement_start {
        let word = token;
        let help = suggest(word, keyword::STATEMENT_WORDS.iter().copied())
            .map(|k| format!("did you mean `{k}`?"))
            .or_else(|| Some(statement_start_help()));
        ("a statement".to_string(), help)
    } else {
        let mut seen: Vec<String> = Vec::new();
        let statement = (!query)
            .then(|| Keyword::starting_statement(body))
            .flatten();
        for name in positives.iter().filter_map(|r| match r {
            Rule::EOI if query => Some("the end of the query".to_string()),
            Rule::attr | Rule::attr_key => statement.map_or_else(|| describe(*r), attributes_of),
            _ => describe(*r),
        }) {
            if !seen.contains(&name) {
                seen.push(name);
            }
        }
        let expected = if seen.is_empty() {
            "something else".to_string()
        } else {
            or_list(&seen)
        };
        // A misspelt word where a keyword may stand: suggest the keyword
        // (`knd` after an event's date, `abuot` in a statement).
        let wanted: Vec<&str> = positives
            .iter()
            .flat_map(|r| match r {
                Rule::attr | Rule::attr_key => statement
                    .map(|k| {
                        crate::syntax::ast::AttrKey::taken_by(k)
                            .map(|a| a.word())
                            .collect()
                    })
                    .unwrap_or_default(),
                Rule::relation_change => words(Keyword::RELATION_CHANGES),
                Rule::filter | Rule::filter_key => words(Keyword::FILTER_KEYS),
                _ => Keyword::of_token(*r)
                    .map(|k| vec![k.word()])
                    .unwrap_or_default(),
            })
            .collect();
        let help = (token.chars().all(|c| c.is_alphanumeric() || c == '_') && !token.is_empty())
            .then(|| suggest(token, wanted.iter().copied()))
            .flatten()
            .map(|k| format!("did you mean `{k}`?"))
            .or_else(|| {
                // A weekday where none may stand: only an event's date takes one.
                crate::date::weekday_index(token).map(|_| {
                    "a weekday may follow only an event's date (a visit, meeting, call, event…); leave it out here".to_string()
                })
            });
        (expected, help)
    };
    // At the end there is no token to underline: point at the last
    // character written, and say the missing part goes after it.
    let at_end = body[pos..].trim().is_empty();
    let last = body[..pos].trim_end();
    let (span, label) = match last.chars().next_back() {
        Some(c) if at_end => (
            Span::new(offset + last.len() - c.len_utf8(), offset + last.len()),
            format!("expected {expected} after this"),
        ),
        _ => (
            Span::new(offset + pos, offset + pos + len),
            format!("expected {expected} here"),
        ),
    };
    SyntaxError {
        code: Code::Syntax,
        span,
        message: format!("expected {expected}, found {found}"),
        label,
        help,
        declares: Vec::new(),
    }
}

/// Turns pest pairs into the syntax tree, adding the statement's offset to
/// every span.
struct Builder {
    offset: usize,
}

fn unescape(raw: &str) -> String {
    let inner = &raw[1..raw.len() - 1];
    // Most strings escape nothing: copied whole.
    if !inner.contains('\\') {
        return inner.to_string();
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Builder {
    fn span(&self, p: &Pair<'_, Rule>) -> Span {
        let s = p.as_span();
        Span::new(s.start() + self.offset, s.end() + self.offset)
    }

    /// The span of a rule that may end with a repetition: pest takes in
    /// the blanks before a repetition that then matches nothing, and a
    /// label should end at the last character written.
    fn trimmed_span(&self, p: &Pair<'_, Rule>) -> Span {
        let s = self.span(p);
        let text = p.as_str();
        Span::new(s.start, s.start + text.trim_end().len())
    }

    fn ident(&self, p: Pair<'_, Rule>) -> Ident {
        // `subject` wraps an ident.
        let p = if p.as_rule() == Rule::subject {
            Parts::of(p).required()
        } else {
            p
        };
        Ident {
            name: p.as_str().into(),
            span: self.span(&p),
        }
    }

    fn string(&self, p: Pair<'_, Rule>) -> Str {
        Str {
            value: unescape(p.as_str()),
            span: self.span(&p),
        }
    }

    fn pair(&self, p: Pair<'_, Rule>) -> PairAst {
        let span = self.span(&p);
        let mut parts = Parts::of(p);
        let a = self.ident(parts.required());
        let b = self.ident(parts.required());
        PairAst { a, b, span }
    }

    fn when(&self, p: Pair<'_, Rule>) -> WhenAst {
        let span = self.span(&p);
        let p_text = p.as_str();
        let (inner, pairs_after) = if p.as_rule() == Rule::when {
            let mut parts = Parts::of(p);
            let first = parts.required();
            (first, parts.next())
        } else {
            (p, None)
        };
        let form = match inner.as_rule() {
            // `when` holds a start and, for a range, an end; its text says
            // whether `..` was written.
            Rule::date_start if p_text.contains("..") => {
                let start = inner.as_str().into();
                let end = pairs_after.map(|e| (e.as_str().into(), self.span(&e)));
                WhenForm::Range(start, end)
            }
            Rule::date_start | Rule::date => WhenForm::Single(inner.as_str().into()),
            Rule::fuzzy => {
                let mut parts = Parts::of(inner);
                let season = parts.required().as_str().into();
                let year = parts.required().as_str().into();
                WhenForm::Season(season, year)
            }
            other => grammar_disagrees(other),
        };
        WhenAst { form, span }
    }

    fn citation(&self, p: Pair<'_, Rule>) -> Vec<Ident> {
        self.idents(p)
    }

    /// The ids inside a pair, in a vector of exactly their number: a vector
    /// grown by pushing holds room for four, and a file has a million of
    /// these lists.
    fn idents(&self, p: Pair<'_, Rule>) -> Vec<Ident> {
        let inner = p.into_inner();
        let mut out = Vec::with_capacity(inner.clone().count());
        out.extend(inner.map(|i| self.ident(i)));
        out
    }

    fn comparison(&self, p: Pair<'_, Rule>) -> Comparison {
        let span = self.trimmed_span(&p);
        let mut it = Parts::of(p);
        let Operand { query, shift, .. } = self.operand(it.required());
        let op_pair = it.required();
        let op_span = self.span(&op_pair);
        let op = match op_pair.as_str() {
            "==" => CmpOp::Eq,
            "!=" => CmpOp::Ne,
            "<=" => CmpOp::Le,
            ">=" => CmpOp::Ge,
            "<" => CmpOp::Lt,
            _ => CmpOp::Gt,
        };
        let right = it.required();
        if right.as_rule() == Rule::operand {
            return Comparison {
                query,
                shift,
                op,
                op_span,
                literal: Literal::Query(Box::new(self.operand(right))),
                span,
            };
        }
        let lit = Parts::of(right).required();
        let literal = match lit.as_rule() {
            Rule::string => Literal::Str(self.string(lit)),
            Rule::pair => Literal::Pair(self.pair(lit)),
            Rule::fuzzy => Literal::Season(self.when(lit)),
            Rule::raw_literal => Literal::Raw(lit.as_str().to_string(), self.span(&lit)),
            _ => Literal::Ident(self.ident(lit)),
        };
        Comparison {
            query,
            shift,
            op,
            op_span,
            literal,
            span,
        }
    }

    /// A query with its shift, if any: `first(calls).date + 15d`.
    fn operand(&self, p: Pair<'_, Rule>) -> Operand {
        let span = self.trimmed_span(&p);
        let mut it = Parts::of(p);
        let query = self.query(it.required());
        let shift = it.next().map(|s| {
            let shift_span = self.span(&s);
            let mut parts = Parts::of(s);
            let negative = parts.required().as_str() == "-";
            let by = crate::date::Duration::parse(parts.required().as_str())
                .unwrap_or(crate::date::Duration::Days(0));
            Shift {
                by: if negative { by.negated() } else { by },
                span: shift_span,
            }
        });
        Operand { query, shift, span }
    }

    fn query(&self, p: Pair<'_, Rule>) -> Query {
        let span = self.trimmed_span(&p);
        let mut it = Parts::of(p);
        let primary = self.primary(it.required());
        let pipes = it.map(|pp| self.pipe(pp)).collect();
        Query {
            primary,
            pipes,
            span,
        }
    }

    fn primary(&self, p: Pair<'_, Rule>) -> Primary {
        let mut it = Parts::of(p);
        let first = it.required();
        match first.as_rule() {
            Rule::call_expr => {
                let mut ci = Parts::of(first);
                let f = ci.required();
                let func = match f.as_str() {
                    "count" => Func::Count,
                    "first" => Func::First,
                    _ => Func::Last,
                };
                let func_span = self.span(&f);
                let inner = Box::new(self.query(ci.required()));
                let fields = ci.map(|fp| self.field(fp)).collect();
                Primary::Call {
                    func,
                    func_span,
                    inner,
                    fields,
                }
            }
            Rule::base_query => Primary::Base(self.base_query(first)),
            Rule::noun_call => {
                // `level(A~B).since` is `(level A~B).since`.
                let span = self.span(&first);
                let mut parts = Parts::of(first.clone());
                let base = self.base_query(first);
                let fields = parts
                    .by_ref()
                    .filter(|x| x.as_rule() == Rule::field)
                    .map(|fp| self.field(fp))
                    .collect();
                let inner = Box::new(Query {
                    primary: Primary::Base(base),
                    pipes: Vec::new(),
                    span,
                });
                Primary::Paren { inner, fields }
            }
            _ => {
                let inner = Box::new(self.query(first));
                let fields = it.map(|fp| self.field(fp)).collect();
                Primary::Paren { inner, fields }
            }
        }
    }

    fn field(&self, p: Pair<'_, Rule>) -> Ident {
        self.ident(Parts::of(p).required())
    }

    fn base_query(&self, p: Pair<'_, Rule>) -> BaseQuery {
        let mut it = Parts::of(p);
        let n = it.required();
        let noun =
            Noun::from_word(n.as_str()).unwrap_or_else(|| grammar_disagrees(Rule::base_query));
        let noun_span = self.span(&n);
        let mut subject = None;
        let mut filters = Vec::new();
        for x in it {
            match x.as_rule() {
                Rule::pair => subject = Some(Subject::Pair(self.pair(x))),
                Rule::subject => subject = Some(Subject::Actor(self.ident(x))),
                // The fields of a query written as a call (`noun_call`).
                Rule::field => {}
                _ => {
                    let mut fi = Parts::of(x);
                    let k = fi.required();
                    let key = FilterKey::from_word(k.as_str())
                        .unwrap_or_else(|| grammar_disagrees(Rule::filter));
                    // `between A, B` is a filter on each of A and B.
                    for v in fi {
                        let value = match v.as_rule() {
                            Rule::pair => FilterValue::Pair(self.pair(v)),
                            Rule::when => FilterValue::When(self.when(v)),
                            Rule::string => FilterValue::Str(self.string(v)),
                            _ => FilterValue::Ident(self.ident(v)),
                        };
                        filters.push(Filter {
                            key,
                            key_span: self.span(&k),
                            value,
                        });
                    }
                }
            }
        }
        BaseQuery {
            noun,
            noun_span,
            subject,
            filters,
        }
    }

    fn pipe(&self, p: Pair<'_, Rule>) -> Pipe {
        let span = self.span(&p);
        let inner = Parts::of(p).required();
        let kind = match inner.as_rule() {
            Rule::p_count => PipeKind::Count,
            Rule::p_first => PipeKind::First,
            Rule::p_last => PipeKind::Last,
            Rule::p_reverse => PipeKind::Reverse,
            Rule::field => PipeKind::Field(self.field(inner)),
            Rule::p_sort => {
                let mut by = None;
                let mut desc = false;
                for x in inner.into_inner() {
                    match x.as_rule() {
                        Rule::ident => by = Some(self.ident(x)),
                        Rule::desc => desc = x.as_str() == "desc",
                        _ => {}
                    }
                }
                PipeKind::Sort { by, desc }
            }
            _ => {
                let n = Parts::of(inner)
                    .next()
                    .map(|x| x.as_str().parse().unwrap_or(usize::MAX))
                    .unwrap_or(0);
                PipeKind::Limit(n)
            }
        };
        Pipe { kind, span }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_core_block_parses() {
        let src = include_str!("../../tests/check/core_block.rel");
        for r in statements(src) {
            if let Err(e) = r {
                panic!("{}: {}", &src[e.span.start..e.span.end], e.message);
            }
        }
    }

    #[test]
    fn parallel_parsing_gives_the_same_statements() {
        // Large enough to be cut into parts, with blocks, strings that span
        // lines, errors and comments along the way, and events plain,
        // labelled and not plain.
        let unit = "state A \"a\"\nladder l {\n  x \"x\"\n}\nvist A\nstatement A 2020 \"two\nlines\" # c\nladder open {\nsummit \"x\" 2024 reason \"BRICS\nsummit\" [w]\nvisit A -> B 2020 [w]\nvisit A -> B 2020 as v [w]\nmeeting A, B 2020 Mon\nvisit A B 2020 [w]\nmeeting A, Thomas 2020 [w] # as\n";
        let text = unit.repeat(200);
        let (mut oks, mut errs) = (Vec::new(), Vec::new());
        for s in statements(&text) {
            match s {
                Ok(s) => oks.push(s),
                Err(e) => errs.push(e),
            }
        }
        for threads in [1, 2, 3, 7] {
            let (parts, errors) = parse_in_parts(&text, threads, 0, false);
            assert!(threads == 1 || parts.len() > 1, "{threads} threads");
            let kept: Vec<Statement> = parts.into_iter().flat_map(|p| p.statements).collect();
            assert_eq!(kept, oks, "{threads} threads");
            assert_eq!(errors, errs, "{threads} threads");
            // Deferred, the events read later are the statements and
            // the errors missing from those kept, in their places.
            let (parts, mut errors) = parse_in_parts(&text, threads, 0, true);
            let plain: usize = parts.iter().map(|p| p.plain_events.len()).sum();
            // The plain visit, the summit, the meeting with a weekday
            // (pest reads it), the visit without its arrow (a syntax error)
            // and the meeting with `as` in a name and in a comment; not
            // the labelled visit.
            assert_eq!(plain, 1000, "{threads} threads");
            let mut all: Vec<Statement> = Vec::new();
            for part in parts {
                all.extend(part.statements);
                for &span in &part.plain_events {
                    match deferred_event(&text, span) {
                        Ok(ev) => all.push(Statement {
                            kind: StmtKind::Event(ev),
                            span,
                        }),
                        Err(e) => errors.push(e),
                    }
                }
            }
            all.sort_by_key(|s| s.span.start);
            errors.sort_by_key(|e| e.span.start);
            assert_eq!(all, oks, "{threads} threads");
            assert_eq!(errors, errs, "{threads} threads");
        }
        assert!(oks.len() >= 1600 && errs.len() >= 600);
    }

    /// An event that may have a label is never deferred unread: `as`
    /// after anything but a letter or `_`, and before anything but a
    /// letter, digit or `_`, might begin one.
    #[test]
    fn events_that_might_have_a_label_are_read_first() {
        for (body, cheap) in [
            ("visit A -> B 2020 [w]", true),
            ("visit A -> Honduras 2020 [w]", true),
            ("summit \"as x\" 2020 [w]", true),
            ("summit \"\\\" as x\" 2020 [w]", true),
            ("visit A -> B 2020 # as x\n[w]", true),
            ("visit A -> B 2020 asx [w]", true),
            ("visit A -> B 2020 as v [w]", false),
            ("visit A -> B 2020as v [w]", false),
            ("visit A -> B 2020 kind state,as v [w]", false),
            ("visit A -> B 2020 \"t\"as v [w]", false),
            ("visit A -> B 2020 as\u{e9} [w]", false),
            ("visit A -> B 2020 \u{e9}as v [w]", false),
            ("visit A -> B 2020 as", false),
            ("summit \"open \\", true),
            ("summit \"open \\\" as", true),
            ("summit \"a\" \"", true),
            ("state A \"a\"", false),
            ("elected A president of B 2020", false),
        ] {
            assert_eq!(declares_nothing(body), cheap, "{body}");
        }
    }

    #[test]
    fn queries_parse() {
        for q in [
            "visits by Xi to Russia in 2013..2025",
            "meetings of Xi with Putin since 2015 | count",
            "level China~Russia on 2018-01-01",
            "count(meetings of Xi with Putin in 2015..2025) >= 40",
            "first(visits by Xi).to == Russia",
            "visits | sort by date desc | limit 5",
            "roles Xi on 2020-01-01",
        ] {
            parse_query_line(q, 0).unwrap_or_else(|e| panic!("{q}: {}", e.message));
        }
    }
}
