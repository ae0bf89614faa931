//! `assert` and `claim`: comparisons judged against the model.
//!
//! An assert is strict: anything but a clear "holds" fails the check. A
//! claim is what a source says. Both are judged under an open world: the
//! model never holds every event, so a count of events is a lower bound
//! (`>= N` can be supported; `== N`, `<= N`, `< N` only contradicted, or
//! left undecided) unless a `complete` statement declares the scope
//! exhaustive. A value known only as an interval (a date's days, a
//! visit's length, a rounded figure) decides a comparison only when every
//! value it allows agrees. `docs/verdicts.md` states the rules.

use super::eval::{item_kind, Evaluator};
use super::{Cell, Output};
use crate::date::When;
use crate::diag::{Code, Diagnostic};
use crate::figure::{Figure, Interval, Percent, Scale};
pub use crate::model::Verdict;
use crate::model::{CheckKind, Model};
use crate::source::FileId;
use crate::syntax::ast::{CmpOp, Comparison, Literal, PairAst, Query, Shift, Str, WhenAst};
use std::cell::RefCell;
use std::cmp::Ordering;

/// The result of judging one comparison.
#[derive(Clone, Debug)]
pub struct CheckOutcome {
    pub verdict: Verdict,
    /// What the model holds, as shown to the user.
    pub actual: String,
    /// The comparison's right side as read.
    pub expected: String,
    pub op: CmpOp,
    /// Why it could not be decided, when it could not; for a contradicted
    /// length of time, what the dates allow.
    pub why: Option<String>,
    /// How to decide it, when the model cannot.
    pub fix: Option<String>,
}

impl CheckOutcome {
    /// One line for the REPL and `rel query`.
    pub fn summary(&self) -> String {
        let head = match self.verdict {
            Verdict::Supported => "true",
            Verdict::Contradicted => "false",
            Verdict::Undecided => "undecided",
        };
        let mut s = format!(
            "{head}: the model has {}, expected {} {}",
            self.actual,
            self.op.symbol(),
            self.expected
        );
        match (&self.why, &self.fix) {
            (Some(why), Some(fix)) => s.push_str(&format!(" ({why}; {fix})")),
            (Some(why), None) => s.push_str(&format!(" ({why})")),
            _ => {}
        }
        s
    }
}

/// What kind of value a comparison's left side is: chooses the words and
/// the help of a type mismatch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ValueKind {
    Count,
    Days,
    Date,
    Number,
    Level,
    Text,
    List,
    Id,
}

impl ValueKind {
    fn of(cell: &Cell) -> ValueKind {
        match cell {
            Cell::Count(_) => ValueKind::Count,
            Cell::Days(..) => ValueKind::Days,
            Cell::Date(_) => ValueKind::Date,
            Cell::Number(..) => ValueKind::Number,
            Cell::Level(..) => ValueKind::Level,
            Cell::Text(_) => ValueKind::Text,
            Cell::List(_) => ValueKind::List,
            // Empty and undecided values are judged before any type check.
            Cell::Id(_) | Cell::Empty | Cell::Undecided(_) => ValueKind::Id,
        }
    }

    fn phrase(self) -> &'static str {
        match self {
            ValueKind::Count => "a count",
            ValueKind::Days => "a number of days",
            ValueKind::Date => "a date",
            ValueKind::Number => "a number",
            ValueKind::Level => "a level",
            ValueKind::Text => "a text",
            ValueKind::List => "a list",
            ValueKind::Id => "an id",
        }
    }

    fn help(self) -> &'static str {
        match self {
            ValueKind::Count => "compare a count with a whole number, e.g. `>= 2`",
            ValueKind::Days => "compare days with a whole number, e.g. `== 3`",
            ValueKind::Date => "compare a date with a date, e.g. `== 2013-03-22` or `< 2020`",
            ValueKind::Level => "compare a level with a level id of its ladder",
            ValueKind::Number => "compare a number with a number, e.g. `== +1.9%` or `> 200bn`",
            ValueKind::Text | ValueKind::List | ValueKind::Id => {
                "compare an id with an id, e.g. `== Russia`"
            }
        }
    }
}

