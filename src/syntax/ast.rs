//! The syntax tree. Every node keeps the byte span of its text in its file,
//! so later stages can point diagnostics at the exact token.

use super::keyword::Keyword;
use crate::figure::{Bound, Scale};
use crate::source::Span;
use compact_str::CompactString;

/// An id as written. Ids are short, so they live inline (no allocation):
/// a million-statement file has millions of them.
///
/// In a participant's slot an id may name an office instead of a person,
/// `foreign_minister@Kenya`: whoever held it on the date. Such an id keeps
/// both parts in `name`; [`Ident::office`] splits them.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: CompactString,
    pub span: Span,
}

impl Ident {
    /// The office and the state or body of an office written as a
    /// participant (`foreign_minister@Kenya`), with the span of each part.
    pub fn office(&self) -> Option<(Ident, Ident)> {
        // A byte search: every participant of every event is asked.
        let sign = memchr::memchr(b'@', self.name.as_bytes())?;
        let (office, of) = (&self.name[..sign], &self.name[sign + 1..]);
        let at = self.span.start + office.len();
        Some((
            Ident {
                name: office.into(),
                span: Span::new(self.span.start, at),
            },
            Ident {
                name: of.into(),
                span: Span::new(at + 1, self.span.end),
            },
        ))
    }
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
    /// Who came along: `with Soto, Lagos`.
    With,
    /// `status planned | postponed | cancelled`.
    Status,
    /// The trip an event was part of: `during nairobi2025`.
    During,
    /// What a meeting or call was about: `topics "tariffs", "UN reform"`.
    Topics,
}

impl AttrKey {
    /// Every attribute, in the order help texts list them.
    pub const ALL: [AttrKey; 12] = [
        AttrKey::Kind,
        AttrKey::Mode,
        AttrKey::Reason,
        AttrKey::InvitedBy,
        AttrKey::At,
        AttrKey::Label,
        AttrKey::Capacity,
        AttrKey::Host,
        AttrKey::With,
        AttrKey::Status,
        AttrKey::During,
        AttrKey::Topics,
    ];

    /// Attributes that take a list of values.
    pub fn takes_a_list(self) -> bool {
        matches!(self, AttrKey::With | AttrKey::Topics)
    }

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
            AttrKey::With => Keyword::With,
            AttrKey::Status => Keyword::Status,
            AttrKey::During => Keyword::During,
            AttrKey::Topics => Keyword::Topics,
        }
    }

    /// The attribute `word` writes, if any.
    pub fn from_word(word: &str) -> Option<AttrKey> {
        AttrKey::ALL.into_iter().find(|k| k.word() == word)
    }

    pub fn word(self) -> &'static str {
        self.as_keyword().word()
    }

    /// Whether an event written with the statement keyword `statement`
    /// (`visit`, `meeting`, ...) takes this attribute. Lowering and syntax
    /// errors both ask here.
    /// The attributes an event statement takes, in the order of `ALL`.
    pub fn taken_by(statement: Keyword) -> impl Iterator<Item = AttrKey> {
        AttrKey::ALL
            .into_iter()
            .filter(move |k| k.applies_to(statement))
    }

    pub fn applies_to(self, statement: Keyword) -> bool {
        use AttrKey::*;
        match statement {
            Keyword::Visit => matches!(
                self,
                Kind | Reason | InvitedBy | At | Label | Capacity | Host | With | Status | During
            ),
            Keyword::Meeting | Keyword::Call => true,
            Keyword::Elected | Keyword::Reelected => matches!(self, Kind | Label | Reason),
            Keyword::Agreement | Keyword::Summit => {
                matches!(
                    self,
                    Kind | At | Label | Reason | Host | Status | During | Topics
                )
            }
            // A generic event's kind is written before its title.
            Keyword::Event => self != Kind && self != Mode,
            _ => false,
        }
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
    /// Further values, after commas: only `with` and `topics` take them.
    pub more: Vec<AttrValue>,
}

