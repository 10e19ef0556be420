//! The Suppliers screen: list, create, edit, merge, delete, bulk-assign SKUs, suggestions
//! from the store's vendors, and the supplier catalog import with its preview. Each command
//! is one call of `forestock_api::suppliers` (its `screen` module holds the forms and views).

use crate::error::ApiResult;
use crate::state::AppState;
use forestock_api::suppliers::screen::{
    self, AssignForm, CatalogImportView, DeletedView, MergeForm, MergedView, SuggestionView,
    SupplierEdit, SupplierForm, SupplierView,
};
use forestock_api::suppliers::{self as api, AcceptReport, AcceptSuggestions, AssignReport};
use std::sync::Arc;
use tauri::State;

type S<'a> = State<'a, Arc<AppState>>;

#[tauri::command]
pub async fn list_suppliers(state: S<'_>) -> ApiResult<Vec<SupplierView>> {
    state.read(screen::list).await
}

/// Change a supplier's settings. The library validates, writes and audits (before/after and
/// the reason) in one transaction; bad input saves nothing.
#[tauri::command]
pub async fn update_supplier(state: S<'_>, edit: SupplierEdit) -> ApiResult<SupplierView> {
    state
        .write(move |db, stamp| screen::update(db, stamp, &edit))
        .await
}

#[tauri::command]
pub async fn create_supplier(state: S<'_>, form: SupplierForm) -> ApiResult<SupplierView> {
    state
        .write(move |db, stamp| screen::create(db, stamp, &form))
        .await
}

#[tauri::command]
pub async fn merge_suppliers(state: S<'_>, form: MergeForm) -> ApiResult<MergedView> {
    state
        .write(move |db, stamp| screen::merge(db, stamp, &form))
        .await
}

#[tauri::command]
pub async fn delete_supplier(state: S<'_>, id: i64, reason: String) -> ApiResult<DeletedView> {
    state
        .write(move |db, stamp| screen::delete(db, stamp, id, &reason))
        .await
}

#[tauri::command]
pub async fn assign_skus(state: S<'_>, form: AssignForm) -> ApiResult<AssignReport> {
    state
        .write(move |db, stamp| screen::assign(db, stamp, &form))
        .await
}

#[tauri::command]
pub async fn suggest_suppliers(state: S<'_>) -> ApiResult<Vec<SuggestionView>> {
    state.read(screen::suggestions).await
}

#[tauri::command]
pub async fn accept_suggestions(state: S<'_>, form: AcceptSuggestions) -> ApiResult<AcceptReport> {
    state
        .write(move |db, stamp| api::accept(db, stamp, &form))
        .await
}

/// Preview (`dry_run`) or import a supplier catalog CSV the screen read from a file: a
/// preview lists every bad row; an import of a file with bad rows is refused whole.
#[tauri::command]
pub async fn import_supplier_catalog(
    state: S<'_>,
    csv: String,
    dry_run: bool,
) -> ApiResult<CatalogImportView> {
    state
        .write(move |db, stamp| screen::import_catalog(db, stamp, &csv, dry_run))
        .await
}
