//! Each request `rel lsp` answers, read from an [`Analysis`].

use super::analysis::{describe_amount, describe_date, Analysis, Occurrence, SymbolKind, Value};
use super::{params, path_to_uri, uri_to_path, Server};
use crate::diag::Severity;
use crate::model::Model;
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::ast::{AttrKey, StmtKind};
use crate::syntax::highlight::{highlight, TokenClass};
use crate::syntax::keyword::{Keyword, STATEMENT_WORDS};
use lsp_server::Request;
use lsp_types::*;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::path::PathBuf;

type Answer = Result<Json, String>;

/// Answers one request; `Err` carries the message the client shows.
pub(super) fn answer(server: &mut Server, req: Request) -> Answer {
    let Request {
        method, params: p, ..
    } = req;
    match method.as_str() {
        "textDocument/hover" => {
            let p: HoverParams = params(p).ok_or("bad hover parameters")?;
            json(hover(server, &p.text_document_position_params))
        }
        "textDocument/definition" => {
            let p: GotoDefinitionParams = params(p).ok_or("bad definition parameters")?;
            json(definition(server, &p.text_document_position_params))
        }
        "textDocument/references" => {
            let p: ReferenceParams = params(p).ok_or("bad references parameters")?;
            json(references(
                server,
                &p.text_document_position,
                p.context.include_declaration,
            ))
        }
        "textDocument/prepareRename" => {
            let p: TextDocumentPositionParams = params(p).ok_or("bad rename parameters")?;
            json(prepare_rename(server, &p))
        }
        "textDocument/rename" => {
            let p: RenameParams = params(p).ok_or("bad rename parameters")?;
            let edit = rename(server, &p.text_document_position, &p.new_name)?;
            json(edit)
        }
        "textDocument/completion" => {
            let p: CompletionParams = params(p).ok_or("bad completion parameters")?;
            json(completion(server, &p.text_document_position))
        }
        "textDocument/codeAction" => {
            let p: CodeActionParams = params(p).ok_or("bad code action parameters")?;
            json(code_actions(server, &p))
        }
        "textDocument/documentSymbol" => {
            let p: DocumentSymbolParams = params(p).ok_or("bad symbol parameters")?;
            json(document_symbols(server, &p.text_document.uri))
        }
        "textDocument/foldingRange" => {
            let p: FoldingRangeParams = params(p).ok_or("bad folding parameters")?;
            json(folding(server, &p.text_document.uri))
        }
        "textDocument/semanticTokens/full" => {
            let p: SemanticTokensParams = params(p).ok_or("bad token parameters")?;
            json(semantic_tokens(server, &p.text_document.uri))
        }
        "textDocument/formatting" => {
            let p: DocumentFormattingParams = params(p).ok_or("bad formatting parameters")?;
            let edits = formatting(server, &p.text_document.uri)?;
            json(edits)
        }
        other => Err(format!("rel lsp does not answer `{other}`")),
    }
}

/// An answer as the JSON the client reads.
fn json(value: impl serde::Serialize) -> Answer {
    Ok(serde_json::to_value(value).unwrap_or(Json::Null))
}

// ---------------------------------------------------------------- positions

/// An LSP position (zero-based line, UTF-16 column) in a file.
fn position(file: &SourceFile, offset: usize) -> Position {
    let p = file.position(offset);
    Position::new((p.line - 1) as u32, p.utf16_column as u32)
}

fn range(file: &SourceFile, span: Span) -> Range {
    Range::new(position(file, span.start), position(file, span.end))
}

/// The byte offset of an LSP position in a file.
fn offset(file: &SourceFile, pos: Position) -> usize {
    let start = file.line_start(pos.line as usize + 1);
    let mut units = 0u32;
    for (i, c) in file.text[start..].char_indices() {
        if units >= pos.character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16() as u32;
    }
    file.text.len()
}

/// The analysis, the file and the byte offset a request points at.
fn locate<'s>(
    server: &'s Server,
    at: &TextDocumentPositionParams,
) -> Option<(&'s Analysis, FileId, usize)> {
    let (analysis, file) = server.analysis_for(&at.text_document.uri)?;
    let off = offset(analysis.loaded.sources.get(file), at.position);
    Some((analysis, file, off))
}

