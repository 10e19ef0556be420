//! The one rule every file Forestock writes follows (CLI verbs and the app's exports alike):
//!
//! 1. an existing file is replaced only when the caller said so (`--force`, or a save dialog
//!    that already asked);
//! 2. never onto one of the command's own inputs (the history CSV it reads, the merchant
//!    database and its `-wal`/`-shm`/`-journal` companions), compared as canonical paths and,
//!    on Unix, as the same device and inode (hard links, symlinks, `./a` vs `a`);
//! 3. checked before any work is done, so bad usage costs nothing;
//! 4. written to a temporary file in the same folder and renamed into place, so a failure
//!    never leaves half a file and an existing file is either the old one or the new one.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file a command or an export is about to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    path: PathBuf,
    replace: bool,
}

impl OutputFile {
    /// `path`, which may replace an existing file only with `force`.
    pub fn new(path: impl Into<PathBuf>, force: bool) -> Self {
        OutputFile {
            path: path.into(),
            replace: force,
        }
    }

    /// A path the planner already agreed to replace (the app's save dialog asks before
    /// returning an existing file).
    pub fn replacing(path: impl Into<PathBuf>) -> Self {
        OutputFile::new(path, true)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn refuse(&self, detail: impl Into<String>) -> Error {
        Error::Output {
            path: self.path.clone(),
            detail: detail.into(),
        }
    }

    /// Refuse an existing file without `force`, a folder, a missing folder, or one of
    /// `inputs`. Call it before doing the work whose result will be written.
    pub fn check(&self, inputs: &[&Path]) -> Result<()> {
        if self.path.as_os_str().is_empty() {
            return Err(self.refuse("the output file name is empty"));
        }
        for input in inputs {
            if same_file(&self.path, input) {
                return Err(self.refuse(format!(
                    "it is this command's own input ({}); choose another output file",
                    input.display()
                )));
            }
        }
        match std::fs::metadata(&self.path) {
            Ok(m) if m.is_dir() => return Err(self.refuse("it is a folder")),
            Ok(_) if !self.replace => {
                return Err(self.refuse("it already exists (use --force to replace it)"))
            }
            _ => {}
        }
        let dir = self.dir();
        if !dir.is_dir() {
            return Err(self.refuse(format!("the folder {} does not exist", dir.display())));
        }
        Ok(())
    }

    /// The folder the file goes to (`.` for a bare file name).
    fn dir(&self) -> &Path {
        self.path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }

    /// [`check`](Self::check), then write through `write` into a temporary file in the same
    /// folder, flushed and synced, renamed into place. On any error nothing is left behind and
    /// an existing file keeps its content. Returns what `write` returned.
    pub fn write<T, E: From<Error>>(
        &self,
        inputs: &[&Path],
        write: impl FnOnce(&mut dyn Write) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.check(inputs)?;
        let io = |e: std::io::Error| self.refuse(e.to_string());
        let tmp = tempfile::Builder::new()
            .prefix(".forestock-")
            .suffix(".tmp")
            .tempfile_in(self.dir())
            .map_err(io)?;
        let mut out = std::io::BufWriter::new(tmp);
        let value = write(&mut out)?;
        let tmp = out.into_inner().map_err(|e| io(e.into_error()))?;
        tmp.as_file().sync_all().map_err(io)?;
        let persisted = if self.replace {
            tmp.persist(&self.path).map(drop)
        } else {
            // Another process may have created the file since `check`: still never replace it.
            // A file system without hard links or RENAME_NOREPLACE (exFAT, some shares) cannot
            // say so atomically: there, a plain rename once the name is still free.
            match tmp.persist_noclobber(&self.path) {
                Err(e)
                    if e.error.kind() != std::io::ErrorKind::AlreadyExists
                        && !self.path.exists() =>
                {
                    e.file.persist(&self.path).map(drop)
                }
                other => other.map(drop),
            }
        };
        persisted.map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                self.refuse("it already exists (use --force to replace it)")
            } else {
                io(e.error)
            }
        })?;
        Ok(value)
    }
}

