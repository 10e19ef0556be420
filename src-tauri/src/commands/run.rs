use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::{block_on, blocking, planner, AppState};
use forestock_api::sync::RunEvent;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tauri::{ipc::Channel, State};

/// Sync & run ([`forestock_api::sync::sync_and_plan`]): sync the connected stores, then
/// forecast and plan, streaming progress. Cancelling takes effect between stages.
#[tauri::command]
pub async fn sync_and_run(
    state: State<'_, Arc<AppState>>,
    on_event: Channel<RunEvent>,
) -> ApiResult<()> {
    if state.running.swap(true, Ordering::SeqCst) {
        return Err(ApiError::new(
            ErrorCode::Busy,
            "a run is already in progress",
        ));
    }
    state.cancel.store(false, Ordering::SeqCst);
    let st = Arc::clone(&state);
    let result = blocking(move || {
        let send = move |e: RunEvent| {
            on_event
                .send(e)
                .map_err(|e| ApiError::internal(format!("progress channel closed: {e}")))
        };
        let mut db = st.open()?;
        let cancel = Arc::clone(&st.cancel);
        block_on(forestock_api::sync::sync_and_plan(
            &mut db,
            &planner::stamp(),
            cancel,
            send,
        ))
    })
    .await;
    state.running.store(false, Ordering::SeqCst);
    result
}

/// Ask the running job to stop at the next stage boundary.
#[tauri::command]
pub fn cancel_run(state: State<'_, Arc<AppState>>) {
    state.cancel.store(true, Ordering::SeqCst);
}
