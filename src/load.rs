//! Loading: files to statements, following includes.
//!
//! A [`Program`] is every statement read so far, with the files they came
//! from. Reading never stops at a bad statement or a bad include: each
//! problem becomes a diagnostic and the rest still loads. [`Program::build`]
//! lowers and validates the whole program into a model.

use crate::diag::{self, Code, Diagnostic};
use crate::lower::{FileStatements, Lowerer};
use crate::model::Model;
use crate::query::CheckTable;
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::syntax;
use crate::syntax::ast::{Comparison, StmtKind};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// Includes nested deeper than this are refused: a file may include a
/// file that includes a file… 64 times, and the 65th is refused.
const MAX_INCLUDE_DEPTH: usize = 64;

/// The largest file Rel reads: 256 MiB, five times the million-event file
/// of the benchmarks. Above it a file is refused (`rel::E0109`) rather
/// than read until memory runs out.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Opening or reading failed.
    Io(std::io::Error),
    /// Not a regular file: a directory, a FIFO, a device, a socket. Only
    /// regular files are read, so a FIFO cannot hang a check and a device
    /// such as `/dev/zero` cannot fill memory.
    NotAFile(&'static str),
    /// Larger than [`MAX_FILE_BYTES`] (at least this many bytes).
    TooLarge(u64),
}

/// Reads a whole source file, if it is a regular file of at most
/// [`MAX_FILE_BYTES`]. The kind of file is checked before it is opened
/// (opening a FIFO waits for a writer) and again on what was opened (the
/// path may have changed in between), and the read stops past the limit
/// (a file may grow while it is read).
pub fn read_source(path: &Path) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let kind = |m: &std::fs::Metadata| -> Result<u64, ReadError> {
        if m.is_file() {
            Ok(m.len())
        } else {
            Err(ReadError::NotAFile(file_kind(&m.file_type())))
        }
    };
    let len = kind(&std::fs::metadata(path).map_err(ReadError::Io)?)?;
    if len > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(len));
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    kind(&file.metadata().map_err(ReadError::Io)?)?;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What a file that is not a regular file is, in words.
fn file_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

impl ReadError {
    /// The diagnostic for a file `shown` that could not be read, without
    /// a place: the caller adds the include that named it, if any.
    pub fn diagnostic(&self, shown: &str) -> Diagnostic {
        match self {
            ReadError::Io(e) => Diagnostic::new(
                Code::Unreadable,
                format!("cannot read `{shown}`: {}", io_reason(e)),
            )
            .help("check the path and that the file is readable"),
            // A directory is a path that cannot be read, as before; a FIFO,
            // a device or a socket would be read as something else than a
            // file, so they have a code of their own.
            ReadError::NotAFile(what) => Diagnostic::new(
                if *what == "a directory" {
                    Code::Unreadable
                } else {
                    Code::NotAFile
                },
                format!("`{shown}` is {what}, not a file Rel can read"),
            )
            .help(if *what == "a directory" {
                "name a .rel file in it (`rel test` is the command that searches directories)"
            } else {
                "Rel reads only regular files; to check text from a pipe or a device, save it to a file first"
            }),
            ReadError::TooLarge(n) => Diagnostic::new(
                Code::TooLarge,
                format!(
                    "`{shown}` is too large: {} MiB, above the limit of {} MiB",
                    n.div_ceil(1 << 20),
                    MAX_FILE_BYTES >> 20
                ),
            )
            .help("split the file into smaller files joined with `include`"),
        }
    }
}

/// Everything read so far: files, their statements, and what went wrong
/// reading them.
#[derive(Debug, Default, Clone)]
pub struct Program {
    pub sources: SourceMap,
    pub statements: Vec<FileStatements>,
    /// Diagnostics from reading and parsing (lowering adds its own, and
    /// the syntax errors of the events parsing left to it unread).
    pub diagnostics: Vec<Diagnostic>,
    /// Canonical paths already read, so a file included twice loads once.
    loaded: HashMap<PathBuf, FileId>,
    /// Set when a file named on the command line could not be read.
    pub unreadable: bool,
    /// Texts to read instead of the files on disk, by canonical path: an
    /// editor's buffers, unsaved.
    pub overlay: HashMap<PathBuf, String>,
    /// Keep the syntax tree of every statement, for a reader of the trees
    /// (the language server). Otherwise plain events keep only their spans
    /// ([`FileStatements::plain_events`]), which takes several times less
    /// memory on a large file.
    pub keep_trees: bool,
}

mod added;
pub use added::Added;

/// What building a program reported.
#[derive(Debug, Clone, Default)]
pub struct Built {
    /// Every diagnostic, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Those of them that judged an `assert` or `claim`: judged again
    /// when a statement is added.
    pub checks: Vec<Diagnostic>,
}

