//! The planner's week: the Exceptions screen, the review bar (approve all within thresholds,
//! a selection, lock, undo), the Transfers screen and receiving on the Orders screen. Adapters
//! over `forestock_api`, one function each.

use crate::dto::{LineDecision, PoView, ReceiptForm, ReviewState, SavedFile};
use crate::error::ApiResult;
use crate::state::{blocking, planner, AppState};
use chrono::NaiveDate;
use forestock_api::po::Receipt;
use forestock_api::review::LineKey;
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
    state
        .write(move |db, stamp| exceptions::list(db, stamp, &filter))
        .await
}

#[tauri::command]
pub async fn snooze_alert(
    state: S<'_>,
    id: i64,
    until: NaiveDate,
    reason: String,
) -> ApiResult<Mute> {
    state
        .write(move |db, stamp| exceptions::snooze(db, stamp, id, until, &reason))
        .await
}

#[tauri::command]
pub async fn dismiss_alert(state: S<'_>, id: i64, reason: String) -> ApiResult<Mute> {
    state
        .write(move |db, stamp| exceptions::dismiss(db, stamp, id, &reason))
        .await
}

/// Bring back a snoozed or dismissed alert.
#[tauri::command]
pub async fn unmute_alert(state: S<'_>, id: i64) -> ApiResult<Mute> {
    state
        .write(move |db, stamp| exceptions::unmute(db, stamp, id))
        .await
}

#[tauri::command]
pub async fn approve_alert_line(state: S<'_>, id: i64) -> ApiResult<usize> {
    state
        .write(move |db, stamp| exceptions::approve_line(db, stamp, id))
        .await
}

/// What approving every line within the review thresholds would do (changes nothing).
#[tauri::command]
pub async fn preview_approve_all(state: S<'_>) -> ApiResult<ApprovalPreview> {
    state.read(review::preview_within_thresholds).await
}

#[tauri::command]
pub async fn approve_all(state: S<'_>) -> ApiResult<ApprovalPreview> {
    state.write(review::approve_within_thresholds).await
}

#[tauri::command]
pub async fn review_state(state: S<'_>) -> ApiResult<ReviewState> {
    state
        .read(|db| {
            Ok::<_, forestock_api::Error>(ReviewState {
                last_action: review::last_action(db)?,
                material_rule: review::material_rule(),
            })
        })
        .await
}

/// Undo the last action (an approve-all is one); returns the lines restored.
#[tauri::command]
pub async fn undo_last(state: S<'_>) -> ApiResult<usize> {
    state
        .write(move |db, stamp| review::undo(db, stamp, 1))
        .await
}

/// Lock the lines (SKU at its location) so re-plans keep their quantity; a reason is required.
#[tauri::command]
pub async fn lock_lines(state: S<'_>, decision: LineDecision) -> ApiResult<usize> {
    state
        .write(move |db, stamp| {
            for l in &decision.lines {
                review::lock(
                    db,
                    stamp,
                    l.variant_id,
                    Some(l.location_id),
                    &decision.reason,
                )?;
            }
            Ok::<_, forestock_api::Error>(decision.lines.len())
        })
        .await
}

/// Unlock the lines (SKU at its location): the next plan recommends their quantity again.
#[tauri::command]
pub async fn unlock_lines(state: S<'_>, lines: Vec<LineKey>) -> ApiResult<usize> {
    let keys: Vec<(i64, i64)> = lines
        .iter()
        .map(|l| (l.variant_id, l.location_id))
        .collect();
    state
        .write(move |db, stamp| review::unlock_lines(db, stamp, &keys))
        .await
}

#[tauri::command]
pub async fn list_transfers(state: S<'_>) -> ApiResult<Vec<TransferLine>> {
    state.read(transfers::list).await
}

#[tauri::command]
pub async fn decide_transfers(
    state: S<'_>,
    ids: Vec<i64>,
    approve: bool,
    reason: String,
) -> ApiResult<usize> {
    state
        .write(move |db, stamp| transfers::decide(db, stamp, &ids, approve, &reason))
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
        let out = OutputFile::replacing(&path);
        let done = transfers::export(&mut state.open()?, &planner::stamp(), &from, &to, &out)?;
        Ok(SavedFile::written(&path, done.len()))
    })
    .await
}

/// Record per-line received quantities on a day (partial receipts allowed).
#[tauri::command]
pub async fn receive_po(state: S<'_>, receipt: ReceiptForm) -> ApiResult<PoView> {
    let lines = receipt
        .lines
        .iter()
        .filter(|l| l.quantity != 0)
        .map(|l| (l.variant_id, l.quantity))
        .collect();
    state
        .write(move |db, stamp| {
            let (id, on) = (receipt.po_id, receipt.received_on);
            let p = po::receive(db, stamp, id, &Receipt::Lines(lines), on)?;
            po::checked_one(db, p).map(PoView::from)
        })
        .await
}

#[tauri::command]
pub async fn po_receipts(state: S<'_>, id: i64) -> ApiResult<Vec<PoReceipt>> {
    state.read(move |db| po::receipts(db, id)).await
}

#[tauri::command]
pub async fn supplier_report(state: S<'_>) -> ApiResult<SupplierReport> {
    state
        .write(|db, stamp| po::supplier_report(db, stamp))
        .await
}
