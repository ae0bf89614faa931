//! The world model: what a set of `.rel` files says, resolved and indexed.
//!
//! Actors, sources and ladders are kept in the order of their ids (lowering
//! declares them in that order, into an `IndexMap`); events
//! are kept in date order, with labels indexed and each actor's events
//! listed the first time a query names it, so a query touches only the
//! events it needs. Ids are interned: every
//! reference to an actor is an [`ActorId`], an index into `actors`.

pub use crate::date::Duration;
use crate::date::When;
use crate::figure::{Figure, Percent};
use crate::source::{FileId, SourceMap, Span};
use compact_str::CompactString;
use serde::Serialize;

mod events;
mod word;
pub use events::{Events, WithIds};
pub use word::Word;

/// Hash maps keyed by ids the model controls: FxHash is several times
/// faster than SipHash on short keys, and the keys are not attacker-chosen
/// in a way that matters for a checker run on one's own files.
pub type HashMap<K, V> = rustc_hash::FxHashMap<K, V>;
/// Insertion-ordered maps, with the same hasher.
pub type IndexMap<K, V> = indexmap::IndexMap<K, V, rustc_hash::FxBuildHasher>;

/// Where a fact was written, for diagnostics. Not part of the serde form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub file: FileId,
    pub span: Span,
}

/// A short list kept inside what holds it: an event has one to four
/// participants and one or two sources far more often than not, and a
/// million events should not make two million allocations for them.
pub type Few<T> = smallvec::SmallVec<[T; 4]>;

macro_rules! index_type {
    ($name:ident) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}
index_type!(ActorId);
index_type!(SourceId);
index_type!(LadderId);
index_type!(EventId);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    State,
    Person,
    Org,
    Bloc,
}

/// The kinds that hold relations: a pair, a membership, a posting.
pub const POLITIES: &[ActorKind] = &[ActorKind::State, ActorKind::Bloc];

impl ActorKind {
    pub const ALL: [ActorKind; 4] = [
        ActorKind::State,
        ActorKind::Person,
        ActorKind::Org,
        ActorKind::Bloc,
    ];

    pub fn is_polity(self) -> bool {
        POLITIES.contains(&self)
    }

    pub fn word(self) -> &'static str {
        match self {
            ActorKind::State => "state",
            ActorKind::Person => "person",
            ActorKind::Org => "org",
            ActorKind::Bloc => "bloc",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Actor {
    pub id: String,
    pub kind: ActorKind,
    pub name: String,
    pub aka: Vec<String>,
    /// The states or blocs the actor belongs to (`of`), in the order
    /// written: a person or body of a state, a state in blocs.
    pub of: Vec<ActorId>,
    /// The state a body sits in: an embassy's host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<ActorId>,
    /// What kind of body it is: `embassy`, `party`, `mechanism`…
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_kind: Option<String>,
    /// When it came into being and ceased to be (`until 2003-02-04`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<When>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<When>,
    /// The state that took its place and its relations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub succeeded_by: Option<ActorId>,
    /// The state's ISO 3166 alpha-3 code, when the file gives it (`iso CHN`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iso: Option<String>,
    /// For an office named as a participant whose holder the model does not
    /// know (`foreign_minister@Kenya`): the office and whose it is. Such an
    /// actor is made by lowering, not declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office: Option<(String, ActorId)>,
    pub sources: Few<SourceId>,
    #[serde(skip)]
    pub origin: Origin,
}

impl Actor {
    /// True when the actor existed on every day of `when`, as far as the
    /// model knows: it did unless its end is before them.
    pub fn gone_by(&self, when: &When) -> bool {
        self.until.is_some_and(|u| u.hi < when.lo)
    }
}

/// A membership of a bloc, an organisation or a party:
/// `member Bolivia of Mercosur since 2024-07-08`.
#[derive(Clone, Debug, Serialize)]
pub struct Membership {
    pub member: ActorId,
    pub of: ActorId,
    /// Its tenure; open at either end when not written.
    pub when: When,
    pub sources: Few<SourceId>,
    #[serde(skip)]
    pub origin: Origin,
}

/// How diplomatic relations between two states changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RelationChange {
    Established,
    Severed,
    Suspended,
    Restored,
}

impl RelationChange {
    pub fn word(self) -> &'static str {
        match self {
            RelationChange::Established => "established",
            RelationChange::Severed => "severed",
            RelationChange::Suspended => "suspended",
            RelationChange::Restored => "restored",
        }
    }

    /// The state relations are in after this change: `restored` relations
    /// are established again.
    pub fn state(self) -> RelationChange {
        match self {
            RelationChange::Restored => RelationChange::Established,
            other => other,
        }
    }
}

/// `relations Chile~Kenya established 1967`.
#[derive(Clone, Debug, Serialize)]
pub struct Diplomatic {
    pub a: ActorId,
    pub b: ActorId,
    pub change: RelationChange,
    pub when: When,
    pub sources: Few<SourceId>,
    #[serde(skip)]
    pub origin: Origin,
}

/// What a figure is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FigureOf {
    /// Between two actors, either way: `A~B`.
    Pair(ActorId, ActorId),
    /// From one to the other: `A->B`.
    Flow(ActorId, ActorId),
    One(ActorId),
}

impl FigureOf {
    pub fn involves(self, a: ActorId) -> bool {
        match self {
            FigureOf::Pair(x, y) | FigureOf::Flow(x, y) => x == a || y == a,
            FigureOf::One(x) => x == a,
        }
    }
}

/// A figure of any metric (`figure investment Chile->Kenya 2024 170m USD`),
/// or a goal for one (`target`). Trade between a pair by year is kept with
/// its relation instead ([`TradeFigure`]).
#[derive(Clone, Debug, Serialize)]
pub struct FigureFact {
    pub metric: String,
    pub of: FigureOf,
    pub when: When,
    pub amount: Figure,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// A goal, not an outcome.
    pub target: bool,
    pub sources: Few<SourceId>,
    #[serde(skip)]
    pub origin: Origin,
}

/// An office held over time: `president of China since 2013-03-14`.
#[derive(Clone, Debug, Serialize)]
pub struct Role {
    pub holder: ActorId,
    pub office: String,
    pub of: ActorId,
    pub to: Option<ActorId>,
    pub when: When,
    pub sources: Few<SourceId>,
    #[serde(skip)]
    pub origin: Origin,
}

impl Role {
    pub fn is_head_of_state(&self) -> bool {
        HEAD_OF_STATE_OFFICES.contains(&self.office.as_str())
    }

    /// The days a role was certainly held, if any. A tenure written as one
    /// date (`2025-05`) says the role was held during it. A start or end
    /// written coarsely is some day within what was written: `since 2022`
    /// is certain only from the end of 2022, `..2022-09` only up to the
    /// first of September.
    pub fn certainly_held(&self) -> Option<(i32, i32)> {
        use crate::date::{period, Shape, OPEN_END, OPEN_START};
        let tenure = &self.when;
        let (lo, hi) = match tenure.shape {
            Shape::Point(_) | Shape::Season(_) => (tenure.lo, tenure.hi),
            Shape::Range(start, end) => (period(tenure.lo, start).1, period(tenure.hi, end).0),
            Shape::From(start) => (period(tenure.lo, start).1, OPEN_END),
            Shape::Until(end) => (OPEN_START, period(tenure.hi, end).0),
        };
        (lo <= hi).then_some((lo, hi))
    }

