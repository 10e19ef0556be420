use crate::dto::{ChangeInput, EvaluationView, ScenarioView};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::{blocking, planner, AppState};
use forestock_plan::scenario;
use std::sync::Arc;
use tauri::State;

#[tauri::command]
pub async fn list_scenarios(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<ScenarioView>> {
    let state = Arc::clone(&state);
    blocking(move || {
        Ok(scenario::list(&state.open()?)?
            .into_iter()
            .map(ScenarioView::from)
            .collect())
    })
    .await
}

/// Create a draft scenario with its changes and evaluate it against the baseline.
#[tauri::command]
pub async fn create_scenario(
    state: State<'_, Arc<AppState>>,
    name: String,
    changes: Vec<ChangeInput>,
) -> ApiResult<(ScenarioView, EvaluationView)> {
    let changes = changes
        .into_iter()
        .map(ChangeInput::into_change)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::new(ErrorCode::BadInput, e))?;
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let sc = forestock_api::scenario::create(&mut store, &planner::stamp(), &name, changes)?;
        let ev = scenario::evaluate(&store, sc.id)?;
        Ok((sc.into(), ev.into()))
    })
    .await
}

#[tauri::command]
pub async fn evaluate_scenario(
    state: State<'_, Arc<AppState>>,
    id: i64,
) -> ApiResult<EvaluationView> {
    let state = Arc::clone(&state);
    blocking(move || Ok(scenario::evaluate(&state.open()?, id)?.into())).await
}

/// Apply (write its lines into the plan) or discard a draft scenario.
#[tauri::command]
pub async fn finish_scenario(
    state: State<'_, Arc<AppState>>,
    id: i64,
    apply: bool,
) -> ApiResult<()> {
    let state = Arc::clone(&state);
    blocking(move || {
        let (mut store, stamp) = (state.open()?, planner::stamp());
        if apply {
            forestock_api::scenario::apply(&mut store, &stamp, id)?;
        } else {
            forestock_api::scenario::discard(&mut store, &stamp, id)?;
        }
        Ok(())
    })
    .await
}

/// The baseline and two or more scenarios side by side (per currency and per supplier).
#[tauri::command]
pub async fn compare_scenarios(
    state: State<'_, Arc<AppState>>,
    ids: Vec<i64>,
) -> ApiResult<forestock_api::scenario::Comparison> {
    let state = Arc::clone(&state);
    blocking(move || Ok(forestock_api::scenario::compare(&state.open()?, &ids)?)).await
}
