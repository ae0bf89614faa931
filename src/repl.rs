//! The REPL: a core that takes a line and returns what to print (testable
//! without a terminal), and a thin rustyline front end.

use crate::diag::{self, Diagnostic, RenderOptions, Severity};
use crate::load::{display_path, Loaded, Program};
use crate::model::Model;
use crate::source::{SourceFile, SourceMap};
use crate::syntax::{self, split};
use std::borrow::Cow;
use std::cell::RefCell;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Answers one query against a model. The query's text is shown in its
/// own source, so diagnostics point into what the user typed.
pub fn answer_model(
    model: &Model,
    text: &str,
    json: bool,
    opts: RenderOptions,
) -> Result<String, String> {
    let mut sources = SourceMap::new();
    let file = sources.add(SourceFile::new("<query>", None, text.to_string()));
    let rendered = |d: &Diagnostic| diag::render(&sources, d, opts);
    let line = syntax::parse_query_line(text, 0).map_err(|e| rendered(&e.into_diagnostic(file)))?;
    let result = crate::query::evaluate_line(model, file, &line).map_err(|d| rendered(&d))?;
    Ok(if json {
        crate::query::render_json(model, file, &result)
    } else {
        crate::query::render_text(model, file, &result)
    })
}

/// [`answer_model`] on a loaded program.
pub fn answer(
    loaded: &Loaded,
    text: &str,
    json: bool,
    opts: RenderOptions,
) -> Result<String, String> {
    answer_model(&loaded.model, text, json, opts)
}

/// True when the text so far leaves a `{` block or a string open, so the
/// REPL should read another line before acting.
pub fn is_incomplete(text: &str) -> bool {
    let mut depth = 0i64;
    let mut in_string = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => depth -= 1,
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    in_string || depth > 0
}

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
  :help           this text
  :load FILE      read a file into the session
  :reload         read every loaded file again (statements typed here are kept)
  :save FILE      write the statements typed in this session to FILE
  :clear          forget the statements typed in this session
  :quit           leave (Ctrl-D also leaves; Ctrl-C abandons the line)
";

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
    opts: RenderOptions,
}

