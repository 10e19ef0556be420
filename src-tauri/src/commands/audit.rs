use crate::dto::{AuditQuery, AuditView, SavedFile};
use crate::error::ApiResult;
use crate::state::{blocking, planner, AppState};
use forestock_core::{AuditFilter, NewAuditEntry};
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
        let now = planner::now();
        let name = format!("audit-log-{}.csv", now.format("%Y%m%d-%H%M%S"));
        let Some(path) = crate::export::target(&app, &state, &name, crate::export::CSV)? else {
            return Ok(SavedFile::cancelled());
        };
        let mut store = state.open()?;
        let filter = AuditFilter {
            limit: None,
            ..query.into()
        };
        let entries = store.read().audit_entries(&filter)?;
        crate::export::write_atomically(&path, state.db_path(), |f| {
            forestock_core::write_audit_csv(&entries, f).map_err(Into::into)
        })?;
        let w = store.write()?;
        w.audit(&NewAuditEntry {
            at: now,
            actor: planner::actor(),
            action: "audit.export".into(),
            entity: "audit_log".into(),
            entity_id: String::new(),
            before: None,
            after: Some(serde_json::json!({
                "path": path.display().to_string(),
                "rows": entries.len(),
                "filter": {"entity": filter.entity, "entity_id": filter.entity_id, "action": filter.action},
            })),
            reason: String::new(),
        })?;
        w.commit()?;
        Ok(SavedFile {
            path: Some(path.display().to_string()),
            count: entries.len() as i64,
        })
    })
    .await
}
