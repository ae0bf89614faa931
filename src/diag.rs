//! Diagnostics: stable codes, severities, labels, and their two renderings
//! (miette's graphical report for people, JSON for tools).

use crate::source::{escape_for_terminal, FileId, SourceFile, SourceMap, Span};
use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is. Errors fail `rel check`; warnings fail it
/// only under `--deny warnings`; advice never does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Advice,
    Warning,
    Error,
}

macro_rules! codes {
    ($( $variant:ident = $id:literal, $sev:ident, $title:literal; )*) => {
        /// Every diagnostic Rel can emit. The string ids are stable: tools
        /// and users match on them, and `docs/errors.md` documents each.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];
            /// The stable id, e.g. `rel::E0201`.
            pub fn id(self) -> &'static str {
                match self { $( Code::$variant => concat!("rel::", $id), )* }
            }
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }
            /// A short title, as used in `docs/errors.md`.
            pub fn title(self) -> &'static str {
                match self { $( Code::$variant => $title, )* }
            }
        }
    };
}

codes! {
    Syntax = "E0101", Error, "syntax error";
    NotUtf8 = "E0102", Error, "file is not UTF-8";
    TooDeep = "E0103", Error, "nesting too deep";
    UnclosedBlock = "E0104", Error, "unclosed block";
    UnterminatedString = "E0105", Error, "unterminated string";
    BadAttribute = "E0106", Error, "attribute does not apply here";
    Unreadable = "E0107", Error, "file cannot be read";
    StatementTooLong = "E0108", Error, "statement too long";
    TooManyItems = "E0109", Error, "too many items in a statement";
    NotAFile = "E0110", Error, "not a regular file";
    TooLarge = "E0111", Error, "file too large";
    UnknownActor = "E0201", Error, "unknown actor";
    Duplicate = "E0202", Error, "duplicate declaration";
    UnknownSource = "E0203", Error, "unknown source";
    UnknownLadder = "E0204", Error, "unknown ladder";
    UnknownLevel = "E0205", Error, "unknown level";
    UnknownLabel = "E0206", Error, "unknown event label";
    WrongKind = "E0207", Error, "wrong kind of actor";
    RepeatedActor = "E0208", Error, "actor listed twice";
    ImpossibleDate = "E0301", Error, "impossible date";
    ReversedRange = "E0302", Error, "reversed range";
    MalformedDate = "E0303", Error, "malformed date or range";
    MalformedNumber = "E0304", Error, "malformed number";
    WrongWeekday = "E0305", Error, "weekday does not match the date";
    ImpossibleChange = "E0306", Error, "change below -100%";
    OffLadder = "E0401", Error, "level not on the relation's ladder";
    UnmarkedDowngrade = "E0402", Error, "downgrade not marked";
    NotADowngrade = "W0403", Warning, "`downgrade` on a level that does not go down";
    ViaOutsideEvent = "E0404", Error, "level change outside its `via` event";
    SelfRelation = "E0405", Error, "relation of an actor with itself";
    ConflictingLevels = "E0406", Error, "two levels on the same day";
    AtOutsideEvent = "E0407", Error, "event outside the event it is `at`";
    DuringOutsideTrip = "E0408", Error, "event outside the trip it is `during`";
    NotOnTheTrip = "W0409", Warning, "no participant of an event was on its trip";
    LevelBeforeRelations = "E0410", Error, "level change before relations were established";
    VisitWhileSevered = "W0411", Warning, "head of state visit while relations were severed";
    TwoPlacesAtOnce = "E0501", Error, "person in two countries at once";
    OwnStateVisit = "E0502", Error, "head of state visiting their own state";
    OutsideRole = "E0503", Error, "acting outside a role";
    MayBeOutsideRole = "W0504", Warning, "act that may fall outside a role";
    OfficeHeldTwice = "W0505", Warning, "two holders of one office at once";
    ActorGone = "W0506", Warning, "act of an actor that no longer existed";
    YoyMismatch = "W0601", Warning, "year-on-year change inconsistent with the figures";
    FigureConflict = "W0602", Warning, "figures disagree";
    UnusedSource = "W0701", Warning, "unused source";
    AfterItsSource = "W0702", Warning, "fact dated after its only source was published";
    DatesDisagree = "W0703", Warning, "sources disagree on an event's dates";
    IncludeMissing = "E0801", Error, "included file not found";
    IncludeCycle = "E0802", Error, "include cycle";
    IncludeOutsideRoot = "E0803", Error, "include outside the project root";
    BadQuery = "E0901", Error, "query cannot be evaluated";
    AssertFailed = "E0902", Error, "assertion failed";
    ClaimContradicted = "W0903", Warning, "claim contradicted by the model";
    ClaimUndecided = "A0904", Advice, "claim cannot be decided yet";
    ClaimSupported = "A0905", Advice, "claim supported by the model";
    TypeMismatch = "E0906", Error, "comparison of different types";
    UnknownCommand = "E1001", Error, "unknown REPL command";
    MissingArgument = "E1002", Error, "REPL command without its argument";
    CannotSave = "E1003", Error, "session cannot be saved";
    InputFailed = "E1004", Error, "input cannot be read";
    TestPathUnreadable = "E1005", Error, "test path cannot be read";
    GoldenUnreadable = "E1006", Error, "golden file cannot be read";
    GoldenUnwritable = "E1007", Error, "golden file cannot be written";
    SaveWouldReplace = "E1008", Error, "`:save` would replace a file";
    FormatUnwritable = "E1009", Error, "formatted file cannot be written";
    OutputUnwritable = "E1101", Error, "output cannot be written";
    OutputNeedsPath = "E1102", Error, "output needs a file or directory";
    UnknownTable = "E1103", Error, "unknown export table";
    BadExportDate = "E1104", Error, "`--on` date missing or malformed";
    NotMapped = "W1105", Warning, "facts the event-data export cannot map";
    ExportOfErrors = "E1106", Error, "file has errors: nothing exported";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A place in a file with a short text saying what is there.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub text: String,
}

