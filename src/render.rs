//! `rel eval`: the evaluated model as stable, readable text, and its JSON
//! form with names in place of interned ids.

use crate::model::*;
use crate::query::describe::{
    describe_event, describe_level, describe_role, describe_statement, describe_trade,
    sources_suffix,
};
use crate::query::{aligned, computed_change_text};
use serde_json::{json, Value};

/// The whole model as text, section by section. Empty sections are left
/// out; the order within each follows the model (declaration or date).
pub fn eval_text(model: &Model) -> String {
    let sections = [
        ("sources", sources_text(model)),
        ("actors", actors_text(model)),
        ("ladders", ladders_text(model)),
        ("relations", relations_text(model)),
        ("diplomatic relations", diplomatic_text(model)),
        ("memberships", memberships_text(model)),
        ("figures", figures_text(model)),
        ("timeline", timeline_text(model)),
        ("statements", statements_text(model)),
        ("checks", checks_text(model)),
    ];
    let mut out = String::new();
    for (title, body) in sections {
        if !body.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(title);
            out.push('\n');
            out.push_str(&body);
        }
    }
    out
}

/// Each source with its date and how often it is cited.
fn sources_text(model: &Model) -> String {
    let rows: Vec<Vec<String>> = model
        .sources
        .values()
        .map(|s| {
            let mut meta = String::new();
            if let Some(p) = s.published {
                meta.push_str(&format!("published {p}"));
            }
            vec![
                s.id.clone(),
                format!("\"{}\"", s.title),
                meta,
                format!("cited {}", s.cited),
            ]
        })
        .collect();
    aligned(&rows, "  ")
}

/// Each actor, with its roles right under it.
fn actors_text(model: &Model) -> String {
    let mut body = String::new();
    let rows: Vec<Vec<String>> = model
        .actors
        .values()
        .map(|a| {
            let mut name = a.name.clone();
            if !a.of.is_empty() {
                let of: Vec<&str> = a.of.iter().map(|&o| model.actor_name(o)).collect();
                name.push_str(&format!(" (of {})", of.join(", ")));
            }
            if !a.aka.is_empty() {
                name.push_str(&format!(" aka {}", a.aka.join(", ")));
            }
            name.push_str(&lifetime(model, a));
            vec![a.kind.word().to_string(), a.id.clone(), name]
        })
        .collect();
    let table = aligned(&rows, "  ");
    // Each actor's roles go right under it, lined up with its id.
    let kind_width = rows.iter().map(|r| r[0].len()).max().unwrap_or(0);
    let role_indent = " ".repeat(2 + kind_width + 2);
    for (line, (i, _)) in table.lines().zip(model.actors.values().enumerate()) {
        body.push_str(line);
        body.push('\n');
        for r in model.roles_of(ActorId(i as u32)) {
            body.push_str(&format!("{role_indent}role {}\n", describe_role(model, r)));
        }
    }
    body
}

/// What an actor's declaration says beyond its name: where a body sits,
/// what it is, when it existed and who succeeded it.
fn lifetime(model: &Model, a: &Actor) -> String {
    let mut s = String::new();
    if let Some(h) = a.host {
        s.push_str(&format!(" in {}", model.actor_name(h)));
    }
    if let Some(k) = &a.body_kind {
        s.push_str(&format!(" kind {k}"));
    }
    if let Some(w) = a.since {
        s.push_str(&format!(" since {}", w.start()));
    }
    if let Some(w) = a.until {
        s.push_str(&format!(" until {w}"));
    }
    if let Some(n) = a.succeeded_by {
        s.push_str(&format!(" succeeded_by {}", model.actor_name(n)));
    }
    s
}

/// Diplomatic relations established, severed, suspended, restored.
fn diplomatic_text(model: &Model) -> String {
    let rows: Vec<Vec<String>> = model
        .diplomatic
        .iter()
        .map(|d| {
            vec![
                d.when.to_string(),
                model.pair_name((d.a, d.b)),
                format!(
                    "{}{}",
                    d.change.word(),
                    crate::query::describe::sources_suffix(model, &d.sources)
                ),
            ]
        })
        .collect();
    aligned(&rows, "  ")
}

fn memberships_text(model: &Model) -> String {
    let rows: Vec<Vec<String>> = model
        .memberships
        .iter()
        .map(|m| vec![crate::query::describe::describe_membership(model, m)])
        .collect();
    aligned(&rows, "  ")
}

/// Figures of other metrics than trade, and targets.
fn figures_text(model: &Model) -> String {
    let rows: Vec<Vec<String>> = model
        .figures
        .iter()
        .map(|f| {
            let word = if f.target { "target" } else { "figure" };
            vec![
                f.when.to_string(),
                word.to_string(),
                crate::query::describe::describe_figure(model, f),
            ]
        })
        .collect();
    aligned(&rows, "  ")
}

