use crate::dto::{LineDecision, LineEdit, SavedFile};
use crate::error::{ApiError, ApiResult};
use crate::state::{blocking, planner, AppState};
use forestock_api::chart::{ChartFormat, ChartModel, Granularity};
use forestock_api::grid::{PlannerPage, PlannerQuery};
use forestock_api::review::{self, LineKey};
use forestock_api::views::{PlannerData, PlannerRow, SkuDetail};
use std::sync::Arc;
use tauri::State;

/// Every SKU×location for the planner grid.
#[tauri::command]
pub async fn planner_rows(state: State<'_, Arc<AppState>>) -> ApiResult<PlannerData> {
    state.read(forestock_api::views::planner).await
}

/// One window of the planner grid: search, filters, sort and grouping applied in the library.
#[tauri::command]
pub async fn planner_page(
    state: State<'_, Arc<AppState>>,
    query: PlannerQuery,
) -> ApiResult<PlannerPage> {
    let st = Arc::clone(&state);
    state
        .read(move |db| forestock_api::grid::planner_page(db, &st.grid, &query))
        .await
}

/// The chart of a [`ChartModel`] at a size, in a format (drawn with plotters).
fn draw(data: &ChartModel, format: ChartFormat, size: (u32, u32)) -> ApiResult<Vec<u8>> {
    match format {
        ChartFormat::Png => forestock_chart::render_png(data, size.0, size.1),
        ChartFormat::Svg => forestock_chart::render(data, size.0, size.1).map(String::into_bytes),
    }
    .map_err(|e| ApiError::internal(format!("the chart could not be drawn: {e}")))
}

/// The chart's granularity from the UI (`daily` when not given).
fn granularity(g: Option<String>) -> ApiResult<Granularity> {
    Ok(g.as_deref()
        .map(Granularity::parse)
        .transpose()?
        .unwrap_or_default())
}

/// One SKU×location: facts, history statistics, the chart (daily or weekly) and its audit trail.
#[tauri::command]
pub async fn sku_detail(
    state: State<'_, Arc<AppState>>,
    variant_id: i64,
    location_id: i64,
    granularity: Option<String>,
) -> ApiResult<SkuDetail> {
    let g = self::granularity(granularity)?;
    state
        .read(move |db| {
            forestock_api::views::sku_detail(db, variant_id, location_id, g, |c| {
                let svg = draw(c, ChartFormat::Svg, (900, 520))?;
                String::from_utf8(svg).map_err(ApiError::internal)
            })
        })
        .await
}

/// Export one SKU×location's chart (a year of history and the forecast horizon, daily or
/// weekly) as PNG or SVG; the export is audited.
#[tauri::command]
pub async fn export_chart(
    app: tauri::AppHandle,
    state: State<'_, Arc<AppState>>,
    variant_id: i64,
    location_id: i64,
    format: String,
    granularity: Option<String>,
) -> ApiResult<SavedFile> {
    let format = ChartFormat::parse(&format)?;
    let g = self::granularity(granularity)?;
    let kind = match format {
        ChartFormat::Png => crate::export::PNG,
        ChartFormat::Svg => crate::export::SVG,
    };
    let state = Arc::clone(&state);
    blocking(move || {
        let saved = forestock_api::chart::export(
            &mut state.open()?,
            &planner::stamp(),
            variant_id,
            location_id,
            g,
            format,
            |c, f| draw(c, f, (1200, 680)),
            |name| crate::export::target(&app, &state, name, kind),
        )?;
        Ok(saved.map_or_else(SavedFile::cancelled, |(path, bytes)| {
            SavedFile::written(&path, bytes)
        }))
    })
    .await
}

/// Change a line's quantity; the reason is required and goes to the audit log (in the library).
#[tauri::command]
pub async fn override_line(
    state: State<'_, Arc<AppState>>,
    edit: LineEdit,
) -> ApiResult<PlannerRow> {
    let key = LineKey {
        variant_id: edit.variant_id,
        location_id: edit.location_id,
    };
    state
        .write(move |db, stamp| {
            review::override_line(db, stamp, key, edit.qty, &edit.reason).map(PlannerRow::from)
        })
        .await
}

/// Approve or reject lines (a reason is required to reject).
#[tauri::command]
pub async fn decide_lines(
    state: State<'_, Arc<AppState>>,
    decision: LineDecision,
) -> ApiResult<usize> {
    state
        .write(move |db, stamp| {
            let d = decision;
            review::decide(db, stamp, &d.lines, d.approve, &d.reason)
        })
        .await
}