impl Attr {
    /// Every value, in order.
    pub fn values(&self) -> impl Iterator<Item = &AttrValue> {
        std::iter::once(&self.value).chain(&self.more)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum EventKindAst {
    Visit {
        visitor: Ident,
        host: Ident,
    },
    Meeting {
        parties: Vec<Ident>,
        /// `capacity <office>` written after a participant: its index in
        /// `parties`, and the office.
        capacities: Vec<(usize, Ident)>,
        call: bool,
    },
    Elected(Box<ElectedAst>),
    Agreement {
        title: Str,
        parties: Vec<Ident>,
    },
    Summit {
        title: Str,
    },
    /// `event speech "Address to Parliament" by Rivera …`.
    Other(Box<OtherEventAst>),
}

/// An event of any other kind: its kind, its title and who took part.
#[derive(Clone, Debug, PartialEq)]
pub struct OtherEventAst {
    pub kind: Ident,
    pub title: Str,
    pub parties: Vec<Ident>,
}

impl EventKindAst {
    /// The statement keyword that wrote the event.
    pub fn keyword(&self) -> Keyword {
        match self {
            EventKindAst::Visit { .. } => Keyword::Visit,
            EventKindAst::Meeting { call: true, .. } => Keyword::Call,
            EventKindAst::Meeting { call: false, .. } => Keyword::Meeting,
            EventKindAst::Elected(e) if e.re => Keyword::Reelected,
            EventKindAst::Elected(_) => Keyword::Elected,
            EventKindAst::Agreement { .. } => Keyword::Agreement,
            EventKindAst::Summit { .. } => Keyword::Summit,
            EventKindAst::Other(_) => Keyword::Event,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EventAst {
    pub kind: EventKindAst,
    pub keyword: Span,
    pub when: WhenAst,
    /// What followed the date, if anything (few events say).
    pub day: Option<Box<DayAst>>,
    pub attrs: Vec<Attr>,
    pub cite: Vec<Ident>,
}

/// What may follow an event's date: a weekday (`Sun`), checked against
/// it, and a part of the day or a time (`evening`, `19:30`).
#[derive(Clone, Debug, PartialEq)]
pub struct DayAst {
    pub weekday: Option<Ident>,
    pub time: Option<Ident>,
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
    Actor(Box<ActorAst>),
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
    /// `complete <query> [src]`: the model holds every event of the scope.
    Complete {
        scope: Box<BaseQuery>,
        cite: Vec<Ident>,
    },
    Member(Box<MemberAst>),
    Relations(Box<RelationsAst>),
    /// `dated <label> <dates> [src]`: another source's dates for an event.
    Dated {
        label: Ident,
        when: WhenAst,
        cite: Vec<Ident>,
    },
    /// `figure …` or, with `target` set, `target …`.
    Figure(Box<FigureAst>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ActorAst {
    pub kind: ActorKindAst,
    pub kind_span: Span,
    pub id: Ident,
    pub name: Str,
    pub aka: Vec<Ident>,
    /// Every `of`: an actor may belong to several states or blocs.
    pub of: Vec<Ident>,
    /// The state a body sits in (`in Kenya`), and what kind of body it is.
    pub host: Option<Ident>,
    pub body_kind: Option<Ident>,
    /// When it came into being and ceased to be, and who took its place.
    pub since: Option<WhenAst>,
    pub until: Option<WhenAst>,
    pub succeeded_by: Option<Ident>,
    /// `iso CHN`: the state's ISO 3166 alpha-3 code.
    pub iso: Option<Ident>,
    pub cite: Vec<Ident>,
}

/// `member Bolivia of Mercosur since 2024-07-08 [src]`.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberAst {
    pub member: Ident,
    pub of: Ident,
    pub since: Option<WhenAst>,
    pub until: Option<WhenAst>,
    pub cite: Vec<Ident>,
}

/// `relations Chile~Kenya established 1967 [src]`.
#[derive(Clone, Debug, PartialEq)]
pub struct RelationsAst {
    pub pair: PairAst,
    pub change: Keyword,
    pub change_span: Span,
    pub when: WhenAst,
    pub cite: Vec<Ident>,
}

/// What a figure is of: a relation, a flow from one actor to another, or
/// one actor.
#[derive(Clone, Debug, PartialEq)]
pub enum FigureOfAst {
    Pair(PairAst),
    Flow(Ident, Ident),
    One(Ident),
}

/// `figure investment Chile->Kenya 2024 170m USD [src]`.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureAst {
    pub target: bool,
    pub metric: Ident,
    pub of: FigureOfAst,
    pub when: WhenAst,
    pub amount: AmountAst,
    pub unit: Option<Ident>,
    pub cite: Vec<Ident>,
}

// The rarer statements are boxed, so that a statement (most are events)
// takes no more room than an event does.

/// What kind of id a statement declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeclaredKind {
    Actor,
    Source,
    Ladder,
    /// A rung of a ladder.
    Level,
    /// An event's label (`as moscow2019`).
    Label,
    /// A source the statement cites (`[cgtn]`): a use, not a declaration.
    /// It keeps the source from being reported as never cited, when the
    /// one statement that cites it is a syntax error already reported.
    Cited,
}

/// An id that a statement declares: kept for statements that failed to
/// parse, so their ids are not reported unknown where they are used.
#[derive(Clone, Debug, PartialEq)]
pub struct Declared {
    pub kind: DeclaredKind,
    pub id: Ident,
}

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
    /// The year, as a date (lowering checks it names a whole year).
    pub year: WhenAst,
    pub amount: AmountAst,
    pub currency: Ident,
    pub yoy: Option<PercentAst>,
    pub cite: Vec<Ident>,
}

/// An amount as written: `244.81bn` is the number `244.81` at scale `bn`.
/// The number is read in lowering, which explains a form it cannot read.
#[derive(Clone, Debug, PartialEq)]
pub struct AmountAst {
    pub number: String,
    pub scale: Scale,
    /// `~`, `>` or `<` before the number.
    pub bound: Bound,
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
    pub speakers: Vec<Ident>,
    pub when: WhenAst,
    pub about: Vec<AboutAst>,
    pub capacity: Option<Ident>,
    pub text: Str,
    pub cite: Vec<Ident>,
}

/// What a statement is about.
#[derive(Clone, Debug, PartialEq)]
pub enum AboutAst {
    Pair(PairAst),
    Topic(Str),
    Actor(Ident),
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
    Relations,
    Members,
    Memberships,
    Figures,
    Targets,
    /// Meetings held by phone.
    Calls,
}

impl Noun {
    /// The nouns a `complete` scope may take: lists of events or
    /// statements, which a source may give whole.
    pub const COMPLETABLE: [Noun; 6] = [
        Noun::Visits,
        Noun::Meetings,
        Noun::Calls,
        Noun::Events,
        Noun::Agreements,
        Noun::Statements,
    ];

    /// The filters a query of this noun takes (and so a `complete` scope).
    pub fn filters(self) -> &'static [FilterKey] {
        use FilterKey::*;
        match self {
            Noun::Visits => &[
                By, From, To, With, Kind, Status, At, During, In, Since, Until, On,
            ],
            Noun::Meetings | Noun::Calls => &[
                Of, With, Between, Mode, Kind, Status, At, About, During, In, Since, Until, On,
            ],
            Noun::Events | Noun::Agreements => &[
                Involving, Between, Of, With, By, Kind, Status, At, About, During, In, Since,
                Until, On,
            ],
            Noun::Timeline => &[In, Since, Until, On],
            Noun::Level => &[On],
            Noun::History => &[In, Since, Until],
            Noun::Trade => &[In, Since, Until],
            Noun::Statements => &[By, About, In, Since, Until, On],
            Noun::Actors => &[Kind, Of],
            Noun::Roles => &[On, Of, Kind],
            Noun::Relations => &[Of, At, On],
            Noun::Members => &[Of, On],
            Noun::Memberships => &[Of, On],
            Noun::Figures | Noun::Targets => &[Of, Kind, In, Since, Until, On],
            Noun::Sources | Noun::Claims | Noun::Ladders => &[],
        }
    }

    /// Every noun, in the order of [`Keyword::QUERY_NOUNS`].
    pub const ALL: [Noun; 20] = [
        Noun::Visits,
        Noun::Meetings,
        Noun::Events,
        Noun::Timeline,
        Noun::Level,
        Noun::History,
        Noun::Trade,
        Noun::Statements,
        Noun::Actors,
        Noun::Roles,
        Noun::Sources,
        Noun::Claims,
        Noun::Agreements,
        Noun::Ladders,
        Noun::Relations,
        Noun::Members,
        Noun::Memberships,
        Noun::Figures,
        Noun::Targets,
        Noun::Calls,
    ];

    /// The keyword that writes this noun.
    pub fn as_keyword(self) -> Keyword {
        match self {
            Noun::Visits => Keyword::Visits,
            Noun::Meetings => Keyword::Meetings,
            Noun::Events => Keyword::Events,
            Noun::Timeline => Keyword::Timeline,
            Noun::Level => Keyword::Level,
            Noun::History => Keyword::History,
            Noun::Trade => Keyword::Trade,
            Noun::Statements => Keyword::Statements,
            Noun::Actors => Keyword::Actors,
            Noun::Roles => Keyword::Roles,
            Noun::Sources => Keyword::Sources,
            Noun::Claims => Keyword::Claims,
            Noun::Agreements => Keyword::Agreements,
            Noun::Ladders => Keyword::Ladders,
            Noun::Relations => Keyword::Relations,
            Noun::Members => Keyword::Members,
            Noun::Memberships => Keyword::Memberships,
            Noun::Figures => Keyword::Figures,
            Noun::Targets => Keyword::Targets,
            Noun::Calls => Keyword::Calls,
        }
    }

    pub fn from_word(s: &str) -> Option<Noun> {
        Noun::ALL.into_iter().find(|n| n.word() == s)
    }

    pub fn word(self) -> &'static str {
        self.as_keyword().word()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum FilterValue {
    Pair(PairAst),
    When(WhenAst),
    Ident(Ident),
    Str(Str),
}

impl FilterValue {
    pub fn span(&self) -> Span {
        match self {
            FilterValue::Pair(p) => p.span,
            FilterValue::When(w) => w.span,
            FilterValue::Ident(i) => i.span,
            FilterValue::Str(s) => s.span,
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
    Status,
    At,
    During,
    /// `between A, B`: each takes part.
    Between,
}

/// What a filter takes after its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterArgument {
    Date,
    Pair,
    Id,
    /// `about`: a relation, an actor or a topic.
    PairOrText,
    /// `at`: a place in quotes, or a level.
    TextOrId,
}

impl FilterArgument {
    /// How a message names it: "`in` takes a date".
    pub fn phrase(self) -> &'static str {
        match self {
            FilterArgument::Date => "a date",
            FilterArgument::Pair => "a pair such as China~Russia",
            FilterArgument::Id => "an id",
            FilterArgument::PairOrText => {
                "a pair such as China~Russia, an actor, or a topic in quotes"
            }
            FilterArgument::TextOrId => "a place in quotes or a level's id",
        }
    }
}

impl FilterKey {
    /// Every filter key, in the order of [`Keyword::FILTER_KEYS`].
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
        FilterKey::Status,
        FilterKey::At,
        FilterKey::During,
        FilterKey::Between,
    ];

    /// The keyword that writes this filter.
    pub fn as_keyword(self) -> Keyword {
        match self {
            FilterKey::By => Keyword::By,
            FilterKey::To => Keyword::To,
            FilterKey::Of => Keyword::Of,
            FilterKey::With => Keyword::With,
            FilterKey::Involving => Keyword::Involving,
            FilterKey::About => Keyword::About,
            FilterKey::Kind => Keyword::Kind,
            FilterKey::Mode => Keyword::Mode,
            FilterKey::In => Keyword::In,
            FilterKey::Since => Keyword::Since,
            FilterKey::Until => Keyword::Until,
            FilterKey::On => Keyword::On,
            FilterKey::From => Keyword::From,
            FilterKey::Status => Keyword::Status,
            FilterKey::At => Keyword::At,
            FilterKey::During => Keyword::During,
            FilterKey::Between => Keyword::Between,
        }
    }

    pub fn word(self) -> &'static str {
        self.as_keyword().word()
    }

    pub fn from_word(word: &str) -> Option<FilterKey> {
        FilterKey::ALL.iter().copied().find(|k| k.word() == word)
    }

    pub fn argument(self) -> FilterArgument {
        match self {
            FilterKey::In | FilterKey::Since | FilterKey::Until | FilterKey::On => {
                FilterArgument::Date
            }
            FilterKey::About => FilterArgument::PairOrText,
            FilterKey::At => FilterArgument::TextOrId,
            FilterKey::Status | FilterKey::During | FilterKey::Between => FilterArgument::Id,
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
    /// Another query: the comparison is between two values of the model.
    Query(Box<Operand>),
}

impl Literal {
    pub fn span(&self) -> Span {
        match self {
            Literal::Str(s) => s.span,
            Literal::Pair(p) => p.span,
            Literal::Season(w) => w.span,
            Literal::Raw(_, s) => *s,
            Literal::Ident(i) => i.span,
            Literal::Query(o) => o.span,
        }
    }
}

/// A length of time added to or taken from a date: `+ 15d`.
#[derive(Clone, Debug, PartialEq)]
pub struct Shift {
    pub by: crate::date::Duration,
    pub span: Span,
}

/// A query on the right of a comparison, maybe shifted.
#[derive(Clone, Debug, PartialEq)]
pub struct Operand {
    pub query: Query,
    pub shift: Option<Shift>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub query: Query,
    /// A shift of the left side's date.
    pub shift: Option<Shift>,
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
        // An event's boxed day detail (weekday, time) is one pointer more.
        assert!(std::mem::size_of::<super::Statement>() <= 248);
    }
}

impl BaseQuery {
    /// What is wrong with one of this query's filters, if anything: a key
    /// its noun does not take, or a value of the wrong form (the grammar
    /// lets any key take any form). Queries and `complete` scopes both ask.
    pub fn misfit(
        &self,
        filter: &Filter,
        file: crate::source::FileId,
    ) -> Option<crate::diag::Diagnostic> {
        use crate::diag::{Code, Diagnostic};
        let allowed = self.noun.filters();
        let noun = self.noun.word();
        if !allowed.contains(&filter.key) {
            let help = if allowed.is_empty() {
                format!("`{noun}` takes no filters")
            } else {
                let words: Vec<&str> = allowed.iter().map(|k| k.word()).collect();
                format!("`{noun}` takes: {}", words.join(", "))
            };
            let message = format!("`{}` does not apply to `{noun}`", filter.key.word());
            return Some(
                Diagnostic::new(Code::BadQuery, message)
                    .at(file, filter.key_span, "not a filter of this query")
                    .help(help),
            );
        }
        let fits = matches!(
            (filter.key.argument(), &filter.value),
            (FilterArgument::Date, FilterValue::When(_))
                | (FilterArgument::Pair, FilterValue::Pair(_))
                | (FilterArgument::Id, FilterValue::Ident(_))
                | (
                    FilterArgument::PairOrText,
                    FilterValue::Pair(_) | FilterValue::Str(_) | FilterValue::Ident(_)
                )
                | (
                    FilterArgument::TextOrId,
                    FilterValue::Str(_) | FilterValue::Ident(_)
                )
        );
        (!fits).then(|| {
            let wants = filter.key.argument().phrase();
            Diagnostic::new(
                Code::BadQuery,
                format!("`{}` takes {wants}", filter.key.word()),
            )
            .at(file, filter.value.span(), format!("not {wants}"))
        })
    }
}

/// A date as written: `2025-05-07..10`, `2013-03-22..`, `early 2025`.
impl std::fmt::Display for WhenAst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.form {
            WhenForm::Single(text) => write!(f, "{text}"),
            WhenForm::Range(start, end) => {
                write!(
                    f,
                    "{start}..{}",
                    end.as_ref().map(|(e, _)| e.as_str()).unwrap_or("")
                )
            }
            WhenForm::Season(season, year) => write!(f, "{season} {year}"),
        }
    }
}

/// A pair as written: `China~Russia`.
impl std::fmt::Display for PairAst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}~{}", self.a.name, self.b.name)
    }
}

#[cfg(test)]
mod keyword_lists {
    use super::*;

    // The grammar test in `keyword.rs` ties `Keyword`'s lists to the
    // grammar; these tie the typed enums to `Keyword`'s lists.
    #[test]
    fn query_enums_match_the_keyword_lists() {
        let nouns: Vec<Keyword> = Noun::ALL.iter().map(|n| n.as_keyword()).collect();
        assert_eq!(nouns, Keyword::QUERY_NOUNS);
        let keys: Vec<Keyword> = FilterKey::ALL.iter().map(|k| k.as_keyword()).collect();
        assert_eq!(keys, Keyword::FILTER_KEYS);
        let attrs: Vec<Keyword> = AttrKey::ALL.iter().map(|a| a.as_keyword()).collect();
        assert_eq!(attrs, Keyword::ATTRIBUTES);
        let kinds: Vec<Keyword> = ActorKindAst::ALL.iter().map(|k| k.as_keyword()).collect();
        assert_eq!(kinds, Keyword::ACTOR_KINDS);
    }
}
