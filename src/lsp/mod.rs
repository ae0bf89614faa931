//! `rel lsp`: a language server over standard input and output (cargo
//! feature `cli`), on `lsp-server` and `lsp-types`, the synchronous
//! crates rust-analyzer is built on.
//!
//! Every open document is loaded as the root of its project (with what it
//! includes, open buffers read instead of the disk) on each change; the
//! analysis ([`analysis::Analysis`]) answers every request. Diagnostics
//! are `rel check`'s, with the same codes, messages, labels and help.

pub mod analysis;
mod features;

use analysis::Analysis;
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The server's state: the open documents and the analysis of each.
pub struct Server {
    /// Open documents' text, by canonical path.
    open: HashMap<PathBuf, String>,
    /// The analysis of each open document as a project root.
    analyses: HashMap<PathBuf, Analysis>,
    /// Files diagnostics were last published for, so stale ones are cleared.
    published: HashSet<String>,
}

/// Serves one client over standard input and output until it exits.
/// Returns the process's exit code.
pub fn run_stdio() -> i32 {
    let (connection, io_threads) = Connection::stdio();
    let code = match serve(&connection) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("rel lsp: {e}");
            1
        }
    };
    drop(connection);
    let _ = io_threads.join();
    code
}

/// The capabilities `rel lsp` offers.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![">".into(), "[".into(), "@".into(), " ".into()]),
            ..Default::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: features::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: Default::default(),
            },
        )),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..Default::default()
    }
}

fn serve(connection: &Connection) -> Result<(), Box<dyn std::error::Error + Sync + Send>> {
    let caps = serde_json::to_value(capabilities())?;
    connection.initialize(caps)?;
    let mut server = Server {
        open: HashMap::new(),
        analyses: HashMap::new(),
        published: HashSet::new(),
    };
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection.handle_shutdown(&req)? {
                    return Ok(());
                }
                let response = server.request(req);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(n) => {
                for out in server.notification(n) {
                    connection.sender.send(Message::Notification(out))?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// A document's path from its URI (`file:///a/b.rel`).
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str().strip_prefix("file://")?;
    let mut bytes = Vec::with_capacity(s.len());
    let raw = s.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' && i + 2 < raw.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                bytes.push(b);
                i += 3;
                continue;
            }
        }
        bytes.push(raw[i]);
        i += 1;
    }
    Some(PathBuf::from(String::from_utf8(bytes).ok()?))
}

/// A file's URI from its path.
pub fn path_to_uri(path: &Path) -> Uri {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&s).unwrap_or_else(|_| Uri::from_str("file:///").expect("a valid URI"))
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

fn params<P: serde::de::DeserializeOwned>(value: Value) -> Option<P> {
    serde_json::from_value(value).ok()
}

impl Server {
    /// Loads a document (and its includes) again; returns the diagnostics
    /// to publish, clearing those of files that have none now.
    fn reload(&mut self, path: &Path) -> Vec<Notification> {
        let analysis = Analysis::load(path, &self.open);
        let mut by_file: HashMap<String, Vec<lsp_types::Diagnostic>> = HashMap::new();
        for (file_path, diag) in features::diagnostics(&analysis) {
            by_file
                .entry(path_to_uri(&file_path).as_str().to_string())
                .or_default()
                .push(diag);
        }
        // The root is always published, so an empty list clears it.
        by_file
            .entry(path_to_uri(path).as_str().to_string())
            .or_default();
        self.analyses.insert(path.to_path_buf(), analysis);
        let mut out = Vec::new();
        let stale: Vec<String> = self
            .published
            .iter()
            .filter(|u| !by_file.contains_key(*u))
            .cloned()
            .collect();
        for uri in stale {
            by_file.insert(uri, Vec::new());
        }
        self.published = by_file
            .iter()
            .filter(|(_, d)| !d.is_empty())
            .map(|(u, _)| u.clone())
            .collect();
        let mut uris: Vec<_> = by_file.into_iter().collect();
        uris.sort_by(|a, b| a.0.cmp(&b.0));
        for (uri, diagnostics) in uris {
            let Ok(uri) = Uri::from_str(&uri) else {
                continue;
            };
            let p = PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            };
            out.push(Notification::new(
                "textDocument/publishDiagnostics".into(),
                p,
            ));
        }
        out
    }

    fn notification(&mut self, n: Notification) -> Vec<Notification> {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Some(p) = params::<DidOpenTextDocumentParams>(n.params) else {
                    return Vec::new();
                };
                let Some(path) = uri_to_path(&p.text_document.uri) else {
                    return Vec::new();
                };
                let path = canonical(&path);
                self.open.insert(path.clone(), p.text_document.text);
                self.reload(&path)
            }
            "textDocument/didChange" => {
                let Some(p) = params::<DidChangeTextDocumentParams>(n.params) else {
                    return Vec::new();
                };
                let Some(path) = uri_to_path(&p.text_document.uri) else {
                    return Vec::new();
                };
                let path = canonical(&path);
                // Full sync: the last change holds the whole text.
                if let Some(change) = p.content_changes.into_iter().last() {
                    self.open.insert(path.clone(), change.text);
                }
                self.reload(&path)
            }
            "textDocument/didSave" => {
                let Some(p) = params::<DidSaveTextDocumentParams>(n.params) else {
                    return Vec::new();
                };
                let Some(path) = uri_to_path(&p.text_document.uri) else {
                    return Vec::new();
                };
                self.reload(&canonical(&path))
            }
            "textDocument/didClose" => {
                if let Some(p) = params::<DidCloseTextDocumentParams>(n.params) {
                    if let Some(path) = uri_to_path(&p.text_document.uri) {
                        let path = canonical(&path);
                        self.open.remove(&path);
                        self.analyses.remove(&path);
                    }
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// The analysis that holds a document, and the document's file in it.
    fn analysis_for(&self, uri: &Uri) -> Option<(&Analysis, crate::source::FileId)> {
        let path = canonical(&uri_to_path(uri)?);
        if let Some(a) = self.analyses.get(&path) {
            return Some((a, a.file_of(&path)?));
        }
        // A file open only through another's include.
        self.analyses
            .values()
            .find_map(|a| a.file_of(&path).map(|f| (a, f)))
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        match features::answer(self, req) {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => {
                Response::new_err(id, lsp_server::ErrorCode::RequestFailed as i32, message)
            }
        }
    }
}
