//! The editor's tools: `rel fmt` (and, below, `rel lsp`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn rel_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new("examples")
        .into_iter()
        .chain(walkdir::WalkDir::new("tests"))
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rel"))
        .collect();
    files.sort();
    files
}

/// The comments of a text, in order: formatting keeps every one.
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '#' if !in_string => {
                    out.push(line[i..].trim_end().to_string());
                    break;
                }
                _ => {}
            }
        }
    }
    out
}

/// Every `.rel` file in the repository: formatted once, it keeps its
/// comments and its model (`rel eval --json`), and formatting it again
/// changes nothing. A file with a syntax error is refused, never guessed at.
#[test]
fn fmt_is_lossless_and_idempotent_on_every_rel_file() {
    let files = rel_files();
    assert!(files.len() > 50, "{}", files.len());
    let mut formatted = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue; // not UTF-8: `rel fmt` leaves it alone (tested below)
        };
        let shown = path.display();
        match rel::fmt::format(&text) {
            Err(errors) => {
                assert!(!errors.is_empty());
                let loaded = rel::load_str("x.rel", &text);
                assert!(
                    loaded
                        .diagnostics
                        .iter()
                        .any(|d| d.code.id().starts_with("rel::E01")),
                    "{shown}: refused, but it has no syntax error"
                );
            }
            Ok(once) => {
                formatted += 1;
                let twice = rel::fmt::format(&once).expect("formatted text parses");
                assert_eq!(twice, once, "{shown}: formatting twice changed it");
                assert_eq!(comments(&once), comments(&text), "{shown}: comments");
                let before = rel::render::eval_json(&rel::load_str("x.rel", &text).model);
                let after = rel::render::eval_json(&rel::load_str("x.rel", &once).model);
                assert_eq!(before, after, "{shown}: the model changed");
            }
        }
    }
    assert!(formatted > 40, "{formatted}");
}

#[test]
fn fmt_layout() {
    let text = std::fs::read_to_string("tests/fmt/messy.rel").unwrap();
    insta::assert_snapshot!(rel::fmt::format(&text).unwrap());
}

fn rel_bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rel"))
}

fn shown(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `rel fmt` on the command line: `--check` shows what would change and
/// exits 1; a file with a syntax error is refused and left as it was; a
/// file formatted in place is written whole; `-` is standard input.
#[test]
fn fmt_command() {
    let dir = tempfile::tempdir().unwrap();
    let messy = dir.path().join("messy.rel");
    std::fs::copy("tests/fmt/messy.rel", &messy).unwrap();
    let broken = dir.path().join("broken.rel");
    std::fs::write(&broken, "state A \"A\"\nvisit A Russia 2025\n").unwrap();
    let mut out = String::new();
    let mut step = |title: &str, cmd: &mut Command| {
        let text = shown(cmd.arg("--color").arg("never"));
        out.push_str(&format!(
            "## {title}\n{}\n",
            text.replace(&dir.path().display().to_string(), "<tmp>")
        ));
    };
    step(
        "check a messy file",
        rel_bin().arg("fmt").arg("--check").arg(&messy),
    );
    step(
        "refuse a file with a syntax error",
        rel_bin().arg("fmt").arg(&broken),
    );
    step("format in place", rel_bin().arg("fmt").arg(&messy));
    step(
        "check it again",
        rel_bin().arg("fmt").arg("--check").arg(&messy),
    );
    step(
        "the examples are formatted",
        rel_bin().args(["fmt", "--check"]).args(
            std::fs::read_dir("examples")
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "rel"))
                .collect::<Vec<_>>()
                .iter()
                .map(|p| p.as_path())
                .collect::<Vec<&Path>>(),
        ),
    );
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "state A \"A\"\nvisit A Russia 2025\n"
    );
    let formatted = std::fs::read_to_string(&messy).unwrap();
    assert_eq!(rel::fmt::format(&formatted).unwrap(), formatted);
    let mut stdin_run = rel_bin()
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    stdin_run
        .stdin
        .take()
        .unwrap()
        .write_all(b"state   A  \"A\"\n")
        .unwrap();
    let piped = stdin_run.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&piped.stdout), "state A \"A\"\n");
    insta::assert_snapshot!(out);
}

// ---------------------------------------------------------------- rel lsp

/// A client of `rel lsp` over its standard input and output.
struct Client {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: std::io::BufReader<std::process::ChildStdout>,
    next_id: i64,
    /// Notifications received while waiting for a response.
    notifications: Vec<serde_json::Value>,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = rel_bin()
            .arg("lsp")
            .current_dir(dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        Client {
            child,
            stdin,
            stdout,
            next_id: 1,
            notifications: Vec::new(),
        }
    }

