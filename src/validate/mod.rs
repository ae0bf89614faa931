//! Validation: rules that look at the model as a whole.
//!
//! Runs after lowering, on a complete model, so every rule sees every fact
//! whatever order the files gave them in. Each rule is one function; each
//! emits diagnostics and never removes anything from the model.

use crate::date::When;
use crate::diag::{article, Code, Diagnostic};
use crate::figure::{change_between, show_pct_interval};
use crate::model::*;

/// Runs every model-wide rule.
pub fn validate(model: &Model, diags: &mut Vec<Diagnostic>) {
    let (mut first, mut second) = (Vec::new(), Vec::new());
    let all = Scope::All;
    let first_half = |diags: &mut Vec<Diagnostic>| {
        level_histories(model, diags);
        presence(model, all, diags);
        own_state_visits(model, all, diags);
        capacities(model, all, None, diags);
        events_outside_their_place(model, all, diags);
        trade_series(model, diags);
        unused_sources(model, diags);
    };
    let second_half = |diags: &mut Vec<Diagnostic>| {
        events_after_their_source(model, all, diags);
        facts_after_their_source(model, diags);
        second_edition::validate(model, diags);
    };
    // On a large model the two halves, of about equal cost, run side by
    // side; on a small one a thread would cost more than it saves. Either
    // way the diagnostics come in the rules' order.
    if crate::parallel::worth_two_threads(model.events.len()) {
        crate::parallel::join(|| first_half(&mut first), || second_half(&mut second));
    } else {
        first_half(&mut first);
        second_half(&mut second);
    }
    diags.append(&mut first);
    diags.append(&mut second);
}

/// The rules that read events, on the events `only` (in date order) and
/// not the others. For events added to a finished model: run on the events whose
/// findings the new ones can change, before and after they are added,
/// the difference is what adding them changed.
///
/// A finding about one event depends on that event alone (its actors,
/// roles, sources, the places and trips it names), except that a
/// person's visits are checked against each other: `only` must hold all
/// the visits of each visitor it holds a visit of.
///
/// The statements (`statement …`, by index) in `says` are checked as
/// well, by the rules that read statements: each finding about one
/// depends on it alone.
pub fn validate_events(
    model: &Model,
    only: &[EventId],
    says: &[usize],
    diags: &mut Vec<Diagnostic>,
) {
    let only = Scope::Only(only);
    presence(model, only, diags);
    own_state_visits(model, only, diags);
    capacities(model, only, Some(says), diags);
    events_outside_their_place(model, only, diags);
    events_after_their_source(model, only, diags);
    statements_after_their_source(model, says.iter().map(|&i| &model.statements[i]), diags);
    second_edition::validate_events(model, only, diags);
}

/// The events a rule reads: every one, or some (see [`validate_events`]).
#[derive(Clone, Copy)]
enum Scope<'a> {
    All,
    Only(&'a [EventId]),
}

impl<'a> Scope<'a> {
    /// The events in scope, in date order, with their ids.
    fn events<'m>(self, model: &'m Model) -> ScopeEvents<'m, 'a> {
        match self {
            Scope::All => ScopeEvents::All(model.events.with_ids()),
            Scope::Only(ids) => ScopeEvents::Only(model, ids.iter()),
        }
    }
}

enum ScopeEvents<'m, 'a> {
    All(WithIds<'m>),
    Only(&'m Model, std::slice::Iter<'a, EventId>),
}

impl<'m> Iterator for ScopeEvents<'m, '_> {
    type Item = (EventId, &'m Event);
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            ScopeEvents::All(all) => all.next(),
            ScopeEvents::Only(model, ids) => ids.next().map(|&id| (id, model.event(id))),
        }
    }
}

mod second_edition;