/// Whether `a` and `b` name the same file, or `a` is a companion file SQLite keeps beside the
/// database `b` (`-wal`, `-shm`, `-journal`).
fn same_file(a: &Path, b: &Path) -> bool {
    let mut names = vec![b.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut p = b.as_os_str().to_os_string();
        p.push(suffix);
        names.push(PathBuf::from(p));
    }
    let a_canon = canonical(a);
    names.iter().any(|n| {
        if a_canon.is_some() && a_canon == canonical(n) {
            return true;
        }
        same_inode(a, n)
    })
}

/// The canonical path of `p`, or of its folder joined with its name when `p` does not exist.
fn canonical(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = p.canonicalize() {
        return Some(c);
    }
    let name = p.file_name()?;
    let dir = p
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(dir.canonicalize().ok()?.join(name))
}

#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_text(out: &OutputFile, inputs: &[&Path], text: &str) -> Result<()> {
        out.write(inputs, |w| {
            w.write_all(text.as_bytes())?;
            Ok::<(), Error>(())
        })
    }

    #[test]
    fn an_existing_file_is_kept_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "old").unwrap();
        let e = write_text(&OutputFile::new(&path, false), &[], "new").unwrap_err();
        assert!(e.to_string().contains("--force"), "{e}");
        assert!(e.is_bad_input());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        write_text(&OutputFile::new(&path, true), &[], "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp left"
        );
    }

    #[test]
    fn an_input_is_never_the_output_even_spelled_differently() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("h.csv");
        std::fs::write(&input, "history").unwrap();
        let spelled = dir.path().join(".").join("h.csv");
        let e = write_text(&OutputFile::new(&spelled, true), &[&input], "x").unwrap_err();
        assert!(e.to_string().contains("own input"), "{e}");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(&input, &link).unwrap();
            assert!(write_text(&OutputFile::new(&link, true), &[&input], "x").is_err());
            let hard = dir.path().join("hard.csv");
            std::fs::hard_link(&input, &hard).unwrap();
            assert!(write_text(&OutputFile::new(&hard, true), &[&input], "x").is_err());
        }
        let wal = dir.path().join("h.csv-wal");
        assert!(write_text(&OutputFile::new(&wal, true), &[&input], "x").is_err());
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "history");
    }

    #[test]
    fn a_failed_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        let e = OutputFile::new(&path, false)
            .write(&[], |w| {
                w.write_all(b"half")?;
                Err::<(), Error>(Error::invalid("test", "boom"))
            })
            .unwrap_err();
        assert!(e.to_string().contains("boom"));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let missing = dir.path().join("no/such/folder/a.csv");
        let e = write_text(&OutputFile::new(missing, false), &[], "x").unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        let e = write_text(&OutputFile::new(dir.path(), true), &[], "x").unwrap_err();
        assert!(e.to_string().contains("folder"), "{e}");
    }

    /// The app's exports replace an existing file (its save dialog asked first), through a
    /// temporary file, so a failed export leaves no file behind.
    #[test]
    fn a_replacing_export_that_fails_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        let db = dir.path().join("m.db");
        let e = OutputFile::replacing(&path)
            .write(&[&db], |f| {
                f.write_all(b"half")?;
                Err::<(), Error>(Error::invalid("export", "boom"))
            })
            .unwrap_err();
        assert!(e.to_string().contains("boom"), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        write_text(&OutputFile::replacing(&path), &[&db], "id\r\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "id\r\n");
    }

    #[test]
    fn a_replacing_export_never_replaces_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("m.db");
        std::fs::write(&db, "SQLite format 3\0").unwrap();
        let e = write_text(&OutputFile::replacing(&db), &[&db], "id\r\n").unwrap_err();
        assert!(e.is_bad_input());
        assert!(e.to_string().contains("own input"), "{e}");
        assert_eq!(std::fs::read(&db).unwrap(), b"SQLite format 3\0");
    }
}
