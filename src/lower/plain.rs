//! Reading and lowering the events a file kept as spans, unread (see
//! [`syntax::parse_parts`]), on two threads when there are many. Each is
//! read here once, by the fast reader or else pest; one that does not
//! parse is reported here, as loading reports the others.
//!
//! Such a plain event is lowered on its own: it declares nothing (it has no
//! label), and what it reads (actors, roles, sources) was lowered before
//! it, but for one thing: naming an office that no one held makes an
//! actor for it, which later events may name. So the events can be cut
//! in two runs, one lowered by a copy of the lowerer on another thread,
//! and the copy's results appended after this one's: events, diagnostics
//! and pending `at` and `during` in the same order as one thread gives,
//! and each source's count of citations summed. Actors the copy made are
//! taken over in the order it made them, and its events renumbered to
//! match. Nothing else the copy reports depends on them: an unknown
//! actor's suggestions are declared actors only.

use super::{FileStatements, Lowerer};
use crate::model::{ActorId, EventId};
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
        self.absorb(other, actors, &cited_before);
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
                match syntax::deferred_event(text, span) {
                    Ok(ev) => self.event(&ev, span),
                    Err(e) => self.deferred_syntax_error(e),
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
            words: self.words.clone(),
        }
    }

    /// Reports a syntax error of an event that parsing deferred, as
    /// loading reports any other, and adds what it meant to declare to
    /// `broken` (only the sources it cites: it has no label, so nothing
    /// lowered before it could have needed them).
    fn deferred_syntax_error(&mut self, e: syntax::SyntaxError) {
        self.broken
            .extend(e.declares.iter().map(|d| (d.kind, d.id.name.clone())));
        let d = e.into_diagnostic(self.file);
        self.diags.push(d);
    }

    /// Appends what a fork lowered after what this lowerer did. The fork
    /// saw the first `actors` actors.
    fn absorb(&mut self, mut other: Lowerer<'a>, actors: usize, cited_before: &[usize]) {
        self.take_over_actors(&mut other, actors);
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
        self.broken.extend(other.broken);
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

    /// Takes over the actors a fork made (for offices that no one held,
    /// numbered as lowering met them) and renumbers its events' actors to
    /// match: an office this lowerer made too is the same actor, and the
    /// others follow this lowerer's, in the order the fork made them. So
    /// each gets the id that lowering every event on one thread gives it.
    fn take_over_actors(&mut self, other: &mut Lowerer<'a>, actors: usize) {
        if other.model.actors.len() == actors {
            return;
        }
        let made = other.model.actors.drain(actors..);
        let renumbered: Vec<ActorId> = made
            .map(|(name, actor)| match self.model.index.names.get(&name) {
                Some(&found) => found,
                None => self.add_office_actor(actor),
            })
            .collect();
        let renumber = |id: &mut ActorId| {
            if let Some(i) = id.index().checked_sub(actors) {
                *id = renumbered[i];
            }
        };
        for event in other.model.events.unsorted_mut() {
            event.actor_ids_mut(renumber);
        }
    }
}
