//! `rel report`: one self-contained HTML page about a file: a timeline
//! of its events, a staircase per relation, its figures by year, its
//! claims with their verdicts, its diagnostics and its sources. The
//! charts are SVG drawn by plotters ([`chart`]); the page is a maud
//! template. Nothing is loaded from the network: no script, no font, no
//! image, only inline CSS and SVG, so the file can be mailed or archived.

mod chart;

use crate::date::{from_day_number, When, OPEN_END, OPEN_START};
use crate::diag::{Diagnostic, Severity};
use crate::export::events::event_text;
use crate::load::Loaded;
use crate::model::*;
use crate::source::{FileId, Span};
use chart::{Chart, Mark, Shape};
use chrono::Datelike;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use plotters::style::RGBColor;

/// A day as a fractional year, for the charts' x axes.
fn year_of(day: i32) -> Option<f64> {
    if day == OPEN_START || day == OPEN_END {
        return None;
    }
    let d = from_day_number(day)?;
    Some(d.year() as f64 + (d.ordinal0() as f64 + 0.5) / 366.0)
}

/// The middle of a date (the first day of an open range).
fn when_year(w: &When) -> Option<f64> {
    match (year_of(w.lo), year_of(w.hi)) {
        (Some(a), Some(b)) => Some((a + b) / 2.0),
        (a, b) => a.or(b),
    }
}

/// The colour of an event's kind, the same in the chart and the legend.
fn kind_color(kind: EventKind) -> RGBColor {
    match kind {
        EventKind::Visit => RGBColor(31, 111, 180),
        EventKind::Meeting | EventKind::Call => RGBColor(46, 140, 80),
        EventKind::Agreement => RGBColor(214, 120, 20),
        EventKind::Summit => RGBColor(130, 70, 170),
        EventKind::Elected | EventKind::Reelected => RGBColor(150, 100, 60),
        EventKind::Other => RGBColor(110, 116, 126),
    }
}

fn css_color(c: RGBColor) -> String {
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

fn event_anchor(id: usize) -> String {
    format!("e{}", id + 1)
}

/// Where a diagnostic points: the file and line, as a link into the
/// page's copy of the source text.
fn line_of(loaded: &Loaded, file: FileId, span: Span) -> (String, usize) {
    let f = loaded.sources.get(file);
    (f.name.clone(), f.line_col(span.start).0)
}

fn line_anchor(file: FileId, line: usize) -> String {
    format!("f{}-L{line}", file.0)
}

/// Diagnostics with a label inside `origin`'s statement.
fn findings_in(loaded: &Loaded, origin: Origin) -> Vec<&Diagnostic> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| {
            d.primary.iter().chain(&d.secondary).any(|l| {
                l.file == origin.file
                    && l.span.start >= origin.span.start
                    && l.span.end <= origin.span.end
            })
        })
        .collect()
}

fn sources_list(model: &Model, sources: &[SourceId]) -> Markup {
    html! {
        @for (i, s) in sources.iter().enumerate() {
            @if i > 0 { ", " }
            a href=(format!("#src-{}", model.source(*s).id)) { (model.source(*s).id) }
        }
    }
}

/// Marks laid over a chart: a link and a hover label for each.
fn overlay(chart: &Chart, hits: &[(String, String)]) -> Markup {
    html! {
        div.chart-wrap { div.chart style=(format!("aspect-ratio: {:.4}", chart.aspect)) {
            (PreEscaped(&chart.svg))
            @for ((x, y), (href, label)) in chart.marks.iter().zip(hits) {
                a.hit href=(href) title=(label) aria-label=(label)
                    style=(format!("left: {:.3}%; top: {:.3}%", x * 100.0, y * 100.0)) {}
            }
        } }
    }
}

fn chart_failed(what: &str, e: &str) -> Markup {
    html! { p.note { "The " (what) " could not be drawn: " (e) } }
}