fn mismatch(file: FileId, c: &Comparison, left: ValueKind, right: &str) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        format!("cannot compare {} with {right}", left.phrase()),
    )
    .at(file, c.literal.span(), right.to_string())
    .also(file, c.query.span, format!("this is {}", left.phrase()))
    .help(left.help())
}

fn literal_kind(l: &Literal) -> &'static str {
    match l {
        Literal::Str(_) => "a string",
        Literal::Pair(_) => "a pair",
        Literal::Season(_) => "a date",
        Literal::Raw(..) => "a number or date",
        Literal::Ident(_) => "an id",
        Literal::Query(_) => "another query's value",
    }
}

fn parse_number(raw: &str) -> Option<(Interval, String)> {
    if raw.ends_with('%') {
        let p = Percent::parse(raw)?;
        return Some((p.interval(), p.to_string()));
    }
    let split = raw
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(raw.len());
    let (digits, suffix) = raw.split_at(split);
    // `~10`, `>400m`, `<5k`: an approximation or a bound.
    let (bound, digits) = match digits.get(..1).and_then(crate::figure::Bound::from_sign) {
        Some(b) => (b, &digits[1..]),
        None => (crate::figure::Bound::Exact, digits),
    };
    // `Scale::One`'s suffix is empty, so a bare number reads as one.
    let scale = Scale::from_suffix(suffix)?;
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(d) => (-1.0, d),
        None => (1.0, digits.trim_start_matches('+')),
    };
    let mut f = Figure::parse(digits, scale)?;
    f.mantissa *= sign;
    f.bound = bound;
    let mut i = f.interval();
    if !digits.contains('.') && scale == Scale::One && f.is_exact() {
        // A whole number as written is exact: `40` means 40.
        i = Interval {
            lo: f.value(),
            hi: f.value(),
        };
    }
    Some((i, raw.to_string()))
}

fn cmp_intervals(a: Interval, b: Interval, op: CmpOp) -> Option<bool> {
    let overlap = a.overlaps(&b);
    Some(match op {
        // Equal within rounding: some value allowed by both.
        CmpOp::Eq => overlap,
        CmpOp::Ne => !overlap,
        CmpOp::Lt if a.hi < b.lo => true,
        CmpOp::Lt if a.lo >= b.hi => false,
        CmpOp::Le if a.hi <= b.lo => true,
        CmpOp::Le if a.lo > b.hi => false,
        CmpOp::Gt if a.lo > b.hi => true,
        CmpOp::Gt if a.hi <= b.lo => false,
        CmpOp::Ge if a.lo >= b.hi => true,
        CmpOp::Ge if a.hi < b.lo => false,
        _ => return None,
    })
}

/// Compares two intervals of possible values: true when every pair of
/// values satisfies `op`, false when none does, `None` otherwise. For
/// counts and lengths of time, where `==` means one exact value.
fn cmp_every(a: Interval, b: Interval, op: CmpOp) -> Option<bool> {
    let single = a.lo == a.hi && b.lo == b.hi;
    let disjoint = a.hi < b.lo || b.hi < a.lo;
    match op {
        CmpOp::Eq if single && a.lo == b.lo => Some(true),
        CmpOp::Eq if disjoint => Some(false),
        CmpOp::Ne if single && a.lo == b.lo => Some(false),
        CmpOp::Ne if disjoint => Some(true),
        CmpOp::Eq | CmpOp::Ne => None,
        _ => cmp_intervals(a, b, op),
    }
}

fn cmp_ordering(o: Option<Ordering>, op: CmpOp) -> Option<bool> {
    let o = o?;
    Some(match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Ne => o != Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Le => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Ge => o != Ordering::Less,
    })
}

