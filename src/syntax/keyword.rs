//! The reserved words of the language, in one place.
//!
//! The grammar (`grammar/rel.pest`) spells each word in a token rule; the
//! splitter, the fast path of the parser, the syntax errors, the REPL's
//! completion and help all take their words from [`Keyword`]. A test below
//! reads the grammar and checks both agree, word for word, rule by rule.

use super::Rule;
use crate::date::{Season, PARTS_OF_DAY, WEEKDAY_WORDS};

/// Declares [`Keyword`] from one list, each variant with its spelling:
/// [`Keyword::ALL`] and [`Keyword::word`] come from the same list, so a
/// keyword is added in one place.
macro_rules! keywords {
    ($($name:ident = $word:literal,)*) => {
        /// A reserved word. One variant per spelling: `level` is both a
        /// statement and a query noun, `to` both a keyword inside
        /// statements and a filter.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Keyword {
            $($name,)*
        }

        impl Keyword {
            /// Every keyword.
            pub const ALL: &'static [Keyword] = &[$(Keyword::$name,)*];

            pub const fn word(self) -> &'static str {
                match self {
                    $(Keyword::$name => $word,)*
                }
            }

            /// The keyword spelled `word`, if it is one: one `match`,
            /// far fewer comparisons than a scan of the list (every
            /// statement of a file is asked about its first word).
            pub fn from_word(word: &str) -> Option<Keyword> {
                match word {
                    $($word => Some(Keyword::$name),)*
                    _ => None,
                }
            }
        }
    };
}

keywords! {
    // Words that begin a statement.
    Source = "source",
    State = "state",
    Person = "person",
    Org = "org",
    Bloc = "bloc",
    Role = "role",
    Visit = "visit",
    Meeting = "meeting",
    Call = "call",
    Elected = "elected",
    Reelected = "reelected",
    Agreement = "agreement",
    Summit = "summit",
    Ladder = "ladder",
    Level = "level",
    Trade = "trade",
    Statement = "statement",
    Include = "include",
    Assert = "assert",
    Claim = "claim",
    Complete = "complete",
    Member = "member",
    Relations = "relations",
    Event = "event",
    Dated = "dated",
    Figure = "figure",
    Target = "target",
    // Words inside statements.
    Published = "published",
    Url = "url",
    Of = "of",
    To = "to",
    Since = "since",
    Until = "until",
    Aka = "aka",
    Between = "between",
    Yoy = "yoy",
    About = "about",
    Via = "via",
    On = "on",
    Downgrade = "downgrade",
    SucceededBy = "succeeded_by",
    Iso = "iso",
    // How diplomatic relations changed.
    Established = "established",
    Severed = "severed",
    Suspended = "suspended",
    Restored = "restored",
    // Event attributes.
    Kind = "kind",
    Mode = "mode",
    Reason = "reason",
    InvitedBy = "invited_by",
    At = "at",
    As = "as",
    Capacity = "capacity",
    Host = "host",
    With = "with",
    Status = "status",
    During = "during",
    Topics = "topics",
    // What a query asks for.
    Visits = "visits",
    Meetings = "meetings",
    Events = "events",
    Timeline = "timeline",
    History = "history",
    Statements = "statements",
    Actors = "actors",
    Roles = "roles",
    Sources = "sources",
    Claims = "claims",
    Agreements = "agreements",
    Ladders = "ladders",
    Members = "members",
    Memberships = "memberships",
    Figures = "figures",
    Targets = "targets",
    Calls = "calls",
    // Functions and pipe steps.
    Count = "count",
    First = "first",
    Last = "last",
    Sort = "sort",
    Limit = "limit",
    Reverse = "reverse",
    Desc = "desc",
    Asc = "asc",
    // Filters not spelled above.
    By = "by",
    Involving = "involving",
    In = "in",
    From = "from",
}

use Keyword::*;

