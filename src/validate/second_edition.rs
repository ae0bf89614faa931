//! Rules for the forms of the language's second edition: trips and what
//! happened during them, diplomatic relations, offices held twice, and
//! actors that no longer existed.

use crate::date::When;
use crate::diag::{Code, Diagnostic};
use crate::model::*;

use super::Scope;

pub(super) fn validate(model: &Model, diags: &mut Vec<Diagnostic>) {
    during_trips(model, Scope::All, diags);
    levels_before_relations(model, diags);
    visits_while_severed(model, Scope::All, diags);
    offices_held_twice(model, diags);
    acts_of_the_gone(model, Scope::All, diags);
}

/// The rules that read events, on those in scope (see
/// [`super::validate_events`]).
pub(super) fn validate_events(model: &Model, scope: Scope, diags: &mut Vec<Diagnostic>) {
    during_trips(model, scope, diags);
    visits_while_severed(model, scope, diags);
    acts_of_the_gone(model, scope, diags);
}

/// Offices that one person holds at a time: a state's head, its head of
/// government and its principal ministers. Other offices (`minister`,
/// `ambassador` to different states) may have several holders.
const EXCLUSIVE_OFFICES: &[&str] = &[
    "prime_minister",
    "head_of_government",
    "premier",
    "chancellor",
    "vice_president",
    "foreign_minister",
    "defence_minister",
    "finance_minister",
    "secretary_general",
];

fn is_exclusive(office: &str) -> bool {
    EXCLUSIVE_OFFICES.contains(&office) || HEAD_OF_STATE_OFFICES.contains(&office)
}

/// The days a trip covers by any source's dates.
fn trip_days(trip: &Event) -> When {
    let mut days = trip.when;
    for other in &trip.details().more().dated {
        days.lo = days.lo.min(other.when.lo);
        days.hi = days.hi.max(other.when.hi);
    }
    days
}

/// An event `during` a trip falls within the trip's dates, and someone on
/// the trip (the visitor or who came along) took part.
fn during_trips(model: &Model, scope: Scope, diags: &mut Vec<Diagnostic>) {
    for (_, ev) in scope.events(model) {
        let Some(trip_id) = ev.details().during else {
            continue;
        };
        let trip = model.event(trip_id);
        let label = trip.details().label.as_deref().unwrap_or("the trip");
        let days = trip_days(trip);
        if !days.contains(&ev.when) {
            diags.push(
                Diagnostic::new(
                    Code::DuringOutsideTrip,
                    format!(
                        "this {} on {} is said to be during `{label}`, which was {}",
                        ev.kind.word(),
                        ev.when,
                        trip.when
                    ),
                )
                .at(ev.origin.file, ev.spans.when(), format!("{} is outside {label}", ev.when))
                .also(trip.origin.file, trip.spans.when(), format!("`{label}` {}", trip.when))
                .help("correct one of the dates, or drop `during` if the event was not part of the trip"),
            );
            continue;
        }
        let travellers: Vec<ActorId> = trip
            .participants
            .iter()
            .chain(&trip.details().more().with)
            .copied()
            .collect();
        // A traveller's state takes part through them: an agreement
        // between two states, signed during a visit by one's president.
        let mut sides = Vec::new();
        for &t in &travellers {
            sides.extend(model.actor(t).of.iter().copied());
            sides.extend(
                model
                    .roles_of(t)
                    .filter(|r| r.certainly_held_during(&ev.when))
                    .map(|r| r.of),
            );
        }
        if !ev
            .involved()
            .any(|a| travellers.contains(&a) || sides.contains(&a))
        {
            let names: Vec<&str> = travellers.iter().map(|&a| model.actor_name(a)).collect();
            diags.push(
                Diagnostic::new(
                    Code::NotOnTheTrip,
                    format!(
                        "no one who took part in this {} was on `{label}`",
                        ev.kind.word()
                    ),
                )
                .at(ev.origin.file, ev.origin.span, "none of these travelled")
                .also(trip.origin.file, trip.spans.when(), format!("`{label}`: {}", names.join(", ")))
                .help("name who travelled among the participants, or add them to the trip with `with`"),
            );
        }
    }
}

/// A partnership level needs diplomatic relations: a level change dated
/// before the relations recorded as established is an error.
fn levels_before_relations(model: &Model, diags: &mut Vec<Diagnostic>) {
    if model.diplomatic.is_empty() {
        return;
    }
    for rel in model.relations.values() {
        levels_before_relations_of(model, rel, diags);
    }
}

/// [`levels_before_relations`] for one pair.
pub(super) fn levels_before_relations_of(
    model: &Model,
    rel: &Relation,
    diags: &mut Vec<Diagnostic>,
) {
    let Some((_, first)) = model
        .diplomatic_between(rel.a, rel.b)
        .find(|(_, d)| d.change == RelationChange::Established)
    else {
        return;
    };
    for l in rel.levels.iter().filter(|l| l.when.hi < first.when.lo) {
        let pair = model.pair_name((rel.a, rel.b));
        diags.push(
            Diagnostic::new(
                Code::LevelBeforeRelations,
                format!(
                    "{pair} is at `{}` from {}, before diplomatic relations were established on {}",
                    model.level_name(l),
                    l.when,
                    first.when
                ),
            )
            .at(
                l.origin.file,
                l.origin.span,
                format!("level from {}", l.when),
            )
            .also(
                first.origin.file,
                first.origin.span,
                format!("established {}", first.when),
            )
            .help("correct one of the two dates; a partnership needs relations first"),
        );
    }
}

