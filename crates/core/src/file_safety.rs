//! The two file-system guarantees the settings rely on, kept apart from what the settings mean:
//!
//! - [`write_atomically`]: a reader (another process, or the next start after a crash or power
//!   cut) sees either the old file or the new one, never a mix or a truncated file.
//! - [`WriteLock`]: one writer at a time across processes (the app and any number of
//!   `occudesk-cli` commands), so no read-change-write overwrites another's change.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use fs4::FileExt;

/// Prefix of the temporary files [`write_atomically`] creates beside its target, so leftovers
/// of a killed process can be recognised (and never mistaken for anything else).
const TEMP_PREFIX: &str = ".";
const TEMP_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `path` so that it is either fully replaced or left as it was, even if the
/// process is killed or the power fails halfway: a uniquely named temporary file in the same
/// folder (two writers never share one, unlike a fixed `settings.json.tmp`), flushed to disk,
/// renamed over `path` (atomic within one file system), then the folder flushed too so the
/// rename itself survives a power cut.
///
/// A failure of the last step (flushing the folder) is logged, not returned: by then the new
/// file is what every reader sees, and reporting "not saved" would make callers undo work
/// (a keyring write) that goes with a file that was in fact written.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = parent_of(path);
    std::fs::create_dir_all(&dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut temp = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{name}."))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(&dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    if let Err(e) = sync_dir(&dir) {
        tracing::warn!(
            path = %path.display(),
            "the file was replaced, but flushing its folder to disk failed: {e}"
        );
    }
    Ok(())
}

/// Removes temporary files that a killed writer of `path` left behind. Call only while holding
/// the [`WriteLock`] that every writer of `path` takes, so no live writer's file is removed.
pub fn remove_leftover_temp_files(path: &Path) {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let prefix = format!("{TEMP_PREFIX}{name}.");
    let Ok(entries) = std::fs::read_dir(parent_of(path)) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&prefix) && file_name.ends_with(TEMP_SUFFIX) {
            // Best effort: a leftover only takes space; it is never read.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Windows has no way to flush a folder; its rename (MoveFileEx with write-through, which the
/// standard library uses) is already durable enough.
#[cfg(not(unix))]
fn sync_dir(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// An exclusive advisory lock on a lock file, released when dropped (or when the process dies,
/// however it dies: the operating system drops it with the file handle, so a killed writer
/// never leaves the others locked out). The lock file is never deleted: deleting it while
/// another process waits on it would let two writers in at once.
pub struct WriteLock {
    _file: File,
}

/// Why a [`WriteLock`] could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another holder kept it for the whole wait.
    TimedOut,
    Io(std::io::Error),
}

impl WriteLock {
    /// Waits up to `timeout` for the lock. Waiting happens in the kernel (in the order writers
    /// arrived, roughly), not by polling, so a steady stream of writers cannot starve one.
    pub fn acquire(path: &Path, timeout: Duration) -> Result<WriteLock, LockError> {
        std::fs::create_dir_all(parent_of(path)).map_err(LockError::Io)?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)
            .map_err(LockError::Io)?;
        // Uncontended (the usual case): no thread needed.
        if FileExt::try_lock(&file).is_ok() {
            return Ok(WriteLock { _file: file });
        }
        // A blocking lock cannot be given a timeout, so it waits on its own thread. If we stop
        // waiting first, that thread still gets the lock eventually, finds nobody listening and
        // drops the file, which releases the lock at once.
        let (sender, receiver) = mpsc::channel();
        std::thread::Builder::new()
            .name("settings-lock".into())
            .spawn(move || {
                let locked = FileExt::lock(&file).map(|()| file);
                let _ = sender.send(locked);
            })
            .map_err(LockError::Io)?;
        match receiver.recv_timeout(timeout) {
            Ok(Ok(file)) => Ok(WriteLock { _file: file }),
            Ok(Err(e)) => Err(LockError::Io(e)),
            Err(_) => Err(LockError::TimedOut),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_for_the_first_and_times_out_if_it_never_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let lock_path = dir.path().join("x.lock");
        let first = WriteLock::acquire(&lock_path, Duration::from_secs(1)).unwrap();
        let started = std::time::Instant::now();
        assert!(matches!(
            WriteLock::acquire(&lock_path, Duration::from_millis(200)),
            Err(LockError::TimedOut)
        ));
        assert!(started.elapsed() >= Duration::from_millis(200));

        let waiter = std::thread::spawn({
            let lock_path = lock_path.clone();
            move || WriteLock::acquire(&lock_path, Duration::from_secs(10)).is_ok()
        });
        std::thread::sleep(Duration::from_millis(100));
        drop(first);
        assert!(
            waiter.join().unwrap(),
            "the waiter got the lock once it was free"
        );
    }

    #[test]
    fn atomic_writes_replace_the_file_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["settings.json"]);

        std::fs::write(dir.path().join(".settings.json.abc123.tmp"), "half").unwrap();
        std::fs::write(dir.path().join("other.tmp"), "not ours").unwrap();
        remove_leftover_temp_files(&path);
        assert!(!dir.path().join(".settings.json.abc123.tmp").exists());
        assert!(dir.path().join("other.tmp").exists());
    }
}
