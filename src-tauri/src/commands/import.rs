//! The Import screen and "Export…": each command is one call of `forestock_api::import` or
//! `forestock_api::export`.

use crate::dto::SavedFile;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::{blocking, AppState};
use forestock_api::export::{self as api_export, ExportAs, ExportWhat};
use forestock_api::import::{self as api, BatchView, FileImport, FileRequest, UndoneView};
use forestock_core::OutputFile;
use std::sync::Arc;
use tauri::State;
use tauri_plugin_dialog::DialogExt;

/// Preview (`dry_run`) or import the file at `request.path` as history, stock or promotions.
#[tauri::command]
pub async fn import_file(
    state: State<'_, Arc<AppState>>,
    request: FileRequest,
) -> ApiResult<FileImport> {
    state
        .write(move |db, stamp| api::import_file(db, stamp, &request))
        .await
}

/// Every import batch, newest first.
#[tauri::command]
pub async fn import_batches(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<BatchView>> {
    state
        .read(|db| api::list_imports(db).map(|b| b.into_iter().map(BatchView::from).collect()))
        .await
}

/// Undo an import batch as a whole.
#[tauri::command]
pub async fn undo_import_batch(state: State<'_, Arc<AppState>>, id: i64) -> ApiResult<UndoneView> {
    state
        .write(move |db, stamp| api::undo_batch(db, stamp, id))
        .await
}

/// The native open dialog for a file to import; `None` when cancelled.
#[tauri::command]
pub async fn pick_import_file(app: tauri::AppHandle) -> ApiResult<Option<String>> {
    blocking(move || {
        let Some(picked) = app
            .dialog()
            .file()
            .set_title("Import a file")
            .add_filter(
                "CSV, Parquet, JSON lines",
                &["csv", "txt", "parquet", "jsonl", "json"],
            )
            .blocking_pick_file()
        else {
            return Ok(None);
        };
        let path = picked.into_path().map_err(|e| {
            ApiError::new(
                ErrorCode::BadInput,
                format!("the open dialog returned a path Forestock cannot read: {e}"),
            )
        })?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// "Export…": history, forecast, plan, POs or the audit log as Parquet or CSV, to the file the
/// save dialog picks.
#[tauri::command]
pub async fn export_data(
    app: tauri::AppHandle,
    state: State<'_, Arc<AppState>>,
    what: ExportWhat,
    format: ExportAs,
) -> ApiResult<SavedFile> {
    let state = Arc::clone(&state);
    blocking(move || {
        let kind = match format {
            ExportAs::Parquet => crate::export::PARQUET,
            ExportAs::Csv => crate::export::CSV,
        };
        let name = api_export::file_name(what, format);
        let Some(path) = crate::export::target(&app, &state, &name, kind)? else {
            return Ok(SavedFile::cancelled());
        };
        let out = OutputFile::replacing(&path);
        let rows = api_export::export(&state.open()?, what.into(), format.into(), &out)?;
        Ok(SavedFile::written(&path, rows))
    })
    .await
}