/// The timeline: a lane per state or bloc, each event on the lanes of
/// the sides it belongs to (its people's states included).
fn timeline(model: &Model) -> Markup {
    let mut lanes: Vec<ActorId> = Vec::new();
    let mut placed: Vec<(usize, ActorId)> = Vec::new();
    let mut sides = Vec::new();
    for (i, e) in model.events.iter().enumerate() {
        model.sides(e, &mut sides);
        for &s in &sides {
            if !lanes.contains(&s) {
                lanes.push(s);
            }
            placed.push((i, s));
        }
    }
    if placed.is_empty() {
        return html! { p.note { "No event belongs to a state or bloc." } };
    }
    // Lanes by how many events they hold, busiest at the top.
    lanes.sort_by_key(|&l| std::cmp::Reverse(placed.iter().filter(|(_, s)| *s == l).count()));
    let n = lanes.len();
    let names: Vec<String> = lanes
        .iter()
        .map(|&l| model.actor_name(l).to_string())
        .collect();
    let mut marks = Vec::new();
    let mut hits = Vec::new();
    for &(i, side) in &placed {
        let e = model.event(model.events.at_rank(i));
        let Some(x) = when_year(&e.when) else {
            continue;
        };
        let lane = lanes.iter().position(|&l| l == side).unwrap_or(0);
        let shape = match e.details().status {
            None => Shape::Filled,
            Some(EventStatus::Cancelled) => Shape::Cross,
            Some(_) => Shape::Ring,
        };
        marks.push(Mark {
            x,
            y: (n - 1 - lane) as f64,
            shape,
            color: kind_color(e.kind),
        });
        let status = e
            .details()
            .status
            .map(|s| format!(" ({})", s.word()))
            .unwrap_or_default();
        hits.push((
            format!("#{}", event_anchor(i)),
            format!("{}{status}: {}", e.when, event_text(model, e)),
        ));
    }
    // Lanes are drawn bottom-up: the busiest lane is the last row index.
    let rows: Vec<String> = names.iter().rev().cloned().collect();
    match chart::lanes(&rows, &marks) {
        Ok(c) => html! {
            (overlay(&c, &hits))
            ul.legend {
                @for (kind, word) in [(EventKind::Visit, "visit"), (EventKind::Meeting, "meeting or call"), (EventKind::Agreement, "agreement"), (EventKind::Summit, "summit"), (EventKind::Elected, "election"), (EventKind::Other, "other event")] {
                    li { span.swatch style=(format!("background: {}", css_color(kind_color(kind)))) {} (word) }
                }
                li { span.swatch.ring {} "planned or postponed" }
                li { span.cross { "×" } "cancelled" }
            }
        },
        Err(e) => chart_failed("timeline", &e),
    }
}

/// A staircase per relation with levels: each step a link to the event
/// it came with (`via`), or to its row in the table below.
fn staircases(model: &Model) -> Markup {
    let last_day = model
        .events
        .iter()
        .map(|e| e.when.hi)
        .chain(
            model
                .relations
                .values()
                .flat_map(|r| r.levels.iter().map(|l| l.when.hi)),
        )
        .filter(|&d| d != OPEN_END)
        .max();
    let end = last_day.and_then(year_of).unwrap_or(2000.0);
    let laddered = model
        .relations
        .values()
        .any(|r| r.ladder.is_some() && !r.levels.is_empty());
    html! {
        @if !laddered {
            p.note { "No relation here has partnership levels." }
        }
        @if !model.diplomatic.is_empty() {
            h3 { "Diplomatic relations" }
            div.scroll { table {
                thead { tr { th { "date" } th { "pair" } th { "change" } th { "sources" } } }
                tbody {
                    @for d in &model.diplomatic {
                        tr {
                            td.date { (d.when) }
                            td { (model.pair_name((d.a, d.b))) }
                            td { span.badge.(match d.change.state() { RelationChange::Established => "supported", _ => "contradicted" }) { (d.change.word()) } }
                            td { (sources_list(model, &d.sources)) }
                        }
                    }
                }
            } }
        }
        @for (&key, rel) in &model.relations {
            @if let (Some(ladder), false) = (rel.ladder.map(|l| model.ladder(l)), rel.levels.is_empty()) {
                h3 { (model.pair_name(key)) " on " code { (ladder.id) } }
                @let steps: Vec<Mark> = rel.levels.iter().filter_map(|l| Some(Mark {
                    x: year_of(l.when.lo)?,
                    y: l.rung as f64,
                    shape: Shape::Filled,
                    color: if l.downgrade { chart::RED } else { RGBColor(31, 111, 180) },
                })).collect();
                @let hits: Vec<(String, String)> = rel.levels.iter().enumerate().filter(|(_, l)| year_of(l.when.lo).is_some()).map(|(i, l)| {
                    let href = match l.via {
                        Some(v) => format!("#{}", event_anchor(model.events.rank(v))),
                        None => format!("#level-{}-{i}", model.pair_name(key)),
                    };
                    (href, format!("{} since {}", ladder.rungs[l.rung].name, l.when))
                }).collect();
                @let rungs: Vec<String> = ladder.rungs.iter().map(|r| r.id.clone()).collect();
                @match chart::staircase(&rungs, &steps, end.max(steps.last().map_or(end, |s| s.x + 1.0))) {
                    Ok(c) => (overlay(&c, &hits)),
                    Err(e) => (chart_failed("staircase", &e)),
                }
                div.scroll { table {
                    thead { tr { th { "since" } th { "level" } th { "came with" } th { "sources" } } }
                    tbody {
                        @for (i, l) in rel.levels.iter().enumerate() {
                            tr id=(format!("level-{}-{i}", model.pair_name(key))) {
                                td.date { (l.when) }
                                td { (ladder.rungs[l.rung].name) @if l.downgrade { " " span.badge.contradicted { "downgrade" } } }
                                td { @if let Some(v) = l.via { a href=(format!("#{}", event_anchor(model.events.rank(v)))) { (model.event(v).details().label.as_deref().unwrap_or("event")) } } @else { "—" } }
                                td { (sources_list(model, &l.sources)) }
                            }
                        }
                    }
                } }
            }
        }
    }
}

