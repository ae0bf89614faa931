//! Evaluating queries against the model.

use super::check::CheckTable;
use super::{Cell, Item, Output};
use crate::date::{self, When};
use crate::diag::{suggest, Code, Diagnostic};
use crate::figure::{central_change, change_between, Interval};
use crate::model::*;
use crate::source::{FileId, Span};
use crate::syntax::ast::*;

/// A query's result, with the query for rendering.
#[derive(Clone, Debug)]
pub struct Evaluated {
    pub output: Output,
    /// The noun of the base query, to choose table columns.
    pub noun: Noun,
}

/// Evaluates a query. `file` is where the query's text lives, for
/// diagnostics.
pub fn evaluate(model: &Model, file: FileId, q: &Query) -> Result<Evaluated, Diagnostic> {
    Evaluator::new(model, file).query(q)
}

/// Evaluates a REPL or command-line line: a query, or a comparison whose
/// verdict is the result.
pub fn evaluate_line(
    model: &Model,
    file: FileId,
    line: &QueryLine,
) -> Result<Evaluated, Diagnostic> {
    match line {
        QueryLine::Query(q) => evaluate(model, file, q),
        QueryLine::Comparison(c) => {
            let outcome = super::check::compare(model, file, c, CheckKind::Assert)?;
            Ok(Evaluated {
                output: Output::Cell(Cell::Text(outcome.summary())),
                noun: Noun::Claims,
            })
        }
    }
}

pub(crate) struct Evaluator<'m> {
    pub model: &'m Model,
    pub file: FileId,
    /// While the checks are being judged, their verdicts come from here;
    /// afterwards, from the model.
    checks: Option<&'m CheckTable<'m>>,
}

impl<'m> Evaluator<'m> {
    pub fn new(model: &'m Model, file: FileId) -> Evaluator<'m> {
        Evaluator {
            model,
            file,
            checks: None,
        }
    }

    pub fn judging(model: &'m Model, file: FileId, checks: &'m CheckTable<'m>) -> Evaluator<'m> {
        Evaluator {
            model,
            file,
            checks: Some(checks),
        }
    }

    fn verdict(&self, check: usize) -> Verdict {
        match self.checks {
            Some(table) => table.verdict(self.model, check),
            None => self.model.checks[check].verdict,
        }
    }
}

fn bad(
    file: FileId,
    span: Span,
    message: impl Into<String>,
    label: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(Code::BadQuery, message).at(file, span, label)
}

/// Which filters each noun takes.
fn filters_for(noun: Noun) -> &'static [&'static str] {
    match noun {
        Noun::Visits => &["by", "from", "to", "kind", "in", "since", "until", "on"],
        Noun::Meetings => &["of", "with", "mode", "kind", "in", "since", "until", "on"],
        Noun::Events | Noun::Agreements => &[
            "involving",
            "of",
            "with",
            "kind",
            "in",
            "since",
            "until",
            "on",
        ],
        Noun::Timeline => &["in", "since", "until", "on"],
        Noun::Level => &["on"],
        Noun::History => &["in", "since", "until"],
        Noun::Trade => &["in", "since", "until"],
        Noun::Statements => &["by", "about", "in", "since", "until", "on"],
        Noun::Actors => &["kind", "of"],
        Noun::Roles => &["on", "of", "kind"],
        Noun::Sources | Noun::Claims | Noun::Ladders => &[],
    }
}

/// The date filters of a query, combined.
#[derive(Default)]
struct DateFilter {
    within: Option<When>,
    since: Option<When>,
    until: Option<When>,
    on: Option<When>,
}

impl DateFilter {
    fn admits(&self, w: &When) -> bool {
        self.within.is_none_or(|r| r.contains(w))
            && self.since.is_none_or(|s| w.lo >= s.lo)
            && self.until.is_none_or(|u| w.hi <= u.hi)
            && self.on.is_none_or(|o| w.overlaps(&o))
    }
    /// The earliest start an admitted date can have, for binary search.
    fn min_lo(&self) -> i32 {
        [self.within.map(|w| w.lo), self.since.map(|s| s.lo)]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(i32::MIN)
    }
}

struct Filters {
    actors: Vec<(String, ActorId)>,
    kind: Option<Ident>,
    mode: Option<Ident>,
    about: Option<(ActorId, ActorId)>,
    dates: DateFilter,
}

impl Evaluator<'_> {
    fn actor(&self, id: &Ident) -> Result<ActorId, Diagnostic> {
        self.model.lookup(&id.name).ok_or_else(|| {
            let mut d = Diagnostic::new(Code::UnknownActor, format!("unknown actor `{}`", id.name))
                .at(self.file, id.span, "not in the model");
            let names = self.model.index.names.keys().map(String::as_str);
            d = d.help_suggesting(
                &id.name,
                names,
                "`actors` lists every actor the model knows",
            );
            d
        })
    }

