//! The Accuracy screen: forecast against actual over the last stored forecast runs.

use crate::error::ApiResult;
use crate::state::AppState;
use forestock_api::accuracy::{self, AccuracyBy, AccuracyReport};
use std::sync::Arc;
use tauri::State;

/// The accuracy report grouped `by`, over the last `runs` forecast runs.
#[tauri::command]
pub async fn forecast_accuracy(
    state: State<'_, Arc<AppState>>,
    by: AccuracyBy,
    runs: u32,
) -> ApiResult<AccuracyReport> {
    state
        .read(move |db| accuracy::accuracy(db, by, runs as usize))
        .await
}