/// One finding. Built with [`Diagnostic::new`] and the builder methods.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }
    pub fn at(mut self, file: FileId, span: Span, text: impl Into<String>) -> Diagnostic {
        self.primary = Some(Label {
            file,
            span,
            text: text.into(),
        });
        self
    }
    pub fn also(mut self, file: FileId, span: Span, text: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label {
            file,
            span,
            text: text.into(),
        });
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
    /// Help naming the candidate closest to `wanted` ("did you mean
    /// `Russia`?"), or `otherwise` when none is close.
    pub fn help_suggesting<'a>(
        self,
        wanted: &str,
        candidates: impl IntoIterator<Item = &'a str>,
        otherwise: impl Into<String>,
    ) -> Diagnostic {
        match suggest(wanted, candidates) {
            Some(s) => self.help(format!("did you mean `{s}`?")),
            None => self.help(otherwise),
        }
    }
    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file, then position, so output is stable whatever
/// order the stages found them in.
///
/// Diagnostics at the same place are ordered by code, then message, then
/// labels, help and notes (see [`order`]), so the order is a function of
/// the text, not of the order rules ran in.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(order);
}

/// The order [`sort`] puts diagnostics in: by file and position, then
/// code and message, then everything else, so that only equal
/// diagnostics tie and the order never depends on which rule or which
/// way of building reported one first.
pub fn order(x: &Diagnostic, y: &Diagnostic) -> std::cmp::Ordering {
    let at = |d: &Diagnostic| {
        d.primary
            .as_ref()
            .map(|l| (l.file, l.span.start, l.span.end))
            .unwrap_or((FileId(u32::MAX), 0, 0))
    };
    fn label(l: &Label) -> (FileId, usize, usize, &str) {
        (l.file, l.span.start, l.span.end, &l.text)
    }
    at(x)
        .cmp(&at(y))
        .then_with(|| x.code.id().cmp(y.code.id()))
        .then_with(|| x.message.cmp(&y.message))
        .then_with(|| {
            x.primary
                .as_ref()
                .map(label)
                .cmp(&y.primary.as_ref().map(label))
        })
        .then_with(|| {
            x.secondary
                .iter()
                .map(label)
                .cmp(y.secondary.iter().map(label))
        })
        .then_with(|| (&x.help, &x.notes).cmp(&(&y.help, &y.notes)))
}

/// `1 error`, `2 errors`: a count and its noun, singular or plural.
pub fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// How to render for people.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    pub color: bool,
    pub width: usize,
}

impl Default for RenderOptions {
    /// No colour at a fixed width: the deterministic form tests snapshot.
    fn default() -> Self {
        RenderOptions {
            color: false,
            width: 100,
        }
    }
}

/// Lines longer than this are not shown as a snippet: the diagnostic still
/// names the line and column, but megabytes of text are not echoed.
const MAX_SNIPPET_LINE: usize = 400;

/// Lines of context miette shows above and below a label (its default).
const CONTEXT_LINES: usize = 1;

/// Of each code, at most this many diagnostics are rendered for people;
/// a closing line counts the rest. A rule broken by one fact in a
/// generated file can otherwise bury everything else (JSON keeps all).
pub const MAX_SHOWN_PER_CODE: usize = 20;