/// A head of state visiting a state whose relations with theirs are
/// severed or suspended on the day: possible (a mediation, a funeral),
/// but worth a look.
fn visits_while_severed(model: &Model, scope: Scope, diags: &mut Vec<Diagnostic>) {
    if !model
        .diplomatic
        .iter()
        .any(|d| d.change != RelationChange::Established && d.change != RelationChange::Restored)
    {
        return;
    }
    for (_, ev) in scope
        .events(model)
        .filter(|(_, e)| e.kind == EventKind::Visit && e.happened())
    {
        let (Some(&who), Some(to)) = (ev.participants.first(), ev.to) else {
            continue;
        };
        let Some(role) = model
            .roles_of(who)
            .find(|r| r.is_head_of_state() && r.certainly_held_during(&ev.when))
        else {
            continue;
        };
        let Some(state) = model.relations_on(role.of, to, &ev.when) else {
            continue;
        };
        if state.change.state() == RelationChange::Established {
            continue;
        }
        diags.push(
            Diagnostic::new(
                Code::VisitWhileSevered,
                format!(
                    "{} visits {} on {} while relations between {} and {} are {}",
                    model.actor_name(who),
                    model.actor_name(to),
                    ev.when,
                    model.actor_name(role.of),
                    model.actor_name(to),
                    state.change.word()
                ),
            )
            .at(ev.origin.file, ev.spans.to(), "relations are not established")
            .also(state.origin.file, state.origin.span, format!("{} {}", state.change.word(), state.when))
            .help("check the dates; if relations were restored before the visit, record it: `relations A~B restored <date>`"),
        );
    }
}

/// Two people holding one exclusive office on the same days. A handover
/// day, when one leaves and the other takes over, is not a conflict.
fn offices_held_twice(model: &Model, diags: &mut Vec<Diagnostic>) {
    // By office, whose it is and where it is posted: each holder's days.
    type Office<'m> = (&'m str, ActorId, Option<ActorId>);
    let mut by_office: HashMap<Office, Vec<(i32, i32, &Role)>> = HashMap::default();
    for r in &model.roles {
        if !is_exclusive(&r.office) {
            continue;
        }
        if let Some((lo, hi)) = r.certainly_held() {
            by_office
                .entry((r.office.as_str(), r.of, r.to))
                .or_default()
                .push((lo, hi, r));
        }
    }
    let mut offices: Vec<_> = by_office.into_iter().collect();
    offices.sort_by_key(|((office, of, to), _)| (*office, *of, *to));
    for (_, mut tenures) in offices {
        tenures.sort_by_key(|(lo, hi, _)| (*lo, *hi));
        // The tenure reaching furthest so far: each later one is compared
        // with it alone, so the check is linear after the sort.
        let mut longest: Option<(i32, i32, &Role)> = None;
        for (lo, hi, r) in tenures {
            if let Some((_, prev_hi, prev)) = longest {
                if prev.holder != r.holder && lo < prev_hi {
                    diags.push(office_conflict(model, prev, r, lo, prev_hi.min(hi)));
                }
                if hi <= prev_hi {
                    continue;
                }
            }
            longest = Some((lo, hi, r));
        }
    }
}

fn office_conflict(model: &Model, first: &Role, second: &Role, lo: i32, hi: i32) -> Diagnostic {
    let days = When {
        lo,
        hi,
        shape: crate::date::Shape::Range(crate::date::Precision::Day, crate::date::Precision::Day),
    };
    let shown = if hi == crate::date::OPEN_END {
        format!("from {}", days.start())
    } else {
        format!("on {days}")
    };
    Diagnostic::new(
        Code::OfficeHeldTwice,
        format!(
            "{} and {} both hold {} of {} {shown}",
            model.actor_name(first.holder),
            model.actor_name(second.holder),
            first.office,
            model.actor_name(first.of)
        ),
    )
    .at(
        second.origin.file,
        second.origin.span,
        format!(
            "{} {}",
            model.actor_name(second.holder),
            second.when.tenure()
        ),
    )
    .also(
        first.origin.file,
        first.origin.span,
        format!("{} {}", model.actor_name(first.holder), first.when.tenure()),
    )
    .help(format!(
        "one holds {} at a time: end the earlier tenure (`until <date>`) where the other begins",
        first.office
    ))
}

/// An event that involves a state after its end (`until`): a state that
/// no longer existed neither visits nor is visited; its successor does.
fn acts_of_the_gone(model: &Model, scope: Scope, diags: &mut Vec<Diagnostic>) {
    if !model.actors.values().any(|a| a.until.is_some()) {
        return;
    }
    for (_, ev) in scope.events(model).filter(|(_, e)| e.happened()) {
        let Some(gone) = ev.involved().find(|&a| model.actor(a).gone_by(&ev.when)) else {
            continue;
        };
        let actor = model.actor(gone);
        let until = actor.until.map(|u| u.to_string()).unwrap_or_default();
        let help = match actor.succeeded_by {
            Some(s) => format!(
                "name its successor, `{}`, or correct the date",
                model.actor_name(s)
            ),
            None => "correct the date, or the actor's `until`".to_string(),
        };
        diags.push(
            Diagnostic::new(
                Code::ActorGone,
                format!(
                    "{} no longer existed on {}: it ended {until}",
                    actor.id, ev.when
                ),
            )
            .at(ev.origin.file, ev.spans.when(), format!("after {until}"))
            .also(
                actor.origin.file,
                actor.origin.span,
                format!("until {until}"),
            )
            .help(help),
        );
    }
}
