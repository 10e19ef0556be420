//! The KPIs screen: the dashboard's figures and the lines behind one. Adapters over
//! `forestock_api::kpis`.

use crate::error::ApiResult;
use crate::state::{blocking, AppState};
use forestock_api::kpis::{self, Kpi, KpiDetail, KpiReport};
use std::sync::Arc;
use tauri::State;

#[tauri::command]
pub async fn kpi_report(state: State<'_, Arc<AppState>>) -> ApiResult<KpiReport> {
    let state = Arc::clone(&state);
    blocking(move || Ok(kpis::report(&state.open()?)?)).await
}

#[tauri::command]
pub async fn kpi_lines(state: State<'_, Arc<AppState>>, kpi: Kpi) -> ApiResult<KpiDetail> {
    let state = Arc::clone(&state);
    blocking(move || Ok(kpis::lines(&state.open()?, kpi)?)).await
}
