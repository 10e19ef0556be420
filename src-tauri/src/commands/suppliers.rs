//! The Suppliers screen: list, create, edit, merge, delete, bulk-assign SKUs, suggestions
//! from the store's vendors, and the supplier catalog import with its preview. Each command
//! is one call of `forestock_api::suppliers`.

use crate::dto::{
    AcceptForm, AcceptedView, AssignForm, CatalogImportView, DeletedView, MergeForm, MergedView,
    SuggestionView, SupplierEdit, SupplierForm, SupplierView,
};
use crate::error::ApiResult;
use crate::state::{blocking, planner, AppState};
use forestock_api::suppliers::{self as api, catalog};
use forestock_core::Reader;
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
        let before = api::find(&store, &edit.id.to_string())?;
        let new = edit.input().resolve(&store, Some(&before))?;
        let after = api::edit(&mut store, &planner::stamp(), edit.id, &new, &edit.reason)?;
        let n = primary_skus(&store.read(), after.id)?;
        Ok(SupplierView::new(after, n))
    })
    .await
}

#[tauri::command]
pub async fn create_supplier(
    state: State<'_, Arc<AppState>>,
    form: SupplierForm,
) -> ApiResult<SupplierView> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let new = form.input().resolve(&store, None)?;
        let s = api::create(&mut store, &planner::stamp(), &new)?;
        Ok(SupplierView::new(s, 0))
    })
    .await
}

#[tauri::command]
pub async fn merge_suppliers(
    state: State<'_, Arc<AppState>>,
    form: MergeForm,
) -> ApiResult<MergedView> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let r = api::merge(
            &mut store,
            &planner::stamp(),
            form.from,
            form.into,
            &form.reason,
        )?;
        Ok(r.into())
    })
    .await
}

#[tauri::command]
pub async fn delete_supplier(
    state: State<'_, Arc<AppState>>,
    id: i64,
    reason: String,
) -> ApiResult<DeletedView> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let r = api::delete(&mut store, &planner::stamp(), id, &reason)?;
        Ok(DeletedView {
            name: r.supplier.name,
            skus_without_supplier: r.skus_without_supplier,
        })
    })
    .await
}

#[tauri::command]
pub async fn assign_skus(
    state: State<'_, Arc<AppState>>,
    form: AssignForm,
) -> ApiResult<api::AssignReport> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let (selection, terms) = form.parts();
        Ok(api::assign(
            &mut store,
            &planner::stamp(),
            form.supplier_id,
            &selection,
            &terms,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn suggest_suppliers(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<SuggestionView>> {
    let state = Arc::clone(&state);
    blocking(move || {
        let store = state.open()?;
        Ok(api::suggest(&store)?.into_iter().map(Into::into).collect())
    })
    .await
}

#[tauri::command]
pub async fn accept_suggestions(
    state: State<'_, Arc<AppState>>,
    form: AcceptForm,
) -> ApiResult<AcceptedView> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let req = api::AcceptSuggestions {
            names: form.names,
            currency: form.currency,
            lead_time_days: form.lead_time_days,
        };
        let r = api::accept(&mut store, &planner::stamp(), &req)?;
        Ok(AcceptedView {
            created: r.created,
            linked: r.linked,
        })
    })
    .await
}

/// Preview (`dry_run`) or import a supplier catalog CSV the screen read from a file: a
/// preview lists every bad row; an import of a file with bad rows is refused whole.
#[tauri::command]
pub async fn import_supplier_catalog(
    state: State<'_, Arc<AppState>>,
    csv: String,
    dry_run: bool,
) -> ApiResult<CatalogImportView> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let r = catalog::import(&mut store, &planner::stamp(), csv.as_bytes(), dry_run)?;
        Ok(r.into())
    })
    .await
}
