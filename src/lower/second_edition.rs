//! Lowering the forms of the language's second edition: offices named as
//! participants, what follows an event's date, `with`, `topics`,
//! `during`, memberships, diplomatic relations, other sources' dates and
//! figures of any metric.

use super::{Lowerer, ANY_ACTOR, BODIES};
use crate::date::{self, Precision, Shape, When};
use crate::diag::{Code, Diagnostic};
use crate::model::*;
use crate::source::{FileId, Span};
use crate::syntax::ast::*;
use crate::syntax::keyword::Keyword;

/// Whether two sources' dates for one event disagree. Dates written to the
/// day at both ends must be the same days; a coarser date (`1928-01`) says
/// only that the event fell within it, and disagrees only when no day is
/// shared.
fn dates_disagree(a: &When, b: &When) -> bool {
    let to_the_day = |w: &When| {
        w.start_precision() == Precision::Day
            && w.end_precision() == Precision::Day
            && w.hi != date::OPEN_END
    };
    if to_the_day(a) && to_the_day(b) {
        (a.lo, a.hi) != (b.lo, b.hi)
    } else {
        !a.overlaps(b)
    }
}

/// What memberships may be of: blocs, organisations (a party) and states
/// (a federation's members).
const MEMBER_BODIES: &[ActorKind] = &[ActorKind::Bloc, ActorKind::Org, ActorKind::State];

