//! The Settings screen's "Nightly run" switch: install or remove the user timer that runs
//! `forestock nightly` for the open merchant (the same functions as `forestock nightly
//! install|uninstall`), and show the files it wrote.

use crate::error::{ApiError, ApiResult};
use crate::state::{blocking, AppState};
use forestock_api::nightly::schedule::{self, Dirs, ScheduleOutcome, ScheduleStatus, Scheduler};
use std::sync::Arc;
use tauri::State;

/// Whether the nightly job is installed, with its files.
#[tauri::command]
pub async fn nightly_status() -> ApiResult<ScheduleStatus> {
    blocking(|| Ok(schedule::status(Scheduler::current(), &Dirs::from_env())?)).await
}

/// Install the nightly job for the open merchant at `at` (HH:MM), running the `forestock`
/// program beside the app.
#[tauri::command]
pub async fn install_nightly(
    state: State<'_, Arc<AppState>>,
    at: String,
) -> ApiResult<ScheduleOutcome> {
    let at = schedule::parse_at(&at)?;
    let app = std::env::current_exe()
        .map_err(|e| ApiError::internal(format!("cannot tell where the app is: {e}")))?;
    let cli = schedule::cli_beside(&app)?;
    state
        .write(move |db, stamp| schedule::install(db, stamp, &cli, at, false))
        .await
}

/// Remove the nightly job.
#[tauri::command]
pub async fn uninstall_nightly(state: State<'_, Arc<AppState>>) -> ApiResult<ScheduleOutcome> {
    state
        .write(|db, stamp| schedule::uninstall(db, stamp, false))
        .await
}