    fn pair(&self, p: &PairAst) -> Result<(ActorId, ActorId), Diagnostic> {
        Ok((self.actor(&p.a)?, self.actor(&p.b)?))
    }

    fn when(&self, w: &WhenAst) -> Result<When, Diagnostic> {
        w.read(self.file)
    }

    pub fn query(&self, q: &Query) -> Result<Evaluated, Diagnostic> {
        let (mut output, noun) = self.primary(&q.primary)?;
        for pipe in &q.pipes {
            output = self.pipe(output, pipe)?;
        }
        Ok(Evaluated { output, noun })
    }

    fn primary(&self, p: &Primary) -> Result<(Output, Noun), Diagnostic> {
        match p {
            // `level A~B` answers with one level, not a list of them.
            Primary::Base(b) if b.noun == Noun::Level => Ok((self.level_on(b)?, b.noun)),
            Primary::Base(b) => Ok((Output::Items(self.base(b)?), b.noun)),
            Primary::Call {
                func,
                inner,
                fields,
                ..
            } => {
                let ev = self.query(inner)?;
                let items = self.as_items(ev.output, inner.span)?;
                let out = match func {
                    Func::Count => Output::Count(items.len()),
                    Func::First => Output::One(items.first().copied()),
                    Func::Last => Output::One(items.last().copied()),
                };
                Ok((self.fields(out, fields)?, ev.noun))
            }
            Primary::Paren { inner, fields } => {
                let ev = self.query(inner)?;
                Ok((self.fields(ev.output, fields)?, ev.noun))
            }
        }
    }

    fn as_items(&self, out: Output, span: Span) -> Result<Vec<Item>, Diagnostic> {
        match out {
            Output::Items(items) => Ok(items),
            Output::One(item) => Ok(item.into_iter().collect()),
            _ => Err(bad(
                self.file,
                span,
                "this is a single value, not a list",
                "not a list",
            )
            .help(
                "count, first and last take a query that lists things, e.g. `count(visits by Xi)`",
            )),
        }
    }

    fn fields(&self, mut out: Output, fields: &[Ident]) -> Result<Output, Diagnostic> {
        for f in fields {
            out = match out {
                Output::One(Some(item)) => Output::Cell(self.field(item, f)?),
                Output::One(None) => Output::Cell(Cell::Empty),
                Output::Cell(Cell::Empty) => Output::Cell(Cell::Empty),
                // A field of an undecided value is just as undecided.
                Output::Cell(Cell::Undecided(why)) => Output::Cell(Cell::Undecided(why)),
                Output::Items(_) => {
                    return Err(bad(
                        self.file,
                        f.span,
                        format!("`.{}` needs a single result, and this is a list", f.name),
                        "field of a list",
                    )
                    .help("take one first: `first(...).field` or `... | first | .field`"))
                }
                _ => {
                    return Err(bad(
                        self.file,
                        f.span,
                        format!("a value has no field `.{}`", f.name),
                        "no such field",
                    )
                    .help("fields belong to one result, e.g. `first(visits by Xi).to`"))
                }
            };
        }
        Ok(out)
    }

