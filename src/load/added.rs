//! Adding statements to a built model instead of building it again: what
//! the REPL does with a statement typed, when it is one or more events
//! that declare nothing and name nothing lowered after events,
//! `statement`s of what someone said, trade figures, or levels (see
//! [`Lowerer::lower_added_events`]). Anything else builds the whole
//! program again; both ways give the same model and the same diagnostics
//! (tested against each other in `tests/properties.rs`).
//!
//! The new facts are lowered against the model and put in their places
//! (events also in the event lists made so far). The rules that read
//! them run on what they can change: the new events, every visit of each
//! new visit's visitor (a person's visits are checked against each
//! other), the new statements, the trade figures of each new figure's
//! pair in its year and the years next to it, the levels of each new
//! level's pair, and the sources never cited. Those rules
//! run before and after the new facts are added; what differs is what
//! they changed. Every `assert` and `claim` is judged again.

use super::{Built, Checkpoint, Program};
use crate::diag::{self, Diagnostic};
use crate::lower::{AddedFacts, Lowerer};
use crate::model::{ActorId, EventId, EventKind, LadderId, LevelChange, Model, TradeFigure};
use crate::query::{CheckTable, Verdict};
use crate::source::FileId;
use std::collections::HashMap;

/// Statements added to a model, with what it takes to take them back.
#[derive(Debug)]
pub struct Added {
    /// What adding the statements took away from the model's
    /// diagnostics (each equal to one of them) and what it brought: the
    /// diagnostics with them are those without `gone`, with `brought`.
    /// Kept as a difference, so that adding costs what the statements
    /// change and not what the model already reports.
    pub gone: Vec<Diagnostic>,
    pub brought: Vec<Diagnostic>,
    /// The checks' diagnostics with the statements.
    checks: Vec<Diagnostic>,
    events: usize,
    /// The pairs trade figures were added to; those levels were added
    /// to, with the ladder each had before; and those of them that had
    /// no relation before.
    trade_pairs: Vec<(ActorId, ActorId)>,
    level_pairs: Vec<((ActorId, ActorId), Option<LadderId>)>,
    made_relations: Vec<(ActorId, ActorId)>,
    /// The first file read for the statements added.
    first_new: FileId,
    cited: Vec<usize>,
    verdicts: Vec<Verdict>,
}

impl Added {
    /// Keeps the statements: `built`, the model's diagnostics before
    /// they were added, becomes what it is with them, in the order
    /// sorting them all again would give ([`diag::order`], in which only
    /// equal diagnostics tie). One pass over the model's diagnostics,
    /// moving them: no copy of each, no sort.
    pub fn keep(self, built: &mut Built) {
        let old = std::mem::take(&mut built.diagnostics);
        let mut dropped = vec![false; old.len()];
        for gone in &self.gone {
            let from = old.partition_point(|d| diag::order(d, gone).is_lt());
            let found = (from..old.len())
                .take_while(|&i| diag::order(&old[i], gone).is_eq())
                .find(|&i| !dropped[i] && old[i] == *gone);
            debug_assert!(found.is_some(), "gone, but not there: {gone:?}");
            if let Some(i) = found {
                dropped[i] = true;
            }
        }
        let mut brought = self.brought;
        diag::sort(&mut brought);
        let mut brought = brought.into_iter().peekable();
        let mut kept = Vec::with_capacity(old.len() + brought.len());
        for (d, dropped) in old.into_iter().zip(dropped) {
            if dropped {
                continue;
            }
            while let Some(b) = brought.next_if(|b| diag::order(b, &d).is_lt()) {
                kept.push(b);
            }
            kept.push(d);
        }
        kept.extend(brought);
        built.diagnostics = kept;
        built.checks = self.checks;
    }

    /// Takes the statements back out of the model (the REPL refuses a
    /// statement with errors): the model is as it was before.
    pub fn take_back(self, model: &mut Model) {
        for _ in 0..self.events {
            model.take_back_event();
        }
        let first_new = self.first_new;
        model.statements.retain(|s| s.origin.file < first_new);
        for pair in &self.trade_pairs {
            if let Some(rel) = model.relations.get_mut(pair) {
                rel.trade.retain(|t| t.origin.file < first_new);
            }
        }
        for (pair, ladder) in &self.level_pairs {
            if let Some(rel) = model.relations.get_mut(pair) {
                rel.levels.retain(|l| l.origin.file < first_new);
                rel.ladder = *ladder;
            }
        }
        for pair in &self.made_relations {
            model.relations.shift_remove(pair);
        }
        for (source, cited) in model.sources.values_mut().zip(self.cited) {
            source.cited = cited;
        }
        for (check, verdict) in model.checks.iter_mut().zip(self.verdicts) {
            check.verdict = verdict;
        }
    }
}

