use crate::dto::StoreSyncView;
use crate::dto::{RunEvent, RunStage};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::{block_on, blocking, planner, AppState};
use forestock_connect::{sync_all, Progress, SyncEvent, SyncOptions};
use forestock_core::Platform;
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
    sync_stage(state, ch, &send)?;
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
    let summary = forestock_api::plan::plan(&mut store, &planner::stamp(), None, &|_| {})?;
    send(RunEvent::Finished {
        stage: RunStage::Plan,
        elapsed_ms: t.elapsed().as_millis() as u64,
    })?;
    send(RunEvent::Done {
        plan: Some(summary.into()),
    })
}

/// Sync every Shopify/BigCommerce/Adobe store, forwarding the connector's progress. No store,
/// or no network: say so and plan on the last synced data; a cancel stops between pages.
fn sync_stage(
    state: &AppState,
    ch: &Channel<RunEvent>,
    send: &dyn Fn(RunEvent) -> ApiResult<()>,
) -> ApiResult<()> {
    let mut db = state.open()?;
    let syncable = db.read().stores()?.iter().any(|s| {
        matches!(
            s.platform,
            Platform::Shopify | Platform::BigCommerce | Platform::Adobe
        )
    });
    if !syncable {
        return send(RunEvent::Skipped {
            stage: RunStage::Sync,
            reason: "no store connected: planning on the data already in the database".into(),
        });
    }
    send(RunEvent::Started {
        stage: RunStage::Sync,
    })?;
    let t = Instant::now();
    let progress = sync_progress(ch.clone());
    let opts = SyncOptions {
        cancel: Some(Arc::clone(&state.cancel)),
        ..SyncOptions::new(planner::now())
    };
    let keychain = state.keychain()?;
    let results = match block_on(sync_all(&mut db, &keychain, &opts, &progress)) {
        Ok(r) => r,
        Err(e) => {
            return send(RunEvent::Skipped {
                stage: RunStage::Sync,
                reason: format!("{e}; planning on the last synced data"),
            })
        }
    };
    let stores: Vec<_> = results
        .into_iter()
        .map(|(s, r)| StoreSyncView::new(s, r))
        .collect();
    send(RunEvent::Synced { stores })?;
    send(RunEvent::Finished {
        stage: RunStage::Sync,
        elapsed_ms: t.elapsed().as_millis() as u64,
    })
}

/// The connector's per-resource events as `Progress` events of the sync stage. The channel
/// is cloned into the callback because the connector may call it from its own threads.
fn sync_progress(ch: Channel<RunEvent>) -> Progress {
    Progress::new(move |e: &SyncEvent| {
        let (label, done, total) = match e {
            SyncEvent::Started {
                store,
                resource,
                total,
            } => (format!("{store}: {resource}"), 0, *total),
            SyncEvent::Progress {
                store,
                resource,
                done,
                total,
                ..
            } => (format!("{store}: {resource}"), *done, *total),
            SyncEvent::Finished {
                store,
                resource,
                done,
            } => (format!("{store}: {resource} done"), *done, Some(*done)),
            SyncEvent::Retrying { store, reason, .. } => {
                (format!("{store}: retrying ({reason})"), 0, None)
            }
            SyncEvent::Note { store, message } => (format!("{store}: {message}"), 0, None),
        };
        let event = RunEvent::Progress {
            stage: RunStage::Sync,
            label,
            done,
            total,
        };
        if let Err(e) = ch.send(event) {
            eprintln!("forestock-app: sync progress not delivered: {e}");
        }
    })
}

/// Ask the running job to stop at the next stage boundary.
#[tauri::command]
pub fn cancel_run(state: State<'_, Arc<AppState>>) {
    state.cancel.store(true, Ordering::SeqCst);
}