/// A point in a [`Program`]'s reading to return to.
#[derive(Clone, Copy, Debug)]
pub struct Checkpoint {
    files: usize,
    statements: usize,
    diagnostics: usize,
}

/// A loaded and checked program: the model, every diagnostic, and the
/// files they point into.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
    /// True when a top-level file could not be read at all.
    pub unreadable: bool,
}

impl Loaded {
    pub fn errors(&self) -> usize {
        self.count(diag::Severity::Error)
    }
    pub fn warnings(&self) -> usize {
        self.count(diag::Severity::Warning)
    }
    /// `2 errors, 1 warning`, and the claims' verdicts when there are
    /// claims: `; claims: 4 supported, 1 contradicted, 3 undecided`.
    pub fn summary(&self) -> String {
        let plural = diag::plural;
        let mut s = format!(
            "{}, {}",
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning")
        );
        let count = |code: diag::Code| self.diagnostics.iter().filter(|d| d.code == code).count();
        let verdicts = [
            (count(diag::Code::ClaimSupported), "supported"),
            (count(diag::Code::ClaimContradicted), "contradicted"),
            (count(diag::Code::ClaimUndecided), "undecided"),
        ];
        if verdicts.iter().any(|(n, _)| *n > 0) {
            let parts: Vec<String> = verdicts.iter().map(|(n, w)| format!("{n} {w}")).collect();
            s.push_str(&format!("; claims: {}", parts.join(", ")));
        }
        s
    }

    fn count(&self, s: diag::Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }
}

/// Normalises a path for display: `/` separators, no `.`, `..` folded.
pub fn display_path(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else {
                    parts.push("..".into());
                }
            }
            Component::RootDir => parts.push(String::new()),
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    if parts.len() == 1 && parts[0].is_empty() {
        return "/".into();
    }
    if parts.is_empty() {
        return ".".into();
    }
    parts.join("/")
}

impl Program {
    pub fn new() -> Program {
        Program::default()
    }

    /// Reads a file and everything it includes. The file's directory is the
    /// project root: includes may not reach outside it.
    pub fn add_file(&mut self, path: &Path) -> Option<FileId> {
        self.add_file_as(path, &display_path(path))
    }

    /// Like [`Program::add_file`], showing the file under `name` in
    /// diagnostics (its includes are shown relative to that name).
    pub fn add_file_as(&mut self, path: &Path, name: &str) -> Option<FileId> {
        // A file already read, on its own or through an include, loads once.
        let canonical = path.canonicalize().ok();
        if let Some(id) = canonical.as_ref().and_then(|c| self.loaded.get(c)) {
            return Some(*id);
        }
        let root = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let root = root.canonicalize().unwrap_or(root);
        let canonical = canonical.unwrap_or_else(|| path.to_path_buf());
        let bytes = match self.read(path, &canonical) {
            Ok(b) => b,
            Err(e) => {
                self.unreadable = true;
                self.diagnostics.push(e.diagnostic(&display_path(path)));
                return None;
            }
        };
        let mut stack = vec![canonical.clone()];
        let id = self.add_bytes(
            name.to_string(),
            Some(canonical.clone()),
            bytes,
            &root,
            &mut stack,
        );
        self.loaded.insert(canonical, id);
        Some(id)
    }

    /// A file's bytes: from the overlay if it holds the file, else from disk.
    fn read(&self, path: &Path, canonical: &Path) -> Result<Vec<u8>, ReadError> {
        match self.overlay.get(canonical) {
            Some(text) => Ok(text.clone().into_bytes()),
            None => read_source(path),
        }
    }

    /// Adds text that has no file (the REPL, a string given to the library).
    /// Includes resolve against the current directory.
    pub fn add_text(&mut self, name: &str, text: &str) -> FileId {
        let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let mut stack = Vec::new();
        self.add_bytes(
            name.to_string(),
            None,
            text.as_bytes().to_vec(),
            &root,
            &mut stack,
        )
    }