/// Trade by year per relation, stated change against computed change,
/// figures a diagnostic is about marked; then the other figures.
fn figures(loaded: &Loaded) -> Markup {
    let model = &loaded.model;
    html! {
        @if model.relations.values().all(|r| r.trade.is_empty()) && model.figures.is_empty() {
            p.note { "No figures here." }
        }
        @for (&key, rel) in &model.relations {
            @if !rel.trade.is_empty() {
                h3 { "Trade " (model.pair_name(key)) }
                @let currency = rel.trade[0].currency.clone();
                @let points: Vec<(Mark, (String, String))> = rel.trade.iter().filter(|t| t.currency == currency).map(|t| {
                    let flagged = findings_in(loaded, t.origin);
                    let mark = Mark {
                        x: t.year as f64 + 0.5,
                        y: t.amount.value(),
                        shape: if flagged.is_empty() { Shape::Filled } else { Shape::Flagged },
                        color: RGBColor(31, 111, 180),
                    };
                    let mut label = format!("{}: {} {}", t.year, t.amount, t.currency);
                    if let Some(y) = &t.yoy { label.push_str(&format!(", stated {y}")); }
                    for d in &flagged { label.push_str(&format!("; {} {}", d.code.id(), d.message)); }
                    let (name, line) = line_of(loaded, t.origin.file, t.origin.span);
                    let _ = name;
                    (mark, (format!("#{}", line_anchor(t.origin.file, line)), label))
                }).collect();
                @let marks: Vec<Mark> = points.iter().map(|p| p.0).collect();
                @let hits: Vec<(String, String)> = points.iter().map(|p| p.1.clone()).collect();
                @match chart::series(&currency, &marks) {
                    Ok(c) => (overlay(&c, &hits)),
                    Err(e) => (chart_failed("trade chart", &e)),
                }
                div.scroll { table {
                    thead { tr { th { "year" } th.num { "amount" } th.num { "stated change" } th.num { "computed change" } th { "findings" } th { "sources" } } }
                    tbody {
                        @for t in &rel.trade {
                            @let flagged = findings_in(loaded, t.origin);
                            tr.flagged[!flagged.is_empty()] {
                                td { (t.year) }
                                td.num { (t.amount) " " (t.currency) }
                                td.num { @if let Some(y) = &t.yoy { (y) } @else { "—" } }
                                td.num { (crate::query::computed_change_text(rel, t).unwrap_or_else(|| "—".into())) }
                                td { @for d in &flagged { (diag_link(loaded, d)) " " } }
                                td { (sources_list(model, &t.sources)) }
                            }
                        }
                    }
                } }
            }
        }
        @if !model.figures.is_empty() {
            h3 { "Other figures and targets" }
            div.scroll { table {
                thead { tr { th { "date" } th { "metric" } th { "of" } th.num { "amount" } th { "goal?" } th { "sources" } } }
                tbody {
                    @for f in &model.figures {
                        tr {
                            td.date { (f.when) }
                            td { (f.metric) }
                            td { (match f.of {
                                FigureOf::Pair(a, b) => model.pair_name((a, b)),
                                FigureOf::Flow(a, b) => format!("{} → {}", model.actor_name(a), model.actor_name(b)),
                                FigureOf::One(a) => model.actor_name(a).to_string(),
                            }) }
                            td.num { (f.amount) @if let Some(u) = &f.unit { " " (u) } }
                            td { @if f.target { "target" } @else { "outcome" } }
                            td { (sources_list(model, &f.sources)) }
                        }
                    }
                }
            } }
        }
    }
}

