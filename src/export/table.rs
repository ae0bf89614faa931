//! The model as flat tables: one row per fact, one column per attribute,
//! each column with a type. CSV writes the cells as text; Parquet keeps
//! the types (dates as dates, amounts as decimals), so both exports are
//! built from the same rows and cannot drift apart.

use crate::date::{from_day_number, When, OPEN_END, OPEN_START};
use crate::figure::{Figure, Percent};
use crate::model::*;

/// Decimal columns hold amounts scaled by 10^6: exact for every figure
/// written with up to six decimals after its scale (`244.81bn`, `1.9%`).
pub const DECIMAL_SCALE: u32 = 6;
/// Digits a decimal column holds (Parquet `DECIMAL(38, 6)` in 16 bytes).
pub const DECIMAL_PRECISION: u32 = 38;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    Bool,
    /// A calendar day.
    Date,
    /// A number scaled by 10^[`DECIMAL_SCALE`].
    Decimal,
}

/// One cell; `None` is an empty cell (CSV) or a null (Parquet).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(bool),
    /// Days since 1970-01-01, as Parquet's `DATE` counts them.
    Date(Option<i32>),
    Decimal(Option<i128>),
}

impl Cell {
    pub fn kind(&self) -> Kind {
        match self {
            Cell::Text(_) => Kind::Text,
            Cell::Int(_) => Kind::Int,
            Cell::Bool(_) => Kind::Bool,
            Cell::Date(_) => Kind::Date,
            Cell::Decimal(_) => Kind::Decimal,
        }
    }

    /// The cell as CSV writes it: dates as `YYYY-MM-DD`, decimals without
    /// trailing zeros, booleans as `true`/`false`, nulls empty.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone().unwrap_or_default(),
            Cell::Int(i) => i.map(|i| i.to_string()).unwrap_or_default(),
            Cell::Bool(b) => b.to_string(),
            Cell::Date(d) => d.map(iso_day).unwrap_or_default(),
            Cell::Decimal(d) => d.map(decimal_text).unwrap_or_default(),
        }
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(Some(s.into()))
}

fn opt_text<S: Into<String>>(s: Option<S>) -> Cell {
    Cell::Text(s.map(Into::into))
}

/// A list of names in one cell, `;` between them (empty for none): SQL
/// engines split it back (`string_split(participants, ';')`), and the
/// `event_actors` table gives the same links one a row.
fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> Cell {
    let joined: Vec<&str> = items.into_iter().collect();
    Cell::Text((!joined.is_empty()).then(|| joined.join(";")))
}

/// A table: its name, typed columns and rows.
#[derive(Clone, Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<(&'static str, Kind)>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(name: &'static str, columns: &[(&'static str, Kind)]) -> Table {
        Table {
            name,
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<Cell>) {
        // A row that does not fit its columns is a bug here, not bad input.
        debug_assert_eq!(row.len(), self.columns.len(), "{}", self.name);
        debug_assert!(row
            .iter()
            .zip(&self.columns)
            .all(|(c, (_, k))| c.kind() == *k));
        self.rows.push(row);
    }
}

/// The names of the tables, in the order [`tables`] builds them.
pub const TABLES: &[&str] = &[
    "events",
    "event_actors",
    "actors",
    "levels",
    "figures",
    "statements",
    "claims",
    "sources",
];

/// Days from 0001-01-01 (the model's count) to 1970-01-01 (Parquet's).
const UNIX_EPOCH_DAY: i32 = 719_163;

/// A model day as Parquet counts it, or `None` for an open end.
pub fn unix_day(day: i32) -> Option<i32> {
    (day != OPEN_START && day != OPEN_END).then(|| day - UNIX_EPOCH_DAY)
}

