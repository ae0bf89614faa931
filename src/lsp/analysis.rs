//! What the language server knows of a project: the loaded program (model,
//! diagnostics, files) and, from the syntax trees, every place an id is
//! declared or used, so that hover, definition, references and rename all
//! read one index.

use crate::date::When;
use crate::figure::Figure;
use crate::load::{Loaded, Program};
use crate::lower::FileStatements;
use crate::source::{FileId, Span};
use crate::syntax::ast::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What kind of thing an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SymbolKind {
    Actor,
    Source,
    Ladder,
    Level,
    Label,
}

impl SymbolKind {
    pub fn word(self) -> &'static str {
        match self {
            SymbolKind::Actor => "actor",
            SymbolKind::Source => "source",
            SymbolKind::Ladder => "ladder",
            SymbolKind::Level => "level",
            SymbolKind::Label => "event label",
        }
    }
}

/// One place an id stands in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub file: FileId,
    pub span: Span,
    pub kind: SymbolKind,
    pub name: String,
    /// True where the id is declared (`state X`, `as label`, a ladder's level).
    pub declares: bool,
}

/// Something else worth a hover: a date or an amount as written.
#[derive(Clone, Debug)]
pub enum Value {
    Date(WhenAst),
    Amount(AmountAst),
}

/// A project as loaded from one file (its root) and what it includes.
pub struct Analysis {
    pub loaded: Loaded,
    pub occurrences: Vec<Occurrence>,
    pub values: Vec<(FileId, Span, Value)>,
    /// The statements that parsed, by file, for the outline and folding.
    pub statements: Vec<FileStatements>,
}

impl Analysis {
    /// Loads `root` and its includes, reading open buffers from `overlay`
    /// (by canonical path) instead of the disk.
    pub fn load(root: &Path, overlay: &HashMap<PathBuf, String>) -> Analysis {
        let mut program = Program::new();
        // The index of names reads every statement's tree.
        program.keep_trees = true;
        program.overlay = overlay.clone();
        program.add_file(root);
        let (loaded, statements) = program.finish_with_statements();
        let labels = statements
            .iter()
            .flat_map(|f| &f.statements)
            .filter_map(|s| match &s.kind {
                StmtKind::Event(ev) => ev.attrs.iter().find(|a| a.key == AttrKey::Label),
                _ => None,
            })
            .filter_map(|a| match &a.value {
                AttrValue::Ident(i) => Some(i.name.to_string()),
                AttrValue::Str(_) => None,
            })
            .collect();
        let levels = statements
            .iter()
            .flat_map(|f| &f.statements)
            .filter_map(|s| match &s.kind {
                StmtKind::Ladder { rungs, .. } => Some(rungs),
                _ => None,
            })
            .flatten()
            .map(|r| r.id.name.to_string())
            .collect();
        let mut index = Indexer {
            labels,
            levels,
            ..Indexer::default()
        };
        for f in &statements {
            index.file = f.file;
            for s in &f.statements {
                index.statement(s);
            }
        }
        index.occurrences.sort_by_key(|o| (o.file, o.span.start));
        Analysis {
            loaded,
            occurrences: index.occurrences,
            values: index.values,
            statements,
        }
    }

    /// The file loaded from `path`, if it is part of the project.
    pub fn file_of(&self, path: &Path) -> Option<FileId> {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.loaded
            .sources
            .files()
            .find(|(_, f)| f.path.as_deref() == Some(canonical.as_path()))
            .map(|(id, _)| id)
    }