fn diag_link(loaded: &Loaded, d: &Diagnostic) -> Markup {
    let class = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "advice",
    };
    match &d.primary {
        Some(l) => {
            let (name, line) = line_of(loaded, l.file, l.span);
            html! { a.code.(class) href=(format!("#{}", line_anchor(l.file, line))) title=(format!("{name}:{line}: {}", d.message)) { (d.code.id().trim_start_matches("rel::")) } }
        }
        None => {
            html! { span.code.(class) title=(d.message) { (d.code.id().trim_start_matches("rel::")) } }
        }
    }
}

fn claims(loaded: &Loaded) -> Markup {
    let model = &loaded.model;
    html! {
        div.scroll { table.claims {
            thead { tr { th { "verdict" } th { "kind" } th { "claim or assertion" } th { "what the model holds" } th { "sources" } } }
            tbody {
                @for c in &model.checks {
                    @let found = findings_in(loaded, c.origin);
                    @let holds = found.iter().find_map(|d| d.primary.as_ref().map(|l| l.text.clone())).unwrap_or_default();
                    tr {
                        td { span.badge.(c.verdict_word()) { (c.verdict_word()) } }
                        td { (c.kind.word()) }
                        td { code { (c.text) } }
                        td { (holds) @for d in &found { " " (diag_link(loaded, d)) } }
                        td { (sources_list(model, &c.sources)) }
                    }
                }
            }
        } }
    }
}

fn diagnostics(loaded: &Loaded) -> Markup {
    let shown: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Advice)
        .collect();
    html! {
        @if shown.is_empty() {
            p { "No errors or warnings." }
        } @else {
            ul.diagnostics {
                @for d in shown {
                    li {
                        (diag_link(loaded, d)) " "
                        @if let Some(l) = &d.primary {
                            @let (name, line) = line_of(loaded, l.file, l.span);
                            a href=(format!("#{}", line_anchor(l.file, line))) { (name) ":" (line) } " "
                        }
                        strong { (d.message) }
                        @if let Some(h) = &d.help { br; span.help { (h) } }
                    }
                }
            }
        }
    }
}

/// Each source with what cites it.
fn sources(model: &Model) -> Markup {
    let mut support: Vec<[usize; 5]> = vec![[0; 5]; model.sources.len()];
    let mut count = |sources: &[SourceId], k: usize| {
        for s in sources {
            support[s.index()][k] += 1;
        }
    };
    for e in model.events.iter() {
        count(&e.sources, 0);
    }
    for r in model.relations.values() {
        for l in &r.levels {
            count(&l.sources, 1);
        }
        for t in &r.trade {
            count(&t.sources, 2);
        }
    }
    for f in &model.figures {
        count(&f.sources, 2);
    }
    for s in &model.statements {
        count(&s.sources, 3);
    }
    for c in &model.checks {
        count(&c.sources, 4);
    }
    let words = [
        "event",
        "level",
        "figure",
        "statement",
        "claim or assertion",
    ];
    html! {
        div.scroll { table {
            thead { tr { th { "id" } th { "title" } th { "published" } th { "supports" } } }
            tbody {
                @for (i, s) in model.sources.values().enumerate() {
                    tr id=(format!("src-{}", s.id)) {
                        td.id { code { (s.id) } }
                        td { @if let Some(u) = &s.url { a href=(u) rel="noreferrer" { (s.title) } } @else { (s.title) } }
                        td.date { @if let Some(p) = s.published { (p) } @else { "—" } }
                        td {
                            @let parts: Vec<String> = words.iter().zip(support[i]).filter(|(_, n)| *n > 0).map(|(w, n)| crate::diag::plural(n, w)).collect();
                            @if parts.is_empty() { "nothing yet" } @else { (parts.join(", ")) }
                        }
                    }
                }
            }
        } }
    }
}

