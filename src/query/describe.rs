//! One-line descriptions of the model's facts, shared by query tables and
//! `rel eval`'s text.

use super::Item;
use crate::model::*;

/// ` [a, b]` for cited facts, nothing for uncited ones.
pub fn sources_suffix(model: &Model, sources: &[SourceId]) -> String {
    if sources.is_empty() {
        String::new()
    } else {
        let ids: Vec<&str> = sources
            .iter()
            .map(|s| model.source(*s).id.as_str())
            .collect();
        format!("  [{}]", ids.join(", "))
    }
}

fn names(model: &Model, ids: &[ActorId]) -> String {
    ids.iter()
        .map(|a| model.actor_name(*a))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line saying what an event is, without its date.
pub fn describe_event(model: &Model, e: &Event) -> String {
    let more = e.details().more();
    let mut s = match e.kind {
        EventKind::Visit => format!(
            "{} -> {}",
            names(model, &e.participants),
            e.to.map(|t| model.actor_name(t)).unwrap_or("?")
        ),
        EventKind::Meeting | EventKind::Call => e
            .participants
            .iter()
            .map(|&a| match more.capacity.iter().find(|c| c.who == a) {
                Some(c) => format!("{} capacity {}", model.actor_name(a), c.office),
                None => model.actor_name(a).to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        EventKind::Elected | EventKind::Reelected => format!(
            "{} {} of {}",
            names(model, &e.participants),
            more.office.as_deref().unwrap_or("?"),
            e.to.map(|t| model.actor_name(t)).unwrap_or("?")
        ),
        EventKind::Agreement => format!(
            "\"{}\" between {}",
            e.details().title.as_deref().unwrap_or(""),
            names(model, &e.participants)
        ),
        EventKind::Summit => format!("\"{}\"", e.details().title.as_deref().unwrap_or("")),
        EventKind::Other => format!(
            "{} \"{}\" by {}",
            e.subkind.as_deref().unwrap_or("?"),
            e.details().title.as_deref().unwrap_or(""),
            names(model, &e.participants)
        ),
    };
    if let (Some(k), false) = (&e.subkind, e.kind == EventKind::Other) {
        s.push_str(&format!(" kind {k}"));
    }
    if let Some(t) = &more.time {
        s.push_str(&format!(" {t}"));
    }
    if let Some(m) = &e.mode {
        if !(e.kind == EventKind::Call && m.as_str() == "phone") {
            s.push_str(&format!(" mode {m}"));
        }
    }
    if let (EventKind::Visit, Some(c)) = (e.kind, more.capacity.first()) {
        s.push_str(&format!(" capacity {}", c.office));
    }
    if let Some(i) = more.invited_by {
        s.push_str(&format!(" invited_by {}", model.actor_name(i)));
    }
    if let Some(h) = e.details().host {
        s.push_str(&format!(" host {}", model.actor_name(h)));
    }
    if !more.with.is_empty() {
        s.push_str(&format!(" with {}", names(model, &more.with)));
    }
    if !e.details().topics.is_empty() {
        let quoted: Vec<String> = e
            .details()
            .topics
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect();
        s.push_str(&format!(" topics {}", quoted.join(", ")));
    }
    if let Some(status) = e.details().status {
        s.push_str(&format!(" status {}", status.word()));
    }
    if let Some(trip) = e.details().during {
        let label = model.event(trip).details().label.as_deref().unwrap_or("?");
        s.push_str(&format!(" during {label}"));
    }
    match &e.details().at {
        Some(p @ Place::Named(_)) => s.push_str(&format!(" at \"{}\"", model.place_name(p))),
        Some(p) => s.push_str(&format!(" at {}", model.place_name(p))),
        None => {}
    }
    if let Some(r) = &more.reason {
        s.push_str(&format!(" reason \"{}\"", r.replace('\n', "\\n")));
    }
    if let Some(l) = &e.details().label {
        s.push_str(&format!(" as {l}"));
    }
    for other in &more.dated {
        s.push_str(&format!(
            " (also dated {}{})",
            other.when,
            sources_suffix(model, &other.sources).replace("  [", " [")
        ));
    }
    s.push_str(&sources_suffix(model, &e.sources));
    s
}

/// What an item is and a one-line summary, for mixed tables.
pub fn describe_item(model: &Model, item: Item) -> (String, String) {
    match item {
        Item::Event(id) => {
            let e = model.event(id);
            (e.kind.word().to_string(), describe_event(model, e))
        }
        Item::Level(key, i) => {
            let rel = &model.relations[&key];
            ("level".into(), describe_level(model, &rel.levels[i]))
        }
        Item::Trade(key, i) => {
            let rel = &model.relations[&key];
            ("trade".into(), describe_trade(model, rel, &rel.trade[i]))
        }
        Item::Statement(i) => {
            let s = &model.statements[i];
            ("statement".into(), describe_statement(model, s))
        }
        Item::Actor(a) => {
            let act = model.actor(a);
            (
                act.kind.word().into(),
                format!("{} \"{}\"", act.id, act.name),
            )
        }
        Item::Role(i) => {
            let r = &model.roles[i];
            let holder = model.actor_name(r.holder);
            (
                "role".into(),
                format!("{holder} {}", describe_role(model, r)),
            )
        }
        Item::Source(i) => {
            let s = &model.sources[i];
            ("source".into(), format!("{} \"{}\"", s.id, s.title))
        }
        Item::Check(i) => {
            let c = &model.checks[i];
            (c.kind.word().into(), c.text.clone())
        }
        Item::Ladder(i) => {
            let l = &model.ladders[i];
            let rungs: Vec<&str> = l.rungs.iter().map(|r| r.id.as_str()).collect();
            ("ladder".into(), format!("{}: {}", l.id, rungs.join(" < ")))
        }
        Item::Membership(i) => {
            let ms = &model.memberships[i];
            ("member".into(), describe_membership(model, ms))
        }
        Item::Diplomatic(i) => {
            let d = &model.diplomatic[i];
            (
                "relations".into(),
                format!(
                    "{} {}{}",
                    model.pair_name((d.a, d.b)),
                    d.change.word(),
                    sources_suffix(model, &d.sources)
                ),
            )
        }
        Item::Figure(i) => {
            let f = &model.figures[i];
            let word = if f.target { "target" } else { "figure" };
            (word.into(), describe_figure(model, f))
        }
    }
}

/// `Bolivia of Mercosur since 2024-07-08 [almanac]`.
pub fn describe_membership(model: &Model, ms: &Membership) -> String {
    use crate::date::{OPEN_END, OPEN_START};
    let mut s = format!(
        "{} of {}",
        model.actor_name(ms.member),
        model.actor_name(ms.of)
    );
    match (ms.when.lo == OPEN_START, ms.when.hi == OPEN_END) {
        (true, true) => {}
        (false, true) | (true, false) => s.push_str(&format!(" {}", ms.when.tenure())),
        (false, false) => s.push_str(&format!(" {}", ms.when)),
    }
    s.push_str(&sources_suffix(model, &ms.sources));
    s
}

/// `investment Chile->Kenya 170m USD [sourceA]`.
pub fn describe_figure(model: &Model, f: &FigureFact) -> String {
    let of = match f.of {
        FigureOf::Pair(a, b) => model.pair_name((a, b)),
        FigureOf::Flow(a, b) => format!("{}->{}", model.actor_name(a), model.actor_name(b)),
        FigureOf::One(a) => model.actor_name(a).to_string(),
    };
    let mut s = format!("{} {of} {}", f.metric, f.amount);
    if let Some(u) = &f.unit {
        s.push_str(&format!(" {u}"));
    }
    s.push_str(&sources_suffix(model, &f.sources));
    s
}

pub fn describe_level(model: &Model, l: &LevelChange) -> String {
    let mut s = model.level_name(l).to_string();
    if let Some(v) = l.via {
        s.push_str(&format!(
            " via {}",
            model.event(v).details().label.as_deref().unwrap_or("?")
        ));
    }
    if l.downgrade {
        s.push_str(" downgrade");
    }
    s.push_str(&sources_suffix(model, &l.sources));
    s
}

pub fn describe_trade(model: &Model, rel: &Relation, t: &TradeFigure) -> String {
    let mut s = format!("{} {}", t.amount, t.currency);
    if let Some(y) = t.yoy {
        s.push_str(&format!(" yoy {y}"));
    }
    if let Some(c) = super::computed_change_text(rel, t) {
        s.push_str(&format!(" (computed {c})"));
    }
    s.push_str(&sources_suffix(model, &t.sources));
    s
}

pub fn describe_statement(model: &Model, s: &Say) -> String {
    let mut out = model.actor_name(s.speaker).to_string();
    for &w in &s.with {
        out.push_str(&format!(", {}", model.actor_name(w)));
    }
    if let Some(p) = s.about {
        out.push_str(&format!(" about {}", model.pair_name(p)));
    }
    for &a in &s.about_actors {
        out.push_str(&format!(" about {}", model.actor_name(a)));
    }
    for t in &s.topics {
        out.push_str(&format!(" about \"{t}\""));
    }
    if let Some(c) = &s.capacity {
        out.push_str(&format!(" capacity {c}"));
    }
    out.push_str(&format!(": \"{}\"", s.text.replace('\n', "\\n")));
    out.push_str(&sources_suffix(model, &s.sources));
    out
}

/// A role without its holder: `president of China since 2013-03-14
/// [factcheck]`, as `rel eval` lists it under the holder.
pub fn describe_role(model: &Model, r: &Role) -> String {
    let mut s = format!("{} of {}", r.office, model.actor_name(r.of));
    if let Some(t) = r.to {
        s.push_str(&format!(" to {}", model.actor_name(t)));
    }
    s.push_str(&format!(
        " {}{}",
        r.when.tenure(),
        sources_suffix(model, &r.sources)
    ));
    s
}
