//! Where exports go and how they are written. Interactive: a native save dialog, opened from
//! Rust in the export folder with the default file name, so the path comes from the planner
//! and never from the web view (which is why the window's capability grants no dialog
//! permission). With `FORESTOCK_EXPORT_DIR` set, files go straight into that folder under their
//! default name without asking (scripted and end-to-end runs).

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use std::io::Write;
use std::path::{Path, PathBuf};
use tauri_plugin_dialog::DialogExt;

/// A file type offered by the save dialog: its name and extensions.
pub type Kind = (&'static str, &'static [&'static str]);
pub const CSV: Kind = ("CSV", &["csv"]);
pub const PNG: Kind = ("PNG image", &["png"]);
pub const SVG: Kind = ("SVG image", &["svg"]);

/// The path to write `file_name` to; `None` when the planner cancelled the save dialog.
pub fn target(
    app: &tauri::AppHandle,
    state: &AppState,
    file_name: &str,
    kind: Kind,
) -> ApiResult<Option<PathBuf>> {
    let dir = state.export_dir();
    if state.export_without_dialog() {
        std::fs::create_dir_all(dir).map_err(|e| {
            ApiError::new(
                ErrorCode::BadInput,
                format!("cannot create the export folder {}: {e}", dir.display()),
            )
        })?;
        return Ok(Some(dir.join(file_name)));
    }
    // Best effort: the dialog opens in the export folder when it exists, else where it likes.
    let _ignored = std::fs::create_dir_all(dir);
    let picked = app
        .dialog()
        .file()
        .set_title(format!("Save {}", kind.0))
        .set_directory(dir)
        .set_file_name(file_name)
        .add_filter(kind.0, kind.1)
        .blocking_save_file();
    let Some(picked) = picked else {
        return Ok(None);
    };
    let path = picked.into_path().map_err(|e| {
        ApiError::new(
            ErrorCode::BadInput,
            format!("the save dialog returned a path Forestock cannot write to: {e}"),
        )
    })?;
    Ok(Some(with_extension(path, kind)))
}

/// Add the file type's extension when the planner typed a name without one.
fn with_extension(mut path: PathBuf, kind: Kind) -> PathBuf {
    if path.extension().is_none() {
        if let Some(ext) = kind.1.first() {
            path.set_extension(ext);
        }
    }
    path
}

/// Write an export by the rule every file Forestock writes follows
/// ([`forestock_core::OutputFile`], shared with the CLI): through a temporary file in the same
/// folder renamed into place, so a failed export never leaves half a file behind, and never
/// onto the merchant database `db` (or its `-wal`/`-shm`). An existing file is replaced: the
/// save dialog asked the planner first.
pub fn write_atomically(
    path: &Path,
    db: &Path,
    write: impl FnOnce(&mut dyn Write) -> ApiResult<()>,
) -> ApiResult<()> {
    forestock_core::OutputFile::replacing(path).write(&[db], write)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_typed_without_extension_gets_the_kind_s_one() {
        assert_eq!(
            with_extension("/tmp/audit".into(), CSV),
            PathBuf::from("/tmp/audit.csv")
        );
        assert_eq!(
            with_extension("/tmp/chart.final.png".into(), PNG),
            PathBuf::from("/tmp/chart.final.png")
        );
    }

    #[test]
    fn a_failed_write_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        let db = dir.path().join("m.db");
        let e = write_atomically(&path, &db, |f| {
            f.write_all(b"half").map_err(ApiError::internal)?;
            Err(ApiError::internal("boom"))
        })
        .unwrap_err();
        assert_eq!(e.message, "boom");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        write_atomically(&path, &db, |f| {
            f.write_all(b"id\r\n").map_err(ApiError::internal)
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "id\r\n");
    }

    #[test]
    fn an_export_never_replaces_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("m.db");
        std::fs::write(&db, "SQLite format 3\0").unwrap();
        let e = write_atomically(&db, &db, |f| {
            f.write_all(b"id\r\n").map_err(ApiError::internal)
        })
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::BadInput);
        assert!(e.message.contains("own input"), "{}", e.message);
        assert_eq!(std::fs::read(&db).unwrap(), b"SQLite format 3\0");
    }
}