/// Each ladder's levels, lowest first.
fn ladders_text(model: &Model) -> String {
    let mut body = String::new();
    for l in model.ladders.values() {
        body.push_str(&format!("  {}\n", l.id));
        let rows: Vec<Vec<String>> = l
            .rungs
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    format!("{}", i + 1),
                    r.id.clone(),
                    format!("\"{}\"", r.name),
                ]
            })
            .collect();
        body.push_str(&aligned(&rows, "    "));
    }
    body
}

/// Each relation's level history and trade figures.
fn relations_text(model: &Model) -> String {
    let mut body = String::new();
    for (&key, rel) in &model.relations {
        body.push_str(&format!("  {}", model.pair_name(key)));
        if let Some(l) = rel.ladder {
            body.push_str(&format!("  ladder {}", model.ladder(l).id));
        }
        body.push('\n');
        if !rel.levels.is_empty() {
            body.push_str("    levels\n");
            let rows: Vec<Vec<String>> = rel
                .levels
                .iter()
                .map(|l| vec![l.when.to_string(), describe_level(model, l)])
                .collect();
            body.push_str(&aligned(&rows, "      "));
        }
        if !rel.trade.is_empty() {
            body.push_str("    trade\n");
            let rows: Vec<Vec<String>> = rel
                .trade
                .iter()
                .map(|t| vec![t.year.to_string(), describe_trade(model, rel, t)])
                .collect();
            body.push_str(&aligned(&rows, "      "));
        }
    }
    body
}

/// Every event in date order.
fn timeline_text(model: &Model) -> String {
    let rows: Vec<Vec<String>> = model
        .events
        .iter()
        .map(|e| {
            vec![
                e.when.to_string(),
                e.kind.word().to_string(),
                describe_event(model, e),
            ]
        })
        .collect();
    aligned(&rows, "  ")
}

/// Every statement in date order.
fn statements_text(model: &Model) -> String {
    let rows: Vec<Vec<String>> = model
        .statements
        .iter()
        .map(|s| vec![s.when.to_string(), describe_statement(model, s)])
        .collect();
    aligned(&rows, "  ")
}

/// Every check with its verdict.
fn checks_text(model: &Model) -> String {
    let rows: Vec<Vec<String>> = model
        .checks
        .iter()
        .map(|c| {
            vec![
                c.kind.word().to_string(),
                c.verdict_word().to_string(),
                format!("{}{}", c.text, sources_suffix(model, &c.sources)),
            ]
        })
        .collect();
    aligned(&rows, "  ")
}

fn ids(model: &Model, sources: &[SourceId]) -> Value {
    json!(sources
        .iter()
        .map(|s| model.source(*s).id.as_str())
        .collect::<Vec<_>>())
}

fn opt_name(model: &Model, a: Option<ActorId>) -> Value {
    a.map(|a| json!(model.actor_name(a))).unwrap_or(Value::Null)
}

/// The model as JSON, with actor, source and event ids as names.
pub fn eval_json(model: &Model) -> Value {
    let sources: Vec<Value> = model
        .sources
        .values()
        .map(|s| json!({"id": s.id, "title": s.title, "published": s.published, "url": s.url, "cited": s.cited}))
        .collect();
    let actors: Vec<Value> = model
        .actors
        .values()
        .enumerate()
        .map(|(i, a)| {
            let roles: Vec<Value> = model
                .roles_of(ActorId(i as u32))
                .map(|r| json!({"office": r.office, "of": model.actor_name(r.of), "to": opt_name(model, r.to), "when": r.when, "sources": ids(model, &r.sources)}))
                .collect();
            let mut actor = json!({"id": a.id, "kind": a.kind, "name": a.name, "aka": a.aka, "of": a.of.iter().map(|&o| model.actor_name(o)).collect::<Vec<_>>(), "roles": roles, "sources": ids(model, &a.sources)});
            // What only some actors say, present only when said.
            let extra = [
                ("in", opt_name(model, a.host)),
                ("body_kind", json!(a.body_kind)),
                ("since", json!(a.since)),
                ("until", json!(a.until)),
                ("succeeded_by", opt_name(model, a.succeeded_by)),
                ("iso", json!(a.iso)),
                ("office", json!(a.office.as_ref().map(|(o, of)| json!({"office": o, "of": model.actor_name(*of)})))),
            ];
            for (key, value) in extra {
                if !value.is_null() {
                    actor[key] = value;
                }
            }
            actor
        })
        .collect();
    let ladders: Vec<Value> = model
        .ladders
        .values()
        .map(|l| json!({"id": l.id, "levels": l.rungs}))
        .collect();
    let relations: Vec<Value> = model
        .relations
        .iter()
        .map(|(&key, rel)| relation_json(model, key, rel))
        .collect();
    let events: Vec<Value> = model.events.iter().map(|e| event_json(model, e)).collect();
    let statements: Vec<Value> = model
        .statements
        .iter()
        .map(|s| {
            json!({
                "date": s.when,
                "speaker": model.actor_name(s.speaker),
                "speakers": std::iter::once(s.speaker).chain(s.with.iter().copied()).map(|a| model.actor_name(a)).collect::<Vec<_>>(),
                "about": s.about.map(|p| model.pair_name(p)),
                "about_actors": s.about_actors.iter().map(|&a| model.actor_name(a)).collect::<Vec<_>>(),
                "topics": s.topics,
                "capacity": s.capacity,
                "text": s.text,
                "sources": ids(model, &s.sources),
            })
        })
        .collect();
    let checks: Vec<Value> = model
        .checks
        .iter()
        .map(|c| json!({"kind": c.kind, "text": c.text, "verdict": c.verdict_word(), "sources": ids(model, &c.sources)}))
        .collect();
    let diplomatic: Vec<Value> = model
        .diplomatic
        .iter()
        .map(|d| json!({"date": d.when, "pair": model.pair_name((d.a, d.b)), "change": d.change, "sources": ids(model, &d.sources)}))
        .collect();
    let memberships: Vec<Value> = model
        .memberships
        .iter()
        .map(|m| json!({"member": model.actor_name(m.member), "of": model.actor_name(m.of), "when": m.when, "sources": ids(model, &m.sources)}))
        .collect();
    let figures: Vec<Value> = model
        .figures
        .iter()
        .map(|f| figure_json(model, f))
        .collect();
    json!({
        "sources": sources,
        "actors": actors,
        "ladders": ladders,
        "relations": relations,
        "diplomatic": diplomatic,
        "memberships": memberships,
        "events": events,
        "statements": statements,
        "figures": figures,
        "checks": checks,
    })
}

