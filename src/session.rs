//! The REPL's core, without a terminal: a [`Session`] takes a line and
//! returns what to print, [`ask`] answers one query (it is what
//! [`rel::query`](crate::query()) calls), and [`run_script`] feeds a reader
//! through a session. The line editor in front of it lives in the `cli`
//! module; what it completes and highlights is data here
//! ([`COMMANDS`], [`keywords`], [`Session::names`]).

use crate::diag::{self, Code, Diagnostic, RenderOptions, Severity};
use crate::load::{display_path, io_reason, Program};
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
const COMMAND_TABLE: [(&str, &str, &str); 6] = [
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
        "write the statements typed in this session to FILE",
    ),
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
}

impl Reply {
    fn text(s: impl Into<String>) -> Reply {
        Reply {
            output: s.into(),
            quit: false,
        }
    }
}

/// The REPL's state: files loaded, statements added, the current model.
pub struct Session {
    files: Vec<PathBuf>,
    /// Statements typed in this session, accepted, in order.
    added: Vec<String>,
    program: Program,
    model: Model,
    /// Every diagnostic of the current model, to tell what a statement
    /// adds to them.
    diagnostics: Vec<Diagnostic>,
    opts: RenderOptions,
}

impl Session {
    pub fn new(opts: RenderOptions) -> Session {
        Session {
            files: Vec::new(),
            added: Vec::new(),
            program: Program::new(),
            model: Model::default(),
            diagnostics: Vec::new(),
            opts,
        }
    }

    pub fn model(&self) -> &Model {
        &self.model
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

    fn rebuild(&mut self) -> Vec<Diagnostic> {
        let (model, diags) = self.program.build();
        self.model = model;
        self.diagnostics = diags.clone();
        diags
    }

    /// Loads a file into the session and reports what it brings: its own
    /// diagnostics, and any it causes on lines already loaded.
    pub fn load(&mut self, path: &Path) -> String {
        if self.program.is_loaded(path) {
            // Already read, on its own or through an include: it loads once.
            return format!(
                "{} is already loaded (`:reload` reads every file again)\n",
                display_path(path)
            );
        }
        let first_new = self.program.sources.len();
        if let Err(unreadable) = self.read(path) {
            return unreadable;
        }
        let old = std::mem::take(&mut self.diagnostics);
        let diags = self.rebuild();
        let new = new_diagnostics(&old, &diags, first_new);
        self.loaded_report(&display_path(path), new)
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
        if !advice.is_empty() {
            counts.push(format!(
                "{}: `claims` shows their verdicts",
                diag::plural(advice.len(), "claim")
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
                    _ => Reply::text(self.answer(line, query)),
                }
            }
        }
    }

    fn answer(
        &self,
        line: &str,
        parsed: Result<syntax::ast::QueryLine, syntax::SyntaxError>,
    ) -> String {
        match ask_parsed(&self.model, line, parsed, AnswerFormat::Text) {
            // Names and quoted text come from files: no control character
            // of theirs reaches the terminal.
            Ok(answer) => crate::source::escape_for_terminal(&answer).into_owned(),
            Err(e) => e.render(self.opts),
        }
    }

    /// A failure of the session itself (not of what was typed as Rel):
    /// it has no place in a file, so it renders without a snippet.
    fn failure(&self, diagnostic: Diagnostic) -> Reply {
        Reply::text(diag::render(&SourceMap::new(), &diagnostic, self.opts))
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
        let (model, diags) = self.program.build();
        // What the statement changed: every diagnostic that is new, in the
        // statement itself or on a line it made inconsistent.
        let new = new_diagnostics(&self.diagnostics, &diags, first_new);
        let mut out = diag::render_all(&self.program.sources, &new, self.opts);
        if new.iter().any(|d| d.severity == Severity::Error) {
            self.program.rollback(checkpoint);
            out.push_str("not added: fix the error and enter the statement again\n");
            return Reply::text(out);
        }
        self.model = model;
        self.diagnostics = diags;
        self.added.push(text.to_string());
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
            "quit" | "q" | "exit" => Reply {
                output: String::new(),
                quit: true,
            },
            "load" if arg.is_empty() => self.missing_argument("load", "FILE"),
            "load" => Reply::text(self.load(Path::new(arg))),
            "reload" => {
                let mut out = self.reload();
                if self.files.is_empty() {
                    out.push_str("no files loaded\n");
                }
                Reply::text(out)
            }
            "save" if arg.is_empty() => self.missing_argument("save", "FILE"),
            "save" => {
                let mut text = self.added.join("\n");
                if !text.is_empty() {
                    text.push('\n');
                }
                match crate::write::write_atomically(Path::new(arg), &text) {
                    Ok(()) => Reply::text(format!(
                        "saved {} to {arg}\n",
                        diag::plural(self.added.len(), "statement")
                    )),
                    Err(e) => self.failure(
                        Diagnostic::new(Code::CannotSave, format!("cannot save to `{arg}`: {}", io_reason(&e)))
                            .help("nothing was written; check that the directory exists and can be written to"),
                    ),
                }
            }
            "clear" => {
                let n = self.added.len();
                self.added.clear();
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

/// Feeds lines from a reader through a session, printing replies. Lines
/// that leave a block or string open are joined with the next ones.
pub fn run_script(
    session: &mut Session,
    input: impl BufRead,
    mut out: impl Write,
) -> std::io::Result<()> {
    let mut pending = String::new();
    for line in input.lines() {
        let line = line?;
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(&line);
        if is_incomplete(&pending) {
            continue;
        }
        let reply = session.handle(&std::mem::take(&mut pending));
        out.write_all(reply.output.as_bytes())?;
        if reply.quit {
            return Ok(());
        }
    }
    if !pending.is_empty() {
        let reply = session.handle(&pending);
        out.write_all(reply.output.as_bytes())?;
    }
    Ok(())
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
