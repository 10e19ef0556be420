//! The Promotions screen: the calendar, and add, change, delete (rules and audit in
//! `forestock_api::promotions`).

use crate::error::ApiResult;
use crate::state::AppState;
use forestock_api::promotions::{self, PromotionInput, PromotionList};
use std::sync::Arc;
use tauri::State;

/// Every promotion, with the latest plan's forecast over its days.
#[tauri::command]
pub async fn list_promotions(state: State<'_, Arc<AppState>>) -> ApiResult<PromotionList> {
    state.read(promotions::list).await
}

/// Add a promotion (`id` none) or change promotion `id`; the calendar afterwards.
#[tauri::command]
pub async fn save_promotion(
    state: State<'_, Arc<AppState>>,
    id: Option<i64>,
    input: PromotionInput,
) -> ApiResult<PromotionList> {
    state
        .write(move |db, stamp| {
            match id {
                None => promotions::add(db, stamp, &input).map(drop)?,
                Some(id) => promotions::edit(db, stamp, id, &input)?,
            }
            promotions::list(db)
        })
        .await
}

/// Delete promotion `id`; the calendar afterwards.
#[tauri::command]
pub async fn delete_promotion(
    state: State<'_, Arc<AppState>>,
    id: i64,
) -> ApiResult<PromotionList> {
    state
        .write(move |db, stamp| {
            promotions::delete(db, stamp, id)?;
            promotions::list(db)
        })
        .await
}