impl Lowerer<'_> {
    /// Checks a weekday written after a date: it needs one day, and must
    /// be that day's.
    pub(super) fn weekday_matches(&mut self, ev: &EventAst, when: &When) -> bool {
        let Some(word) = ev.day.as_ref().and_then(|d| d.weekday.as_ref()) else {
            return true;
        };
        let Some(written) = date::weekday_index(&word.name) else {
            return true; // the grammar admits only weekdays
        };
        if when.lo != when.hi {
            let d = Diagnostic::new(
                Code::WrongWeekday,
                format!("`{}` follows a date that is not one day", word.name),
            )
            .at(self.file, word.span, "a weekday names one day")
            .also(self.file, ev.when.span, format!("this is {when}"))
            .help("give the day, e.g. `2025-01-19 Sun`, or leave the weekday out");
            self.emit(d);
            return false;
        }
        let actual = date::weekday_of(when.lo);
        if actual == written {
            return true;
        }
        let (short, full) = date::WEEKDAYS[actual];
        let d = Diagnostic::new(
            Code::WrongWeekday,
            format!("{when} was a {full}, not a {}", date::WEEKDAYS[written].1),
        )
        .at(self.file, word.span, format!("{when} was a {full}"))
        .also(self.file, ev.when.span, "the date")
        .help(format!(
            "if the date is right, the weekday is `{short}`; if the weekday is right, correct the date"
        ));
        self.emit(d);
        false
    }

    /// Resolves one participant: an actor's id, or an office
    /// (`foreign_minister@Kenya`), which stands for whoever certainly held
    /// it on `when` (their capacity is recorded in `capacity`), or else
    /// for the office itself, an unnamed participant.
    pub(super) fn participant(
        &mut self,
        id: &Ident,
        allowed: &[ActorKind],
        slot: &str,
        when: Option<&When>,
        capacity: &mut Vec<Capacity>,
    ) -> Option<ActorId> {
        let Some((office, of)) = id.office() else {
            return self.actor(id, allowed, slot);
        };
        let body = self.actor(&of, BODIES, "whose office it is")?;
        if let Some(when) = when {
            if self.roles_by_office.is_empty() && !self.model.roles.is_empty() {
                for (i, r) in self.model.roles.iter().enumerate() {
                    self.roles_by_office
                        .entry((r.office.clone(), r.of))
                        .or_default()
                        .push(i);
                }
            }
            let key = (office.name.to_string(), body);
            let mut holders: Vec<ActorId> = self
                .roles_by_office
                .get(&key)
                .into_iter()
                .flatten()
                .map(|&i| &self.model.roles[i])
                .filter(|r| r.certainly_held_during(when))
                .map(|r| r.holder)
                .collect();
            holders.dedup();
            if let [holder] = holders[..] {
                capacity.push(Capacity {
                    who: holder,
                    office: office.name.clone(),
                    span: office.span,
                });
                return Some(holder);
            }
        }
        Some(self.office_actor(&office.name, body))
    }

    /// Resolves a list of participants; says whether all resolved.
    pub(super) fn participants(
        &mut self,
        ids: &[Ident],
        slot: &str,
        when: Option<&When>,
        capacity: &mut Vec<Capacity>,
    ) -> (Few<ActorId>, bool) {
        super::resolve_each(ids, |id| {
            self.participant(id, ANY_ACTOR, slot, when, capacity)
        })
    }

    /// The unnamed holder of an office, made the first time it is named.
    fn office_actor(&mut self, office: &str, body: ActorId) -> ActorId {
        let id = format!("{office}@{}", self.model.actor_name(body));
        if let Some(&found) = self.model.index.names.get(&id) {
            return found;
        }
        let body_name = self.model.actor(body).name.clone();
        let origin = self.model.actor(body).origin;
        self.add_office_actor(Actor {
            id,
            kind: ActorKind::Person,
            name: format!("{} of {body_name}", office.replace('_', " ")),
            aka: Vec::new(),
            of: vec![body],
            host: None,
            body_kind: None,
            since: None,
            until: None,
            succeeded_by: None,
            iso: None,
            office: Some((office.to_string(), body)),
            sources: Few::new(),
            origin,
        })
    }

    /// Numbers the actors made for offices that no one held, from `first`
    /// on, in the order of their ids (`envoy@Chile` before `envoy@Kenya`).
    /// Lowering made them as it met them, and unlabelled events are
    /// lowered in the files' order: without this, the order of actors in
    /// every output would depend on the order of statements. Done once
    /// every fact is lowered, so an office is numbered alike whether an
    /// event or a statement made it (an event added in the REPL may name
    /// an office a statement made).
    pub(super) fn number_offices_by_id(&mut self, first: usize) {
        let made = &self.model.actors.as_slice()[first..];
        if made.keys().is_sorted() {
            return;
        }
        let mut by_id: Vec<usize> = (0..made.len()).collect();
        by_id.sort_unstable_by_key(|&i| made.get_index(i).map(|(name, _)| name));
        let mut renumbered = vec![ActorId(0); made.len()];
        for (new, &old) in by_id.iter().enumerate() {
            renumbered[old] = ActorId((first + new) as u32);
        }
        self.model.renumber_offices(first, &renumbered);
    }

    /// Adds the actor made for an office that no one held, under its id
    /// (`minister@Kenya`), with the next number.
    pub(super) fn add_office_actor(&mut self, actor: Actor) -> ActorId {
        let number = ActorId(self.model.actors.len() as u32);
        self.model.index.names.insert(actor.id.clone(), number);
        self.model.actors.insert(actor.id.clone(), actor);
        number
    }

    /// `with A, B`: who came along.
    pub(super) fn with_attr(&mut self, attr: &Attr, event: &mut Event) -> bool {
        let (when, mut ok) = (event.when, true);
        let mut capacity = Vec::new();
        for value in attr.values() {
            let AttrValue::Ident(id) = value else {
                self.emit(
                    Diagnostic::new(Code::BadAttribute, "`with` takes ids, not strings")
                        .at(self.file, value.span(), "a string")
                        .help("name who came along by their ids: `with Soto, Lagos`"),
                );
                ok = false;
                continue;
            };
            match self.participant(id, ANY_ACTOR, "who came along", Some(&when), &mut capacity) {
                Some(a) if !event.details().more().with.contains(&a) => {
                    event.details_mut().more_mut().with.push(a)
                }
                Some(_) => {}
                None => ok = false,
            }
        }
        event.details_mut().more_mut().capacity.extend(capacity);
        ok
    }

    /// `topics "coffee tariffs", "UN reform"`.
    pub(super) fn topics_attr(&mut self, attr: &Attr, event: &mut Event) -> bool {
        let mut ok = true;
        for value in attr.values() {
            match value {
                AttrValue::Str(s) => event.details_mut().topics.push(s.value.as_str().into()),
                AttrValue::Ident(id) => {
                    self.emit(
                        Diagnostic::new(Code::BadAttribute, "`topics` takes quoted text")
                            .at(self.file, id.span, "an id")
                            .help(format!("quote it: `topics \"{}\"`", id.name)),
                    );
                    ok = false;
                }
            }
        }
        ok
    }

    /// Resolves each `during <label>` to the event it names.
    pub(super) fn resolve_trips(&mut self) {
        for (event, file, trip) in std::mem::take(&mut self.pending_during) {
            self.file = file;
            match self.model.index.labels.get(trip.name.as_str()) {
                Some(&e) if e != event => {
                    self.model.events.get_mut(event).details_mut().during = Some(e)
                }
                Some(_) => self.emit(
                    Diagnostic::new(Code::UnknownLabel, "an event cannot be during itself")
                        .at(file, trip.span, "its own label")
                        .help("name the trip it was part of"),
                ),
                None => self.unknown_label(file, &trip),
            }
        }
    }

    /// Reports a label that names no event.
    fn unknown_label(&mut self, file: FileId, label: &Ident) {
        self.unknown(&label.name, &[DeclaredKind::Label], |this| {
            Diagnostic::new(
                Code::UnknownLabel,
                format!("no event is labelled `{}`", label.name),
            )
            .at(file, label.span, "no such label")
            .help_suggesting(
                &label.name,
                this.model.index.labels.keys().map(String::as_str),
                format!("label the event with `as {}`", label.name),
            )
        });
    }

    /// A tenure from optional `since` and `until` dates; open where not
    /// given.
    fn tenure(&mut self, since: Option<&WhenAst>, until: Option<&WhenAst>) -> Option<When> {
        let until_span = until.map_or(Span::new(0, 0), |w| w.span);
        let since = match since {
            Some(w) => Some(self.when(w)?),
            None => None,
        };
        let until = match until {
            Some(w) => Some(self.when(w)?),
            None => None,
        };
        Some(match (since, until) {
            (Some(s), Some(u)) if u.hi < s.lo => {
                let span = until_span;
                self.emit(
                    Diagnostic::new(Code::ReversedRange, "this ends before it starts")
                        .at(self.file, span, format!("{u} is before {s}"))
                        .help("check the `since` and `until` dates"),
                );
                return None;
            }
            (Some(s), Some(u)) => When {
                lo: s.lo,
                hi: u.hi,
                shape: Shape::Range(s.start_precision(), u.end_precision()),
            },
            (Some(s), None) => s.since(),
            (None, Some(u)) => u.until(),
            (None, None) => When {
                lo: date::OPEN_START,
                hi: date::OPEN_END,
                shape: Shape::From(Precision::Year),
            },
        })
    }

    pub(super) fn member(&mut self, stmt: &Statement, ast: &MemberAst) {
        let member = self.actor(&ast.member, ANY_ACTOR, "a member");
        let of = self.actor(&ast.of, MEMBER_BODIES, "what one is a member of");
        let when = self.tenure(ast.since.as_ref(), ast.until.as_ref());
        let sources = self.cite(&ast.cite);
        if let (Some(member), Some(of), Some(when)) = (member, of, when) {
            let origin = self.origin(stmt.span);
            self.model.memberships.push(Membership {
                member,
                of,
                when,
                sources,
                origin,
            });
        }
    }

    pub(super) fn relations(&mut self, stmt: &Statement, ast: &RelationsAst) {
        let pair = self.pair(&ast.pair, "diplomatic relations");
        let when = self.when(&ast.when);
        let sources = self.cite(&ast.cite);
        let change = match ast.change {
            Keyword::Severed => RelationChange::Severed,
            Keyword::Suspended => RelationChange::Suspended,
            Keyword::Restored => RelationChange::Restored,
            _ => RelationChange::Established,
        };
        if let (Some((a, b)), Some(when)) = (pair, when) {
            let (a, b) = pair_key(a, b);
            let origin = self.origin(stmt.span);
            self.model.diplomatic.push(Diplomatic {
                a,
                b,
                change,
                when,
                sources,
                origin,
            });
        }
    }

    /// `dated <label> <dates> [src]`: keeps another source's dates for the
    /// event, and says so when they differ from the event's own.
    pub(super) fn dated(
        &mut self,
        stmt: &Statement,
        label: &Ident,
        when: &WhenAst,
        cite: &[Ident],
    ) {
        let dates = self.when(when);
        let sources = self.cite(cite);
        let Some(&event_id) = self.model.index.labels.get(label.name.as_str()) else {
            let file = self.file;
            self.unknown_label(file, label);
            return;
        };
        let Some(dates) = dates else { return };
        let origin = self.origin(stmt.span);
        let event = self.model.events.get(event_id);
        if dates_disagree(&dates, &event.when) {
            let names = |ids: &[SourceId]| {
                if ids.is_empty() {
                    "no source".to_string()
                } else {
                    ids.iter()
                        .map(|s| self.model.source(*s).id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            let (theirs, ours) = (names(&event.sources), names(&sources));
            let d = Diagnostic::new(
                Code::DatesDisagree,
                format!(
                    "sources disagree on the dates of `{}`: {theirs} gives {}, {ours} gives {dates}",
                    label.name, event.when
                ),
            )
            .at(self.file, when.span, format!("{ours}: {dates}"))
            .also(event.origin.file, event.spans.when(), format!("{theirs}: {}", event.when))
            .help("both are kept, and queries take either; drop the `dated` line if one source is known to be wrong");
            self.emit(d);
        }
        self.model
            .events
            .get_mut(event_id)
            .details_mut()
            .more_mut()
            .dated
            .push(OtherDates {
                when: dates,
                sources,
                origin,
            });
    }

    /// `figure` and `target`. Trade by year between two states joins the
    /// relation's trade series, as `trade` does.
    pub(super) fn figure(&mut self, stmt: &Statement, ast: &FigureAst) {
        let of = match &ast.of {
            FigureOfAst::Pair(p) => self
                .pair(p, "a figure's relation")
                .map(|(a, b)| FigureOf::Pair(a, b)),
            FigureOfAst::Flow(from, to) => {
                let a = self.actor(from, ANY_ACTOR, "where a flow comes from");
                let b = self.actor(to, ANY_ACTOR, "where a flow goes");
                a.zip(b).map(|(a, b)| FigureOf::Flow(a, b))
            }
            FigureOfAst::One(a) => self
                .actor(a, ANY_ACTOR, "what a figure is of")
                .map(FigureOf::One),
        };
        let when = self.when(&ast.when);
        let amount = self.amount(&ast.amount);
        let sources = self.cite(&ast.cite);
        let (Some(of), Some(when), Some(amount)) = (of, when, amount) else {
            return;
        };
        let origin = self.origin(stmt.span);
        let whole_year = when.shape == Shape::Point(Precision::Year);
        if let (false, "trade", FigureOf::Pair(a, b), true, Some(unit)) = (
            ast.target,
            ast.metric.name.as_str(),
            of,
            whole_year,
            &ast.unit,
        ) {
            self.relation(a, b).trade.push(TradeFigure {
                year: date::from_day_number(when.lo).map_or(0, |d| {
                    use chrono::Datelike;
                    d.year()
                }),
                amount,
                currency: unit.name.to_string(),
                yoy: None,
                sources,
                origin,
                amount_span: ast.amount.span,
                yoy_span: ast.amount.span,
            });
            return;
        }
        self.model.figures.push(FigureFact {
            metric: ast.metric.name.to_string(),
            of,
            when,
            amount,
            unit: ast.unit.as_ref().map(|u| u.name.to_string()),
            target: ast.target,
            sources,
            origin,
        });
    }
}