    /// True when every day `act` may cover falls within the days the role
    /// was certainly held.
    pub fn certainly_held_during(&self, act: &When) -> bool {
        self.certainly_held()
            .is_some_and(|(lo, hi)| act.lo >= lo && act.hi <= hi)
    }
}

/// Offices whose holder is their state's head of state.
pub const HEAD_OF_STATE_OFFICES: &[&str] = &[
    "president",
    "head_of_state",
    "monarch",
    "king",
    "queen",
    "emperor",
    "emir",
    "sultan",
    "chairman",
];

#[derive(Clone, Debug, Serialize)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub published: Option<When>,
    pub url: Option<String>,
    /// How many facts cite this source.
    pub cited: usize,
    /// Cited by a statement that did not parse (its syntax error is
    /// reported): not counted in `cited`, but not unused either.
    #[serde(skip)]
    pub cited_by_broken: bool,
    #[serde(skip)]
    pub origin: Origin,
}

#[derive(Clone, Debug, Serialize)]
pub struct Rung {
    pub id: String,
    pub name: String,
}

/// An ordered scale of partnership levels, lowest first.
#[derive(Clone, Debug, Serialize)]
pub struct Ladder {
    pub id: String,
    pub rungs: Vec<Rung>,
    #[serde(skip)]
    pub origin: Origin,
    #[serde(skip)]
    pub rung_origins: Vec<Origin>,
}

impl Ladder {
    pub fn position(&self, level: &str) -> Option<usize> {
        self.rungs.iter().position(|r| r.id == level)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Visit,
    Meeting,
    Call,
    Elected,
    Reelected,
    Agreement,
    Summit,
    /// Any other event: `event speech …`; its kind is the event's `subkind`.
    Other,
}

/// An event that did not (or not yet) take place as reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    Planned,
    Postponed,
    Cancelled,
}

impl EventStatus {
    pub const ALL: [EventStatus; 3] = [
        EventStatus::Planned,
        EventStatus::Postponed,
        EventStatus::Cancelled,
    ];
    pub fn word(self) -> &'static str {
        match self {
            EventStatus::Planned => "planned",
            EventStatus::Postponed => "postponed",
            EventStatus::Cancelled => "cancelled",
        }
    }
    pub fn from_word(word: &str) -> Option<EventStatus> {
        EventStatus::ALL.into_iter().find(|s| s.word() == word)
    }
}

/// The words of [`EventStatus::ALL`].
pub const EVENT_STATUSES: &[&str] = &["planned", "postponed", "cancelled"];

impl EventKind {
    pub fn word(self) -> &'static str {
        match self {
            EventKind::Visit => "visit",
            EventKind::Meeting => "meeting",
            EventKind::Call => "call",
            EventKind::Elected => "elected",
            EventKind::Reelected => "reelected",
            EventKind::Agreement => "agreement",
            EventKind::Summit => "summit",
            EventKind::Other => "event",
        }
    }
    /// Calls are meetings held by phone: `meetings` queries count both.
    pub fn is_meeting(self) -> bool {
        matches!(self, EventKind::Meeting | EventKind::Call)
    }
}

/// Where an event took place: a named place, or another event (a summit).
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Place {
    Named(CompactString),
    Event(EventId),
    Actor(ActorId),
}

#[derive(Clone, Debug, Serialize)]
pub struct Event {
    pub kind: EventKind,
    pub when: When,
    /// Who took part. For a visit, the visitor; for an election, the
    /// person elected; for an agreement, its signatories.
    pub participants: Few<ActorId>,
    /// The state visited, for a visit; the state, for an election.
    pub to: Option<ActorId>,
    // Short words many events share, each kept once (`Word`).
    /// `kind state`, `kind working`, …
    pub subkind: Option<Word>,
    pub mode: Option<Word>,
    pub sources: Few<SourceId>,
    /// What most events leave out, kept apart so that an event stays small:
    /// a million events are a million of these. Read with
    /// [`Event::details`].
    #[serde(flatten)]
    pub details: Option<Box<EventDetails>>,
    #[serde(skip)]
    pub origin: Origin,
    #[serde(skip)]
    pub spans: EventSpans,
}

/// The attributes of an event that most events do not have. Those that
/// reports give most often (a title, where it took place, a label, the
/// host, the trip it was part of, what was discussed, whether it took
/// place) are here; the rest are boxed again in [`MoreDetails`], so an
/// event with a place or a title carries a box of 128 bytes, not 272.
#[derive(Clone, Debug, Default)]
pub struct EventDetails {
    pub title: Option<CompactString>,
    pub host: Option<ActorId>,
    pub at: Option<Place>,
    pub label: Option<CompactString>,
    /// Set when the event did not take place as reported.
    pub status: Option<EventStatus>,
    /// The trip the event was part of.
    pub during: Option<EventId>,
    pub topics: Vec<CompactString>,
    more: Option<Box<MoreDetails>>,
}

/// The rarest attributes of an event.
#[derive(Clone, Debug, Default)]
pub struct MoreDetails {
    pub office: Option<CompactString>,
    pub reason: Option<String>,
    pub invited_by: Option<ActorId>,
    /// In what capacity participants took part: `capacity <office>`.
    pub capacity: Vec<Capacity>,
    /// Who came along on a visit or to a meeting.
    pub with: Vec<ActorId>,
    /// The part of the day or the time: `evening`, `19:30`.
    pub time: Option<CompactString>,
    /// Other sources' dates for the event (`dated`).
    pub dated: Vec<OtherDates>,
}

static NO_MORE_DETAILS: MoreDetails = MoreDetails {
    office: None,
    reason: None,
    invited_by: None,
    capacity: Vec::new(),
    with: Vec::new(),
    time: None,
    dated: Vec::new(),
};

impl EventDetails {
    /// The rarest attributes (all `None` when the event has none).
    pub fn more(&self) -> &MoreDetails {
        self.more.as_deref().unwrap_or(&NO_MORE_DETAILS)
    }

    /// The rarest attributes, to set one.
    pub fn more_mut(&mut self) -> &mut MoreDetails {
        self.more.get_or_insert_with(Default::default)
    }
}

/// Flattened into the event, in the order of the fields before they were
/// split in two (the JSON the model is read in stays the same): the first
/// eight always, the rest when set.
impl Serialize for EventDetails {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let more = self.more();
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("title", &self.title)?;
        map.serialize_entry("office", &more.office)?;
        map.serialize_entry("reason", &more.reason)?;
        map.serialize_entry("invited_by", &more.invited_by)?;
        map.serialize_entry("host", &self.host)?;
        map.serialize_entry("at", &self.at)?;
        map.serialize_entry("capacity", &more.capacity)?;
        map.serialize_entry("label", &self.label)?;
        if !more.with.is_empty() {
            map.serialize_entry("with", &more.with)?;
        }
        if let Some(status) = &self.status {
            map.serialize_entry("status", status)?;
        }
        if let Some(during) = &self.during {
            map.serialize_entry("during", during)?;
        }
        if !self.topics.is_empty() {
            map.serialize_entry("topics", &self.topics)?;
        }
        if let Some(time) = &more.time {
            map.serialize_entry("time", time)?;
        }
        if !more.dated.is_empty() {
            map.serialize_entry("dated", &more.dated)?;
        }
        map.end()
    }
}

