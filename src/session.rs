//! The REPL's core, without a terminal: a [`Session`] takes a line and
//! returns what to print, [`ask`] answers one query (it is what
//! [`rel::query`](crate::query()) calls), and [`run_script`] feeds a reader
//! through a session. The line editor in front of it lives in the `cli`
//! module; what it completes and highlights is data here
//! ([`COMMANDS`], [`keywords`], [`Session::names`]).

use crate::diag::{self, Code, Diagnostic, RenderOptions, Severity};
use crate::load::{display_path, io_reason, Added, Built, Program};
use crate::model::Model;
use crate::source::{SourceFile, SourceMap};
use crate::syntax::{self, keyword, split};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// How an answer is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerFormat {
    Text,
    Json,
}

/// A query that could not be answered: the diagnostic, and the sources it
/// points into (the query's own text, shown as `<query>`).
#[derive(Debug)]
pub struct QueryError {
    pub sources: SourceMap,
    pub diagnostic: Diagnostic,
}

impl QueryError {
    /// miette's report, as `rel check` prints diagnostics.
    pub fn render(&self, opts: RenderOptions) -> String {
        diag::render(&self.sources, &self.diagnostic, opts)
    }
}

/// Answers one query against a model. The query's text is kept in its own
/// source, so a diagnostic points into what the user typed.
pub fn ask(model: &Model, text: &str, format: AnswerFormat) -> Result<String, QueryError> {
    ask_parsed(model, text, syntax::parse_query_line(text, 0), format)
}

/// [`ask`] with the query already parsed, by a caller that parsed it to
/// tell a query from a statement.
fn ask_parsed(
    model: &Model,
    text: &str,
    parsed: Result<syntax::ast::QueryLine, syntax::SyntaxError>,
    format: AnswerFormat,
) -> Result<String, QueryError> {
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("<query>", None, text.to_string()));
    let evaluated = parsed
        .map_err(|e| e.into_diagnostic(file))
        .and_then(|line| crate::query::evaluate_line(model, file, &line));
    match evaluated {
        Ok(result) => Ok(match format {
            AnswerFormat::Text => crate::query::render_text(model, file, &result),
            AnswerFormat::Json => crate::query::render_json(model, file, &result),
        }),
        Err(diagnostic) => Err(QueryError {
            sources,
            diagnostic,
        }),
    }
}

pub use crate::syntax::is_incomplete;

const HELP: &str = "\
Type a query to ask the model, or a statement to add to it.

Queries (see docs/queries.md):
  visits by Xi to Russia                 meetings of Xi with Putin since 2013 | count
  level China~Russia on 2018-01-01       history China~Russia
  trade China~Russia in 2020..2024       statements by Denisov
  actors kind person                     first(visits by Xi).date
  count(visits by Xi) >= 2               (a comparison prints true, false or undecided)

Statements are checked first and added only if they have no errors:
  visit Xi -> Russia 2024-10-22..24 kind working reason \"BRICS summit\"

Commands:
";

/// The REPL's commands: as typed, with their argument, and what each does.
/// The help text, completion and "did you mean" all read this table.
const COMMAND_TABLE: [(&str, &str, &str); 7] = [
    (":help", "", "this text"),
    (":load", "FILE", "read a file into the session"),
    (
        ":reload",
        "",
        "read every loaded file again (statements typed here are kept)",
    ),
    (
        ":save",
        "FILE",
        "write the statements typed in this session to FILE (new, or saved before)",
    ),
    (":save!", "FILE", "the same, replacing FILE whatever it is"),
    (":clear", "", "forget the statements typed in this session"),
    (
        ":quit",
        "",
        "leave (Ctrl-D also leaves; Ctrl-C abandons the line)",
    ),
];

/// `:help`: how to use the REPL, then each command.
fn help_text() -> String {
    let mut out = HELP.to_string();
    for (name, argument, about) in COMMAND_TABLE {
        out.push_str(&format!(
            "  {:<16}{about}\n",
            format!("{name} {argument}").trim_end()
        ));
    }
    out
}