    fn add_bytes(
        &mut self,
        name: String,
        path: Option<PathBuf>,
        bytes: Vec<u8>,
        root: &Path,
        stack: &mut Vec<PathBuf>,
    ) -> FileId {
        // A byte-order mark is not text (editors on some systems write
        // one), and bad bytes are replaced; the file keeps the map back to
        // its bytes, so positions in JSON are offsets in the file.
        let decoded = crate::source::decode_owned(bytes);
        let bad_at = decoded.first_invalid;
        let id = self
            .sources
            .add(SourceFile::from_decoded(name, path.clone(), decoded));
        if let Some(at_in_file) = bad_at {
            let file = self.sources.get(id);
            // The replacement character the first bad run became.
            let at = file
                .text
                .char_indices()
                .find(|&(i, c)| {
                    c == char::REPLACEMENT_CHARACTER && file.file_offset(i) == at_in_file
                })
                .map(|(i, _)| i)
                .unwrap_or(0);
            let end = at + char::REPLACEMENT_CHARACTER.len_utf8();
            self.diagnostics.push(
                Diagnostic::new(Code::NotUtf8, "this file is not valid UTF-8")
                    .at(id, Span::new(at, end), "first invalid byte here")
                    .help("save the file as UTF-8; the rest of the file was read with the bad bytes replaced"),
            );
        }
        let text = &self.sources.get(id).text;
        let (parts, errors) = syntax::parse_parts(text, !self.keep_trees);
        // What the statements that failed meant to declare: their uses
        // are not reported again.
        let mut broken = Vec::new();
        for mut e in errors {
            broken.append(&mut e.declares);
            self.diagnostics.push(e.into_diagnostic(id));
        }
        // Includes are followed here; they are not facts.
        let mut includes = Vec::new();
        for syntax::Part {
            mut statements,
            plain_events,
        } in parts
        {
            statements.retain(|stmt| match &stmt.kind {
                StmtKind::Include { path } => {
                    includes.push(path.clone());
                    false
                }
                _ => true,
            });
            self.statements.push(FileStatements {
                file: id,
                statements,
                plain_events,
                broken: std::mem::take(&mut broken),
            });
        }
        for inc in includes {
            self.include(id, &inc, root, stack);
        }
        id
    }