impl Session {
    pub fn new(opts: RenderOptions) -> Session {
        Session {
            files: Vec::new(),
            added: Vec::new(),
            program: Program::new(),
            model: Model::default(),
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
        diags
    }

    /// Loads a file into the session and reports its diagnostics.
    pub fn load(&mut self, path: &Path) -> String {
        let before = self.program.sources.len();
        if self.program.add_file(path).is_none() {
            self.program.unreadable = false;
            let d = self.program.diagnostics.pop();
            return d
                .map(|d| diag::render(&self.program.sources, &d, self.opts))
                .unwrap_or_default();
        }
        self.files.push(path.to_path_buf());
        let diags = self.rebuild();
        let new: Vec<Diagnostic> = diags
            .into_iter()
            .filter(|d| {
                d.primary
                    .as_ref()
                    .is_some_and(|l| l.file.0 as usize >= before)
            })
            .collect();
        let errors = new.iter().filter(|d| d.is_error()).count();
        // Claims' advice would bury the rest; `claims` lists their verdicts.
        let (shown, advice): (Vec<Diagnostic>, Vec<Diagnostic>) = new
            .into_iter()
            .partition(|d| d.severity != Severity::Advice);
        let mut out = diag::render_all(&self.program.sources, &shown, self.opts);
        let mut counts = vec![
            format!("{} actors", self.model.actors.len()),
            format!("{} events", self.model.events.len()),
        ];
        if errors > 0 {
            counts.push(format!("{errors} errors"));
        }
        if !advice.is_empty() {
            counts.push(format!(
                "{} claims: `claims` shows their verdicts",
                advice.len()
            ));
        }
        out.push_str(&format!(
            "loaded {} ({})\n",
            display_path(path),
            counts.join(", ")
        ));
        out
    }

    /// Re-reads every loaded file and replays the session's statements.
    pub fn reload(&mut self) -> String {
        let files = std::mem::take(&mut self.files);
        self.program = Program::new();
        let mut out = String::new();
        for f in &files {
            out.push_str(&self.load(f));
        }
        for (n, text) in self.added.iter().enumerate() {
            self.program.add_text(&format!("<input:{}>", n + 1), text);
        }
        self.rebuild();
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
        let first = line
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        let is_statement_word = split::STATEMENT_KEYWORDS.contains(&first);
        let statement = syntax::statements(line).next();
        match statement {
            Some(Ok(_)) if is_statement_word => self.add_statement(line),
            _ => {
                let query = syntax::parse_query_line(line, 0);
                match (query, statement) {
                    (Ok(_), _) => Reply::text(self.ask(line)),
                    // Neither parses: report the attempt that got further.
                    (Err(qe), Some(Err(se)))
                        if is_statement_word && se.span.start >= qe.span.start =>
                    {
                        self.add_statement(line)
                    }
                    (Err(_), _) => Reply::text(self.ask(line)),
                }
            }
        }
    }

    fn ask(&self, line: &str) -> String {
        match answer_model(&self.model, line, false, self.opts) {
            Ok(s) | Err(s) => s,
        }
    }

    fn add_statement(&mut self, text: &str) -> Reply {
        let name = format!("<input:{}>", self.added.len() + 1);
        // The statement's own text and anything it includes are new files;
        // their diagnostics decide whether it is added.
        let checkpoint = self.program.checkpoint();
        let first_new = self.program.sources.len();
        self.program.add_text(&name, text);
        let (model, diags) = self.program.build();
        let mine: Vec<Diagnostic> = diags
            .into_iter()
            .filter(|d| {
                d.primary
                    .as_ref()
                    .is_some_and(|l| l.file.0 as usize >= first_new)
            })
            .collect();
        let mut out = diag::render_all(&self.program.sources, &mine, self.opts);
        if mine.iter().any(|d| d.severity == Severity::Error) {
            self.program.rollback(checkpoint);
            out.push_str("not added: fix the error and enter the statement again\n");
            return Reply::text(out);
        }
        self.model = model;
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
            "help" | "h" | "?" => Reply::text(HELP),
            "quit" | "q" | "exit" => Reply {
                output: String::new(),
                quit: true,
            },
            "load" if arg.is_empty() => Reply::text("usage: :load FILE\n"),
            "load" => Reply::text(self.load(Path::new(arg))),
            "reload" => {
                let mut out = self.reload();
                if self.files.is_empty() {
                    out.push_str("no files loaded\n");
                }
                Reply::text(out)
            }
            "save" if arg.is_empty() => Reply::text("usage: :save FILE\n"),
            "save" => {
                let mut text = self.added.join("\n");
                if !text.is_empty() {
                    text.push('\n');
                }
                match crate::write::write_atomically(Path::new(arg), &text) {
                    Ok(()) => Reply::text(format!(
                        "saved {} statement{} to {arg}\n",
                        self.added.len(),
                        if self.added.len() == 1 { "" } else { "s" }
                    )),
                    Err(e) => Reply::text(format!(
                        "error: cannot save to {arg}: {e}; nothing was written\n"
                    )),
                }
            }
            "clear" => {
                let n = self.added.len();
                self.added.clear();
                let mut out = self.reload();
                out.push_str(&format!(
                    "cleared {n} statement{}\n",
                    if n == 1 { "" } else { "s" }
                ));
                Reply::text(out)
            }
            other => {
                let cmds = ["help", "load", "reload", "save", "clear", "quit"];
                let hint = diag::suggest(other, cmds.iter().copied())
                    .map(|s| format!("; did you mean `:{s}`?"))
                    .unwrap_or_default();
                Reply::text(format!(
                    "unknown command `:{other}`{hint} (`:help` lists them)\n"
                ))
            }
        }
    }
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

/// Where history lives unless `--history-file` says otherwise.
pub fn default_history_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("rel").join("history"))
}

/// Words completed anywhere: every keyword of statements and queries,
/// and the values of modes.
fn keywords() -> impl Iterator<Item = &'static str> {
    split::STATEMENT_KEYWORDS
        .iter()
        .chain(syntax::QUERY_STARTS)
        .chain(syntax::OTHER_KEYWORDS)
        .chain(crate::lower::MODES)
        .copied()
}
const COMMANDS: &[&str] = &[":help", ":load", ":reload", ":save", ":clear", ":quit"];

struct ReplHelper {
    names: Rc<RefCell<Vec<String>>>,
    files: rustyline::completion::FilenameCompleter,
    hinter: rustyline::hint::HistoryHinter,
    color: bool,
}