/// Dates another source gives for an event.
#[derive(Clone, Debug, Serialize)]
pub struct OtherDates {
    pub when: When,
    pub sources: Few<SourceId>,
    #[serde(skip)]
    pub origin: Origin,
}

/// A participant's office for one event (`meeting Rivera capacity
/// president, Soto …`), checked against their roles.
#[derive(Clone, Debug, Serialize)]
pub struct Capacity {
    pub who: ActorId,
    pub office: CompactString,
    /// Where the office is written.
    #[serde(skip)]
    pub span: Span,
}

static NO_DETAILS: EventDetails = EventDetails {
    title: None,
    host: None,
    at: None,
    label: None,
    status: None,
    during: None,
    topics: Vec::new(),
    more: None,
};

impl Event {
    /// Every actor the event involves: its participants, the state visited,
    /// the host and who came along.
    pub fn involved(&self) -> impl Iterator<Item = ActorId> + '_ {
        self.participants
            .iter()
            .copied()
            .chain(self.to)
            .chain(self.details().host)
            .chain(self.details().more().with.iter().copied())
    }

    /// Calls `f` on every actor id the event holds, to change it: its
    /// participants, the state visited, who invited, the host, an actor
    /// as its place, whose capacity, and who came along.
    pub fn actor_ids_mut(&mut self, mut f: impl FnMut(&mut ActorId)) {
        self.participants.iter_mut().for_each(&mut f);
        self.to.iter_mut().for_each(&mut f);
        let Some(details) = self.details.as_deref_mut() else {
            return;
        };
        details.host.iter_mut().for_each(&mut f);
        if let Some(Place::Actor(at)) = &mut details.at {
            f(at);
        }
        let Some(more) = details.more.as_deref_mut() else {
            return;
        };
        more.invited_by.iter_mut().for_each(&mut f);
        more.capacity.iter_mut().for_each(|c| f(&mut c.who));
        more.with.iter_mut().for_each(&mut f);
    }

    /// False for an event reported as planned, postponed or cancelled:
    /// kept and queryable, but never counted as having happened.
    pub fn happened(&self) -> bool {
        self.details().status.is_none()
    }

    /// Whether the event may have been on some day of `when`, by its own
    /// dates or by another source's.
    pub fn may_overlap(&self, when: &When) -> bool {
        self.when.overlaps(when)
            || self
                .details()
                .more()
                .dated
                .iter()
                .any(|d| d.when.overlaps(when))
    }

    /// The event's rarer attributes (all `None` when it has none).
    pub fn details(&self) -> &EventDetails {
        self.details.as_deref().unwrap_or(&NO_DETAILS)
    }
    /// The rarer attributes, to set one.
    pub fn details_mut(&mut self) -> &mut EventDetails {
        self.details.get_or_insert_with(Default::default)
    }
}

/// Spans of the parts of an event statement that diagnostics point at:
/// its dates, where it went (a visit's host, else its keyword) and the id
/// after `at` (else its keyword). Kept as 4-byte offsets, which a file of
/// at most 256 MiB (`load::MAX_FILE_BYTES`) always fits: a million events
/// hold a million of these.
#[derive(Clone, Copy, Debug, Default)]
pub struct EventSpans {
    when: [u32; 2],
    to: [u32; 2],
    at: [u32; 2],
}

impl EventSpans {
    pub fn new(when: Span, to: Span, at: Span) -> EventSpans {
        let offsets = |span: Span| {
            let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
            [offset(span.start), offset(span.end)]
        };
        EventSpans {
            when: offsets(when),
            to: offsets(to),
            at: offsets(at),
        }
    }

    pub fn when(&self) -> Span {
        Span::new(self.when[0] as usize, self.when[1] as usize)
    }

    pub fn to(&self) -> Span {
        Span::new(self.to[0] as usize, self.to[1] as usize)
    }

    pub fn at(&self) -> Span {
        Span::new(self.at[0] as usize, self.at[1] as usize)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct LevelChange {
    pub ladder: LadderId,
    /// Index of the level on its ladder.
    pub rung: usize,
    pub when: When,
    pub via: Option<EventId>,
    pub downgrade: bool,
    pub sources: Few<SourceId>,
    /// The statement; `level_span`, `via_span` and `downgrade_span` are in
    /// the same file.
    #[serde(skip)]
    pub origin: Origin,
    #[serde(skip)]
    pub level_span: Span,
    #[serde(skip)]
    pub via_span: Span,
    #[serde(skip)]
    pub downgrade_span: Option<Span>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TradeFigure {
    pub year: i32,
    pub amount: Figure,
    pub currency: String,
    pub yoy: Option<Percent>,
    pub sources: Few<SourceId>,
    #[serde(skip)]
    pub origin: Origin,
    #[serde(skip)]
    pub amount_span: Span,
    #[serde(skip)]
    pub yoy_span: Span,
}

/// A relation between two actors: level history and trade series.
#[derive(Clone, Debug, Serialize)]
pub struct Relation {
    pub a: ActorId,
    pub b: ActorId,
    pub ladder: Option<LadderId>,
    /// In date order.
    pub levels: Vec<LevelChange>,
    /// By year, then cited sources, then the statement's text.
    pub trade: Vec<TradeFigure>,
}

impl Relation {
    /// A pair's relation with no levels or trade yet.
    pub fn new((a, b): (ActorId, ActorId)) -> Relation {
        Relation {
            a,
            b,
            ladder: None,
            levels: Vec::new(),
            trade: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Say {
    /// The first speaker; `with` holds the others of a joint statement.
    pub speaker: ActorId,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<ActorId>,
    pub when: When,
    pub about: Option<(ActorId, ActorId)>,
    /// Topics and actors it is about, besides a relation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub about_actors: Vec<ActorId>,
    pub capacity: Option<String>,
    pub text: String,
    pub sources: Few<SourceId>,
    #[serde(skip)]
    pub origin: Origin,
    #[serde(skip)]
    pub capacity_span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    Assert,
    Claim,
}

impl CheckKind {
    pub fn word(self) -> &'static str {
        match self {
            CheckKind::Assert => "assert",
            CheckKind::Claim => "claim",
        }
    }
}

/// What the model says about a check's comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Supported,
    Contradicted,
    Undecided,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contradicted => "contradicted",
            Verdict::Undecided => "undecided",
        }
    }
}

/// An `assert` or `claim`: a comparison to evaluate against the model. The
/// comparison's syntax tree stays with the statements it was read from;
/// the model keeps its text and, once the checks are judged, its verdict.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub kind: CheckKind,
    /// The comparison as written.
    pub text: String,
    /// Undecided until the checks are judged (`query::run_checks`).
    #[serde(skip)]
    pub verdict: Verdict,
    pub sources: Few<SourceId>,
    #[serde(skip)]
    pub origin: Origin,
}

impl Check {
    /// How it came out: `holds`/`fails` for an assert,
    /// `supported`/`contradicted`/`undecided` for a claim.
    pub fn verdict_word(&self) -> &'static str {
        match (self.kind, self.verdict) {
            (CheckKind::Assert, Verdict::Supported) => "holds",
            (CheckKind::Assert, _) => "fails",
            (CheckKind::Claim, v) => v.word(),
        }
    }
}

