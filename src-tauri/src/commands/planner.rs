use crate::dto::{
    AuditView, LineDecision, LineEdit, PlannerData, PlannerRow, SavedFile, SkuDetail,
};
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

/// Export one SKU×location's chart (a year of history) as PNG or SVG; the export is audited.
#[tauri::command]
pub async fn export_chart(
    app: tauri::AppHandle,
    state: State<'_, Arc<AppState>>,
    variant_id: i64,
    location_id: i64,
    format: String,
) -> ApiResult<SavedFile> {
    let kind = match format.as_str() {
        "png" => crate::export::PNG,
        "svg" => crate::export::SVG,
        other => {
            return Err(ApiError::new(
                ErrorCode::BadInput,
                format!("chart format {other:?}: choose png or svg"),
            ))
        }
    };
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let (name, bytes) = {
            let r = store.read();
            let sku = r.skus()?.into_iter().find(|s| s.id == variant_id);
            let loc = r.locations()?.into_iter().find(|l| l.id == location_id);
            let (Some(sku), Some(loc)) = (sku, loc) else {
                return Err(ApiError::new(
                    ErrorCode::NotFound,
                    format!("SKU {variant_id} at location {location_id} not found"),
                ));
            };
            let history = crate::views::history(&r, variant_id, location_id)?.ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("{} at {} has no history to chart yet", sku.sku, loc.code),
                )
            })?;
            let title = format!("{} at {}", sku.sku, loc.code);
            let series = crate::chart::ChartSeries {
                title: &title,
                units: &history.units,
                on_hand: &history.on_hand,
                promo: &history.promo,
                days: 365,
            };
            let bytes = match format.as_str() {
                "png" => crate::chart::render_png(&series, 1200, 450),
                _ => crate::chart::render(&series, 1200, 450).map(String::into_bytes),
            }
            .map_err(|e| ApiError::internal(format!("the chart could not be drawn: {e}")))?;
            let safe = |s: &str| -> String {
                s.chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect()
            };
            (
                format!("{}-{}.{format}", safe(&sku.sku), safe(&loc.code)),
                bytes,
            )
        };
        let Some(path) = crate::export::target(&app, &state, &name, kind)? else {
            return Ok(SavedFile::cancelled());
        };
        crate::export::write_atomically(&path, state.db_path(), |f| {
            std::io::Write::write_all(f, &bytes).map_err(|e| {
                ApiError::new(
                    ErrorCode::BadInput,
                    format!("cannot write {}: {e}", path.display()),
                )
            })
        })?;
        let w = store.write()?;
        w.audit(&forestock_core::NewAuditEntry {
            at: planner::now(),
            actor: planner::actor(),
            action: "chart.export".into(),
            entity: "chart".into(),
            entity_id: format!("{variant_id}:{location_id}"),
            before: None,
            after: Some(serde_json::json!({"path": path.display().to_string(), "format": format})),
            reason: String::new(),
        })?;
        w.commit()?;
        Ok(SavedFile {
            path: Some(path.display().to_string()),
            count: bytes.len() as i64,
        })
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
