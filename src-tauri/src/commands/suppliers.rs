use crate::dto::{SupplierEdit, SupplierView};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::{blocking, planner, AppState};
use forestock_core::NewAuditEntry;
use std::sync::Arc;
use tauri::State;

#[tauri::command]
pub async fn list_suppliers(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<SupplierView>> {
    let state = Arc::clone(&state);
    blocking(move || {
        let store = state.open()?;
        let r = store.read();
        let links = r.supplier_skus()?;
        let primary = |id: i64| {
            links
                .iter()
                .filter(|l| l.supplier_id == id && l.is_primary)
                .count() as i64
        };
        Ok(r.suppliers()?
            .into_iter()
            .map(|s| {
                let n = primary(s.id);
                SupplierView::new(s, n)
            })
            .collect())
    })
    .await
}

/// Change a supplier's settings; the change and its reason go to the audit log in the same
/// transaction.
#[tauri::command]
pub async fn update_supplier(
    state: State<'_, Arc<AppState>>,
    edit: SupplierEdit,
) -> ApiResult<SupplierView> {
    if edit.reason.trim().is_empty() {
        return Err(ApiError::new(
            ErrorCode::BadInput,
            "say why the supplier changes (the reason goes to the audit log)",
        ));
    }
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let before = store
            .read()
            .suppliers()?
            .into_iter()
            .find(|s| s.id == edit.id)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("supplier {} not found", edit.id),
                )
            })?;
        let new = edit.to_new(before.price_breaks.clone());
        let w = store.write()?;
        w.update_supplier(edit.id, &new)?;
        w.audit(&NewAuditEntry {
            at: planner::now(),
            actor: planner::actor(),
            action: "supplier.update".into(),
            entity: "supplier".into(),
            entity_id: edit.id.to_string(),
            before: Some(serde_json::to_value(&before).map_err(ApiError::internal)?),
            after: Some(serde_json::to_value(&new).map_err(ApiError::internal)?),
            reason: edit.reason.trim().into(),
        })?;
        w.commit()?;
        let after = store
            .read()
            .suppliers()?
            .into_iter()
            .find(|s| s.id == edit.id)
            .ok_or_else(|| ApiError::internal("supplier vanished after update"))?;
        Ok(SupplierView::new(after, 0))
    })
    .await
}
