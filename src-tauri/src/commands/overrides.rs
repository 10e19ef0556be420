//! The Overrides screen: manual forecast overrides, and add, change, delete (rules and audit
//! in `forestock_api::overrides`).

use crate::error::ApiResult;
use crate::state::AppState;
use forestock_api::overrides::{self, OverrideInput, OverrideList};
use std::sync::Arc;
use tauri::State;

/// Every forecast override.
#[tauri::command]
pub async fn list_forecast_overrides(state: State<'_, Arc<AppState>>) -> ApiResult<OverrideList> {
    state.read(overrides::list).await
}

/// Add an override (`id` none) or change override `id`; the list afterwards.
#[tauri::command]
pub async fn save_forecast_override(
    state: State<'_, Arc<AppState>>,
    id: Option<i64>,
    input: OverrideInput,
) -> ApiResult<OverrideList> {
    state
        .write(move |db, stamp| {
            match id {
                None => overrides::add(db, stamp, &input).map(drop)?,
                Some(id) => overrides::edit(db, stamp, id, &input)?,
            }
            overrides::list(db)
        })
        .await
}

/// Delete override `id`; the list afterwards.
#[tauri::command]
pub async fn delete_forecast_override(
    state: State<'_, Arc<AppState>>,
    id: i64,
) -> ApiResult<OverrideList> {
    state
        .write(move |db, stamp| {
            overrides::delete(db, stamp, id)?;
            overrides::list(db)
        })
        .await
}
