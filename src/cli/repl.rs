//! `rel repl` on a terminal: rustyline with completion, hints, colours
//! and history in front of the library's [`Session`]. Without a terminal,
//! lines are fed through [`run_script`] and only the replies are printed.

use super::{EXIT_FAILED, EXIT_OK};
use crate::diag::{Code, Diagnostic, RenderOptions};
use crate::load::io_reason;
use crate::session::{keywords, run_script, OpenInput, Session, COMMANDS};
use std::borrow::Cow;
use std::cell::RefCell;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::rc::Rc;

/// Where history lives unless `--history-file` says otherwise.
pub fn default_history_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("rel").join("history"))
}

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

// Every line is accepted as typed: the loop in `run_terminal` joins the
// lines of an open block or string, under a `...>` prompt.
impl rustyline::validate::Validator for ReplHelper {}

impl rustyline::Helper for ReplHelper {}

/// `rel repl`: interactive on a terminal, a plain line reader otherwise.
pub fn run_terminal(files: &[PathBuf], history_file: Option<PathBuf>) -> i32 {
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let color = interactive && !super::no_color();
    let opts = RenderOptions { color, width: 100 };
    let mut session = Session::new(opts);
    session.ask_before_leaving(interactive);
    let mut failed = false;
    for f in files {
        let reply = session.load_reply(f);
        failed |= reply.failed;
        print_reply(&reply);
    }
    if !interactive {
        let stdin = std::io::stdin();
        return match run_script(
            &mut session,
            stdin.lock(),
            std::io::stdout().lock(),
            std::io::stderr().lock(),
        ) {
            Ok(end) if end.failed || failed => EXIT_FAILED,
            Ok(_) => EXIT_OK,
            Err(e) => {
                input_failed(format!("cannot read the input: {}", io_reason(&e)), opts);
                EXIT_FAILED
            }
        };
    }
    println!(
        "rel {} — :help for help, Ctrl-D to leave",
        env!("CARGO_PKG_VERSION")
    );
    let names = Rc::new(RefCell::new(session.names()));
    let Some(mut editor) = line_editor(&names, color, opts) else {
        return EXIT_FAILED;
    };
    let history = history_file.or_else(default_history_path);
    if let Some(h) = &history {
        // A missing or unreadable history is not an error: start empty.
        let _ = editor.load_history(h);
    }
    let mut code = EXIT_OK;
    // Lines of a block or string left open, joined until it closes; the
    // prompt says a line continues them.
    let mut pending = OpenInput::default();
    loop {
        let prompt = if pending.is_open() { "...> " } else { "rel> " };
        match editor.readline(prompt) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                let Some(input) = pending.push(&line) else {
                    continue;
                };
                let reply = session.handle(&input);
                print_reply(&reply);
                *names.borrow_mut() = session.names();
                if reply.quit {
                    break;
                }
            }
            // Ctrl-C abandons the line, and any lines it continued.
            Err(rustyline::error::ReadlineError::Interrupted) => pending.clear(),
            Err(rustyline::error::ReadlineError::Eof) => {
                pending.clear();
                let reply = session.leave();
                print_reply(&reply);
                if reply.quit {
                    break;
                }
            }
            Err(e) => {
                input_failed(format!("the line editor failed: {e}"), opts);
                code = EXIT_FAILED;
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
    code
}

/// The line editor, completing from `names`; `None` (reported) when the
/// terminal cannot run one.
fn line_editor(
    names: &Rc<RefCell<Vec<String>>>,
    color: bool,
    opts: RenderOptions,
) -> Option<rustyline::Editor<ReplHelper, rustyline::history::DefaultHistory>> {
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
    match rustyline::Editor::with_config(config) {
        Ok(mut e) => {
            e.set_helper(Some(helper));
            Some(e)
        }
        Err(e) => {
            input_failed(format!("cannot start the line editor: {e}"), opts);
            None
        }
    }
}

/// Prints a reply: a failure of the session on stderr, the rest on stdout.
fn print_reply(reply: &crate::session::Reply) {
    if reply.to_stderr {
        let _ = std::io::stderr().write_all(reply.output.as_bytes());
    } else {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(reply.output.as_bytes());
        let _ = out.flush();
    }
}

/// Reports input that cannot be read (the terminal, or piped lines).
fn input_failed(message: String, opts: RenderOptions) {
    let d = Diagnostic::new(Code::InputFailed, message)
        .help("the session ends here; statements not saved with `:save` are lost");
    super::report_failure(&d, opts);
}
