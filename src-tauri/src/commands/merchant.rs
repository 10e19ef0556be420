use crate::dto::{MerchantSummary, OpenProgress};
use crate::error::ApiResult;
use crate::state::{blocking, AppState};
use forestock_core::Store;
use std::sync::Arc;
use tauri::{ipc::Channel, State};

/// Open the merchant database, creating the demo merchant first when none exists yet.
#[tauri::command]
pub async fn open_merchant(
    state: State<'_, Arc<AppState>>,
    on_progress: Channel<OpenProgress>,
) -> ApiResult<MerchantSummary> {
    let state = Arc::clone(&state);
    blocking(move || {
        let path = state.db_path().to_path_buf();
        let created = !path.exists();
        let mut report = |p: OpenProgress| {
            if let Err(e) = on_progress.send(p) {
                eprintln!("forestock-app: progress not delivered: {e}");
            }
        };
        let store = if created {
            crate::demo::create(&path, &mut report)?
        } else {
            Store::open(&path)?
        };
        let r = store.read();
        let db = path.display().to_string();
        Ok(MerchantSummary::new(
            r.info()?,
            r.merchant()?.as_ref(),
            db,
            created,
        ))
    })
    .await
}
