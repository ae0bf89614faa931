//! The model's events, by id and in date order.
//!
//! An event's id is its place in the list lowering made, and never changes
//! once the model is finished: an event list, a label or an `at` holds ids
//! that stay true. A finished model's ids are in date order (finishing
//! sorts the events and gives them their ids in that order). An event
//! added to a finished model (a statement typed in the REPL) takes the
//! next id and its place in the date order; the order is then kept as a
//! list of ids, and each id's place in it, rather than by moving a
//! million events and renumbering everything that holds an id.
//!
//! The events are held in two runs: the ids of the second continue those
//! of the first. Plain events are lowered on two threads, each into its
//! own run, and the second thread's run is taken over as it is: appending
//! it to the first would copy half the events while both copies live.

use super::{Event, EventId};
use serde::Serialize;

#[derive(Clone, Debug, Default)]
pub struct Events {
    /// The first run of events, by id.
    items: Vec<Event>,
    /// The second run: the event with id `items.len() + i` is `more[i]`.
    more: Vec<Event>,
    /// The ids in date order, once that is not the ids' own order; empty
    /// while it is.
    order: Vec<EventId>,
    /// Each id's place in `order`; empty while `order` is.
    rank: Vec<u32>,
}

impl Events {
    pub fn len(&self) -> usize {
        self.items.len() + self.more.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, id: EventId) -> &Event {
        match id.index().checked_sub(self.items.len()) {
            None => &self.items[id.index()],
            Some(i) => &self.more[i],
        }
    }

    pub(crate) fn get_mut(&mut self, id: EventId) -> &mut Event {
        match id.index().checked_sub(self.items.len()) {
            None => &mut self.items[id.index()],
            Some(i) => &mut self.more[i],
        }
    }

    /// The id of the event at place `rank` in date order.
    pub fn at_rank(&self, rank: usize) -> EventId {
        if self.order.is_empty() {
            EventId(rank as u32)
        } else {
            self.order[rank]
        }
    }

    /// The place of an event in date order.
    pub fn rank(&self, id: EventId) -> usize {
        if self.rank.is_empty() {
            id.index()
        } else {
            self.rank[id.index()] as usize
        }
    }

    /// The events in date order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Event> + ExactSizeIterator + Clone + '_ {
        (0..self.len()).map(move |r| self.get(self.at_rank(r)))
    }

    /// The events in date order, with their ids.
    pub fn with_ids(&self) -> WithIds<'_> {
        self.ranks(0..self.len())
    }

    /// The events at the places `ranks` of the date order, with their ids.
    pub fn ranks(&self, ranks: std::ops::Range<usize>) -> WithIds<'_> {
        WithIds {
            events: self,
            ranks,
        }
    }

    /// The place in date order of the first event for which `before` is
    /// false (`before` must be true of a first run of the events and false
    /// of the rest, as for [`slice::partition_point`]).
    pub fn partition_point(&self, mut before: impl FnMut(&Event) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if before(self.get(self.at_rank(mid))) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Compares two events by their place in date order.
    pub fn cmp_order(&self, a: EventId, b: EventId) -> std::cmp::Ordering {
        self.rank(a).cmp(&self.rank(b))
    }

    /// Adds an event while the model is being lowered, before the events
    /// are sorted.
    pub(crate) fn push(&mut self, event: Event) -> EventId {
        debug_assert!(self.order.is_empty(), "events are pushed before finishing");
        let id = EventId(self.len() as u32);
        self.push_last(event);
        id
    }

    /// Puts an event after the last, in the last run.
    fn push_last(&mut self, event: Event) {
        if self.more.is_empty() {
            self.items.push(event);
        } else {
            self.more.push(event);
        }
    }

    pub(crate) fn reserve_exact(&mut self, more: usize) {
        self.items.reserve_exact(more);
    }

    /// Takes over the events of `other` (lowered on another thread) as
    /// the next ids, without moving them.
    pub(crate) fn append(&mut self, mut other: Events) {
        debug_assert!(self.order.is_empty() && other.order.is_empty());
        if self.more.is_empty() {
            self.more = std::mem::take(&mut other.items);
        } else {
            self.more.append(&mut other.items);
        }
        self.more.append(&mut other.more);
    }

    /// Every event, by id, to change in place before finishing.
    pub(crate) fn unsorted_mut(&mut self) -> impl Iterator<Item = &mut Event> {
        debug_assert!(self.order.is_empty(), "a finished model's ids are fixed");
        self.items.iter_mut().chain(self.more.iter_mut())
    }

    /// The events, by id, as lowering made them.
    pub(crate) fn into_unsorted(mut self) -> Vec<Event> {
        self.items.append(&mut self.more);
        self.items
    }

    /// Swaps two events' ids (and places), to sort them before finishing.
    pub(crate) fn swap(&mut self, a: EventId, b: EventId) {
        let (first, n) = (self.items.len(), self.more.len());
        match (a.index().checked_sub(first), b.index().checked_sub(first)) {
            (None, None) => self.items.swap(a.index(), b.index()),
            (Some(i), Some(j)) if i < n && j < n => self.more.swap(i, j),
            // One-item slices swap as `slice::swap` does, a block at a
            // time (`mem::swap` of two events is several times slower).
            (None, Some(j)) => {
                let a = a.index();
                self.items[a..=a].swap_with_slice(&mut self.more[j..=j])
            }
            (Some(i), None) => {
                let b = b.index();
                self.more[i..=i].swap_with_slice(&mut self.items[b..=b])
            }
            _ => panic!("no event has id {} or {}", a.index(), b.index()),
        }
    }

    /// Adds an event to a finished model at place `rank` of the date
    /// order, and returns its id (the next one). The cost is that of
    /// moving ids (four bytes each), not events.
    pub(crate) fn insert_at_rank(&mut self, rank: usize, event: Event) -> EventId {
        let id = EventId(self.len() as u32);
        if self.order.is_empty() {
            if rank == self.len() {
                // The ids' order is still the date order.
                self.push(event);
                return id;
            }
            self.order = (0..self.len() as u32).map(EventId).collect();
            self.rank = (0..self.len() as u32).collect();
        }
        for r in &mut self.rank {
            if *r as usize >= rank {
                *r += 1;
            }
        }
        self.rank.push(rank as u32);
        self.order.insert(rank, id);
        self.push_last(event);
        id
    }

    /// Takes back the event added last by [`Events::insert_at_rank`].
    pub(crate) fn remove_last(&mut self) -> Option<Event> {
        let event = match self.more.pop() {
            Some(event) => event,
            None => self.items.pop()?,
        };
        if let Some(rank) = self.rank.pop() {
            self.order.remove(rank as usize);
            for r in &mut self.rank {
                if *r > rank {
                    *r -= 1;
                }
            }
        }
        Some(event)
    }
}