    fn pipe(&self, out: Output, pipe: &Pipe) -> Result<Output, Diagnostic> {
        if let PipeKind::Field(f) = &pipe.kind {
            return self.fields(out, std::slice::from_ref(f));
        }
        let items = match out {
            Output::Items(items) => items,
            Output::One(one) => one.into_iter().collect(),
            _ => {
                return Err(bad(
                    self.file,
                    pipe.span,
                    "this step needs a list, but the query before it is a single value",
                    "nothing to pipe",
                )
                .help("put count, first or last at the end of the pipe"))
            }
        };
        Ok(match &pipe.kind {
            PipeKind::Count => Output::Count(items.len()),
            PipeKind::First => Output::One(items.first().copied()),
            PipeKind::Last => Output::One(items.last().copied()),
            PipeKind::Reverse => Output::Items(items.into_iter().rev().collect()),
            PipeKind::Limit(n) => Output::Items(items.into_iter().take(*n).collect()),
            // Returned above; kept so every step reads the same way here.
            PipeKind::Field(f) => self.fields(Output::Items(items), std::slice::from_ref(f))?,
            PipeKind::Sort { by, desc } => {
                let mut keyed = Vec::with_capacity(items.len());
                for item in items {
                    let key = match by {
                        Some(f) => self.field(item, f)?,
                        None => self.default_cell(item),
                    };
                    keyed.push((sort_key(&key), item));
                }
                keyed.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
                if *desc {
                    keyed.reverse();
                }
                Output::Items(keyed.into_iter().map(|(_, i)| i).collect())
            }
        })
    }

    fn filters(&self, b: &BaseQuery) -> Result<Filters, Diagnostic> {
        let allowed = filters_for(b.noun);
        let mut f = Filters {
            actors: Vec::new(),
            kind: None,
            mode: None,
            about: None,
            dates: DateFilter::default(),
        };
        for filter in &b.filters {
            if !allowed.contains(&filter.key.as_str()) {
                let help = if allowed.is_empty() {
                    format!("`{}` takes no filters", b.noun.word())
                } else {
                    format!("`{}` takes: {}", b.noun.word(), allowed.join(", "))
                };
                return Err(bad(
                    self.file,
                    filter.key_span,
                    format!("`{}` does not apply to `{}`", filter.key, b.noun.word()),
                    "not a filter of this query",
                )
                .help(help));
            }
            match (filter.key.as_str(), &filter.value) {
                ("in", FilterValue::When(w)) => f.dates.within = Some(self.when(w)?),
                ("since", FilterValue::When(w)) => f.dates.since = Some(self.when(w)?),
                ("until", FilterValue::When(w)) => f.dates.until = Some(self.when(w)?),
                ("on", FilterValue::When(w)) => f.dates.on = Some(self.when(w)?),
                ("kind", FilterValue::Ident(i)) => f.kind = Some(i.clone()),
                ("mode", FilterValue::Ident(i)) => f.mode = Some(i.clone()),
                ("about", FilterValue::Pair(p)) => f.about = Some(self.pair(p)?),
                (key, FilterValue::Ident(i))
                    if !matches!(key, "in" | "since" | "until" | "on" | "about") =>
                {
                    f.actors.push((key.to_string(), self.actor(i)?))
                }
                (key, v) => {
                    let wants = match key {
                        "in" | "since" | "until" | "on" => "a date",
                        "about" => "a pair such as China~Russia",
                        _ => "an id",
                    };
                    return Err(bad(
                        self.file,
                        v.span(),
                        format!("`{key}` takes {wants}"),
                        format!("not {wants}"),
                    ));
                }
            }
        }
        Ok(f)
    }

    fn subject_pair(&self, b: &BaseQuery) -> Result<Option<(ActorId, ActorId)>, Diagnostic> {
        match &b.subject {
            Some(Subject::Pair(p)) => Ok(Some(self.pair(p)?)),
            Some(Subject::Actor(i))
                if matches!(b.noun, Noun::Level | Noun::History | Noun::Trade) =>
            {
                Err(bad(
                    self.file,
                    i.span,
                    format!("`{}` needs a pair, not one actor", b.noun.word()),
                    "a single actor",
                )
                .help(format!(
                    "write the relation, e.g. `{} China~Russia`",
                    b.noun.word()
                )))
            }
            _ => Ok(None),
        }
    }

    fn need_pair(&self, b: &BaseQuery) -> Result<(ActorId, ActorId), Diagnostic> {
        self.subject_pair(b)?.ok_or_else(|| {
            bad(
                self.file,
                b.noun_span,
                format!("`{}` needs a relation", b.noun.word()),
                "which relation?",
            )
            .help(format!("name it, e.g. `{} China~Russia`", b.noun.word()))
        })
    }