fn cmp_dates(a: &When, b: &When, op: CmpOp) -> Option<bool> {
    match op {
        CmpOp::Eq | CmpOp::Ne => {
            let eq = if a.lo == b.lo && a.hi == b.hi {
                Some(true)
            } else if !a.overlaps(b) {
                Some(false)
            } else {
                None
            };
            eq.map(|e| e == (op == CmpOp::Eq))
        }
        // A date on the right is a bound: `< D` before D begins, `<= D` by
        // the end of D, `> D` after D ends, `>= D` from the start of D. The
        // left side holds when every one of its days is within the bound,
        // fails when none is: a visit on 2025-03-09..11 is both
        // `<= 2025-03-11` and `>= 2025-03-09`.
        CmpOp::Lt => bound(a.hi < b.lo, a.lo >= b.lo),
        CmpOp::Le => bound(a.hi <= b.hi, a.lo > b.hi),
        CmpOp::Gt => bound(a.lo > b.hi, a.hi <= b.hi),
        CmpOp::Ge => bound(a.lo >= b.lo, a.hi < b.lo),
    }
}

fn bound(every_day: bool, no_day: bool) -> Option<bool> {
    if every_day {
        Some(true)
    } else if no_day {
        Some(false)
    } else {
        None
    }
}

/// What judging one comparison found. Asserts and claims are judged
/// alike; the kind of check decides only what is reported.
struct Judged {
    /// Whether the comparison holds; `None` when the model cannot say.
    truth: Option<bool>,
    /// What the model holds, as shown.
    actual: String,
    /// The right side as read, as shown.
    expected: String,
    why: Option<String>,
    /// How to decide it.
    fix: Option<String>,
}

impl Judged {
    fn new(truth: Option<bool>, actual: String, expected: String) -> Judged {
        Judged {
            truth,
            actual,
            expected,
            why: None,
            fix: None,
        }
    }

    fn because(mut self, why: Option<String>) -> Judged {
        self.why = why;
        self
    }
}

/// Judges one comparison against the model.
pub fn compare(model: &Model, file: FileId, c: &Comparison) -> Result<CheckOutcome, Diagnostic> {
    compare_with(&Evaluator::new(model, file), c)
}

fn compare_with(ev: &Evaluator<'_>, c: &Comparison) -> Result<CheckOutcome, Diagnostic> {
    let left = shifted(ev, left_value(ev, &c.query, c)?, c.shift.as_ref())?;
    let judged = match &c.literal {
        Literal::Query(right) => {
            let value = shifted(ev, left_value(ev, &right.query, c)?, right.shift.as_ref())?;
            judge_values(ev, c, &left, &value)?
        }
        _ => judge(ev, c, &left)?,
    };
    let verdict = match judged.truth {
        Some(true) => Verdict::Supported,
        Some(false) => Verdict::Contradicted,
        None => Verdict::Undecided,
    };
    Ok(CheckOutcome {
        verdict,
        actual: judged.actual,
        expected: judged.expected,
        op: c.op,
        why: judged.why,
        fix: judged.fix,
    })
}

/// A date moved by a shift (`+ 15d`); any other value cannot be.
fn shifted(ev: &Evaluator<'_>, value: Cell, shift: Option<&Shift>) -> Result<Cell, Diagnostic> {
    let Some(shift) = shift else {
        return Ok(value);
    };
    match value {
        Cell::Date(w) => w.shifted(shift.by).map(Cell::Date).ok_or_else(|| {
            Diagnostic::new(Code::TypeMismatch, "the shifted date leaves the calendar")
                .at(ev.file, shift.span, "too far")
                .help("shift by a length that keeps the date on the calendar")
        }),
        Cell::Empty | Cell::Undecided(_) => Ok(value),
        other => Err(Diagnostic::new(
            Code::TypeMismatch,
            format!(
                "only a date can be shifted, and this is {}",
                ValueKind::of(&other).phrase()
            ),
        )
        .at(ev.file, shift.span, "a length of time")
        .help("shift a date, e.g. `first(visits by Xi).date + 15d`")),
    }
}