/// What the core returns for a line.
#[derive(Debug, Default, PartialEq)]
pub struct Reply {
    pub output: String,
    pub quit: bool,
    /// The line failed: a statement was refused, a query or a command
    /// failed. A piped session with a failed line exits 1.
    pub failed: bool,
    /// `output` is a failure of the session itself (a save that did not
    /// happen, unsaved statements on leaving): a front end prints it on
    /// standard error, where a script's caller looks for it.
    pub to_stderr: bool,
}

impl Reply {
    fn text(s: impl Into<String>) -> Reply {
        Reply {
            output: s.into(),
            ..Reply::default()
        }
    }
    /// A reply whose output holds an error diagnostic.
    fn failed(s: impl Into<String>) -> Reply {
        Reply {
            output: s.into(),
            failed: true,
            ..Reply::default()
        }
    }
}

/// How a typed statement reached the model.
enum Next {
    /// Added to the model in place.
    InPlace(Added),
    /// The model built again with it.
    Rebuilt(Box<Model>, Built),
}

/// The REPL's state: files loaded, statements added, the current model.
pub struct Session {
    files: Vec<PathBuf>,
    /// Statements typed in this session, accepted, in order.
    added: Vec<String>,
    /// How many of `added` no `:save` has written yet.
    unsaved: usize,
    /// Files this session wrote (canonical): `:save` may replace them.
    saved: Vec<PathBuf>,
    /// Whether leaving with unsaved statements asks first (a terminal)
    /// rather than warns and leaves (a script).
    asks_before_leaving: bool,
    /// Set when leaving was refused once for unsaved statements.
    warned_unsaved: bool,
    program: Program,
    model: Model,
    /// Every diagnostic of the current model, to tell what a statement
    /// adds to them, and those of its checks.
    built: Built,
    /// Whether a statement of events is added to the model rather than
    /// the model built again (see [`Program::add_to`]).
    adds_in_place: bool,
    opts: RenderOptions,
}

impl Session {
    pub fn new(opts: RenderOptions) -> Session {
        Session {
            files: Vec::new(),
            added: Vec::new(),
            unsaved: 0,
            saved: Vec::new(),
            asks_before_leaving: false,
            warned_unsaved: false,
            program: Program::new(),
            model: Model::default(),
            built: Built::default(),
            adds_in_place: true,
            opts,
        }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Every diagnostic of the current model, sorted.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.built.diagnostics
    }

    /// On a terminal, the first `:quit` (or Ctrl-D) with statements not
    /// saved does not leave: it says how to save them, and the next one
    /// leaves. Without it (a script), leaving warns and leaves.
    pub fn ask_before_leaving(&mut self, ask: bool) {
        self.asks_before_leaving = ask;
    }

    /// Statements added and not written by any `:save` since.
    pub fn unsaved(&self) -> usize {
        self.unsaved
    }

    /// What to say on leaving with statements not saved: a warning, or
    /// nothing when all is saved.
    pub fn leaving_warning(&self) -> Option<String> {
        (self.unsaved > 0).then(|| {
            format!(
                "warning: {} typed in this session {} not saved; `:save FILE` writes them\n",
                diag::plural(self.unsaved, "statement"),
                if self.unsaved == 1 { "is" } else { "are" }
            )
        })
    }

    /// Leaving (`:quit`, or the end of input on a terminal): on a terminal
    /// with unsaved statements, the first attempt stays and says so.
    pub fn leave(&mut self) -> Reply {
        let Some(warning) = self.leaving_warning() else {
            return Reply {
                quit: true,
                ..Reply::default()
            };
        };
        if self.asks_before_leaving && !self.warned_unsaved {
            self.warned_unsaved = true;
            return Reply {
                output: format!("{warning}leave again to quit without saving them\n"),
                to_stderr: true,
                ..Reply::default()
            };
        }
        Reply {
            output: warning,
            quit: true,
            to_stderr: true,
            ..Reply::default()
        }
    }