impl Keyword {
    /// Words that begin a statement: a line starting with one in column 0
    /// always starts a new statement.
    pub const STATEMENT_STARTS: &'static [Keyword] = &[
        Source, State, Person, Org, Bloc, Role, Visit, Meeting, Call, Elected, Reelected,
        Agreement, Summit, Ladder, Level, Trade, Statement, Include, Assert, Claim, Complete,
        Member, Relations, Event, Dated, Figure, Target,
    ];

    /// The kinds of actor, which begin an actor's declaration.
    pub const ACTOR_KINDS: &'static [Keyword] = &[State, Person, Org, Bloc];

    /// Attributes any event may carry (lowering says which apply where).
    pub const ATTRIBUTES: &'static [Keyword] = &[
        Kind, Mode, Reason, InvitedBy, At, As, Capacity, Host, With, Status, During, Topics,
    ];

    /// How diplomatic relations between two states changed.
    pub const RELATION_CHANGES: &'static [Keyword] = &[Established, Severed, Suspended, Restored];

    /// What a query asks for.
    pub const QUERY_NOUNS: &'static [Keyword] = &[
        Visits,
        Meetings,
        Events,
        Timeline,
        Level,
        History,
        Trade,
        Statements,
        Actors,
        Roles,
        Sources,
        Claims,
        Agreements,
        Ladders,
        Relations,
        Members,
        Memberships,
        Figures,
        Targets,
        Calls,
    ];

    /// Functions applied to a query in parentheses: `count(...)`.
    pub const FUNCTIONS: &'static [Keyword] = &[Count, First, Last];

    /// Filter keys after a query's noun.
    pub const FILTER_KEYS: &'static [Keyword] = &[
        By, To, Of, With, Involving, About, Kind, Mode, In, Since, Until, On, From, Status, At,
        During, Between,
    ];

    /// The steps after `|`, apart from `.field`.
    pub const PIPE_STEPS: &'static [Keyword] = &[Count, First, Last, Sort, Limit, Reverse];

    /// The orders of `sort`.
    pub const SORT_ORDERS: &'static [Keyword] = &[Desc, Asc];

    /// Every keyword that neither begins a statement nor a query, in the
    /// order completion offers them.
    pub const OTHERS: &'static [Keyword] = &[
        By,
        To,
        Of,
        With,
        Involving,
        About,
        Kind,
        Mode,
        In,
        Since,
        Until,
        On,
        From,
        Status,
        At,
        During,
        Sort,
        Limit,
        Reverse,
        Desc,
        Asc,
        Published,
        Url,
        Via,
        Downgrade,
        Yoy,
        Reason,
        InvitedBy,
        As,
        Capacity,
        Host,
        Topics,
        Between,
        Aka,
        SucceededBy,
        Iso,
        Established,
        Severed,
        Suspended,
        Restored,
    ];

    /// The keyword that begins `text`, if its first word is one that begins
    /// a statement.
    pub fn starting_statement(text: &str) -> Option<Keyword> {
        let word_end = text
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
            .unwrap_or(text.len());
        Keyword::from_word(&text[..word_end]).filter(|k| Keyword::STATEMENT_STARTS.contains(k))
    }

    /// The statement rule a statement beginning with this keyword must
    /// match, for keywords that begin one.
    pub(crate) fn statement_rule(self) -> Option<Rule> {
        Some(match self {
            Source => Rule::source_decl,
            State | Person | Org | Bloc => Rule::actor_decl,
            Role => Rule::role_decl,
            Visit => Rule::visit,
            Meeting => Rule::meeting,
            Call => Rule::call,
            Elected | Reelected => Rule::elected,
            Agreement => Rule::agreement,
            Summit => Rule::summit,
            Ladder => Rule::ladder_decl,
            Level => Rule::level_decl,
            Trade => Rule::trade,
            Statement => Rule::say,
            Include => Rule::include,
            Assert => Rule::assert_stmt,
            Claim => Rule::claim_stmt,
            Complete => Rule::complete_stmt,
            Member => Rule::member,
            Relations => Rule::relations_decl,
            Event => Rule::event_stmt,
            Dated => Rule::dated,
            Figure => Rule::figure_stmt,
            Target => Rule::target_stmt,
            _ => return None,
        })
    }

    /// The grammar's token rules that match this word (each is a word, or
    /// a choice of words, followed by `!ic`).
    pub(crate) fn rules(self) -> &'static [Rule] {
        match self {
            Source => &[Rule::k_source],
            State | Person | Org | Bloc => &[Rule::actor_kind],
            Role => &[Rule::k_role],
            Visit => &[Rule::k_visit],
            Meeting => &[Rule::k_meeting],
            Call => &[Rule::k_call],
            Elected | Reelected => &[Rule::k_elected],
            Agreement => &[Rule::k_agreement],
            Summit => &[Rule::k_summit],
            Ladder => &[Rule::k_ladder],
            Level => &[Rule::k_level, Rule::noun],
            Trade => &[Rule::k_trade, Rule::noun],
            Statement => &[Rule::k_statement],
            Include => &[Rule::k_include],
            Assert => &[Rule::k_assert],
            Claim => &[Rule::k_claim],
            Complete => &[Rule::k_complete],
            Member => &[Rule::k_member],
            Relations => &[Rule::k_relations, Rule::noun],
            Event => &[Rule::k_event],
            Dated => &[Rule::k_dated],
            Figure => &[Rule::k_figure],
            Target => &[Rule::k_target],
            SucceededBy => &[Rule::k_succeeded_by],
            Iso => &[Rule::k_iso],
            Established | Severed | Suspended | Restored => &[Rule::relation_change],
            Members | Memberships | Figures | Targets | Calls => &[Rule::noun],
            With | Status | During | At => &[Rule::attr_key, Rule::filter_key],
            Topics => &[Rule::attr_key],
            Published => &[Rule::k_published],
            Url => &[Rule::k_url],
            Of => &[Rule::k_of, Rule::filter_key],
            To => &[Rule::k_to, Rule::filter_key],
            Since => &[Rule::k_since, Rule::filter_key],
            Until => &[Rule::k_until, Rule::filter_key],
            Aka => &[Rule::k_aka],
            Between => &[Rule::k_between, Rule::filter_key],
            Yoy => &[Rule::k_yoy],
            About => &[Rule::k_about, Rule::filter_key],
            Via => &[Rule::k_via],
            On => &[Rule::k_on, Rule::filter_key],
            Downgrade => &[Rule::k_downgrade],
            Kind => &[Rule::attr_key, Rule::filter_key, Rule::k_kind],
            Mode => &[Rule::attr_key, Rule::filter_key],
            Reason | InvitedBy | As | Host => &[Rule::attr_key],
            Capacity => &[Rule::attr_key, Rule::k_capacity],
            Visits | Meetings | Events | Timeline | History | Statements | Actors | Roles
            | Sources | Claims | Agreements | Ladders => &[Rule::noun],
            Count => &[Rule::func, Rule::p_count],
            First => &[Rule::func, Rule::p_first],
            Last => &[Rule::func, Rule::p_last],
            Sort => &[Rule::k_sort],
            Limit => &[Rule::k_limit],
            Reverse => &[Rule::p_reverse],
            Desc | Asc => &[Rule::desc],
            By => &[Rule::filter_key, Rule::k_by],
            In => &[Rule::filter_key, Rule::k_in],
            Involving | From => &[Rule::filter_key],
        }
    }

    /// The keyword a `k_<word>` rule matches (for `k_elected`, `elected`).
    pub(crate) fn of_token(rule: Rule) -> Option<Keyword> {
        if !is_token(rule) {
            return None;
        }
        Keyword::ALL
            .iter()
            .copied()
            .find(|k| k.rules().contains(&rule))
    }
}

