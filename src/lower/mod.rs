//! Lowering: syntax tree to model, resolving every name.
//!
//! Declarations are lowered before anything that refers to them (the five
//! passes of [`Lowerer::lower_all`]), so the order of statements never
//! matters. A fact with an unresolvable part is reported and left out;
//! everything else still loads.

use crate::date::{self, Precision, When};
use crate::diag::{article, or_list, suggest, Code, Diagnostic};
use crate::figure::{Figure, Percent, MAX_DIGITS};
use crate::model::*;
use crate::model::{MEETING_MODES, VISIT_KINDS};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast::*;
use crate::syntax::keyword::Keyword;

mod plain;
mod second_edition;

// The first kind of each list is the one a "declare it" hint suggests.
const ANY_ACTOR: &[ActorKind] = &[
    ActorKind::Person,
    ActorKind::State,
    ActorKind::Org,
    ActorKind::Bloc,
];
/// What an office or an election belongs to.
const BODIES: &[ActorKind] = &[ActorKind::State, ActorKind::Org, ActorKind::Bloc];
const STATES: &[ActorKind] = &[ActorKind::State];
const PEOPLE: &[ActorKind] = &[ActorKind::Person];

/// Who took part in an event and what it was, names resolved.
struct Parties {
    kind: EventKind,
    participants: Few<ActorId>,
    /// The state visited, or the body an election was to.
    to: Option<ActorId>,
    title: Option<compact_str::CompactString>,
    office: Option<compact_str::CompactString>,
    /// Capacities written after a participant.
    capacity: Vec<Capacity>,
    /// A generic event's kind (`event speech …`).
    subkind: Option<Word>,
    /// False when a name did not resolve (already reported).
    resolved: bool,
}

/// The actors `resolve` finds for `ids`, in order, and whether it found
/// every one (each one it did not find it has reported).
fn resolve_each(
    ids: &[Ident],
    mut resolve: impl FnMut(&Ident) -> Option<ActorId>,
) -> (Few<ActorId>, bool) {
    let (mut found, mut all) = (Few::new(), true);
    for id in ids {
        match resolve(id) {
            Some(a) => found.push(a),
            None => all = false,
        }
    }
    (found, all)
}

/// The ids of `at <id>` and `during <label>`, resolved once every label
/// is known.
type Pending = (Option<Ident>, Option<Ident>);

/// Statements of one file, in order. A large file may come in several
/// consecutive parts, each with the same `file`.
#[derive(Debug, Clone, Default)]
pub struct FileStatements {
    pub file: FileId,
    /// The statements whose syntax trees are kept.
    pub statements: Vec<Statement>,
    /// Events kept as their spans only, read with
    /// [`crate::syntax::deferred_event`] when lowered (see
    /// [`crate::syntax::parse_parts`]): they are events without labels,
    /// and the text is the file's.
    pub plain_events: Vec<Span>,
    /// Ids declared by statements of the file that did not parse.
    pub broken: Vec<Declared>,
}

/// The sources that statements which did not parse cite.
fn cited_by_broken(
    broken: &std::collections::HashSet<(DeclaredKind, compact_str::CompactString)>,
) -> impl Iterator<Item = &str> {
    broken
        .iter()
        .filter(|(kind, _)| *kind == DeclaredKind::Cited)
        .map(|(_, name)| name.as_str())
}

/// Every statement with its file, in an order that does not depend on
/// where each was written: declarations by the id they declare, and every
/// other statement but unlabelled events by its text (file and place break ties
/// between equal texts only, which lower alike). So actors, sources and
/// ladders are interned in the order of their ids, a pair's first actor is
/// the one whose id sorts first, and ties (trade figures of one year,
/// levels on one date) keep an order that is a function of the set of
/// statements. Unlabelled events, the bulk of a large file, keep the
/// files' order: sorting a million by text costs more than the rest of
/// lowering, and `Model::finish` breaks their ties by text anyway.
fn canonical<'s>(sources: &SourceMap, files: &'s [FileStatements]) -> Vec<(FileId, &'s Statement)> {
    type Placed<'s> = Vec<(FileId, &'s Statement)>;
    let (events, mut rest): (Placed<'s>, Placed<'s>) = files
        .iter()
        .flat_map(|f| f.statements.iter().map(move |s| (f.file, s)))
        .partition(|(_, s)| match &s.kind {
            // A labelled event is sorted with the rest: of two events with
            // one label, which one keeps it must not depend on the order.
            StmtKind::Event(ev) => !ev.attrs.iter().any(|a| a.key == AttrKey::Label),
            _ => false,
        });
    // The statements that declare nothing come first, by their text; then
    // the declarations, by id, then text. (One sort whose keys began with
    // an id, empty for almost every statement, took 70 ms on the 37,000
    // such statements of a million-event file; the two sorts take 14.)
    // File and place break ties between equal texts, so the keys are
    // distinct and an unstable sort gives the one order.
    let declared = |stmt: &'s Statement| match &stmt.kind {
        StmtKind::Source { id, .. } | StmtKind::Ladder { id, .. } => Some(id.name.as_str()),
        StmtKind::Actor(actor) => Some(actor.id.name.as_str()),
        _ => None,
    };
    let text = |file: FileId, stmt: &'s Statement| sources.get(file).slice(stmt.span);
    let (mut declarations, mut facts): (Placed<'s>, Placed<'s>) =
        rest.drain(..).partition(|(_, s)| declared(s).is_some());
    facts.sort_unstable_by_key(|&(file, stmt)| (text(file, stmt), file, stmt.span.start));
    declarations.sort_unstable_by_key(|&(file, stmt)| {
        (declared(stmt), text(file, stmt), file, stmt.span.start)
    });
    rest.extend(facts);
    rest.extend(declarations);
    rest.extend(events);
    rest
}

/// For each level among `facts` (statements added to a built model), its
/// pair, the pair's ladder and where the ladder was fixed: what lowering
/// it reads. `None` when the model must be built again instead.
///
/// A pair's levels are lowered in [`canonical`] order, by text, and the
/// first to be recorded fixes the pair's ladder (and is where later
/// reports say it was fixed); a level read before that sees no ladder,
/// and one read after sees it. So an added level is lowered in place when
/// building again would lower it after that first level; or before it,
/// when every level statement of the pair was recorded (none is reported
/// against where the ladder was fixed, none could read differently) and
/// the added level, seeing no ladder, takes the pair's; or, when the pair
/// has no level recorded, after every level statement of its pair in
/// `before` (the files read before it). Two added levels of one pair
/// build again.
fn ladders_of_added_levels(
    model: &Model,
    sources: &SourceMap,
    before: &[FileStatements],
    facts: &[(FileId, &Statement)],
) -> Option<Vec<LevelPair>> {
    let order = |file: FileId, span: Span| (sources.get(file).slice(span), file, span.start);
    let pair_of = |ast: &LevelAst| {
        let a = *model.index.names.get(ast.pair.a.name.as_str())?;
        let b = *model.index.names.get(ast.pair.b.name.as_str())?;
        (a != b).then(|| pair_key(a, b))
    };
    // The level statements read before, of `pair`, in canonical order.
    let statements_of = |pair| {
        before.iter().flat_map(move |f| {
            f.statements.iter().filter_map(move |s| match &s.kind {
                StmtKind::Level(other) if pair_of(other) == Some(pair) => {
                    Some(order(f.file, s.span))
                }
                _ => None,
            })
        })
    };
    let mut out: Vec<LevelPair> = Vec::new();
    for &(file, stmt) in facts {
        let StmtKind::Level(ast) = &stmt.kind else {
            continue;
        };
        // A pair that does not resolve is reported, and reads nothing.
        let Some(pair) = pair_of(ast) else {
            continue;
        };
        // Two added levels of one pair: the first may fix the ladder the
        // second reads, which is more than this accounts for.
        if out.iter().any(|&(other, _, _)| other == pair) {
            return None;
        }
        let here = order(file, stmt.span);
        let rel = model.relations.get(&pair);
        let fixed_by = rel.and_then(|r| {
            r.levels.iter().min_by(|x, y| {
                order(x.origin.file, x.origin.span).cmp(&order(y.origin.file, y.origin.span))
            })
        });
        let in_place = match (fixed_by, rel) {
            (Some(first), Some(rel)) if order(first.origin.file, first.origin.span) > here => {
                statements_of(pair).count() == rel.levels.len()
                    && model.ladder_of(
                        ast.ladder.as_ref().map(|l| l.name.as_str()),
                        &ast.level.name,
                    ) == rel.ladder
            }
            (Some(_), _) => true,
            (None, _) => statements_of(pair).all(|other| other < here),
        };
        if !in_place {
            return None;
        }
        let fixed_at = fixed_by.map(|l| Origin {
            file: l.origin.file,
            span: l.level_span,
        });
        out.push((pair, rel.and_then(|r| r.ladder), fixed_at));
    }
    Some(out)
}