    /// Ids the user may want completed: actors, levels, sources, labels.
    pub fn names(&self) -> Vec<String> {
        let m = &self.model;
        let mut v: Vec<String> = m.index.names.keys().cloned().collect();
        v.extend(
            m.ladders
                .values()
                .flat_map(|l| l.rungs.iter().map(|r| r.id.clone())),
        );
        v.extend(m.ladders.keys().cloned());
        v.extend(m.sources.keys().cloned());
        v.extend(m.index.labels.keys().cloned());
        v.sort();
        v.dedup();
        v
    }

    /// Builds every statement again for each statement typed, rather
    /// than adding a statement of events to the model: the reference
    /// that adding in place is tested against.
    pub fn build_every_statement_again(&mut self) {
        self.adds_in_place = false;
    }

    fn rebuild(&mut self) -> Vec<Diagnostic> {
        let (model, built) = self.program.build_parts();
        self.set_model(model, built);
        self.built.diagnostics.clone()
    }

    /// The model a session answers from. Its every event list is made
    /// now, in one pass, so that no query and no statement added waits
    /// for a scan of the events.
    fn set_model(&mut self, model: Model, built: Built) {
        self.model = model;
        self.model.list_all_events();
        self.built = built;
    }

    /// Loads a file into the session and reports what it brings: its own
    /// diagnostics, and any it causes on lines already loaded.
    pub fn load(&mut self, path: &Path) -> String {
        self.load_reply(path).output
    }

    /// [`Session::load`] as a reply: failed if the file could not be read
    /// (then on stderr) or has errors.
    pub fn load_reply(&mut self, path: &Path) -> Reply {
        if self.program.is_loaded(path) {
            // Already read, on its own or through an include: it loads once.
            return Reply::text(format!(
                "{} is already loaded (`:reload` reads every file again)\n",
                display_path(path)
            ));
        }
        let first_new = self.program.sources.len();
        if let Err(unreadable) = self.read(path) {
            return Reply {
                output: unreadable,
                failed: true,
                to_stderr: true,
                ..Reply::default()
            };
        }
        let old = std::mem::take(&mut self.built.diagnostics);
        let diags = self.rebuild();
        let new = new_diagnostics(&old, &diags, first_new);
        let failed = new.iter().any(Diagnostic::is_error);
        Reply {
            output: self.loaded_report(&display_path(path), new),
            failed,
            ..Reply::default()
        }
    }

    /// Reads a file into the program, or says why it cannot.
    fn read(&mut self, path: &Path) -> Result<(), String> {
        if self.program.add_file(path).is_none() {
            self.program.unreadable = false;
            let d = self.program.diagnostics.pop();
            return Err(d
                .map(|d| diag::render(&self.program.sources, &d, self.opts))
                .unwrap_or_default());
        }
        self.files.push(path.to_path_buf());
        Ok(())
    }

    /// The diagnostics of a load, then one line that sums it up.
    fn loaded_report(&self, what: &str, new: Vec<Diagnostic>) -> String {
        let errors = new.iter().filter(|d| d.is_error()).count();
        // Every claim has a verdict: advice when supported or undecided, a
        // warning (shown) when contradicted. All are claims.
        let claims = new
            .iter()
            .filter(|d| {
                matches!(
                    d.code,
                    Code::ClaimSupported | Code::ClaimUndecided | Code::ClaimContradicted
                )
            })
            .count();
        // Claims' advice would bury the rest; `claims` lists their verdicts.
        let (shown, advice): (Vec<Diagnostic>, Vec<Diagnostic>) = new
            .into_iter()
            .partition(|d| d.severity != Severity::Advice);
        let mut out = diag::render_all(&self.program.sources, &shown, self.opts);
        let mut counts = vec![
            diag::plural(self.model.actors.len(), "actor"),
            diag::plural(self.model.events.len(), "event"),
        ];
        if errors > 0 {
            counts.push(diag::plural(errors, "error"));
        }
        if !advice.is_empty() || claims > 0 {
            counts.push(format!(
                "{}: `claims` shows their verdicts",
                diag::plural(claims, "claim")
            ));
        }
        out.push_str(&format!("loaded {what} ({})\n", counts.join(", ")));
        out
    }