fn location(analysis: &Analysis, file: FileId, span: Span) -> Option<Location> {
    let f = analysis.loaded.sources.get(file);
    let path = f.path.as_ref()?;
    Some(Location::new(path_to_uri(path), range(f, span)))
}

// ---------------------------------------------------------------- diagnostics

/// `rel check`'s diagnostics, each with the file it belongs to: where its
/// primary label is, else the root.
pub(super) fn diagnostics(analysis: &Analysis) -> Vec<(PathBuf, lsp_types::Diagnostic)> {
    let sources = &analysis.loaded.sources;
    let root = sources.files().next().and_then(|(_, f)| f.path.clone());
    let mut out = Vec::new();
    for d in &analysis.loaded.diagnostics {
        let (file, span) = match &d.primary {
            Some(l) => (Some(l.file), l.span),
            None => (None, Span::new(0, 0)),
        };
        let Some(path) = file
            .and_then(|f| sources.get(f).path.clone())
            .or_else(|| root.clone())
        else {
            continue;
        };
        let range = file.map_or(Range::default(), |f| range(sources.get(f), span));
        let mut message = d.message.clone();
        if let Some(l) = &d.primary {
            if !l.text.is_empty() {
                message.push_str(&format!("\n{}", l.text));
            }
        }
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        for n in &d.notes {
            message.push_str(&format!("\nnote: {n}"));
        }
        let related: Vec<DiagnosticRelatedInformation> = d
            .secondary
            .iter()
            .filter_map(|l| {
                Some(DiagnosticRelatedInformation {
                    location: location(analysis, l.file, l.span)?,
                    message: l.text.clone(),
                })
            })
            .collect();
        out.push((
            path,
            lsp_types::Diagnostic {
                range,
                severity: Some(match d.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                    Severity::Advice => DiagnosticSeverity::INFORMATION,
                }),
                code: Some(NumberOrString::String(d.code.id().to_string())),
                source: Some("rel".into()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                ..Default::default()
            },
        ));
    }
    out
}

// ---------------------------------------------------------------- hover

fn markdown(text: String) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: None,
    }
}

fn hover(server: &Server, at: &TextDocumentPositionParams) -> Option<Hover> {
    let (analysis, file, off) = locate(server, at)?;
    let model = &analysis.loaded.model;
    if let Some(o) = analysis.occurrence_at(file, off) {
        let text = describe_symbol(model, o)?;
        let mut h = markdown(text);
        h.range = Some(range(analysis.loaded.sources.get(file), o.span));
        return Some(h);
    }
    match analysis.value_at(file, off)? {
        Value::Date(w) => {
            let when = w.read(file).ok()?;
            Some(markdown(describe_date(&when)))
        }
        Value::Amount(a) => {
            let mut f = crate::figure::Figure::parse(&a.number, a.scale)?;
            f.bound = a.bound;
            Some(markdown(describe_amount(&f)))
        }
    }
}

