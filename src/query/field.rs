//! Fields: what `.date`, `.to`, `.days` and the rest read from one item.
//!
//! [`Field`] is the one list of field names; [`fields_of`] says which an
//! item has, in the order tables and JSON show them. Suggestions for a
//! misspelt field come from these lists.

use super::eval::{bad, computed_change, item_kind, Evaluator};
use super::{Cell, Item};
use crate::date::When;
use crate::diag::{suggest, Diagnostic};
use crate::model::*;
use crate::syntax::ast::Ident;

macro_rules! fields {
    ($($variant:ident => $word:literal,)*) => {
        /// A field of an item, as written after a dot.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Field {
            $($variant,)*
        }

        impl Field {
            /// Every field, in declaration order.
            pub const ALL: &'static [Field] = &[$(Field::$variant,)*];

            pub fn word(self) -> &'static str {
                match self {
                    $(Field::$variant => $word,)*
                }
            }

            pub fn from_word(word: &str) -> Option<Field> {
                match word {
                    $($word => Some(Field::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

fields! {
    Date => "date",
    Type => "type",
    Kind => "kind",
    By => "by",
    Who => "who",
    Participants => "participants",
    To => "to",
    Mode => "mode",
    Reason => "reason",
    Title => "title",
    Office => "office",
    InvitedBy => "invited_by",
    Host => "host",
    At => "at",
    Label => "label",
    Days => "days",
    Sources => "sources",
    Level => "level",
    Name => "name",
    Rung => "rung",
    Ladder => "ladder",
    Relation => "relation",
    Via => "via",
    Downgrade => "downgrade",
    Year => "year",
    Amount => "amount",
    Currency => "currency",
    Yoy => "yoy",
    Change => "change",
    Speaker => "speaker",
    About => "about",
    Text => "text",
    Id => "id",
    Of => "of",
    Aka => "aka",
    Holder => "holder",
    Published => "published",
    Url => "url",
    Cited => "cited",
    Verdict => "verdict",
    Levels => "levels",
    Since => "since",
    Status => "status",
    With => "with",
    Topics => "topics",
    During => "during",
    Time => "time",
    Unit => "unit",
    Target => "target",
    Start => "start",
    End => "end",
}

/// The fields an item has, in the order tables and JSON show them.
pub fn fields_of(item: Item) -> &'static [Field] {
    use Field::*;
    match item {
        Item::Event(_) => &[
            Date,
            Type,
            Kind,
            By,
            Who,
            Participants,
            To,
            Mode,
            Reason,
            Title,
            Office,
            InvitedBy,
            Host,
            At,
            Label,
            Days,
            Status,
            With,
            Topics,
            During,
            Time,
            Start,
            End,
            Sources,
        ],
        Item::Level(..) => &[
            Date, Level, Name, Rung, Ladder, Relation, Via, Downgrade, Sources,
        ],
        Item::Trade(..) => &[Year, Date, Amount, Currency, Yoy, Change, Relation, Sources],
        Item::Statement(_) => &[Date, By, Speaker, About, Text, Sources],
        Item::Actor(_) => &[Id, Kind, Name, Of, Aka],
        Item::Role(_) => &[Holder, Who, Office, Of, To, Date, Since, End, Sources],
        Item::Source(_) => &[Id, Title, Published, Date, Url, Cited],
        Item::Check(_) => &[Text, Kind, Verdict, Sources],
        Item::Ladder(_) => &[Id, Levels],
        Item::Membership(_) => &[Who, Of, Date, Since, Sources],
        Item::Diplomatic(_) => &[Date, Relation, Change, Sources],
        Item::Figure(_) => &[Date, Kind, Relation, Amount, Unit, Target, Sources],
    }
}

/// The field a bare item compares and sorts by.
pub fn default_field(item: Item) -> Field {
    match item {
        Item::Event(_) | Item::Statement(_) | Item::Role(_) | Item::Membership(_) => Field::Date,
        Item::Diplomatic(_) => Field::Change,
        Item::Figure(_) => Field::Amount,
        Item::Level(..) => Field::Level,
        Item::Trade(..) => Field::Amount,
        Item::Actor(_) | Item::Source(_) | Item::Ladder(_) => Field::Id,
        Item::Check(_) => Field::Text,
    }
}

/// Words people reach for that the fields spell differently.
fn synonym(word: &str) -> Option<Field> {
    Some(match word {
        "destination" | "dest" | "country" | "host_state" => Field::To,
        "where" | "place" | "city" | "location" => Field::At,
        "visitor" | "actor" | "person" => Field::By,
        "when" | "day" | "year_of" => Field::Date,
        "source" | "cited" | "citations" => Field::Sources,
        "value" | "figure" | "total" => Field::Amount,
        "growth" | "change_stated" => Field::Yoy,
        _ => return None,
    })
}

/// The last day or period of a date as written (`2025-05-10` of
/// `2025-05-07..10`); nothing when its end is open.
fn end_of(w: &When) -> Cell {
    use crate::date::{period, Shape, OPEN_END};
    if w.hi == OPEN_END {
        return Cell::Empty;
    }
    let p = w.end_precision();
    let (lo, hi) = period(w.hi, p);
    Cell::Date(When {
        lo,
        hi,
        shape: Shape::Point(p),
    })
}

fn id_or_empty(s: Option<&str>) -> Cell {
    s.map(|x| Cell::Id(x.into())).unwrap_or(Cell::Empty)
}

fn text_or_empty(s: &Option<impl ToString>) -> Cell {
    s.as_ref()
        .map(|s| Cell::Text(s.to_string()))
        .unwrap_or(Cell::Empty)
}

impl Evaluator<'_> {
    /// The field a bare item compares by.
    pub fn default_cell(&self, item: Item) -> Cell {
        self.field_value(item, default_field(item))
            .unwrap_or(Cell::Empty)
    }

    /// The field `.name` of an item, or a diagnostic naming the fields it has.
    pub fn field(&self, item: Item, f: &Ident) -> Result<Cell, Diagnostic> {
        Field::from_word(&f.name)
            .map(|field| match (item, field) {
                // A level's date is when it began: `level(A~B).since`.
                (Item::Level(..), Field::Since) => Field::Date,
                _ => field,
            })
            .and_then(|field| self.field_value(item, field))
            .ok_or_else(|| self.unknown_field(item, f))
    }

    fn unknown_field(&self, item: Item, f: &Ident) -> Diagnostic {
        let fields = fields_of(item);
        let names: Vec<&str> = fields.iter().map(|f| f.word()).collect();
        let d = bad(
            self.file,
            f.span,
            format!("{} has no field `{}`", item_kind(item), f.name),
            "unknown field",
        );
        let synonym = synonym(&f.name)
            .filter(|s| fields.contains(s))
            .map(Field::word);
        match synonym.or_else(|| suggest(&f.name, names.iter().copied())) {
            Some(s) => d.help(format!("did you mean `.{s}`? fields: {}", names.join(", "))),
            None => d.help(format!(
                "fields of {}: {}",
                item_kind(item),
                names.join(", ")
            )),
        }
    }

    /// The value of a field of an item; `None` when the item has no such
    /// field.
    pub fn field_value(&self, item: Item, field: Field) -> Option<Cell> {
        if !fields_of(item).contains(&field) {
            return None;
        }
        let m = self.model;
        match item {
            Item::Event(e) => self.event_field(m.event(e), field),
            Item::Level(k, i) => self.level_field(k, &m.relations[&k].levels[i], field),
            Item::Trade(k, i) => self.trade_field(k, i, field),
            Item::Statement(i) => self.statement_field(&m.statements[i], field),
            Item::Actor(a) => self.actor_field(m.actor(a), field),
            Item::Role(i) => self.role_field(&m.roles[i], field),
            Item::Source(i) => source_field(&m.sources[i], field),
            Item::Check(i) => self.check_field(i, field),
            Item::Ladder(i) => ladder_field(&m.ladders[i], field),
            Item::Membership(i) => self.membership_field(&m.memberships[i], field),
            Item::Diplomatic(i) => self.diplomatic_field(&m.diplomatic[i], field),
            Item::Figure(i) => self.figure_field(&m.figures[i], field),
        }
    }

    fn id(&self, a: ActorId) -> Cell {
        Cell::Id(self.model.actor_name(a).to_string())
    }

    fn opt_id(&self, a: Option<ActorId>) -> Cell {
        a.map(|a| self.id(a)).unwrap_or(Cell::Empty)
    }

    fn sources(&self, s: &[SourceId]) -> Cell {
        Cell::List(s.iter().map(|x| self.model.source(*x).id.clone()).collect())
    }

    fn event_field(&self, e: &Event, field: Field) -> Option<Cell> {
        let m = self.model;
        let details = e.details();
        Some(match field {
            Field::Date => Cell::Date(e.when),
            Field::Type => Cell::Id(e.kind.word().into()),
            Field::Kind => id_or_empty(e.subkind.as_deref()),
            Field::By | Field::Who => self.opt_id(e.participants.first().copied()),
            Field::Participants => Cell::List(
                e.participants
                    .iter()
                    .map(|a| m.actor_name(*a).to_string())
                    .collect(),
            ),
            Field::To => self.opt_id(e.to),
            Field::Mode => id_or_empty(e.mode.as_deref()),
            Field::Reason => text_or_empty(&details.more().reason),
            Field::Title => text_or_empty(&details.title),
            Field::Office => id_or_empty(details.more().office.as_deref()),
            Field::InvitedBy => self.opt_id(details.more().invited_by),
            Field::Host => self.opt_id(details.host),
            Field::At => match &details.at {
                Some(p @ Place::Named(_)) => Cell::Text(m.place_name(p).into()),
                Some(p) => Cell::Id(m.place_name(p).into()),
                None => Cell::Empty,
            },
            Field::Label => id_or_empty(details.label.as_deref()),
            Field::Days => {
                let (least, most) = e.when.duration();
                Cell::Days(least, most)
            }
            Field::Status => Cell::Id(details.status.map_or("held", |s| s.word()).into()),
            Field::With => Cell::List(
                details
                    .more()
                    .with
                    .iter()
                    .map(|a| m.actor_name(*a).to_string())
                    .collect(),
            ),
            Field::Topics => Cell::List(details.topics.iter().map(|t| t.to_string()).collect()),
            Field::During => id_or_empty(
                details
                    .during
                    .and_then(|t| m.event(t).details().label.as_deref()),
            ),
            Field::Time => id_or_empty(details.more().time.as_deref()),
            Field::Start => Cell::Date(e.when.start()),
            Field::End => end_of(&e.when),
            Field::Sources => self.sources(&e.sources),
            _ => return None,
        })
    }

    fn level_field(&self, k: (ActorId, ActorId), l: &LevelChange, field: Field) -> Option<Cell> {
        let m = self.model;
        Some(match field {
            Field::Date | Field::Since => Cell::Date(l.when),
            Field::Level => Cell::Level(l.ladder, l.rung, m.level_name(l).to_string()),
            Field::Name => Cell::Text(m.ladder(l.ladder).rungs[l.rung].name.clone()),
            Field::Rung => Cell::Count(l.rung + 1),
            Field::Ladder => Cell::Id(m.ladder(l.ladder).id.clone()),
            Field::Relation => Cell::Id(m.pair_name(k)),
            Field::Via => id_or_empty(l.via.and_then(|v| m.event(v).details().label.as_deref())),
            Field::Downgrade => Cell::Id(if l.downgrade { "yes" } else { "no" }.into()),
            Field::Sources => self.sources(&l.sources),
            _ => return None,
        })
    }

    fn trade_field(&self, k: (ActorId, ActorId), i: usize, field: Field) -> Option<Cell> {
        let rel = &self.model.relations[&k];
        let t = &rel.trade[i];
        Some(match field {
            Field::Year | Field::Date => Cell::Date(When::year(t.year)),
            Field::Amount => {
                Cell::Number(t.amount.interval(), format!("{} {}", t.amount, t.currency))
            }
            Field::Currency => Cell::Id(t.currency.clone()),
            Field::Yoy => t
                .yoy
                .map(|y| Cell::Number(y.interval(), y.to_string()))
                .unwrap_or(Cell::Empty),
            Field::Change => computed_change(rel, t)
                .map(|(i, s)| Cell::Number(i, s))
                .unwrap_or(Cell::Empty),
            Field::Relation => Cell::Id(self.model.pair_name(k)),
            Field::Sources => self.sources(&t.sources),
            _ => return None,
        })
    }

    fn statement_field(&self, s: &Say, field: Field) -> Option<Cell> {
        Some(match field {
            Field::Date => Cell::Date(s.when),
            Field::By | Field::Speaker if s.with.is_empty() => self.id(s.speaker),
            Field::By | Field::Speaker => Cell::List(
                std::iter::once(s.speaker)
                    .chain(s.with.iter().copied())
                    .map(|a| self.model.actor_name(a).to_string())
                    .collect(),
            ),
            Field::About => {
                let mut all: Vec<String> = s
                    .about
                    .map(|p| self.model.pair_name(p))
                    .into_iter()
                    .collect();
                all.extend(
                    s.about_actors
                        .iter()
                        .map(|&a| self.model.actor_name(a).to_string()),
                );
                all.extend(s.topics.iter().cloned());
                match all.len() {
                    0 => Cell::Empty,
                    1 if s.about.is_some() || !s.about_actors.is_empty() => Cell::Id(all.remove(0)),
                    1 => Cell::Text(all.remove(0)),
                    _ => Cell::List(all),
                }
            }
            Field::Text => Cell::Text(s.text.clone()),
            Field::Sources => self.sources(&s.sources),
            _ => return None,
        })
    }

    fn actor_field(&self, act: &Actor, field: Field) -> Option<Cell> {
        Some(match field {
            Field::Id => Cell::Id(act.id.clone()),
            Field::Kind => Cell::Id(act.kind.word().into()),
            Field::Name => Cell::Text(act.name.clone()),
            Field::Of => match act.of.as_slice() {
                [] => Cell::Empty,
                [one] => self.id(*one),
                many => Cell::List(
                    many.iter()
                        .map(|&o| self.model.actor_name(o).to_string())
                        .collect(),
                ),
            },
            Field::Aka => Cell::List(act.aka.clone()),
            _ => return None,
        })
    }

    fn role_field(&self, r: &Role, field: Field) -> Option<Cell> {
        Some(match field {
            Field::Holder | Field::Who => self.id(r.holder),
            Field::Office => Cell::Id(r.office.clone()),
            Field::Of => self.id(r.of),
            Field::To => self.opt_id(r.to),
            Field::Date => Cell::Date(r.when),
            Field::Since if r.when.lo == crate::date::OPEN_START => Cell::Empty,
            Field::Since => Cell::Date(r.when.start()),
            Field::End => end_of(&r.when),
            Field::Sources => self.sources(&r.sources),
            _ => return None,
        })
    }

    fn membership_field(&self, ms: &Membership, field: Field) -> Option<Cell> {
        Some(match field {
            Field::Who => self.id(ms.member),
            Field::Of => self.id(ms.of),
            // A membership with no dates written: when is not known.
            Field::Date
                if ms.when.lo == crate::date::OPEN_START && ms.when.hi == crate::date::OPEN_END =>
            {
                Cell::Empty
            }
            Field::Date => Cell::Date(ms.when),
            Field::Since if ms.when.lo == crate::date::OPEN_START => Cell::Empty,
            Field::Since => Cell::Date(ms.when.start()),
            Field::Sources => self.sources(&ms.sources),
            _ => return None,
        })
    }

    fn diplomatic_field(&self, d: &Diplomatic, field: Field) -> Option<Cell> {
        Some(match field {
            Field::Date => Cell::Date(d.when),
            Field::Relation => Cell::Id(self.model.pair_name((d.a, d.b))),
            Field::Change => Cell::Id(d.change.word().into()),
            Field::Sources => self.sources(&d.sources),
            _ => return None,
        })
    }

    fn figure_field(&self, f: &FigureFact, field: Field) -> Option<Cell> {
        let m = self.model;
        Some(match field {
            Field::Date => Cell::Date(f.when),
            Field::Kind => Cell::Id(f.metric.clone()),
            Field::Relation => Cell::Id(match f.of {
                FigureOf::Pair(a, b) => m.pair_name((a, b)),
                FigureOf::Flow(a, b) => format!("{}->{}", m.actor_name(a), m.actor_name(b)),
                FigureOf::One(a) => m.actor_name(a).to_string(),
            }),
            Field::Amount => Cell::Number(
                f.amount.interval(),
                match &f.unit {
                    Some(u) => format!("{} {u}", f.amount),
                    None => f.amount.to_string(),
                },
            ),
            Field::Unit => id_or_empty(f.unit.as_deref()),
            Field::Target => Cell::Id(if f.target { "yes" } else { "no" }.into()),
            Field::Sources => self.sources(&f.sources),
            _ => return None,
        })
    }

    fn check_field(&self, i: usize, field: Field) -> Option<Cell> {
        let c = &self.model.checks[i];
        Some(match field {
            Field::Text => Cell::Text(c.text.clone()),
            Field::Kind => Cell::Id(c.kind.word().into()),
            Field::Verdict => Cell::Id(self.verdict(i).word().into()),
            Field::Sources => self.sources(&c.sources),
            _ => return None,
        })
    }
}

fn source_field(s: &Source, field: Field) -> Option<Cell> {
    Some(match field {
        Field::Id => Cell::Id(s.id.clone()),
        Field::Title => Cell::Text(s.title.clone()),
        Field::Published | Field::Date => s.published.map(Cell::Date).unwrap_or(Cell::Empty),
        Field::Url => text_or_empty(&s.url),
        Field::Cited => Cell::Count(s.cited),
        _ => return None,
    })
}

fn ladder_field(l: &Ladder, field: Field) -> Option<Cell> {
    Some(match field {
        Field::Id => Cell::Id(l.id.clone()),
        Field::Levels => Cell::List(l.rungs.iter().map(|r| r.id.clone()).collect()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EventId;

    #[test]
    fn field_words_read_back() {
        for &f in Field::ALL {
            assert_eq!(Field::from_word(f.word()), Some(f));
        }
    }

    /// Each item's list of fields and the functions that read them agree,
    /// and every field belongs to some item.
    #[test]
    fn every_listed_field_has_a_value() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/china_russia_2025.rel"
        ))
        .expect("the example is part of the repository");
        let loaded = crate::load_str("example.rel", &text);
        let model = &loaded.model;
        let ev = Evaluator::new(model, crate::source::FileId(0));
        let (&key, rel) = model.relations.iter().next().expect("a relation");
        let mut items = vec![
            Item::Event(EventId(0)),
            Item::Statement(0),
            Item::Actor(ActorId(0)),
            Item::Role(0),
            Item::Source(0),
            Item::Check(0),
            Item::Ladder(0),
        ];
        assert!(!rel.levels.is_empty() && !rel.trade.is_empty());
        items.push(Item::Level(key, 0));
        items.push(Item::Trade(key, 0));
        let mut seen = std::collections::HashSet::new();
        for item in items {
            for &f in fields_of(item) {
                assert!(ev.field_value(item, f).is_some(), "{item:?} {f:?}");
                seen.insert(f);
            }
        }
        // The items of the second edition's forms.
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/check/second_edition.rel"
        ))
        .expect("the acceptance file is part of the repository");
        let loaded = crate::load_str("second_edition.rel", &text);
        let model = &loaded.model;
        let ev = Evaluator::new(model, crate::source::FileId(0));
        assert!(!model.memberships.is_empty() && !model.diplomatic.is_empty());
        assert!(!model.figures.is_empty());
        for item in [Item::Membership(0), Item::Diplomatic(0), Item::Figure(0)] {
            for &f in fields_of(item) {
                assert!(ev.field_value(item, f).is_some(), "{item:?} {f:?}");
                seen.insert(f);
            }
        }
        for f in Field::ALL {
            assert!(seen.contains(f), "{f:?} belongs to no item");
        }
    }
}