    /// Re-reads every loaded file and replays the session's statements,
    /// then builds the model once and reports everything it finds: a typed
    /// statement that the files no longer support is an error shown here,
    /// not one dropped in silence.
    pub fn reload(&mut self) -> String {
        let files = std::mem::take(&mut self.files);
        self.program = Program::new();
        let mut out = String::new();
        for f in &files {
            if let Err(unreadable) = self.read(f) {
                out.push_str(&unreadable);
            }
        }
        for (n, text) in self.added.iter().enumerate() {
            self.program.add_text(&format!("<input:{}>", n + 1), text);
        }
        let diags = self.rebuild();
        // Without files, the typed statements are as they were checked.
        if !self.files.is_empty() {
            let names: Vec<String> = self.files.iter().map(|f| display_path(f)).collect();
            out.push_str(&self.loaded_report(&names.join(", "), diags));
        }
        out
    }

    /// Handles one complete input (a line, or several for a block).
    pub fn handle(&mut self, input: &str) -> Reply {
        let line = input.trim();
        if line.is_empty() || line.starts_with('#') {
            return Reply::default();
        }
        if let Some(cmd) = line.strip_prefix(':') {
            return self.command(cmd);
        }
        let is_statement_word = split::starts_statement(line);
        let statement = syntax::statements(line).next();
        match statement {
            Some(Ok(_)) if is_statement_word => self.add_statement(line),
            _ => {
                let query = syntax::parse_query_line(line, 0);
                match (&query, statement) {
                    // Neither parses: report the attempt that got further.
                    (Err(qe), Some(Err(se)))
                        if is_statement_word && se.span.start >= qe.span.start =>
                    {
                        self.add_statement(line)
                    }
                    // The first word is neither a statement's nor a
                    // query's: a misspelt statement is told by what follows
                    // or by the nearer keyword, and gets the statement's
                    // "did you mean" rather than a query's.
                    (Err(qe), Some(Err(_))) if qe.span.start == 0 && meant_a_statement(line) => {
                        self.add_statement(line)
                    }
                    _ => {
                        let failed = query.is_err();
                        let mut reply = Reply::text(String::new());
                        match ask_parsed(&self.model, line, query, AnswerFormat::Text) {
                            // Names and quoted text come from files: no
                            // control character of theirs reaches the
                            // terminal.
                            Ok(answer) => {
                                reply.output =
                                    crate::source::escape_for_terminal(&answer).into_owned()
                            }
                            Err(e) => {
                                reply.output = e.render(self.opts);
                                reply.failed = true;
                            }
                        }
                        reply.failed |= failed;
                        reply
                    }
                }
            }
        }
    }

    /// A failure of the session itself (not of what was typed as Rel):
    /// it has no place in a file, so it renders without a snippet.
    fn failure(&self, diagnostic: Diagnostic) -> Reply {
        Reply {
            output: diag::render(&SourceMap::new(), &diagnostic, self.opts),
            failed: true,
            to_stderr: true,
            ..Reply::default()
        }
    }

    fn missing_argument(&self, command: &str, argument: &str) -> Reply {
        self.failure(
            Diagnostic::new(
                Code::MissingArgument,
                format!("`:{command}` needs a {}", argument.to_lowercase()),
            )
            .help(format!("usage: :{command} {argument}")),
        )
    }

