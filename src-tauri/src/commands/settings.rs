use crate::dto::SettingsView;
use crate::error::ApiResult;
use crate::state::{blocking, planner, AppState};
use forestock_api::rates::{self, RatesView};
use forestock_api::review::{self, PlanSettingsForm};
use std::sync::Arc;
use tauri::State;

fn view(state: &AppState, plan: PlanSettingsForm) -> ApiResult<SettingsView> {
    let data = state.db_path()?;
    Ok(SettingsView {
        plan,
        data_folder: data.parent().unwrap_or(&data).display().to_string(),
        export_folder: state.export_dir().display().to_string(),
        export_without_dialog: state.export_without_dialog(),
    })
}

/// The planner settings stored in the merchant database (defaults until first saved).
#[tauri::command]
pub async fn get_settings(state: State<'_, Arc<AppState>>) -> ApiResult<SettingsView> {
    let state = Arc::clone(&state);
    blocking(move || {
        let store = state.open()?;
        view(&state, review::settings_form(&store)?)
    })
    .await
}

/// Save the planner settings: validated and audited (before/after) by forestock-plan; the next
/// plan reads them. Bad values save nothing.
#[tauri::command]
pub async fn save_settings(
    state: State<'_, Arc<AppState>>,
    form: PlanSettingsForm,
) -> ApiResult<SettingsView> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let saved = review::save_settings_form(&mut store, &planner::stamp(), &form)?;
        view(&state, saved)
    })
    .await
}

/// The exchange rates entered for suppliers' currencies, and those still without one.
#[tauri::command]
pub async fn list_rates(state: State<'_, Arc<AppState>>) -> ApiResult<RatesView> {
    state.read(rates::list).await
}

/// Enter or change a rate (merchant-currency units per 1 unit of `currency`): validated and
/// audited by forestock-api; a bad value saves nothing.
#[tauri::command]
pub async fn set_rate(
    state: State<'_, Arc<AppState>>,
    currency: String,
    rate: f64,
) -> ApiResult<RatesView> {
    state
        .write(move |db, stamp| {
            rates::set(db, stamp, &currency, rate)?;
            rates::list(db)
        })
        .await
}

/// Delete a rate (audited).
#[tauri::command]
pub async fn delete_rate(
    state: State<'_, Arc<AppState>>,
    currency: String,
) -> ApiResult<RatesView> {
    state
        .write(move |db, stamp| {
            rates::delete(db, stamp, &currency)?;
            rates::list(db)
        })
        .await
}
