use crate::dto::{AuditQuery, AuditView};
use crate::error::ApiResult;
use crate::state::{blocking, AppState};
use std::sync::Arc;
use tauri::State;

/// Audit-log entries, newest first.
#[tauri::command]
pub async fn list_audit(
    state: State<'_, Arc<AppState>>,
    query: AuditQuery,
) -> ApiResult<Vec<AuditView>> {
    let state = Arc::clone(&state);
    blocking(move || {
        let store = state.open()?;
        let entries = store.read().audit_entries(&query.into())?;
        Ok(entries.into_iter().map(AuditView::from).collect())
    })
    .await
}
