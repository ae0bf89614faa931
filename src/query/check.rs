//! `assert` and `claim`: comparisons judged against the model.
//!
//! An assert is strict: anything but a clear "holds" fails the check. A
//! claim is what a source says; the model may be incomplete, so a count
//! that falls short of "at least N" leaves the claim undecided rather than
//! contradicted, while a count already past "at most N" contradicts it.

use super::eval::{item_kind, Evaluator};
use super::{Cell, Output};
use crate::date::When;
use crate::diag::{Code, Diagnostic};
use crate::figure::{Figure, Interval, Percent, Scale};
use crate::model::{Check, CheckKind, Model};
use crate::source::FileId;
use crate::syntax::ast::{CmpOp, Comparison, Literal, WhenAst, WhenForm};
use std::cmp::Ordering;

/// What the model says about a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Supported,
    Contradicted,
    Undecided,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contradicted => "contradicted",
            Verdict::Undecided => "undecided",
        }
    }
}

/// The result of judging one comparison.
#[derive(Clone, Debug)]
pub struct CheckOutcome {
    pub verdict: Verdict,
    /// What the model holds, as shown to the user.
    pub actual: String,
    /// The comparison's right side as read.
    pub expected: String,
    pub op: CmpOp,
    /// Why it could not be decided, when it could not.
    pub why: Option<String>,
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
        if let Some(why) = &self.why {
            s.push_str(&format!(" ({why})"));
        }
        s
    }
}

fn mismatch(file: FileId, c: &Comparison, left: &str, right: &str) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        format!("cannot compare {left} with {right}"),
    )
    .at(file, c.literal.span(), right.to_string())
    .also(file, c.query.span, format!("this is {left}"))
    .help(match left {
        "a count" => "compare a count with a whole number, e.g. `>= 2`".to_string(),
        "a date" => "compare a date with a date, e.g. `== 2013-03-22` or `< 2020`".to_string(),
        "a level" => "compare a level with a level id of its ladder".to_string(),
        "a number" => "compare a number with a number, e.g. `== +1.9%` or `> 200bn`".to_string(),
        _ => "compare an id with an id, e.g. `== Russia`".to_string(),
    })
}

fn literal_kind(l: &Literal) -> &'static str {
    match l {
        Literal::Str(_) => "a string",
        Literal::Pair(_) => "a pair",
        Literal::Season(_) => "a date",
        Literal::Raw(..) => "a number or date",
        Literal::Ident(_) => "an id",
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
    let scale = match suffix {
        "" => Scale::One,
        "k" | "m" | "bn" | "tn" => Scale::parse(suffix),
        _ => return None,
    };
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(d) => (-1.0, d),
        None => (1.0, digits.trim_start_matches('+')),
    };
    let mut f = Figure::parse(digits, scale)?;
    f.mantissa *= sign;
    let mut i = f.interval();
    if !digits.contains('.') && scale == Scale::One {
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
        _ => cmp_ordering(a.certain_cmp(b), op),
    }
}

