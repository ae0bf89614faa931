//! Two text forms other tools draw: a Mermaid timeline of the events, and
//! a Graphviz DOT graph of the relations on one date.

use crate::date::When;
use crate::model::*;
use std::fmt::Write as _;

/// Mermaid reads `:` as a separator and `#` as the start of an entity,
/// and a line break ends an entry: write them as entities.
fn mermaid_text(s: &str) -> String {
    s.replace('#', "#35;")
        .replace(':', "#58;")
        .replace(['\n', '\r'], " ")
}

/// A Mermaid `timeline`: a section per year, an entry per date with the
/// events of that date. Planned, postponed and cancelled events say so.
pub fn mermaid(model: &Model, title: &str) -> String {
    let mut out = String::from("timeline\n");
    let _ = writeln!(out, "    title {}", mermaid_text(title));
    let mut year: Option<String> = None;
    let mut date: Option<String> = None;
    for e in model.events.iter() {
        let this_year = e.when.to_string().chars().take(4).collect::<String>();
        if year.as_deref() != Some(this_year.as_str()) {
            let _ = writeln!(out, "    section {this_year}");
            year = Some(this_year);
            date = None;
        }
        let mut what = super::events::event_text(model, e);
        if let Some(s) = e.details().status {
            what = format!("({}) {what}", s.word());
        }
        let when = e.when.to_string();
        if date.as_deref() == Some(when.as_str()) {
            let _ = writeln!(out, "        : {}", mermaid_text(&what));
        } else {
            let _ = writeln!(
                out,
                "        {} : {}",
                mermaid_text(&when),
                mermaid_text(&what)
            );
            date = Some(when);
        }
    }
    out
}

/// A DOT string literal.
fn quoted(s: &str) -> String {
    format!(
        "\"{}\"",
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}

/// The level a relation stood at on `on`: the last change that certainly
/// began by then.
pub fn level_on<'m>(rel: &'m Relation, on: &When) -> Option<&'m LevelChange> {
    rel.levels.iter().rev().find(|l| l.when.lo <= on.lo)
}

/// The relations as an undirected graph on `on`: an edge for each pair
/// with a partnership level then (labelled with it, thicker the higher
/// it stands on its ladder), and for each pair whose diplomatic relations
/// were then severed or suspended (dashed). Actors are the states and
/// blocs that have such an edge.
pub fn dot(model: &Model, on: &When) -> String {
    let mut edges: Vec<(ActorId, ActorId, String)> = Vec::new();
    for (&(a, b), rel) in &model.relations {
        let Some(level) = level_on(rel, on) else {
            continue;
        };
        let ladder = model.ladder(level.ladder);
        let width = 1.0 + 3.0 * (level.rung as f64) / (ladder.rungs.len().max(2) - 1) as f64;
        edges.push((
            a,
            b,
            format!(
                "label={}, penwidth={width:.1}, tooltip={}",
                quoted(&ladder.rungs[level.rung].name),
                quoted(&format!(
                    "{} since {}",
                    ladder.rungs[level.rung].id, level.when
                ))
            ),
        ));
    }
    let mut pairs: Vec<(ActorId, ActorId)> = model
        .diplomatic
        .iter()
        .map(|d| pair_key(d.a, d.b))
        .collect();
    pairs.dedup();
    for (a, b) in pairs {
        let Some(d) = model.relations_on(a, b, on) else {
            continue;
        };
        let state = d.change.state();
        if matches!(state, RelationChange::Severed | RelationChange::Suspended) {
            edges.push((
                a,
                b,
                format!(
                    "label={}, style=dashed, color=firebrick",
                    quoted(&format!("relations {} {}", state.word(), d.when))
                ),
            ));
        } else if !edges.iter().any(|(x, y, _)| (*x, *y) == (a, b)) {
            edges.push((
                a,
                b,
                format!(
                    "label={}, color=gray40",
                    quoted(&format!("relations since {}", d.when))
                ),
            ));
        }
    }
    let mut nodes: Vec<ActorId> = edges.iter().flat_map(|(a, b, _)| [*a, *b]).collect();
    nodes.sort();
    nodes.dedup();
    let mut out = String::from("graph relations {\n");
    let _ = writeln!(out, "  label={};", quoted(&format!("Relations on {on}")));
    out.push_str("  labelloc=t;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for n in &nodes {
        let actor = model.actor(*n);
        let _ = writeln!(
            out,
            "  {} [label={}, tooltip={}];",
            quoted(&actor.id),
            quoted(&actor.id),
            quoted(&actor.name)
        );
    }
    for (a, b, attrs) in edges {
        let _ = writeln!(
            out,
            "  {} -- {} [{attrs}];",
            quoted(model.actor_name(a)),
            quoted(model.actor_name(b))
        );
    }
    out.push_str("}\n");
    out
}