/// The part of a file a report shows, as miette reads it: the lines
/// around the labels (not the whole file, however large), with every
/// character shown as `source::write_for_terminal` shows it, and lines and
/// columns counted as the file counts them (columns in characters, where
/// miette would count bytes).
struct Window<'f> {
    file: &'f SourceFile,
    /// Offset in the file of `text`'s first byte.
    start: usize,
    /// Zero-based line of `text`'s first line.
    first_line: usize,
    text: String,
    /// After each escaped character: (offset in `text`, offset in the file).
    escapes: Vec<(usize, usize)>,
}

impl<'f> Window<'f> {
    fn new(file: &'f SourceFile, spans: impl Iterator<Item = Span>) -> Window<'f> {
        let (mut lo, mut hi) = (usize::MAX, 0);
        for s in spans {
            lo = lo.min(s.start);
            hi = hi.max(s.end);
        }
        let lo = lo.min(file.text.len());
        let hi = hi.max(lo).min(file.text.len());
        // One line more than miette asks for on each side, so its own
        // count of lines never reaches the window's edge.
        let first_line = file.position(lo).line.saturating_sub(CONTEXT_LINES + 2);
        let last_line = file.position(hi).line + CONTEXT_LINES + 1;
        let start = file.line_start(first_line + 1);
        let end = file.line_start(last_line + 1);
        let mut text = String::with_capacity(end - start);
        let mut escapes = Vec::new();
        let shown = &file.text[start..end];
        for (i, c) in shown.char_indices() {
            if crate::source::write_for_terminal(shown, i, c, &mut text) {
                escapes.push((text.len(), start + i + c.len_utf8()));
            }
        }
        Window {
            file,
            start,
            first_line,
            text,
            escapes,
        }
    }

    /// Where an offset in the file is in the window's text.
    fn to_window(&self, offset: usize) -> usize {
        let i = self.escapes.partition_point(|&(_, f)| f <= offset);
        match i.checked_sub(1).map(|i| self.escapes[i]) {
            Some((t, f)) => t + (offset - f),
            None => offset.saturating_sub(self.start),
        }
    }

    /// Where an offset in the window's text is in the file.
    fn to_file(&self, offset: usize) -> usize {
        let i = self.escapes.partition_point(|&(t, _)| t <= offset);
        match i.checked_sub(1).map(|i| self.escapes[i]) {
            Some((t, f)) => f + (offset - t),
            None => self.start + offset,
        }
    }

    fn span(&self, span: Span) -> (usize, usize) {
        let start = self.to_window(span.start);
        (start, self.to_window(span.end).max(start) - start)
    }
}

impl miette::SourceCode for Window<'_> {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        // miette reads a label with no context lines to name its line and
        // column in the report's header: give the column in characters of
        // the file, not in bytes of the (escaped) window.
        let column = if before == 0 {
            self.file
                .position(self.to_file(inner.span().offset()))
                .column
                - 1
        } else {
            inner.column()
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.file.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            // miette compares this count, made from the start of the
            // source, to decide whether two snippets merge: count from
            // the file's start, as it would over the whole file.
            inner.line_count() + self.first_line,
        )))
    }
}

struct MietteView<'a> {
    diag: &'a Diagnostic,
    message: String,
    source: Option<Window<'a>>,
    labels: Vec<miette::LabeledSpan>,
    help: Option<String>,
}

impl fmt::Debug for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl fmt::Display for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for MietteView<'_> {}

impl miette::Diagnostic for MietteView<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code.id()))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

fn location(map: &SourceMap, label: &Label) -> String {
    let file = map.get(label.file);
    let (line, col) = file.line_col(label.span.start);
    format!("{}:{}:{}", file.name, line, col)
}

/// Text for a terminal, as an owned string.
fn shown(text: &str) -> String {
    escape_for_terminal(text).into_owned()
}

