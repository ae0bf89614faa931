//! Events in the political-science event-data standards: CAMEO codes
//! (one row per directed dyad, as CAMEO-coded datasets have them) and
//! PLOVER records (one per event, as POLECAT publishes them). The mapping
//! is the table in `docs/export.md`; this module is that table in code.
//! What it cannot map is returned with the reason, never dropped.

use super::iso::{country_of, Iso};
use super::table::{event_id, unix_day};
use crate::model::*;
use crate::query::describe::describe_event;
use serde_json::{json, Value};

/// A CAMEO code with its name in the CAMEO codebook. Codes are strings:
/// `010` is not `10`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cameo {
    pub code: &'static str,
    pub name: &'static str,
}

const MAKE_STATEMENT: Cameo = Cameo {
    code: "010",
    name: "Make statement",
};
const INTENT_TO_MEET: Cameo = Cameo {
    code: "036",
    name: "Express intent to meet or negotiate",
};
const CONSULT: Cameo = Cameo {
    code: "040",
    name: "Consult",
};
const PHONE: Cameo = Cameo {
    code: "041",
    name: "Discuss by telephone",
};
const VISIT: Cameo = Cameo {
    code: "042",
    name: "Make a visit",
};
const HOST: Cameo = Cameo {
    code: "043",
    name: "Host a visit",
};
const THIRD_LOCATION: Cameo = Cameo {
    code: "044",
    name: "Meet at a 'third' location",
};
const RECOGNITION: Cameo = Cameo {
    code: "054",
    name: "Grant diplomatic recognition",
};
const SIGN_AGREEMENT: Cameo = Cameo {
    code: "057",
    name: "Sign formal agreement",
};
const BREAK_RELATIONS: Cameo = Cameo {
    code: "161",
    name: "Reduce or break diplomatic relations",
};

/// A PLOVER event type, mode and context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plover {
    pub event: &'static str,
    pub mode: &'static str,
    pub context: &'static str,
}

const fn plover(event: &'static str, mode: &'static str, context: &'static str) -> Plover {
    Plover {
        event,
        mode,
        context,
    }
}

/// A PLOVER record's actors and recipients with its codes.
fn with_sides(
    p: Plover,
    (actors, recipients): (Vec<ActorId>, Vec<ActorId>),
) -> (Plover, Vec<ActorId>, Vec<ActorId>) {
    (p, actors, recipients)
}

/// The first participant acts, the others receive: PLOVER records have an
/// actor and a recipient side.
fn first_rest(participants: &[ActorId]) -> (Vec<ActorId>, Vec<ActorId>) {
    (
        participants.iter().take(1).copied().collect(),
        participants.iter().skip(1).copied().collect(),
    )
}

/// `event` subkinds that are statements (CAMEO 010) or signings (057).
const STATEMENT_SUBKINDS: &[&str] = &[
    "speech",
    "address",
    "statement",
    "press_conference",
    "declaration",
];
const SIGNING_SUBKINDS: &[&str] = &["signing"];

/// What an event or fact becomes: its codes, who acts and who is acted
/// on, or why it cannot be coded.
struct Coding {
    cameo: Result<Vec<(ActorId, Option<ActorId>, Cameo)>, String>,
    plover: Result<(Plover, Vec<ActorId>, Vec<ActorId>), String>,
}

/// A meeting is at a third location when it is held at a state that is
/// none of the participants' countries, or at a summit another state
/// hosts. A named place (`at "Moscow"`) says nothing the model can check.
fn third_location(model: &Model, e: &Event) -> bool {
    let countries: Vec<Option<Iso>> = e
        .participants
        .iter()
        .map(|&a| country_of(model, a))
        .collect();
    let foreign = |a: ActorId| {
        let c = country_of(model, a);
        c.is_some() && !countries.contains(&c)
    };
    match &e.details().at {
        Some(Place::Actor(a)) => foreign(*a),
        Some(Place::Event(s)) => {
            let summit = model.event(*s);
            summit.details().host.or(summit.to).is_some_and(foreign)
        }
        _ => false,
    }
}

