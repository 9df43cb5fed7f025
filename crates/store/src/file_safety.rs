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
    /// Waits for the lock until no writer has taken it for `timeout`: a queue of writers that
    /// each finish in turn (40 parallel saves, each with a keyring write) is waited out, one
    /// holder that never lets go is not. Each holder counts itself in the lock file, which is
    /// how a waiter sees the queue moving. Waiting happens in the kernel (in the order writers
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
            return Ok(WriteLock::taken(file));
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
        let mut seen = turns_taken(path);
        loop {
            match receiver.recv_timeout(timeout) {
                Ok(Ok(file)) => return Ok(WriteLock::taken(file)),
                Ok(Err(e)) => return Err(LockError::Io(e)),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let now = turns_taken(path);
                    if now == seen {
                        return Err(LockError::TimedOut);
                    }
                    seen = now;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return Err(LockError::TimedOut),
            }
        }
    }

    /// Counts this turn in the lock file (a number, nothing else), for waiters to see progress.
    fn taken(mut file: File) -> WriteLock {
        use std::io::{Read, Seek, SeekFrom};
        let mut text = String::new();
        let counted = file
            .read_to_string(&mut text)
            .and_then(|_| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.set_len(0))
            .and_then(|()| {
                let turns = text.trim().parse::<u64>().unwrap_or(0).wrapping_add(1);
                file.write_all(turns.to_string().as_bytes())
            });
        if let Err(e) = counted {
            // Only waiters' patience depends on it: they may give up sooner, never wrongly go in.
            tracing::debug!("could not count a settings lock turn: {e}");
        }
        WriteLock { _file: file }
    }
}

fn turns_taken(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
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
    fn a_waiter_outlasts_its_timeout_while_the_queue_moves() {
        let dir = tempfile::tempdir().unwrap();
        let lock_path = dir.path().join("x.lock");
        let first = WriteLock::acquire(&lock_path, Duration::from_secs(1)).unwrap();
        // Other writers take a turn every 100 ms for 0.6 s; the waiter's patience is 250 ms.
        let queue = std::thread::spawn({
            let lock_path = lock_path.clone();
            move || {
                drop(first);
                for _ in 0..6 {
                    let turn = WriteLock::acquire(&lock_path, Duration::from_secs(5)).unwrap();
                    std::thread::sleep(Duration::from_millis(100));
                    drop(turn);
                }
            }
        });
        std::thread::sleep(Duration::from_millis(20));
        // Whether or not it gets in between turns, it must not give up while turns are taken.
        let waited = WriteLock::acquire(&lock_path, Duration::from_millis(250));
        assert!(waited.is_ok());
        drop(waited);
        queue.join().unwrap();
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