/// What a hover says of a symbol, from the model.
fn describe_symbol(model: &Model, o: &Occurrence) -> Option<String> {
    use crate::query::describe::{
        describe_event, describe_level, describe_membership, describe_role,
    };
    Some(match o.kind {
        SymbolKind::Actor => {
            let id = model.lookup(&o.name)?;
            let a = model.actor(id);
            let mut s = format!("**{}** ({}): {}", a.id, a.kind.word(), a.name);
            if !a.aka.is_empty() {
                s.push_str(&format!(", also {}", a.aka.join(", ")));
            }
            if !a.of.is_empty() {
                let of: Vec<&str> = a.of.iter().map(|&x| model.actor_name(x)).collect();
                s.push_str(&format!("\n\nof {}", of.join(", ")));
            }
            for r in model.roles_of(id) {
                s.push_str(&format!("\n\n- {}", describe_role(model, r)));
            }
            for m in model
                .memberships
                .iter()
                .filter(|m| m.member == id || m.of == id)
            {
                s.push_str(&format!("\n\n- member: {}", describe_membership(model, m)));
            }
            if let Some(u) = a.until {
                s.push_str(&format!("\n\nuntil {u}"));
            }
            if let Some(n) = a.succeeded_by {
                s.push_str(&format!(", succeeded by {}", model.actor_name(n)));
            }
            s
        }
        SymbolKind::Source => {
            let src = model.sources.get(o.name.as_str())?;
            let mut s = format!("**{}**: \"{}\"", src.id, src.title);
            if let Some(p) = src.published {
                s.push_str(&format!(", published {p}"));
            }
            if let Some(u) = &src.url {
                s.push_str(&format!("\n\n{u}"));
            }
            s.push_str(&format!("\n\ncited {} times", src.cited));
            s
        }
        SymbolKind::Label => {
            let e = model.event(*model.index.labels.get(o.name.as_str())?);
            format!(
                "**{}** {} {}: {}",
                o.name,
                e.kind.word(),
                e.when,
                describe_event(model, e)
            )
        }
        SymbolKind::Ladder => {
            let l = model.ladders.get(o.name.as_str())?;
            let rungs: Vec<String> = l.rungs.iter().map(|r| format!("`{}`", r.id)).collect();
            format!("**{}**: {}", l.id, rungs.join(" < "))
        }
        SymbolKind::Level => {
            let mut s = String::new();
            for l in model.ladders.values() {
                let Some(pos) = l.position(&o.name) else {
                    continue;
                };
                s.push_str(&format!(
                    "**{}** \"{}\": level {} of {} on `{}`",
                    o.name,
                    l.rungs[pos].name,
                    pos + 1,
                    l.rungs.len(),
                    l.id
                ));
            }
            for (&key, rel) in &model.relations {
                if !rel.levels.iter().any(|l| model.level_name(l) == o.name) {
                    continue;
                }
                s.push_str(&format!("\n\n{}:", model.pair_name(key)));
                for l in &rel.levels {
                    s.push_str(&format!("\n- {} {}", l.when, describe_level(model, l)));
                }
            }
            s
        }
    })
}

// ---------------------------------------------------------------- definition, references, rename

fn definition(server: &Server, at: &TextDocumentPositionParams) -> Option<GotoDefinitionResponse> {
    let (analysis, file, off) = locate(server, at)?;
    let o = analysis.occurrence_at(file, off)?;
    let decls: Vec<Location> = analysis
        .occurrences_of(o.kind, &o.name)
        .into_iter()
        .filter(|x| x.declares)
        .filter_map(|x| location(analysis, x.file, x.span))
        .collect();
    (!decls.is_empty()).then_some(GotoDefinitionResponse::Array(decls))
}

fn references(
    server: &Server,
    at: &TextDocumentPositionParams,
    with_declaration: bool,
) -> Option<Vec<Location>> {
    let (analysis, file, off) = locate(server, at)?;
    let o = analysis.occurrence_at(file, off)?;
    Some(
        analysis
            .occurrences_of(o.kind, &o.name)
            .into_iter()
            .filter(|x| with_declaration || !x.declares)
            .filter_map(|x| location(analysis, x.file, x.span))
            .collect(),
    )
}

fn prepare_rename(
    server: &Server,
    at: &TextDocumentPositionParams,
) -> Option<PrepareRenameResponse> {
    let (analysis, file, off) = locate(server, at)?;
    let o = analysis.occurrence_at(file, off)?;
    Some(PrepareRenameResponse::Range(range(
        analysis.loaded.sources.get(file),
        o.span,
    )))
}

