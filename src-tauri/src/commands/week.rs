//! The planner's week: the Exceptions screen, the review bar (approve all within thresholds,
//! a selection, lock, undo), the Transfers screen and receiving on the Orders screen. Adapters
//! over `forestock_api`, one function each.

use crate::dto::{LineDecision, LineRef, PoView, ReceiptForm, ReviewState, SavedFile};
use crate::error::ApiResult;
use crate::state::{blocking, planner, AppState};
use chrono::NaiveDate;
use forestock_api::po::Receipt;
use forestock_api::{exceptions, po, review, transfers};
use forestock_core::OutputFile;
use forestock_plan::bulk::ApprovalPreview;
use forestock_plan::exceptions::{ExceptionFilter, ExceptionList, Mute};
use forestock_plan::lead_times::{PoReceipt, SupplierReport};
use forestock_plan::transfers::TransferLine;
use std::sync::Arc;
use tauri::State;

type S<'a> = State<'a, Arc<AppState>>;

#[tauri::command]
pub async fn list_exceptions(state: S<'_>, filter: ExceptionFilter) -> ApiResult<ExceptionList> {
    let state = Arc::clone(&state);
    blocking(move || {
        Ok(exceptions::list(
            &state.open()?,
            &planner::stamp(),
            &filter,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn snooze_alert(
    state: S<'_>,
    id: i64,
    until: NaiveDate,
    reason: String,
) -> ApiResult<Mute> {
    let state = Arc::clone(&state);
    blocking(move || {
        Ok(exceptions::snooze(
            &mut state.open()?,
            &planner::stamp(),
            id,
            until,
            &reason,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn dismiss_alert(state: S<'_>, id: i64, reason: String) -> ApiResult<Mute> {
    let state = Arc::clone(&state);
    blocking(move || {
        Ok(exceptions::dismiss(
            &mut state.open()?,
            &planner::stamp(),
            id,
            &reason,
        )?)
    })
    .await
}

/// Bring back a snoozed or dismissed alert.
#[tauri::command]
pub async fn unmute_alert(state: S<'_>, id: i64) -> ApiResult<Mute> {
    let state = Arc::clone(&state);
    blocking(move || {
        Ok(exceptions::unmute(
            &mut state.open()?,
            &planner::stamp(),
            id,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn approve_alert_line(state: S<'_>, id: i64) -> ApiResult<usize> {
    let state = Arc::clone(&state);
    blocking(move || {
        Ok(exceptions::approve_line(
            &mut state.open()?,
            &planner::stamp(),
            id,
        )?)
    })
    .await
}

/// What approving every line within the review thresholds would do (changes nothing).
#[tauri::command]
pub async fn preview_approve_all(state: S<'_>) -> ApiResult<ApprovalPreview> {
    let state = Arc::clone(&state);
    blocking(move || Ok(review::preview_within_thresholds(&state.open()?)?)).await
}

#[tauri::command]
pub async fn approve_all(state: S<'_>) -> ApiResult<ApprovalPreview> {
    let state = Arc::clone(&state);
    blocking(move || {
        Ok(review::approve_within_thresholds(
            &mut state.open()?,
            &planner::stamp(),
        )?)
    })
    .await
}

#[tauri::command]
pub async fn review_state(state: S<'_>) -> ApiResult<ReviewState> {
    let state = Arc::clone(&state);
    blocking(move || {
        Ok(ReviewState {
            last_action: review::last_action(&state.open()?)?,
            material_rule: review::material_rule(),
        })
    })
    .await
}

/// Undo the last action (an approve-all is one); returns the lines restored.
#[tauri::command]
pub async fn undo_last(state: S<'_>) -> ApiResult<usize> {
    let state = Arc::clone(&state);
    blocking(move || Ok(review::undo(&mut state.open()?, &planner::stamp(), 1)?)).await
}

/// Lock the lines (SKU at its location) so re-plans keep their quantity; a reason is required.
#[tauri::command]
pub async fn lock_lines(state: S<'_>, decision: LineDecision) -> ApiResult<usize> {
    let state = Arc::clone(&state);
    blocking(move || {
        let (mut store, stamp) = (state.open()?, planner::stamp());
        for l in &decision.lines {
            review::lock(
                &mut store,
                &stamp,
                l.variant_id,
                Some(l.location_id),
                &decision.reason,
            )?;
        }
        Ok(decision.lines.len())
    })
    .await
}

/// Unlock the lines (SKU at its location): the next plan recommends their quantity again.
#[tauri::command]
pub async fn unlock_lines(state: S<'_>, lines: Vec<LineRef>) -> ApiResult<usize> {
    let state = Arc::clone(&state);
    blocking(move || {
        let keys: Vec<(i64, i64)> = lines
            .iter()
            .map(|l| (l.variant_id, l.location_id))
            .collect();
        Ok(review::unlock_lines(
            &mut state.open()?,
            &planner::stamp(),
            &keys,
        )?)
    })
    .await
}

#[tauri::command]
pub async fn list_transfers(state: S<'_>) -> ApiResult<Vec<TransferLine>> {
    let state = Arc::clone(&state);
    blocking(move || Ok(transfers::list(&state.open()?)?)).await
}

#[tauri::command]
pub async fn decide_transfers(
    state: S<'_>,
    ids: Vec<i64>,
    approve: bool,
    reason: String,
) -> ApiResult<usize> {
    let state = Arc::clone(&state);
    blocking(move || {
        Ok(transfers::decide(
            &mut state.open()?,
            &planner::stamp(),
            &ids,
            approve,
            &reason,
        )?)
    })
    .await
}

/// Export the approved transfers from `from` to `to` as CSV (save dialog, or the fixed export
/// folder); cancelling changes nothing.
#[tauri::command]
pub async fn export_transfers(
    app: tauri::AppHandle,
    state: S<'_>,
    from: String,
    to: String,
) -> ApiResult<SavedFile> {
    let state = Arc::clone(&state);
    blocking(move || {
        let name = transfers::export_file_name(&from, &to);
        let Some(path) = crate::export::target(&app, &state, &name, crate::export::CSV)? else {
            return Ok(SavedFile::cancelled());
        };
        let done = transfers::export(
            &mut state.open()?,
            &planner::stamp(),
            &from,
            &to,
            &OutputFile::replacing(&path),
        )?;
        Ok(SavedFile {
            path: Some(path.display().to_string()),
            count: i64::try_from(done.len()).unwrap_or(i64::MAX),
        })
    })
    .await
}

/// Record per-line received quantities on a day (partial receipts allowed).
#[tauri::command]
pub async fn receive_po(state: S<'_>, receipt: ReceiptForm) -> ApiResult<PoView> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let lines = receipt
            .lines
            .iter()
            .filter(|l| l.quantity != 0)
            .map(|l| (l.variant_id, l.quantity))
            .collect();
        let p = po::receive(
            &mut store,
            &planner::stamp(),
            receipt.po_id,
            &Receipt::Lines(lines),
            receipt.received_on,
        )?;
        Ok(po::checked_one(&store, p)?.into())
    })
    .await
}

#[tauri::command]
pub async fn po_receipts(state: S<'_>, id: i64) -> ApiResult<Vec<PoReceipt>> {
    let state = Arc::clone(&state);
    blocking(move || Ok(po::receipts(&state.open()?, id)?)).await
}

#[tauri::command]
pub async fn supplier_report(state: S<'_>) -> ApiResult<SupplierReport> {
    let state = Arc::clone(&state);
    blocking(move || Ok(po::supplier_report(&state.open()?, &planner::stamp())?)).await
}
