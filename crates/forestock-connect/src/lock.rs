//! One sync per merchant database at a time (the app and a nightly `forestock sync` may both
//! start one), and cleanup of what a killed sync left behind.
//!
//! The lock is an OS advisory lock (`flock` on Unix, `LockFileEx` on Windows, through std's
//! [`std::fs::File::try_lock`]) on a sidecar file beside the database, `<db>.sync-lock`. The
//! OS releases it when the process ends, however it ends, so a killed sync never leaves a
//! stale lock. The file also holds the owner's pid, only to name it in the refusal.
//!
//! A whole run (sync, then forecast, plan and alerts: the app's "Sync & run" and
//! `forestock nightly`) holds a second lock of the same kind, [`RunLock`] on `<db>.run-lock`,
//! so the nightly job never plans beside the app's own run. Its sync stage takes the sync lock
//! as any sync does.

use crate::error::{Error, Result};
use crate::sql;
use chrono::NaiveDateTime;
use forestock_core::Store;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Held while a sync runs; dropping it (or the process ending) releases the lock.
#[derive(Debug)]
pub struct SyncLock {
    _file: Option<File>,
}

impl Drop for SyncLock {
    fn drop(&mut self) {
        // Forget our pid before the lock goes (a process killed outright leaves it; the next
        // owner overwrites it).
        if let Some(f) = &self._file {
            let _cleared = f.set_len(0);
        }
    }
}

/// The sidecar lock file of a database.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".sync-lock");
    PathBuf::from(name)
}

impl SyncLock {
    /// Take the sync lock of `db` or refuse at once with [`Error::SyncRunning`]. An in-memory
    /// database has no other process to exclude.
    pub fn acquire(db: &Store) -> Result<SyncLock> {
        let file = take(db, &lock_path(db.path()), |db, owner| Error::SyncRunning {
            db,
            owner,
        })?;
        Ok(SyncLock { _file: file })
    }
}

/// Held while a whole run (sync, forecast, plan, alerts) of a database goes on; dropping it
/// (or the process ending) releases it.
#[derive(Debug)]
pub struct RunLock {
    _inner: SyncLock,
}

/// The sidecar file of a database's run lock.
pub fn run_lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".run-lock");
    PathBuf::from(name)
}

impl RunLock {
    /// Take the run lock of `db` or refuse at once with [`Error::RunRunning`], naming the
    /// process that holds it. An in-memory database has no other process to exclude.
    pub fn acquire(db: &Store) -> Result<RunLock> {
        let file = take(db, &run_lock_path(db.path()), |db, owner| {
            Error::RunRunning { db, owner }
        })?;
        Ok(RunLock {
            _inner: SyncLock { _file: file },
        })
    }
}

/// Lock `lock` (a sidecar of `db`) or refuse with `busy(db, owner)`; `None` for an in-memory
/// database.
fn take(
    db: &Store,
    lock: &Path,
    busy: impl FnOnce(String, String) -> Error,
) -> Result<Option<File>> {
    let path = db.path();
    if path == Path::new(":memory:") {
        return Ok(None);
    }
    let io = |e: std::io::Error| Error::Invalid {
        what: "sync lock",
        detail: format!("cannot open {}: {e}", lock.display()),
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut owner = String::new();
            // Best effort: the pid only makes the message more useful.
            let _partial = file.read_to_string(&mut owner);
            let owner = owner.trim();
            return Err(busy(
                path.display().to_string(),
                if owner.is_empty() {
                    "another process".into()
                } else {
                    format!("process {owner}")
                },
            ));
        }
        Err(TryLockError::Error(e)) => return Err(io(e)),
    }
    // Ours now: record the pid for the message a second sync prints.
    let _recorded = file
        .set_len(0)
        .and_then(|()| file.seek(SeekFrom::Start(0)))
        .and_then(|_| write!(file, "{}", std::process::id()))
        .and_then(|()| file.flush());
    Ok(Some(file))
}

/// With the lock held, nothing else is syncing: a `running` resource or sync run is what a
/// killed sync left. Mark such resources `interrupted` (their cursor stays, the next pass
/// resumes from it) and such runs `failed` with a summary that says so, so neither the app
/// nor a report shows a sync as running when none is.
pub(crate) fn clear_stale_running(db: &mut Store, now: NaiveDateTime) -> Result<()> {
    let w = db.write()?;
    w.tx()
        .execute(sql::CLEAR_STALE_RUNNING_UPDATE_SYNC_STATE, [])?;
    w.tx()
        .execute(sql::CLEAR_STALE_RUNNING_UPDATE_RUNS, [now])?;
    w.commit()?;
    Ok(())
}