/// Visit kinds a `kind` attribute may name on a visit.
pub const VISIT_KINDS: &[&str] = &[
    "state", "official", "working", "private", "transit", "summit",
];
/// The ways a meeting can be held (`mode`).
pub const MEETING_MODES: &[&str] = &["in_person", "virtual", "phone"];

/// The validated world model.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Model {
    pub sources: IndexMap<String, Source>,
    pub actors: IndexMap<String, Actor>,
    pub roles: Vec<Role>,
    pub ladders: IndexMap<String, Ladder>,
    /// Keyed by the pair with the lower actor id first.
    #[serde(serialize_with = "relations_as_list")]
    pub relations: IndexMap<(ActorId, ActorId), Relation>,
    /// By id, and in date order (start, then end, then cited sources,
    /// then the statement's text): see [`Events`].
    pub events: Events,
    pub statements: Vec<Say>,
    pub checks: Vec<Check>,
    #[serde(skip)]
    pub index: Index,
    /// Scopes declared `complete`: the model holds every event in each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub completes: Vec<Complete>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub memberships: Vec<Membership>,
    /// Diplomatic relations established, severed, suspended, restored; in
    /// date order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diplomatic: Vec<Diplomatic>,
    /// Figures of other metrics than trade, and targets; in date order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<FigureFact>,
}

fn relations_as_list<S: serde::Serializer>(
    rels: &IndexMap<(ActorId, ActorId), Relation>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(rels.values())
}

/// Lookup tables built once the model is complete.
#[derive(Clone, Debug, Default)]
pub struct Index {
    /// Ids and aliases to actors.
    pub names: HashMap<String, ActorId>,
    /// Event labels (`as moscow2019`) to events.
    pub labels: HashMap<String, EventId>,
    /// Each actor's and each side's events, listed as queries ask for
    /// them: checking a file without queries never pays for them.
    pub events: std::sync::OnceLock<EventIndexes>,
    /// Roles by holder.
    pub roles_by_holder: HashMap<ActorId, Vec<usize>>,
    /// The states each state succeeded, built the first time it is asked.
    pub succeeded: std::sync::OnceLock<HashMap<ActorId, Vec<ActorId>>>,
}

/// The model's event indexes: each actor's events and each side's, in
/// date order. A list is made the first time a query asks for it, by one
/// scan of the events; once [`EventIndexes::SCANS_BEFORE_ALL`] lists have
/// been made that way, every list is made in one pass (on two threads
/// for a large model).
/// Checking a file whose claims name one or two actors so never pays for
/// indexing a million events, and a session that asks about many does.
#[derive(Debug)]
pub struct EventIndexes {
    /// Every event an actor takes part in (as participant, host or
    /// destination, or coming along), by actor id.
    by_actor: Vec<std::sync::OnceLock<Box<[EventId]>>>,
    /// A state's or bloc's events: those it takes part in itself and
    /// those of its people and bodies (see [`Model::sides`]), by actor id;
    /// only polities' lists are used.
    by_side: Vec<std::sync::OnceLock<Box<[EventId]>>>,
    /// How many lists were made by scanning.
    scans: std::sync::atomic::AtomicUsize,
    /// Set once every list has been made.
    all: std::sync::OnceLock<()>,
}

/// A cache: a copy starts empty and makes its lists again.
impl Clone for EventIndexes {
    fn clone(&self) -> EventIndexes {
        EventIndexes::new(self.by_actor.len())
    }
}

impl EventIndexes {
    /// Past this many lists made by scanning, the next query builds all.
    pub const SCANS_BEFORE_ALL: usize = 8;

    fn new(actors: usize) -> EventIndexes {
        EventIndexes {
            by_actor: (0..actors).map(|_| Default::default()).collect(),
            by_side: (0..actors).map(|_| Default::default()).collect(),
            scans: Default::default(),
            all: Default::default(),
        }
    }

    /// The list `lists[actor]`, made by `scan` or, once enough lists have
    /// been scanned for, by building them all.
    fn list<'m>(
        &'m self,
        model: &Model,
        lists: &'m [std::sync::OnceLock<Box<[EventId]>>],
        actor: ActorId,
        scan: impl FnOnce() -> Vec<EventId>,
    ) -> &'m [EventId] {
        // An id from another model names no actor here, and no events.
        let Some(cell) = lists.get(actor.index()) else {
            return &[];
        };
        if let Some(list) = cell.get() {
            return list;
        }
        let scans = self
            .scans
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if scans >= Self::SCANS_BEFORE_ALL {
            self.build_all(model);
        }
        cell.get_or_init(|| scan().into_boxed_slice())
    }

    /// Changes the lists made so far of `actors` and of `sides`.
    fn change_lists(
        &mut self,
        actors: &[ActorId],
        sides: &[ActorId],
        mut change: impl FnMut(&mut Box<[EventId]>),
    ) {
        for (lists, ids) in [(&mut self.by_actor, actors), (&mut self.by_side, sides)] {
            for a in ids {
                if let Some(list) = lists.get_mut(a.index()).and_then(|c| c.get_mut()) {
                    change(list);
                }
            }
        }
    }

    /// Makes every list not made yet, in one pass over the events.
    fn build_all(&self, model: &Model) {
        self.all.get_or_init(|| {
            let (by_actor, by_side) = Self::all_lists(model);
            for (lists, mut built) in [(&self.by_actor, by_actor), (&self.by_side, by_side)] {
                for (i, cell) in lists.iter().enumerate() {
                    let list = built.remove(&ActorId(i as u32)).unwrap_or_default();
                    // A list already made by a scan is the same list.
                    let _ = cell.set(list.into_boxed_slice());
                }
            }
        });
    }

    /// Every actor's events and every side's, in one pass: on a large
    /// model two threads share the work. One makes the sides of the first
    /// three quarters of the events (an event's sides cost about twice
    /// what its actors do), the other the actors of all, then the sides of
    /// the rest; the two parts of each side's list are joined in order.
    #[allow(clippy::type_complexity)]
    fn all_lists(
        model: &Model,
    ) -> (
        HashMap<ActorId, Vec<EventId>>,
        HashMap<ActorId, Vec<EventId>>,
    ) {
        let all = 0..model.events.len();
        if !crate::parallel::worth_two_threads(model.events.len()) {
            return (Self::all_actors(model), Self::all_sides(model, all));
        }
        let split = all.end / 4 * 3;
        let (mut by_side, (by_actor, rest)) = crate::parallel::join(
            || Self::all_sides(model, 0..split),
            || {
                (
                    Self::all_actors(model),
                    Self::all_sides(model, split..all.end),
                )
            },
        );
        for (side, mut events) in rest {
            by_side.entry(side).or_default().append(&mut events);
        }
        (by_actor, by_side)
    }

    /// The events of each actor involved.
    fn all_actors(model: &Model) -> HashMap<ActorId, Vec<EventId>> {
        let mut by_actor: HashMap<ActorId, Vec<EventId>> = HashMap::default();
        let mut involved = Vec::new();
        for (id, ev) in model.events.with_ids() {
            event_actors(ev, &mut involved);
            for &a in &involved {
                by_actor.entry(a).or_default().push(id);
            }
        }
        by_actor
    }

    /// The events of each side (see [`Model::sides`]), of those at the
    /// places `ranks` of the date order.
    fn all_sides(model: &Model, ranks: std::ops::Range<usize>) -> HashMap<ActorId, Vec<EventId>> {
        let mut by_side: HashMap<ActorId, Vec<EventId>> = HashMap::default();
        let mut sides = Vec::new();
        for (id, ev) in model.events.ranks(ranks) {
            model.sides(ev, &mut sides);
            for &s in &sides {
                by_side.entry(s).or_default().push(id);
            }
        }
        by_side
    }

    /// One actor's events, by a scan of all.
    fn scan_actor(model: &Model, actor: ActorId) -> Vec<EventId> {
        model
            .events
            .with_ids()
            .filter(|(_, ev)| ev.involved().any(|a| a == actor))
            .map(|(id, _)| id)
            .collect()
    }

    /// One polity's side events, by a scan of all: only an event that
    /// involves the polity, one of its people or bodies, or the holder of
    /// one of its offices can be among them, and only those events' sides
    /// are worked out.
    fn scan_side(model: &Model, polity: ActorId) -> Vec<EventId> {
        let mut may_count = vec![false; model.actors.len()];
        may_count[polity.index()] = true;
        for (i, a) in model.actors.values().enumerate() {
            if !a.kind.is_polity() && a.of.contains(&polity) {
                may_count[i] = true;
            }
        }
        for role in &model.roles {
            let body = model.actor(role.of);
            if role.of == polity || (!body.kind.is_polity() && body.of.contains(&polity)) {
                may_count[role.holder.index()] = true;
            }
        }
        let mut sides = Vec::new();
        let mut out = Vec::new();
        for (id, ev) in model.events.with_ids() {
            if !ev.involved().any(|a| may_count[a.index()]) {
                continue;
            }
            model.sides(ev, &mut sides);
            if sides.binary_search(&polity).is_ok() {
                out.push(id);
            }
        }
        out
    }
}

