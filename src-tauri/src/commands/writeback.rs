//! The Write-back section (Connect screen): preview, approve, push, one library function each
//! (`forestock_api::writeback`, the same ones `forestock writeback` calls).

use crate::error::ApiResult;
use crate::state::{block_on, blocking, planner, AppState};
use forestock_api::writeback::{self, Preview, PushReport};
use std::sync::Arc;
use tauri::State;

/// What a push would write to the store (`store`: id; None: the only Shopify or BigCommerce
/// store). Writes nothing.
#[tauri::command]
pub async fn writeback_preview(
    state: State<'_, Arc<AppState>>,
    store: Option<i64>,
) -> ApiResult<Preview> {
    let st = Arc::clone(&state);
    blocking(move || {
        let key = store.map(|s| s.to_string());
        Ok(writeback::preview(&st.open()?, key.as_deref())?)
    })
    .await
}

/// Approve the preview the planner read (`hash`: its content hash; refused if it changed).
#[tauri::command]
pub async fn writeback_approve(
    state: State<'_, Arc<AppState>>,
    store: Option<i64>,
    hash: String,
) -> ApiResult<Preview> {
    let st = Arc::clone(&state);
    blocking(move || {
        let key = store.map(|s| s.to_string());
        let mut db = st.open()?;
        Ok(writeback::approve(
            &mut db,
            &planner::stamp(),
            key.as_deref(),
            Some(&hash),
        )?)
    })
    .await
}

/// Push the approved batch with the keychain's credentials.
#[tauri::command]
pub async fn writeback_push(
    state: State<'_, Arc<AppState>>,
    store: Option<i64>,
) -> ApiResult<PushReport> {
    let st = Arc::clone(&state);
    blocking(move || {
        let key = store.map(|s| s.to_string());
        let mut db = st.open()?;
        Ok(block_on(writeback::push(
            &mut db,
            &planner::stamp(),
            key.as_deref(),
        ))?)
    })
    .await
}