/// True for the grammar's punctuation tokens, the rules named `t_<name>`.
pub(crate) fn is_punctuation(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::t_arrow | Rule::t_open | Rule::t_close | Rule::t_comma
    )
}

/// True for the grammar's keyword tokens, the rules named `k_<word>`:
/// they carry no meaning of their own once parsed, and the tree builder
/// drops them.
pub(crate) fn is_token(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::k_about
            | Rule::k_agreement
            | Rule::k_aka
            | Rule::k_assert
            | Rule::k_between
            | Rule::k_by
            | Rule::k_call
            | Rule::k_capacity
            | Rule::k_claim
            | Rule::k_complete
            | Rule::k_downgrade
            | Rule::k_elected
            | Rule::k_include
            | Rule::k_ladder
            | Rule::k_level
            | Rule::k_limit
            | Rule::k_meeting
            | Rule::k_of
            | Rule::k_on
            | Rule::k_published
            | Rule::k_role
            | Rule::k_since
            | Rule::k_sort
            | Rule::k_source
            | Rule::k_statement
            | Rule::k_summit
            | Rule::k_to
            | Rule::k_trade
            | Rule::k_until
            | Rule::k_url
            | Rule::k_via
            | Rule::k_visit
            | Rule::k_yoy
            | Rule::k_member
            | Rule::k_relations
            | Rule::k_event
            | Rule::k_dated
            | Rule::k_figure
            | Rule::k_target
            | Rule::k_in
            | Rule::k_kind
            | Rule::k_succeeded_by
            | Rule::k_iso
    )
}