/// An event `at` another event (a summit) must share at least one day
/// with it: a visit to a summit may begin before it and end after, but
/// one with no day in common was not there.
fn events_outside_their_place(model: &Model, scope: Scope, diags: &mut Vec<Diagnostic>) {
    for (_, ev) in scope.events(model) {
        let Some(Place::Event(place)) = ev.details().at else {
            continue;
        };
        let host = model.event(place);
        if host.when.overlaps(&ev.when) {
            continue;
        }
        let label = host.details().label.as_deref().unwrap_or("the event");
        diags.push(
            Diagnostic::new(
                Code::AtOutsideEvent,
                format!(
                    "this {} on {} is said to be at `{label}`, which was on {}",
                    ev.kind.word(),
                    ev.when,
                    host.when
                ),
            )
            .at(ev.origin.file, ev.spans.at(), format!("no day in common with `{label}`"))
            .also(ev.origin.file, ev.spans.when(), format!("{} {}", ev.kind.word(), ev.when))
            .also(host.origin.file, host.spans.when(), format!("`{label}` {}", host.when))
            .help("correct the date of one of the two events, or drop `at` if this event was not part of the other"),
        );
    }
}

/// How far ahead a source may announce an event or a role: a visit two
/// days after an article that announces it is a plan, not an error.
const PLANNED_AHEAD_DAYS: i32 = 366;

/// When a source can first have reported a fact.
#[derive(Clone, Copy)]
enum Reported {
    /// A statement or a level change: once it happened.
    OnceItHappened,
    /// A year's figure: once the year was over.
    OnceTheYearWasOver,
    /// An event or a role: it may be announced ahead. An event written
    /// without `status planned` is flagged only when it begins more than a
    /// year after the source.
    Ahead,
}

impl Reported {
    /// The first day a source could report a fact on `when`.
    fn from(self, when: When) -> i32 {
        match self {
            Reported::OnceItHappened => when.lo,
            Reported::OnceTheYearWasOver => when.hi,
            Reported::Ahead => when.lo.saturating_sub(PLANNED_AHEAD_DAYS),
        }
    }

    /// How the message says when the source was published.
    fn too_early(self) -> &'static str {
        match self {
            Reported::OnceItHappened => "before it",
            Reported::OnceTheYearWasOver => "before the year was over",
            Reported::Ahead => "more than a year before it",
        }
    }

    fn help(self, source: &str) -> String {
        match self {
            Reported::OnceItHappened => "a source cannot report what came after it: correct the date, or cite a source published since".to_string(),
            Reported::OnceTheYearWasOver => "a year's figure is known once the year is over: correct the year, or cite a source published since".to_string(),
            Reported::Ahead => format!(
                "a source cannot report what came after it: correct the date, or cite a source that reports it (if `{source}` announced it in advance, mark the event `status planned`)"
            ),
        }
    }
}

/// A fact cited only to a source published before the source could have
/// reported it.
/// A fact dated after the only source it cites was published (see
/// [`Reported`]); `at` is where the fact's date is written.
fn after_its_source(
    model: &Model,
    diags: &mut Vec<Diagnostic>,
    what: &dyn Fn() -> String,
    reported: Reported,
    when: When,
    sources: &[SourceId],
    at: Origin,
) {
    let [only] = sources else { return };
    let src = model.source(*only);
    let Some(published) = src.published else {
        return;
    };
    if when.lo == crate::date::OPEN_START || reported.from(when) <= published.hi {
        return;
    }
    let too_early = reported.too_early();
    diags.push(
        Diagnostic::new(
            Code::AfterItsSource,
            format!(
                "{} dated {when} is cited only to `{}`, published {published}, {too_early}",
                what(),
                src.id
            ),
        )
        .at(at.file, at.span, format!("dated {when}"))
        .also(
            src.origin.file,
            src.origin.span,
            format!("published {published}"),
        )
        .help(reported.help(&src.id)),
    );
}

/// Events dated after the only source they cite was published.
fn events_after_their_source(model: &Model, scope: Scope, diags: &mut Vec<Diagnostic>) {
    // A planned, postponed or cancelled event is what a source said ahead.
    for (_, ev) in scope.events(model).filter(|(_, e)| e.happened()) {
        // Words for the message, made only for a diagnostic.
        let what = || format!("{} {}", article(ev.kind.word()), ev.kind.word());
        let at = Origin {
            file: ev.origin.file,
            span: ev.spans.when(),
        };
        after_its_source(
            model,
            diags,
            &what,
            Reported::Ahead,
            ev.when,
            &ev.sources,
            at,
        );
    }
}

