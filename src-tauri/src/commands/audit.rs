use crate::dto::SavedFile;
use crate::error::ApiResult;
use crate::state::{blocking, planner, AppState};
use forestock_api::audit::{self, AuditQuery, AuditView};
use forestock_core::OutputFile;
use std::sync::Arc;
use tauri::State;

/// Audit-log entries, newest first.
#[tauri::command]
pub async fn list_audit(
    state: State<'_, Arc<AppState>>,
    query: AuditQuery,
) -> ApiResult<Vec<AuditView>> {
    state.read(move |db| audit::list(db, query)).await
}

/// Export the entries the filter matches (all of them, no row limit) to CSV, free text guarded
/// against formula injection by forestock-core; the export itself is audited.
#[tauri::command]
pub async fn export_audit(
    app: tauri::AppHandle,
    state: State<'_, Arc<AppState>>,
    query: AuditQuery,
) -> ApiResult<SavedFile> {
    let state = Arc::clone(&state);
    blocking(move || {
        let stamp = planner::stamp();
        let name = audit::export_file_name(&stamp);
        let Some(path) = crate::export::target(&app, &state, &name, crate::export::CSV)? else {
            return Ok(SavedFile::cancelled());
        };
        let out = OutputFile::replacing(&path);
        let rows = audit::export_csv(&mut state.open()?, &stamp, query, &out)?;
        Ok(SavedFile::written(&path, rows))
    })
    .await
}