    fn include(
        &mut self,
        from: FileId,
        inc: &syntax::ast::Str,
        root: &Path,
        stack: &mut Vec<PathBuf>,
    ) {
        let from_file = self.sources.get(from);
        let base_dir = from_file
            .path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .unwrap_or_else(|| root.to_path_buf());
        let display_base = Path::new(&from_file.name)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        if inc.value.trim().is_empty() {
            self.diagnostics.push(
                Diagnostic::new(Code::IncludeMissing, "`include` names no file")
                    .at(from, inc.span, "an empty path")
                    .help("write the path of a .rel file, relative to this file's directory: include \"actors.rel\""),
            );
            return;
        }
        let target = base_dir.join(&inc.value);
        let display = display_path(&display_base.join(&inc.value));
        let Ok(canonical) = target.canonicalize() else {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::IncludeMissing,
                    format!("included file `{display}` does not exist"),
                )
                .at(from, inc.span, "no such file")
                .help(format!(
                    "include paths are relative to the including file's directory ({})",
                    if display_base.as_os_str().is_empty() {
                        ".".to_string()
                    } else {
                        display_path(&display_base)
                    }
                )),
            );
            return;
        };
        if self.loaded.contains_key(&canonical) && !stack.contains(&canonical) {
            return; // already loaded through another include
        }
        if let Some(refusal) = self.refuse_include(from, inc, &canonical, &display, root, stack) {
            self.diagnostics.push(refusal);
            return;
        }
        let bytes = match self.read(&canonical, &canonical) {
            Ok(b) => b,
            Err(e) => {
                self.diagnostics
                    .push(e.diagnostic(&display).at(from, inc.span, "included here"));
                return;
            }
        };
        stack.push(canonical.clone());
        // Mark as loaded before reading, so a diamond loads the file once.
        self.loaded.insert(canonical.clone(), FileId(u32::MAX));
        let id = self.add_bytes(display, Some(canonical.clone()), bytes, root, stack);
        self.loaded.insert(canonical, id);
        stack.pop();
    }

    /// Why an include cannot be followed: it leaves the project, closes a
    /// cycle, or nests too deep.
    fn refuse_include(
        &self,
        from: FileId,
        inc: &syntax::ast::Str,
        canonical: &Path,
        display: &str,
        root: &Path,
        stack: &[PathBuf],
    ) -> Option<Diagnostic> {
        if !canonical.starts_with(root) {
            return Some(
                Diagnostic::new(
                    Code::IncludeOutsideRoot,
                    format!("`{}` is outside the project", inc.value),
                )
                .at(from, inc.span, "reaches outside the project root")
                .help("a project includes only files in the directory of the file it starts from, or below it; copy or move the file there"),
            );
        }
        if let Some(pos) = stack.iter().position(|p| p.as_path() == canonical) {
            let chain: Vec<String> = stack[pos..]
                .iter()
                .map(|p| self.name_of(p))
                .chain(std::iter::once(display.to_string()))
                .collect();
            return Some(
                Diagnostic::new(
                    Code::IncludeCycle,
                    format!("including `{display}` makes a cycle"),
                )
                .at(
                    from,
                    inc.span,
                    "this include leads back to a file being loaded",
                )
                .note(format!("the cycle: {}", chain.join(" -> ")))
                .help("remove this include; each file needs including only once"),
            );
        }
        // The stack holds the file that started the load and each include
        // under it: this include is the stack's length deep.
        if stack.len() > MAX_INCLUDE_DEPTH {
            return Some(
                Diagnostic::new(
                    Code::TooDeep,
                    format!("includes nest more than {MAX_INCLUDE_DEPTH} deep"),
                )
                .at(from, inc.span, "one include too many")
                .help("include the files from one top-level file instead of in a chain"),
            );
        }
        None
    }

    fn name_of(&self, canonical: &Path) -> String {
        self.sources
            .files()
            .find(|(_, f)| f.path.as_deref() == Some(canonical))
            .map(|(_, f)| f.name.clone())
            .unwrap_or_else(|| display_path(canonical))
    }

    /// Whether the file at `path` has been read already, on its own or
    /// through an include.
    pub fn is_loaded(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|c| self.loaded.contains_key(&c))
    }

    /// Marks what has been read so far, to go back to with
    /// [`Program::rollback`].
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            files: self.sources.len(),
            statements: self.statements.len(),
            diagnostics: self.diagnostics.len(),
        }
    }

    /// Forgets everything read since the checkpoint: the REPL tries a
    /// statement in place and takes it back if it has errors, rather than
    /// copying the whole program first.
    pub fn rollback(&mut self, to: Checkpoint) {
        self.sources.truncate(to.files);
        self.statements.truncate(to.statements);
        self.diagnostics.truncate(to.diagnostics);
        self.loaded.retain(|_, id| (id.0 as usize) < to.files);
    }

    /// Lowers, validates and runs the checks of everything read so far.
    pub fn build(&self) -> (Model, Vec<Diagnostic>) {
        let (model, built) = self.build_parts();
        (model, built.diagnostics)
    }

    /// Like [`Program::build`], telling the checks' diagnostics apart.
    pub fn build_parts(&self) -> (Model, Built) {
        let (model, diags) = Lowerer::new(&self.sources).lower_all(&self.statements);
        self.validate_and_judge(model, diags)
    }

    /// Validates a model lowered from the program, and judges its checks.
    fn validate_and_judge(&self, mut model: Model, mut diags: Vec<Diagnostic>) -> (Model, Built) {
        let mut all = self.diagnostics.clone();
        all.append(&mut diags);
        crate::validate::validate(&model, &mut all);
        let table = CheckTable::new(&model, self.written_checks());
        let mut checks = Vec::new();
        crate::query::run_checks(&mut model, &table, &mut checks);
        all.extend(checks.iter().cloned());
        diag::sort(&mut all);
        (
            model,
            Built {
                diagnostics: all,
                checks,
            },
        )
    }

    /// The comparison of every `assert` and `claim`, with its file: the
    /// checks' syntax trees stay here, beside the model.
    fn written_checks(&self) -> impl Iterator<Item = (FileId, &Comparison)> {
        self.statements.iter().flat_map(|f| {
            f.statements.iter().filter_map(move |s| match &s.kind {
                StmtKind::Assert { check } | StmtKind::Claim { check, .. } => {
                    Some((f.file, &**check))
                }
                _ => None,
            })
        })
    }

    /// Builds and packages the result.
    pub fn finish(self) -> Loaded {
        self.finish_with_statements().0
    }

    /// Like [`Program::finish`], handing back the syntax trees too, so a
    /// caller about to exit can skip freeing them one by one.
    pub fn finish_with_statements(mut self) -> (Loaded, Vec<FileStatements>) {
        let (mut model, diags) = Lowerer::new(&self.sources).lower_unfinished(&self.statements);
        // Nothing reads the plain events' spans once they are lowered (the
        // program is not built again): freed before the events are sorted,
        // when memory peaks (16 MB for a million events).
        for f in &mut self.statements {
            f.plain_events = Vec::new();
        }
        model.finish(&self.sources);
        let (model, built) = self.validate_and_judge(model, diags);
        let loaded = Loaded {
            model,
            diagnostics: built.diagnostics,
            unreadable: self.unreadable,
            sources: self.sources,
        };
        (loaded, self.statements)
    }
}

/// Why a file could not be read or written, in words that do not vary by
/// platform.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            // Drop the "(os error N)" suffix: it varies by platform.
            s.split(" (os error").next().unwrap_or(&s).to_lowercase()
        }
    }
}

/// Loads a file and everything it includes, and checks it.
pub fn load_file(path: impl AsRef<Path>) -> Loaded {
    let mut p = Program::new();
    p.add_file(path.as_ref());
    p.finish()
}

/// Loads Rel text that has no file, under a display name.
pub fn load_str(name: &str, text: &str) -> Loaded {
    let mut p = Program::new();
    p.add_text(name, text);
    p.finish()
}