/// Judges one comparison against the model.
pub fn compare(
    model: &Model,
    file: FileId,
    c: &Comparison,
    kind: CheckKind,
) -> Result<CheckOutcome, Diagnostic> {
    let ev = Evaluator { model, file };
    let result = ev.query(&c.query)?;
    let left = match result.output {
        Output::Count(n) => Cell::Count(n),
        Output::One(Some(item)) => ev.default_cell(item),
        Output::One(None) => Cell::Empty,
        Output::Cell(cell) => cell,
        Output::Items(items) => {
            let what = items.first().map(|i| item_kind(*i)).unwrap_or("a result");
            return Err(Diagnostic::new(Code::TypeMismatch, format!("cannot compare a list of results with {}", literal_kind(&c.literal)))
                .at(file, c.query.span, format!("a list ({} of {})", items.len(), what.trim_start_matches("a ").trim_start_matches("an ")))
                .help("reduce it to one value: `count(...)`, `first(...)`, `... | last`, or a field such as `first(...).to`"));
        }
    };
    let op = c.op;
    let (truth, actual, expected, why): (Option<bool>, String, String, Option<String>) =
        match (&left, &c.literal) {
            (Cell::Empty, lit) => (
                None,
                "nothing".into(),
                literal_text(lit),
                Some("no such fact in the model".into()),
            ),
            (Cell::Undecided(why), lit) => (
                None,
                "an undecided value".into(),
                literal_text(lit),
                Some(why.clone()),
            ),
            (Cell::Count(n), Literal::Raw(raw, _)) => {
                let (iv, shown) = parse_number(raw)
                    .ok_or_else(|| mismatch(file, c, "a count", "not a number"))?;
                let me = Interval {
                    lo: *n as f64,
                    hi: *n as f64,
                };
                (cmp_intervals(me, iv, op), n.to_string(), shown, None)
            }
            (Cell::Number(iv, shown), Literal::Raw(raw, _)) => {
                let (other, oshown) = parse_number(raw)
                    .ok_or_else(|| mismatch(file, c, "a number", "not a number"))?;
                let t = cmp_intervals(*iv, other, op);
                let why = t
                    .is_none()
                    .then(|| "the figures' rounding leaves it open".to_string());
                (t, shown.clone(), oshown, why)
            }
            (Cell::Date(w), Literal::Raw(raw, span)) => {
                let other = WhenAst::from_token(raw, *span).read(file)?;
                let t = cmp_dates(w, &other, op);
                let why = t
                    .is_none()
                    .then(|| format!("{w} and {other} overlap at their precision"));
                (t, w.to_string(), other.to_string(), why)
            }
            (Cell::Date(w), Literal::Season(s)) => {
                let other = s.read(file)?;
                let t = cmp_dates(w, &other, op);
                let why = t
                    .is_none()
                    .then(|| format!("{w} and {other} overlap at their precision"));
                (t, w.to_string(), other.to_string(), why)
            }
            (Cell::Level(ladder, rung, name), Literal::Ident(i)) => {
                let lad = model.ladder(*ladder);
                let Some(pos) = lad.position(i.name.as_str()) else {
                    let mut d = Diagnostic::new(
                        Code::UnknownLevel,
                        format!("`{}` is not a level of ladder `{}`", i.name, lad.id),
                    )
                    .at(file, i.span, "unknown level");
                    d = d.help_suggesting(
                        &i.name,
                        lad.rungs.iter().map(|r| r.id.as_str()),
                        format!(
                            "levels of `{}`: {}",
                            lad.id,
                            lad.rungs
                                .iter()
                                .map(|r| r.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    return Err(d);
                };
                (
                    cmp_ordering(Some(rung.cmp(&pos)), op),
                    name.clone(),
                    i.name.to_string(),
                    None,
                )
            }
            (Cell::Id(s), Literal::Ident(i)) => {
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
                (
                    cmp_ordering(Some(s.cmp(&canonical)), op),
                    s.clone(),
                    i.name.to_string(),
                    None,
                )
            }
            (Cell::Id(s), Literal::Pair(p)) => {
                let name = format!("{}~{}", p.a.name, p.b.name);
                let rev = format!("{}~{}", p.b.name, p.a.name);
                let eq = *s == name || *s == rev;
                (
                    cmp_ordering(Some(if eq { Ordering::Equal } else { Ordering::Less }), op)
                        .filter(|_| matches!(op, CmpOp::Eq | CmpOp::Ne)),
                    s.clone(),
                    name,
                    None,
                )
            }
            (Cell::Text(s), Literal::Str(t)) => (
                cmp_ordering(Some(s.as_str().cmp(t.value.as_str())), op),
                format!("\"{s}\""),
                format!("\"{}\"", t.value),
                None,
            ),
            (Cell::List(v), Literal::Ident(i)) if matches!(op, CmpOp::Eq | CmpOp::Ne) => {
                let has = v.iter().any(|x| x == i.name.as_str());
                (
                    Some(has == (op == CmpOp::Eq)),
                    v.join(", "),
                    i.name.to_string(),
                    None,
                )
            }
            (left, lit) => {
                let l = match left {
                    Cell::Count(_) => "a count",
                    Cell::Date(_) => "a date",
                    Cell::Number(..) => "a number",
                    Cell::Level(..) => "a level",
                    Cell::Text(_) => "a text",
                    Cell::List(_) => "a list",
                    _ => "an id",
                };
                return Err(mismatch(file, c, l, literal_kind(lit)));
            }
        };
    let verdict = match truth {
        Some(true) => Verdict::Supported,
        None => Verdict::Undecided,
        Some(false) => {
            // The model is a lower bound on how often things happened: too
            // few recorded does not refute "at least N".
            let short_count = matches!(left, Cell::Count(_))
                && matches!(op, CmpOp::Ge | CmpOp::Gt | CmpOp::Eq)
                && parse_number(&expected).is_some_and(|(iv, _)| {
                    let n = actual.parse::<f64>().unwrap_or(f64::MAX);
                    n < iv.lo
                });
            if short_count && kind == CheckKind::Claim {
                Verdict::Undecided
            } else {
                Verdict::Contradicted
            }
        }
    };
    let why = why.or_else(|| {
        (verdict == Verdict::Undecided && matches!(left, Cell::Count(_)))
            .then(|| format!("the model records {actual}; more may have happened than it holds"))
    });
    Ok(CheckOutcome {
        verdict,
        actual,
        expected,
        op,
        why,
    })
}

fn literal_text(l: &Literal) -> String {
    match l {
        Literal::Str(s) => format!("\"{}\"", s.value),
        Literal::Pair(p) => format!("{}~{}", p.a.name, p.b.name),
        Literal::Season(w) => match &w.form {
            WhenForm::Season(s, y) => format!("{s} {y}"),
            _ => String::new(),
        },
        Literal::Raw(r, _) => r.clone(),
        Literal::Ident(i) => i.name.to_string(),
    }
}

/// The verdict on a stored check, for the `claims` query.
pub fn verdict_of(model: &Model, c: &Check) -> Verdict {
    compare(model, c.origin.file, &c.comparison, c.kind)
        .map(|o| o.verdict)
        .unwrap_or(Verdict::Undecided)
}

/// Judges every `assert` and `claim` in the model.
pub fn run_checks(model: &Model, diags: &mut Vec<Diagnostic>) {
    for c in &model.checks {
        let file = c.origin.file;
        let outcome = match compare(model, file, &c.comparison, c.kind) {
            Ok(o) => o,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let q = c.comparison.query.span;
        let lit = c.comparison.literal.span().to(c.comparison.op_span);
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
        let d = match (c.kind, outcome.verdict) {
            (CheckKind::Assert, Verdict::Supported) => continue,
            (CheckKind::Assert, v) => {
                let mut d = Diagnostic::new(Code::AssertFailed, format!("assertion failed: {}", c.text))
                    .at(file, q, format!("this is {}", outcome.actual))
                    .also(file, lit, wanted);
                d = match (v, &outcome.why) {
                    (Verdict::Undecided, Some(why)) => d.help(format!("the model cannot decide it: {why}; make the dates or figures precise enough")),
                    _ => d.help("the facts and the assertion disagree: correct the facts, or the assertion if it is out of date"),
                };
                d
            }
            (CheckKind::Claim, Verdict::Contradicted) => Diagnostic::new(Code::ClaimContradicted, format!("claim{cited} contradicted by the model: {}", c.text))
                .at(file, q, format!("the model has {}", outcome.actual))
                .also(file, lit, format!("the claim says {} {}", outcome.op.symbol(), outcome.expected))
                .help("the source and the recorded facts disagree; check both, and keep the claim as a record of what the source said"),
            (CheckKind::Claim, Verdict::Undecided) => Diagnostic::new(Code::ClaimUndecided, format!("claim{cited} cannot be decided yet: {}", c.text))
                .at(file, q, format!("the model has {}", outcome.actual))
                .also(file, lit, format!("the claim says {} {}", outcome.op.symbol(), outcome.expected))
                .help(outcome.why.clone().unwrap_or_else(|| "record more facts to decide it".into())),
            (CheckKind::Claim, Verdict::Supported) => Diagnostic::new(Code::ClaimSupported, format!("claim{cited} supported: {}", c.text))
                .at(file, q, format!("the model has {}", outcome.actual)),
        };
        diags.push(d);
    }
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