/// The actors an event involves, each once, into `out`.
fn event_actors(event: &Event, out: &mut Vec<ActorId>) {
    out.clear();
    out.extend(event.involved());
    out.sort();
    out.dedup();
}

/// Where `Model::finish` puts a fact among those of its kind: by date,
/// then cited sources, then the statement's text. A fact added to a
/// finished model goes after those equal to it on all three (they were
/// written before it).
fn finished_order<'a>(
    sources: &'a SourceMap,
    when: When,
    cited: &'a [SourceId],
    origin: Origin,
) -> ((i32, i32), &'a [SourceId], &'a str) {
    (when.sort_key(), cited, statement_text(sources, origin))
}

/// A trade figure's place in a finished model (see [`finished_order`]):
/// by year as by the year's days.
fn trade_order<'a>(
    sources: &'a SourceMap,
    t: &'a TradeFigure,
) -> ((i32, i32), &'a [SourceId], &'a str) {
    finished_order(sources, When::year(t.year), &t.sources, t.origin)
}

/// Moves each item to the place `to[i]` gives it, following the cycles
/// of the permutation with swaps: no second copy of the items.
/// `swap(a, b)` swaps the items at `a` and `b`.
fn permute_in_place(to: &[EventId], mut swap: impl FnMut(usize, usize)) {
    let mut placed = vec![false; to.len()];
    for start in 0..to.len() {
        if placed[start] {
            continue;
        }
        // Swapping the item at `start` into its place brings in the item
        // that was there, which goes to its own place next, and so on
        // round the cycle.
        let mut target = to[start].index();
        while target != start {
            swap(start, target);
            placed[target] = true;
            target = to[target].index();
        }
        placed[start] = true;
    }
}

/// Orders a pair so `A~B` and `B~A` are the same key.
pub fn pair_key(a: ActorId, b: ActorId) -> (ActorId, ActorId) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

impl Model {
    pub fn actor(&self, id: ActorId) -> &Actor {
        &self.actors[id.index()]
    }
    pub fn actor_name(&self, id: ActorId) -> &str {
        &self.actor(id).id
    }
    pub fn lookup(&self, name: &str) -> Option<ActorId> {
        self.index.names.get(name).copied()
    }
    pub fn source(&self, id: SourceId) -> &Source {
        &self.sources[id.index()]
    }
    pub fn ladder(&self, id: LadderId) -> &Ladder {
        &self.ladders[id.index()]
    }
    pub fn event(&self, id: EventId) -> &Event {
        self.events.get(id)
    }
    pub fn relation(&self, a: ActorId, b: ActorId) -> Option<&Relation> {
        self.relations.get(&pair_key(a, b))
    }
    pub fn roles_of(&self, holder: ActorId) -> impl Iterator<Item = &Role> {
        self.index
            .roles_by_holder
            .get(&holder)
            .into_iter()
            .flatten()
            .map(|&i| &self.roles[i])
    }
    /// `A~B` with the actors' ids.
    pub fn pair_name(&self, (a, b): (ActorId, ActorId)) -> String {
        format!("{}~{}", self.actor_name(a), self.actor_name(b))
    }
    /// How a place reads: its name, or the id of the event or actor it is.
    /// (An event is a place only when it has a label.)
    pub fn place_name<'a>(&'a self, place: &'a Place) -> &'a str {
        match place {
            Place::Named(name) => name,
            Place::Event(e) => self.event(*e).details().label.as_deref().unwrap_or("?"),
            Place::Actor(a) => self.actor_name(*a),
        }
    }
    pub fn level_name(&self, change: &LevelChange) -> &str {
        &self.ladder(change.ladder).rungs[change.rung].id
    }

    /// The states an actor's relations pass from: those it succeeded,
    /// nearest first (each once, however the successions are written).
    pub fn predecessors(&self, actor: ActorId) -> Vec<ActorId> {
        // Who succeeded whom, gathered once: a check asks for every visit.
        let succeeded = self.index.succeeded.get_or_init(|| {
            let mut by_successor: HashMap<ActorId, Vec<ActorId>> = HashMap::default();
            for (i, a) in self.actors.values().enumerate() {
                if let Some(s) = a.succeeded_by {
                    by_successor.entry(s).or_default().push(ActorId(i as u32));
                }
            }
            by_successor
        });
        if succeeded.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<ActorId> = Vec::new();
        let mut frontier = vec![actor];
        while let Some(next) = frontier.pop() {
            for &id in succeeded.get(&next).into_iter().flatten() {
                if id != actor && !out.contains(&id) {
                    out.push(id);
                    frontier.push(id);
                }
            }
        }
        out
    }

    /// The diplomatic relations between two states on `on`: the last
    /// change certainly before it, of the pair or, for a successor, of the
    /// states it succeeded. `None` when the model records none.
    pub fn relations_on(&self, a: ActorId, b: ActorId, on: &When) -> Option<&Diplomatic> {
        self.diplomatic_between(a, b)
            .filter(|(_, d)| d.when.hi <= on.hi)
            .last()
            .map(|(_, d)| d)
    }

