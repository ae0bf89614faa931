//! Evaluating queries against the model.

use super::check::CheckTable;
use super::{Cell, Item, Output};
use crate::date::{self, When};
use crate::diag::{Code, Diagnostic};
use crate::figure::{central_change, change_between, Interval};
use crate::model::*;
use crate::source::{FileId, Span};
use crate::syntax::ast::*;

/// A query's result, with the query for rendering.
#[derive(Clone, Debug)]
pub struct Evaluated {
    pub output: Output,
    /// The noun of the base query, to choose table columns.
    pub noun: Noun,
}

/// Evaluates a query. `file` is where the query's text lives, for
/// diagnostics.
pub fn evaluate(model: &Model, file: FileId, q: &Query) -> Result<Evaluated, Diagnostic> {
    Evaluator::new(model, file).query(q)
}

/// Evaluates a REPL or command-line line: a query, or a comparison whose
/// verdict is the result.
pub fn evaluate_line(
    model: &Model,
    file: FileId,
    line: &QueryLine,
) -> Result<Evaluated, Diagnostic> {
    match line {
        QueryLine::Query(q) => evaluate(model, file, q),
        QueryLine::Comparison(c) => {
            let outcome = super::check::compare(model, file, c)?;
            Ok(Evaluated {
                output: Output::Cell(Cell::Text(outcome.summary())),
                noun: Noun::Claims,
            })
        }
    }
}

pub(crate) struct Evaluator<'m> {
    pub model: &'m Model,
    pub file: FileId,
    /// While the checks are being judged, their verdicts come from here;
    /// afterwards, from the model.
    checks: Option<&'m CheckTable<'m>>,
}