fn is_id(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

// lsp-types keys a workspace edit's changes by `Uri`, which clippy flags
// for interior mutability it does not use in hashing.
#[allow(clippy::mutable_key_type)]
fn rename(
    server: &Server,
    at: &TextDocumentPositionParams,
    new_name: &str,
) -> Result<Option<WorkspaceEdit>, String> {
    let Some((analysis, file, off)) = locate(server, at) else {
        return Ok(None);
    };
    let Some(o) = analysis.occurrence_at(file, off) else {
        return Ok(None);
    };
    if !is_id(new_name) {
        return Err(format!(
            "`{new_name}` is not an id: letters, digits and `_`, starting with a letter or `_`"
        ));
    }
    if new_name != o.name && analysis.names(o.kind).contains(&new_name) {
        return Err(format!(
            "`{new_name}` is already the id of another {}: rename it first, or choose another name",
            o.kind.word()
        ));
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for x in analysis.occurrences_of(o.kind, &o.name) {
        if let Some(loc) = location(analysis, x.file, x.span) {
            changes
                .entry(loc.uri)
                .or_default()
                .push(TextEdit::new(loc.range, new_name.to_string()));
        }
    }
    Ok(Some(WorkspaceEdit::new(changes)))
}

// ---------------------------------------------------------------- completion

fn item(label: &str, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        ..Default::default()
    }
}

fn actors(model: &Model, states_only: bool) -> Vec<CompletionItem> {
    model
        .actors
        .values()
        .filter(|a| a.office.is_none() && (!states_only || a.kind.is_polity()))
        .map(|a| {
            item(
                &a.id,
                CompletionItemKind::VARIABLE,
                Some(format!("{} {}", a.kind.word(), a.name)),
            )
        })
        .collect()
}

fn words(words: &[&str], kind: CompletionItemKind) -> Vec<CompletionItem> {
    words.iter().map(|w| item(w, kind, None)).collect()
}

/// What may be written at the cursor, by the slot it is in.
fn completion(server: &Server, at: &TextDocumentPositionParams) -> Option<CompletionResponse> {
    let (analysis, file, off) = locate(server, at)?;
    let model = &analysis.loaded.model;
    let text = &analysis.loaded.sources.get(file).text;
    let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..off];
    let words_before: Vec<&str> = before.split_whitespace().collect();
    // The word being typed does not count as written.
    let typing = !before.ends_with(char::is_whitespace);
    let done: &[&str] = if typing && !words_before.is_empty() {
        &words_before[..words_before.len() - 1]
    } else {
        &words_before
    };
    let first = done.first().copied().unwrap_or("");
    // Inside a citation: sources.
    if before.rfind('[') > before.rfind(']') {
        let items = model
            .sources
            .values()
            .map(|s| item(&s.id, CompletionItemKind::REFERENCE, Some(s.title.clone())))
            .collect();
        return Some(CompletionResponse::Array(items));
    }
    if done.is_empty() {
        return Some(CompletionResponse::Array(words(
            STATEMENT_WORDS,
            CompletionItemKind::KEYWORD,
        )));
    }
    // After `visit X ->`: the states one may visit.
    if first == "visit" && done.last() == Some(&"->") {
        return Some(CompletionResponse::Array(actors(model, true)));
    }
    // After `level A~B`: the levels of the relation's ladder.
    if first == "level" && done.len() == 2 {
        let ladder = done[1]
            .split_once('~')
            .and_then(|(a, b)| Some((model.lookup(a)?, model.lookup(b)?)))
            .and_then(|(a, b)| model.relation(a, b))
            .and_then(|r| r.ladder);
        let items = model
            .ladders
            .iter()
            .enumerate()
            .filter(|(i, _)| ladder.is_none_or(|l| l.index() == *i))
            .flat_map(|(_, (_, l))| {
                l.rungs.iter().map(move |r| {
                    item(
                        &r.id,
                        CompletionItemKind::ENUM_MEMBER,
                        Some(format!("{} on {}", r.name, l.id)),
                    )
                })
            })
            .collect();
        return Some(CompletionResponse::Array(items));
    }
    // In a check: the query language, and the actors it names.
    if matches!(first, "assert" | "claim" | "complete") {
        let mut items = words(
            crate::syntax::keyword::QUERY_START_WORDS,
            CompletionItemKind::KEYWORD,
        );
        items.extend(words(
            &crate::syntax::keyword::words(Keyword::FILTER_KEYS),
            CompletionItemKind::KEYWORD,
        ));
        items.extend(actors(model, false));
        return Some(CompletionResponse::Array(items));
    }
    // After an event's date: its attributes.
    let event = Keyword::from_word(first).filter(|k| AttrKey::taken_by(*k).next().is_some());
    if let Some(k) = event {
        let dated = done
            .iter()
            .any(|w| w.starts_with(|c: char| c.is_ascii_digit()));
        if dated {
            let mut items: Vec<CompletionItem> = AttrKey::taken_by(k)
                .map(|a| item(a.word(), CompletionItemKind::PROPERTY, None))
                .collect();
            items.extend(actors(model, false));
            return Some(CompletionResponse::Array(items));
        }
    }
    Some(CompletionResponse::Array(actors(model, false)))
}

