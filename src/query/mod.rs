//! Queries: one small language for the REPL, `rel query`, `assert`,
//! `claim` and the library.
//!
//! A query selects [`Item`]s from the model (using its indexes), pipes
//! shape the selection, and a field or function reduces it to a single
//! [`Cell`] for comparison. Evaluation never panics and reports problems
//! as coded diagnostics pointing into the query's own text.

mod check;
mod complete;
pub mod describe;
mod eval;
mod field;
mod second_edition;
mod table;

pub use check::{run_checks, CheckOutcome, CheckTable, Verdict};
pub use eval::{evaluate, evaluate_line, Evaluated};
pub use field::{fields_of, Field};
pub use table::{render_json, render_text};

use crate::date::When;
use crate::figure::Interval;
use crate::model::{ActorId, EventId, LadderId, Relation, TradeFigure};

/// One thing a query selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Event(EventId),
    /// A level change: the relation's key and the change's index.
    Level((ActorId, ActorId), usize),
    /// A trade figure: the relation's key and the figure's index.
    Trade((ActorId, ActorId), usize),
    Statement(usize),
    Actor(ActorId),
    Role(usize),
    Source(usize),
    Check(usize),
    Ladder(usize),
    /// A membership, by its index in the model.
    Membership(usize),
    /// A change of diplomatic relations.
    Diplomatic(usize),
    /// A figure of another metric than trade, or a target.
    Figure(usize),
}

/// A single value: what a field holds, or what a query reduces to.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Date(When),
    /// An actor, source, label or keyword id.
    Id(String),
    Text(String),
    Count(usize),
    /// How many days an event lasted, at least and at most (no most: an
    /// open end). A date's precision is uncertainty, not duration, so a
    /// visit in `2012-06` lasted between 1 and 30 days.
    Days(u32, Option<u32>),
    /// A number with the interval its stated precision allows, and its
    /// text as shown.
    Number(Interval, String),
    Level(LadderId, usize, String),
    List(Vec<String>),
    Empty,
    /// A value the model cannot pin down (dates too coarse to order), with
    /// what it could be and why.
    Undecided(String),
}

/// What a query evaluates to.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Items(Vec<Item>),
    Count(usize),
    One(Option<Item>),
    Cell(Cell),
}

pub(crate) use table::aligned;

/// The year-on-year change computed from the previous year's figure, as
/// shown (`+1.96%`), if there is a previous figure in the same currency.
pub fn computed_change_text(rel: &Relation, t: &TradeFigure) -> Option<String> {
    eval::computed_change(rel, t).map(|(_, shown)| shown)
}