    fn send(&mut self, msg: serde_json::Value) {
        use std::io::Write;
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn read(&mut self) -> serde_json::Value {
        use std::io::{BufRead, Read};
        let mut len = 0;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "the server closed its output"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                len = n.parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn request(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(
            serde_json::json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        );
        loop {
            let msg = self.read();
            if msg.get("id") == Some(&serde_json::json!(id)) {
                return msg;
            }
            self.notifications.push(msg);
        }
    }

    fn notify(&mut self, method: &str, params: serde_json::Value) {
        self.send(serde_json::json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next diagnostics published for a file.
    fn diagnostics_for(&mut self, uri: &str) -> serde_json::Value {
        loop {
            if let Some(i) = self.notifications.iter().position(|n| {
                n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
            }) {
                return self.notifications.remove(i)["params"]["diagnostics"].clone();
            }
            let msg = self.read();
            self.notifications.push(msg);
        }
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

fn at(uri: &str, line: u32, character: u32) -> serde_json::Value {
    serde_json::json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

/// `rel lsp` over stdio, as an editor drives it: every feature on a small
/// project of two files (main.rel includes actors.rel).
#[test]
fn lsp_protocol() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["main.rel", "actors.rel"] {
        std::fs::copy(Path::new("tests/lsp").join(f), dir.path().join(f)).unwrap();
    }
    let (main, actors) = (
        uri(&dir.path().join("main.rel")),
        uri(&dir.path().join("actors.rel")),
    );
    let main_text = std::fs::read_to_string(dir.path().join("main.rel")).unwrap();
    let mut c = Client::start(dir.path());
    let mut out = String::new();
    let mut show = |title: &str, value: &serde_json::Value| {
        let text = serde_json::to_string_pretty(value).unwrap();
        let root = format!("file://{}", dir.path().canonicalize().unwrap().display());
        out.push_str(&format!(
            "## {title}\n{}\n\n",
            text.replace(&root, "file://<project>")
        ));
    };

    let init = c.request(
        "initialize",
        serde_json::json!({"capabilities": {}, "processId": null, "rootUri": null}),
    );
    let caps = &init["result"]["capabilities"];
    for cap in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "renameProvider",
        "completionProvider",
        "codeActionProvider",
        "documentSymbolProvider",
        "foldingRangeProvider",
        "semanticTokensProvider",
        "documentFormattingProvider",
    ] {
        assert!(!caps[cap].is_null(), "{cap}");
    }
    c.notify("initialized", serde_json::json!({}));
    c.notify("textDocument/didOpen", serde_json::json!({"textDocument": {"uri": main, "languageId": "rel", "version": 1, "text": main_text}}));
    let diags = c.diagnostics_for(&main);
    assert_eq!(diags[0]["code"], "rel::E0201");
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `Putin`?"));
    show("diagnostics of main.rel", &diags);

    // Line 7 is `visit Xi -> Russia …`; line 9 `meeting Xi, Putni …`.
    let hover = c.request("textDocument/hover", at(&main, 7, 7));
    let text = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.contains("Xi Jinping") && text.contains("president of China"),
        "{text}"
    );
    show("hover on Xi", &hover["result"]);
    let hover_level = c.request("textDocument/hover", at(&main, 8, 20));
    assert!(hover_level["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("level 2 of 2"));
    show("hover on a level", &hover_level["result"]);
    let hover_date = c.request("textDocument/hover", at(&main, 7, 22));
    assert!(hover_date["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Wednesday"));
    show("hover on a date", &hover_date["result"]);
    let hover_source = c.request("textDocument/hover", at(&main, 7, 62));
    show("hover on a source", &hover_source["result"]);

    let def = c.request("textDocument/definition", at(&main, 7, 7));
    assert_eq!(def["result"][0]["uri"], actors);
    show("definition of Xi", &def["result"]);
    let label = c.request("textDocument/definition", at(&main, 8, 52));
    assert_eq!(label["result"][0]["uri"], main);
    let refs = c.request("textDocument/references", serde_json::json!({
        "textDocument": {"uri": main}, "position": {"line": 7, "character": 7}, "context": {"includeDeclaration": true}}));
    assert_eq!(refs["result"].as_array().unwrap().len(), 4);
    show("references of Xi", &refs["result"]);

    let taken = c.request("textDocument/rename", serde_json::json!({
        "textDocument": {"uri": main}, "position": {"line": 7, "character": 7}, "newName": "Putin"}));
    assert!(taken["error"]["message"]
        .as_str()
        .unwrap()
        .contains("already the id"));
    show("rename Xi to a taken name", &taken["error"]["message"]);
    let rename = c.request("textDocument/rename", serde_json::json!({
        "textDocument": {"uri": main}, "position": {"line": 7, "character": 7}, "newName": "XiJinping"}));
    let changes = &rename["result"]["changes"];
    assert_eq!(changes[&main].as_array().unwrap().len(), 2);
    assert_eq!(changes[&actors].as_array().unwrap().len(), 2);

    let labels = |v: &serde_json::Value| -> Vec<String> {
        v["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let states = labels(&c.request("textDocument/completion", at(&main, 7, 12)));
    assert!(
        states.contains(&"Russia".to_string()) && !states.contains(&"Xi".to_string()),
        "{states:?}"
    );
    let levels = labels(&c.request("textDocument/completion", at(&main, 8, 19)));
    assert_eq!(levels, ["strategic_coordination", "new_era"]);
    let sources = labels(&c.request("textDocument/completion", at(&main, 7, 61)));
    assert_eq!(sources, ["cgtn"]);
    let attributes = labels(&c.request("textDocument/completion", at(&main, 7, 34)));
    assert!(
        attributes.contains(&"invited_by".to_string()),
        "{attributes:?}"
    );
    show(
        "completion",
        &serde_json::json!({"after `->`": states, "after `level China~Russia`": levels, "in `[`": sources, "after a visit's date": attributes}),
    );

    let actions = c.request(
        "textDocument/codeAction",
        serde_json::json!({
        "textDocument": {"uri": main},
        "range": diags[0]["range"], "context": {"diagnostics": [diags[0]]}}),
    );
    let titles: Vec<&str> = actions["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Replace with `Putin`", "Declare `Putni` as a person"]
    );
    show("quick fixes for the unknown actor", &actions["result"]);

    let symbols = c.request(
        "textDocument/documentSymbol",
        serde_json::json!({"textDocument": {"uri": main}}),
    );
    let names: Vec<&str> = symbols["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["china_partnerships", "moscow2019"]);
    let folding = c.request(
        "textDocument/foldingRange",
        serde_json::json!({"textDocument": {"uri": main}}),
    );
    assert_eq!(folding["result"][0]["startLine"], 2);
    assert_eq!(folding["result"][0]["endLine"], 5);
    let tokens = c.request(
        "textDocument/semanticTokens/full",
        serde_json::json!({"textDocument": {"uri": main}}),
    );
    let data = tokens["result"]["data"].as_array().unwrap();
    assert!(data.len() > 50 && data.len().is_multiple_of(5));
    // The first token: `include`, a keyword, at 0:0, 7 long.
    assert_eq!(&data[..5], &[0, 0, 7, 0, 0].map(|n| serde_json::json!(n)));
    let formatted = c.request("textDocument/formatting", serde_json::json!({"textDocument": {"uri": main}, "options": {"tabSize": 2, "insertSpaces": true}}));
    let new_text = formatted["result"][0]["newText"].as_str().unwrap();
    assert!(
        new_text.contains("  new_era                \"for a new era\""),
        "{new_text}"
    );
    show("formatting", &formatted["result"]);

    // Fixing the typo clears the diagnostic.
    let fixed = main_text.replace("Putni", "Putin");
    c.notify("textDocument/didChange", serde_json::json!({"textDocument": {"uri": main, "version": 2}, "contentChanges": [{"text": fixed}]}));
    assert_eq!(c.diagnostics_for(&main), serde_json::json!([]));
    let shutdown = c.request("shutdown", serde_json::Value::Null);
    assert!(shutdown["error"].is_null());
    c.notify("exit", serde_json::Value::Null);
    assert!(c.child.wait().unwrap().success());
    insta::assert_snapshot!(out);
}

/// A real editor: Neovim, headless, with the setup in `editors/nvim`,
/// opens a file with an unknown actor, gets the diagnostic with its code,
/// hovers an actor, jumps to its definition in the included file, and
/// formats the buffer. `.ci/run` installs Neovim; elsewhere the test says
/// it was skipped unless `REL_REQUIRE_EDITORS` is set.
#[test]
fn neovim_end_to_end() {
    if Command::new("nvim").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("REL_REQUIRE_EDITORS").is_none(),
            "nvim is not installed, and REL_REQUIRE_EDITORS asks for it"
        );
        eprintln!("neovim_end_to_end skipped: nvim is not installed (.ci/run installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for f in ["main.rel", "actors.rel"] {
        std::fs::copy(Path::new("tests/lsp").join(f), dir.path().join(f)).unwrap();
    }
    let out = dir.path().join("results.json");
    let root = std::env::current_dir().unwrap();
    let mut child = Command::new("nvim")
        .args(["--headless", "-n", "-u", "NONE", "-i", "NONE", "-c"])
        .arg(format!(
            "luafile {}",
            root.join("tests/lsp/nvim_test.lua").display()
        ))
        .env("REL_BIN", env!("CARGO_BIN_EXE_rel"))
        .env("REL_FILE", dir.path().join("main.rel"))
        .env("REL_OUT", &out)
        .env("REL_EDITOR_DIR", root.join("editors/nvim"))
        .current_dir(dir.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("Neovim did not finish in 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(&out).expect("the Lua script writes its results");
    let r: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(r["error"].is_null(), "{r}");
    assert_eq!(r["filetype"], "rel", "{r}");
    assert_eq!(r["client"], "rel", "{r}");
    assert_eq!(r["diagnostic_code"], "rel::E0201", "{r}");
    assert_eq!(r["diagnostic_line"], 9, "{r}");
    assert!(
        r["hover"].as_str().unwrap_or("").contains("Xi Jinping"),
        "{r}"
    );
    assert!(
        r["definition"]["uri"]
            .as_str()
            .unwrap_or("")
            .ends_with("/actors.rel"),
        "{r}"
    );
    assert_eq!(r["definition"]["line"], 4, "{r}");
    assert_eq!(
        r["formatted"],
        serde_json::json!([
            "ladder china_partnerships {",
            "  strategic_coordination \"partnership of strategic coordination\"",
            "  new_era                \"for a new era\"",
            "}"
        ]),
        "{r}"
    );
}

/// The TextMate grammar (for editors where no server runs) highlights as
/// its fixtures say, under a real TextMate engine (`vscode-tmgrammar-test`,
/// installed by `.ci/run` with `npm ci` in editors/vscode).
#[test]
fn textmate_grammar_fixtures() {
    let bin = Path::new("editors/vscode/node_modules/.bin/vscode-tmgrammar-test");
    if !bin.exists() {
        assert!(
            std::env::var_os("REL_REQUIRE_EDITORS").is_none(),
            "vscode-tmgrammar-test is not installed (npm ci in editors/vscode), and REL_REQUIRE_EDITORS asks for it"
        );
        eprintln!(
            "textmate_grammar_fixtures skipped: run `npm ci` in editors/vscode (.ci/run does)"
        );
        return;
    }
    let out = Command::new(bin.canonicalize().unwrap())
        .args(["-g", "syntaxes/rel.tmLanguage.json", "tests/statements.rel"])
        .current_dir("editors/vscode")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
}

/// The TextMate grammar's word lists are the language's keywords, so
/// highlighting without the server stays in step with the grammar.
#[test]
fn textmate_grammar_knows_every_keyword() {
    use rel::syntax::keyword::{OTHER_WORDS, QUERY_START_WORDS, STATEMENT_WORDS};
    let text = std::fs::read_to_string("editors/vscode/syntaxes/rel.tmLanguage.json").unwrap();
    let grammar: serde_json::Value = serde_json::from_str(&text).unwrap();
    let words = |rule: &str| -> std::collections::BTreeSet<String> {
        let pattern = grammar["repository"][rule]["match"].as_str().unwrap();
        // The first group of plain words, `(a|b|c)`.
        let group = pattern
            .split('(')
            .map(|g| g.split(')').next().unwrap_or(""))
            .find(|g| {
                g.contains('|')
                    && g.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '|')
            })
            .unwrap();
        group.split('|').map(str::to_string).collect()
    };
    let set = |ws: &[&str]| {
        ws.iter()
            .map(|w| w.to_string())
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(words("statement"), set(STATEMENT_WORDS));
    let pipe_and_query: std::collections::BTreeSet<String> = set(QUERY_START_WORDS)
        .into_iter()
        .chain(["sort", "limit", "reverse", "desc", "asc"].map(String::from))
        .collect();
    // `level` and `trade` are statements too, highlighted as such.
    let mut queries = words("query");
    queries.extend(["level", "trade"].map(String::from));
    assert_eq!(queries, pipe_and_query);
    let others: std::collections::BTreeSet<String> = set(OTHER_WORDS)
        .into_iter()
        .filter(|w| !["sort", "limit", "reverse", "desc", "asc"].contains(&w.as_str()))
        .collect();
    assert_eq!(words("keyword"), others);
}