    fn add_statement(&mut self, text: &str) -> Reply {
        let name = format!("<input:{}>", self.added.len() + 1);
        // The statement's own text and anything it includes are new files;
        // their diagnostics decide whether it is added.
        let checkpoint = self.program.checkpoint();
        let first_new = self.program.sources.len();
        self.program.add_text(&name, text);
        let in_place = if self.adds_in_place {
            self.program
                .add_to(checkpoint, &mut self.model, &self.built)
        } else {
            None
        };
        let next = match in_place {
            Some(added) => Next::InPlace(added),
            None => {
                let (model, built) = self.program.build_parts();
                Next::Rebuilt(Box::new(model), built)
            }
        };
        // What the statement changed: every diagnostic that is new, in the
        // statement itself or on a line it made inconsistent. Added in
        // place, that is among what it brought, against what it took away
        // (which the model's diagnostics hold).
        let new = match &next {
            Next::InPlace(added) => {
                let mut new = new_diagnostics(&added.gone, &added.brought, first_new);
                diag::sort(&mut new);
                new
            }
            Next::Rebuilt(_, built) => {
                new_diagnostics(&self.built.diagnostics, &built.diagnostics, first_new)
            }
        };
        let mut out = diag::render_all(&self.program.sources, &new, self.opts);
        if new.iter().any(|d| d.severity == Severity::Error) {
            if let Next::InPlace(added) = next {
                added.take_back(&mut self.model);
            }
            self.program.rollback(checkpoint);
            out.push_str("not added: fix the error and enter the statement again\n");
            return Reply::failed(out);
        }
        match next {
            Next::InPlace(added) => added.keep(&mut self.built),
            Next::Rebuilt(model, built) => self.set_model(*model, built),
        }
        self.added.push(text.to_string());
        self.unsaved += 1;
        self.warned_unsaved = false;
        out.push_str("added\n");
        Reply::text(out)
    }

    fn command(&mut self, cmd: &str) -> Reply {
        let (name, arg) = match cmd.split_once(char::is_whitespace) {
            Some((n, a)) => (n, a.trim()),
            None => (cmd, ""),
        };
        match name {
            "help" | "h" | "?" => Reply::text(help_text()),
            "quit" | "q" | "exit" => self.leave(),
            "load" if arg.is_empty() => self.missing_argument("load", "FILE"),
            "load" => self.load_reply(Path::new(arg)),
            "reload" => {
                let mut out = self.reload();
                if self.files.is_empty() {
                    out.push_str("no files loaded\n");
                }
                Reply::text(out)
            }
            "save" | "save!" if arg.is_empty() => self.missing_argument(name, "FILE"),
            "save" | "save!" => self.save(Path::new(arg), name == "save!"),
            "clear" => {
                let n = self.added.len();
                self.added.clear();
                self.unsaved = 0;
                let mut out = self.reload();
                out.push_str(&format!("cleared {}\n", diag::plural(n, "statement")));
                Reply::text(out)
            }
            other => {
                let names = COMMANDS.iter().map(|c| c.trim_start_matches(':'));
                let help = match diag::suggest(other, names) {
                    Some(s) => format!("did you mean `:{s}`? (`:help` lists the commands)"),
                    None => "`:help` lists the commands".to_string(),
                };
                self.failure(
                    Diagnostic::new(Code::UnknownCommand, format!("unknown command `:{other}`"))
                        .help(help),
                )
            }
        }
    }
}