    fn base(&self, b: &BaseQuery) -> Result<Vec<Item>, Diagnostic> {
        let f = self.filters(b)?;
        let m = self.model;
        Ok(match b.noun {
            Noun::Visits => {
                let by = f
                    .actors
                    .iter()
                    .find(|(k, _)| k == "by" || k == "from")
                    .map(|a| a.1);
                let to = f.actors.iter().find(|(k, _)| k == "to").map(|a| a.1);
                let pool = match (by, to) {
                    (Some(a), Some(b)) => m.events_between(a, b),
                    (Some(a), None) | (None, Some(a)) => m.events_of(a),
                    (None, None) => &[],
                };
                let all: Vec<EventId>;
                let pool = if by.is_none() && to.is_none() {
                    all = self.events_from(&f.dates);
                    &all[..]
                } else {
                    pool
                };
                pool.iter()
                    .copied()
                    .filter(|&id| {
                        let e = m.event(id);
                        e.kind == EventKind::Visit
                            && by.is_none_or(|a| e.participants.first() == Some(&a))
                            && to.is_none_or(|t| e.to == Some(t))
                            && f.kind
                                .as_ref()
                                .is_none_or(|k| e.subkind.as_deref() == Some(k.name.as_str()))
                            && f.dates.admits(&e.when)
                    })
                    .map(Item::Event)
                    .collect()
            }
            Noun::Meetings | Noun::Events | Noun::Agreements | Noun::Timeline => {
                let mut who: Vec<ActorId> = f.actors.iter().map(|a| a.1).collect();
                if let Some(s) = &b.subject {
                    match s {
                        Subject::Actor(i) => who.push(self.actor(i)?),
                        Subject::Pair(p) => {
                            let (a, c) = self.pair(p)?;
                            who.push(a);
                            who.push(c);
                        }
                    }
                }
                let all: Vec<EventId>;
                let pool: &[EventId] = match who.as_slice() {
                    [] => {
                        all = self.events_from(&f.dates);
                        &all
                    }
                    [a] => m.events_of(*a),
                    [a, b, ..] => m.events_between(*a, *b),
                };
                let mut items: Vec<Item> = pool
                    .iter()
                    .copied()
                    .filter(|&id| {
                        let e = m.event(id);
                        let kind_ok = match b.noun {
                            Noun::Meetings => e.kind.is_meeting(),
                            Noun::Agreements => e.kind == EventKind::Agreement,
                            _ => true,
                        };
                        kind_ok
                            && who.iter().all(|a| involves(e, *a))
                            && f.mode
                                .as_ref()
                                .is_none_or(|md| e.mode.as_deref() == Some(md.name.as_str()))
                            && f.kind.as_ref().is_none_or(|k| {
                                e.subkind.as_deref() == Some(k.name.as_str())
                                    || e.kind.word() == k.name
                            })
                            && f.dates.admits(&e.when)
                    })
                    .map(Item::Event)
                    .collect();
                if b.noun == Noun::Timeline {
                    // A timeline of a pair also shows its levels and trade.
                    if let [a, c] = who.as_slice() {
                        items.extend(self.relation_items(*a, *c, &f.dates));
                        self.sort_by_date(&mut items);
                    }
                    if let [a] = who.as_slice() {
                        items.extend(
                            m.statements
                                .iter()
                                .enumerate()
                                .filter(|(_, s)| s.speaker == *a && f.dates.admits(&s.when))
                                .map(|(i, _)| Item::Statement(i)),
                        );
                        self.sort_by_date(&mut items);
                    }
                }
                items
            }
            // One result, not a list: see `level_on`.
            Noun::Level => self.level_on(b)?.into_items(),
            Noun::History => {
                let (a, c) = self.need_pair(b)?;
                let mut items: Vec<Item> = m
                    .events_between(a, c)
                    .iter()
                    .copied()
                    .filter(|&id| f.dates.admits(&m.event(id).when))
                    .map(Item::Event)
                    .collect();
                items.extend(self.relation_items(a, c, &f.dates));
                self.sort_by_date(&mut items);
                items
            }
            Noun::Trade => {
                let (a, c) = self.need_pair(b)?;
                let Some(rel) = m.relation(a, c) else {
                    return Ok(Vec::new());
                };
                let key = (rel.a, rel.b);
                rel.trade
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| f.dates.admits(&year_when(t.year)))
                    .map(|(i, _)| Item::Trade(key, i))
                    .collect()
            }
            Noun::Statements => {
                let by = f.actors.iter().find(|(k, _)| k == "by").map(|a| a.1);
                m.statements
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| {
                        by.is_none_or(|a| s.speaker == a)
                            && f.about.is_none_or(|p| {
                                s.about.map(|q| pair_key(q.0, q.1)) == Some(pair_key(p.0, p.1))
                            })
                            && f.dates.admits(&s.when)
                    })
                    .map(|(i, _)| Item::Statement(i))
                    .collect()
            }
            Noun::Actors => {
                if let Some(k) = &f.kind {
                    const KINDS: &[&str] = &["state", "person", "org", "bloc"];
                    if !KINDS.contains(&k.name.as_str()) {
                        let mut d = bad(
                            self.file,
                            k.span,
                            format!("`{}` is not a kind of actor", k.name),
                            "unknown kind",
                        );
                        d = d.help_suggesting(
                            &k.name,
                            KINDS.iter().copied(),
                            "kinds are: state, person, org, bloc",
                        );
                        return Err(d);
                    }
                }
                let of = f.actors.iter().find(|(k, _)| k == "of").map(|a| a.1);
                m.actors
                    .values()
                    .enumerate()
                    .filter(|(_, a)| {
                        f.kind.as_ref().is_none_or(|k| a.kind.word() == k.name)
                            && of.is_none_or(|o| a.of == Some(o))
                    })
                    .map(|(i, _)| Item::Actor(ActorId(i as u32)))
                    .collect()
            }
            Noun::Roles => {
                let holder = match &b.subject {
                    Some(Subject::Actor(i)) => Some(self.actor(i)?),
                    _ => None,
                };
                let of = f.actors.iter().find(|(k, _)| k == "of").map(|a| a.1);
                m.roles
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| {
                        holder.is_none_or(|h| r.holder == h)
                            && of.is_none_or(|o| r.of == o)
                            && f.kind.as_ref().is_none_or(|k| r.office == k.name)
                            && f.dates.on.is_none_or(|d| r.when.contains(&d))
                    })
                    .map(|(i, _)| Item::Role(i))
                    .collect()
            }
            Noun::Sources => (0..m.sources.len()).map(Item::Source).collect(),
            Noun::Claims => m
                .checks
                .iter()
                .enumerate()
                .filter(|(_, c)| c.kind == CheckKind::Claim)
                .map(|(i, _)| Item::Check(i))
                .collect(),
            Noun::Ladders => (0..m.ladders.len()).map(Item::Ladder).collect(),
        })
    }

    /// `level A~B [on D]`: the level in force, or undecided when a change's
    /// date is too coarse to say whether it came before `D`.
    fn level_on(&self, b: &BaseQuery) -> Result<Output, Diagnostic> {
        let f = self.filters(b)?;
        let (a, c) = self.need_pair(b)?;
        let Some(rel) = self.model.relation(a, c) else {
            return Ok(Output::One(None));
        };
        let key = (rel.a, rel.b);
        let Some(d) = f.dates.on else {
            return Ok(Output::One(
                rel.levels.len().checked_sub(1).map(|i| Item::Level(key, i)),
            ));
        };
        // Certainly in force: every day of the change's date is on or
        // before the first day of D. Possibly: its first day is on or
        // before D's last.
        let certain = rel.levels.iter().rposition(|l| l.when.hi <= d.lo);
        let possible = rel.levels.iter().rposition(|l| l.when.lo <= d.hi);
        match possible {
            Some(p) if Some(p) != certain => {
                let name = |i: Option<usize>| {
                    i.map(|i| self.model.level_name(&rel.levels[i]).to_string())
                        .unwrap_or_else(|| "no level yet".into())
                };
                Ok(Output::Cell(Cell::Undecided(format!(
                    "{} or {}: the change dated {} may come before or after {}",
                    name(certain),
                    name(Some(p)),
                    rel.levels[p].when,
                    d
                ))))
            }
            _ => Ok(Output::One(certain.map(|i| Item::Level(key, i)))),
        }
    }

    /// All events, starting at the first that a date filter can admit.
    fn events_from(&self, dates: &DateFilter) -> Vec<EventId> {
        let min = dates.min_lo();
        let start = self.model.events.partition_point(|e| e.when.lo < min);
        (start..self.model.events.len())
            .map(|i| EventId(i as u32))
            .collect()
    }

    fn relation_items(&self, a: ActorId, b: ActorId, dates: &DateFilter) -> Vec<Item> {
        let Some(rel) = self.model.relation(a, b) else {
            return Vec::new();
        };
        let key = (rel.a, rel.b);
        let levels = rel
            .levels
            .iter()
            .enumerate()
            .filter(|(_, l)| dates.admits(&l.when))
            .map(|(i, _)| Item::Level(key, i));
        let trade = rel
            .trade
            .iter()
            .enumerate()
            .filter(|(_, t)| dates.admits(&year_when(t.year)))
            .map(|(i, _)| Item::Trade(key, i));
        levels.chain(trade).collect()
    }

    fn sort_by_date(&self, items: &mut [Item]) {
        items.sort_by_key(|i| {
            self.date_of(*i)
                .map(|w| w.sort_key())
                .unwrap_or((i32::MAX, i32::MAX))
        });
    }

    pub fn date_of(&self, item: Item) -> Option<When> {
        let m = self.model;
        Some(match item {
            Item::Event(e) => m.event(e).when,
            Item::Level(k, i) => m.relations[&k].levels[i].when,
            Item::Trade(k, i) => year_when(m.relations[&k].trade[i].year),
            Item::Statement(i) => m.statements[i].when,
            Item::Role(i) => m.roles[i].when,
            Item::Source(i) => m.sources[i].published?,
            _ => return None,
        })
    }

    /// The field a bare item compares by.
    pub fn default_cell(&self, item: Item) -> Cell {
        let name = match item {
            Item::Event(_) | Item::Statement(_) | Item::Role(_) => "date",
            Item::Level(..) => "level",
            Item::Trade(..) => "amount",
            Item::Actor(_) | Item::Source(_) | Item::Ladder(_) => "id",
            Item::Check(_) => "text",
        };
        self.field_named(item, name).unwrap_or(Cell::Empty)
    }

    pub fn field(&self, item: Item, f: &Ident) -> Result<Cell, Diagnostic> {
        self.field_named(item, &f.name).ok_or_else(|| {
            let names = field_names(item);
            let mut d = bad(
                self.file,
                f.span,
                format!("{} has no field `{}`", item_kind(item), f.name),
                "unknown field",
            );
            // Words people reach for that the fields spell differently.
            let synonym = match f.name.as_str() {
                "destination" | "dest" | "country" | "host_state" => Some("to"),
                "where" | "place" | "city" | "location" => Some("at"),
                "visitor" | "actor" | "person" => Some("by"),
                "when" | "day" | "year_of" => Some("date"),
                "source" | "cited" | "citations" => Some("sources"),
                "value" | "figure" | "total" => Some("amount"),
                "growth" | "change_stated" => Some("yoy"),
                _ => None,
            }
            .filter(|s| names.contains(s));
            d = match synonym.or_else(|| suggest(&f.name, names.iter().copied())) {
                Some(s) => d.help(format!("did you mean `.{s}`? fields: {}", names.join(", "))),
                None => d.help(format!(
                    "fields of {}: {}",
                    item_kind(item),
                    names.join(", ")
                )),
            };
            d
        })
    }

    pub fn field_named(&self, item: Item, name: &str) -> Option<Cell> {
        let m = self.model;
        let id = |a: ActorId| Cell::Id(m.actor_name(a).to_string());
        let opt_id = |a: Option<ActorId>| a.map(id).unwrap_or(Cell::Empty);
        let opt_text = |s: &Option<String>| s.clone().map(Cell::Text).unwrap_or(Cell::Empty);
        let sources =
            |s: &[SourceId]| Cell::List(s.iter().map(|x| m.source(*x).id.clone()).collect());
        if !field_names(item).contains(&name) {
            return None;
        }
        Some(match item {
            Item::Event(e) => {
                let e = m.event(e);
                match name {
                    "date" => Cell::Date(e.when),
                    "type" => Cell::Id(e.kind.word().into()),
                    "kind" => e
                        .subkind
                        .as_deref()
                        .map(|x| Cell::Id(x.into()))
                        .unwrap_or(Cell::Empty),
                    "by" | "who" => opt_id(e.participants.first().copied()),
                    "participants" => Cell::List(
                        e.participants
                            .iter()
                            .map(|a| m.actor_name(*a).to_string())
                            .collect(),
                    ),
                    "to" => opt_id(e.to),
                    "mode" => e
                        .mode
                        .as_deref()
                        .map(|x| Cell::Id(x.into()))
                        .unwrap_or(Cell::Empty),
                    "reason" => opt_text(&e.details().reason),
                    "title" => opt_text(&e.details().title),
                    "office" => e
                        .details()
                        .office
                        .as_deref()
                        .map(|x| Cell::Id(x.into()))
                        .unwrap_or(Cell::Empty),
                    "invited_by" => opt_id(e.details().invited_by),
                    "host" => opt_id(e.details().host),
                    "at" => match &e.details().at {
                        Some(p @ Place::Named(_)) => Cell::Text(m.place_name(p).into()),
                        Some(p) => Cell::Id(m.place_name(p).into()),
                        None => Cell::Empty,
                    },
                    "label" => e
                        .details()
                        .label
                        .as_deref()
                        .map(|x| Cell::Id(x.into()))
                        .unwrap_or(Cell::Empty),
                    "days" => Cell::Count(if e.when.hi == date::OPEN_END {
                        0
                    } else {
                        (e.when.hi - e.when.lo + 1) as usize
                    }),
                    _ => sources(&e.sources),
                }
            }
            Item::Level(k, i) => {
                let l = &m.relations[&k].levels[i];
                match name {
                    "date" => Cell::Date(l.when),
                    "level" => Cell::Level(l.ladder, l.rung, m.level_name(l).to_string()),
                    "name" => Cell::Text(m.ladder(l.ladder).rungs[l.rung].name.clone()),
                    "rung" => Cell::Count(l.rung + 1),
                    "ladder" => Cell::Id(m.ladder(l.ladder).id.clone()),
                    "relation" => Cell::Id(m.pair_name(k)),
                    "via" => l
                        .via
                        .and_then(|v| m.event(v).details().label.as_deref())
                        .map(|x| Cell::Id(x.into()))
                        .unwrap_or(Cell::Empty),
                    "downgrade" => Cell::Id(if l.downgrade { "yes" } else { "no" }.into()),
                    _ => sources(&l.sources),
                }
            }
            Item::Trade(k, i) => {
                let rel = &m.relations[&k];
                let t = &rel.trade[i];
                match name {
                    "year" | "date" => Cell::Date(year_when(t.year)),
                    "amount" => {
                        Cell::Number(t.amount.interval(), format!("{} {}", t.amount, t.currency))
                    }
                    "currency" => Cell::Id(t.currency.clone()),
                    "yoy" => t
                        .yoy
                        .map(|y| Cell::Number(y.interval(), y.to_string()))
                        .unwrap_or(Cell::Empty),
                    "change" => computed_change(rel, t)
                        .map(|(i, s)| Cell::Number(i, s))
                        .unwrap_or(Cell::Empty),
                    "relation" => Cell::Id(m.pair_name(k)),
                    _ => sources(&t.sources),
                }
            }
            Item::Statement(i) => {
                let s = &m.statements[i];
                match name {
                    "date" => Cell::Date(s.when),
                    "by" | "speaker" => id(s.speaker),
                    "about" => s
                        .about
                        .map(|p| Cell::Id(m.pair_name(p)))
                        .unwrap_or(Cell::Empty),
                    "text" => Cell::Text(s.text.clone()),
                    _ => sources(&s.sources),
                }
            }
            Item::Actor(a) => {
                let act = m.actor(a);
                match name {
                    "id" => Cell::Id(act.id.clone()),
                    "kind" => Cell::Id(act.kind.word().into()),
                    "name" => Cell::Text(act.name.clone()),
                    "of" => opt_id(act.of),
                    _ => Cell::List(act.aka.clone()),
                }
            }
            Item::Role(i) => {
                let r = &m.roles[i];
                match name {
                    "holder" | "who" => id(r.holder),
                    "office" => Cell::Id(r.office.clone()),
                    "of" => id(r.of),
                    "to" => opt_id(r.to),
                    "date" => Cell::Date(r.when),
                    _ => sources(&r.sources),
                }
            }
            Item::Source(i) => {
                let s = &m.sources[i];
                match name {
                    "id" => Cell::Id(s.id.clone()),
                    "title" => Cell::Text(s.title.clone()),
                    "published" | "date" => s.published.map(Cell::Date).unwrap_or(Cell::Empty),
                    "url" => opt_text(&s.url),
                    _ => Cell::Count(s.cited),
                }
            }
            Item::Check(i) => {
                let c = &m.checks[i];
                match name {
                    "text" => Cell::Text(c.text.clone()),
                    "kind" => Cell::Id(
                        if c.kind == CheckKind::Claim {
                            "claim"
                        } else {
                            "assert"
                        }
                        .into(),
                    ),
                    "verdict" => Cell::Id(self.verdict(i).word().into()),
                    _ => sources(&c.sources),
                }
            }
            Item::Ladder(i) => {
                let l = &m.ladders[i];
                match name {
                    "id" => Cell::Id(l.id.clone()),
                    _ => Cell::List(l.rungs.iter().map(|r| r.id.clone()).collect()),
                }
            }
        })
    }
}

