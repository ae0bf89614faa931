//! Writing files whole or not at all.
//!
//! Written with std rather than the `tempfile` crate: the library needs one
//! function of it, and naming the temporary file ourselves keeps a leftover
//! recognisable (`.<name>.rel-tmp-…`) for whoever finds it.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Distinguishes temporary files of one process, so two writes at once
/// (or a retry after a stale file) never pick the same name.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// How many names to try before giving up: a name is taken only by a
/// leftover of an earlier process with the same pid, so a few suffice.
const TEMP_ATTEMPTS: usize = 16;

/// Writes a file whole or not at all: a temporary file beside it (so the
/// rename stays on one file system), synced, then renamed over the target.
/// The temporary file is named `.<file name>.rel-tmp-<pid>-<n>`, so one
/// left behind by a crash is easy to recognise; on any error it is removed.
pub fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file")
    })?;
    let (tmp_path, file) = create_temp(dir, &name.to_string_lossy())?;
    let written = fill(file, contents).and_then(|()| std::fs::rename(&tmp_path, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp_path);
    }
    written
}

fn create_temp(dir: &Path, name: &str) -> std::io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut last_error = None;
    for _ in 0..TEMP_ATTEMPTS {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.rel-tmp-{pid}-{n}"));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_error = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_error.unwrap_or_else(|| std::io::Error::other("no free temporary file name")))
}

fn fill(mut file: File, contents: &str) -> std::io::Result<()> {
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::write_atomically;

    #[test]
    fn replaces_the_target_and_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("rel-write-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("out.rel");
        write_atomically(&target, "first\n").unwrap();
        write_atomically(&target, "second\n").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "second\n");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.rel"]);
        // Renaming over a directory fails: the temporary file goes too.
        let blocked = dir.join("blocked");
        std::fs::create_dir(&blocked).unwrap();
        assert!(write_atomically(&blocked, "x").is_err());
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
