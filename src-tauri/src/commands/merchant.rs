use crate::dto::MerchantFiles;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::{blocking, planner, AppState};
use forestock_api::merchants::{self, NewMerchant};
use forestock_api::opening::{self, MerchantSummary, OpenProgress};
use forestock_api::setup::Checklist;
use forestock_core::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tauri::{ipc::Channel, State};
use tauri_plugin_dialog::DialogExt;

fn summary(store: &Store, path: &Path, created: bool) -> ApiResult<MerchantSummary> {
    Ok(opening::summary(store, path, created)?)
}

/// Put the now-open merchant at the top of the recent list. A list that cannot be saved does
/// not stop the merchant from opening; the next look at the list says why.
fn remember(state: &AppState, store: &Store, path: &Path) -> ApiResult<()> {
    if let Some(dir) = &state.folders().config {
        if let Err(e) = merchants::remember(dir, path, &merchants::display_name(store)?) {
            eprintln!("forestock-app: {e}");
        }
    }
    Ok(())
}

fn progress(ch: Channel<OpenProgress>) -> impl FnMut(OpenProgress) {
    move |p: OpenProgress| {
        if let Err(e) = ch.send(p) {
            eprintln!("forestock-app: progress not delivered: {e}");
        }
    }
}

/// Open the merchant database chosen at start (`--db`, else the last one opened), creating
/// the demo merchant when a named file does not exist yet. `None` on first run: the window
/// offers the demo or setting up a shop.
#[tauri::command]
pub async fn open_merchant(
    state: State<'_, Arc<AppState>>,
    on_progress: Channel<OpenProgress>,
) -> ApiResult<Option<MerchantSummary>> {
    let state = Arc::clone(&state);
    blocking(move || {
        let Some(path) = state.current() else {
            return Ok(None);
        };
        let created = !path.exists();
        let store = if created {
            opening::create_demo(&path, &mut progress(on_progress))?
        } else {
            merchants::open(&std::path::absolute(&path).unwrap_or(path.clone()))?
        };
        remember(&state, &store, &path)?;
        Ok(Some(summary(&store, &path, created)?))
    })
    .await
}

/// The open merchant's file, the recent ones (with what was wrong with the list, once), and
/// where the demo and a new shop would go.
#[tauri::command]
pub async fn merchant_files(state: State<'_, Arc<AppState>>) -> ApiResult<MerchantFiles> {
    let state = Arc::clone(&state);
    blocking(move || {
        let folders = state.folders();
        let mut recent = folders
            .config
            .as_deref()
            .map(merchants::recent)
            .unwrap_or_default();
        let mut notes = state.take_notes();
        notes.append(&mut recent.notes);
        recent.notes = notes;
        let data = folders.data.as_deref();
        Ok(MerchantFiles {
            open: state.current().map(|p| p.display().to_string()),
            recent,
            demo_path: folders.demo_path().map(|p| p.display().to_string()),
            suggested_path: data
                .map(merchants::unused_path)
                .map(|p| p.display().to_string()),
        })
    })
    .await
}

/// Switch to another merchant database. The file is opened and checked first; only then does
/// the app let go of the open one, so a bad file leaves everything as it was.
#[tauri::command]
pub async fn switch_merchant(
    state: State<'_, Arc<AppState>>,
    path: String,
) -> ApiResult<MerchantSummary> {
    let state = Arc::clone(&state);
    blocking(move || {
        let path = PathBuf::from(path.trim());
        let store = merchants::open(&path)?;
        let view = summary(&store, &path, false)?;
        state.switch_to(path.clone())?;
        remember(&state, &store, &path)?;
        Ok(view)
    })
    .await
}

/// "Set up my shop": a new merchant database with its name and currency, then open it.
#[tauri::command]
pub async fn create_merchant(
    state: State<'_, Arc<AppState>>,
    form: NewMerchant,
) -> ApiResult<MerchantSummary> {
    let state = Arc::clone(&state);
    blocking(move || {
        if state.running.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(ApiError::new(
                ErrorCode::Busy,
                "a Sync & run is in progress",
            ));
        }
        let store = merchants::create(&form, &planner::stamp())?;
        let path = PathBuf::from(form.path.trim());
        let view = summary(&store, &path, false)?;
        state.switch_to(path.clone())?;
        remember(&state, &store, &path)?;
        Ok(view)
    })
    .await
}

/// "Explore the demo shop": open the demo merchant, creating it first if it does not exist.
#[tauri::command]
pub async fn open_demo(
    state: State<'_, Arc<AppState>>,
    on_progress: Channel<OpenProgress>,
) -> ApiResult<MerchantSummary> {
    let state = Arc::clone(&state);
    blocking(move || {
        let path = state.folders().demo_path().ok_or_else(|| {
            ApiError::internal("no app-data folder on this system; start with --db PATH")
        })?;
        let created = !path.exists();
        let store = if created {
            opening::create_demo(&path, &mut progress(on_progress))?
        } else {
            merchants::open(&path)?
        };
        let view = summary(&store, &path, created)?;
        state.switch_to(path.clone())?;
        remember(&state, &store, &path)?;
        Ok(view)
    })
    .await
}

/// "Open file…": the native open dialog; `None` when the planner cancelled it. The path then
/// goes through [`switch_merchant`] like a typed one.
#[tauri::command]
pub async fn pick_merchant_file(app: tauri::AppHandle) -> ApiResult<Option<String>> {
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title("Open a merchant database")
            .add_filter("Forestock database", &["db", "sqlite", "sqlite3"])
            .blocking_pick_file();
        Ok(picked
            .and_then(|p| p.into_path().ok())
            .map(|p| p.display().to_string()))
    })
    .await
}

/// The open merchant's set-up checklist ([`forestock_api::setup::checklist`]).
#[tauri::command]
pub async fn setup_checklist(state: State<'_, Arc<AppState>>) -> ApiResult<Checklist> {
    state.read(forestock_api::setup::checklist).await
}