// ---------------------------------------------------------------- code actions

#[allow(clippy::mutable_key_type)] // as for `rename`
fn code_actions(server: &Server, p: &CodeActionParams) -> Option<CodeActionResponse> {
    let (analysis, file) = server.analysis_for(&p.text_document.uri)?;
    let source = analysis.loaded.sources.get(file);
    let mut out = Vec::new();
    for d in &p.context.diagnostics {
        let message = &d.message;
        // "did you mean `X`?": replace the token with X.
        if let Some(rest) = message.split("did you mean `").nth(1) {
            if let Some(word) = rest.split('`').next() {
                let mut changes = HashMap::new();
                changes.insert(
                    p.text_document.uri.clone(),
                    vec![TextEdit::new(d.range, word.to_string())],
                );
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Replace with `{word}`"),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![d.clone()]),
                    edit: Some(WorkspaceEdit::new(changes)),
                    is_preferred: Some(true),
                    ..Default::default()
                }));
            }
        }
        // An unknown actor: declare it above the statement that names it
        // (not an office, `envoy@Chile`, which no declaration names).
        let unknown = matches!(&d.code, Some(NumberOrString::String(c)) if c == "rel::E0201");
        let start = offset(source, d.range.start);
        let name = source.slice(Span::new(start, offset(source, d.range.end)));
        if unknown && !name.contains('@') {
            let kind = declared_kind_for(source, start);
            let line = Position::new(d.range.start.line, 0);
            let mut changes = HashMap::new();
            changes.insert(
                p.text_document.uri.clone(),
                vec![TextEdit::new(
                    Range::new(line, line),
                    format!("{kind} {name} \"{name}\"\n"),
                )],
            );
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Declare `{name}` as {} {kind}", crate::diag::article(kind)),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(WorkspaceEdit::new(changes)),
                ..Default::default()
            }));
        }
    }
    Some(out)
}

/// The kind of actor an unknown id most likely is, by its slot: the place
/// visited is a state, anything else a person.
fn declared_kind_for(source: &SourceFile, at: usize) -> &'static str {
    let line_start = source.text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &source.text[line_start..at];
    if before.trim_end().ends_with("->")
        || before.contains('~')
        || before.trim_start().starts_with("relations")
    {
        "state"
    } else {
        "person"
    }
}

// ---------------------------------------------------------------- outline, folding, tokens, formatting

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be given
fn symbol(
    name: String,
    detail: Option<String>,
    kind: lsp_types::SymbolKind,
    r: Range,
    children: Option<Vec<DocumentSymbol>>,
) -> DocumentSymbol {
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: r,
        selection_range: r,
        children,
    }
}

