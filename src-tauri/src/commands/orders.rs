use crate::dto::{Exported, PoView};
use crate::error::ApiResult;
use crate::state::{blocking, planner, AppState};
use forestock_plan::po;
use std::sync::Arc;
use tauri::State;

#[tauri::command]
pub async fn list_pos(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<PoView>> {
    let state = Arc::clone(&state);
    blocking(move || {
        Ok(po::list(&state.open()?)?
            .into_iter()
            .map(PoView::from)
            .collect())
    })
    .await
}

/// Draft POs per supplier × location from the approved plan lines.
#[tauri::command]
pub async fn draft_pos(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<PoView>> {
    let state = Arc::clone(&state);
    blocking(move || {
        let pos = po::draft_from_plan(&mut state.open()?, &planner::actor(), planner::now())?;
        Ok(pos.into_iter().map(PoView::from).collect())
    })
    .await
}

/// Move a PO to another state (approve, cancel, mark received); the library enforces the rules.
#[tauri::command]
pub async fn set_po_status(
    state: State<'_, Arc<AppState>>,
    id: i64,
    to: String,
    reason: String,
) -> ApiResult<PoView> {
    let state = Arc::clone(&state);
    blocking(move || {
        Ok(po::set_status(
            &mut state.open()?,
            id,
            &to,
            &reason,
            &planner::actor(),
            planner::now(),
        )?
        .into())
    })
    .await
}

/// Export a PO as CSV into the export folder (one click; the path is shown to the planner).
#[tauri::command]
pub async fn export_po(state: State<'_, Arc<AppState>>, id: i64) -> ApiResult<Exported> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let number = po::get(&store, id)?.number;
        let path = state.export_dir().join(format!("{number}.csv"));
        std::fs::create_dir_all(state.export_dir()).map_err(crate::error::ApiError::internal)?;
        let po = po::export_csv(&mut store, id, &path, &planner::actor(), planner::now())?;
        Ok(Exported {
            po: po.into(),
            path: path.display().to_string(),
        })
    })
    .await
}
