//! Showing query results: aligned tables for people, JSON for tools.

use super::describe::describe_item;
use super::eval::Evaluator;
use super::field::{fields_of, Field};
use super::{Cell, Evaluated, Item, Output};
use crate::model::Model;
use crate::source::FileId;
use crate::syntax::ast::Noun;

/// Lays out rows as columns separated by two spaces; the last column is
/// not padded, so lines carry no trailing blanks.
pub(crate) fn aligned(rows: &[Vec<String>], indent: &str) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::from(indent);
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i] - cell.chars().count() + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub(crate) fn show_cell(c: &Cell) -> String {
    match c {
        Cell::Date(w) => w.to_string(),
        // A table row stays on one line.
        Cell::Id(s) | Cell::Text(s) => s.replace('\n', "\\n"),
        Cell::Count(n) => n.to_string(),
        Cell::Days(least, most) => super::check::days_text(*least, *most),
        Cell::Number(_, s) => s.clone(),
        Cell::Level(_, _, name) => name.clone(),
        Cell::List(v) if v.is_empty() => "-".into(),
        Cell::List(v) => v.join(", "),
        Cell::Empty => "-".into(),
        Cell::Undecided(why) => format!("undecided: {why}"),
    }
}

/// Columns shown for a list of one kind of item, by the query's noun.
fn columns(noun: Noun, item: Item) -> Option<&'static [Field]> {
    use Field::*;
    Some(match (noun, item) {
        (Noun::Visits, Item::Event(_)) => &[Date, By, To, Kind, Reason, Sources],
        (Noun::Meetings, Item::Event(_)) => &[Date, Participants, Type, Mode, At, Sources],
        (Noun::Agreements, Item::Event(_)) => &[Date, Title, Participants, Sources],
        (_, Item::Level(..)) => &[Date, Level, Name, Via, Sources],
        (_, Item::Trade(..)) => &[Year, Amount, Yoy, Change, Sources],
        (_, Item::Statement(_)) => &[Date, By, About, Text, Sources],
        (_, Item::Actor(_)) => &[Id, Kind, Name, Of],
        (_, Item::Role(_)) => &[Holder, Office, Of, To, Date],
        (_, Item::Source(_)) => &[Id, Title, Published, Cited],
        (_, Item::Check(_)) => &[Verdict, Text, Sources],
        (_, Item::Ladder(_)) => &[Id, Levels],
        (_, Item::Membership(_)) => &[Who, Of, Date, Sources],
        (_, Item::Diplomatic(_)) => &[Date, Relation, Change, Sources],
        (_, Item::Figure(_)) => &[Date, Kind, Relation, Amount, Sources],
        _ => return None,
    })
}

/// Renders a result as text: a table, a number, or one value.
pub fn render_text(model: &Model, file: FileId, result: &Evaluated) -> String {
    let ev = Evaluator::new(model, file);
    match &result.output {
        Output::Count(n) => format!("{n}\n"),
        Output::Cell(c) => format!("{}\n", show_cell(c)),
        Output::One(None) => "(nothing)\n".into(),
        Output::One(Some(item)) => {
            let rows: Vec<Vec<String>> = fields_of(*item)
                .iter()
                .map(|&f| {
                    vec![
                        f.word().to_string(),
                        show_cell(&ev.field_value(*item, f).unwrap_or(Cell::Empty)),
                    ]
                })
                .filter(|r| r[1] != "-")
                .collect();
            aligned(&rows, "")
        }
        Output::Items(items) if items.is_empty() => "(nothing)\n".into(),
        Output::Items(items) => {
            let same = items
                .iter()
                .all(|i| std::mem::discriminant(i) == std::mem::discriminant(&items[0]));
            let cols = if same {
                columns(result.noun, items[0])
            } else {
                None
            };
            let mut rows = Vec::with_capacity(items.len() + 1);
            match cols {
                Some(cols) => {
                    rows.push(cols.iter().map(|c| c.word().to_string()).collect());
                    for &item in items {
                        rows.push(
                            cols.iter()
                                .map(|&c| {
                                    show_cell(&ev.field_value(item, c).unwrap_or(Cell::Empty))
                                })
                                .collect(),
                        );
                    }
                }
                None => {
                    rows.push(vec!["date".into(), "what".into(), "details".into()]);
                    for &item in items {
                        let date = ev
                            .date_of(item)
                            .map(|w| w.to_string())
                            .unwrap_or_else(|| "-".into());
                        let (what, details) = describe_item(model, item);
                        rows.push(vec![date, what, details]);
                    }
                }
            }
            let mut out = aligned(&rows, "");
            out.push_str(&format!(
                "({} {})\n",
                items.len(),
                if items.len() == 1 { "row" } else { "rows" }
            ));
            out
        }
    }
}

fn cell_json(c: &Cell) -> serde_json::Value {
    use serde_json::Value;
    match c {
        Cell::Count(n) => Value::from(*n),
        Cell::Days(n, Some(m)) if n == m => Value::from(*n),
        Cell::List(v) => Value::from(v.clone()),
        Cell::Empty => Value::Null,
        other => Value::from(show_cell(other)),
    }
}

fn item_json(ev: &Evaluator<'_>, item: Item) -> serde_json::Value {
    let mut obj = serde_json::Map::new();
    for &f in fields_of(item) {
        obj.insert(
            f.word().to_string(),
            cell_json(&ev.field_value(item, f).unwrap_or(Cell::Empty)),
        );
    }
    serde_json::Value::Object(obj)
}

/// Renders a result as JSON: an array of objects, a number, an object,
/// a value, or null.
pub fn render_json(model: &Model, file: FileId, result: &Evaluated) -> String {
    let ev = Evaluator::new(model, file);
    let value = match &result.output {
        Output::Count(n) => serde_json::Value::from(*n),
        Output::Cell(c) => cell_json(c),
        Output::One(None) => serde_json::Value::Null,
        Output::One(Some(item)) => item_json(&ev, *item),
        Output::Items(items) => {
            serde_json::Value::Array(items.iter().map(|i| item_json(&ev, *i)).collect())
        }
    };
    serde_json::to_string_pretty(&value).unwrap_or_else(|_| "null".into()) + "\n"
}
