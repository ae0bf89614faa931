//! Writing files whole or not at all.
//!
//! Written with std rather than the `tempfile` crate: the library needs one
//! function of it, and naming the temporary file ourselves keeps a leftover
//! recognisable (`.<name>.rel-tmp-<pid>-<n>`) for whoever finds it, and
//! for the next write of the same file, which removes those of processes
//! that no longer run (a write killed half way).

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
/// left behind by a crash is easy to recognise; on any error it is removed,
/// and a write removes those a killed process left beside the same file.
///
/// A symbolic link is written through: its target is replaced and the
/// link stays a link. A file that exists keeps its permissions (and, where
/// the writer may set it, its owner); a new file gets the usual ones.
pub fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    write_bytes_atomically(path, contents.as_bytes())
}

/// [`write_atomically`] for any bytes: an export's Parquet file.
pub fn write_bytes_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let path = &resolve_links(path)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file")
    })?;
    let name = name.to_string_lossy();
    remove_stale_temps(dir, &name);
    let existing = std::fs::metadata(path).ok();
    let (tmp_path, file) = create_temp(dir, &name)?;
    let written = fill(file, contents)
        .and_then(|()| keep_attributes(&tmp_path, existing.as_ref()))
        .and_then(|()| std::fs::rename(&tmp_path, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp_path);
    }
    written
}

/// The file a path finally names, following symbolic links (a link to a
/// file that does not exist yet names that file).
fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    // As many links as the system itself follows before giving up.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Gives the new file the old one's permissions and owner.
fn keep_attributes(tmp: &Path, existing: Option<&std::fs::Metadata>) -> std::io::Result<()> {
    let Some(old) = existing else {
        return Ok(());
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only a privileged writer may give a file away: otherwise the
        // file is the writer's, as any editor's save would make it.
        let _ = std::os::unix::fs::chown(tmp, Some(old.uid()), Some(old.gid()));
    }
    std::fs::set_permissions(tmp, old.permissions())
}

/// Removes `.<name>.rel-tmp-<pid>-<n>` files in `dir` whose process no
/// longer runs: what a write killed between creating its temporary file
/// and renaming it leaves. Where it cannot be told whether a process
/// runs, only files a day old are removed.
fn remove_stale_temps(dir: &Path, name: &str) {
    let prefix = format!(".{name}.rel-tmp-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some(pid) = rest
            .split_once('-')
            .and_then(|(p, _)| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() || !is_stale(pid, &entry) {
            continue;
        }
        let _ = std::fs::remove_file(entry.path());
    }
}

fn is_stale(pid: u32, entry: &std::fs::DirEntry) -> bool {
    let proc_dir = Path::new("/proc");
    if proc_dir.join("self").exists() {
        return !proc_dir.join(pid.to_string()).exists();
    }
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age.as_secs() > 24 * 60 * 60)
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

fn fill(mut file: File, contents: &[u8]) -> std::io::Result<()> {
    file.write_all(contents)?;
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

    #[cfg(unix)]
    #[test]
    fn writes_through_a_link_and_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile_dir("link");
        let target = dir.join("real.rel");
        std::fs::write(&target, "old\n").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.join("link.rel");
        std::os::unix::fs::symlink("real.rel", &link).unwrap();
        write_atomically(&link, "new\n").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new\n");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_write_removes_what_killed_writes_left() {
        let dir = tempfile_dir("stale");
        let target = dir.join("out.rel");
        // No process has a pid this large (Linux allows at most 2^22).
        let stale = dir.join(".out.rel.rel-tmp-999999999-0");
        std::fs::write(&stale, "half").unwrap();
        // One of this process is a write under way: it stays.
        let ours = dir.join(format!(".out.rel.rel-tmp-{}-999", std::process::id()));
        std::fs::write(&ours, "under way").unwrap();
        // Another file's leftover is not this write's business.
        let other = dir.join(".other.rel.rel-tmp-999999999-0");
        std::fs::write(&other, "half").unwrap();
        write_atomically(&target, "whole\n").unwrap();
        assert!(!stale.exists());
        assert!(ours.exists() && other.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir(what: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("rel-write-{what}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