fn involves(e: &Event, a: ActorId) -> bool {
    e.participants.contains(&a) || e.to == Some(a) || e.details().host == Some(a)
}

pub fn year_when(year: i32) -> When {
    date::parse_partial(&format!("{year:04}"))
        .ok()
        .and_then(|p| When::point(p).ok())
        .unwrap_or(When {
            lo: 0,
            hi: 0,
            shape: date::Shape::Point(date::Precision::Year),
        })
}

/// The change from the previous year's figure in the same currency, as an
/// interval and as shown (central value).
pub fn computed_change(rel: &Relation, t: &TradeFigure) -> Option<(Interval, String)> {
    let prev = rel
        .trade
        .iter()
        .find(|p| p.year == t.year - 1 && p.currency == t.currency)?;
    let interval = change_between(&prev.amount, &t.amount)?;
    let central = central_change(&prev.amount, &t.amount)?;
    Some((interval, format!("{central:+.2}%")))
}

pub fn item_kind(item: Item) -> &'static str {
    match item {
        Item::Event(_) => "an event",
        Item::Level(..) => "a level",
        Item::Trade(..) => "a trade figure",
        Item::Statement(_) => "a statement",
        Item::Actor(_) => "an actor",
        Item::Role(_) => "a role",
        Item::Source(_) => "a source",
        Item::Check(_) => "a claim",
        Item::Ladder(_) => "a ladder",
    }
}