/// Events in date order with their ids (see [`Events::with_ids`]).
#[derive(Clone)]
pub struct WithIds<'a> {
    events: &'a Events,
    ranks: std::ops::Range<usize>,
}

impl<'a> WithIds<'a> {
    fn at(&self, rank: usize) -> (EventId, &'a Event) {
        let id = self.events.at_rank(rank);
        (id, self.events.get(id))
    }
}

impl<'a> Iterator for WithIds<'a> {
    type Item = (EventId, &'a Event);
    fn next(&mut self) -> Option<Self::Item> {
        let rank = self.ranks.next()?;
        Some(self.at(rank))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ranks.size_hint()
    }
}

impl DoubleEndedIterator for WithIds<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let rank = self.ranks.next_back()?;
        Some(self.at(rank))
    }
}

impl ExactSizeIterator for WithIds<'_> {}

/// In date order, as the model is read.
impl Serialize for Events {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{Precision, Shape, When};
    use crate::model::{EventKind, EventSpans, Origin};
    use crate::source::{FileId, Span};

    fn on(day: i32) -> Event {
        let span = Span::new(0, 0);
        Event {
            kind: EventKind::Summit,
            when: When {
                lo: day,
                hi: day,
                shape: Shape::Point(Precision::Day),
            },
            participants: Default::default(),
            to: None,
            subkind: None,
            mode: None,
            sources: Default::default(),
            details: None,
            origin: Origin {
                file: FileId(0),
                span,
            },
            spans: EventSpans::new(span, span, span),
        }
    }

    fn days(events: &Events) -> Vec<i32> {
        events.iter().map(|e| e.when.lo).collect()
    }

    #[test]
    fn events_inserted_keep_their_ids_and_take_their_place_in_date_order() {
        let mut events = Events::default();
        events.push(on(10));
        // Two runs: the second takes the next ids.
        let mut second = Events::default();
        second.push(on(20));
        second.push(on(30));
        events.append(second);
        assert_eq!(events.get(EventId(2)).when.lo, 30);
        // At the end: the ids' order stays the date order.
        let last = events.insert_at_rank(3, on(40));
        assert_eq!((last, events.order.len()), (EventId(3), 0));
        let first = events.insert_at_rank(0, on(5));
        let middle = events.insert_at_rank(3, on(25));
        assert_eq!(days(&events), [5, 10, 20, 25, 30, 40]);
        assert_eq!((first, middle), (EventId(4), EventId(5)));
        assert_eq!(events.get(EventId(1)).when.lo, 20);
        for (rank, (id, _)) in events.with_ids().enumerate() {
            assert_eq!((events.rank(id), events.at_rank(rank)), (rank, id));
        }
        assert_eq!(events.partition_point(|e| e.when.lo < 21), 3);
        assert!(events.cmp_order(middle, EventId(2)).is_lt());
        assert_eq!(events.iter().next_back().map(|e| e.when.lo), Some(40));
        // Taken back, last first, the order is as before.
        events.remove_last();
        events.remove_last();
        assert_eq!(days(&events), [10, 20, 30, 40]);
        assert_eq!(events.at_rank(3), last);
        // Swaps within each run and across the two.
        let mut runs = Events::default();
        runs.push(on(1));
        runs.push(on(2));
        let mut second = Events::default();
        second.push(on(3));
        second.push(on(4));
        runs.append(second);
        runs.swap(EventId(0), EventId(3));
        runs.swap(EventId(2), EventId(3));
        runs.swap(EventId(1), EventId(0));
        assert_eq!(days(&runs), [2, 4, 1, 3]);
    }
}