/// The words of `keywords`, in order.
pub(crate) fn words(keywords: &[Keyword]) -> Vec<&'static str> {
    keywords.iter().map(|k| k.word()).collect()
}

/// The words of `keywords` as a constant array.
const fn words_of<const N: usize>(keywords: &[Keyword]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = keywords[i].word();
        i += 1;
    }
    out
}

/// [`Keyword::STATEMENT_STARTS`] as words.
pub const STATEMENT_WORDS: &[&str] =
    &words_of::<{ Keyword::STATEMENT_STARTS.len() }>(Keyword::STATEMENT_STARTS);

/// Two lists of words as one constant array.
const fn concat<const N: usize>(a: &[&'static str], b: &[&'static str]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = if i < a.len() { a[i] } else { b[i - a.len()] };
        i += 1;
    }
    out
}

/// Words a query starts with: what it asks for, or a function.
pub const QUERY_START_WORDS: &[&str] =
    &concat::<{ Keyword::QUERY_NOUNS.len() + Keyword::FUNCTIONS.len() }>(
        &words_of::<{ Keyword::QUERY_NOUNS.len() }>(Keyword::QUERY_NOUNS),
        &words_of::<{ Keyword::FUNCTIONS.len() }>(Keyword::FUNCTIONS),
    );

/// The words that may follow a date: the seasons of a fuzzy date, the
/// weekdays and the parts of the day.
const DATE_WORDS: [&str; Season::ALL.len() + WEEKDAY_WORDS.len() + PARTS_OF_DAY.len()] =
    concat::<{ Season::ALL.len() + WEEKDAY_WORDS.len() + PARTS_OF_DAY.len() }>(
        &Season::ALL_WORDS,
        &concat::<{ WEEKDAY_WORDS.len() + PARTS_OF_DAY.len() }>(&WEEKDAY_WORDS, &PARTS_OF_DAY),
    );