/// Statements (`statement …`) dated after the only source they cite was
/// published.
fn statements_after_their_source<'m>(
    model: &Model,
    says: impl Iterator<Item = &'m Say>,
    diags: &mut Vec<Diagnostic>,
) {
    for s in says {
        after_its_source(
            model,
            diags,
            &|| "a statement".to_string(),
            Reported::OnceItHappened,
            s.when,
            &s.sources,
            s.origin,
        );
    }
}

/// Facts other than events dated after the only source they cite was
/// published.
fn facts_after_their_source(model: &Model, diags: &mut Vec<Diagnostic>) {
    let mut check =
        |what: &dyn Fn() -> String,
         reported: Reported,
         when: When,
         sources: &[SourceId],
         at: Origin| { after_its_source(model, diags, what, reported, when, sources, at) };
    use Reported::*;
    for r in &model.roles {
        check(
            &|| "a role".to_string(),
            Ahead,
            r.when,
            &r.sources,
            r.origin,
        );
    }
    for d in &model.diplomatic {
        check(
            &|| "a change of relations".to_string(),
            OnceItHappened,
            d.when,
            &d.sources,
            d.origin,
        );
    }
    for ms in &model.memberships {
        check(
            &|| "a membership".to_string(),
            OnceItHappened,
            ms.when,
            &ms.sources,
            ms.origin,
        );
    }
    // A target is a goal for later: its date is not when it was reported.
    for f in model.figures.iter().filter(|f| !f.target) {
        let reported = if f.when.start_precision() == crate::date::Precision::Year {
            OnceTheYearWasOver
        } else {
            OnceItHappened
        };
        check(
            &|| "a figure".to_string(),
            reported,
            f.when,
            &f.sources,
            f.origin,
        );
    }
    for l in model.relations.values().flat_map(|rel| &rel.levels) {
        level_after_its_source(model, l, diags);
    }
    for t in model.relations.values().flat_map(|rel| &rel.trade) {
        trade_after_its_source(model, t, diags);
    }
    statements_after_their_source(model, model.statements.iter(), diags);
}

/// A trade figure of a year that was not over when the only source it
/// cites was published.
fn trade_after_its_source(model: &Model, t: &TradeFigure, diags: &mut Vec<Diagnostic>) {
    after_its_source(
        model,
        diags,
        &|| "a trade figure".to_string(),
        Reported::OnceTheYearWasOver,
        When::year(t.year),
        &t.sources,
        t.origin,
    );
}

fn level_histories(model: &Model, diags: &mut Vec<Diagnostic>) {
    for (&key, rel) in &model.relations {
        level_history(model, key, rel, diags);
    }
}

/// The rules that read levels, on the pairs `pairs` (those level changes
/// were added to, in a finished model), and for `new` (those changes) the
/// rule on their sources' dates. Run before and after the changes are
/// added, the difference is what adding them changed: a finding about a
/// level depends on its pair's levels, events and diplomatic relations.
pub fn validate_levels(
    model: &Model,
    pairs: &[(ActorId, ActorId)],
    new: &[&LevelChange],
    diags: &mut Vec<Diagnostic>,
) {
    for pair in pairs {
        if let Some(rel) = model.relations.get(pair) {
            level_history(model, *pair, rel, diags);
            second_edition::levels_before_relations_of(model, rel, diags);
        }
    }
    for l in new {
        level_after_its_source(model, l, diags);
    }
}

/// A level change dated after the only source it cites was published.
fn level_after_its_source(model: &Model, l: &LevelChange, diags: &mut Vec<Diagnostic>) {
    after_its_source(
        model,
        diags,
        &|| "a level".to_string(),
        Reported::OnceItHappened,
        l.when,
        &l.sources,
        l.origin,
    );
}