fn events_table(model: &Model) -> Markup {
    html! {
        div.scroll { table.events {
            thead { tr { th { "#" } th { "date" } th { "event" } th { "sources" } } }
            tbody {
                @for (i, e) in model.events.iter().enumerate() {
                    tr id=(event_anchor(i)) class=[e.details().status.map(|s| s.word())] {
                        td { (i + 1) }
                        td.date { (e.when) }
                        td {
                            span.swatch style=(format!("background: {}", css_color(kind_color(e.kind)))) {}
                            @if let Some(s) = e.details().status { span.badge.undecided { (s.word()) } " " }
                            (event_text(model, e))
                        }
                        td { (sources_list(model, &e.sources)) }
                    }
                }
            }
        } }
    }
}

/// The text of every file read, each line with an anchor diagnostics
/// link to.
fn source_text(loaded: &Loaded) -> Markup {
    html! {
        @for (id, f) in loaded.sources.files() {
            details {
                summary { (f.name) " (" (f.text.lines().count()) " lines)" }
                pre.source {
                    @for (n, line) in f.text.lines().enumerate() {
                        span.line id=(line_anchor(id, n + 1)) { span.ln { (n + 1) } (line) "\n" }
                    }
                }
            }
        }
    }
}

/// Pairs with levels, trade or diplomatic relations recorded.
fn pairs(model: &Model) -> usize {
    let mut all: Vec<(ActorId, ActorId)> = model.relations.keys().copied().collect();
    all.extend(model.diplomatic.iter().map(|d| pair_key(d.a, d.b)));
    all.sort();
    all.dedup();
    all.len()
}

const STYLE: &str = include_str!("report.css");

/// The report page for a loaded file, shown as `name`.
pub fn page(loaded: &Loaded, name: &str) -> String {
    let model = &loaded.model;
    let verdicts = |w: &str| {
        model
            .checks
            .iter()
            .filter(|c| c.verdict_word() == w)
            .count()
    };
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Rel report: " (name) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (name) }
                    p.summary {
                        (crate::diag::plural(model.actors.len(), "actor")) " · "
                        (crate::diag::plural(model.events.len(), "event")) " · "
                        (crate::diag::plural(pairs(model), "relation")) " · "
                        (crate::diag::plural(model.sources.len(), "source")) " · "
                        (loaded.summary())
                    }
                    nav { a href="#timeline" { "Timeline" } a href="#levels" { "Levels" } a href="#figures" { "Figures" } a href="#claims" { "Claims" } a href="#diagnostics" { "Diagnostics" } a href="#sources" { "Sources" } }
                }
                main {
                    section #timeline {
                        h2 { "Timeline" }
                        p.lead { "Each row is a state or bloc; an event sits on the row of every side it belongs to, its people's states included. Point at a mark for the event; click it for its row below." }
                        (timeline(model))
                        details.events-list open {
                            summary { "All " (model.events.len()) " events" }
                            (events_table(model))
                        }
                    }
                    section #levels {
                        h2 { "Levels" }
                        p.lead { "Each relation's partnership level on its ladder. A step links to the event it came with." }
                        (staircases(model))
                    }
                    section #figures {
                        h2 { "Figures" }
                        p.lead { "Amounts by year; a red mark is a figure a diagnostic is about (point at it for the finding)." }
                        (figures(loaded))
                    }
                    section #claims {
                        h2 { "Claims and assertions" }
                        p.lead { (verdicts("supported")) " supported, " (verdicts("contradicted")) " contradicted, " (verdicts("undecided")) " undecided; " (verdicts("holds")) " assertions hold, " (verdicts("fails")) " fail." }
                        (claims(loaded))
                    }
                    section #diagnostics {
                        h2 { "Diagnostics" }
                        (diagnostics(loaded))
                        (source_text(loaded))
                    }
                    section #sources {
                        h2 { "Sources" }
                        (sources(model))
                    }
                }
                footer { p { "Made by " code { "rel report" } " from " (name) ". This page loads nothing from the network." } }
            }
        }
    };
    page.into_string()
}

/// Writes the report for `loaded` to `path`, whole or not at all.
pub fn write(loaded: &Loaded, name: &str, path: &std::path::Path) -> Result<(), Diagnostic> {
    crate::write::write_atomically(path, &page(loaded, name)).map_err(|e| {
        Diagnostic::new(
            crate::diag::Code::OutputUnwritable,
            format!(
                "cannot write `{}`: {}",
                path.display(),
                crate::load::io_reason(&e)
            ),
        )
        .help("check that the directory exists and can be written to; nothing was written there")
    })
}