/// Renders one diagnostic as miette's graphical report. Every piece of
/// the user's text in it (the snippet, and names quoted in the message,
/// labels, help and notes) has its control characters escaped, so a file
/// cannot drive the terminal that shows its diagnostics.
pub fn render(map: &SourceMap, diag: &Diagnostic, opts: RenderOptions) -> String {
    let mut notes: Vec<String> = diag.notes.iter().map(|n| shown(n)).collect();
    let mut labels = Vec::new();
    let mut source = None;
    if let Some(primary) = &diag.primary {
        let file = map.get(primary.file);
        let long_line = std::iter::once(primary)
            .chain(diag.secondary.iter().filter(|l| l.file == primary.file))
            .any(|l| file.line_span(l.span.start).len() > MAX_SNIPPET_LINE);
        if long_line {
            notes.insert(
                0,
                format!(
                    "at {}: {} (the line is too long to show)",
                    location(map, primary),
                    shown(&primary.text)
                ),
            );
        } else {
            let same_file = std::iter::once(primary)
                .chain(diag.secondary.iter().filter(|l| l.file == primary.file));
            let window = Window::new(file, same_file.map(|l| l.span));
            labels.push(miette::LabeledSpan::new_primary_with_span(
                Some(shown(&primary.text)),
                window.span(primary.span),
            ));
            for l in diag.secondary.iter().filter(|l| l.file == primary.file) {
                labels.push(miette::LabeledSpan::new_with_span(
                    Some(shown(&l.text)),
                    window.span(l.span),
                ));
            }
            source = Some(window);
        }
        for l in &diag.secondary {
            if l.file != primary.file || long_line {
                notes.push(format!("{}: {}", location(map, l), shown(&l.text)));
            }
        }
    }
    let view = MietteView {
        diag,
        message: shown(&diag.message),
        source,
        labels,
        help: diag.help.as_deref().map(shown),
    };
    let theme = if opts.color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false)
        .with_context_lines(CONTEXT_LINES);
    let mut out = String::new();
    if handler.render_report(&mut out, &view).is_err() {
        out = format!("{}: {}\n", diag.code.id(), view.message);
    }
    // Notes (places in other files, context) follow the report, one a line.
    if !out.ends_with('\n') {
        out.push('\n');
    }
    for n in &notes {
        out.push_str(&format!("  note: {n}\n"));
    }
    out
}

/// Renders a list of diagnostics, each followed by a blank line. Of each
/// code, the first [`MAX_SHOWN_PER_CODE`] are shown, and a closing line
/// says how many more there are.
pub fn render_all(map: &SourceMap, diags: &[Diagnostic], opts: RenderOptions) -> String {
    let mut out = String::new();
    let mut seen: std::collections::HashMap<Code, usize> = std::collections::HashMap::new();
    for d in diags {
        let n = seen.entry(d.code).or_default();
        *n += 1;
        if *n > MAX_SHOWN_PER_CODE {
            continue;
        }
        out.push_str(&render(map, d, opts));
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    // In the order of the codes' first appearance, which is stable.
    let mut more: Vec<(usize, Code, usize)> = Vec::new();
    for (i, d) in diags.iter().enumerate() {
        let total = seen[&d.code];
        if total > MAX_SHOWN_PER_CODE && !more.iter().any(|m| m.1 == d.code) {
            more.push((i, d.code, total - MAX_SHOWN_PER_CODE));
        }
    }
    for (_, code, n) in more {
        out.push_str(&format!(
            "{code}: and {n} more like this (`rel check --format json` lists every one)\n\n"
        ));
    }
    out
}

/// The JSON form of a diagnostic: one flat object, positions one-based.
#[derive(Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub span: Option<Span>,
    pub label: Option<String>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    pub related: Vec<JsonLabel>,
}

#[derive(Serialize)]
pub struct JsonLabel {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub span: Span,
    pub label: String,
}

pub fn to_json(map: &SourceMap, d: &Diagnostic) -> JsonDiagnostic {
    let (file, line, column, span, label) = match &d.primary {
        Some(l) => {
            let f = map.get(l.file);
            let (line, col) = f.line_col(l.span.start);
            (
                Some(f.name.clone()),
                Some(line),
                Some(col),
                Some(f.file_span(l.span)),
                Some(l.text.clone()),
            )
        }
        None => (None, None, None, None, None),
    };
    JsonDiagnostic {
        code: d.code.id(),
        severity: d.severity,
        message: d.message.clone(),
        file,
        line,
        column,
        span,
        label,
        help: d.help.clone(),
        notes: d.notes.clone(),
        related: d
            .secondary
            .iter()
            .map(|l| {
                let f = map.get(l.file);
                let (line, column) = f.line_col(l.span.start);
                JsonLabel {
                    file: f.name.clone(),
                    line,
                    column,
                    span: f.file_span(l.span),
                    label: l.text.clone(),
                }
            })
            .collect(),
    }
}

/// `"a, b or c"`, for messages that list what would do.
pub fn or_list<S: AsRef<str>>(words: &[S]) -> String {
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.as_ref().to_string(),
        Some((last, rest)) => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} or {}", rest.join(", "), last.as_ref())
        }
    }
}

/// The indefinite article for a word of the language: "an org", "a state".
pub fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// "did you mean" over a set of candidate names, by Jaro-Winkler similarity.
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Similarity is quadratic in length, and no id is this long: a typo of
    // a real name is short.
    if wanted.len() > 64 {
        return None;
    }
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&wanted.to_lowercase(), &c.to_lowercase());
        if score >= 0.8 && best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}