impl<'m> Evaluator<'m> {
    pub fn new(model: &'m Model, file: FileId) -> Evaluator<'m> {
        Evaluator {
            model,
            file,
            checks: None,
        }
    }

    pub fn judging(model: &'m Model, file: FileId, checks: &'m CheckTable<'m>) -> Evaluator<'m> {
        Evaluator {
            model,
            file,
            checks: Some(checks),
        }
    }

    pub(super) fn verdict(&self, check: usize) -> Verdict {
        match self.checks {
            Some(table) => table.verdict(self.model, check),
            None => self.model.checks[check].verdict,
        }
    }
}

pub(super) fn bad(
    file: FileId,
    span: Span,
    message: impl Into<String>,
    label: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(Code::BadQuery, message).at(file, span, label)
}

/// The date filters of a query, combined.
#[derive(Default)]
pub(super) struct DateFilter {
    pub(super) within: Option<When>,
    pub(super) since: Option<When>,
    pub(super) until: Option<When>,
    pub(super) on: Option<When>,
}

impl DateFilter {
    pub(super) fn admits(&self, w: &When) -> bool {
        // An event with an open end (`2013-03-22..`) ends on or after its
        // start, on a day not reported: it is dated by its start.
        let start;
        let w = if w.hi == date::OPEN_END {
            start = w.start();
            &start
        } else {
            w
        };
        self.within.is_none_or(|r| r.contains(w))
            && self.since.is_none_or(|s| w.lo >= s.lo)
            && self.until.is_none_or(|u| w.hi <= u.hi)
            && self.on.is_none_or(|o| w.overlaps(&o))
    }
    /// Whether an event's dates, or another source's for it, are admitted:
    /// a query takes what either source allows.
    pub(super) fn admits_event(&self, e: &Event) -> bool {
        self.admits(&e.when)
            || e.details()
                .more()
                .dated
                .iter()
                .any(|d| self.admits(&d.when))
    }

    /// The earliest start an admitted date can have, for binary search.
    fn min_lo(&self) -> i32 {
        [self.within.map(|w| w.lo), self.since.map(|s| s.lo)]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(i32::MIN)
    }
}

pub(super) struct Filters {
    /// Actors named by `by`, `from`, `to`, `of`, `with` and `involving`.
    pub(super) actors: Vec<(FilterKey, ActorId)>,
    /// Offices named in those places (`by president@Chile`).
    pub(super) offices: Vec<(FilterKey, super::second_edition::OfficeRef)>,
    pub(super) kind: Option<Ident>,
    pub(super) mode: Option<Ident>,
    pub(super) about: Option<(ActorId, ActorId)>,
    /// `about "UN reform"`, `about Kenya`.
    pub(super) topic: Option<String>,
    pub(super) about_actor: Option<ActorId>,
    pub(super) status: Option<EventStatus>,
    /// `at "Nairobi"`; `at strategic` for relations.
    pub(super) place: Option<String>,
    pub(super) level: Option<Ident>,
    pub(super) during: Option<EventId>,
    pub(super) dates: DateFilter,
}

impl Filters {
    /// The actor a filter key names, if the query has that filter.
    pub(super) fn actor(&self, key: FilterKey) -> Option<ActorId> {
        self.actors.iter().find(|(k, _)| *k == key).map(|a| a.1)
    }
}

impl Evaluator<'_> {
    pub(super) fn actor_named(&self, id: &Ident) -> Result<ActorId, Diagnostic> {
        self.actor(id)
    }

    fn actor(&self, id: &Ident) -> Result<ActorId, Diagnostic> {
        self.model.lookup(&id.name).ok_or_else(|| {
            let mut d = Diagnostic::new(Code::UnknownActor, format!("unknown actor `{}`", id.name))
                .at(self.file, id.span, "not in the model");
            let names = self.model.index.names.keys().map(String::as_str);
            d = d.help_suggesting(
                &id.name,
                names,
                "`actors` lists every actor the model knows",
            );
            d
        })
    }

    fn pair(&self, p: &PairAst) -> Result<(ActorId, ActorId), Diagnostic> {
        let (a, b) = (self.actor(&p.a)?, self.actor(&p.b)?);
        // As in a statement: no relation joins an actor with itself, so
        // the answer would be empty for a reason the user should hear.
        if a == b {
            return Err(Diagnostic::new(
                Code::SelfRelation,
                format!("`{}` cannot be in a relation with itself", p.a.name),
            )
            .at(self.file, p.span, "the same actor on both sides")
            .help("a relation joins two different actors, e.g. `China~Russia`; to ask about one, name it alone: `timeline China`"));
        }
        Ok((a, b))
    }

    fn when(&self, w: &WhenAst) -> Result<When, Diagnostic> {
        w.read(self.file)
    }

    pub fn query(&self, q: &Query) -> Result<Evaluated, Diagnostic> {
        let (mut output, noun) = self.primary(&q.primary)?;
        for pipe in &q.pipes {
            output = self.pipe(output, pipe)?;
        }
        Ok(Evaluated { output, noun })
    }

    fn primary(&self, p: &Primary) -> Result<(Output, Noun), Diagnostic> {
        match p {
            Primary::Base(b) => Ok((self.base(b)?, b.noun)),
            Primary::Call {
                func,
                inner,
                fields,
                ..
            } => {
                let ev = self.query(inner)?;
                let items = self.as_items(ev.output, inner.span)?;
                let out = match func {
                    Func::Count => Output::Count(items.len()),
                    Func::First => Output::One(items.first().copied()),
                    Func::Last => Output::One(items.last().copied()),
                };
                Ok((self.fields(out, fields)?, ev.noun))
            }
            Primary::Paren { inner, fields } => {
                let ev = self.query(inner)?;
                Ok((self.fields(ev.output, fields)?, ev.noun))
            }
        }
    }

    fn as_items(&self, out: Output, span: Span) -> Result<Vec<Item>, Diagnostic> {
        match out {
            Output::Items(items) => Ok(items),
            Output::One(item) => Ok(item.into_iter().collect()),
            _ => Err(bad(
                self.file,
                span,
                "this is a single value, not a list",
                "not a list",
            )
            .help(
                "count, first and last take a query that lists things, e.g. `count(visits by Xi)`",
            )),
        }
    }

    fn fields(&self, mut out: Output, fields: &[Ident]) -> Result<Output, Diagnostic> {
        for f in fields {
            out = match out {
                Output::One(Some(item)) => Output::Cell(self.field(item, f)?),
                Output::One(None) => Output::Cell(Cell::Empty),
                Output::Cell(Cell::Empty) => Output::Cell(Cell::Empty),
                // A field of an undecided value is just as undecided.
                Output::Cell(Cell::Undecided(why)) => Output::Cell(Cell::Undecided(why)),
                Output::Items(_) => {
                    return Err(bad(
                        self.file,
                        f.span,
                        format!("`.{}` needs a single result, and this is a list", f.name),
                        "field of a list",
                    )
                    .help("take one first: `first(...).field` or `... | first | .field`"))
                }
                _ => {
                    return Err(bad(
                        self.file,
                        f.span,
                        format!("a value has no field `.{}`", f.name),
                        "no such field",
                    )
                    .help("fields belong to one result, e.g. `first(visits by Xi).to`"))
                }
            };
        }
        Ok(out)
    }

    fn pipe(&self, out: Output, pipe: &Pipe) -> Result<Output, Diagnostic> {
        if let PipeKind::Field(f) = &pipe.kind {
            return self.fields(out, std::slice::from_ref(f));
        }
        let items = match out {
            Output::Items(items) => items,
            Output::One(one) => one.into_iter().collect(),
            _ => {
                return Err(bad(
                    self.file,
                    pipe.span,
                    "this step needs a list, but the query before it is a single value",
                    "nothing to pipe",
                )
                .help("put count, first or last at the end of the pipe"))
            }
        };
        Ok(match &pipe.kind {
            PipeKind::Count => Output::Count(items.len()),
            PipeKind::First => Output::One(items.first().copied()),
            PipeKind::Last => Output::One(items.last().copied()),
            PipeKind::Reverse => Output::Items(items.into_iter().rev().collect()),
            PipeKind::Limit(n) => Output::Items(items.into_iter().take(*n).collect()),
            // Returned above; kept so every step reads the same way here.
            PipeKind::Field(f) => self.fields(Output::Items(items), std::slice::from_ref(f))?,
            PipeKind::Sort { by, desc } => {
                let mut keyed = Vec::with_capacity(items.len());
                for item in items {
                    let key = match by {
                        Some(f) => self.field(item, f)?,
                        None => self.default_cell(item),
                    };
                    keyed.push((sort_key(&key), item));
                }
                keyed.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
                if *desc {
                    keyed.reverse();
                }
                Output::Items(keyed.into_iter().map(|(_, i)| i).collect())
            }
        })
    }

    pub(super) fn filters(&self, b: &BaseQuery) -> Result<Filters, Diagnostic> {
        let mut f = Filters {
            actors: Vec::new(),
            offices: Vec::new(),
            kind: None,
            mode: None,
            about: None,
            topic: None,
            about_actor: None,
            status: None,
            place: None,
            level: None,
            during: None,
            dates: DateFilter::default(),
        };
        for filter in &b.filters {
            if let Some(misfit) = b.misfit(filter, self.file) {
                return Err(misfit);
            }
            use FilterKey as K;
            match (filter.key, &filter.value) {
                (K::In, FilterValue::When(w)) => f.dates.within = Some(self.when(w)?),
                (K::Since, FilterValue::When(w)) => f.dates.since = Some(self.when(w)?),
                (K::Until, FilterValue::When(w)) => f.dates.until = Some(self.when(w)?),
                (K::On, FilterValue::When(w)) => f.dates.on = Some(self.when(w)?),
                (K::Kind, FilterValue::Ident(i)) => {
                    self.known_kind(b.noun, i)?;
                    f.kind = Some(i.clone())
                }
                (K::Mode, FilterValue::Ident(i)) => {
                    if !MEETING_MODES.contains(&i.name.as_str()) {
                        return Err(bad(
                            self.file,
                            i.span,
                            format!("`{}` is not a meeting mode", i.name),
                            "unknown mode",
                        )
                        .help_suggesting(
                            &i.name,
                            MEETING_MODES.iter().copied(),
                            format!("meeting modes are: {}", MEETING_MODES.join(", ")),
                        ));
                    }
                    f.mode = Some(i.clone())
                }
                (K::About, FilterValue::Pair(p)) => f.about = Some(self.pair(p)?),
                (K::About, FilterValue::Str(s)) => f.topic = Some(s.value.clone()),
                (K::About, FilterValue::Ident(i)) => f.about_actor = Some(self.actor(i)?),
                (K::At, FilterValue::Str(s)) => f.place = Some(s.value.clone()),
                (K::At, FilterValue::Ident(i)) => {
                    self.known_place_or_level(b.noun, i)?;
                    f.level = Some(i.clone())
                }
                (K::Status, FilterValue::Ident(i)) => f.status = Some(self.status(i)?),
                (K::During, FilterValue::Ident(i)) => f.during = Some(self.trip(i)?),
                (
                    key @ (K::By | K::To | K::Of | K::With | K::Involving | K::From | K::Between),
                    FilterValue::Ident(i),
                ) => {
                    // `between A, B`: each takes part, as `involving` says.
                    let key = if key == K::Between { K::Involving } else { key };
                    match self.office_ref(i)? {
                        Some(office) => f.offices.push((key, office)),
                        None => f.actors.push((key, self.actor(i)?)),
                    }
                }
                // `misfit` has refused every other pairing of key and value.
                _ => {}
            }
        }
        Ok(f)
    }

    /// A `kind` filter names a kind something in the model has (or a
    /// visit kind the language defines): a misspelt kind is an error, not
    /// an empty answer. Actors' kinds are checked where actors are listed.
    fn known_kind(&self, noun: Noun, i: &Ident) -> Result<(), Diagnostic> {
        let m = self.model;
        let name = i.name.as_str();
        let known: Vec<&str> = match noun {
            Noun::Actors => return Ok(()),
            Noun::Visits => VISIT_KINDS.to_vec(),
            Noun::Roles => m.roles.iter().map(|r| r.office.as_str()).collect(),
            Noun::Figures | Noun::Targets => m.figures.iter().map(|f| f.metric.as_str()).collect(),
            _ => m
                .events
                .iter()
                .filter_map(|e| e.subkind.as_deref())
                .chain(m.events.iter().map(|e| e.kind.word()))
                .chain(VISIT_KINDS.iter().copied())
                .collect(),
        };
        if known.contains(&name) {
            return Ok(());
        }
        let mut choices = known.clone();
        choices.sort_unstable();
        choices.dedup();
        Err(bad(
            self.file,
            i.span,
            format!(
                "nothing in the model is of kind `{name}` for `{}`",
                noun.word()
            ),
            "unknown kind",
        )
        .help_suggesting(
            name,
            choices.iter().copied(),
            format!("kinds here: {}", choices.join(", ")),
        ))
    }

    /// `at <id>` names an event label or an actor (where an event took
    /// place), or, for `relations`, a level of some ladder.
    fn known_place_or_level(&self, noun: Noun, i: &Ident) -> Result<(), Diagnostic> {
        let m = self.model;
        let name = i.name.as_str();
        if noun == Noun::Relations {
            if m.ladders.values().any(|l| l.position(name).is_some()) {
                return Ok(());
            }
            let levels = m
                .ladders
                .values()
                .flat_map(|l| l.rungs.iter().map(|r| r.id.as_str()));
            return Err(Diagnostic::new(
                Code::UnknownLevel,
                format!("no ladder has a level `{name}`"),
            )
            .at(self.file, i.span, "not a level")
            .help_suggesting(
                name,
                levels,
                "`ladders` lists every ladder and its levels",
            ));
        }
        if m.index.labels.contains_key(name) || m.lookup(name).is_some() {
            return Ok(());
        }
        let labels = m.index.labels.keys().map(String::as_str);
        Err(Diagnostic::new(
            Code::UnknownLabel,
            format!("`{name}` is neither an event label nor an actor"),
        )
        .at(self.file, i.span, "nothing has this id")
        .help_suggesting(
            name,
            labels,
            format!("a place's name goes in quotes: `at \"{name}\"`"),
        ))
    }

    fn status(&self, i: &Ident) -> Result<EventStatus, Diagnostic> {
        EventStatus::from_word(&i.name).ok_or_else(|| {
            bad(
                self.file,
                i.span,
                format!("`{}` is not a status", i.name),
                "unknown status",
            )
            .help_suggesting(
                &i.name,
                EVENT_STATUSES.iter().copied(),
                format!("statuses are: {}", EVENT_STATUSES.join(", ")),
            )
        })
    }

    fn trip(&self, i: &Ident) -> Result<EventId, Diagnostic> {
        self.model
            .index
            .labels
            .get(i.name.as_str())
            .copied()
            .ok_or_else(|| {
                Diagnostic::new(
                    Code::UnknownLabel,
                    format!("no event is labelled `{}`", i.name),
                )
                .at(self.file, i.span, "no such label")
                .help_suggesting(
                    &i.name,
                    self.model.index.labels.keys().map(String::as_str),
                    "label the trip with `as <label>`",
                )
            })
    }

    fn subject_pair(&self, b: &BaseQuery) -> Result<Option<(ActorId, ActorId)>, Diagnostic> {
        match &b.subject {
            Some(Subject::Pair(p)) => Ok(Some(self.pair(p)?)),
            Some(Subject::Actor(i))
                if matches!(b.noun, Noun::Level | Noun::History | Noun::Trade) =>
            {
                Err(bad(
                    self.file,
                    i.span,
                    format!("`{}` needs a pair, not one actor", b.noun.word()),
                    "a single actor",
                )
                .help(format!(
                    "write the relation, e.g. `{} China~Russia`",
                    b.noun.word()
                )))
            }
            _ => Ok(None),
        }
    }

    fn need_pair(&self, b: &BaseQuery) -> Result<(ActorId, ActorId), Diagnostic> {
        self.subject_pair(b)?.ok_or_else(|| {
            bad(
                self.file,
                b.noun_span,
                format!("`{}` needs a relation", b.noun.word()),
                "which relation?",
            )
            .help(format!("name it, e.g. `{} China~Russia`", b.noun.word()))
        })
    }

    fn base(&self, b: &BaseQuery) -> Result<Output, Diagnostic> {
        let f = self.filters(b)?;
        let m = self.model;
        let items = match b.noun {
            // `level A~B` answers with one level, not a list of them.
            Noun::Level => return self.level_on(b),
            Noun::Visits => self.visits(&f)?,
            Noun::Meetings | Noun::Calls | Noun::Events | Noun::Agreements | Noun::Timeline => {
                self.events(b, &f)?
            }
            Noun::History => self.history(b, &f)?,
            Noun::Trade => self.trade(b, &f)?,
            Noun::Statements => self.statements(&f)?,
            Noun::Actors => self.actors(&f)?,
            Noun::Roles => self.roles(b, &f)?,
            Noun::Sources => (0..m.sources.len()).map(Item::Source).collect(),
            Noun::Claims => m
                .checks
                .iter()
                .enumerate()
                .filter(|(_, c)| c.kind == CheckKind::Claim)
                .map(|(i, _)| Item::Check(i))
                .collect(),
            Noun::Ladders => (0..m.ladders.len()).map(Item::Ladder).collect(),
            Noun::Relations => return self.relations(b, &f),
            Noun::Members => self.members(b, &f)?,
            Noun::Memberships => self.memberships(b, &f)?,
            Noun::Figures | Noun::Targets => self.figures(b, &f)?,
        };
        Ok(Output::Items(items))
    }

    /// `visits [by A] [to B]`: from the visitor's or host's index when named.
    fn visits(&self, f: &Filters) -> Result<Vec<Item>, Diagnostic> {
        let m = self.model;
        let by = f
            .actors
            .iter()
            .find(|(k, _)| matches!(k, FilterKey::By | FilterKey::From))
            .map(|a| a.1);
        let to = f.actor(FilterKey::To);
        let with = f.actor(FilterKey::With);
        let all: Vec<EventId>;
        let pool = match (by, to) {
            (Some(a), Some(b)) => {
                all = m.events_between(a, b);
                &all[..]
            }
            (Some(a), None) | (None, Some(a)) => m.events_of(a),
            (None, None) => {
                all = self.events_from(&f.dates);
                &all[..]
            }
        };
        // Words compare by number; one no event has is `None`.
        let kind = f.kind.as_ref().map(|k| Word::find(&k.name));
        Ok(pool
            .iter()
            .copied()
            .filter(|&id| {
                let e = m.event(id);
                e.kind == EventKind::Visit
                    && by.is_none_or(|a| e.participants.first() == Some(&a))
                    && to.is_none_or(|t| e.to == Some(t))
                    && with.is_none_or(|w| e.details().more().with.contains(&w))
                    && self.event_admitted(e, f, true)
                    && kind.is_none_or(|k| k.is_some() && e.subkind == k)
                    && f.dates.admits_event(e)
            })
            .map(Item::Event)
            .collect())
    }

    /// `meetings`, `events`, `agreements`, `timeline`: events of every
    /// named side (`of`, `with`, the subject: a state's own and its
    /// people's, see `Model::sides`) and involving every actor named by
    /// `involving`; a timeline adds the pair's levels and trade, or the
    /// actor's statements and the levels of its relations.
    fn events(&self, b: &BaseQuery, f: &Filters) -> Result<Vec<Item>, Diagnostic> {
        let m = self.model;
        let mut who: Vec<ActorId> = Vec::new();
        let involving: Vec<ActorId> = f
            .actors
            .iter()
            .filter(|a| a.0 == FilterKey::Involving)
            .map(|a| a.1)
            .collect();
        who.extend(
            f.actors
                .iter()
                .filter(|a| a.0 != FilterKey::Involving)
                .map(|a| a.1),
        );
        if let Some(s) = &b.subject {
            match s {
                Subject::Actor(i) => who.push(self.actor(i)?),
                Subject::Pair(p) => {
                    let (a, c) = self.pair(p)?;
                    who.push(a);
                    who.push(c);
                }
            }
        }
        let all: Vec<EventId>;
        let pool: &[EventId] = match (who.as_slice(), involving.as_slice()) {
            // An office's events are among its state's or body's.
            ([], []) if !f.offices.is_empty() => m.side_events(f.offices[0].1.of),
            ([], []) => {
                all = self.events_from(&f.dates);
                &all
            }
            ([], [a]) => m.events_of(*a),
            ([], [a, b, ..]) => {
                all = m.events_between(*a, *b);
                &all
            }
            ([a], _) => m.side_events(*a),
            ([a, b, ..], _) => {
                all = m.side_events_between(*a, *b);
                &all
            }
        };
        // Words compare by number; one no event has is `None`.
        let mode = f.mode.as_ref().map(|md| Word::find(&md.name));
        let kind = f
            .kind
            .as_ref()
            .map(|k| (Word::find(&k.name), k.name.as_str()));
        let mut items: Vec<Item> = pool
            .iter()
            .copied()
            .filter(|&id| {
                let e = m.event(id);
                let kind_ok = match b.noun {
                    Noun::Meetings => e.kind.is_meeting(),
                    Noun::Calls => e.kind == EventKind::Call,
                    Noun::Agreements => e.kind == EventKind::Agreement,
                    _ => true,
                };
                kind_ok
                    && self.event_admitted(e, f, false)
                    && who.iter().all(|a| m.is_side_event(*a, id))
                    && involving.iter().all(|a| involves(e, *a))
                    && mode.is_none_or(|md| md.is_some() && e.mode == md)
                    && kind.is_none_or(|(word, name)| {
                        (word.is_some() && e.subkind == word) || e.kind.word() == name
                    })
                    && f.dates.admits_event(e)
            })
            .map(Item::Event)
            .collect();
        if b.noun == Noun::Timeline {
            // A timeline of a pair also shows its levels and trade.
            if let [a, c] = who.as_slice() {
                items.extend(self.relation_items(*a, *c, &f.dates));
                self.sort_by_date(&mut items);
            }
            if let [a] = who.as_slice() {
                items.extend(
                    m.statements
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| s.speaker == *a && f.dates.admits(&s.when))
                        .map(|(i, _)| Item::Statement(i)),
                );
                // A state's or bloc's timeline shows its relations' levels.
                for rel in m.relations.values().filter(|r| r.a == *a || r.b == *a) {
                    items.extend(
                        rel.levels
                            .iter()
                            .enumerate()
                            .filter(|(_, l)| f.dates.admits(&l.when))
                            .map(|(i, _)| Item::Level((rel.a, rel.b), i)),
                    );
                }
                self.sort_by_date(&mut items);
            }
        }
        Ok(items)
    }