/// The other words of the language: filters, pipe steps, attributes, the
/// keywords inside statements, and the words that may follow a date.
pub const OTHER_WORDS: &[&str] = &concat::<{ Keyword::OTHERS.len() + DATE_WORDS.len() }>(
    &words_of::<{ Keyword::OTHERS.len() }>(Keyword::OTHERS),
    &DATE_WORDS,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Scale;
    use std::collections::{BTreeMap, BTreeSet};

    const GRAMMAR: &str = include_str!("../../grammar/rel.pest");

    /// The grammar's rules by name, each with its body, comments removed.
    fn rules() -> BTreeMap<String, String> {
        let text: String = GRAMMAR
            .lines()
            .map(|l| {
                if l.trim_start().starts_with("//") {
                    ""
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut out = BTreeMap::new();
        let mut rest = text.as_str();
        while let Some(eq) = rest.find('=') {
            let name = rest[..eq]
                .split_whitespace()
                .last()
                .unwrap_or("")
                .to_string();
            let after = &rest[eq + 1..];
            let open = after.find('{').expect("a rule body opens with `{`");
            // The body ends at the first `}` outside a string literal.
            let body = &after[open + 1..];
            let mut in_string = false;
            let mut escaped = false;
            let mut end = body.len();
            for (i, c) in body.char_indices() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' if in_string => escaped = true,
                    '"' => in_string = !in_string,
                    '}' if !in_string => {
                        end = i;
                        break;
                    }
                    _ => {}
                }
            }
            out.insert(name, body[..end].trim().to_string());
            rest = &body[end + 1..];
        }
        out
    }

    /// The string literals of a rule body, in order.
    fn literals(body: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut current: Option<String> = None;
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match (&mut current, c) {
                (None, '"') => current = Some(String::new()),
                (None, _) => {}
                // Escapes stay as written, so `\n` is not read as a word.
                (Some(lit), '\\') => {
                    lit.push('\\');
                    lit.extend(chars.next());
                }
                (Some(_), '"') => out.extend(current.take()),
                (Some(lit), _) => lit.push(c),
            }
        }
        out
    }

    /// Rules that match a word, or a choice of words, and nothing else:
    /// `k_visit = @{ "visit" ~ !ic }`, `noun = @{ ("visits" | …) ~ !ic }`.
    fn word_rules() -> BTreeMap<String, BTreeSet<String>> {
        rules()
            .into_iter()
            .filter_map(|(name, body)| {
                let choice = body.strip_suffix("~ !ic")?.trim();
                let choice = choice
                    .strip_prefix('(')
                    .and_then(|c| c.strip_suffix(')'))
                    .unwrap_or(choice);
                let all_literals = choice.split('|').all(|alt| {
                    let alt = alt.trim();
                    alt.len() > 2 && alt.starts_with('"') && alt.ends_with('"')
                });
                all_literals.then(|| (name, literals(choice).into_iter().collect()))
            })
            .collect()
    }

    fn rule_name(rule: Rule) -> String {
        format!("{rule:?}")
    }

    fn set(words: impl IntoIterator<Item = &'static str>) -> BTreeSet<String> {
        words.into_iter().map(str::to_string).collect()
    }

    #[test]
    fn each_word_names_its_keyword() {
        for &k in Keyword::ALL {
            assert_eq!(Keyword::from_word(k.word()), Some(k));
            let line = format!("{} x", k.word());
            let starts = Keyword::STATEMENT_STARTS.contains(&k).then_some(k);
            assert_eq!(Keyword::starting_statement(&line), starts, "{line}");
        }
        for word in ["", "Visit", "visit_", "sourc", "visit "] {
            assert_eq!(Keyword::from_word(word), None, "{word}");
        }
    }

    #[test]
    fn every_word_rule_of_the_grammar_matches_the_keywords() {
        let grammar = word_rules();
        assert!(grammar.len() > 30, "found only {grammar:?}");
        for (name, words) in &grammar {
            let expected = match name.as_str() {
                "season" => set(Season::ALL.map(Season::word)),
                "weekday" => set(WEEKDAY_WORDS),
                "duration_unit" => set(crate::date::Duration::UNITS),
                "part_of_day" => set(PARTS_OF_DAY),
                "scale" => set(Scale::ALL
                    .iter()
                    .map(|s| s.suffix())
                    .filter(|s| !s.is_empty())),
                _ => set(Keyword::ALL
                    .iter()
                    .filter(|k| k.rules().iter().any(|r| rule_name(*r) == *name))
                    .map(|k| k.word())),
            };
            assert_eq!(words, &expected, "grammar rule `{name}`");
        }
        for k in Keyword::ALL {
            assert!(!k.rules().is_empty(), "{k:?}");
            for r in k.rules() {
                assert!(
                    grammar.contains_key(&rule_name(*r)),
                    "{k:?}: `{r:?}` is not a word rule of the grammar"
                );
            }
        }
    }

    #[test]
    fn every_word_the_grammar_spells_is_in_a_word_rule() {
        let in_word_rules: BTreeSet<String> = word_rules().into_values().flatten().collect();
        for (name, body) in rules() {
            for lit in literals(&body) {
                let word = lit.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if word && lit.chars().any(|c| c.is_ascii_alphabetic()) {
                    assert!(
                        in_word_rules.contains(&lit),
                        "`{lit}` in rule `{name}` is not a keyword"
                    );
                }
            }
        }
    }

    #[test]
    fn statement_starts_are_the_first_words_of_the_statement_rules() {
        let rules = rules();
        let grammar = word_rules();
        let alternatives: Vec<&str> = rules["stmt"].split('|').map(str::trim).collect();
        let mut from_grammar = BTreeSet::new();
        for alt in &alternatives {
            let first = rules[*alt]
                .split_whitespace()
                .next()
                .expect("a statement rule starts with a token");
            let words = &grammar[first];
            let from_enum: BTreeSet<String> = Keyword::STATEMENT_STARTS
                .iter()
                .filter(|k| k.statement_rule().map(rule_name).as_deref() == Some(alt))
                .map(|k| k.word().to_string())
                .collect();
            assert_eq!(words, &from_enum, "statement rule `{alt}`");
            from_grammar.extend(words.iter().cloned());
        }
        assert_eq!(from_grammar, set(STATEMENT_WORDS.iter().copied()));
        for k in Keyword::ALL {
            assert_eq!(
                k.statement_rule().is_some(),
                Keyword::STATEMENT_STARTS.contains(k),
                "{k:?}"
            );
        }
    }

    #[test]
    fn keyword_tokens_are_the_k_rules() {
        for rule in Rule::all_rules() {
            let named_k = rule_name(*rule).starts_with("k_");
            assert_eq!(is_token(*rule), named_k, "{rule:?}");
            assert_eq!(Keyword::of_token(*rule).is_some(), named_k, "{rule:?}");
            let named_t = rule_name(*rule).starts_with("t_");
            assert_eq!(is_punctuation(*rule), named_t, "{rule:?}");
        }
        assert_eq!(Keyword::of_token(Rule::k_elected), Some(Keyword::Elected));
    }

    #[test]
    fn each_list_is_one_rule_of_the_grammar() {
        let grammar = word_rules();
        for (list, rule) in [
            (Keyword::ACTOR_KINDS, "actor_kind"),
            (Keyword::ATTRIBUTES, "attr_key"),
            (Keyword::QUERY_NOUNS, "noun"),
            (Keyword::FUNCTIONS, "func"),
            (Keyword::FILTER_KEYS, "filter_key"),
            (Keyword::SORT_ORDERS, "desc"),
        ] {
            assert_eq!(set(words(list)), grammar[rule], "{rule}");
        }
        let steps = [
            "p_count",
            "p_first",
            "p_last",
            "k_sort",
            "k_limit",
            "p_reverse",
        ];
        let from_grammar: BTreeSet<String> =
            steps.iter().flat_map(|r| grammar[*r].clone()).collect();
        assert_eq!(set(words(Keyword::PIPE_STEPS)), from_grammar);
    }

    #[test]
    fn the_word_lists_cover_every_keyword_once() {
        let mut seen = BTreeSet::new();
        for w in STATEMENT_WORDS
            .iter()
            .chain(QUERY_START_WORDS)
            .chain(OTHER_WORDS)
        {
            seen.insert(*w);
        }
        let all: BTreeSet<&str> = Keyword::ALL
            .iter()
            .map(|k| k.word())
            .chain(DATE_WORDS)
            .collect();
        assert_eq!(seen, all);
        let others: BTreeSet<&str> = OTHER_WORDS.iter().copied().collect();
        assert_eq!(others.len(), OTHER_WORDS.len(), "a word listed twice");
        for w in STATEMENT_WORDS.iter().chain(QUERY_START_WORDS) {
            assert!(!others.contains(w), "`{w}` is listed twice");
        }
        let distinct: BTreeSet<&str> = Keyword::ALL.iter().map(|k| k.word()).collect();
        assert_eq!(distinct.len(), Keyword::ALL.len());
        for k in Keyword::ALL {
            assert_eq!(Keyword::from_word(k.word()), Some(*k));
        }
    }
}
