//! Where exports go and how they are written. With `FORESTOCK_EXPORT_DIR` set, files go
//! straight into that folder under their default name (scripted and end-to-end runs);
//! otherwise into the default export folder.

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file type offered by the save dialog: its name and extensions.
pub type Kind = (&'static str, &'static [&'static str]);
pub const CSV: Kind = ("CSV", &["csv"]);
pub const PNG: Kind = ("PNG image", &["png"]);
pub const SVG: Kind = ("SVG image", &["svg"]);

/// The path to write `file_name` to; `None` when the planner cancelled.
pub fn target(
    _app: &tauri::AppHandle,
    state: &AppState,
    file_name: &str,
    _kind: Kind,
) -> ApiResult<Option<PathBuf>> {
    std::fs::create_dir_all(state.export_dir()).map_err(|e| {
        ApiError::new(
            ErrorCode::BadInput,
            format!(
                "cannot create the export folder {}: {e}",
                state.export_dir().display()
            ),
        )
    })?;
    Ok(Some(state.export_dir().join(file_name)))
}

/// Write a file through a temporary file in the same folder, renamed into place, so a failed
/// export never leaves half a file behind.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> ApiResult<()>,
) -> ApiResult<()> {
    let io = |e: std::io::Error| {
        ApiError::new(
            ErrorCode::BadInput,
            format!("cannot write {}: {e}", path.display()),
        )
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let tmp = dir.join(format!(".{name}.tmp"));
    let result = std::fs::File::create(&tmp).map_err(io).and_then(|mut f| {
        write(&mut f)?;
        f.flush().and_then(|()| f.sync_all()).map_err(io)
    });
    let result = result.and_then(|()| std::fs::rename(&tmp, path).map_err(io));
    if result.is_err() {
        let _ignored = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        let e = write_atomically(&path, |f| {
            f.write_all(b"half").map_err(ApiError::internal)?;
            Err(ApiError::internal("boom"))
        })
        .unwrap_err();
        assert_eq!(e.message, "boom");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        write_atomically(&path, |f| {
            f.write_all(b"id\r\n").map_err(ApiError::internal)
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "id\r\n");
    }
}