/// Every ordered pair of distinct actors: each side of a meeting is coded
/// as acting toward each other.
fn dyads(actors: &[ActorId], code: Cameo) -> Vec<(ActorId, Option<ActorId>, Cameo)> {
    let mut out = Vec::new();
    for &a in actors {
        for &b in actors {
            if a != b {
                out.push((a, Some(b), code));
            }
        }
    }
    out
}

fn code_event(model: &Model, e: &Event) -> Coding {
    let status = e.details().status;
    if status == Some(EventStatus::Cancelled) {
        let why = "cancelled: CAMEO and PLOVER code what happened or was announced, not what was called off".to_string();
        return Coding {
            cameo: Err(why.clone()),
            plover: Err(why),
        };
    }
    let announced = status.is_some();
    let targets: Vec<ActorId> = e.to.into_iter().chain(e.details().host).collect();
    match e.kind {
        EventKind::Visit if announced => Coding {
            cameo: Ok(e
                .participants
                .iter()
                .map(|&v| (v, e.to, INTENT_TO_MEET))
                .collect()),
            plover: Ok(with_sides(
                plover("AGREE", "", "diplomatic"),
                (e.participants.to_vec(), targets),
            )),
        },
        EventKind::Visit => {
            let mut rows: Vec<_> = e.participants.iter().map(|&v| (v, e.to, VISIT)).collect();
            if let Some(host) = e.details().host.or(e.to) {
                rows.extend(e.participants.iter().map(|&v| (host, Some(v), HOST)));
            }
            Coding {
                cameo: Ok(rows),
                plover: Ok(with_sides(
                    plover("CONSULT", "visit", ""),
                    (e.participants.to_vec(), targets),
                )),
            }
        }
        EventKind::Meeting | EventKind::Call if announced => Coding {
            cameo: Ok(dyads(&e.participants, INTENT_TO_MEET)),
            plover: Ok(with_sides(
                plover("AGREE", "", "diplomatic"),
                first_rest(&e.participants),
            )),
        },
        EventKind::Meeting | EventKind::Call => {
            let phone = e.kind == EventKind::Call || e.mode.as_deref() == Some("phone");
            let third = third_location(model, e);
            let (code, mode) = if phone {
                (PHONE, "phone")
            } else if third {
                (THIRD_LOCATION, "third-party")
            } else {
                (CONSULT, "")
            };
            Coding {
                cameo: Ok(dyads(&e.participants, code)),
                plover: Ok(with_sides(
                    plover("CONSULT", mode, ""),
                    first_rest(&e.participants),
                )),
            }
        }
        EventKind::Summit => {
            let host: Vec<ActorId> = e.details().host.or(e.to).into_iter().collect();
            if host.is_empty() && e.participants.is_empty() {
                let why = "a summit with no host or participant has no actor to code".to_string();
                return Coding {
                    cameo: Err(why.clone()),
                    plover: Err(why),
                };
            }
            let mut actors = host.clone();
            actors.extend(e.participants.iter().copied().filter(|a| !host.contains(a)));
            Coding {
                cameo: Ok(if actors.len() > 1 {
                    dyads(&actors, CONSULT)
                } else {
                    vec![(actors[0], None, CONSULT)]
                }),
                plover: Ok(with_sides(
                    plover("CONSULT", "multilateral", ""),
                    (actors, Vec::new()),
                )),
            }
        }
        EventKind::Agreement => Coding {
            cameo: Ok(dyads(&e.participants, SIGN_AGREEMENT)),
            plover: Ok(with_sides(
                plover("SUPPORT", "", "diplomatic"),
                first_rest(&e.participants),
            )),
        },
        EventKind::Elected | EventKind::Reelected => {
            let why = "an election is a domestic event: no dyad to code".to_string();
            Coding {
                cameo: Err(why.clone()),
                plover: Err(why),
            }
        }
        EventKind::Other => {
            let sub = e.subkind.as_deref().unwrap_or("");
            if STATEMENT_SUBKINDS.contains(&sub) {
                let target = e.to.or(e.details().host);
                Coding {
                    cameo: Ok(e
                        .participants
                        .iter()
                        .map(|&a| (a, target, MAKE_STATEMENT))
                        .collect()),
                    plover: Err(format!(
                        "`event {sub}`: PLOVER has no event type for a statement (CAMEO 01)"
                    )),
                }
            } else if SIGNING_SUBKINDS.contains(&sub) {
                Coding {
                    cameo: Ok(dyads(&e.participants, SIGN_AGREEMENT)),
                    plover: Ok(with_sides(
                        plover("SUPPORT", "", "diplomatic"),
                        first_rest(&e.participants),
                    )),
                }
            } else {
                let why = format!("`event {sub}` is not in the mapping table");
                Coding {
                    cameo: Err(why.clone()),
                    plover: Err(why),
                }
            }
        }
    }
}