impl rustyline::completion::Completer for ReplHelper {
    type Candidate = rustyline::completion::Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Self::Candidate>)> {
        let before = &line[..pos];
        if before.starts_with(":load ") || before.starts_with(":save ") {
            return self.files.complete(line, pos, ctx);
        }
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .map(|i| i + 1)
            .unwrap_or(0);
        let word = &before[start..];
        if word.is_empty() {
            return Ok((pos, Vec::new()));
        }
        let names = self.names.borrow();
        let mut found: Vec<&str> = if word.starts_with(':') {
            COMMANDS
                .iter()
                .copied()
                .filter(|c| c.starts_with(word))
                .collect()
        } else {
            let mut found: Vec<&str> = keywords().filter(|c| c.starts_with(word)).collect();
            found.extend(
                names
                    .iter()
                    .map(String::as_str)
                    .filter(|c| c.starts_with(word)),
            );
            found
        };
        found.sort();
        found.dedup();
        Ok((
            start,
            found
                .into_iter()
                .map(|c| rustyline::completion::Pair {
                    display: c.to_string(),
                    replacement: c.to_string(),
                })
                .collect(),
        ))
    }
}

impl rustyline::hint::Hinter for ReplHelper {
    type Hint = String;
    fn hint(&self, line: &str, pos: usize, ctx: &rustyline::Context<'_>) -> Option<String> {
        self.hinter.hint(line, pos, ctx)
    }
}

impl rustyline::highlight::Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color {
            return Cow::Borrowed(line);
        }
        let names = self.names.borrow();
        let mut out = String::with_capacity(line.len() * 2);
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            if word.is_empty() {
                return;
            }
            let styled = if keywords().any(|k| k == word.as_str()) {
                format!("\x1b[1;34m{word}\x1b[0m")
            } else if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                format!("\x1b[33m{word}\x1b[0m")
            } else if names.binary_search(word).is_ok() {
                format!("\x1b[36m{word}\x1b[0m")
            } else {
                word.clone()
            };
            out.push_str(&styled);
            word.clear();
        };
        for c in line.chars() {
            if c.is_alphanumeric() || c == '_' || c == '-' || c == '.' {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
        flush(&mut word, &mut out);
        Cow::Owned(out)
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _forced: bool) -> bool {
        self.color
    }
}

impl rustyline::validate::Validator for ReplHelper {
    fn validate(
        &self,
        ctx: &mut rustyline::validate::ValidationContext<'_>,
    ) -> rustyline::Result<rustyline::validate::ValidationResult> {
        Ok(if is_incomplete(ctx.input()) {
            rustyline::validate::ValidationResult::Incomplete
        } else {
            rustyline::validate::ValidationResult::Valid(None)
        })
    }
}

impl rustyline::Helper for ReplHelper {}

/// `rel repl`: interactive on a terminal, a plain line reader otherwise.
pub fn run_terminal(files: &[PathBuf], history_file: Option<PathBuf>) -> i32 {
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = interactive && !no_color;
    let mut session = Session::new(RenderOptions { color, width: 100 });
    let mut intro = String::new();
    for f in files {
        intro.push_str(&session.load(f));
    }
    if !interactive {
        let _ = std::io::stdout().write_all(intro.as_bytes());
        let stdin = std::io::stdin();
        return match run_script(&mut session, stdin.lock(), std::io::stdout().lock()) {
            Ok(()) => crate::cli::EXIT_OK,
            Err(e) => {
                eprintln!("error: {e}");
                crate::cli::EXIT_FAILED
            }
        };
    }
    print!("{intro}");
    println!(
        "rel {} — :help for help, Ctrl-D to leave",
        env!("CARGO_PKG_VERSION")
    );
    let names = Rc::new(RefCell::new(session.names()));
    let helper = ReplHelper {
        names: names.clone(),
        files: rustyline::completion::FilenameCompleter::new(),
        hinter: rustyline::hint::HistoryHinter::new(),
        color,
    };
    let config = rustyline::Config::builder()
        .auto_add_history(false)
        .completion_type(rustyline::CompletionType::List)
        .build();
    let mut editor: rustyline::Editor<ReplHelper, rustyline::history::DefaultHistory> =
        match rustyline::Editor::with_config(config) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("error: cannot start the line editor: {e}");
                return crate::cli::EXIT_FAILED;
            }
        };
    editor.set_helper(Some(helper));
    let history = history_file.or_else(default_history_path);
    if let Some(h) = &history {
        // A missing or unreadable history is not an error: start empty.
        let _ = editor.load_history(h);
    }
    loop {
        match editor.readline("rel> ") {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                let reply = session.handle(&line);
                print!("{}", reply.output);
                let _ = std::io::stdout().flush();
                *names.borrow_mut() = session.names();
                if reply.quit {
                    break;
                }
            }
            Err(rustyline::error::ReadlineError::Interrupted) => continue,
            Err(rustyline::error::ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("error: {e}");
                break;
            }
        }
    }
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = editor.save_history(h);
    }
    crate::cli::EXIT_OK
}