/// Compares two values of the model: each side a query.
fn judge_values(
    ev: &Evaluator<'_>,
    c: &Comparison,
    left: &Cell,
    right: &Cell,
) -> Result<Judged, Diagnostic> {
    use super::table::show_cell;
    let op = c.op;
    let (shown_left, shown_right) = (show_cell(left), show_cell(right));
    let judged = |truth| Judged::new(truth, shown_left.clone(), shown_right.clone());
    Ok(match (left, right) {
        (Cell::Empty, _) | (_, Cell::Empty) => {
            judged(None).because(Some("the model records no such value".into()))
        }
        (Cell::Undecided(why), _) | (_, Cell::Undecided(why)) => {
            judged(None).because(Some(why.clone()))
        }
        (Cell::Date(a), Cell::Date(b)) => {
            let mut j = judge_dates(a, b, op);
            j.expected = shown_right.clone();
            j
        }
        (Cell::Count(a), Cell::Count(b)) => {
            // Counts are lower bounds in the open world: compare what
            // both sides could be.
            let bound = |n: usize, q: &Query| match super::complete::world_of(ev, q) {
                super::complete::World::Closed => Interval {
                    lo: n as f64,
                    hi: n as f64,
                },
                super::complete::World::Open { .. } => Interval {
                    lo: n as f64,
                    hi: f64::INFINITY,
                },
            };
            let right_query = match &c.literal {
                Literal::Query(o) => &o.query,
                _ => &c.query,
            };
            let truth = cmp_every(bound(*a, &c.query), bound(*b, right_query), op);
            judged(truth).because(
                truth
                    .is_none()
                    .then(|| "more may have happened than the model holds".to_string()),
            )
        }
        (Cell::Number(_, x), Cell::Number(_, y)) if unit_of(x) != unit_of(y) => judged(None)
            .because(Some(format!(
                "the two figures are in different units ({} and {}), and Rel does not convert them",
                unit_of(x).unwrap_or("none"),
                unit_of(y).unwrap_or("none")
            ))),
        (Cell::Number(a, _), Cell::Number(b, _)) => {
            let truth = cmp_intervals(*a, *b, op);
            judged(truth).because(
                truth
                    .is_none()
                    .then(|| "the figures' rounding leaves it open".to_string()),
            )
        }
        (Cell::Days(a1, a2), Cell::Days(b1, b2)) => {
            let iv = |lo: u32, hi: Option<u32>| Interval {
                lo: f64::from(lo),
                hi: hi.map_or(f64::INFINITY, f64::from),
            };
            judged(cmp_every(iv(*a1, *a2), iv(*b1, *b2), op))
        }
        (Cell::Level(l1, r1, _), Cell::Level(l2, r2, _)) if l1 == l2 => {
            judged(cmp_ordering(Some(r1.cmp(r2)), op))
        }
        (Cell::Id(a), Cell::Id(b)) | (Cell::Text(a), Cell::Text(b))
            if matches!(op, CmpOp::Eq | CmpOp::Ne) =>
        {
            judged(cmp_ordering(Some(a.cmp(b)), op))
        }
        (l, r) => {
            let (lk, rk) = (ValueKind::of(l), ValueKind::of(r));
            return Err(Diagnostic::new(
                Code::TypeMismatch,
                format!("cannot compare {} with {}", lk.phrase(), rk.phrase()),
            )
            .at(
                ev.file,
                c.literal.span(),
                format!("this is {}", rk.phrase()),
            )
            .also(ev.file, c.query.span, format!("this is {}", lk.phrase()))
            .help("compare values of one type: two dates, two counts, two levels of one ladder"));
        }
    })
}

/// The unit a figure is shown with: `USD` of `244.8bn USD`.
fn unit_of(shown: &str) -> Option<&str> {
    shown.split_once(' ').map(|(_, unit)| unit)
}

/// The single value a query of the comparison reduces to.
fn left_value(ev: &Evaluator<'_>, query: &Query, c: &Comparison) -> Result<Cell, Diagnostic> {
    let result = ev.query(query)?;
    Ok(match result.output {
        Output::Count(n) => Cell::Count(n),
        Output::One(Some(item)) => ev.default_cell(item),
        Output::One(None) => Cell::Empty,
        Output::Cell(cell) => cell,
        Output::Items(items) => {
            let what = items.first().map(|i| item_kind(*i)).unwrap_or("a result");
            return Err(Diagnostic::new(Code::TypeMismatch, format!("cannot compare a list of results with {}", literal_kind(&c.literal)))
                .at(ev.file, c.query.span, format!("a list ({} of {})", items.len(), what.trim_start_matches("a ").trim_start_matches("an ")))
                .help("reduce it to one value: `count(...)`, `first(...)`, `... | last`, or a field such as `first(...).to`"));
        }
    })
}

