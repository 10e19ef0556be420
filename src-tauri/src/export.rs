//! Where exports go and how they are written. Interactive: a native save dialog, opened from
//! Rust in the export folder with the default file name, so the path comes from the planner
//! and never from the web view (which is why the window's capability grants no dialog
//! permission). With `FORESTOCK_EXPORT_DIR` set, files go straight into that folder under their
//! default name without asking (scripted and end-to-end runs). The file itself is written by
//! `forestock-api` through [`forestock_core::OutputFile`] (atomic, never onto the database).

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use std::path::PathBuf;
use tauri_plugin_dialog::DialogExt;

/// A file type offered by the save dialog: its name and extensions.
pub type Kind = (&'static str, &'static [&'static str]);
pub const CSV: Kind = ("CSV", &["csv"]);
pub const PARQUET: Kind = ("Parquet", &["parquet"]);
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
}