impl Session {
    /// `:save FILE` (`replace`: `:save! FILE`). A file that exists is
    /// replaced only if this session wrote it, or with `:save!`: loaded
    /// files included, since the session's statements alone are not
    /// their content. A link is written through to its target.
    fn save(&mut self, path: &Path, replace: bool) -> Reply {
        let shown = display_path(path);
        let canonical = path.canonicalize().ok();
        let ours = canonical.as_ref().is_some_and(|c| self.saved.contains(c));
        if !replace && !ours && std::fs::symlink_metadata(path).is_ok() {
            let loaded = canonical.as_ref().is_some_and(|c| {
                self.files
                    .iter()
                    .any(|f| f.canonicalize().ok().as_ref() == Some(c))
            });
            let why = if loaded {
                "it is a file this session loaded: `:save` writes only the statements typed here, which would replace its content"
            } else {
                "this session did not write it"
            };
            return self.failure(
                Diagnostic::new(
                    Code::SaveWouldReplace,
                    format!("`{shown}` exists; not replaced: {why}"),
                )
                .help(format!(
                    "save to a new file, or `:save! {shown}` to replace this one"
                )),
            );
        }
        let (includes, outside) = self.includes_for(path);
        let mut text: String = includes
            .iter()
            .map(|inc| format!("include \"{inc}\"\n"))
            .collect();
        for statement in &self.added {
            text.push_str(statement);
            text.push('\n');
        }
        match crate::write::write_atomically(path, &text) {
            Ok(()) => {
                self.unsaved = 0;
                self.warned_unsaved = false;
                if let Ok(c) = path.canonicalize() {
                    if !self.saved.contains(&c) {
                        self.saved.push(c);
                    }
                }
                let mut out = format!(
                    "saved {} to {shown}",
                    diag::plural(self.added.len(), "statement")
                );
                if !includes.is_empty() {
                    out.push_str(&format!(
                        ", after an include of {}",
                        includes
                            .iter()
                            .map(|i| format!("`{i}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                out.push('\n');
                for f in outside {
                    out.push_str(&format!(
                        "note: `{f}` is not under the saved file's directory, so it cannot be included; the saved file checks only with it loaded too\n"
                    ));
                }
                Reply::text(out)
            }
            Err(e) => self.failure(
                Diagnostic::new(
                    Code::CannotSave,
                    format!("cannot save to `{shown}`: {}", io_reason(&e)),
                )
                .help("nothing was written; check that the directory exists and can be written to"),
            ),
        }
    }
}

impl Session {
    /// The loaded files as a file saved at `path` would include them
    /// (`/`-separated, relative to its directory), so that it checks on
    /// its own; and those it cannot include, being outside that directory.
    fn includes_for(&self, path: &Path) -> (Vec<String>, Vec<String>) {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let Ok(dir) = dir.canonicalize() else {
            return (Vec::new(), Vec::new());
        };
        let target = path.canonicalize().ok();
        let (mut inside, mut outside) = (Vec::new(), Vec::new());
        for f in &self.files {
            let canonical = f.canonicalize().ok();
            // `:save!` over a loaded file: it cannot include itself.
            if canonical.is_some() && canonical == target {
                continue;
            }
            match canonical.as_deref().map(|c| c.strip_prefix(&dir)) {
                Some(Ok(rel)) => inside.push(display_path(rel)),
                _ => outside.push(display_path(f)),
            }
        }
        (inside, outside)
    }
}

/// Whether a line whose first word is no keyword was meant as a
/// statement: an arrow follows it (only a visit has one), or the first word
/// is nearer to a statement keyword than to any query keyword (`meting` is
/// `meeting`, not `meetings`; a tie, such as `levl`, stays a query).
fn meant_a_statement(line: &str) -> bool {
    if line.contains("->") {
        return true;
    }
    let first = line.split_whitespace().next().unwrap_or("");
    let nearest = |words: &[&str]| {
        words
            .iter()
            .map(|w| strsim::levenshtein(first, w))
            .min()
            .unwrap_or(usize::MAX)
    };
    nearest(keyword::STATEMENT_WORDS) < nearest(keyword::QUERY_START_WORDS)
}

/// The diagnostics of `after` that `before` does not have: all of those
/// pointing into files from `first_new` on, and any other whose code,
/// message and place are not among `before`'s (each counted once).
fn new_diagnostics(
    before: &[Diagnostic],
    after: &[Diagnostic],
    first_new: usize,
) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| -> (Code, String, Option<(u32, usize, usize)>) {
        let at = d
            .primary
            .as_ref()
            .map(|l| (l.file.0, l.span.start, l.span.end));
        (d.code, d.message.clone(), at)
    };
    let mut old: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for d in before {
        *old.entry(key(d)).or_default() += 1;
    }
    after
        .iter()
        .filter(|d| {
            let in_new_file = d
                .primary
                .as_ref()
                .is_some_and(|l| l.file.0 as usize >= first_new);
            if in_new_file {
                return true;
            }
            match old.get_mut(&key(d)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        })
        .cloned()
        .collect()
}

/// How a script ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScriptEnd {
    /// Some line failed (a statement refused, a query or command that
    /// failed, a line that is not UTF-8): `rel repl` exits 1.
    pub failed: bool,
}

/// Splits input into lines at LF, CRLF or a lone CR, as files are.
struct Lines<R> {
    input: R,
    /// A CR ended the last line: an LF right after it belongs to it.
    after_cr: bool,
}

impl<R: BufRead> Lines<R> {
    fn next_line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                return Ok((!line.is_empty()).then_some(line));
            }
            if std::mem::take(&mut self.after_cr) && buf[0] == b'\n' {
                self.input.consume(1);
                continue;
            }
            match buf.iter().position(|&b| b == b'\n' || b == b'\r') {
                Some(i) => {
                    line.extend_from_slice(&buf[..i]);
                    self.after_cr = buf[i] == b'\r';
                    self.input.consume(i + 1);
                    return Ok(Some(line));
                }
                None => {
                    line.extend_from_slice(buf);
                    let n = buf.len();
                    self.input.consume(n);
                }
            }
        }
    }
}

/// Lines of a block or a string left open, joined until it closes: the
/// REPL and a piped session read input the same way.
#[derive(Debug, Default)]
pub struct OpenInput {
    text: String,
}

impl OpenInput {
    /// Adds a line; gives the whole input once nothing is left open.
    pub fn push(&mut self, line: &str) -> Option<String> {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(line);
        if is_incomplete(&self.text) {
            None
        } else {
            Some(std::mem::take(&mut self.text))
        }
    }

