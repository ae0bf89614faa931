//! The syntax tree. Every node keeps the byte span of its text in its file,
//! so later stages can point diagnostics at the exact token.

use super::keyword::Keyword;
use crate::figure::Scale;
use crate::source::Span;
use compact_str::CompactString;

/// An id as written. Ids are short, so they live inline (no allocation):
/// a million-statement file has millions of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: CompactString,
    pub span: Span,
}

/// A string literal with escapes resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Str {
    pub value: String,
    pub span: Span,
}

/// `A~B`.
#[derive(Clone, Debug, PartialEq)]
pub struct PairAst {
    pub a: Ident,
    pub b: Ident,
    pub span: Span,
}

/// A date as written, not yet checked against the calendar.
#[derive(Clone, Debug, PartialEq)]
pub enum WhenForm {
    Single(CompactString),
    Range(CompactString, Option<(CompactString, Span)>),
    Season(CompactString, CompactString),
}

#[derive(Clone, Debug, PartialEq)]
pub struct WhenAst {
    pub form: WhenForm,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Tenure {
    Since(WhenAst),
    Until(WhenAst),
    During(WhenAst),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrKey {
    Kind,
    Mode,
    Reason,
    InvitedBy,
    At,
    Label,
    Capacity,
    Host,
}

impl AttrKey {
    /// Every attribute, in the order help texts list them.
    pub const ALL: [AttrKey; 8] = [
        AttrKey::Kind,
        AttrKey::Mode,
        AttrKey::Reason,
        AttrKey::InvitedBy,
        AttrKey::At,
        AttrKey::Label,
        AttrKey::Capacity,
        AttrKey::Host,
    ];

    /// The keyword that writes this attribute.
    pub fn as_keyword(self) -> Keyword {
        match self {
            AttrKey::Kind => Keyword::Kind,
            AttrKey::Mode => Keyword::Mode,
            AttrKey::Reason => Keyword::Reason,
            AttrKey::InvitedBy => Keyword::InvitedBy,
            AttrKey::At => Keyword::At,
            AttrKey::Label => Keyword::As,
            AttrKey::Capacity => Keyword::Capacity,
            AttrKey::Host => Keyword::Host,
        }
    }

    /// The attribute `word` writes, if any.
    pub fn from_word(word: &str) -> Option<AttrKey> {
        AttrKey::ALL.into_iter().find(|k| k.keyword() == word)
    }

    pub fn keyword(self) -> &'static str {
        self.as_keyword().word()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum AttrValue {
    Ident(Ident),
    Str(Str),
}

impl AttrValue {
    pub fn span(&self) -> Span {
        match self {
            AttrValue::Ident(i) => i.span,
            AttrValue::Str(s) => s.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attr {
    pub key: AttrKey,
    pub key_span: Span,
    pub value: AttrValue,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EventKindAst {
    Visit { visitor: Ident, host: Ident },
    Meeting { parties: Vec<Ident>, call: bool },
    Elected(Box<ElectedAst>),
    Agreement { title: Str, parties: Vec<Ident> },
    Summit { title: Str },
}

#[derive(Clone, Debug, PartialEq)]
pub struct EventAst {
    pub kind: EventKindAst,
    pub keyword: Span,
    pub when: WhenAst,
    pub attrs: Vec<Attr>,
    pub cite: Vec<Ident>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rung {
    pub id: Ident,
    pub name: Str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorKindAst {
    State,
    Person,
    Org,
    Bloc,
}

impl ActorKindAst {
    pub const ALL: [ActorKindAst; 4] = [
        ActorKindAst::State,
        ActorKindAst::Person,
        ActorKindAst::Org,
        ActorKindAst::Bloc,
    ];

    /// The keyword that declares an actor of this kind.
    pub fn as_keyword(self) -> Keyword {
        match self {
            ActorKindAst::State => Keyword::State,
            ActorKindAst::Person => Keyword::Person,
            ActorKindAst::Org => Keyword::Org,
            ActorKindAst::Bloc => Keyword::Bloc,
        }
    }

    /// The kind `word` declares, if any.
    pub fn from_word(word: &str) -> Option<ActorKindAst> {
        ActorKindAst::ALL
            .into_iter()
            .find(|k| k.as_keyword().word() == word)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    Source {
        id: Ident,
        title: Str,
        published: Option<WhenAst>,
        url: Option<Str>,
    },
    Actor {
        kind: ActorKindAst,
        kind_span: Span,
        id: Ident,
        name: Str,
        aka: Vec<Ident>,
        of: Option<Ident>,
        cite: Vec<Ident>,
    },
    Role(Box<RoleAst>),
    Event(EventAst),
    Ladder {
        id: Ident,
        rungs: Vec<Rung>,
    },
    Level(Box<LevelAst>),
    Trade(Box<TradeAst>),
    Say(Box<SayAst>),
    Include {
        path: Str,
    },
    Assert {
        check: Box<Comparison>,
    },
    Claim {
        check: Box<Comparison>,
        cite: Vec<Ident>,
    },
}

// The rarer statements are boxed, so that a statement (most are events)
// takes no more room than an event does.

#[derive(Clone, Debug, PartialEq)]
pub struct RoleAst {
    pub holder: Ident,
    pub office: Ident,
    pub of: Ident,
    pub to: Option<Ident>,
    pub tenure: Tenure,
    pub cite: Vec<Ident>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LevelAst {
    pub pair: PairAst,
    pub level: Ident,
    pub when: WhenAst,
    pub via: Option<Ident>,
    pub ladder: Option<Ident>,
    pub downgrade: Option<Span>,
    pub cite: Vec<Ident>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TradeAst {
    pub pair: PairAst,
    pub year: YearAst,
    pub amount: AmountAst,
    pub currency: Ident,
    pub yoy: Option<PercentAst>,
    pub cite: Vec<Ident>,
}

/// A trade figure's year as written (`2024`), checked in lowering.
#[derive(Clone, Debug, PartialEq)]
pub struct YearAst {
    pub text: String,
    pub span: Span,
}

/// An amount as written: `244.81bn` is the number `244.81` at scale `bn`.
/// The number is read in lowering, which explains a form it cannot read.
#[derive(Clone, Debug, PartialEq)]
pub struct AmountAst {
    pub number: String,
    pub scale: Scale,
    pub span: Span,
}

/// A percentage as written (`+1.9%`), read in lowering.
#[derive(Clone, Debug, PartialEq)]
pub struct PercentAst {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SayAst {
    pub speaker: Ident,
    pub when: WhenAst,
    pub about: Option<PairAst>,
    pub capacity: Option<Ident>,
    pub text: Str,
    pub cite: Vec<Ident>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ElectedAst {
    pub person: Ident,
    pub office: Ident,
    pub of: Ident,
    pub re: bool,
}

/// One statement, with the span of its whole text.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub kind: StmtKind,
    pub span: Span,
}

// ------------------------------------------------------------------ queries

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noun {
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
}

impl Noun {
    pub fn parse(s: &str) -> Option<Noun> {
        Some(match s {
            "visits" => Noun::Visits,
            "meetings" => Noun::Meetings,
            "events" => Noun::Events,
            "timeline" => Noun::Timeline,
            "level" => Noun::Level,
            "history" => Noun::History,
            "trade" => Noun::Trade,
            "statements" => Noun::Statements,
            "actors" => Noun::Actors,
            "roles" => Noun::Roles,
            "sources" => Noun::Sources,
            "claims" => Noun::Claims,
            "agreements" => Noun::Agreements,
            "ladders" => Noun::Ladders,
            _ => return None,
        })
    }
    pub fn word(self) -> &'static str {
        match self {
            Noun::Visits => "visits",
            Noun::Meetings => "meetings",
            Noun::Events => "events",
            Noun::Timeline => "timeline",
            Noun::Level => "level",
            Noun::History => "history",
            Noun::Trade => "trade",
            Noun::Statements => "statements",
            Noun::Actors => "actors",
            Noun::Roles => "roles",
            Noun::Sources => "sources",
            Noun::Claims => "claims",
            Noun::Agreements => "agreements",
            Noun::Ladders => "ladders",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum FilterValue {
    Pair(PairAst),
    When(WhenAst),
    Ident(Ident),
}

impl FilterValue {
    pub fn span(&self) -> Span {
        match self {
            FilterValue::Pair(p) => p.span,
            FilterValue::When(w) => w.span,
            FilterValue::Ident(i) => i.span,
        }
    }
}

/// The word that starts a query filter (`by Xi`, `in 2025`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FilterKey {
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
}

/// What a filter takes after its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterArgument {
    Date,
    Pair,
    Id,
}

impl FilterArgument {
    /// How a message names it: "`in` takes a date".
    pub fn phrase(self) -> &'static str {
        match self {
            FilterArgument::Date => "a date",
            FilterArgument::Pair => "a pair such as China~Russia",
            FilterArgument::Id => "an id",
        }
    }
}

impl FilterKey {
    /// Every filter key: the grammar's `filter_key` lists the same words.
    pub const ALL: &'static [FilterKey] = &[
        FilterKey::By,
        FilterKey::To,
        FilterKey::Of,
        FilterKey::With,
        FilterKey::Involving,
        FilterKey::About,
        FilterKey::Kind,
        FilterKey::Mode,
        FilterKey::In,
        FilterKey::Since,
        FilterKey::Until,
        FilterKey::On,
        FilterKey::From,
    ];

    pub fn word(self) -> &'static str {
        match self {
            FilterKey::By => "by",
            FilterKey::To => "to",
            FilterKey::Of => "of",
            FilterKey::With => "with",
            FilterKey::Involving => "involving",
            FilterKey::About => "about",
            FilterKey::Kind => "kind",
            FilterKey::Mode => "mode",
            FilterKey::In => "in",
            FilterKey::Since => "since",
            FilterKey::Until => "until",
            FilterKey::On => "on",
            FilterKey::From => "from",
        }
    }

    pub fn from_word(word: &str) -> Option<FilterKey> {
        FilterKey::ALL.iter().copied().find(|k| k.word() == word)
    }

    pub fn argument(self) -> FilterArgument {
        match self {
            FilterKey::In | FilterKey::Since | FilterKey::Until | FilterKey::On => {
                FilterArgument::Date
            }
            FilterKey::About => FilterArgument::Pair,
            FilterKey::By
            | FilterKey::To
            | FilterKey::Of
            | FilterKey::With
            | FilterKey::Involving
            | FilterKey::Kind
            | FilterKey::Mode
            | FilterKey::From => FilterArgument::Id,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    pub key: FilterKey,
    pub key_span: Span,
    pub value: FilterValue,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    Pair(PairAst),
    Actor(Ident),
}

#[derive(Clone, Debug, PartialEq)]
pub struct BaseQuery {
    pub noun: Noun,
    pub noun_span: Span,
    pub subject: Option<Subject>,
    pub filters: Vec<Filter>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Count,
    First,
    Last,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Primary {
    Base(BaseQuery),
    Call {
        func: Func,
        func_span: Span,
        inner: Box<Query>,
        fields: Vec<Ident>,
    },
    Paren {
        inner: Box<Query>,
        fields: Vec<Ident>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum PipeKind {
    Count,
    First,
    Last,
    Reverse,
    Sort {
        by: Option<Ident>,
        desc: bool,
    },
    Limit(usize),
    /// `| .to`: a field of the single result before it.
    Field(Ident),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pipe {
    pub kind: PipeKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub primary: Primary,
    pub pipes: Vec<Pipe>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Str(Str),
    Pair(PairAst),
    Season(WhenAst),
    /// Digits: a number, a date or a range, read by the left side's type.
    Raw(String, Span),
    Ident(Ident),
}

impl Literal {
    pub fn span(&self) -> Span {
        match self {
            Literal::Str(s) => s.span,
            Literal::Pair(p) => p.span,
            Literal::Season(w) => w.span,
            Literal::Raw(_, s) => *s,
            Literal::Ident(i) => i.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub query: Query,
    pub op: CmpOp,
    pub op_span: Span,
    pub literal: Literal,
    pub span: Span,
}

/// What a REPL line or `rel query` argument holds.
#[derive(Clone, Debug, PartialEq)]
pub enum QueryLine {
    Query(Query),
    Comparison(Comparison),
}

#[cfg(all(test, target_pointer_width = "64"))]
mod sizes {
    /// A million statements are held at once: growth here is memory and time.
    #[test]
    fn statements_stay_small() {
        assert!(std::mem::size_of::<super::Statement>() <= 240);
    }
}