impl Program {
    /// Adds what was read since `since` to `model`, built (as `built`
    /// says) from what was read before it, without building it again.
    /// `None` when what was read is not events, statements (`statement
    /// …`), trade figures and levels alone, or did not read cleanly: then
    /// [`Program::build`] builds everything again.
    pub fn add_to(&self, since: Checkpoint, model: &mut Model, built: &Built) -> Option<Added> {
        if self.diagnostics.len() != since.diagnostics {
            return None;
        }
        let added = &self.statements[since.statements..];
        let cited: Vec<usize> = model.sources.values().map(|s| s.cited).collect();
        // Lowering counts the new events' citations.
        let mut before = Vec::new();
        crate::validate::unused_sources(model, &mut before);
        let verdicts: Vec<Verdict> = model.checks.iter().map(|c| c.verdict).collect();
        let AddedFacts {
            events,
            says,
            trade,
            levels,
            diagnostics: lowering,
        } = Lowerer::lower_added_events(model, &self.sources, &self.statements, added)?;
        // The pairs and years of the new trade figures: a figure is checked
        // against the others of its pair in its year and the year before.
        let mut trade_years: Vec<_> = trade.iter().map(|(pair, t)| (*pair, t.year)).collect();
        trade_years.sort();
        trade_years.dedup();
        let mut trade_pairs: Vec<_> = trade_years.iter().map(|&(pair, _)| pair).collect();
        trade_pairs.dedup();
        crate::validate::validate_trade(model, &trade_years, &[], &mut before);
        // The pairs of the new levels: a level is checked against its
        // pair's others.
        let mut level_pairs: Vec<_> = levels.iter().map(|&(pair, _)| pair).collect();
        level_pairs.sort();
        level_pairs.dedup();
        crate::validate::validate_levels(model, &level_pairs, &[], &mut before);
        let ladders_before: Vec<_> = level_pairs
            .iter()
            .map(|pair| (*pair, model.relations.get(pair).and_then(|r| r.ladder)))
            .collect();

        // Every visit of each visitor of a new visit, in date order.
        let mut visitors: Vec<_> = events
            .iter()
            .filter(|e| e.kind == EventKind::Visit && e.to.is_some())
            .filter_map(|e| e.participants.first().copied())
            .collect();
        visitors.sort();
        visitors.dedup();
        let mut scope: Vec<EventId> = Vec::new();
        for &who in &visitors {
            scope.extend(model.events_of(who).iter().copied().filter(|&id| {
                let e = model.event(id);
                e.kind == EventKind::Visit && e.to.is_some() && e.participants.first() == Some(&who)
            }));
        }
        let by_date = |model: &Model, ids: &mut Vec<EventId>| {
            ids.sort_by(|&a, &b| model.events.cmp_order(a, b));
            ids.dedup();
        };
        by_date(model, &mut scope);
        crate::validate::validate_events(model, &scope, &[], &mut before);

        let count = events.len();
        for event in events {
            scope.push(model.add_event(event, &self.sources));
        }
        by_date(model, &mut scope);
        let first_new = added.first().map_or(FileId(u32::MAX), |f| f.file);
        for say in says {
            model.add_statement(say, &self.sources);
        }
        let new_says = added_statements(model, first_new);
        let mut made_relations = Vec::new();
        for (pair, figure) in trade {
            if model.add_trade(pair, figure, &self.sources) {
                made_relations.push(pair);
            }
        }
        for (pair, level) in levels {
            if model.add_level(pair, level, &self.sources) {
                made_relations.push(pair);
            }
        }
        let mut after = Vec::new();
        crate::validate::unused_sources(model, &mut after);
        crate::validate::validate_events(model, &scope, &new_says, &mut after);
        let new_trade: Vec<&TradeFigure> = trade_pairs
            .iter()
            .filter_map(|pair| model.relations.get(pair))
            .flat_map(|rel| &rel.trade)
            .filter(|t| t.origin.file >= first_new)
            .collect();
        crate::validate::validate_trade(model, &trade_years, &new_trade, &mut after);
        let new_levels: Vec<&LevelChange> = level_pairs
            .iter()
            .filter_map(|pair| model.relations.get(pair))
            .flat_map(|rel| &rel.levels)
            .filter(|l| l.origin.file >= first_new)
            .collect();
        crate::validate::validate_levels(model, &level_pairs, &new_levels, &mut after);

        let mut checks = Vec::new();
        let table = CheckTable::new(model, self.written_checks());
        crate::query::run_checks(model, &table, &mut checks);

        // What the new facts took away and what they brought; the checks
        // were all judged again.
        let mut gone = without(&before, &after);
        gone.extend(built.checks.iter().cloned());
        let mut brought = without(&after, &before);
        brought.extend(lowering);
        brought.extend(checks.iter().cloned());
        Some(Added {
            gone,
            brought,
            checks,
            events: count,
            trade_pairs,
            level_pairs: ladders_before,
            made_relations,
            first_new,
            cited,
            verdicts,
        })
    }
}

/// The places of the statements (`statement …`) read from files from
/// `first_new` on.
fn added_statements(model: &Model, first_new: FileId) -> Vec<usize> {
    (0..model.statements.len())
        .filter(|&i| model.statements[i].origin.file >= first_new)
        .collect()
}

/// The diagnostics of `all` not in `minus`, each of `minus` taking away
/// one equal to it.
fn without(all: &[Diagnostic], minus: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut left: HashMap<&Diagnostic, usize> = HashMap::new();
    for d in minus {
        *left.entry(d).or_default() += 1;
    }
    all.iter()
        .filter(|d| match left.get_mut(d) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}