/// One figure or target in [`eval_json`].
fn figure_json(model: &Model, f: &FigureFact) -> Value {
    let of = match f.of {
        FigureOf::Pair(a, b) => json!({"pair": model.pair_name((a, b))}),
        FigureOf::Flow(a, b) => json!({"from": model.actor_name(a), "to": model.actor_name(b)}),
        FigureOf::One(a) => json!({"actor": model.actor_name(a)}),
    };
    json!({
        "metric": f.metric,
        "of": of,
        "date": f.when,
        "amount": f.amount,
        "interval": [f.amount.interval().lo, f.amount.interval().hi],
        "unit": f.unit,
        "target": f.target,
        "sources": ids(model, &f.sources),
    })
}

/// One relation in [`eval_json`]: its level history and trade figures.
fn relation_json(model: &Model, key: (ActorId, ActorId), rel: &Relation) -> Value {
    let levels: Vec<Value> = rel
        .levels
        .iter()
        .map(|l| {
            json!({
                "since": l.when,
                "level": model.level_name(l),
                "via": l.via.and_then(|v| model.event(v).details().label.clone()),
                "downgrade": l.downgrade,
                "sources": ids(model, &l.sources),
            })
        })
        .collect();
    let trade: Vec<Value> = rel
        .trade
        .iter()
        .map(|t| {
            json!({
                "year": t.year,
                "amount": t.amount,
                "currency": t.currency,
                "yoy": t.yoy,
                "computed_yoy": computed_change_text(rel, t),
                "sources": ids(model, &t.sources),
            })
        })
        .collect();
    json!({
        "pair": model.pair_name(key),
        "ladder": rel.ladder.map(|l| model.ladder(l).id.clone()),
        "levels": levels,
        "trade": trade,
    })
}

/// Each participant's capacity, by id, or `null` when none is given.
fn capacity_json(model: &Model, e: &Event) -> Value {
    let given = &e.details().more().capacity;
    if given.is_empty() {
        return Value::Null;
    }
    let map: serde_json::Map<String, Value> = given
        .iter()
        .map(|c| (model.actor_name(c.who).to_string(), json!(c.office)))
        .collect();
    Value::Object(map)
}

/// One event in [`eval_json`].
fn event_json(model: &Model, e: &Event) -> Value {
    let at = e.details().at.as_ref().map(|p| model.place_name(p));
    json!({
        "date": e.when,
        "type": e.kind,
        "participants": e.participants.iter().map(|a| model.actor_name(*a)).collect::<Vec<_>>(),
        "to": opt_name(model, e.to),
        "title": e.details().title,
        "office": e.details().more().office,
        "kind": e.subkind,
        "mode": e.mode,
        "reason": e.details().more().reason,
        "invited_by": opt_name(model, e.details().more().invited_by),
        "host": opt_name(model, e.details().host),
        "at": at,
        "capacity": capacity_json(model, e),
        "label": e.details().label,
        "status": e.details().status,
        "with": e.details().more().with.iter().map(|a| model.actor_name(*a)).collect::<Vec<_>>(),
        "during": e.details().during.and_then(|t| model.event(t).details().label.clone()),
        "topics": e.details().topics,
        "time": e.details().more().time,
        "dated": e.details().more().dated.iter().map(|d| json!({"date": d.when, "sources": ids(model, &d.sources)})).collect::<Vec<_>>(),
        "sources": ids(model, &e.sources),
    })
}
