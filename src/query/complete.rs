//! Which counts a `complete` scope decides.
//!
//! A count of events is a lower bound: the model never holds every event.
//! A `complete <query>` statement declares that, for that scope, it does.
//! A counted query lies within a scope, and its count is then exact, when
//! it asks for the same noun, names every actor the scope names in the
//! same place (`by`/`from`, `to`; for meetings, events and agreements any
//! of `of`, `with`, `involving`), has the scope's `kind`, `mode` and
//! `about` if it has them, and admits only dates the scope admits (its
//! `in`, `since` and `until` lie within the scope's; its `on`, if the
//! scope has one, within the scope's `on`). Further filters only narrow it.
//! What the files declare (actors, sources, ladders, claims) is counted
//! exactly.

use super::eval::Evaluator;
use crate::date::{When, OPEN_END, OPEN_START};
use crate::model::{pair_key, ActorId, Complete, ScopeRole};
use crate::syntax::ast::*;

/// Whether a count is exact or a lower bound.
pub(super) enum World {
    /// Exact: the files declare every one, or a `complete` scope covers it.
    Closed,
    /// A lower bound. `scope` is the query to declare `complete` to decide
    /// it, when one can be.
    Open { scope: Option<String> },
}

/// The world a count of `q` is judged in.
pub(super) fn world_of(ev: &Evaluator<'_>, q: &Query) -> World {
    let b = base_of(q);
    if matches!(
        b.noun,
        Noun::Actors | Noun::Sources | Noun::Claims | Noun::Ladders
    ) {
        return World::Closed;
    }
    // Only lists of events and statements can be declared complete.
    if !Noun::COMPLETABLE.contains(&b.noun) {
        return World::Open { scope: None };
    }
    let Some(asked) = Asked::of(ev, b) else {
        return World::Open { scope: None };
    };
    if ev.model.completes.iter().any(|c| asked.within(c)) {
        World::Closed
    } else {
        World::Open {
            scope: Some(base_text(b)),
        }
    }
}

/// The base query whose results a query counts: `count(visits by Xi)`,
/// `visits by Xi | count`, `(visits by Xi | limit 3) | count`.
fn base_of(q: &Query) -> &BaseQuery {
    match &q.primary {
        Primary::Base(b) => b,
        Primary::Call { inner, .. } | Primary::Paren { inner, .. } => base_of(inner),
    }
}

/// Where a filter names an actor, as a scope records it: `by`/`from` the
/// visitor or speaker, `to` the state visited, any other a participant.
fn scope_role(key: FilterKey) -> ScopeRole {
    match key {
        FilterKey::By | FilterKey::From => ScopeRole::By,
        FilterKey::To => ScopeRole::To,
        _ => ScopeRole::Involving,
    }
}

/// A counted query's filters, resolved.
struct Asked {
    noun: &'static str,
    actors: Vec<(ScopeRole, ActorId)>,
    offices: Vec<(ScopeRole, String, ActorId)>,
    about: Option<(ActorId, ActorId)>,
    kind: Option<String>,
    mode: Option<String>,
    window: Window,
}

impl Asked {
    /// The query's filters as the evaluator resolves them; `None` for a
    /// query with a subject or one that does not evaluate.
    fn of(ev: &Evaluator<'_>, b: &BaseQuery) -> Option<Asked> {
        if b.subject.is_some() {
            return None;
        }
        let f = ev.filters(b).ok()?;
        let d = &f.dates;
        Some(Asked {
            noun: b.noun.word(),
            actors: f
                .actors
                .iter()
                .map(|&(key, a)| (scope_role(key), a))
                .collect(),
            offices: f
                .offices
                .iter()
                .map(|(key, o)| (scope_role(*key), o.office.clone(), o.of))
                .collect(),
            about: f.about.map(|(a, c)| pair_key(a, c)),
            kind: f.kind.map(|i| i.name.to_string()),
            mode: f.mode.map(|i| i.name.to_string()),
            window: Window::new(d.within, d.since, d.until, d.on),
        })
    }

    /// True when every event this query admits lies within the scope.
    fn within(&self, c: &Complete) -> bool {
        c.noun == self.noun
            && c.actors.iter().all(|a| self.actors.contains(a))
            && c.offices.iter().all(|o| self.offices.contains(o))
            && c.about
                .is_none_or(|(a, b)| self.about == Some(pair_key(a, b)))
            && c.kind
                .as_ref()
                .is_none_or(|k| self.kind.as_ref() == Some(k))
            && c.mode
                .as_ref()
                .is_none_or(|m| self.mode.as_ref() == Some(m))
            && self
                .window
                .inside(&Window::new(c.within, c.since, c.until, c.on))
    }
}

/// The dates a query admits: every admitted date starts on or after `lo`
/// and ends by `hi`, and overlaps `on` if there is one.
#[derive(Default)]
struct Window {
    lo: i32,
    hi: i32,
    on: Option<When>,
}

impl Window {
    fn new(
        within: Option<When>,
        since: Option<When>,
        until: Option<When>,
        on: Option<When>,
    ) -> Window {
        let lo = [within.map(|w| w.lo), since.map(|s| s.lo)]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(OPEN_START);
        let hi = [within.map(|w| w.hi), until.map(|u| u.hi)]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(OPEN_END);
        Window { lo, hi, on }
    }

    /// True when every date this window admits, the other admits too.
    fn inside(&self, scope: &Window) -> bool {
        let bounds = scope.lo <= self.lo && self.hi <= scope.hi;
        let on = scope.on.is_none_or(|o| {
            self.on.is_some_and(|mine| o.contains(&mine)) || (o.lo <= self.lo && self.hi <= o.hi)
        });
        bounds && on
    }
}

/// A base query as it would be written.
fn base_text(b: &BaseQuery) -> String {
    let mut s = b.noun.word().to_string();
    let mut last_key = None;
    for f in &b.filters {
        let value = match &f.value {
            FilterValue::Ident(i) => i.name.to_string(),
            FilterValue::Pair(p) => p.to_string(),
            FilterValue::When(w) => w.to_string(),
            FilterValue::Str(s) => format!("{:?}", s.value),
        };
        // Several values of one key read as a list: `between Chile, Kenya`.
        if last_key == Some(f.key) {
            s.push_str(&format!(", {value}"));
        } else {
            s.push_str(&format!(" {} {value}", f.key.word()));
        }
        last_key = Some(f.key);
    }
    s
}