    /// `history A~B`: the pair's events, levels and trade in date order.
    fn history(&self, b: &BaseQuery, f: &Filters) -> Result<Vec<Item>, Diagnostic> {
        let m = self.model;
        let (a, c) = self.need_pair(b)?;
        let mut items: Vec<Item> = m
            .side_events_between(a, c)
            .iter()
            .copied()
            .filter(|&id| f.dates.admits(&m.event(id).when))
            .map(Item::Event)
            .collect();
        items.extend(self.relation_items(a, c, &f.dates));
        self.sort_by_date(&mut items);
        Ok(items)
    }

    /// `trade A~B`: the pair's trade figures.
    fn trade(&self, b: &BaseQuery, f: &Filters) -> Result<Vec<Item>, Diagnostic> {
        let m = self.model;
        let (a, c) = self.need_pair(b)?;
        let Some(rel) = m.relation(a, c) else {
            return Ok(Vec::new());
        };
        let key = (rel.a, rel.b);
        Ok(rel
            .trade
            .iter()
            .enumerate()
            .filter(|(_, t)| f.dates.admits(&When::year(t.year)))
            .map(|(i, _)| Item::Trade(key, i))
            .collect())
    }

    /// `statements [by A] [about A~B]`.
    fn statements(&self, f: &Filters) -> Result<Vec<Item>, Diagnostic> {
        let m = self.model;
        let by = f.actor(FilterKey::By);
        Ok(m.statements
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                by.is_none_or(|a| s.speaker == a || s.with.contains(&a))
                    && f.about.is_none_or(|p| {
                        s.about.map(|q| pair_key(q.0, q.1)) == Some(pair_key(p.0, p.1))
                    })
                    && f.topic
                        .as_ref()
                        .is_none_or(|t| s.topics.iter().any(|x| x.eq_ignore_ascii_case(t)))
                    && f.about_actor.is_none_or(|a| s.about_actors.contains(&a))
                    && f.dates.admits(&s.when)
                    // `by president@Chile`: a speaker who held the office
                    // then, or the office itself.
                    && f.offices.iter().all(|(_, o)| {
                        std::iter::once(s.speaker)
                            .chain(s.with.iter().copied())
                            .any(|a| m.acts_as(a, &o.office, o.of, &s.when))
                    })
            })
            .map(|(i, _)| Item::Statement(i))
            .collect())
    }

    /// `actors [kind K] [of S]`.
    fn actors(&self, f: &Filters) -> Result<Vec<Item>, Diagnostic> {
        let m = self.model;
        if let Some(k) = &f.kind {
            let is_body_kind = m
                .actors
                .values()
                .any(|a| a.body_kind.as_deref() == Some(k.name.as_str()));
            if !is_body_kind
                && !ActorKind::ALL
                    .iter()
                    .any(|kind| kind.word() == k.name.as_str())
            {
                let kinds = ActorKind::ALL.map(ActorKind::word);
                let mut d = bad(
                    self.file,
                    k.span,
                    format!("`{}` is not a kind of actor", k.name),
                    "unknown kind",
                );
                d = d.help_suggesting(&k.name, kinds, format!("kinds are: {}", kinds.join(", ")));
                return Err(d);
            }
        }
        let of = f.actor(FilterKey::Of);
        Ok(m.actors
            .values()
            .enumerate()
            .filter(|(_, a)| {
                f.kind.as_ref().is_none_or(|k| {
                    a.kind.word() == k.name || a.body_kind.as_deref() == Some(k.name.as_str())
                }) && of.is_none_or(|o| a.of.contains(&o))
            })
            .map(|(i, _)| Item::Actor(ActorId(i as u32)))
            .collect())
    }

    /// `roles [A] [of S] [kind office] [on D]`.
    fn roles(&self, b: &BaseQuery, f: &Filters) -> Result<Vec<Item>, Diagnostic> {
        let m = self.model;
        let holder = match &b.subject {
            Some(Subject::Actor(i)) => Some(self.actor(i)?),
            _ => None,
        };
        let of = f.actor(FilterKey::Of);
        Ok(m.roles
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                holder.is_none_or(|h| r.holder == h)
                    && of.is_none_or(|o| r.of == o)
                    && f.kind.as_ref().is_none_or(|k| r.office == k.name)
                    && f.dates.on.is_none_or(|d| r.when.overlaps(&d))
            })
            .map(|(i, _)| Item::Role(i))
            .collect())
    }

    /// `level A~B [on D]`: the level in force, or undecided when a change's
    /// date is too coarse to say whether it came before `D`.
    fn level_on(&self, b: &BaseQuery) -> Result<Output, Diagnostic> {
        let f = self.filters(b)?;
        let (a, c) = self.need_pair(b)?;
        if let Some(gone) = f.dates.on.and_then(|on| self.gone(&[a, c], &on)) {
            return Ok(Output::Cell(gone));
        }
        let Some(rel) = self.relation_or_inherited(a, c) else {
            return Ok(Output::One(None));
        };
        let key = (rel.a, rel.b);
        let Some(d) = f.dates.on else {
            return Ok(Output::One(
                rel.levels.len().checked_sub(1).map(|i| Item::Level(key, i)),
            ));
        };
        // Certainly in force: every day of the change's date is on or
        // before the first day of D. Possibly: its first day is on or
        // before D's last.
        let certain = rel.levels.iter().rposition(|l| l.when.hi <= d.lo);
        let possible = rel.levels.iter().rposition(|l| l.when.lo <= d.hi);
        match possible {
            Some(p) if Some(p) != certain => {
                let name = |i: Option<usize>| {
                    i.map(|i| self.model.level_name(&rel.levels[i]).to_string())
                        .unwrap_or_else(|| "no level yet".into())
                };
                let change = rel.levels[p].when;
                let (then, now) = (name(certain), name(Some(p)));
                let why = if d.lo <= change.lo && change.hi <= d.hi {
                    format!("the level changed to {now} during {d}, so which held on {d} depends on the day")
                } else {
                    format!("the change to {now} is dated only to {change}, so it may come before or after {d}")
                };
                Ok(Output::Cell(Cell::Undecided(format!(
                    "{then} or {now}: {why}"
                ))))
            }
            _ => Ok(Output::One(certain.map(|i| Item::Level(key, i)))),
        }
    }

    /// All events, starting at the first that a date filter can admit.
    fn events_from(&self, dates: &DateFilter) -> Vec<EventId> {
        let min = dates.min_lo();
        let start = self.model.events.partition_point(|e| e.when.lo < min);
        (start..self.model.events.len())
            .map(|rank| self.model.events.at_rank(rank))
            .collect()
    }

    /// A pair's levels, trade figures and changes of diplomatic relations
    /// within the dates.
    fn relation_items(&self, a: ActorId, b: ActorId, dates: &DateFilter) -> Vec<Item> {
        let m = self.model;
        let key = pair_key(a, b);
        let mut items: Vec<Item> = m
            .diplomatic
            .iter()
            .enumerate()
            .filter(|(_, d)| pair_key(d.a, d.b) == key && dates.admits(&d.when))
            .map(|(i, _)| Item::Diplomatic(i))
            .collect();
        let Some(rel) = m.relation(a, b) else {
            return items;
        };
        let key = (rel.a, rel.b);
        items.extend(
            rel.levels
                .iter()
                .enumerate()
                .filter(|(_, l)| dates.admits(&l.when))
                .map(|(i, _)| Item::Level(key, i)),
        );
        items.extend(
            rel.trade
                .iter()
                .enumerate()
                .filter(|(_, t)| dates.admits(&When::year(t.year)))
                .map(|(i, _)| Item::Trade(key, i)),
        );
        items
    }

    fn sort_by_date(&self, items: &mut [Item]) {
        items.sort_by_key(|i| {
            self.date_of(*i)
                .map(|w| w.sort_key())
                .unwrap_or((i32::MAX, i32::MAX))
        });
    }

    pub fn date_of(&self, item: Item) -> Option<When> {
        let m = self.model;
        Some(match item {
            Item::Event(e) => m.event(e).when,
            Item::Level(k, i) => m.relations[&k].levels[i].when,
            Item::Trade(k, i) => When::year(m.relations[&k].trade[i].year),
            Item::Statement(i) => m.statements[i].when,
            Item::Role(i) => m.roles[i].when,
            Item::Source(i) => m.sources[i].published?,
            Item::Membership(i) => m.memberships[i].when,
            Item::Diplomatic(i) => m.diplomatic[i].when,
            Item::Figure(i) => m.figures[i].when,
            _ => return None,
        })
    }
}

