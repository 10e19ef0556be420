//! The Accuracy screen: forecast against actual over the last stored forecast runs.

use crate::error::ApiResult;
use crate::state::{blocking, AppState};
use forestock_api::accuracy::{AccuracyBy, AccuracyReport};
use std::sync::Arc;
use tauri::State;

/// The accuracy report grouped `by`, over the last `runs` forecast runs.
#[tauri::command]
pub async fn forecast_accuracy(
    state: State<'_, Arc<AppState>>,
    by: AccuracyBy,
    runs: u32,
) -> ApiResult<AccuracyReport> {
    let state = Arc::clone(&state);
    blocking(move || {
        Ok(forestock_api::accuracy::accuracy(
            &state.open()?,
            by,
            runs as usize,
        )?)
    })
    .await
}