/// Compares the left value with the literal, by the left value's type.
fn judge(ev: &Evaluator<'_>, c: &Comparison, left: &Cell) -> Result<Judged, Diagnostic> {
    let (file, op) = (ev.file, c.op);
    Ok(match (left, &c.literal) {
        (Cell::Empty, lit) => Judged::new(None, "nothing".into(), literal_text(lit))
            .because(Some("the model records no such value".into())),
        (Cell::Undecided(why), lit) => {
            Judged::new(None, "an undecided value".into(), literal_text(lit))
                .because(Some(why.clone()))
        }
        (Cell::Count(n), Literal::Raw(raw, _)) => {
            let (iv, shown) = parse_number(raw)
                .ok_or_else(|| mismatch(file, c, ValueKind::Count, "not a number"))?;
            judge_count(*n, iv, shown, op, super::complete::world_of(ev, &c.query))
        }
        (Cell::Days(least, most), Literal::Raw(raw, _)) => {
            let (iv, shown) = parse_number(raw)
                .ok_or_else(|| mismatch(file, c, ValueKind::Days, "not a number"))?;
            judge_days(*least, *most, iv, shown, op)
        }
        (Cell::Number(iv, shown), Literal::Raw(raw, _)) => {
            let (other, other_shown) = parse_number(raw)
                .ok_or_else(|| mismatch(file, c, ValueKind::Number, "not a number"))?;
            let truth = cmp_intervals(*iv, other, op);
            let why = truth
                .is_none()
                .then(|| "the figures' rounding leaves it open".to_string());
            Judged::new(truth, shown.clone(), other_shown).because(why)
        }
        (Cell::Date(w), Literal::Raw(raw, span)) => {
            judge_dates(w, &WhenAst::from_token(raw, *span).read(file)?, op)
        }
        (Cell::Date(w), Literal::Season(s)) => judge_dates(w, &s.read(file)?, op),
        (Cell::Level(ladder, rung, name), Literal::Ident(i)) => {
            let lad = ev.model.ladder(*ladder);
            let Some(pos) = lad.position(i.name.as_str()) else {
                return Err(unknown_level(file, lad, i));
            };
            Judged::new(
                cmp_ordering(Some(rung.cmp(&pos)), op),
                name.clone(),
                i.name.to_string(),
            )
        }
        (Cell::Id(s), Literal::Ident(i)) => judge_id(ev, c, s, i)?,
        (Cell::Id(s), Literal::Pair(p)) => judge_pair(s, p, op),
        (Cell::Text(s), Literal::Str(t)) => judge_text(s, t, op),
        (Cell::List(v), Literal::Ident(i)) if matches!(op, CmpOp::Eq | CmpOp::Ne) => {
            let has = v.iter().any(|x| x == i.name.as_str());
            Judged::new(
                Some(has == (op == CmpOp::Eq)),
                v.join(", "),
                i.name.to_string(),
            )
        }
        (left, lit) => return Err(mismatch(file, c, ValueKind::of(left), literal_kind(lit))),
    })
}

/// A count of what the model holds. In a closed world (what the files
/// declare, or a scope declared `complete`) it is exact; in the open world
/// it is a lower bound, and only what no further event could change is
/// decided.
fn judge_count(
    n: usize,
    expected: Interval,
    shown: String,
    op: CmpOp,
    world: super::complete::World,
) -> Judged {
    let n_f = n as f64;
    let super::complete::World::Open { scope } = world else {
        let me = Interval { lo: n_f, hi: n_f };
        return Judged::new(cmp_every(me, expected, op), n.to_string(), shown);
    };
    let at_least = Interval {
        lo: n_f,
        hi: f64::INFINITY,
    };
    let mut judged = Judged::new(cmp_every(at_least, expected, op), n.to_string(), shown);
    if judged.truth.is_none() {
        judged.why = Some(format!(
            "the model records {n}, and more may have happened than it holds"
        ));
        let more_can_support = matches!(op, CmpOp::Ge | CmpOp::Gt | CmpOp::Ne);
        judged.fix = scope.map(|scope| {
            let declare =
                format!("if your sources list every one, declare `complete {scope} [source]`");
            if more_can_support {
                format!("record the events it counts, or, {declare} to decide it")
            } else {
                format!("{declare} to decide it")
            }
        });
    }
    judged
}

