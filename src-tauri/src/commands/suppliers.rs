use crate::dto::{SupplierEdit, SupplierView};
use crate::error::{ApiError, ApiResult};
use crate::state::{blocking, planner, AppState};
use forestock_core::{Reader, SupplierChange};
use std::sync::Arc;
use tauri::State;

/// SKUs each supplier is the primary source of.
fn primary_skus(r: &Reader<'_>, id: i64) -> ApiResult<i64> {
    let links = r.supplier_skus()?;
    Ok(links
        .iter()
        .filter(|l| l.supplier_id == id && l.is_primary)
        .count() as i64)
}

#[tauri::command]
pub async fn list_suppliers(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<SupplierView>> {
    let state = Arc::clone(&state);
    blocking(move || {
        let store = state.open()?;
        let r = store.read();
        r.suppliers()?
            .into_iter()
            .map(|s| {
                let n = primary_skus(&r, s.id)?;
                Ok(SupplierView::new(s, n))
            })
            .collect()
    })
    .await
}

/// Change a supplier's settings. forestock-core validates, writes and audits (before/after and
/// the reason) in one transaction; bad input saves nothing.
#[tauri::command]
pub async fn update_supplier(
    state: State<'_, Arc<AppState>>,
    edit: SupplierEdit,
) -> ApiResult<SupplierView> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let before = store
            .read()
            .suppliers()?
            .into_iter()
            .find(|s| s.id == edit.id)
            .ok_or_else(|| {
                ApiError::from(forestock_core::Error::NotFound {
                    what: "supplier",
                    key: edit.id.to_string(),
                })
            })?;
        let actor = planner::actor();
        let change = SupplierChange {
            actor: &actor,
            at: planner::now(),
            reason: &edit.reason,
        };
        let after = store.update_supplier(edit.id, &edit.to_new(before.price_breaks), &change)?;
        let n = primary_skus(&store.read(), after.id)?;
        Ok(SupplierView::new(after, n))
    })
    .await
}