fn involves(e: &Event, a: ActorId) -> bool {
    e.involved().any(|b| b == a)
}

/// The change from the previous year's figure in the same currency, as an
/// interval and as shown (central value).
pub fn computed_change(rel: &Relation, t: &TradeFigure) -> Option<(Interval, String)> {
    let prev = rel
        .trade
        .iter()
        .find(|p| p.year == t.year - 1 && p.currency == t.currency)?;
    let interval = change_between(&prev.amount, &t.amount)?;
    let central = central_change(&prev.amount, &t.amount)?;
    Some((interval, format!("{central:+.2}%")))
}

pub fn item_kind(item: Item) -> &'static str {
    match item {
        Item::Event(_) => "an event",
        Item::Level(..) => "a level",
        Item::Trade(..) => "a trade figure",
        Item::Statement(_) => "a statement",
        Item::Actor(_) => "an actor",
        Item::Role(_) => "a role",
        Item::Source(_) => "a source",
        Item::Check(_) => "a claim",
        Item::Ladder(_) => "a ladder",
        Item::Membership(_) => "a membership",
        Item::Diplomatic(_) => "a change of relations",
        Item::Figure(_) => "a figure",
    }
}

/// A total order over cells for sorting: dates by start, numbers by
/// value, text alphabetically, empty last.
fn sort_key(c: &Cell) -> (u8, f64, String) {
    match c {
        Cell::Date(w) => (0, w.lo as f64, String::new()),
        Cell::Count(n) => (0, *n as f64, String::new()),
        Cell::Days(n, _) => (0, *n as f64, String::new()),
        Cell::Number(i, _) => (0, (i.lo + i.hi) / 2.0, String::new()),
        Cell::Level(_, r, _) => (0, *r as f64, String::new()),
        Cell::Id(s) | Cell::Text(s) => (1, 0.0, s.clone()),
        Cell::List(v) => (1, 0.0, v.join(",")),
        Cell::Empty | Cell::Undecided(_) => (2, 0.0, String::new()),
    }
}