    /// True while earlier lines wait for the rest of their input.
    pub fn is_open(&self) -> bool {
        !self.text.is_empty()
    }

    /// The lines so far, left open, and nothing after.
    pub fn take(&mut self) -> String {
        std::mem::take(&mut self.text)
    }

    /// Forgets the lines so far (Ctrl-C).
    pub fn clear(&mut self) {
        self.text.clear();
    }
}

/// Feeds lines from a reader through a session, printing replies on `out`
/// and failures of the session itself on `err`. Lines that leave a block
/// or string open are joined with the next ones. A line that is not
/// UTF-8 is reported (`rel::E1004`) and skipped; the script goes on. At
/// the end of input, statements not saved are warned about on `err`.
pub fn run_script(
    session: &mut Session,
    input: impl BufRead,
    mut out: impl Write,
    mut err: impl Write,
) -> std::io::Result<ScriptEnd> {
    let mut end = ScriptEnd::default();
    let mut pending = OpenInput::default();
    let mut lines = Lines {
        input,
        after_cr: false,
    };
    let mut number = 0;
    let mut write = |reply: &Reply, end: &mut ScriptEnd| -> std::io::Result<()> {
        end.failed |= reply.failed;
        if reply.to_stderr {
            err.write_all(reply.output.as_bytes())
        } else {
            out.write_all(reply.output.as_bytes())
        }
    };
    while let Some(bytes) = lines.next_line()? {
        number += 1;
        let line = match String::from_utf8(bytes) {
            Ok(line) => line,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let reply = session.failure(
                    Diagnostic::new(
                        Code::InputFailed,
                        format!(
                            "input line {number} is not UTF-8 (byte {} is not); the line was skipped",
                            at + 1
                        ),
                    )
                    .help("send the input as UTF-8; the lines before and after it were read"),
                );
                write(&reply, &mut end)?;
                continue;
            }
        };
        let Some(input) = pending.push(&line) else {
            continue;
        };
        let reply = session.handle(&input);
        write(&reply, &mut end)?;
        if reply.quit {
            return Ok(end);
        }
    }
    if pending.is_open() {
        let reply = session.handle(&pending.take());
        write(&reply, &mut end)?;
        if reply.quit {
            return Ok(end);
        }
    }
    if let Some(warning) = session.leaving_warning() {
        write(
            &Reply {
                output: warning,
                to_stderr: true,
                ..Reply::default()
            },
            &mut end,
        )?;
    }
    Ok(end)
}

/// The REPL's commands, as typed.
pub const COMMANDS: [&str; COMMAND_TABLE.len()] = {
    let mut names = [""; COMMAND_TABLE.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = COMMAND_TABLE[i].0;
        i += 1;
    }
    names
};

/// Words completed anywhere: every keyword of statements and queries,
/// and the values of modes.
pub fn keywords() -> impl Iterator<Item = &'static str> {
    keyword::STATEMENT_WORDS
        .iter()
        .chain(keyword::QUERY_START_WORDS)
        .chain(keyword::OTHER_WORDS)
        .chain(crate::model::MEETING_MODES)
        .copied()
}
