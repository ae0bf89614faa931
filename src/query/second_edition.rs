//! Queries of the language's second edition: filters by office, status,
//! place, topic and trip; diplomatic relations, memberships and figures.

use super::eval::{bad, Evaluator, Filters};
use super::{Cell, Item, Output};
use crate::date::{When, OPEN_END};
use crate::diag::Diagnostic;
use crate::model::*;
use crate::syntax::ast::*;

/// An office named in a query (`by president@Chile`).
#[derive(Clone, Debug)]
pub(super) struct OfficeRef {
    pub office: String,
    pub of: ActorId,
}

impl Model {
    /// True when `actor` acted as `office` on every day of `when`: it is
    /// the office's unnamed holder, or it certainly held the office then.
    pub(crate) fn acts_as(&self, actor: ActorId, office: &str, of: ActorId, when: &When) -> bool {
        if self
            .actor(actor)
            .office
            .as_ref()
            .is_some_and(|(o, body)| o == office && *body == of)
        {
            return true;
        }
        self.roles_of(actor)
            .any(|r| r.office == office && r.of == of && r.certainly_held_during(when))
    }
}

impl Evaluator<'_> {
    /// An office written as `office@Body`, if `id` is one.
    pub(super) fn office_ref(&self, id: &Ident) -> Result<Option<OfficeRef>, Diagnostic> {
        let Some((office, of)) = id.office() else {
            return Ok(None);
        };
        let of = self.actor_named(&of)?;
        Ok(Some(OfficeRef {
            office: office.name.to_string(),
            of,
        }))
    }

    /// The filters of the second edition that any event must pass: status
    /// (an event that did not take place is found only by asking for its
    /// status), place, topic, trip and offices.
    pub(super) fn event_admitted(&self, e: &Event, f: &Filters, visits: bool) -> bool {
        let m = self.model;
        let details = e.details();
        let status_ok = match f.status {
            None => e.happened(),
            Some(s) => details.status == Some(s),
        };
        let place_ok = f.place.as_ref().is_none_or(|p| {
            details
                .at
                .as_ref()
                .is_some_and(|at| m.place_name(at).eq_ignore_ascii_case(p))
        });
        let topic_ok = f
            .topic
            .as_ref()
            .is_none_or(|t| details.topics.iter().any(|x| x.eq_ignore_ascii_case(t)));
        let about_ok = f.about_actor.is_none_or(|a| e.involved().any(|b| b == a));
        let trip_ok = f.during.is_none_or(|trip| details.during == Some(trip));
        // `at <id>`: the event took place at that labelled event (a
        // summit) or at that actor.
        let at_ok = f.level.as_ref().is_none_or(|id| {
            details.at.as_ref().is_some_and(|at| {
                !matches!(at, Place::Named(_)) && m.place_name(at) == id.name.as_str()
            })
        });
        let offices_ok = f.offices.iter().all(|(key, o)| {
            let visitor_only = visits && matches!(key, FilterKey::By | FilterKey::From);
            let acts = |a: ActorId| m.acts_as(a, &o.office, o.of, &e.when);
            if visitor_only {
                e.participants.first().is_some_and(|&a| acts(a))
            } else {
                e.involved().any(acts)
            }
        });
        status_ok && place_ok && at_ok && topic_ok && about_ok && trip_ok && offices_ok
    }

    /// `relations A~B [on D]`, `relations of A [at level] [on D]`.
    pub(super) fn relations(&self, b: &BaseQuery, f: &Filters) -> Result<Output, Diagnostic> {
        let m = self.model;
        if let Some(Subject::Pair(p)) = &b.subject {
            let (a, c) = (self.actor_named(&p.a)?, self.actor_named(&p.b)?);
            let Some(on) = f.dates.on else {
                let items = m
                    .diplomatic_between(a, c)
                    .map(|(i, _)| Item::Diplomatic(i))
                    .collect();
                return Ok(Output::Items(items));
            };
            if let Some(gone) = self.gone(&[a, c], &on) {
                return Ok(Output::Cell(gone));
            }
            return Ok(Output::Cell(match m.relations_on(a, c, &on) {
                Some(d) => Cell::Id(d.change.state().word().into()),
                None => Cell::Empty,
            }));
        }
        let Some(of) = f.actor(FilterKey::Of) else {
            return Err(bad(
                self.file,
                b.noun_span,
                "`relations` needs a pair or `of <state>`",
                "whose relations?",
            )
            .help("e.g. `relations Chile~Kenya on 1990` or `relations of Kenya at strategic`"));
        };
        // Without a date: as the latest record leaves them.
        let on = f.dates.on.unwrap_or(When {
            lo: OPEN_END - 1,
            hi: OPEN_END - 1,
            shape: crate::date::Shape::Point(crate::date::Precision::Day),
        });
        let mut partners: Vec<ActorId> = Vec::new();
        for (i, actor) in m.actors.values().enumerate() {
            let other = ActorId(i as u32);
            if other == of || !actor.kind.is_polity() || actor.gone_by(&on) {
                continue;
            }
            let holds = match &f.level {
                Some(level) => self
                    .level_at(of, other, &on)
                    .is_some_and(|l| m.level_name(l) == level.name.as_str()),
                None => {
                    m.relations_on(of, other, &on)
                        .is_some_and(|d| d.change.state() == RelationChange::Established)
                        || self.level_at(of, other, &on).is_some()
                }
            };
            if holds {
                partners.push(other);
            }
        }
        Ok(Output::Items(
            partners.into_iter().map(Item::Actor).collect(),
        ))
    }

    /// Says so when one of `actors` no longer existed on `on`.
    pub(super) fn gone(&self, actors: &[ActorId], on: &When) -> Option<Cell> {
        let m = self.model;
        actors.iter().find_map(|&a| {
            let actor = m.actor(a);
            let until = actor.until.filter(|u| u.hi < on.lo)?;
            let successor = actor
                .succeeded_by
                .map(|s| format!("; its successor is {}", m.actor_name(s)))
                .unwrap_or_default();
            Some(Cell::Undecided(format!(
                "{} no longer existed on {on}: it ended {until}{successor}",
                actor.id
            )))
        })
    }

    /// The level change in force between two states on `on`, of the pair
    /// or, for a successor, of the states it succeeded.
    pub(super) fn level_at(&self, a: ActorId, b: ActorId, on: &When) -> Option<&LevelChange> {
        let rel = self.relation_or_inherited(a, b)?;
        rel.levels.iter().rev().find(|l| l.when.hi <= on.hi)
    }

    /// The relation between two states whose levels answer for them: their
    /// own, or, when it has no levels, the one a successor inherited from
    /// the nearest state it succeeded.
    pub(super) fn relation_or_inherited(&self, a: ActorId, b: ActorId) -> Option<&Relation> {
        let m = self.model;
        let own = m.relation(a, b);
        if own.is_some_and(|r| !r.levels.is_empty()) {
            return own;
        }
        let with_levels = |r: &&Relation| !r.levels.is_empty();
        let from_a = m
            .predecessors(a)
            .into_iter()
            .find_map(|p| m.relation(p, b).filter(with_levels));
        from_a
            .or_else(|| {
                m.predecessors(b)
                    .into_iter()
                    .find_map(|p| m.relation(a, p).filter(with_levels))
            })
            .or(own)
    }

    /// `members of B [on D]`: who belonged to B (by a `member` statement,
    /// or declared `of` it).
    pub(super) fn members(&self, b: &BaseQuery, f: &Filters) -> Result<Vec<Item>, Diagnostic> {
        let m = self.model;
        let of = self.need_of(b, f)?;
        // A membership passes to the member's successor once the member
        // is gone (Serbia and Montenegro held Yugoslavia's seat).
        let heir = |mut member: ActorId, on: &When| {
            let mut steps = 0;
            while m.actor(member).gone_by(on) {
                member = m.actor(member).succeeded_by?;
                steps += 1;
                if steps > m.actors.len() {
                    return None; // a cycle of successions
                }
            }
            Some(member)
        };
        let mut out: Vec<ActorId> = m
            .memberships
            .iter()
            .filter(|ms| ms.of == of && f.dates.on.is_none_or(|d| ms.when.overlaps(&d)))
            .filter_map(|ms| match f.dates.on {
                Some(on) => heir(ms.member, &on),
                None => Some(ms.member),
            })
            .collect();
        for (i, a) in m.actors.values().enumerate() {
            if a.of.contains(&of) && a.office.is_none() {
                out.push(ActorId(i as u32));
            }
        }
        out.sort();
        out.dedup();
        Ok(out.into_iter().map(Item::Actor).collect())
    }

    /// `memberships of A [on D]`.
    pub(super) fn memberships(&self, b: &BaseQuery, f: &Filters) -> Result<Vec<Item>, Diagnostic> {
        let of = self.need_of(b, f)?;
        Ok(self
            .model
            .memberships
            .iter()
            .enumerate()
            .filter(|(_, ms)| {
                (ms.member == of || ms.of == of) && f.dates.on.is_none_or(|d| ms.when.overlaps(&d))
            })
            .map(|(i, _)| Item::Membership(i))
            .collect())
    }

    /// `figures [of A] [kind metric] [in D]`, and the same of `targets`.
    pub(super) fn figures(&self, b: &BaseQuery, f: &Filters) -> Result<Vec<Item>, Diagnostic> {
        let targets = b.noun == Noun::Targets;
        let of = f.actor(FilterKey::Of);
        Ok(self
            .model
            .figures
            .iter()
            .enumerate()
            .filter(|(_, x)| {
                x.target == targets
                    && of.is_none_or(|a| x.of.involves(a))
                    && f.kind.as_ref().is_none_or(|k| x.metric == k.name.as_str())
                    && f.dates.admits(&x.when)
            })
            .map(|(i, _)| Item::Figure(i))
            .collect())
    }

    fn need_of(&self, b: &BaseQuery, f: &Filters) -> Result<ActorId, Diagnostic> {
        f.actor(FilterKey::Of).ok_or_else(|| {
            bad(
                self.file,
                b.noun_span,
                format!("`{}` needs `of <actor>`", b.noun.word()),
                "of whom?",
            )
            .help(format!("e.g. `{} of Mercosur`", b.noun.word()))
        })
    }
}