fn iso_day(unix: i32) -> String {
    from_day_number(unix + UNIX_EPOCH_DAY)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// `123.45` for 123_450_000 at scale 6: no trailing zeros, no exponent.
pub fn decimal_text(v: i128) -> String {
    let unit = 10i128.pow(DECIMAL_SCALE);
    let sign = if v < 0 { "-" } else { "" };
    let (int, frac) = (v.abs() / unit, v.abs() % unit);
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let frac = format!("{frac:0width$}", width = DECIMAL_SCALE as usize);
    format!("{sign}{int}.{}", frac.trim_end_matches('0'))
}

/// A figure's written value, exactly, scaled by 10^6: its digits as
/// written times its scale. `None` when it does not fit 38 digits.
pub fn figure_decimal(f: &Figure) -> Option<i128> {
    let digits = format!("{:.*}", f.decimals as usize, f.mantissa.abs());
    let int: i128 = digits.replace('.', "").parse().ok()?;
    let scale_exp = (f.scale.factor().log10().round()) as i32;
    // The written digits count 10^-decimals; the column counts 10^-6.
    let shift = DECIMAL_SCALE as i32 + scale_exp - f.decimals as i32;
    let value = if shift >= 0 {
        int.checked_mul(10i128.checked_pow(shift as u32)?)?
    } else {
        // More decimals than the column keeps: round half away from zero.
        let div = 10i128.checked_pow((-shift) as u32)?;
        (int + div / 2) / div
    };
    let value = if f.mantissa.is_sign_negative() {
        -value
    } else {
        value
    };
    (value.abs() < 10i128.pow(DECIMAL_PRECISION)).then_some(value)
}

fn percent_decimal(p: &Percent) -> Option<i128> {
    figure_decimal(&p.0)
}

/// A float (a computed change) rounded to the decimal column's scale.
fn float_decimal(x: f64) -> Option<i128> {
    let scaled = (x * 10f64.powi(DECIMAL_SCALE as i32)).round();
    (scaled.is_finite() && scaled.abs() < 1e37).then_some(scaled as i128)
}

/// A bound of a figure's interval, to one digit past the figure's last
/// written one (where its half unit falls): the float arithmetic that
/// computed it leaves noise further down (`240105000000.000032`).
fn bound_decimal(x: f64, f: &Figure) -> Option<i128> {
    if !x.is_finite() {
        return None; // `>5bn` has no upper bound
    }
    let scale_exp = f.scale.factor().log10().round() as i32;
    let places = (f.decimals as i32 - scale_exp + 1).clamp(0, DECIMAL_SCALE as i32);
    let rounded = (x * 10f64.powi(places)).round();
    (rounded.abs() < 1e30).then(|| rounded as i128 * 10i128.pow(DECIMAL_SCALE - places as u32))
}

/// The change from the previous year's trade in the same currency, from
/// the figures' central values, as `rel eval` computes it.
fn computed_pct(rel: &Relation, t: &TradeFigure) -> Option<f64> {
    let prev = rel
        .trade
        .iter()
        .find(|p| p.year == t.year - 1 && p.currency == t.currency)?;
    crate::figure::central_change(&prev.amount, &t.amount)
}

/// The first and last day a date allows, and the date as written.
fn when_cells(w: &When) -> [Cell; 3] {
    [
        Cell::Date(unix_day(w.lo)),
        Cell::Date(unix_day(w.hi)),
        text(w.to_string()),
    ]
}

fn source_ids(model: &Model, sources: &[SourceId]) -> Cell {
    list(sources.iter().map(|s| model.source(*s).id.as_str()))
}

fn names(model: &Model, ids: &[ActorId]) -> Cell {
    list(ids.iter().map(|a| model.actor_name(*a)))
}

fn name(model: &Model, a: Option<ActorId>) -> Cell {
    opt_text(a.map(|a| model.actor_name(a).to_string()))
}

use Kind::*;

/// Every table, in the order of [`TABLES`].
pub fn tables(model: &Model) -> Vec<Table> {
    vec![
        events(model),
        event_actors(model),
        actors(model),
        levels(model),
        figures(model),
        statements(model),
        claims(model),
        sources(model),
    ]
}

/// One table by name, or `None` for a name not in [`TABLES`].
pub fn table(model: &Model, name: &str) -> Option<Table> {
    Some(match name {
        "events" => events(model),
        "event_actors" => event_actors(model),
        "actors" => actors(model),
        "levels" => levels(model),
        "figures" => figures(model),
        "statements" => statements(model),
        "claims" => claims(model),
        "sources" => sources(model),
        _ => return None,
    })
}

/// The id an event has in every export: its place in date order, from 1.
pub fn event_id(id: EventId) -> i64 {
    id.index() as i64 + 1
}

fn events(model: &Model) -> Table {
    let mut t = Table::new(
        "events",
        &[
            ("id", Int),
            ("start", Date),
            ("end", Date),
            ("date", Text),
            ("type", Text),
            ("kind", Text),
            ("mode", Text),
            ("status", Text),
            ("participants", Text),
            ("to", Text),
            ("host", Text),
            ("with", Text),
            ("at", Text),
            ("title", Text),
            ("reason", Text),
            ("topics", Text),
            ("label", Text),
            ("during", Text),
            ("sources", Text),
        ],
    );
    for (i, e) in model.events.iter().enumerate() {
        let d = e.details();
        let [start, end, date] = when_cells(&e.when);
        t.push(vec![
            Cell::Int(Some(event_id(EventId(i as u32)))),
            start,
            end,
            date,
            text(e.kind.word()),
            opt_text(e.subkind.as_deref()),
            opt_text(e.mode.as_deref()),
            opt_text(d.status.map(|s| s.word())),
            names(model, &e.participants),
            name(model, e.to),
            name(model, d.host),
            names(model, &d.more().with),
            opt_text(d.at.as_ref().map(|p| model.place_name(p).to_string())),
            opt_text(d.title.clone()),
            opt_text(d.more().reason.clone()),
            list(d.topics.iter().map(compact_str::CompactString::as_str)),
            opt_text(d.label.as_deref()),
            opt_text(d.during.and_then(|t| {
                model
                    .event(t)
                    .details()
                    .label
                    .as_deref()
                    .map(str::to_string)
            })),
            source_ids(model, &e.sources),
        ]);
    }
    t
}

/// Who took part in each event and how: one row per event and actor, for
/// joins in SQL (`participant`, `to`, `host`, `with`).
fn event_actors(model: &Model) -> Table {
    let mut t = Table::new(
        "event_actors",
        &[("event_id", Int), ("actor", Text), ("part", Text)],
    );
    for (i, e) in model.events.iter().enumerate() {
        let id = Cell::Int(Some(event_id(EventId(i as u32))));
        let d = e.details();
        let parts = e
            .participants
            .iter()
            .map(|&a| (a, "participant"))
            .chain(e.to.map(|a| (a, "to")))
            .chain(d.host.map(|a| (a, "host")))
            .chain(d.more().with.iter().map(|&a| (a, "with")));
        for (a, part) in parts {
            t.push(vec![id.clone(), text(model.actor_name(a)), text(part)]);
        }
    }
    t
}

fn actors(model: &Model) -> Table {
    let mut t = Table::new(
        "actors",
        &[
            ("id", Text),
            ("kind", Text),
            ("name", Text),
            ("aka", Text),
            ("of", Text),
            ("iso3", Text),
            ("since", Date),
            ("until", Date),
            ("succeeded_by", Text),
            ("sources", Text),
        ],
    );
    for a in model.actors.values() {
        t.push(vec![
            text(&a.id),
            text(a.kind.word()),
            text(&a.name),
            list(a.aka.iter().map(String::as_str)),
            names(model, &a.of),
            opt_text(super::iso::code_of(a).map(|c| c.alpha3)),
            Cell::Date(a.since.and_then(|w| unix_day(w.lo))),
            Cell::Date(a.until.and_then(|w| unix_day(w.hi))),
            name(model, a.succeeded_by),
            source_ids(model, &a.sources),
        ]);
    }
    t
}

fn levels(model: &Model) -> Table {
    let mut t = Table::new(
        "levels",
        &[
            ("pair", Text),
            ("a", Text),
            ("b", Text),
            ("ladder", Text),
            ("level", Text),
            ("rung", Int),
            ("level_name", Text),
            ("since", Date),
            ("since_end", Date),
            ("date", Text),
            ("via", Text),
            ("downgrade", Bool),
            ("sources", Text),
        ],
    );
    for (&(a, b), rel) in &model.relations {
        for l in &rel.levels {
            let ladder = model.ladder(l.ladder);
            let [since, since_end, date] = when_cells(&l.when);
            t.push(vec![
                text(model.pair_name((a, b))),
                text(model.actor_name(a)),
                text(model.actor_name(b)),
                text(&ladder.id),
                text(&ladder.rungs[l.rung].id),
                Cell::Int(Some(l.rung as i64 + 1)),
                text(&ladder.rungs[l.rung].name),
                since,
                since_end,
                date,
                opt_text(l.via.and_then(|v| {
                    model
                        .event(v)
                        .details()
                        .label
                        .as_deref()
                        .map(str::to_string)
                })),
                Cell::Bool(l.downgrade),
                source_ids(model, &l.sources),
            ]);
        }
    }
    t
}

/// Trade by year (metric `trade`, with its stated and computed change)
/// and every other figure and target.
fn figures(model: &Model) -> Table {
    let mut t = Table::new(
        "figures",
        &[
            ("metric", Text),
            ("of", Text),
            ("from", Text),
            ("to", Text),
            ("start", Date),
            ("end", Date),
            ("date", Text),
            ("amount", Decimal),
            ("amount_low", Decimal),
            ("amount_high", Decimal),
            ("written", Text),
            ("unit", Text),
            ("target", Bool),
            ("stated_change_pct", Decimal),
            ("computed_change_pct", Decimal),
            ("sources", Text),
        ],
    );
    let bounds = |f: &Figure| {
        let i = f.interval();
        [
            Cell::Decimal(bound_decimal(i.lo, f)),
            Cell::Decimal(bound_decimal(i.hi, f)),
        ]
    };
    for (&(a, b), rel) in &model.relations {
        for tf in &rel.trade {
            let [lo, hi] = bounds(&tf.amount);
            let year = When::year(tf.year);
            let [start, end, date] = when_cells(&year);
            t.push(vec![
                text("trade"),
                text(model.pair_name((a, b))),
                text(model.actor_name(a)),
                text(model.actor_name(b)),
                start,
                end,
                date,
                Cell::Decimal(figure_decimal(&tf.amount)),
                lo,
                hi,
                text(tf.amount.to_string()),
                text(&tf.currency),
                Cell::Bool(false),
                Cell::Decimal(tf.yoy.as_ref().and_then(percent_decimal)),
                Cell::Decimal(computed_pct(rel, tf).and_then(float_decimal)),
                source_ids(model, &tf.sources),
            ]);
        }
    }
    for f in &model.figures {
        let (of, from, to) = match f.of {
            FigureOf::Pair(a, b) => (model.pair_name((a, b)), Some(a), Some(b)),
            FigureOf::Flow(a, b) => (
                format!("{}->{}", model.actor_name(a), model.actor_name(b)),
                Some(a),
                Some(b),
            ),
            FigureOf::One(a) => (model.actor_name(a).to_string(), Some(a), None),
        };
        let [lo, hi] = bounds(&f.amount);
        let [start, end, date] = when_cells(&f.when);
        t.push(vec![
            text(&f.metric),
            text(of),
            name(model, from),
            name(model, to),
            start,
            end,
            date,
            Cell::Decimal(figure_decimal(&f.amount)),
            lo,
            hi,
            text(f.amount.to_string()),
            opt_text(f.unit.clone()),
            Cell::Bool(f.target),
            Cell::Decimal(None),
            Cell::Decimal(None),
            source_ids(model, &f.sources),
        ]);
    }
    t
}

fn statements(model: &Model) -> Table {
    let mut t = Table::new(
        "statements",
        &[
            ("start", Date),
            ("end", Date),
            ("date", Text),
            ("speakers", Text),
            ("about", Text),
            ("about_actors", Text),
            ("topics", Text),
            ("capacity", Text),
            ("text", Text),
            ("sources", Text),
        ],
    );
    for s in &model.statements {
        let speakers: Vec<ActorId> = std::iter::once(s.speaker)
            .chain(s.with.iter().copied())
            .collect();
        let [start, end, date] = when_cells(&s.when);
        t.push(vec![
            start,
            end,
            date,
            names(model, &speakers),
            opt_text(s.about.map(|p| model.pair_name(p))),
            names(model, &s.about_actors),
            list(s.topics.iter().map(String::as_str)),
            opt_text(s.capacity.clone()),
            text(&s.text),
            source_ids(model, &s.sources),
        ]);
    }
    t
}

/// Every `claim` and `assert`, with its verdict.
fn claims(model: &Model) -> Table {
    let mut t = Table::new(
        "claims",
        &[
            ("kind", Text),
            ("text", Text),
            ("verdict", Text),
            ("sources", Text),
        ],
    );
    for c in &model.checks {
        t.push(vec![
            text(c.kind.word()),
            text(&c.text),
            text(c.verdict_word()),
            source_ids(model, &c.sources),
        ]);
    }
    t
}

fn sources(model: &Model) -> Table {
    let mut t = Table::new(
        "sources",
        &[
            ("id", Text),
            ("title", Text),
            ("published", Date),
            ("published_text", Text),
            ("url", Text),
            ("cited", Int),
        ],
    );
    for s in model.sources.values() {
        t.push(vec![
            text(&s.id),
            text(&s.title),
            Cell::Date(s.published.and_then(|w| unix_day(w.lo))),
            opt_text(s.published.map(|w| w.to_string())),
            opt_text(s.url.clone()),
            Cell::Int(Some(s.cited as i64)),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Scale;

    #[test]
    fn figures_become_exact_decimals() {
        let f = Figure::parse("244.81", Scale::Billion).unwrap();
        assert_eq!(figure_decimal(&f), Some(244_810_000_000 * 1_000_000));
        assert_eq!(decimal_text(figure_decimal(&f).unwrap()), "244810000000");
        let p = Percent::parse("-1.9%").unwrap();
        assert_eq!(decimal_text(percent_decimal(&p).unwrap()), "-1.9");
        let i = f.interval();
        assert_eq!(
            decimal_text(bound_decimal(i.lo, &f).unwrap()),
            "244805000000"
        );
        assert_eq!(
            decimal_text(bound_decimal(i.hi, &f).unwrap()),
            "244815000000"
        );
        let pct = Figure::parse("1.9", Scale::One).unwrap();
        assert_eq!(
            decimal_text(bound_decimal(pct.interval().lo, &pct).unwrap()),
            "1.85"
        );
        let tiny = Figure::parse("0.12345678", Scale::One).unwrap();
        assert_eq!(decimal_text(figure_decimal(&tiny).unwrap()), "0.123457");
    }

    #[test]
    fn days_count_from_1970() {
        let d = crate::date::day_number(chrono::NaiveDate::from_ymd_opt(1970, 1, 2).unwrap());
        assert_eq!(unix_day(d), Some(1));
        assert_eq!(iso_day(1), "1970-01-02");
        assert_eq!(unix_day(OPEN_END), None);
    }
}