fn document_symbols(server: &Server, uri: &Uri) -> Option<DocumentSymbolResponse> {
    let (analysis, file) = server.analysis_for(uri)?;
    let source = analysis.loaded.sources.get(file);
    let mut out = Vec::new();
    use lsp_types::SymbolKind as K;
    for f in analysis.statements.iter().filter(|f| f.file == file) {
        for s in &f.statements {
            let r = range(source, s.span);
            match &s.kind {
                StmtKind::Source { id, title, .. } => out.push(symbol(
                    id.name.to_string(),
                    Some(title.value.clone()),
                    K::FILE,
                    r,
                    None,
                )),
                StmtKind::Actor(a) => out.push(symbol(
                    a.id.name.to_string(),
                    Some(a.name.value.clone()),
                    match a.kind {
                        crate::syntax::ast::ActorKindAst::Person => K::OBJECT,
                        _ => K::NAMESPACE,
                    },
                    r,
                    None,
                )),
                StmtKind::Ladder { id, rungs } => {
                    let children = rungs
                        .iter()
                        .map(|rung| {
                            symbol(
                                rung.id.name.to_string(),
                                Some(rung.name.value.clone()),
                                K::ENUM_MEMBER,
                                range(source, rung.id.span),
                                None,
                            )
                        })
                        .collect();
                    out.push(symbol(
                        id.name.to_string(),
                        None,
                        K::ENUM,
                        r,
                        Some(children),
                    ));
                }
                StmtKind::Event(ev) => {
                    let label = ev.attrs.iter().find(|a| a.key == AttrKey::Label);
                    if let Some(crate::syntax::ast::AttrValue::Ident(l)) = label.map(|a| &a.value) {
                        out.push(symbol(
                            l.name.to_string(),
                            Some(format!("{} {}", ev.kind.keyword().word(), ev.when)),
                            K::EVENT,
                            r,
                            None,
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    Some(DocumentSymbolResponse::Nested(out))
}

fn folding(server: &Server, uri: &Uri) -> Option<Vec<FoldingRange>> {
    let (analysis, file) = server.analysis_for(uri)?;
    let source = analysis.loaded.sources.get(file);
    let mut out = Vec::new();
    for f in analysis.statements.iter().filter(|f| f.file == file) {
        for s in &f.statements {
            let (a, b) = (position(source, s.span.start), position(source, s.span.end));
            if b.line > a.line {
                out.push(FoldingRange {
                    start_line: a.line,
                    end_line: b.line,
                    kind: Some(FoldingRangeKind::Region),
                    ..Default::default()
                });
            }
        }
    }
    // Runs of comment lines fold too.
    let lines: Vec<&str> = source.text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_start().starts_with('#') {
            let start = i;
            while i + 1 < lines.len() && lines[i + 1].trim_start().starts_with('#') {
                i += 1;
            }
            if i > start {
                out.push(FoldingRange {
                    start_line: start as u32,
                    end_line: i as u32,
                    kind: Some(FoldingRangeKind::Comment),
                    ..Default::default()
                });
            }
        }
        i += 1;
    }
    Some(out)
}

/// The token types, in the order [`TokenClass::ALL`] gives them.
pub(super) fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TokenClass::ALL
            .iter()
            .map(|c| match c {
                TokenClass::Keyword => SemanticTokenType::KEYWORD,
                TokenClass::Id => SemanticTokenType::VARIABLE,
                TokenClass::String => SemanticTokenType::STRING,
                TokenClass::Number => SemanticTokenType::NUMBER,
                TokenClass::Comment => SemanticTokenType::COMMENT,
                TokenClass::Operator => SemanticTokenType::OPERATOR,
            })
            .collect(),
        token_modifiers: Vec::new(),
    }
}

fn semantic_tokens(server: &Server, uri: &Uri) -> Option<SemanticTokensResult> {
    let (analysis, file) = server.analysis_for(uri)?;
    let source = analysis.loaded.sources.get(file);
    let mut data = Vec::new();
    let (mut last_line, mut last_col) = (0u32, 0u32);
    for (span, class) in highlight(&source.text) {
        let ty = TokenClass::ALL
            .iter()
            .position(|c| *c == class)
            .unwrap_or(0) as u32;
        // A token is on one line; one across lines (a string) is given a
        // piece a line.
        let mut start = span.start;
        while start < span.end {
            let line_end = source.text[start..span.end]
                .find('\n')
                .map_or(span.end, |i| start + i);
            let (a, b) = (position(source, start), position(source, line_end));
            if b.character > a.character {
                let delta_line = a.line - last_line;
                let delta_start = if delta_line == 0 {
                    a.character - last_col
                } else {
                    a.character
                };
                data.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length: b.character - a.character,
                    token_type: ty,
                    token_modifiers_bitset: 0,
                });
                (last_line, last_col) = (a.line, a.character);
            }
            start = line_end + 1;
        }
    }
    Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    }))
}

fn formatting(server: &Server, uri: &Uri) -> Result<Option<Vec<TextEdit>>, String> {
    let path = uri_to_path(uri).ok_or("not a file URI")?;
    let path = super::canonical(&path);
    let text = match server.open.get(&path) {
        Some(t) => t.clone(),
        None => std::fs::read_to_string(&path).map_err(|e| e.to_string())?,
    };
    match crate::fmt::format(&text) {
        Ok(formatted) if formatted == text => Ok(Some(Vec::new())),
        Ok(formatted) => {
            let file = SourceFile::new("doc", None, text.clone());
            let whole = Range::new(Position::new(0, 0), position(&file, text.len()));
            Ok(Some(vec![TextEdit::new(whole, formatted)]))
        }
        Err(errors) => Err(format!(
            "not formatted: {} syntax error(s); the first: {}",
            errors.len(),
            errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default()
        )),
    }
}