/// `1 day`, `4 days`, `1 to 30 days`, `at least 1 day`.
pub(super) fn days_text(least: u32, most: Option<u32>) -> String {
    match most {
        Some(m) if m == least => least.to_string(),
        Some(m) => format!("{least}..{m}"),
        None => format!("{least}.."),
    }
}

fn days_phrase(least: u32, most: Option<u32>) -> String {
    let unit = |n: u32| if n == 1 { "day" } else { "days" };
    match most {
        Some(m) if m == least => format!("{least} {}", unit(least)),
        Some(m) => format!("between {least} and {m} days"),
        None => format!("at least {least} {}", unit(least)),
    }
}

/// A length of time, known as the interval of days its dates allow.
fn judge_days(
    least: u32,
    most: Option<u32>,
    expected: Interval,
    shown: String,
    op: CmpOp,
) -> Judged {
    let me = Interval {
        lo: f64::from(least),
        hi: most.map_or(f64::INFINITY, f64::from),
    };
    let mut judged = Judged::new(cmp_every(me, expected, op), days_text(least, most), shown);
    let lasted = days_phrase(least, most);
    match judged.truth {
        None if most.is_none() => {
            judged.why = Some(format!("its end was not reported: it lasted {lasted}"));
            judged.fix = Some("write the day it ended after the `..`".into());
        }
        None => {
            judged.why = Some(format!(
                "its dates say when it happened, not how long it lasted: it lasted {lasted}"
            ));
            judged.fix = Some("give the days it began and ended, e.g. `2012-06-05..07`".into());
        }
        Some(false) => judged.why = Some(format!("by its dates it lasted {lasted}")),
        Some(true) => {}
    }
    judged
}

fn judge_dates(w: &When, other: &When, op: CmpOp) -> Judged {
    let truth = cmp_dates(w, other, op);
    let why = truth.is_none().then(|| match op {
        CmpOp::Eq | CmpOp::Ne => format!("{w} and {other} overlap at their precision"),
        _ => format!(
            "some of the days {w} allows are {} {other} and some are not",
            match op {
                CmpOp::Lt => "before",
                CmpOp::Le => "on or before",
                CmpOp::Gt => "after",
                _ => "on or after",
            }
        ),
    });
    Judged::new(truth, w.to_string(), other.to_string()).because(why)
}

fn unknown_level(
    file: FileId,
    lad: &crate::model::Ladder,
    i: &crate::syntax::ast::Ident,
) -> Diagnostic {
    let rungs: Vec<&str> = lad.rungs.iter().map(|r| r.id.as_str()).collect();
    Diagnostic::new(
        Code::UnknownLevel,
        format!("`{}` is not a level of ladder `{}`", i.name, lad.id),
    )
    .at(file, i.span, "unknown level")
    .help_suggesting(
        &i.name,
        rungs.iter().copied(),
        format!("levels of `{}`: {}", lad.id, rungs.join(", ")),
    )
}

fn judge_id(
    ev: &Evaluator<'_>,
    c: &Comparison,
    s: &str,
    i: &crate::syntax::ast::Ident,
) -> Result<Judged, Diagnostic> {
    let (model, file, op) = (ev.model, ev.file, c.op);
    // An alias names the same actor as its id.
    let canonical = model
        .lookup(&i.name)
        .map(|a| model.actor_name(a).to_string())
        .unwrap_or_else(|| i.name.to_string());
    if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
        return Err(Diagnostic::new(
            Code::TypeMismatch,
            format!(
                "ids have no order: `{}` cannot be compared with `{}`",
                op.symbol(),
                i.name
            ),
        )
        .at(file, c.op_span, "an ordering")
        .also(file, c.query.span, "this is an id")
        .help(format!("compare ids with == or !=, e.g. `== {}`", i.name)));
    }
    Ok(Judged::new(
        cmp_ordering(Some(s.cmp(canonical.as_str())), op),
        s.to_string(),
        i.name.to_string(),
    ))
}