    /// The occurrence at a byte offset of a file, if an id stands there.
    pub fn occurrence_at(&self, file: FileId, offset: usize) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .find(|o| o.file == file && o.span.start <= offset && offset <= o.span.end)
    }

    /// Every occurrence of a symbol, declarations first.
    pub fn occurrences_of(&self, kind: SymbolKind, name: &str) -> Vec<&Occurrence> {
        let mut all: Vec<&Occurrence> = self
            .occurrences
            .iter()
            .filter(|o| o.kind == kind && o.name == name)
            .collect();
        all.sort_by_key(|o| !o.declares);
        all
    }

    /// A date or amount at a byte offset of a file.
    pub fn value_at(&self, file: FileId, offset: usize) -> Option<&Value> {
        self.values
            .iter()
            .find(|(f, s, _)| *f == file && s.start <= offset && offset <= s.end)
            .map(|(_, _, v)| v)
    }

    /// The names declared for a kind of symbol.
    pub fn names(&self, kind: SymbolKind) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .occurrences
            .iter()
            .filter(|o| o.kind == kind && o.declares)
            .map(|o| o.name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// Reads the syntax trees into occurrences.
#[derive(Default)]
struct Indexer {
    file: FileId,
    labels: HashSet<String>,
    levels: HashSet<String>,
    occurrences: Vec<Occurrence>,
    values: Vec<(FileId, Span, Value)>,
}

impl Indexer {
    fn add(&mut self, kind: SymbolKind, id: &Ident, declares: bool) {
        self.occurrences.push(Occurrence {
            file: self.file,
            span: id.span,
            kind,
            name: id.name.to_string(),
            declares,
        });
    }

    /// An actor's id, or the state or body of an office (`president@Chile`).
    fn actor(&mut self, id: &Ident) {
        match id.office() {
            Some((_, of)) => self.add(SymbolKind::Actor, &of, false),
            None => self.add(SymbolKind::Actor, id, false),
        }
    }

    fn cite(&mut self, ids: &[Ident]) {
        for id in ids {
            self.add(SymbolKind::Source, id, false);
        }
    }

    fn date(&mut self, w: &WhenAst) {
        self.values
            .push((self.file, w.span, Value::Date(w.clone())));
    }

    fn pair(&mut self, p: &PairAst) {
        self.actor(&p.a);
        self.actor(&p.b);
    }

    fn statement(&mut self, s: &Statement) {
        match &s.kind {
            StmtKind::Source { .. }
            | StmtKind::Actor(_)
            | StmtKind::Role(_)
            | StmtKind::Ladder { .. } => self.declaration(s),
            StmtKind::Member(_)
            | StmtKind::Relations(_)
            | StmtKind::Dated { .. }
            | StmtKind::Figure(_) => self.second_edition(s),
            StmtKind::Event(ev) => self.event(ev),
            StmtKind::Level(l) => {
                self.pair(&l.pair);
                self.add(SymbolKind::Level, &l.level, false);
                self.date(&l.when);
                if let Some(v) = &l.via {
                    self.add(SymbolKind::Label, v, false);
                }
                if let Some(ladder) = &l.ladder {
                    self.add(SymbolKind::Ladder, ladder, false);
                }
                self.cite(&l.cite);
            }
            StmtKind::Trade(t) => {
                self.pair(&t.pair);
                self.date(&t.year);
                self.values
                    .push((self.file, t.amount.span, Value::Amount(t.amount.clone())));
                self.cite(&t.cite);
            }
            StmtKind::Say(say) => {
                for id in &say.speakers {
                    self.actor(id);
                }
                self.date(&say.when);
                for about in &say.about {
                    match about {
                        AboutAst::Pair(p) => self.pair(p),
                        AboutAst::Actor(a) => self.actor(a),
                        AboutAst::Topic(_) => {}
                    }
                }
                self.cite(&say.cite);
            }
            StmtKind::Include { .. } => {}
            StmtKind::Assert { check } => self.comparison(check),
            StmtKind::Claim { check, cite } => {
                self.comparison(check);
                self.cite(cite);
            }
            StmtKind::Complete { scope, cite } => {
                self.base_query(scope);
                self.cite(cite);
            }
        }
    }

    /// Sources, actors, roles and ladders.
    fn declaration(&mut self, s: &Statement) {
        match &s.kind {
            StmtKind::Source { id, published, .. } => {
                self.add(SymbolKind::Source, id, true);
                if let Some(w) = published {
                    self.date(w);
                }
            }
            StmtKind::Actor(a) => {
                self.add(SymbolKind::Actor, &a.id, true);
                for alias in &a.aka {
                    self.add(SymbolKind::Actor, alias, true);
                }
                for id in a.of.iter().chain(&a.host).chain(&a.succeeded_by) {
                    self.actor(id);
                }
                for w in a.since.iter().chain(&a.until) {
                    self.date(w);
                }
                self.cite(&a.cite);
            }
            StmtKind::Role(r) => {
                for id in [&r.holder, &r.of].into_iter().chain(&r.to) {
                    self.actor(id);
                }
                match &r.tenure {
                    Tenure::Since(w) | Tenure::Until(w) | Tenure::During(w) => self.date(w),
                }
                self.cite(&r.cite);
            }
            StmtKind::Ladder { id, rungs } => {
                self.add(SymbolKind::Ladder, id, true);
                for r in rungs {
                    self.add(SymbolKind::Level, &r.id, true);
                }
            }
            _ => {}
        }
    }

    /// Memberships, relations, other sources' dates, figures.
    fn second_edition(&mut self, s: &Statement) {
        match &s.kind {
            StmtKind::Member(m) => {
                self.actor(&m.member);
                self.actor(&m.of);
                for w in m.since.iter().chain(&m.until) {
                    self.date(w);
                }
                self.cite(&m.cite);
            }
            StmtKind::Relations(r) => {
                self.pair(&r.pair);
                self.date(&r.when);
                self.cite(&r.cite);
            }
            StmtKind::Dated { label, when, cite } => {
                self.add(SymbolKind::Label, label, false);
                self.date(when);
                self.cite(cite);
            }
            StmtKind::Figure(f) => {
                match &f.of {
                    FigureOfAst::Pair(p) => self.pair(p),
                    FigureOfAst::Flow(a, b) => {
                        self.actor(a);
                        self.actor(b);
                    }
                    FigureOfAst::One(a) => self.actor(a),
                }
                self.date(&f.when);
                self.values
                    .push((self.file, f.amount.span, Value::Amount(f.amount.clone())));
                self.cite(&f.cite);
            }
            _ => {}
        }
    }

    fn event(&mut self, ev: &EventAst) {
        match &ev.kind {
            EventKindAst::Visit { visitor, host } => {
                self.actor(visitor);
                self.actor(host);
            }
            EventKindAst::Meeting { parties, .. } | EventKindAst::Agreement { parties, .. } => {
                for p in parties {
                    self.actor(p);
                }
            }
            EventKindAst::Elected(e) => {
                self.actor(&e.person);
                self.actor(&e.of);
            }
            EventKindAst::Summit { .. } => {}
            EventKindAst::Other(o) => {
                for p in &o.parties {
                    self.actor(p);
                }
            }
        }
        self.date(&ev.when);
        for attr in &ev.attrs {
            for value in attr.values() {
                let AttrValue::Ident(id) = value else {
                    continue;
                };
                match attr.key {
                    AttrKey::Label => self.add(SymbolKind::Label, id, true),
                    AttrKey::During => self.add(SymbolKind::Label, id, false),
                    AttrKey::At if self.labels.contains(id.name.as_str()) => {
                        self.add(SymbolKind::Label, id, false)
                    }
                    AttrKey::At | AttrKey::InvitedBy | AttrKey::Host | AttrKey::With => {
                        self.actor(id)
                    }
                    _ => {}
                }
            }
        }
        self.cite(&ev.cite);
    }

    fn comparison(&mut self, c: &Comparison) {
        self.query(&c.query);
        match &c.literal {
            Literal::Query(o) => self.query(&o.query),
            Literal::Ident(i) if self.levels.contains(i.name.as_str()) => {
                self.add(SymbolKind::Level, i, false)
            }
            Literal::Pair(p) => self.pair(p),
            _ => {}
        }
    }

    fn query(&mut self, q: &Query) {
        match &q.primary {
            Primary::Base(b) => self.base_query(b),
            Primary::Call { inner, .. } | Primary::Paren { inner, .. } => self.query(inner),
        }
    }

    fn base_query(&mut self, b: &BaseQuery) {
        match &b.subject {
            Some(Subject::Pair(p)) => self.pair(p),
            Some(Subject::Actor(a)) => self.actor(a),
            None => {}
        }
        for f in &b.filters {
            match (&f.value, f.key) {
                (FilterValue::Ident(i), FilterKey::During) => self.add(SymbolKind::Label, i, false),
                (FilterValue::Ident(i), FilterKey::At) if self.labels.contains(i.name.as_str()) => {
                    self.add(SymbolKind::Label, i, false)
                }
                (FilterValue::Ident(i), FilterKey::At) if self.levels.contains(i.name.as_str()) => {
                    self.add(SymbolKind::Level, i, false)
                }
                (FilterValue::Ident(_), FilterKey::Kind | FilterKey::Mode | FilterKey::Status) => {}
                (FilterValue::Ident(i), _) => self.actor(i),
                (FilterValue::Pair(p), _) => self.pair(p),
                (FilterValue::When(w), _) => self.date(w),
                (FilterValue::Str(_), _) => {}
            }
        }
    }
}

/// A date's weekdays and its interval, as a hover says them.
pub fn describe_date(w: &When) -> String {
    use crate::date::{from_day_number, weekday_of, OPEN_END, OPEN_START, WEEKDAYS};
    let day = |n: i32| {
        from_day_number(n)
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    if w.lo == OPEN_START || w.hi == OPEN_END {
        return format!("{w}: from {} on, its end not known", day(w.lo));
    }
    let (least, most) = w.duration();
    let weekday = |n: i32| WEEKDAYS[weekday_of(n)].1;
    if w.lo == w.hi {
        return format!("{w}: a {}", weekday(w.lo));
    }
    let days = match most {
        Some(m) if m == least => format!("{least} days"),
        Some(m) => format!(
            "some days between {} and {}, lasting {least} to {m} days",
            day(w.lo),
            day(w.hi)
        ),
        None => format!("at least {least} days"),
    };
    format!(
        "{w}: {} {} to {} {}; {days}",
        weekday(w.lo),
        day(w.lo),
        weekday(w.hi),
        day(w.hi)
    )
}

/// An amount and the values it allows.
pub fn describe_amount(f: &Figure) -> String {
    let iv = f.interval();
    // In the figure's own scale, one decimal more than it was written with:
    // `700m` allows 699.5m to 700.5m.
    let (factor, suffix) = (f.scale.factor(), f.scale.suffix());
    let decimals = usize::from(f.decimals) + 1;
    let show = |x: f64| {
        if x.is_infinite() {
            "no upper bound".to_string()
        } else {
            format!("{:.*}{suffix}", decimals, x / factor)
        }
    };
    format!("{f}: any value from {} to {}", show(iv.lo), show(iv.hi))
}
