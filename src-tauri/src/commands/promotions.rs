//! The Promotions screen: the calendar, and add, change, delete (rules and audit in
//! `forestock_api::promotions`).

use crate::error::ApiResult;
use crate::state::{blocking, planner, AppState};
use forestock_api::promotions::{self, PromotionInput, PromotionList};
use std::sync::Arc;
use tauri::State;

/// Every promotion, with the latest plan's forecast over its days.
#[tauri::command]
pub async fn list_promotions(state: State<'_, Arc<AppState>>) -> ApiResult<PromotionList> {
    let state = Arc::clone(&state);
    blocking(move || Ok(promotions::list(&state.open()?)?)).await
}

/// Add a promotion (`id` none) or change promotion `id`; the calendar afterwards.
#[tauri::command]
pub async fn save_promotion(
    state: State<'_, Arc<AppState>>,
    id: Option<i64>,
    input: PromotionInput,
) -> ApiResult<PromotionList> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let stamp = planner::stamp();
        match id {
            None => {
                promotions::add(&mut store, &stamp, &input)?;
            }
            Some(id) => promotions::edit(&mut store, &stamp, id, &input)?,
        }
        Ok(promotions::list(&store)?)
    })
    .await
}

/// Delete promotion `id`; the calendar afterwards.
#[tauri::command]
pub async fn delete_promotion(
    state: State<'_, Arc<AppState>>,
    id: i64,
) -> ApiResult<PromotionList> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        promotions::delete(&mut store, &planner::stamp(), id)?;
        Ok(promotions::list(&store)?)
    })
    .await
}
