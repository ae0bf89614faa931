//! Helpers shared by the test binaries (`mod common;` in each).
#![allow(dead_code)] // each binary uses only some of them

/// A linear congruential generator: deterministic, enough to vary inputs.
pub struct Rng(pub u64);

impl Rng {
    /// A number below `n` (0 when `n` is 0).
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize % n.max(1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next(items.len())]
    }
}

/// Every `.rel` file directly in `examples/`, as (path, text).
pub fn examples() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rel") {
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    out
}

/// The ```` ```rel ```` blocks of a Markdown page, in order.
pub fn rel_blocks(markdown: &str) -> impl Iterator<Item = &str> {
    markdown
        .split("```rel\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap_or(""))
}

/// The `rel` binary, without colour.
#[cfg(feature = "cli")]
pub fn rel_bin() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_rel"));
    c.env("NO_COLOR", "1");
    c
}

/// Runs a command that must succeed and returns its standard output; if
/// it fails, the test fails with `what` and the command's standard error.
pub fn output_of_success(cmd: &mut std::process::Command, what: &str) -> Vec<u8> {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs a command with `stdin` piped to it; its exit code and both
/// streams, as a snapshot shows them. A command still running after 30
/// seconds is killed and reported as `exit: timed out`: a test of
/// something that must not hang fails rather than hangs.
#[cfg(feature = "cli")]
pub fn run_piped(cmd: &mut std::process::Command, stdin: &[u8]) -> String {
    use std::io::{Read, Write};
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    // A command that stops reading early closes the pipe: not a failure.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let read = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = read(Box::new(child.stdout.take().unwrap()));
    let err = read(Box::new(child.stderr.take().unwrap()));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code().map_or("-1".to_string(), |c| c.to_string());
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break "timed out".to_string();
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let _ = writer.join();
    format!(
        "exit: {status}\n--- stdout\n{}--- stderr\n{}",
        String::from_utf8_lossy(&out.join().unwrap()),
        String::from_utf8_lossy(&err.join().unwrap())
    )
}

/// The scale benchmark's generated file (`benches/scale.rs`) of `events`
/// events: 200 states, 2,000 people with roles, visits, meetings, calls,
/// speeches and agreements over 25 years, and every other statement kind
/// around them, each cited.
pub fn generated_corpus(events: usize) -> String {
    generate::generate(events)
}

#[path = "../../benches/common/generate.rs"]
mod generate;
