//! The REPL on a real pseudo-terminal: what only a terminal exercises
//! (line editing, completion, history), driven through the real binary.

use std::process::Command;

fn spawn(history: &std::path::Path) -> rexpect::session::PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rel"));
    cmd.args(["repl", "examples/china_russia_2025.rel", "--history-file"])
        .arg(history)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    rexpect::session::spawn_command(cmd, Some(20_000)).expect("start rel repl in a pty")
}

#[test]
fn tab_completes_an_actor_id_and_history_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history");
    let mut p = spawn(&history);
    p.exp_string("rel> ").unwrap();

    // "Pu" + Tab completes to the only id starting so: Putin.
    p.send("visits by Pu").unwrap();
    p.flush().unwrap();
    p.send("\t").unwrap();
    p.flush().unwrap();
    p.exp_string("visits by Putin").unwrap();
    p.send(" | count\r").unwrap();
    p.flush().unwrap();
    p.exp_regex(r"\r\n1\r\n").unwrap();
    p.exp_string("rel> ").unwrap();

    // Ctrl-C abandons a line without leaving. Each step waits for what
    // the terminal shows (the echo, then a prompt on a new line): a line
    // typed before the editor is ready again may be dropped, and prompts
    // redrawn while typing must not be taken for the new one.
    p.send("visits by X").unwrap();
    p.flush().unwrap();
    p.exp_string("visits by X").unwrap();
    p.send_control('c').unwrap();
    p.exp_regex(r"\r\n[^\n]*rel> ").unwrap();

    // A statement with a typo is refused with a diagnostic; the session goes on.
    p.send("visit Xi -> Rusia 2024-07-02\r").unwrap();
    p.flush().unwrap();
    p.exp_string("did you mean `Russia`?").unwrap();
    p.exp_string("not added").unwrap();
    p.exp_string("rel> ").unwrap();

    // Ctrl-D leaves, and the history is saved.
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let saved = std::fs::read_to_string(&history).unwrap();
    assert!(saved.contains("visits by Putin | count"), "{saved}");
}

/// A line that leaves a block open continues under a `...>` prompt, as
/// docs/repl.md shows; Ctrl-D with a statement not saved says so and
/// stays once, and the next Ctrl-D leaves.
#[test]
fn continuation_prompt_and_unsaved_statements() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = spawn(&dir.path().join("history"));
    p.exp_string("rel> ").unwrap();
    p.send("ladder tiers {\r").unwrap();
    p.flush().unwrap();
    p.exp_string("...> ").unwrap();
    p.send("  low \"Low\"\r").unwrap();
    p.flush().unwrap();
    p.exp_string("...> ").unwrap();
    p.send("}\r").unwrap();
    p.flush().unwrap();
    p.exp_string("added").unwrap();
    p.exp_string("rel> ").unwrap();

    p.send_control('d').unwrap();
    p.exp_string("1 statement typed in this session is not saved")
        .unwrap();
    p.exp_string("leave again to quit without saving them")
        .unwrap();
    p.exp_string("rel> ").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
}