fn judge_pair(s: &str, p: &PairAst, op: CmpOp) -> Judged {
    let name = p.to_string();
    let rev = format!("{}~{}", p.b.name, p.a.name);
    let eq = s == name || s == rev;
    Judged::new(
        cmp_ordering(Some(if eq { Ordering::Equal } else { Ordering::Less }), op)
            .filter(|_| matches!(op, CmpOp::Eq | CmpOp::Ne)),
        s.to_string(),
        name,
    )
}

fn judge_text(s: &str, t: &Str, op: CmpOp) -> Judged {
    Judged::new(
        cmp_ordering(Some(s.cmp(t.value.as_str())), op),
        format!("\"{s}\""),
        format!("\"{}\"", t.value),
    )
}

fn literal_text(l: &Literal) -> String {
    match l {
        Literal::Str(s) => format!("\"{}\"", s.value),
        Literal::Pair(p) => p.to_string(),
        Literal::Season(w) => w.to_string(),
        Literal::Raw(r, _) => r.clone(),
        Literal::Ident(i) => i.name.to_string(),
        Literal::Query(_) => "another query's value".to_string(),
    }
}

/// The comparisons of the model's checks, in the model's order. They stay
/// with the statements they were read from; the model holds only what a
/// check says and, once judged, its verdict.
pub struct CheckTable<'s> {
    comparisons: Vec<Option<&'s Comparison>>,
    /// Checks being judged, so a check that asks for its own verdict
    /// (through `claims`) is undecided rather than endless.
    judging: RefCell<Vec<bool>>,
}

impl<'s> CheckTable<'s> {
    /// Pairs each of the model's checks with its comparison, found by
    /// where it was written.
    pub fn new(
        model: &Model,
        written: impl IntoIterator<Item = (FileId, &'s Comparison)>,
    ) -> CheckTable<'s> {
        let by_origin: crate::model::HashMap<(FileId, crate::source::Span), &'s Comparison> =
            written.into_iter().map(|(f, c)| ((f, c.span), c)).collect();
        let comparisons = model
            .checks
            .iter()
            .map(|c| by_origin.get(&(c.origin.file, c.origin.span)).copied())
            .collect();
        CheckTable {
            comparisons,
            judging: RefCell::new(vec![false; model.checks.len()]),
        }
    }

    /// Judges check `i`: its comparison and the outcome, or `None` when it
    /// has no comparison or is being judged already (a claim about its own
    /// verdict would never end).
    fn judge(
        &self,
        model: &Model,
        i: usize,
    ) -> Option<(&'s Comparison, Result<CheckOutcome, Diagnostic>)> {
        let cmp = self.comparisons.get(i).copied().flatten()?;
        let check = model.checks.get(i)?;
        if self.judging.borrow()[i] {
            return None;
        }
        self.judging.borrow_mut()[i] = true;
        let outcome = compare_with(&Evaluator::judging(model, check.origin.file, self), cmp);
        self.judging.borrow_mut()[i] = false;
        Some((cmp, outcome))
    }

    /// Check `i`'s verdict, for a query that asks while the checks are
    /// being judged (`claims | .verdict` inside a claim).
    pub(crate) fn verdict(&self, model: &Model, i: usize) -> Verdict {
        match self.judge(model, i) {
            Some((_, Ok(outcome))) => outcome.verdict,
            _ => Verdict::Undecided,
        }
    }
}