    /// The changes of diplomatic relations between two states, with their
    /// indexes, in date order: the pair's own and, for a successor, those
    /// of the states it succeeded.
    pub fn diplomatic_between(
        &self,
        a: ActorId,
        b: ActorId,
    ) -> impl Iterator<Item = (usize, &Diplomatic)> {
        let side = |x: ActorId| {
            let mut all = vec![x];
            all.extend(self.predecessors(x));
            all
        };
        let (xs, ys) = (side(a), side(b));
        self.diplomatic.iter().enumerate().filter(move |(_, d)| {
            (xs.contains(&d.a) && ys.contains(&d.b)) || (xs.contains(&d.b) && ys.contains(&d.a))
        })
    }

    fn event_indexes(&self) -> &EventIndexes {
        self.index
            .events
            .get_or_init(|| EventIndexes::new(self.actors.len()))
    }

    /// The states and blocs an event belongs to, into `out` (sorted, each
    /// once): those that take part in it, host it or are visited, and
    /// those of each person or body that takes part or hosts: the states
    /// and blocs it is `of`, and the state or bloc of any office it holds
    /// for the whole of the event's dates (an office of a body counts for
    /// the body's states and blocs).
    pub fn sides(&self, ev: &Event, out: &mut Vec<ActorId>) {
        out.clear();
        for a in ev.involved() {
            let actor = self.actor(a);
            if actor.kind.is_polity() {
                out.push(a);
                continue;
            }
            if ev.to == Some(a) {
                continue; // a place visited that is not a polity
            }
            out.extend(actor.of.iter().copied());
            for role in self.roles_of(a) {
                if !role.certainly_held_during(&ev.when) {
                    continue;
                }
                let body = self.actor(role.of);
                if body.kind.is_polity() {
                    out.push(role.of);
                } else {
                    out.extend(body.of.iter().copied());
                }
            }
        }
        out.sort();
        out.dedup();
    }

    /// A side's events, in date order: for a state or bloc, its own and
    /// its people's and bodies' ([`Model::sides`]); for a person or body,
    /// the events it takes part in.
    pub fn side_events(&self, actor: ActorId) -> &[EventId] {
        if !self.actor(actor).kind.is_polity() {
            return self.events_of(actor);
        }
        let indexes = self.event_indexes();
        indexes.list(self, &indexes.by_side, actor, || {
            EventIndexes::scan_side(self, actor)
        })
    }

    /// True when the event is one of the side's events.
    pub fn is_side_event(&self, actor: ActorId, event: EventId) -> bool {
        let rank = self.events.rank(event);
        self.side_events(actor)
            .binary_search_by(|&e| self.events.rank(e).cmp(&rank))
            .is_ok()
    }

    /// Events of both sides, in date order: those in both lists.
    pub fn side_events_between(&self, a: ActorId, b: ActorId) -> Vec<EventId> {
        in_both(&self.events, self.side_events(a), self.side_events(b))
    }

    /// Events an actor is involved in, in date order.
    pub fn events_of(&self, actor: ActorId) -> &[EventId] {
        let indexes = self.event_indexes();
        indexes.list(self, &indexes.by_actor, actor, || {
            EventIndexes::scan_actor(self, actor)
        })
    }

    /// Events involving both actors, in date order (none when they are
    /// the same actor): those in both actors' lists.
    pub fn events_between(&self, a: ActorId, b: ActorId) -> Vec<EventId> {
        if a == b {
            return Vec::new();
        }
        in_both(&self.events, self.events_of(a), self.events_of(b))
    }

    /// Adds an event to a finished model, in its place in date order and
    /// in the event lists made so far (those not made yet will find it),
    /// and returns its id. Its place is the one finishing would give it
    /// among the events there (see [`Model::finish`]): after those that
    /// tie with it on everything, as it was written after them.
    pub(crate) fn add_event(&mut self, event: Event, sources: &SourceMap) -> EventId {
        let new = finished_order(sources, event.when, &event.sources, event.origin);
        let rank = self
            .events
            .partition_point(|e| finished_order(sources, e.when, &e.sources, e.origin) <= new);
        let (involved, sides) = self.lists_holding(&event);
        let id = self.events.insert_at_rank(rank, event);
        let events = &self.events;
        if let Some(indexes) = self.index.events.get_mut() {
            let place = |list: &[EventId]| list.partition_point(|&e| events.rank(e) < rank);
            indexes.change_lists(&involved, &sides, |list| {
                let mut longer = std::mem::take(list).into_vec();
                longer.insert(place(&longer), id);
                *list = longer.into_boxed_slice();
            });
        }
        id
    }

    /// Adds a statement (`statement …`) to a finished model, in its place:
    /// the one finishing would give it (by date, sources, then text),
    /// after those that tie with it on everything, as it was written
    /// after them.
    pub(crate) fn add_statement(&mut self, say: Say, sources: &SourceMap) {
        let new = finished_order(sources, say.when, &say.sources, say.origin);
        let at = self
            .statements
            .partition_point(|s| finished_order(sources, s.when, &s.sources, s.origin) <= new);
        self.statements.insert(at, say);
    }

    /// Adds a trade figure of `pair` to a finished model, where
    /// [`Model::finish`] would have put it: after the figures before it
    /// by year, sources and text, and those equal to it on all three.
    /// True when it made the pair's relation.
    pub(crate) fn add_trade(
        &mut self,
        pair: (ActorId, ActorId),
        figure: TradeFigure,
        sources: &SourceMap,
    ) -> bool {
        let (rel, made) = self.relation_to_add_to(pair);
        let new = trade_order(sources, &figure);
        let at = rel
            .trade
            .partition_point(|t| trade_order(sources, t) <= new);
        rel.trade.insert(at, figure);
        made
    }

    /// The relation of `pair` in a finished model, made if it had none
    /// (among the pairs in the order of their actors' ids, as `finish`
    /// leaves them), and whether it was made.
    fn relation_to_add_to(&mut self, pair: (ActorId, ActorId)) -> (&mut Relation, bool) {
        let (at, made) = match self.relations.get_index_of(&pair) {
            Some(at) => (at, false),
            None => (
                self.relations.insert_sorted(pair, Relation::new(pair)).0,
                true,
            ),
        };
        (&mut self.relations[at], made)
    }

    /// The ladder a level is on, for a pair that has none yet: the one
    /// named (`on`), else the first ladder that has the level.
    pub fn ladder_of(&self, on: Option<&str>, level: &str) -> Option<LadderId> {
        let i = match on {
            Some(name) => self.ladders.get_index_of(name),
            None => self
                .ladders
                .values()
                .position(|l| l.position(level).is_some()),
        };
        i.map(|i| LadderId(i as u32))
    }

    /// Adds a level change of `pair` to a finished model, where
    /// [`Model::finish`] would have put it: after the changes before it
    /// by date, sources and text, and those equal to it on all three. The
    /// pair takes the level's ladder if it had none. True when it made the
    /// pair's relation.
    pub(crate) fn add_level(
        &mut self,
        pair: (ActorId, ActorId),
        level: LevelChange,
        sources: &SourceMap,
    ) -> bool {
        let (rel, made) = self.relation_to_add_to(pair);
        rel.ladder.get_or_insert(level.ladder);
        let new = finished_order(sources, level.when, &level.sources, level.origin);
        let at = rel
            .levels
            .partition_point(|l| finished_order(sources, l.when, &l.sources, l.origin) <= new);
        rel.levels.insert(at, level);
        made
    }

    /// Makes every event list now (see [`EventIndexes`]), for a model
    /// that will answer many queries.
    pub fn list_all_events(&self) {
        self.event_indexes().build_all(self);
    }

