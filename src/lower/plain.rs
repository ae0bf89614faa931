//! Lowering the plain events a file kept as spans (see
//! [`syntax::parse_parts`]), on two threads when there are many.
//!
//! A plain event is lowered on its own: it declares nothing (it has no
//! label), and what it reads (actors, roles, sources) was lowered before
//! it. So the events can be cut in two runs, one lowered by a copy of the
//! lowerer on another thread, and the copy's results appended after this
//! one's: events, diagnostics and pending `at` and `during` in the same
//! order as one thread gives, and each source's count of citations summed.
//! (Unless the second half makes an actor, for an office that no one
//! held: then this thread lowers it again, after the first.)

use super::{FileStatements, Lowerer};
use crate::model::EventId;
use crate::source::FileId;
use crate::syntax;
use std::ops::Range;

impl<'a> Lowerer<'a> {
    /// Lowers every plain event of `files`, in the files' order.
    pub(super) fn plain_events(&mut self, files: &[FileStatements]) {
        let total: usize = files.iter().map(|f| f.plain_events.len()).sum();
        if !crate::parallel::worth_two_threads(total) {
            self.plain_range(files, 0..total);
            return;
        }
        let half = Self::plain_events_here(total);
        let cited_before: Vec<usize> = self.model.sources.values().map(|s| s.cited).collect();
        let actors = self.model.actors.len();
        let mut other = self.fork();
        other.model.events.reserve_exact(total - half);
        let (other, ()) = crate::parallel::join(
            move || {
                other.plain_range(files, half..total);
                other
            },
            || self.plain_range(files, 0..half),
        );
        if other.model.actors.len() > actors {
            // The second half named an office that no one held, which makes
            // an actor for it, numbered as lowering meets it: lowered here
            // after the first half, it gets the id one thread gives it
            // (the other thread's work is dropped; this is rare).
            self.plain_range(files, half..total);
            return;
        }
        self.absorb(other, &cited_before);
    }

    /// How many of `total` plain events this thread lowers: the first
    /// half when there are enough for two threads, else all.
    pub(super) fn plain_events_here(total: usize) -> usize {
        if crate::parallel::worth_two_threads(total) {
            total / 2
        } else {
            total
        }
    }

    /// Lowers the plain events numbered `range` (counting through all the
    /// files' plain events in order).
    fn plain_range(&mut self, files: &[FileStatements], range: Range<usize>) {
        let mut first = 0;
        for f in files {
            let here = first..first + f.plain_events.len();
            first = here.end;
            let (from, to) = (range.start.max(here.start), range.end.min(here.end));
            if from >= to {
                continue;
            }
            self.file = f.file;
            let text = &self.sources.get(f.file).text;
            for &span in &f.plain_events[from - here.start..to - here.start] {
                // The same reader took this text when it was parsed.
                if let Some(ev) = syntax::plain_event(text, span) {
                    self.event(&ev, span);
                }
            }
        }
    }

    /// A lowerer that sees everything lowered so far but no events, and
    /// has reported nothing.
    fn fork(&mut self) -> Lowerer<'a> {
        let events = std::mem::take(&mut self.model.events);
        let model = self.model.clone();
        self.model.events = events;
        Lowerer {
            model,
            diags: Vec::new(),
            sources: self.sources,
            file: self.file,
            actor_decl: self.actor_decl.clone(),
            label_decl: self.label_decl.clone(),
            ladder_fixed_at: self.ladder_fixed_at.clone(),
            pending_at: Vec::new(),
            pending_during: Vec::new(),
            roles_by_office: self.roles_by_office.clone(),
            broken: self.broken.clone(),
        }
    }

    /// Appends what a fork lowered after what this lowerer did.
    fn absorb(&mut self, other: Lowerer<'a>, cited_before: &[usize]) {
        let base = self.model.events.len() as u32;
        let shift = |(id, file, name): (EventId, FileId, syntax::ast::Ident)| {
            (EventId(id.0 + base), file, name)
        };
        self.pending_at
            .extend(other.pending_at.into_iter().map(shift));
        self.pending_during
            .extend(other.pending_during.into_iter().map(shift));
        // Taken over, not copied (see `model::Events`).
        self.model.events.append(other.model.events);
        self.diags.extend(other.diags);
        for ((mine, theirs), before) in self
            .model
            .sources
            .values_mut()
            .zip(other.model.sources.values())
            .zip(cited_before)
        {
            mine.cited += theirs.cited - before;
        }
        if self.roles_by_office.is_empty() {
            self.roles_by_office = other.roles_by_office;
        }
    }
}
