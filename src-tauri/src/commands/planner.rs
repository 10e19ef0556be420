use crate::dto::{AuditView, LineDecision, LineEdit, PlannerData, PlannerRow, SkuDetail};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::planner;
use crate::state::{blocking, AppState};
use forestock_plan::review::{self, LineKey};
use std::sync::Arc;
use tauri::State;

/// Every SKU×location for the planner grid.
#[tauri::command]
pub async fn planner_rows(state: State<'_, Arc<AppState>>) -> ApiResult<PlannerData> {
    let state = Arc::clone(&state);
    blocking(move || {
        let store = state.open()?;
        Ok(crate::views::planner(&store)?)
    })
    .await
}

/// One SKU×location: facts, history statistics, the chart and its audit trail.
#[tauri::command]
pub async fn sku_detail(
    state: State<'_, Arc<AppState>>,
    variant_id: i64,
    location_id: i64,
) -> ApiResult<SkuDetail> {
    let state = Arc::clone(&state);
    blocking(move || {
        let store = state.open()?;
        let r = store.read();
        let row = crate::views::planner(&store)?
            .rows
            .into_iter()
            .find(|p| p.variant_id == variant_id && p.location_id == location_id)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("SKU {variant_id} at location {location_id} not found"),
                )
            })?;
        let sku = r.sku_by_code(&row.sku)?;
        let audit = crate::views::sku_audit(&r, variant_id, location_id)?;
        let history = crate::views::history(&r, variant_id, location_id)?;
        let detail = crate::views::sku_detail(
            row,
            &sku,
            history.as_ref(),
            audit.into_iter().map(AuditView::from).collect(),
        )
        .map_err(|e| ApiError::internal(format!("chart: {e}")))?;
        Ok(detail)
    })
    .await
}

/// Change a line's quantity; the reason is required and goes to the audit log (in the library).
#[tauri::command]
pub async fn override_line(
    state: State<'_, Arc<AppState>>,
    edit: LineEdit,
) -> ApiResult<PlannerRow> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let key = LineKey {
            variant_id: edit.variant_id,
            location_id: edit.location_id,
        };
        let row = review::override_qty(
            &mut store,
            key,
            edit.qty,
            &edit.reason,
            &planner::actor(),
            planner::now(),
        )?;
        Ok(PlannerRow::from(row))
    })
    .await
}

/// Approve or reject lines (a reason is required to reject).
#[tauri::command]
pub async fn decide_lines(
    state: State<'_, Arc<AppState>>,
    decision: LineDecision,
) -> ApiResult<usize> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let keys: Vec<LineKey> = decision
            .lines
            .iter()
            .map(|l| LineKey {
                variant_id: l.variant_id,
                location_id: l.location_id,
            })
            .collect();
        Ok(review::decide(
            &mut store,
            &keys,
            decision.approve,
            &decision.reason,
            &planner::actor(),
            planner::now(),
        )?)
    })
    .await
}