/// A pair's level history: changes on one date that disagree, downgrades
/// not marked and marks that are not downgrades, changes outside the
/// event they came with.
fn level_history(
    model: &Model,
    key: (ActorId, ActorId),
    rel: &Relation,
    diags: &mut Vec<Diagnostic>,
) {
    let pair = model.pair_name(key);
    for (i, cur) in rel.levels.iter().enumerate() {
        let file = cur.origin.file;
        let name = model.level_name(cur);
        diags.extend(change_outside_its_event(model, &pair, cur));
        let prev = i.checked_sub(1).map(|p| &rel.levels[p]);
        let Some(prev) = prev else {
            if let Some(ds) = cur.downgrade_span {
                diags.push(
                    Diagnostic::new(
                        Code::NotADowngrade,
                        format!("`{name}` is the first level of {pair}, so it is not a downgrade"),
                    )
                    .at(file, ds, "nothing to go down from")
                    .help("remove `downgrade`, or record the level it came down from"),
                );
            }
            continue;
        };
        let prev_name = model.level_name(prev);
        if prev.when == cur.when && prev.rung != cur.rung {
            diags.push(
                Diagnostic::new(
                    Code::ConflictingLevels,
                    format!(
                        "{pair} is given two levels on {}: `{prev_name}` and `{name}`",
                        cur.when
                    ),
                )
                .at(file, cur.level_span, "this level")
                .also(
                    prev.origin.file,
                    prev.level_span,
                    "and this one, on the same date",
                )
                .help("keep the level the sources support, or correct one of the dates"),
            );
            continue;
        }
        if cur.rung < prev.rung && !cur.downgrade {
            diags.push(
                Diagnostic::new(
                    Code::UnmarkedDowngrade,
                    format!(
                        "{pair} goes down from `{prev_name}` to `{name}` on {}, but the change is not marked as a downgrade",
                        cur.when
                    ),
                )
                .at(file, cur.level_span, "lower than the level before")
                .also(prev.origin.file, prev.level_span, format!("`{prev_name}` from {}", prev.when))
                .help(format!(
                    "if the relation was downgraded, say so: `level {pair} {name} since {} downgrade`",
                    cur.when
                )),
            );
        } else if let (Some(ds), true) = (cur.downgrade_span, cur.rung >= prev.rung) {
            let how = if cur.rung == prev.rung {
                "stays at"
            } else {
                "goes up to"
            };
            diags.push(
                Diagnostic::new(
                    Code::NotADowngrade,
                    format!("marked as a downgrade, but {pair} {how} `{name}` from `{prev_name}`"),
                )
                .at(file, ds, "not a downgrade")
                .also(
                    prev.origin.file,
                    prev.level_span,
                    format!("`{prev_name}` from {}", prev.when),
                )
                .help("remove `downgrade`"),
            );
        }
    }
}

/// A level change said to come `via` an event must fall within its dates.
fn change_outside_its_event(model: &Model, pair: &str, cur: &LevelChange) -> Option<Diagnostic> {
    let ev = model.event(cur.via?);
    if ev.when.contains(&cur.when) {
        return None;
    }
    let name = model.level_name(cur);
    Some(
        Diagnostic::new(
            Code::ViaOutsideEvent,
            format!(
                "{pair} changes to `{name}` on {}, outside `{}` ({})",
                cur.when,
                ev.details().label.as_deref().unwrap_or("the event"),
                ev.when
            ),
        )
        .at(
            cur.origin.file,
            cur.via_span,
            "the change did not happen during this event",
        )
        .also(ev.origin.file, ev.spans.when(), "the event's dates")
        .help("correct the date of the change or of the event, or drop `via`"),
    )
}