    /// Whose event lists hold `event`: the actors it involves, and the
    /// sides it is an event of.
    fn lists_holding(&self, event: &Event) -> (Vec<ActorId>, Vec<ActorId>) {
        let (mut involved, mut sides) = (Vec::new(), Vec::new());
        event_actors(event, &mut involved);
        self.sides(event, &mut sides);
        (involved, sides)
    }

    /// Takes back the event [`Model::add_event`] added last.
    pub(crate) fn take_back_event(&mut self) {
        let Some(last) = self.events.len().checked_sub(1) else {
            return;
        };
        let id = EventId(last as u32);
        let (involved, sides) = self.lists_holding(self.event(id));
        if let Some(indexes) = self.index.events.get_mut() {
            indexes.change_lists(&involved, &sides, |list| {
                let mut shorter = std::mem::take(list).into_vec();
                shorter.retain(|&e| e != id);
                *list = shorter.into_boxed_slice();
            });
        }
        self.events.remove_last();
    }

    /// Sorts events into date order and builds the indexes. Called once
    /// lowering has added every fact; ids handed out before are remapped.
    pub(crate) fn finish(&mut self, sources: &SourceMap) -> Vec<EventId> {
        // Sort in place (no second copy of a million events), then map the
        // ids handed out in declaration order to their new places.
        // Events are large: sort small keys, then move each event once.
        // Ties on a date break by source, then by the statements' text, so
        // the order is a function of the set of statements; the position
        // in the files breaks ties between identical statements only.
        //
        // Most comparisons tie on the date (a hundred events a day), so
        // each key also carries the first source and the first 32
        // bytes of the statement's text: the full sources and text, far
        // apart in memory, are read only when those tie too.
        let events = &self.events;
        let keys_of = |range: std::ops::Range<usize>| -> Vec<SortKey> {
            range
                .map(|i| {
                    let e = events.get(EventId(i as u32));
                    SortKey::new(e, statement_text(sources, e.origin), i as u32)
                })
                .collect()
        };
        let sources_order = |x: &SortKey, y: &SortKey| {
            (x.when, x.first_source)
                .cmp(&(y.when, y.first_source))
                .then_with(|| {
                    if x.more_sources || y.more_sources {
                        let (a, b) = (events.get(EventId(x.index)), events.get(EventId(y.index)));
                        a.sources.cmp(&b.sources)
                    } else {
                        // Equal first sources and no others: equal sources.
                        std::cmp::Ordering::Equal
                    }
                })
        };
        // First by everything the keys hold; then each run that ties on
        // all of it (the same date and sources, texts alike in their first
        // bytes) is ordered by the whole texts, each read once.
        let order = |x: &SortKey, y: &SortKey| {
            sources_order(x, y)
                .then_with(|| x.text_prefix.cmp(&y.text_prefix))
                .then(x.index.cmp(&y.index))
        };
        // Keys are distinct (the index is one), so making and sorting the
        // keys of each half of the events on its own thread and merging
        // the two gives the one order.
        // The merge lists the keys where they are, rather than copying
        // them: both halves and a merged copy would be the peak of memory.
        let n = events.len();
        let (left, right) = if crate::parallel::worth_two_threads(n) {
            let sorted_keys = |range| {
                let mut keys = keys_of(range);
                keys.sort_unstable_by(order);
                keys
            };
            crate::parallel::join(|| sorted_keys(0..n / 2), || sorted_keys(n / 2..n))
        } else {
            let mut keys = keys_of(0..n);
            keys.sort_unstable_by(order);
            (keys, Vec::new())
        };
        let keys = merge_sorted(&left, &right, order);
        let mut order: Vec<u32> = keys.iter().map(|k| k.index).collect();
        let mut start = 0;
        while start < keys.len() {
            let first = keys[start];
            let len = keys[start..]
                .iter()
                .position(|k| k.text_prefix != first.text_prefix || sources_order(first, k).is_ne())
                .unwrap_or(keys.len() - start);
            if len > 1 {
                let mut texts: Vec<(&str, u32)> = keys[start..start + len]
                    .iter()
                    .map(|k| {
                        (
                            statement_text(sources, events.get(EventId(k.index)).origin),
                            k.index,
                        )
                    })
                    .collect();
                texts.sort_unstable();
                for (slot, (_, index)) in order[start..start + len].iter_mut().zip(texts) {
                    *slot = index;
                }
            }
            start += len;
        }
        drop(keys);
        drop((left, right));
        let mut remap = vec![EventId(0); self.events.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old as usize] = EventId(new as u32);
        }
        permute_in_place(&remap, |a, b| {
            self.events.swap(EventId(a as u32), EventId(b as u32))
        });
        for ev in self.events.unsorted_mut() {
            let Some(details) = ev.details.as_mut() else {
                continue;
            };
            if let Some(Place::Event(e)) = details.at.as_mut() {
                *e = remap[e.index()];
            }
            if let Some(e) = details.during.as_mut() {
                *e = remap[e.index()];
            }
        }
        for rel in self.relations.values_mut() {
            for lc in &mut rel.levels {
                if let Some(v) = &mut lc.via {
                    *v = remap[v.index()];
                }
            }
            // Stable sorts: ties keep lowering order, the statements' text.
            rel.levels.sort_by(|x, y| {
                (x.when.sort_key(), &x.sources).cmp(&(y.when.sort_key(), &y.sources))
            });
            rel.trade
                .sort_by(|x, y| (x.year, &x.sources).cmp(&(y.year, &y.sources)));
        }
        // Pairs in the order of their actors' ids.
        self.relations.sort_unstable_keys();
        for id in self.index.labels.values_mut() {
            *id = remap[id.index()];
        }
        self.roles
            .sort_by(|x, y| (x.when.sort_key(), &x.sources).cmp(&(y.when.sort_key(), &y.sources)));
        self.roles_by_holder();
        self.statements
            .sort_by(|x, y| (x.when.sort_key(), &x.sources).cmp(&(y.when.sort_key(), &y.sources)));
        self.memberships
            .sort_by(|x, y| (x.when.sort_key(), &x.sources).cmp(&(y.when.sort_key(), &y.sources)));
        self.diplomatic
            .sort_by(|x, y| (x.when.sort_key(), &x.sources).cmp(&(y.when.sort_key(), &y.sources)));
        self.figures
            .sort_by(|x, y| (x.when.sort_key(), &x.sources).cmp(&(y.when.sort_key(), &y.sources)));
        // Event ids have changed: any index built before is stale.
        self.index.events = std::sync::OnceLock::new();
        remap
    }

    /// Gives the actors from `first` on, all made by lowering for offices
    /// that no one held, the numbers `renumbered` (indexed from `first`),
    /// reordering them to match and changing every fact that names one.
    /// Such an actor is a person, so no pair holds it (relations,
    /// diplomatic relations and a statement's `about A~B` take states and
    /// blocs), nor any declared actor's `of`, host or successor.
    pub(crate) fn renumber_offices(&mut self, first: usize, renumbered: &[ActorId]) {
        let mut f = |id: &mut ActorId| {
            if let Some(i) = id.index().checked_sub(first) {
                *id = renumbered[i];
            }
        };
        let mut made: Vec<(ActorId, String, Actor)> = self
            .actors
            .drain(first..)
            .zip(renumbered)
            .map(|((name, actor), &new)| (new, name, actor))
            .collect();
        made.sort_unstable_by_key(|m| m.0);
        for (new, name, actor) in made {
            self.index.names.insert(name.clone(), new);
            self.actors.insert(name, actor);
        }
        for event in self.events.unsorted_mut() {
            event.actor_ids_mut(&mut f);
        }
        for say in &mut self.statements {
            f(&mut say.speaker);
            say.with.iter_mut().for_each(&mut f);
            say.about_actors.iter_mut().for_each(&mut f);
        }
        for m in &mut self.memberships {
            f(&mut m.member);
            f(&mut m.of);
        }
        for figure in &mut self.figures {
            match &mut figure.of {
                FigureOf::Pair(a, b) | FigureOf::Flow(a, b) => {
                    f(a);
                    f(b);
                }
                FigureOf::One(a) => f(a),
            }
        }
        for c in &mut self.completes {
            c.actors.iter_mut().for_each(|(_, a)| f(a));
        }
        for r in &mut self.roles {
            f(&mut r.holder);
            f(&mut r.of);
            r.to.iter_mut().for_each(&mut f);
        }
        self.roles_by_holder();
        debug_assert!(self
            .relations
            .keys()
            .copied()
            .chain(self.diplomatic.iter().map(|d| (d.a, d.b)))
            .all(|(a, b)| a.index() < first && b.index() < first));
    }

    /// Indexes the roles by holder (again, after they are sorted).
    pub(crate) fn roles_by_holder(&mut self) {
        self.index.roles_by_holder.clear();
        for (i, r) in self.roles.iter().enumerate() {
            self.index
                .roles_by_holder
                .entry(r.holder)
                .or_default()
                .push(i);
        }
    }
}