/// Judges every `assert` and `claim` in the model: reports each, and
/// records each verdict in the model.
pub fn run_checks(model: &mut Model, table: &CheckTable<'_>, diags: &mut Vec<Diagnostic>) {
    let mut verdicts = Vec::with_capacity(model.checks.len());
    for (i, c) in model.checks.iter().enumerate() {
        let Some((cmp, outcome)) = table.judge(model, i) else {
            verdicts.push(Verdict::Undecided);
            continue;
        };
        match outcome {
            Ok(o) => {
                verdicts.push(o.verdict);
                diags.extend(check_diagnostic(model, c, cmp, &o));
            }
            Err(d) => {
                verdicts.push(Verdict::Undecided);
                diags.push(d);
            }
        }
    }
    for (c, v) in model.checks.iter_mut().zip(verdicts) {
        c.verdict = v;
    }
}

/// What a judged check reports: nothing for an assert that holds.
fn check_diagnostic(
    model: &Model,
    c: &crate::model::Check,
    cmp: &Comparison,
    outcome: &CheckOutcome,
) -> Option<Diagnostic> {
    let file = c.origin.file;
    let q = cmp.query.span;
    let lit = cmp.literal.span().to(cmp.op_span);
    let wanted = format!("expected {} {}", outcome.op.symbol(), outcome.expected);
    let cited = if c.sources.is_empty() {
        String::new()
    } else {
        format!(
            " [{}]",
            c.sources
                .iter()
                .map(|s| model.source(*s).id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Some(match (c.kind, outcome.verdict) {
        (CheckKind::Assert, Verdict::Supported) => return None,
        (CheckKind::Assert, v) => {
            let d = Diagnostic::new(Code::AssertFailed, format!("assertion failed: {}", c.text))
                .at(file, q, format!("this is {}", outcome.actual))
                .also(file, lit, wanted);
            match (v, &outcome.why) {
                (Verdict::Undecided, Some(why)) => d.help(format!(
                    "the model cannot decide it, and an assert must hold: {why}; {}",
                    outcome.fix.as_deref().unwrap_or("make the dates or figures precise enough")
                )),
                (_, Some(why)) => d.help(format!("{why}; the facts and the assertion disagree: correct the facts, or the assertion if it is out of date")),
                _ => d.help("the facts and the assertion disagree: correct the facts, or the assertion if it is out of date"),
            }
        }
        (CheckKind::Claim, Verdict::Contradicted) => Diagnostic::new(Code::ClaimContradicted, format!("claim{cited} contradicted by the model: {}", c.text))
            .at(file, q, format!("the model has {}", outcome.actual))
            .also(file, lit, format!("the claim says {} {}", outcome.op.symbol(), outcome.expected))
            .help(match &outcome.why {
                Some(why) => format!("{why}; the source and the recorded facts disagree: check both, and keep the claim as a record of what the source said"),
                None => "the source and the recorded facts disagree; check both, and keep the claim as a record of what the source said".into(),
            }),
        (CheckKind::Claim, Verdict::Undecided) => Diagnostic::new(Code::ClaimUndecided, format!("claim{cited} cannot be decided yet: {}", c.text))
            .at(file, q, format!("the model has {}", outcome.actual))
            .also(file, lit, format!("the claim says {} {}", outcome.op.symbol(), outcome.expected))
            .help(match (&outcome.why, &outcome.fix) {
                (Some(why), Some(fix)) => format!("{why}; {fix}"),
                (Some(why), None) => why.clone(),
                _ => "record more facts to decide it".into(),
            }),
        (CheckKind::Claim, Verdict::Supported) => Diagnostic::new(Code::ClaimSupported, format!("claim{cited} supported: {}", c.text))
            .at(file, q, format!("the model has {}", outcome.actual)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_with_their_precision() {
        let (i, _) = parse_number("40").unwrap();
        assert_eq!((i.lo, i.hi), (40.0, 40.0));
        let (i, _) = parse_number("+1.9%").unwrap();
        assert!((i.lo - 1.85).abs() < 1e-9 && (i.hi - 1.95).abs() < 1e-9);
        let (i, _) = parse_number("244.8bn").unwrap();
        assert!((i.lo - 244.75e9).abs() < 1.0);
        assert!(parse_number("12xy").is_none());
    }
}