/// A travel day shared by two visits is allowed (leave one country in the
/// morning, arrive in another at night); two shared days are not.
///
/// Each visit that conflicts is reported once, against the nearest
/// earlier visit (the latest to start) that shares two days with it and
/// goes elsewhere: n visits that all overlap give n - 1 findings, not one
/// for every pair. Finding it takes O(log n) a visit, so a person with
/// thousands of overlapping visits costs no more than one with a few.
fn presence(model: &Model, scope: Scope, diags: &mut Vec<Diagnostic>) {
    use std::cmp::Reverse;
    use std::collections::{BTreeSet, BinaryHeap};
    let mut by_person: HashMap<ActorId, Vec<EventId>> = HashMap::default();
    for (id, ev) in scope.events(model) {
        if ev.kind != EventKind::Visit || ev.to.is_none() || !ev.happened() {
            continue;
        }
        let Some(&who) = ev.participants.first() else {
            continue;
        };
        // A visit of one day shares at most one day with another, which
        // is allowed: it can neither be found in two places nor be the
        // other place of a longer visit (it is closed by the time a later
        // visit starts), so only longer visits are followed.
        if ev.when.hi == ev.when.lo
            || model.actor(who).kind != ActorKind::Person
            || !day_precise(&ev.when)
        {
            continue;
        }
        by_person.entry(who).or_default().push(id);
    }
    let mut people: Vec<_> = by_person.into_iter().collect();
    people.sort_by_key(|(who, _)| *who);
    for (who, visits) in people {
        // Events are in start order. A visit is "open" while it can still
        // share two days with one that starts later: until a visit starts
        // after its second-to-last day. Open visits are kept by place,
        // each place with its open visits by position, and the places by
        // their latest open visit: the latest open visit elsewhere is one
        // of the last two places.
        let mut ends: BinaryHeap<Reverse<(i32, usize)>> = BinaryHeap::new();
        let mut by_place: HashMap<ActorId, BTreeSet<usize>> = HashMap::default();
        let mut places: BTreeSet<(usize, ActorId)> = BTreeSet::new();
        let place_of = |i: usize| model.event(visits[i]).to.expect("visits with a place only");
        for (i, &id) in visits.iter().enumerate() {
            let ev = model.event(id);
            let here = place_of(i);
            while let Some(&Reverse((hi, j))) = ends.peek() {
                if hi > ev.when.lo {
                    break;
                }
                ends.pop();
                let place = place_of(j);
                let open = by_place
                    .get_mut(&place)
                    .expect("an open visit has its place");
                places.remove(&(*open.last().expect("not empty"), place));
                open.remove(&j);
                if let Some(&latest) = open.last() {
                    places.insert((latest, place));
                }
            }
            let nearest = places.iter().rev().find(|&&(_, place)| place != here);
            if let (Some(&(j, there)), true) = (nearest, ev.when.hi > ev.when.lo) {
                let other = model.event(visits[j]);
                let shared = other.when.hi.min(ev.when.hi) - ev.when.lo.max(other.when.lo) + 1;
                diags.push(
                    Diagnostic::new(
                        Code::TwoPlacesAtOnce,
                        format!(
                            "{} would be in {} and {} on the same days ({shared} days shared)",
                            model.actor_name(who),
                            model.actor_name(here),
                            model.actor_name(there)
                        ),
                    )
                    .at(ev.origin.file, ev.spans.when(), format!("in {} {}", model.actor_name(here), ev.when))
                    .also(other.origin.file, other.spans.when(), format!("in {} {}", model.actor_name(there), other.when))
                    .help("one of the dates is wrong; check them against the sources (one shared travel day is allowed)"),
                );
            }
            let open = by_place.entry(here).or_default();
            if let Some(&latest) = open.last() {
                places.remove(&(latest, here));
            }
            open.insert(i);
            places.insert((i, here));
            ends.push(Reverse((ev.when.hi, i)));
        }
    }
}

fn day_precise(w: &When) -> bool {
    w.start_precision() == crate::date::Precision::Day
        && w.end_precision() == crate::date::Precision::Day
        && w.hi != crate::date::OPEN_END
}

fn own_state_visits(model: &Model, scope: Scope, diags: &mut Vec<Diagnostic>) {
    for (_, ev) in scope.events(model) {
        if ev.kind != EventKind::Visit {
            continue;
        }
        let (Some(&who), Some(to)) = (ev.participants.first(), ev.to) else {
            continue;
        };
        for role in model.roles_of(who) {
            if role.is_head_of_state() && role.of == to && role.when.overlaps(&ev.when) {
                diags.push(
                    Diagnostic::new(
                        Code::OwnStateVisit,
                        format!(
                            "{} is {} of {} and cannot visit it",
                            model.actor_name(who),
                            role.office,
                            model.actor_name(to)
                        ),
                    )
                    .at(ev.origin.file, ev.spans.to(), "their own state")
                    .also(role.origin.file, role.origin.span, format!("{} of {} {}", role.office, model.actor_name(to), role.when.tenure()))
                    .help("a trip at home is not a visit; record a meeting with `at \"City\"` instead, or correct the destination"),
                );
                break;
            }
        }
    }
}