/// A pair, its ladder, and where the ladder was fixed.
type LevelPair = ((ActorId, ActorId), Option<LadderId>, Option<Origin>);

/// The facts lowered from statements added to a built model, not yet in
/// it (see [`Lowerer::lower_added_events`]), and what lowering reported.
pub struct AddedFacts {
    pub events: Vec<Event>,
    pub says: Vec<Say>,
    /// Trade figures, each with its pair.
    pub trade: Vec<((ActorId, ActorId), TradeFigure)>,
    /// Level changes, each with its pair.
    pub levels: Vec<((ActorId, ActorId), LevelChange)>,
    pub diagnostics: Vec<Diagnostic>,
}

pub struct Lowerer<'a> {
    pub model: Model,
    pub diags: Vec<Diagnostic>,
    sources: &'a SourceMap,
    file: FileId,
    /// Where each actor id or alias, source and ladder was declared.
    actor_decl: HashMap<String, Origin>,
    label_decl: HashMap<String, Origin>,
    /// Where each relation's ladder was first fixed.
    ladder_fixed_at: HashMap<(ActorId, ActorId), Origin>,
    pending_at: Vec<(EventId, FileId, Ident)>,
    /// `during <label>` of events, resolved once every label is known.
    pending_during: Vec<(EventId, FileId, Ident)>,
    /// Roles by office and whose it is, built the first time an office is
    /// named as a participant (roles are all lowered by then).
    roles_by_office: HashMap<(String, ActorId), Vec<usize>>,
    /// Ids whose declaration did not parse: already reported, so their
    /// uses are not reported unknown.
    broken: std::collections::HashSet<(DeclaredKind, compact_str::CompactString)>,
    /// The words this lowerer has met (see [`Lowerer::word`]).
    words: HashMap<compact_str::CompactString, Word>,
}