fn code_diplomatic(d: &Diplomatic) -> Coding {
    let (cameo, plover_code) = match d.change {
        RelationChange::Severed | RelationChange::Suspended => (
            BREAK_RELATIONS,
            plover("SANCTION", "withdraw", "diplomatic"),
        ),
        RelationChange::Established | RelationChange::Restored => {
            (RECOGNITION, plover("SUPPORT", "", "diplomatic"))
        }
    };
    Coding {
        cameo: Ok(dyads(&[d.a, d.b], cameo)),
        plover: Ok((plover_code, vec![d.a], vec![d.b])),
    }
}

fn code_statement(s: &Say) -> Coding {
    // A statement about a relation is addressed to its other side.
    let target = s.about.and_then(|(a, b)| {
        if a == s.speaker {
            Some(b)
        } else if b == s.speaker {
            Some(a)
        } else {
            None
        }
    });
    let speakers: Vec<ActorId> = std::iter::once(s.speaker)
        .chain(s.with.iter().copied())
        .collect();
    Coding {
        cameo: Ok(speakers
            .iter()
            .map(|&a| (a, target, MAKE_STATEMENT))
            .collect()),
        plover: Err("a statement: PLOVER has no event type for one (CAMEO 01)".to_string()),
    }
}

/// One fact coded: where it came from and what it became.
struct Item<'m> {
    /// `e12` for the 12th event in date order, `r3` for a change of
    /// diplomatic relations, `s4` for a statement.
    id: String,
    when: When,
    text: String,
    sources: &'m [SourceId],
    coding: Coding,
}

use crate::date::When;

fn items(model: &Model) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    for (i, e) in model.events.iter().enumerate() {
        out.push(Item {
            id: format!("e{}", event_id(EventId(i as u32))),
            when: e.when,
            text: event_text(model, e),
            sources: &e.sources,
            coding: code_event(model, e),
        });
    }
    for (i, d) in model.diplomatic.iter().enumerate() {
        out.push(Item {
            id: format!("r{}", i + 1),
            when: d.when,
            text: format!(
                "relations {} {}",
                model.pair_name((d.a, d.b)),
                d.change.word()
            ),
            sources: &d.sources,
            coding: code_diplomatic(d),
        });
    }
    for (i, s) in model.statements.iter().enumerate() {
        out.push(Item {
            id: format!("s{}", i + 1),
            when: s.when,
            text: format!("statement {} \"{}\"", model.actor_name(s.speaker), s.text),
            sources: &s.sources,
            coding: code_statement(s),
        });
    }
    // Date order across the three kinds; ids keep each kind's own order.
    out.sort_by_key(|it| it.when.sort_key());
    out
}

/// An event as `rel eval` describes it, without its sources (a column
/// of their own).
pub fn event_text(model: &Model, e: &Event) -> String {
    let full = describe_event(model, e);
    let suffix = crate::query::describe::sources_suffix(model, &e.sources);
    let bare = full.strip_suffix(suffix.as_str()).unwrap_or(&full);
    format!("{} {}", e.kind.word(), bare.trim_end())
}

/// What an export could not map: one line each, for the warning.
pub type Unmapped = Vec<String>;

fn day(d: i32) -> Option<String> {
    unix_day(d).map(|_| {
        crate::date::from_day_number(d)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    })
}