/// Acts in a capacity (`capacity foreign_minister`) within a role of that
/// office: those of the events in scope, and of the statements `says`
/// (by index; all when `None`).
fn capacities(model: &Model, scope: Scope, says: Option<&[usize]>, diags: &mut Vec<Diagnostic>) {
    let events = scope.events(model).flat_map(|(_, ev)| {
        ev.details()
            .more()
            .capacity
            .iter()
            .map(|c| (c.who, c.office.as_str(), ev.when, ev.origin.file, c.span))
    });
    let says: Box<dyn Iterator<Item = &Say>> = match says {
        None => Box::new(model.statements.iter()),
        Some(some) => Box::new(some.iter().map(|&i| &model.statements[i])),
    };
    let says = says.filter_map(|s| {
        Some((
            s.speaker,
            s.capacity.as_deref()?,
            s.when,
            s.origin.file,
            s.capacity_span,
        ))
    });
    for (who, office, when, file, span) in events.chain(says).collect::<Vec<_>>() {
        let roles: Vec<&Role> = model.roles_of(who).filter(|r| r.office == office).collect();
        let name = model.actor_name(who);
        if roles.is_empty() {
            let offices: Vec<&str> = model.roles_of(who).map(|r| r.office.as_str()).collect();
            let mut d = Diagnostic::new(
                Code::OutsideRole,
                format!("{name} acts as {office}, but holds no such role"),
            )
            .at(file, span, format!("no `{office}` role for {name}"));
            d = d.help_suggesting(
                office,
                offices.iter().copied(),
                format!("declare the role: `role {name} {office} of <state> since <date>`"),
            );
            diags.push(d);
            continue;
        }
        // Decide only what the dates decide: an act certainly within a
        // role is fine, one certainly outside every role is an error, and
        // one the dates leave open is a warning.
        if roles.iter().any(|r| r.certainly_held_during(&when)) {
            continue;
        }
        let maybe = roles.iter().any(|r| r.when.overlaps(&when));
        let mut d = if maybe {
            Diagnostic::new(
                Code::MayBeOutsideRole,
                format!("{name} acts as {office} on {when}, which may fall outside the role"),
            )
        } else {
            Diagnostic::new(
                Code::OutsideRole,
                format!("{name} acts as {office} on {when}, outside the dates of the role"),
            )
        }
        .at(file, span, format!("as {office} on {when}"));
        for r in &roles {
            d = d.also(
                r.origin.file,
                r.origin.span,
                format!("{office} {}", r.when.tenure()),
            );
        }
        diags.push(d.help(if maybe {
            format!(
                "the dates overlap but do not say whether {name} was {office} then; give the day the act or the role began or ended, if a source has it"
            )
        } else {
            format!(
                "correct the date, or drop `capacity {office}` (a former {office} speaks in another capacity)"
            )
        }));
    }
}