impl<'a> Lowerer<'a> {
    pub fn new(sources: &'a SourceMap) -> Lowerer<'a> {
        Lowerer {
            model: Model::default(),
            diags: Vec::new(),
            sources,
            file: FileId(0),
            actor_decl: HashMap::default(),
            label_decl: HashMap::default(),
            ladder_fixed_at: HashMap::default(),
            pending_at: Vec::new(),
            pending_during: Vec::new(),
            roles_by_office: HashMap::default(),
            broken: Default::default(),
            words: HashMap::default(),
        }
    }

    /// The [`Word`] for `text`. A file repeats a few words a million
    /// times, and looking them up here rather than in the process's
    /// table spares the two lowering threads its lock.
    fn word(&mut self, text: &str) -> Word {
        if let Some(&word) = self.words.get(text) {
            return word;
        }
        let word = Word::new(text);
        self.words.insert(text.into(), word);
        word
    }

    /// True when `name` was declared by a statement that did not parse.
    fn is_broken(&self, kind: DeclaredKind, name: &str) -> bool {
        !self.broken.is_empty() && self.broken.contains(&(kind, name.into()))
    }

    /// Reports a name that resolves to nothing, unless a declaration of it
    /// as one of `declared_as` failed to parse: that syntax error is the
    /// one report, not the first of a cascade of "unknown" ones.
    fn unknown(
        &mut self,
        name: &str,
        declared_as: &[DeclaredKind],
        diagnostic: impl FnOnce(&Self) -> Diagnostic,
    ) {
        if declared_as.iter().any(|&kind| self.is_broken(kind, name)) {
            return;
        }
        let d = diagnostic(self);
        self.emit(d);
    }

    /// Lowers a whole program. Returns the model with events in date order.
    pub fn lower_all(self, files: &[FileStatements]) -> (Model, Vec<Diagnostic>) {
        let sources = self.sources;
        let (mut model, diags) = self.lower_unfinished(files);
        model.finish(sources);
        (model, diags)
    }

    /// Lowers a whole program, leaving the model to be finished
    /// ([`Model::finish`]): a caller may free what it no longer needs
    /// before the events are sorted, when memory peaks.
    pub fn lower_unfinished(mut self, files: &[FileStatements]) -> (Model, Vec<Diagnostic>) {
        self.broken = broken_declarations(files);
        let stmts = &canonical(self.sources, files)[..];
        for &(file, stmt) in stmts {
            self.file = file;
            self.declare(stmt);
        }
        self.resolve_actor_parents(stmts);
        // Roles before events: an office named as a participant
        // (`foreign_minister@Kenya`) resolves to whoever held it then.
        for &(file, stmt) in stmts {
            self.file = file;
            if let StmtKind::Role(role) = &stmt.kind {
                self.role(stmt, role);
            }
        }
        self.model.roles_by_holder();
        // Room for the events this thread lowers (a second thread lowers
        // half of the plain events into its own run).
        let plain = files.iter().map(|f| f.plain_events.len()).sum::<usize>();
        let events = stmts
            .iter()
            .filter(|(_, s)| matches!(s.kind, StmtKind::Event(_)))
            .count()
            + Self::plain_events_here(plain);
        self.model.events.reserve_exact(events);
        let declared_actors = self.model.actors.len();
        for &(file, stmt) in stmts {
            self.file = file;
            if let StmtKind::Event(ev) = &stmt.kind {
                self.event(ev, stmt.span);
            }
        }
        // Plain events come last, in the files' order, as unlabelled
        // events do in `canonical`; each tree lives only while its event
        // is lowered.
        self.plain_events(files);
        self.resolve_places();
        self.resolve_trips();
        for &(file, stmt) in stmts {
            self.file = file;
            self.fact(stmt);
        }
        self.number_offices_by_id(declared_actors);
        // Sources cited by statements that did not parse: the syntax error
        // is the one report, not a "never cited" as well.
        for name in cited_by_broken(&self.broken) {
            if let Some(src) = self.model.sources.get_mut(name) {
                src.cited_by_broken = true;
            }
        }
        (self.model, self.diags)
    }

    /// Lowers the statements of `added`, read after those `model` was
    /// built from (the REPL's statement typed), when every one is an event
    /// that declares nothing and names nothing lowered after events (a
    /// label, `at` or `during` another event), a `statement`, a trade
    /// figure or a level. Returns the new facts, and what lowering them
    /// reported; the model's counts of citations include theirs. `None`,
    /// with the model as it was, when a statement is anything else, or
    /// names an office that no one certainly held (which makes a new actor
    /// for the office), or is a level that building again would lower
    /// before one it changes (see [`ladders_of_added_levels`]): then the
    /// whole program must be lowered again; also when an event left unread
    /// by parsing does not parse (building again reports its error).
    pub fn lower_added_events(
        model: &mut Model,
        sources: &'a SourceMap,
        files: &[FileStatements],
        added: &[FileStatements],
    ) -> Option<AddedFacts> {
        // In the order `lower_all` takes them: events, plain events, then
        // facts (`statement …`, trade figures, levels), lowered last.
        let (mut events, mut facts) = (Vec::new(), Vec::new());
        for f in added {
            for stmt in &f.statements {
                match &stmt.kind {
                    StmtKind::Event(ev) => {
                        events.push((f.file, std::borrow::Cow::Borrowed(ev), stmt.span))
                    }
                    StmtKind::Say(_) | StmtKind::Trade(_) | StmtKind::Level(_) => {
                        facts.push((f.file, stmt))
                    }
                    _ => return None,
                }
            }
        }
        for f in added {
            let text = &sources.get(f.file).text;
            for &span in &f.plain_events {
                let ev = crate::syntax::deferred_event(text, span).ok()?;
                events.push((f.file, std::borrow::Cow::Owned(ev), span));
            }
        }
        if events.iter().any(|(_, ev, _)| waits_for_events(ev)) {
            return None;
        }
        let before_added = &files[..files.len() - added.len()];
        let ladders = ladders_of_added_levels(model, sources, before_added, &facts)?;
        let mut lowerer = Lowerer::new(sources);
        lowerer.broken = broken_declarations(files);
        let (actors, cited): (usize, Vec<usize>) = (
            model.actors.len(),
            model.sources.values().map(|s| s.cited).collect(),
        );
        lowerer.model = std::mem::take(model);
        let kept = std::mem::take(&mut lowerer.model.events);
        for (file, ev, span) in &events {
            lowerer.file = *file;
            lowerer.event(ev, *span);
        }
        let statements = lowerer.model.statements.len();
        // Trade figures and levels are lowered into relations of their
        // own, as the events into a run of their own; a level reads only
        // its pair's ladder and where it was fixed.
        let kept_relations = std::mem::take(&mut lowerer.model.relations);
        for (pair, ladder, fixed_at) in ladders {
            if let Some(ladder) = ladder {
                lowerer.model.relations.insert(
                    pair,
                    Relation {
                        ladder: Some(ladder),
                        ..Relation::new(pair)
                    },
                );
            }
            if let Some(origin) = fixed_at {
                lowerer.ladder_fixed_at.insert(pair, origin);
            }
        }
        // Canonical order, as `lower_all` takes facts: by text.
        facts.sort_by_key(|&(file, stmt)| {
            (sources.get(file).slice(stmt.span), file, stmt.span.start)
        });
        for &(file, stmt) in &facts {
            lowerer.file = file;
            lowerer.fact(stmt);
        }
        debug_assert!(lowerer.pending_at.is_empty() && lowerer.pending_during.is_empty());
        let new = std::mem::replace(&mut lowerer.model.events, kept);
        let new_says = lowerer.model.statements.split_off(statements);
        let (mut new_trade, mut new_levels) = (Vec::new(), Vec::new());
        for (pair, rel) in std::mem::replace(&mut lowerer.model.relations, kept_relations) {
            new_trade.extend(rel.trade.into_iter().map(|t| (pair, t)));
            new_levels.extend(rel.levels.into_iter().map(|l| (pair, l)));
        }
        *model = lowerer.model;
        if model.actors.len() > actors {
            model.actors.truncate(actors);
            model.index.names.retain(|_, id| id.index() < actors);
            for (source, cited) in model.sources.values_mut().zip(cited) {
                source.cited = cited;
            }
            return None;
        }
        Some(AddedFacts {
            events: new.into_unsorted(),
            says: new_says,
            trade: new_trade,
            levels: new_levels,
            diagnostics: lowerer.diags,
        })
    }

    fn origin(&self, span: Span) -> Origin {
        Origin {
            file: self.file,
            span,
        }
    }

    fn emit(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn duplicate(&mut self, what: &str, name: &Ident, kept: Origin) {
        // Declarations are lowered in canonical order, not as written: the
        // labels follow the files' order.
        let here = self.origin(name.span);
        let at = |o: Origin| (o.file, o.span.start);
        let (first, again) = if at(kept) <= at(here) {
            (kept, here)
        } else {
            (here, kept)
        };
        let d = Diagnostic::new(
            Code::Duplicate,
            format!("{what} `{}` is declared twice", name.name),
        )
        .at(again.file, again.span, "declared again here")
        .also(first.file, first.span, "first declared here")
        .help(format!(
            "remove one of the two, or give this {what} another id"
        ));
        self.emit(d);
    }

    // ------------------------------------------------------------ declarations

    fn declare(&mut self, stmt: &Statement) {
        match &stmt.kind {
            StmtKind::Source {
                id,
                title,
                published,
                url,
            } => self.declare_source(id, title, published.as_ref(), url.as_ref()),
            StmtKind::Actor(actor) => self.declare_actor(actor),
            StmtKind::Ladder { id, rungs } => self.declare_ladder(id, rungs),
            _ => {}
        }
    }

    fn declare_source(
        &mut self,
        id: &Ident,
        title: &Str,
        published: Option<&WhenAst>,
        url: Option<&Str>,
    ) {
        if let Some(prev) = self.model.sources.get(id.name.as_str()) {
            let first = prev.origin;
            self.duplicate("source", id, first);
            return;
        }
        let published = published.and_then(|w| self.when(w));
        let origin = self.origin(id.span);
        self.model.sources.insert(
            id.name.to_string(),
            Source {
                id: id.name.to_string(),
                title: title.value.clone(),
                published,
                url: url.map(|u| u.value.clone()),
                cited: 0,
                cited_by_broken: false,
                origin,
            },
        );
    }

    fn declare_actor(&mut self, ast: &ActorAst) {
        let ActorAst {
            kind,
            id,
            name,
            aka,
            ..
        } = ast;
        if let Some(first) = self.actor_decl.get(id.name.as_str()).copied() {
            self.duplicate("actor", id, first);
            return;
        }
        let actor_id = ActorId(self.model.actors.len() as u32);
        let kind = match kind {
            ActorKindAst::State => ActorKind::State,
            ActorKindAst::Person => ActorKind::Person,
            ActorKindAst::Org => ActorKind::Org,
            ActorKindAst::Bloc => ActorKind::Bloc,
        };
        let origin = self.origin(id.span);
        let since = ast.since.as_ref().and_then(|w| self.when(w));
        let iso = self.iso_code(ast);
        let until = ast.until.as_ref().and_then(|w| self.when(w));
        self.actor_decl.insert(id.name.to_string(), origin);
        self.model.index.names.insert(id.name.to_string(), actor_id);
        let mut aliases = Vec::new();
        for alias in aka {
            if let Some(first) = self.actor_decl.get(alias.name.as_str()).copied() {
                self.duplicate("actor", alias, first);
                continue;
            }
            self.actor_decl
                .insert(alias.name.to_string(), self.origin(alias.span));
            self.model
                .index
                .names
                .insert(alias.name.to_string(), actor_id);
            aliases.push(alias.name.to_string());
        }
        self.model.actors.insert(
            id.name.to_string(),
            Actor {
                id: id.name.to_string(),
                kind,
                name: name.value.clone(),
                aka: aliases,
                of: Vec::new(),
                host: None,
                body_kind: ast.body_kind.as_ref().map(|k| k.name.to_string()),
                since,
                until,
                succeeded_by: None,
                iso,
                office: None,
                sources: Few::new(),
                origin,
            },
        );
    }

    /// A state's `iso` code: three capital letters, and only on a state.
    fn iso_code(&mut self, ast: &ActorAst) -> Option<String> {
        let code = ast.iso.as_ref()?;
        let well_formed = code.name.len() == 3 && code.name.bytes().all(|b| b.is_ascii_uppercase());
        if ast.kind != ActorKindAst::State || !well_formed {
            let why = if well_formed {
                "only a state has an ISO 3166 code"
            } else {
                "an ISO 3166 alpha-3 code is three capital letters, e.g. `iso CHN`"
            };
            let d = Diagnostic::new(
                Code::BadAttribute,
                format!("`iso {}` cannot be used here", code.name),
            )
            .at(self.file, code.span, "not a state's ISO code")
            .help(why);
            self.emit(d);
            return None;
        }
        Some(code.name.to_string())
    }

    fn declare_ladder(&mut self, id: &Ident, rungs: &[crate::syntax::ast::Rung]) {
        if let Some(prev) = self.model.ladders.get(id.name.as_str()) {
            let first = prev.origin;
            self.duplicate("ladder", id, first);
            return;
        }
        let mut ladder = Ladder {
            id: id.name.to_string(),
            rungs: Vec::new(),
            origin: self.origin(id.span),
            rung_origins: Vec::new(),
        };
        for r in rungs {
            if let Some(i) = ladder.position(r.id.name.as_str()) {
                let first = ladder.rung_origins[i];
                self.duplicate("level", &r.id, first);
                continue;
            }
            ladder.rungs.push(crate::model::Rung {
                id: r.id.name.to_string(),
                name: r.name.value.clone(),
            });
            ladder.rung_origins.push(self.origin(r.id.span));
        }
        self.model.ladders.insert(id.name.to_string(), ladder);
    }

    fn resolve_actor_parents(&mut self, stmts: &[(FileId, &Statement)]) {
        for &(file, stmt) in stmts {
            self.file = file;
            if let StmtKind::Actor(ast) = &stmt.kind {
                let ActorAst { id, of, cite, .. } = &**ast;
                let Some(&actor_id) = self.model.index.names.get(id.name.as_str()) else {
                    continue;
                };
                // A duplicate declaration has no actor of its own.
                if self.model.actor(actor_id).origin != self.origin(id.span) {
                    continue;
                }
                let mut parents: Vec<ActorId> = Vec::new();
                for o in of {
                    let parent = self.actor(o, POLITIES, "what an actor belongs to");
                    if let Some(p) = parent.filter(|p| !parents.contains(p)) {
                        parents.push(p);
                    }
                }
                let host = ast
                    .host
                    .as_ref()
                    .and_then(|h| self.actor(h, POLITIES, "where a body sits"));
                let successor = ast
                    .succeeded_by
                    .as_ref()
                    .and_then(|s| self.actor(s, POLITIES, "a successor"));
                let sources = self.cite(cite);
                let actor = &mut self.model.actors[actor_id.index()];
                actor.of = parents;
                actor.host = host;
                actor.succeeded_by = successor;
                actor.sources = sources;
            }
        }
    }

    // ------------------------------------------------------------ names

    /// Resolves an actor reference, checking its kind against `allowed`.
    pub fn actor(&mut self, id: &Ident, allowed: &[ActorKind], slot: &str) -> Option<ActorId> {
        if id.office().is_some() {
            // An office stands for a person only where `participant`
            // resolves it. Looked up here, it would be found or not by
            // whether an event lowered before made its actor.
            self.emit(
                Diagnostic::new(
                    Code::UnknownActor,
                    format!("`{}` is an office, not an actor", id.name),
                )
                .at(
                    self.file,
                    id.span,
                    format!("an office, where {slot} is named"),
                )
                .help(
                    "an office stands for whoever held it where an event names who took part, \
                     hosted, invited or came along, or a statement who spoke; here, name the \
                     actor by its id",
                ),
            );
            return None;
        }
        let Some(&found) = self.model.index.names.get(id.name.as_str()) else {
            self.unknown(&id.name, &[DeclaredKind::Actor], |this| {
                let declared = this.declared_names();
                Diagnostic::new(Code::UnknownActor, format!("unknown actor `{}`", id.name))
                    .at(this.file, id.span, "not declared anywhere")
                    .help_suggesting(
                        &id.name,
                        declared,
                        format!(
                            "declare it first, e.g. `{} {} \"Full Name\"`",
                            allowed.first().copied().unwrap_or(ActorKind::State).word(),
                            id.name
                        ),
                    )
            });
            return None;
        };
        let actor = self.model.actor(found);
        if !allowed.contains(&actor.kind) {
            let kinds: Vec<&str> = allowed.iter().map(|k| k.word()).collect();
            let (kind, origin) = (actor.kind.word(), actor.origin);
            let d = Diagnostic::new(
                Code::WrongKind,
                format!(
                    "`{}` is {} {}, but {slot} must be {}",
                    id.name,
                    article(kind),
                    kind,
                    kinds_list(&kinds)
                ),
            )
            .at(self.file, id.span, format!("{} {kind}", article(kind)))
            .also(
                origin.file,
                origin.span,
                format!("declared as {} {kind} here", article(kind)),
            )
            .help(format!("use {} here", kinds_list(&kinds)));
            self.emit(d);
            return None;
        }
        Some(found)
    }

    /// The ids and aliases of declared actors, to suggest for a misspelt
    /// one: not the actors made for offices that no one held, which exist
    /// or not by what was lowered before.
    fn declared_names(&self) -> impl Iterator<Item = &str> {
        self.model
            .index
            .names
            .iter()
            .filter(|&(_, &a)| self.model.actor(a).office.is_none())
            .map(|(name, _)| name.as_str())
    }

    fn pair(&mut self, p: &PairAst, slot: &str) -> Option<(ActorId, ActorId)> {
        let a = self.actor(&p.a, POLITIES, slot);
        let b = self.actor(&p.b, POLITIES, slot);
        let (a, b) = (a?, b?);
        if a == b {
            let d = Diagnostic::new(
                Code::SelfRelation,
                format!("`{}` cannot be in a relation with itself", p.a.name),
            )
            .at(self.file, p.span, "the same actor on both sides")
            .help("a relation joins two different states, e.g. `China~Russia`");
            self.emit(d);
            return None;
        }
        Some((a, b))
    }

    fn cite(&mut self, ids: &[Ident]) -> Few<SourceId> {
        let mut out = Few::new();
        for id in ids {
            match self.model.sources.get_index_of(id.name.as_str()) {
                Some(i) => {
                    self.model.sources[i].cited += 1;
                    if !out.contains(&SourceId(i as u32)) {
                        out.push(SourceId(i as u32));
                    }
                }
                None => self.unknown(&id.name, &[DeclaredKind::Source], |this| {
                    Diagnostic::new(Code::UnknownSource, format!("unknown source `{}`", id.name))
                        .at(this.file, id.span, "no source has this id")
                        .help_suggesting(
                            &id.name,
                            this.model.sources.keys().map(String::as_str),
                            format!(
                                "declare it: `source {} \"Title\" published 2025-01-01`",
                                id.name
                            ),
                        )
                }),
            }
        }
        out
    }

    /// Checks a date against the calendar.
    pub fn when(&mut self, w: &WhenAst) -> Option<When> {
        match w.read(self.file) {
            Ok(when) => Some(when),
            Err(d) => {
                self.emit(d);
                None
            }
        }
    }

    // ------------------------------------------------------------ events and facts

    /// Reports an actor named twice in one list (`meeting Xi, Xi`).
    fn distinct(&mut self, parties: &[Ident]) -> bool {
        let mut ok = true;
        for (i, p) in parties.iter().enumerate() {
            if let Some(first) = parties[..i].iter().find(|q| q.name == p.name) {
                let d =
                    Diagnostic::new(Code::RepeatedActor, format!("`{}` is listed twice", p.name))
                        .at(self.file, p.span, "listed again here")
                        .also(self.file, first.span, "first listed here")
                        .help("list each participant once");
                self.emit(d);
                ok = false;
            }
        }
        ok
    }

    fn event(&mut self, ev: &EventAst, stmt_span: Span) {
        let distinct = match &ev.kind {
            EventKindAst::Meeting { parties, .. } | EventKindAst::Agreement { parties, .. } => {
                self.distinct(parties)
            }
            _ => true,
        };
        let when = self.when(&ev.when);
        let day_ok = when.is_none_or(|w| self.weekday_matches(ev, &w));
        let parties = self.event_parties(&ev.kind, when.as_ref());
        let resolved = parties.resolved;
        let sources = self.cite(&ev.cite);
        let mut event = self.new_event(ev, stmt_span, parties, when, sources);
        if let Some(time) = ev.day.as_ref().and_then(|d| d.time.as_ref()) {
            event.details_mut().more_mut().time = Some(time.name.clone());
        }
        let (attrs_ok, pending_at) = self.event_attrs(ev, &mut event);
        if !(resolved && attrs_ok && distinct && day_ok) || when.is_none() {
            return;
        }
        self.add_event(event, ev, stmt_span, pending_at);
    }

    /// Resolves who took part in an event.
    fn event_parties(&mut self, kind: &EventKindAst, when: Option<&When>) -> Parties {
        let mut parties = Parties {
            kind: EventKind::Summit,
            participants: Few::new(),
            to: None,
            title: None,
            office: None,
            capacity: Vec::new(),
            subkind: None,
            resolved: true,
        };
        match kind {
            EventKindAst::Visit { visitor, host } => {
                let v =
                    self.participant(visitor, ANY_ACTOR, "a visitor", when, &mut parties.capacity);
                let h = self.actor(host, STATES, "the place visited");
                parties.kind = EventKind::Visit;
                parties.resolved = v.is_some() && h.is_some();
                parties.participants = v.into_iter().collect();
                parties.to = h;
            }
            EventKindAst::Meeting {
                parties: ids,
                capacities,
                call,
            } => {
                parties.kind = if *call {
                    EventKind::Call
                } else {
                    EventKind::Meeting
                };
                (parties.participants, parties.resolved) =
                    self.participants(ids, "a participant", when, &mut parties.capacity);
                if parties.resolved {
                    parties
                        .capacity
                        .extend(capacities.iter().map(|(i, office)| Capacity {
                            who: parties.participants[*i],
                            office: office.name.clone(),
                            span: office.span,
                        }));
                }
            }
            EventKindAst::Elected(elected) => {
                let ElectedAst {
                    person,
                    office,
                    of,
                    re,
                } = &**elected;
                let p = self.actor(person, PEOPLE, "the person elected");
                let s = self.actor(of, BODIES, "what they were elected to");
                parties.kind = if *re {
                    EventKind::Reelected
                } else {
                    EventKind::Elected
                };
                parties.resolved = p.is_some() && s.is_some();
                parties.participants = p.into_iter().collect();
                parties.to = s;
                parties.office = Some(office.name.clone());
            }
            EventKindAst::Agreement {
                title,
                parties: ids,
            } => {
                parties.kind = EventKind::Agreement;
                (parties.participants, parties.resolved) =
                    self.actors(ids, "a party to an agreement");
                parties.title = Some(title.value.as_str().into());
            }
            EventKindAst::Summit { title } => {
                parties.kind = EventKind::Summit;
                parties.title = Some(title.value.as_str().into());
            }
            EventKindAst::Other(other) => {
                let OtherEventAst {
                    kind,
                    title,
                    parties: ids,
                } = &**other;
                parties.kind = EventKind::Other;
                parties.subkind = Some(self.word(&kind.name));
                parties.title = Some(title.value.as_str().into());
                (parties.participants, parties.resolved) =
                    self.participants(ids, "a participant", when, &mut parties.capacity);
            }
        }
        parties
    }

    /// Resolves a list of actors of any kind; says whether all resolved.
    fn actors(&mut self, ids: &[Ident], slot: &str) -> (Few<ActorId>, bool) {
        resolve_each(ids, |id| self.actor(id, ANY_ACTOR, slot))
    }

    /// The event before its attributes are applied. An event whose date
    /// did not lower gets a placeholder date: it is checked, then dropped.
    fn new_event(
        &mut self,
        ev: &EventAst,
        stmt_span: Span,
        parties: Parties,
        when: Option<When>,
        sources: Few<SourceId>,
    ) -> Event {
        let kind = parties.kind;
        let mut event = Event {
            kind,
            when: when.unwrap_or(When {
                lo: 0,
                hi: 0,
                shape: date::Shape::Point(Precision::Day),
            }),
            participants: parties.participants,
            to: parties.to,
            subkind: parties.subkind,
            mode: (kind == EventKind::Call).then(|| self.word("phone")),
            sources,
            details: None,
            origin: self.origin(stmt_span),
            spans: EventSpans::new(
                ev.when.span,
                match &ev.kind {
                    EventKindAst::Visit { host, .. } => host.span,
                    _ => ev.keyword,
                },
                ev.attrs
                    .iter()
                    .find(|a| a.key == AttrKey::At)
                    .map_or(ev.keyword, |a| a.value.span()),
            ),
        };
        // Details are boxed and most events have none: make them only when
        // there is something to put there.
        if parties.title.is_some() {
            event.details_mut().title = parties.title;
        }
        if parties.office.is_some() || !parties.capacity.is_empty() {
            let more = event.details_mut().more_mut();
            more.office = parties.office;
            more.capacity = parties.capacity;
        }
        event
    }

    /// Applies an event's attributes. Returns whether every one was valid,
    /// and the id of `at <id>`, resolved once every label is known.
    fn event_attrs(&mut self, ev: &EventAst, event: &mut Event) -> (bool, Pending) {
        let mut ok = true;
        let (mut pending_at, mut pending_during) = (None, None);
        let mut seen: Vec<(AttrKey, Span)> = Vec::new();
        for attr in &ev.attrs {
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == attr.key) {
                let d = Diagnostic::new(
                    Code::BadAttribute,
                    format!("`{}` is given twice", attr.key.word()),
                )
                .at(self.file, attr.key_span, "given again here")
                .also(self.file, *first, "first given here")
                .help("keep one of the two");
                self.emit(d);
                ok = false;
                continue;
            }
            seen.push((attr.key, attr.key_span));
            if !attr.key.applies_to(ev.kind.keyword()) {
                self.attr_does_not_apply(ev.kind.keyword(), attr);
                ok = false;
                continue;
            }
            if let (false, Some(extra)) = (attr.key.takes_a_list(), attr.more.first()) {
                let d = Diagnostic::new(
                    Code::BadAttribute,
                    format!("`{}` takes one value", attr.key.word()),
                )
                .at(self.file, extra.span(), "a second value")
                .help("only `with` and `topics` take a list");
                self.emit(d);
                ok = false;
                continue;
            }
            ok &= self.apply_attr(attr, event, (&mut pending_at, &mut pending_during));
        }
        (ok, (pending_at, pending_during))
    }

    fn attr_does_not_apply(&mut self, kind: Keyword, attr: &Attr) {
        let allowed: Vec<&str> = AttrKey::taken_by(kind).map(|k| k.word()).collect();
        let d = Diagnostic::new(
            Code::BadAttribute,
            format!(
                "`{}` does not apply to {} {}",
                attr.key.word(),
                article(kind.word()),
                kind.word()
            ),
        )
        .at(self.file, attr.key_span, "not allowed here")
        .help(format!(
            "{} {} takes: {}",
            article(kind.word()),
            kind.word(),
            allowed.join(", ")
        ));
        self.emit(d);
    }

    /// Applies one attribute that applies to the event; returns whether
    /// its value was valid.
    fn apply_attr(
        &mut self,
        attr: &Attr,
        event: &mut Event,
        (pending_at, pending_during): (&mut Option<Ident>, &mut Option<Ident>),
    ) -> bool {
        match (attr.key, &attr.value) {
            (AttrKey::Kind, AttrValue::Ident(v)) => {
                if event.kind == EventKind::Visit && !VISIT_KINDS.contains(&v.name.as_str()) {
                    self.bad_value("visit kind", v, VISIT_KINDS);
                    return false;
                }
                event.subkind = Some(self.word(&v.name));
            }
            (AttrKey::Mode, AttrValue::Ident(v)) => {
                if !MEETING_MODES.contains(&v.name.as_str()) {
                    self.bad_value("meeting mode", v, MEETING_MODES);
                    return false;
                }
                event.mode = Some(self.word(&v.name));
            }
            (AttrKey::Reason, AttrValue::Str(s)) => {
                event.details_mut().more_mut().reason = Some(s.value.clone())
            }
            (AttrKey::InvitedBy, AttrValue::Ident(v)) => {
                // An office resolves as a participant's does, to its holder
                // or else to the office itself, made here if no event made
                // it before: so whether it resolves cannot depend on which
                // event was lowered first. The inviter takes no part, so
                // no capacity is recorded (a visit's first is the
                // visitor's).
                let when = event.when;
                let who =
                    self.participant(v, ANY_ACTOR, "who invited", Some(&when), &mut Vec::new());
                event.details_mut().more_mut().invited_by = who;
                return who.is_some();
            }
            (AttrKey::Host, AttrValue::Ident(v)) => {
                let (when, mut capacity) = (event.when, Vec::new());
                let host = self.participant(v, ANY_ACTOR, "a host", Some(&when), &mut capacity);
                event.details_mut().host = host;
                event.details_mut().more_mut().capacity.extend(capacity);
                return host.is_some();
            }
            (AttrKey::With, _) => return self.with_attr(attr, event),
            (AttrKey::Topics, _) => return self.topics_attr(attr, event),
            (AttrKey::Status, AttrValue::Ident(v)) => {
                let Some(status) = EventStatus::from_word(&v.name) else {
                    self.bad_value("status", v, EVENT_STATUSES);
                    return false;
                };
                event.details_mut().status = Some(status);
            }
            (AttrKey::During, AttrValue::Ident(v)) => *pending_during = Some(v.clone()),
            (AttrKey::At, AttrValue::Str(s)) => {
                event.details_mut().at = Some(Place::Named(s.value.as_str().into()))
            }
            (AttrKey::At, AttrValue::Ident(v)) => *pending_at = Some(v.clone()),
            (AttrKey::Label, AttrValue::Ident(v)) => {
                if let Some(first) = self.label_decl.get(v.name.as_str()).copied() {
                    self.duplicate("event label", v, first);
                    return false;
                }
                event.details_mut().label = Some(v.name.clone());
            }
            (AttrKey::Capacity, AttrValue::Ident(v)) => return self.trailing_capacity(v, event),
            (key, value) => {
                let d = Diagnostic::new(
                    Code::BadAttribute,
                    format!(
                        "`{}` takes {}",
                        key.word(),
                        match value {
                            AttrValue::Str(_) => "an id, not a string",
                            AttrValue::Ident(_) => "a quoted string, not an id",
                        }
                    ),
                )
                .at(self.file, value.span(), "wrong kind of value");
                self.emit(d);
                return false;
            }
        }
        true
    }

    /// `capacity <office>` after the date: the office of the participant
    /// named last (a visit's visitor). Returns false when that participant
    /// already has one.
    fn trailing_capacity(&mut self, office: &Ident, event: &mut Event) -> bool {
        let Some(&who) = event.participants.last() else {
            return true; // a participant did not resolve: already reported
        };
        if let Some(first) = event
            .details()
            .more()
            .capacity
            .iter()
            .find(|c| c.who == who)
        {
            let name = self.model.actor_name(who).to_string();
            let d = Diagnostic::new(
                Code::BadAttribute,
                format!("`capacity` is given twice for {name}"),
            )
            .at(self.file, office.span, "given again here")
            .also(self.file, first.span, "first given here")
            .help(format!(
                "a `capacity` after the date is the last-named participant's ({name}); keep one of the two"
            ));
            self.emit(d);
            return false;
        }
        event.details_mut().more_mut().capacity.push(Capacity {
            who,
            office: office.name.clone(),
            span: office.span,
        });
        true
    }

    /// Adds a valid event to the model, with its label and its pending `at`.
    fn add_event(
        &mut self,
        event: Event,
        ev: &EventAst,
        stmt_span: Span,
        (pending_at, pending_during): Pending,
    ) {
        let id = EventId(self.model.events.len() as u32);
        if let Some(label) = event.details().label.clone() {
            let span = ev
                .attrs
                .iter()
                .find(|a| a.key == AttrKey::Label)
                .map(|a| a.value.span())
                .unwrap_or(stmt_span);
            self.label_decl.insert(label.to_string(), self.origin(span));
            self.model.index.labels.insert(label.to_string(), id);
        }
        if let Some(at) = pending_at {
            self.pending_at.push((id, self.file, at));
        }
        if let Some(trip) = pending_during {
            self.pending_during.push((id, self.file, trip));
        }
        self.model.events.push(event);
    }

    fn bad_value(&mut self, what: &str, v: &Ident, allowed: &[&str]) {
        let mut d = Diagnostic::new(Code::BadAttribute, format!("`{}` is not a {what}", v.name))
            .at(self.file, v.span, format!("unknown {what}"));
        d = match suggest(&v.name, allowed.iter().copied()) {
            Some(s) => d.help(format!(
                "did you mean `{s}`? ({}s: {})",
                what,
                allowed.join(", ")
            )),
            None => d.help(format!("{what}s are: {}", allowed.join(", "))),
        };
        self.emit(d);
    }

    fn resolve_places(&mut self) {
        for (event, file, at) in std::mem::take(&mut self.pending_at) {
            self.file = file;
            let place = if let Some(&e) = self.model.index.labels.get(at.name.as_str()) {
                Some(Place::Event(e))
            } else if self.model.index.names.contains_key(at.name.as_str()) || at.office().is_some()
            {
                // An office is reported as one, whether an event made its
                // actor or not.
                self.actor(&at, ANY_ACTOR, "a place").map(Place::Actor)
            } else {
                let declared_as = [DeclaredKind::Label, DeclaredKind::Actor];
                self.unknown(&at.name, &declared_as, |this| {
                    let labels = this.model.index.labels.keys().map(String::as_str);
                    let names = this.declared_names();
                    Diagnostic::new(
                        Code::UnknownLabel,
                        format!("`{}` is neither an event label nor an actor", at.name),
                    )
                    .at(file, at.span, "nothing has this id")
                    .help_suggesting(&at.name, labels.chain(names), format!(
                        "label the event with `as {}`, or write a place name in quotes: `at \"{}\"`",
                        at.name, at.name
                    ))
                });
                None
            };
            if place.is_some() {
                self.model.events.get_mut(event).details_mut().at = place;
            }
        }
    }

    fn fact(&mut self, stmt: &Statement) {
        match &stmt.kind {
            StmtKind::Member(member) => self.member(stmt, member),
            StmtKind::Relations(relations) => self.relations(stmt, relations),
            StmtKind::Dated { label, when, cite } => self.dated(stmt, label, when, cite),
            StmtKind::Figure(figure) => self.figure(stmt, figure),
            StmtKind::Level(level) => self.level(stmt, level),
            StmtKind::Trade(trade) => self.trade(stmt, trade),
            StmtKind::Say(say) => self.say(stmt, say),
            StmtKind::Assert { check } => self.check(CheckKind::Assert, check, &[]),
            StmtKind::Claim { check, cite } => self.check(CheckKind::Claim, check, cite),
            StmtKind::Complete { scope, cite } => self.complete(stmt, scope, cite),
            _ => {}
        }
    }

    fn role(&mut self, stmt: &Statement, ast: &RoleAst) {
        let RoleAst {
            holder,
            office,
            of,
            to,
            tenure,
            cite,
        } = ast;
        let h = self.actor(holder, &[ActorKind::Person], "a role's holder");
        let o = self.actor(of, BODIES, "whom a role serves");
        let t = to
            .as_ref()
            .map(|t| self.actor(t, POLITIES, "where a role is posted"));
        let when = match tenure {
            Tenure::Since(w) => self.when(w).map(When::since),
            Tenure::Until(w) => self.when(w).map(When::until),
            Tenure::During(w) => self.when(w),
        };
        let sources = self.cite(cite);
        if let (Some(holder), Some(of), Some(when)) = (h, o, when) {
            if t.is_some_and(|t| t.is_none()) {
                return;
            }
            self.model.roles.push(Role {
                holder,
                office: office.name.to_string(),
                of,
                to: t.flatten(),
                when,
                sources,
                origin: self.origin(stmt.span),
            });
        }
    }

    fn trade(&mut self, stmt: &Statement, ast: &TradeAst) {
        let TradeAst {
            pair,
            year,
            amount,
            currency,
            yoy,
            cite,
        } = ast;
        let p = self.pair(pair, "a trade relation");
        let year_number = self.trade_year(year);
        let figure = self.amount(amount);
        let change = yoy.as_ref().and_then(|y| self.percent(y));
        let sources = self.cite(cite);
        if let (Some((a, b)), Some(year), Some(amount_figure)) = (p, year_number, figure) {
            let origin = self.origin(stmt.span);
            self.relation(a, b).trade.push(TradeFigure {
                year,
                amount: amount_figure,
                currency: currency.name.to_string(),
                yoy: change,
                sources,
                origin,
                amount_span: amount.span,
                yoy_span: yoy.as_ref().map_or(amount.span, |y| y.span),
            });
        }
    }

    /// Reads an amount, or says how to write it.
    fn amount(&mut self, amount: &AmountAst) -> Option<Figure> {
        let figure = Figure::parse(&amount.number, amount.scale).map(|mut f| {
            f.bound = amount.bound;
            f
        });
        if figure.is_none() {
            let written = format!("{}{}", amount.number, amount.scale.suffix());
            let d = Diagnostic::new(
                Code::MalformedNumber,
                format!("`{written}` is not an amount Rel can read"),
            )
            .at(self.file, amount.span, "not a number");
            // Letters glued to the digits (`1e309`, `5kUSD`) or a digit
            // too many: say what an amount is; a comma: say where the
            // point goes.
            let d = if written.contains(',') {
                d.help(format!(
                    "write the decimal point as `.` and no thousands separators: `{}`",
                    written.replace(',', ".")
                ))
            } else if written.bytes().filter(u8::is_ascii_digit).count() > MAX_DIGITS {
                d.help(format!(
                    "an amount has at most {MAX_DIGITS} digits: use a scale (`k`, `m`, `bn`, `tn`) or fewer decimals"
                ))
            } else {
                d.help(
                    "write an amount in digits with an optional scale (`k`, `m`, `bn`, `tn`), \
                     then a blank before the currency or unit: `244.8bn USD`; exponents \
                     (`1e9`) are not read",
                )
            };
            self.emit(d);
        }
        figure
    }

    /// Reads a percentage, or says how to write it.
    fn percent(&mut self, percent: &PercentAst) -> Option<Percent> {
        let p = Percent::parse(&percent.text);
        if p.is_none() {
            let d = Diagnostic::new(
                Code::MalformedNumber,
                format!("`{}` is not a percentage Rel can read", percent.text),
            )
            .at(self.file, percent.span, "not a number")
            .help("write it like `+1.9%`");
            self.emit(d);
        }
        // A fall of more than everything: the amount would be below zero.
        // The change is left out, so no check compares with it.
        if let Some(change) = p.filter(Percent::is_below_minus_100) {
            let d = Diagnostic::new(
                Code::ImpossibleChange,
                format!("a change of {change} would leave less than nothing"),
            )
            .at(self.file, percent.span, "below -100%")
            .help("a fall is at most -100% (to zero): check the sign and the digits, such as `-10.0%` for `-1000%`");
            self.emit(d);
            return None;
        }
        p
    }

    fn say(&mut self, stmt: &Statement, ast: &SayAst) {
        let SayAst {
            speakers,
            when,
            about,
            capacity,
            text,
            cite,
        } = ast;
        let w = self.when(when);
        let mut capacities = Vec::new();
        let (speakers_found, all_found) =
            self.participants(speakers, "a speaker", w.as_ref(), &mut capacities);
        let (mut pair, mut topics, mut about_actors, mut about_ok) =
            (None, Vec::new(), Vec::new(), true);
        for what in about {
            match what {
                AboutAst::Pair(p) => {
                    pair = self.pair(p, "what a statement is about");
                    about_ok &= pair.is_some();
                }
                AboutAst::Topic(t) => topics.push(t.value.clone()),
                AboutAst::Actor(a) => match self.actor(a, ANY_ACTOR, "what a statement is about") {
                    Some(a) => about_actors.push(a),
                    None => about_ok = false,
                },
            }
        }
        let sources = self.cite(cite);
        if !about_ok || !all_found {
            return;
        }
        let capacity_span = capacity
            .as_ref()
            .map(|c| c.span)
            .unwrap_or(speakers[0].span);
        let capacity = capacity
            .as_ref()
            .map(|c| c.name.to_string())
            .or_else(|| capacities.first().map(|c| c.office.to_string()));
        if let (Some((&speaker, with)), Some(when)) = (speakers_found.split_first(), w) {
            let origin = self.origin(stmt.span);
            self.model.statements.push(Say {
                speaker,
                with: with.to_vec(),
                when,
                about: pair,
                topics,
                about_actors,
                capacity,
                text: text.value.clone(),
                sources,
                origin,
                capacity_span,
            });
        }
    }

    fn check(&mut self, kind: CheckKind, cmp: &Comparison, cite: &[Ident]) {
        let sources = self.cite(cite);
        let text = one_spaced(self.sources.get(self.file).slice(cmp.span));
        let origin = self.origin(cmp.span);
        self.model.checks.push(Check {
            kind,
            text,
            verdict: Verdict::Undecided,
            sources,
            origin,
        });
    }

    fn trade_year(&mut self, year: &WhenAst) -> Option<i32> {
        let when = self.when(year)?;
        if when.start_precision() != Precision::Year {
            let (text, span) = (self.sources.get(self.file).slice(year.span), &year.span);
            let d = Diagnostic::new(
                Code::MalformedDate,
                format!("a trade figure is for a whole year, not `{text}`"),
            )
            .at(self.file, *span, "not a year")
            .help(format!(
                "write the year alone, e.g. `{}`",
                &text[..text.len().min(4)]
            ));
            self.emit(d);
            return None;
        }
        date::from_day_number(when.lo).map(|d| chrono::Datelike::year(&d))
    }

    fn relation(&mut self, a: ActorId, b: ActorId) -> &mut Relation {
        let key = pair_key(a, b);
        self.model
            .relations
            .entry(key)
            .or_insert_with(|| Relation::new(key))
    }

    fn level(&mut self, stmt: &Statement, ast: &LevelAst) {
        let p = self.pair(&ast.pair, "a relation");
        let w = self.when(&ast.when);
        let sources = self.cite(&ast.cite);
        let via_event = ast.via.as_ref().map(|v| self.via_event(v));
        let key = p.map(|(a, b)| pair_key(a, b));
        let current = key.and_then(|k| self.model.relations.get(&k).and_then(|r| r.ladder));
        let Some(ladder_id) = self.choose_ladder(ast, current) else {
            return;
        };
        let Some(rung) = self.rung_on(ladder_id, ast, key) else {
            return;
        };
        let (Some(key), Some(when)) = (key, w) else {
            return;
        };
        if matches!(via_event, Some(None)) {
            return;
        }
        if !self.keeps_ladder(ast, key, current, ladder_id) {
            return;
        }
        let origin = self.origin(stmt.span);
        let level_span = ast.level.span;
        let rel = self.relation(key.0, key.1);
        rel.ladder = Some(ladder_id);
        rel.levels.push(LevelChange {
            ladder: ladder_id,
            rung,
            when,
            via: via_event.flatten(),
            downgrade: ast.downgrade.is_some(),
            sources,
            origin,
            level_span,
            via_span: ast.via.as_ref().map_or(level_span, |v| v.span),
            downgrade_span: ast.downgrade,
        });
    }

    /// The event a `via` label names, or `None` once reported unknown.
    fn via_event(&mut self, via: &Ident) -> Option<EventId> {
        if let Some(&e) = self.model.index.labels.get(via.name.as_str()) {
            return Some(e);
        }
        self.unknown(&via.name, &[DeclaredKind::Label], |this| {
            Diagnostic::new(
                Code::UnknownLabel,
                format!("no event is labelled `{}`", via.name),
            )
            .at(this.file, via.span, "unknown label")
            .help_suggesting(
                &via.name,
                this.model.index.labels.keys().map(String::as_str),
                format!(
                    "label the event this change came with: `... as {}`",
                    via.name
                ),
            )
        });
        None
    }

    /// Which ladder a level is on: the one named with `on`, else the one
    /// the relation already uses, else the only ladder that has this
    /// level. `None` once the reason is reported.
    fn choose_ladder(&mut self, ast: &LevelAst, current: Option<LadderId>) -> Option<LadderId> {
        let level = &ast.level;
        let ladder_id = match &ast.ladder {
            Some(l) => match self.model.ladders.get_index_of(l.name.as_str()) {
                Some(i) => Some(LadderId(i as u32)),
                None => {
                    self.unknown(&l.name, &[DeclaredKind::Ladder], |this| {
                        Diagnostic::new(Code::UnknownLadder, format!("unknown ladder `{}`", l.name))
                            .at(this.file, l.span, "no ladder has this id")
                            .help_suggesting(
                                &l.name,
                                this.model.ladders.keys().map(String::as_str),
                                "declare it with `ladder <id> { level \"name\" … }`",
                            )
                    });
                    return None;
                }
            },
            None => current.or_else(|| self.model.ladder_of(None, &level.name)),
        };
        if ladder_id.is_none() {
            self.unknown(&level.name, &[DeclaredKind::Level], |this| {
                let all = this
                    .model
                    .ladders
                    .values()
                    .flat_map(|l| l.rungs.iter().map(|r| r.id.as_str()));
                let otherwise = if this.model.ladders.is_empty() {
                    "declare a ladder of levels first: `ladder <id> { level \"name\" … }`"
                } else {
                    "add the level to a ladder, or use one the ladder has"
                };
                Diagnostic::new(
                    Code::UnknownLevel,
                    format!("unknown level `{}`", level.name),
                )
                .at(this.file, level.span, "on no ladder")
                .help_suggesting(&level.name, all, otherwise)
            });
        }
        ladder_id
    }

    /// The level's position on its ladder, or `None` once reported as not
    /// on it.
    fn rung_on(
        &mut self,
        ladder_id: LadderId,
        ast: &LevelAst,
        key: Option<(ActorId, ActorId)>,
    ) -> Option<usize> {
        let level = &ast.level;
        let lad = self.model.ladder(ladder_id);
        if let Some(rung) = lad.position(level.name.as_str()) {
            return Some(rung);
        }
        let rungs: Vec<&str> = lad.rungs.iter().map(|r| r.id.as_str()).collect();
        let ladder_name = lad.id.clone();
        // Without `on`, the ladder is the one the relation already uses.
        let mut d = if ast.ladder.is_none() {
            let pair_name = format!("{}~{}", ast.pair.a.name, ast.pair.b.name);
            let mut d = Diagnostic::new(
                Code::OffLadder,
                format!(
                    "`{}` is not on ladder `{ladder_name}`, which {pair_name} uses",
                    level.name
                ),
            )
            .at(
                self.file,
                level.span,
                format!("not a level of `{ladder_name}`"),
            );
            if let Some(fixed) = key.and_then(|k| self.ladder_fixed_at.get(&k)).copied() {
                d = d.also(
                    fixed.file,
                    fixed.span,
                    format!("{pair_name} took ladder `{ladder_name}` here"),
                );
            }
            d
        } else {
            Diagnostic::new(
                Code::UnknownLevel,
                format!("`{}` is not a level of ladder `{ladder_name}`", level.name),
            )
            .at(self.file, level.span, "unknown level")
        };
        d = d.help_suggesting(
            &level.name,
            rungs.iter().copied(),
            format!("levels of `{ladder_name}`: {}", rungs.join(", ")),
        );
        self.emit(d);
        None
    }

    /// One relation keeps one ladder: the first level recorded fixes it,
    /// and a level of another ladder is reported (returns false).
    fn keeps_ladder(
        &mut self,
        ast: &LevelAst,
        key: (ActorId, ActorId),
        current: Option<LadderId>,
        ladder_id: LadderId,
    ) -> bool {
        let level = &ast.level;
        match current {
            None => {
                self.ladder_fixed_at.insert(key, self.origin(level.span));
                true
            }
            Some(current) if current != ladder_id => {
                let pair_name = format!("{}~{}", ast.pair.a.name, ast.pair.b.name);
                let cur = self.model.ladder(current).id.clone();
                let mut d = Diagnostic::new(
                    Code::OffLadder,
                    format!(
                        "{pair_name} uses ladder `{cur}`, not `{}`",
                        self.model.ladder(ladder_id).id
                    ),
                )
                .at(self.file, level.span, "a level of another ladder");
                if let Some(fixed) = self.ladder_fixed_at.get(&key).copied() {
                    d = d.also(
                        fixed.file,
                        fixed.span,
                        format!("{pair_name} took ladder `{cur}` here"),
                    );
                }
                self.emit(d.help(
                    "one relation keeps one ladder; record this level on the relation's own ladder",
                ));
                false
            }
            Some(_) => true,
        }
    }
}

impl Lowerer<'_> {
    /// `complete <query> [src]`: a scope in which the model holds every
    /// event. Its query is a noun of events or statements with filters.
    fn complete(&mut self, stmt: &Statement, q: &BaseQuery, cite: &[Ident]) {
        let allowed = q.noun.filters();
        if !Noun::COMPLETABLE.contains(&q.noun) {
            let nouns: Vec<&str> = Noun::COMPLETABLE.iter().map(|n| n.word()).collect();
            let d = Diagnostic::new(
                Code::BadQuery,
                format!("`complete` cannot take `{}`", q.noun.word()),
            )
            .at(self.file, q.noun_span, "not a list of events")
            .help(format!(
                "`complete` takes {}, with filters",
                or_list(&nouns)
            ));
            self.emit(d);
            return;
        }
        if let Some(Subject::Actor(Ident { span, .. }) | Subject::Pair(PairAst { span, .. })) =
            &q.subject
        {
            let d = Diagnostic::new(
                Code::BadQuery,
                format!("`complete {}` names its actors with filters", q.noun.word()),
            )
            .at(self.file, *span, "not a filter")
            .help(format!(
                "`complete {}` takes: {}",
                q.noun.word(),
                allowed
                    .iter()
                    .map(|k| k.word())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            self.emit(d);
            return;
        }
        let mut scope = Complete {
            noun: q.noun.word().to_string(),
            actors: Vec::new(),
            offices: Vec::new(),
            about: None,
            kind: None,
            mode: None,
            within: None,
            since: None,
            until: None,
            on: None,
            text: one_spaced(self.sources.get(self.file).slice(stmt.span)),
            sources: Few::new(),
            origin: self.origin(stmt.span),
        };
        let mut ok = true;
        for f in &q.filters {
            ok &= self.complete_filter(&mut scope, q, f);
        }
        scope.sources = self.cite(cite);
        if ok {
            self.model.completes.push(scope);
        }
    }

    /// Adds one filter to a scope; false once reported.
    fn complete_filter(&mut self, scope: &mut Complete, q: &BaseQuery, f: &Filter) -> bool {
        use FilterKey as K;
        if let Some(misfit) = q.misfit(f, self.file) {
            self.emit(misfit);
            return false;
        }
        match (f.key, &f.value) {
            (K::In | K::Since | K::Until | K::On, FilterValue::When(w)) => {
                let Some(w) = self.when(w) else {
                    return false;
                };
                let slot = match f.key {
                    K::In => &mut scope.within,
                    K::Since => &mut scope.since,
                    K::Until => &mut scope.until,
                    _ => &mut scope.on,
                };
                *slot = Some(w);
            }
            (K::Kind, FilterValue::Ident(i)) => scope.kind = Some(i.name.to_string()),
            (K::Mode, FilterValue::Ident(i)) => scope.mode = Some(i.name.to_string()),
            (K::About, FilterValue::Pair(p)) => match self.pair(p, "a relation") {
                Some(pair) => scope.about = Some(pair),
                None => return false,
            },
            (
                K::By | K::From | K::To | K::Of | K::With | K::Involving | K::Between,
                FilterValue::Ident(i),
            ) => {
                let role = match f.key {
                    K::By | K::From => ScopeRole::By,
                    K::To => ScopeRole::To,
                    _ => ScopeRole::Involving,
                };
                if let Some((office, of)) = i.office() {
                    let Some(body) = self.actor(&of, BODIES, "whose office it is") else {
                        return false;
                    };
                    scope.offices.push((role, office.name.to_string(), body));
                    return true;
                }
                let Some(a) = self.actor(i, ANY_ACTOR, "a filter") else {
                    return false;
                };
                scope.actors.push((role, a));
            }
            (K::Status | K::At | K::During | K::About, _) => {
                let d = Diagnostic::new(
                    Code::BadQuery,
                    format!("a `complete` scope cannot be narrowed by `{}`", f.key.word()),
                )
                .at(self.file, f.key_span, "not a filter of a scope")
                .help("a scope names its actors, kind, mode, relation and dates; declare the wider scope complete");
                self.emit(d);
                return false;
            }
            // `misfit` has refused every other pairing of key and value.
            _ => {}
        }
        true
    }
}

/// The ids whose declarations did not parse, by what they declared.
fn broken_declarations(
    files: &[FileStatements],
) -> std::collections::HashSet<(DeclaredKind, compact_str::CompactString)> {
    files
        .iter()
        .flat_map(|f| &f.broken)
        .map(|d| (d.kind, d.id.name.clone()))
        .collect()
}

/// Whether an event is labelled, or is `at` or `during` something named
/// by an id (which may be a label): labels are declared, and places and
/// trips resolved, once every event is lowered.
fn waits_for_events(ev: &EventAst) -> bool {
    ev.attrs.iter().any(|a| match a.key {
        AttrKey::Label | AttrKey::During => true,
        AttrKey::At => matches!(a.value, crate::syntax::ast::AttrValue::Ident(_)),
        _ => false,
    })
}

/// A check or scope as written, with each run of blanks outside its
/// strings made one space: how it is spaced is not part of what it says,
/// so `rel fmt` leaves the model as it was.
fn one_spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped, mut blank) = (false, false, false);
    for c in text.trim().chars() {
        if !in_string && c.is_whitespace() {
            blank = true;
            continue;
        }
        if blank {
            out.push(' ');
            blank = false;
        }
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            _ => {}
        }
        out.push(c);
    }
    out
}

/// "a state or an org": kinds as a message lists them.
fn kinds_list(kinds: &[&str]) -> String {
    let with: Vec<String> = kinds
        .iter()
        .map(|k| format!("{} {k}", article(k)))
        .collect();
    or_list(&with)
}
