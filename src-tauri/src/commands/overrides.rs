//! The Overrides screen: manual forecast overrides, and add, change, delete (rules and audit
//! in `forestock_api::overrides`).

use crate::error::ApiResult;
use crate::state::{blocking, planner, AppState};
use forestock_api::overrides::{self, OverrideInput, OverrideList};
use std::sync::Arc;
use tauri::State;

/// Every forecast override.
#[tauri::command]
pub async fn list_forecast_overrides(state: State<'_, Arc<AppState>>) -> ApiResult<OverrideList> {
    let state = Arc::clone(&state);
    blocking(move || Ok(overrides::list(&state.open()?)?)).await
}

/// Add an override (`id` none) or change override `id`; the list afterwards.
#[tauri::command]
pub async fn save_forecast_override(
    state: State<'_, Arc<AppState>>,
    id: Option<i64>,
    input: OverrideInput,
) -> ApiResult<OverrideList> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let stamp = planner::stamp();
        match id {
            None => {
                overrides::add(&mut store, &stamp, &input)?;
            }
            Some(id) => overrides::edit(&mut store, &stamp, id, &input)?,
        }
        Ok(overrides::list(&store)?)
    })
    .await
}

/// Delete override `id`; the list afterwards.
#[tauri::command]
pub async fn delete_forecast_override(
    state: State<'_, Arc<AppState>>,
    id: i64,
) -> ApiResult<OverrideList> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        overrides::delete(&mut store, &planner::stamp(), id)?;
        Ok(overrides::list(&store)?)
    })
    .await
}