fn cited(model: &Model, sources: &[SourceId]) -> String {
    if sources.is_empty() {
        "no source".to_string()
    } else {
        sources
            .iter()
            .map(|s| format!("[{}]", model.source(*s).id))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Trade figures grouped by year and currency, in the relation's order,
/// with running bounds over each group so that "the first earlier figure
/// that contradicts this one" is a binary search, not a scan: a pair with
/// 50,000 figures is checked in O(n log n).
struct TradeGroups {
    /// Each group's members (indices into the relation's trade), in order.
    members: HashMap<(i32, String), Vec<usize>>,
    /// For each member, by position in its group: the lowest upper bound
    /// and the highest lower bound of the members up to it.
    lowest_hi: HashMap<(i32, String), Vec<f64>>,
    highest_lo: HashMap<(i32, String), Vec<f64>>,
    /// Each figure's position in its group.
    position: Vec<usize>,
}

impl TradeGroups {
    fn new(trade: &[TradeFigure]) -> TradeGroups {
        let mut groups = TradeGroups {
            members: HashMap::default(),
            lowest_hi: HashMap::default(),
            highest_lo: HashMap::default(),
            position: Vec::with_capacity(trade.len()),
        };
        for (i, t) in trade.iter().enumerate() {
            let key = (t.year, t.currency.clone());
            let iv = t.amount.interval();
            let members = groups.members.entry(key.clone()).or_default();
            groups.position.push(members.len());
            members.push(i);
            let his = groups.lowest_hi.entry(key.clone()).or_default();
            his.push(his.last().map_or(iv.hi, |&m: &f64| m.min(iv.hi)));
            let los = groups.highest_lo.entry(key).or_default();
            los.push(los.last().map_or(iv.lo, |&m: &f64| m.max(iv.lo)));
        }
        groups
    }

    /// The first member of group `key`, among its first `limit`, whose
    /// upper bound is below `below` or whose lower bound is above `above`
    /// (as far as the running bounds tell), then the first from there that
    /// `exact` accepts.
    fn first(
        &self,
        key: &(i32, String),
        limit: usize,
        below: f64,
        above: f64,
        exact: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let members = self.members.get(key)?;
        let limit = limit.min(members.len());
        let by_hi = self.lowest_hi[key][..limit].partition_point(|&h| h >= below);
        let by_lo = self.highest_lo[key][..limit].partition_point(|&l| l <= above);
        let start = by_hi.min(by_lo);
        members[start..limit].iter().copied().find(|&i| exact(i))
    }
}

fn trade_series(model: &Model, diags: &mut Vec<Diagnostic>) {
    for (&key, rel) in &model.relations {
        trade_series_of(model, key, &rel.trade, &|_| true, diags);
    }
}

/// The rules that read trade figures, on the figures of `added`'s years
/// and the years after them (for each pair, the years of trade figures
/// added to a finished model), and for `new` (those figures) the rule on
/// their sources' dates. Run before and after the figures are added, the
/// difference is what adding them changed: a finding about a figure
/// depends on the figures of its pair in its year and the year before.
pub fn validate_trade(
    model: &Model,
    // Sorted, without repeats.
    added: &[((ActorId, ActorId), i32)],
    new: &[&TradeFigure],
    diags: &mut Vec<Diagnostic>,
) {
    for pair in added.chunk_by(|a, b| a.0 == b.0) {
        let key = pair[0].0;
        let Some(rel) = model.relations.get(&key) else {
            continue;
        };
        let years: Vec<i32> = pair.iter().map(|&(_, year)| year).collect();
        let report = |year: i32| years.contains(&year) || years.contains(&(year - 1));
        // The figures of those years and the years before them, which
        // are all their findings read (figures are in year order).
        let (first, last) = (years[0] - 1, years[years.len() - 1] + 1);
        let from = rel.trade.partition_point(|t| t.year < first);
        let to = rel.trade.partition_point(|t| t.year <= last);
        trade_series_of(model, key, &rel.trade[from..to], &report, diags);
    }
    for t in new {
        trade_after_its_source(model, t, diags);
    }
}

/// The trade figures of a pair (`trade`, in year order: whole years)
/// that contradict others of the same year, or whose stated change no
/// figure of the year before bears out; only those of the years `report`
/// accepts are reported.
fn trade_series_of(
    model: &Model,
    key: (ActorId, ActorId),
    trade: &[TradeFigure],
    report: &dyn Fn(i32) -> bool,
    diags: &mut Vec<Diagnostic>,
) {
    if trade.is_empty() {
        return;
    }
    let pair = model.pair_name(key);
    let groups = TradeGroups::new(trade);
    for (i, cur) in trade.iter().enumerate() {
        if !report(cur.year) {
            continue;
        }
        let c = cur.amount.interval();
        // Same year, same currency: figures must agree within rounding.
        // One finding a figure: against the first earlier figure it
        // contradicts.
        let group = (cur.year, cur.currency.clone());
        let conflicting = groups.first(&group, groups.position[i], c.lo, c.hi, |j| {
            !trade[j].amount.interval().overlaps(&c)
        });
        if let Some(other) = conflicting.map(|j| &trade[j]) {
            diags.push(figure_conflict(model, &pair, cur, other));
        }
        // The stated change against the previous year's figures: one
        // finding, against the first that no rounding reconciles.
        let Some(yoy) = cur.yoy else { continue };
        let stated = yoy.interval();
        let contradicts = |j: usize| {
            change_between(&trade[j].amount, &cur.amount)
                .is_some_and(|computed| !computed.overlaps(&stated))
        };
        // computed.hi < stated.lo when prev.lo > c.hi / (1 + stated.lo);
        // computed.lo > stated.hi when prev.hi < c.lo / (1 + stated.hi).
        let factor = |pct: f64| 1.0 + pct / 100.0;
        let above = if factor(stated.lo) > 0.0 {
            c.hi / factor(stated.lo)
        } else {
            f64::INFINITY
        };
        let below = if factor(stated.hi) > 0.0 {
            c.lo / factor(stated.hi)
        } else {
            f64::INFINITY
        };
        let previous = (cur.year - 1, cur.currency.clone());
        if let Some(prev) = groups
            .first(&previous, usize::MAX, below, above, contradicts)
            .map(|j| &trade[j])
        {
            diags.push(yoy_mismatch(&pair, cur, prev, yoy, stated, model));
        }
    }
}

fn figure_conflict(
    model: &Model,
    pair: &str,
    cur: &TradeFigure,
    other: &TradeFigure,
) -> Diagnostic {
    Diagnostic::new(
        Code::FigureConflict,
        format!(
            "two figures for {pair} trade in {} disagree: {} {} {} and {} {} {}",
            cur.year,
            other.amount,
            other.currency,
            cited(model, &other.sources),
            cur.amount,
            cur.currency,
            cited(model, &cur.sources)
        ),
    )
    .at(cur.origin.file, cur.amount_span, format!("{} {}", cur.amount, cited(model, &cur.sources)))
    .also(other.origin.file, other.amount_span, format!("{} {}", other.amount, cited(model, &other.sources)))
    .help("no rounding reconciles the two; keep both if the sources really differ, or correct the one that is mistyped")
}

fn yoy_mismatch(
    pair: &str,
    cur: &TradeFigure,
    prev: &TradeFigure,
    yoy: crate::figure::Percent,
    stated: crate::figure::Interval,
    model: &Model,
) -> Diagnostic {
    let computed = change_between(&prev.amount, &cur.amount).unwrap_or(stated);
    Diagnostic::new(
        Code::YoyMismatch,
        format!(
            "{pair} trade {}: {yoy} stated, but {} {} to {} {} is {}",
            cur.year,
            prev.amount,
            prev.year,
            cur.amount,
            cur.year,
            show_pct_interval(computed)
        ),
    )
    .at(cur.origin.file, cur.yoy_span, format!("{yoy} allows {} once rounded", show_pct_interval(stated)))
    .also(prev.origin.file, prev.amount_span, format!("{} figure {}", prev.year, cited(model, &prev.sources)))
    .help(format!(
        "no rounding of the two figures gives {yoy}; the stated change may rest on a revised {} figure: cite it, or check both numbers",
        prev.year
    ))
}

/// Sources that nothing cites: a rule that reads events' citations
/// through each source's count of them.
pub fn unused_sources(model: &Model, diags: &mut Vec<Diagnostic>) {
    for src in model.sources.values() {
        if src.cited == 0 && !src.cited_by_broken {
            diags.push(
                Diagnostic::new(
                    Code::UnusedSource,
                    format!("source `{}` is never cited", src.id),
                )
                .at(src.origin.file, src.origin.span, "declared but not cited")
                .help(format!(
                    "cite it on the facts it supports with `[{}]`, or remove it",
                    src.id
                )),
            );
        }
    }
}