fn actor_json(model: &Model, a: ActorId) -> Value {
    let actor = model.actor(a);
    json!({
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "country": country_of(model, a).map(|c| c.alpha3),
    })
}

/// Actors named in the output that have no country code, once each.
fn uncoded_actors(model: &Model, actors: impl IntoIterator<Item = ActorId>) -> Unmapped {
    let mut seen: Vec<ActorId> = Vec::new();
    for a in actors {
        if !seen.contains(&a) && country_of(model, a).is_none() {
            seen.push(a);
        }
    }
    seen.sort();
    seen.into_iter()
        .map(|a| {
            let actor = model.actor(a);
            format!(
                "{} {} has no ISO 3166 code: {}",
                actor.kind.word(),
                actor.id,
                if actor.kind == ActorKind::Bloc {
                    "a bloc is not a country"
                } else {
                    "its name is not in the built-in table, nor that of a state it is `of`"
                }
            )
        })
        .collect()
}

/// PLOVER records, one JSON object a line, and what could not be mapped.
pub fn plover_lines(model: &Model, dataset: &str) -> (String, Unmapped) {
    let mut out = String::new();
    let mut unmapped = Vec::new();
    let mut named = Vec::new();
    for it in items(model) {
        match &it.coding.plover {
            Ok((code, actors, recipients)) => {
                named.extend(actors.iter().chain(recipients).copied());
                let record = json!({
                    "id": format!("{dataset}-{}", it.id),
                    "date": day(it.when.lo),
                    "date_end": day(it.when.hi),
                    "date_as_written": it.when.to_string(),
                    "event": code.event,
                    "mode": code.mode,
                    "context": code.context,
                    "actor": actors.iter().map(|&a| actor_json(model, a)).collect::<Vec<_>>(),
                    "recipient": recipients.iter().map(|&a| actor_json(model, a)).collect::<Vec<_>>(),
                    "text": it.text,
                    "source": it.sources.iter().map(|s| source_json(model, *s)).collect::<Vec<_>>(),
                });
                out.push_str(&record.to_string());
                out.push('\n');
            }
            Err(why) => unmapped.push(format!("{} ({}, {}): {why}", it.id, it.when, it.text)),
        }
    }
    unmapped.extend(uncoded_actors(model, named));
    (out, unmapped)
}

fn source_json(model: &Model, s: SourceId) -> Value {
    let src = model.source(s);
    json!({"id": src.id, "title": src.title, "url": src.url, "published": src.published})
}

/// CAMEO rows as CSV, one per directed dyad, and what could not be mapped.
pub fn cameo_csv(model: &Model) -> Result<(String, Unmapped), csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "date",
        "date_end",
        "date_as_written",
        "source",
        "source_country",
        "target",
        "target_country",
        "cameo",
        "cameo_name",
        "text",
        "sources",
    ])?;
    let mut unmapped = Vec::new();
    let mut named = Vec::new();
    for it in items(model) {
        match &it.coding.cameo {
            Ok(rows) => {
                for &(src, tgt, code) in rows {
                    named.push(src);
                    named.extend(tgt);
                    let country = |a: Option<ActorId>| {
                        a.and_then(|a| country_of(model, a))
                            .map(|c| c.alpha3)
                            .unwrap_or("")
                    };
                    let sources: Vec<&str> = it
                        .sources
                        .iter()
                        .map(|s| model.source(*s).id.as_str())
                        .collect();
                    w.write_record([
                        it.id.as_str(),
                        &day(it.when.lo).unwrap_or_default(),
                        &day(it.when.hi).unwrap_or_default(),
                        &it.when.to_string(),
                        model.actor_name(src),
                        country(Some(src)),
                        tgt.map(|t| model.actor_name(t)).unwrap_or(""),
                        country(tgt),
                        code.code,
                        code.name,
                        &it.text,
                        &sources.join(";"),
                    ])?;
                }
            }
            Err(why) => unmapped.push(format!("{} ({}, {}): {why}", it.id, it.when, it.text)),
        }
    }
    unmapped.extend(uncoded_actors(model, named));
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok((String::from_utf8_lossy(&bytes).into_owned(), unmapped))
}
