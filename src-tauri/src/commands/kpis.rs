//! The KPIs screen: the dashboard's figures and the lines behind one. Adapters over
//! `forestock_api::kpis`.

use crate::error::ApiResult;
use crate::state::AppState;
use forestock_api::kpis::{self, Kpi, KpiDetail, KpiReport};
use std::sync::Arc;
use tauri::State;

#[tauri::command]
pub async fn kpi_report(state: State<'_, Arc<AppState>>) -> ApiResult<KpiReport> {
    state.read(kpis::report).await
}

#[tauri::command]
pub async fn kpi_lines(state: State<'_, Arc<AppState>>, kpi: Kpi) -> ApiResult<KpiDetail> {
    state.read(move |db| kpis::lines(db, kpi)).await
}