pub fn field_names(item: Item) -> &'static [&'static str] {
    match item {
        Item::Event(_) => &[
            "date",
            "type",
            "kind",
            "by",
            "who",
            "participants",
            "to",
            "mode",
            "reason",
            "title",
            "office",
            "invited_by",
            "host",
            "at",
            "label",
            "days",
            "sources",
        ],
        Item::Level(..) => &[
            "date",
            "level",
            "name",
            "rung",
            "ladder",
            "relation",
            "via",
            "downgrade",
            "sources",
        ],
        Item::Trade(..) => &[
            "year", "date", "amount", "currency", "yoy", "change", "relation", "sources",
        ],
        Item::Statement(_) => &["date", "by", "speaker", "about", "text", "sources"],
        Item::Actor(_) => &["id", "kind", "name", "of", "aka"],
        Item::Role(_) => &["holder", "who", "office", "of", "to", "date", "sources"],
        Item::Source(_) => &["id", "title", "published", "date", "url", "cited"],
        Item::Check(_) => &["text", "kind", "verdict", "sources"],
        Item::Ladder(_) => &["id", "levels"],
    }
}

/// A total order over cells for sorting: dates by start, numbers by
/// value, text alphabetically, empty last.
fn sort_key(c: &Cell) -> (u8, f64, String) {
    match c {
        Cell::Date(w) => (0, w.lo as f64, String::new()),
        Cell::Count(n) => (0, *n as f64, String::new()),
        Cell::Number(i, _) => (0, (i.lo + i.hi) / 2.0, String::new()),
        Cell::Level(_, r, _) => (0, *r as f64, String::new()),
        Cell::Id(s) | Cell::Text(s) => (1, 0.0, s.clone()),
        Cell::List(v) => (1, 0.0, v.join(",")),
        Cell::Empty | Cell::Undecided(_) => (2, 0.0, String::new()),
    }
}
