use crate::dto::{RunEvent, RunStage};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::{blocking, planner, AppState};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;
use tauri::{ipc::Channel, State};

/// Sync & run: sync the connected stores, then forecast and plan, streaming progress. Cancelling
/// takes effect between stages; a finished stage is kept.
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
    let result = blocking(move || run_stages(&st, &on_event)).await;
    state.running.store(false, Ordering::SeqCst);
    result
}

fn run_stages(state: &AppState, ch: &Channel<RunEvent>) -> ApiResult<()> {
    let send = |e: RunEvent| {
        ch.send(e)
            .map_err(|e| ApiError::internal(format!("progress channel closed: {e}")))
    };
    let cancelled = || state.cancel.load(Ordering::SeqCst);
    let stores = state.open()?.read().stores()?;
    if stores.is_empty() {
        send(RunEvent::Skipped {
            stage: RunStage::Sync,
            reason: "no store connected: planning on the data already in the database".into(),
        })?;
    } else {
        send(RunEvent::Skipped {
            stage: RunStage::Sync,
            reason:
                "store sync is not available in this build yet; planning on the last synced data"
                    .into(),
        })?;
    }
    if cancelled() {
        return send(RunEvent::Cancelled {
            after: RunStage::Sync,
        });
    }
    send(RunEvent::Started {
        stage: RunStage::Plan,
    })?;
    let t = Instant::now();
    let mut store = state.open()?;
    let summary = forestock_plan::plan::run_plan(
        &mut store,
        &forestock_plan::plan::PlanRequest {
            today: None,
            now: planner::now(),
        },
    )?;
    send(RunEvent::Finished {
        stage: RunStage::Plan,
        elapsed_ms: t.elapsed().as_millis() as u64,
    })?;
    send(RunEvent::Done {
        plan: Some(summary.into()),
    })
}

/// Ask the running job to stop at the next stage boundary.
#[tauri::command]
pub fn cancel_run(state: State<'_, Arc<AppState>>) {
    state.cancel.store(true, Ordering::SeqCst);
}
