use crate::dto::{ChangeInput, EvaluationView, ScenarioView};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;
use forestock_plan::scenario;
use std::sync::Arc;
use tauri::State;

#[tauri::command]
pub async fn list_scenarios(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<ScenarioView>> {
    state
        .read(|db| {
            Ok::<_, forestock_plan::Error>(
                scenario::list(db)?
                    .into_iter()
                    .map(ScenarioView::from)
                    .collect(),
            )
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
    state
        .write(move |db, stamp| {
            let sc = forestock_api::scenario::create(db, stamp, &name, changes)?;
            let ev = scenario::evaluate(db, sc.id)?;
            Ok::<_, forestock_api::Error>((sc.into(), ev.into()))
        })
        .await
}

#[tauri::command]
pub async fn evaluate_scenario(
    state: State<'_, Arc<AppState>>,
    id: i64,
) -> ApiResult<EvaluationView> {
    state
        .read(move |db| scenario::evaluate(db, id).map(EvaluationView::from))
        .await
}

/// Apply (write its lines into the plan) or discard a draft scenario.
#[tauri::command]
pub async fn finish_scenario(
    state: State<'_, Arc<AppState>>,
    id: i64,
    apply: bool,
) -> ApiResult<()> {
    state
        .write(move |db, stamp| {
            if apply {
                forestock_api::scenario::apply(db, stamp, id).map(drop)
            } else {
                forestock_api::scenario::discard(db, stamp, id)
            }
        })
        .await
}

/// The baseline and two or more scenarios side by side (per currency and per supplier).
#[tauri::command]
pub async fn compare_scenarios(
    state: State<'_, Arc<AppState>>,
    ids: Vec<i64>,
) -> ApiResult<forestock_api::scenario::Comparison> {
    state
        .read(move |db| forestock_api::scenario::compare(db, &ids))
        .await
}