/// What a `complete` statement declares: for this scope the model holds
/// every event, so counts within it are exact. The scope is a query of
/// `noun` with its filters, resolved.
#[derive(Clone, Debug, Serialize)]
pub struct Complete {
    /// `visits`, `meetings`, `events`, `agreements` or `statements`.
    pub noun: String,
    /// Actors the scope is about, by their place: `by` (a visitor or a
    /// speaker), `to` (the state visited), `involving` (any of `of`,
    /// `with`, `involving`: every one takes part).
    pub actors: Vec<(ScopeRole, ActorId)>,
    /// Offices named in those places (`by president@Chile`): the office
    /// and whose it is.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offices: Vec<(ScopeRole, String, ActorId)>,
    /// `about A~B` of statements.
    pub about: Option<(ActorId, ActorId)>,
    pub kind: Option<String>,
    pub mode: Option<String>,
    /// The date filters, as for a query: `in`, `since`, `until`, `on`.
    pub within: Option<When>,
    pub since: Option<When>,
    pub until: Option<When>,
    pub on: Option<When>,
    /// The statement as written.
    pub text: String,
    pub sources: Few<SourceId>,
    #[serde(skip)]
    pub origin: Origin,
}

/// The place of an actor in a `complete` scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScopeRole {
    By,
    To,
    Involving,
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_sorted_halves_merge_into_the_sorted_whole() {
        let mut state = 12345u64;
        let mut items: Vec<(u32, u32)> = (0..5000u32)
            .map(|i| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                ((state >> 40) as u32 % 300, i)
            })
            .collect();
        let order = |x: &(u32, u32), y: &(u32, u32)| x.cmp(y);
        let (left, right) = items.split_at_mut(1234);
        left.sort_unstable_by(order);
        right.sort_unstable_by(order);
        let merged: Vec<(u32, u32)> = super::merge_sorted(&items[..1234], &items[1234..], order)
            .into_iter()
            .copied()
            .collect();
        items.sort_unstable_by(order);
        assert_eq!(merged, items);
    }

    use super::*;

    #[test]
    fn permutation_moves_every_item_once_to_its_place() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        // a->2, b->0, c->1, d->4, e->3
        let to = [2, 0, 1, 4, 3].map(EventId);
        permute_in_place(&to, |a, b| items.swap(a, b));
        assert_eq!(items, vec!['b', 'c', 'a', 'e', 'd']);
    }
}
#[cfg(all(test, target_pointer_width = "64"))]
mod sizes {
    /// A million of each is held at once: growth here is memory and time.
    #[test]
    fn events_stay_small() {
        assert!(std::mem::size_of::<super::Event>() <= 136);
        // A third of the events in the benchmark have details, and most
        // events of a real report.
        assert!(std::mem::size_of::<super::EventDetails>() <= 128);
        // One for each event while events are sorted.
        assert!(std::mem::size_of::<super::SortKey>() <= 40);
    }
}

/// The events in both of two date-ordered lists, in date order: each of
/// the shorter list is looked for in the longer, so a person's few events
/// against a state's many cost little.
fn in_both(events: &Events, xs: &[EventId], ys: &[EventId]) -> Vec<EventId> {
    let (short, long) = if xs.len() <= ys.len() {
        (xs, ys)
    } else {
        (ys, xs)
    };
    short
        .iter()
        .copied()
        .filter(|&id| long.binary_search_by(|&e| events.cmp_order(e, id)).is_ok())
        .collect()
}

/// Two sorted runs merged into one, by `order`: the items, where they are.
fn merge_sorted<'a, T>(
    left: &'a [T],
    right: &'a [T],
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Vec<&'a T> {
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if order(&right[j], &left[i]).is_lt() {
            out.push(&right[j]);
            j += 1;
        } else {
            out.push(&left[i]);
            i += 1;
        }
    }
    out.extend(&left[i..]);
    out.extend(&right[j..]);
    out
}

/// What events are sorted by, in the order compared: the date, then the
/// sources, then the statement's text, then the place in the files. The
/// first source and the text's first bytes decide most ties without
/// reading the event or the text again.
#[derive(Clone, Copy)]
struct SortKey {
    when: (i32, i32),
    /// The first source plus one, 0 for none: ordered as the sources are
    /// (an event without sources comes first).
    first_source: u32,
    /// More sources than the first.
    more_sources: bool,
    /// The text's first bytes, zeros after its end: where two prefixes
    /// differ, the texts differ in the same order.
    text_prefix: [u8; SortKey::PREFIX],
    index: u32,
}

impl SortKey {
    /// Enough for the keyword and the first names (`meeting Hu_Jintao, `),
    /// which decide most ties on date and sources; a key of 40 bytes in
    /// all, 12 MB less than with 32 bytes of text on a million events,
    /// and no slower.
    const PREFIX: usize = 20;

    fn new(event: &Event, text: &str, index: u32) -> SortKey {
        let mut prefix = [0u8; SortKey::PREFIX];
        let n = text.len().min(SortKey::PREFIX);
        prefix[..n].copy_from_slice(&text.as_bytes()[..n]);
        SortKey {
            when: event.when.sort_key(),
            first_source: event.sources.first().map_or(0, |s| s.0 + 1),
            more_sources: event.sources.len() > 1,
            text_prefix: prefix,
            index,
        }
    }
}

/// The text of the statement at `origin`, for breaking ties.
fn statement_text(sources: &SourceMap, origin: Origin) -> &str {
    sources.get(origin.file).slice(origin.span)
}
