use crate::dto::{external_id, to_netsuite, Exported, OutboxView, PoLineEdit, PoView};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::{block_on, blocking, planner, AppState};
use forestock_connect::netsuite::NetSuiteClient;
use forestock_connect::stores::credentials_for;
use forestock_connect::{outbox, Progress, SyncOptions};
use forestock_core::{Platform, Store, StoreRecord};
use forestock_plan::po;
use std::sync::Arc;
use tauri::State;

#[tauri::command]
pub async fn list_pos(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<PoView>> {
    let state = Arc::clone(&state);
    blocking(move || {
        let store = state.open()?;
        Ok(po::list(&store)?
            .into_iter()
            .map(|p| PoView::checked(&store, p))
            .collect::<Result<_, _>>()?)
    })
    .await
}

/// Draft POs per supplier × location from the approved plan lines.
#[tauri::command]
pub async fn draft_pos(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<PoView>> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let pos = po::draft_from_plan(&mut store, &planner::actor(), planner::now())?;
        Ok(pos
            .into_iter()
            .map(|p| PoView::checked(&store, p))
            .collect::<Result<_, _>>()?)
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

/// Change a draft PO line's quantity, or remove the line (`quantity: null`); the library checks
/// the reason, the supplier's cases and MOQ, and audits the change.
#[tauri::command]
pub async fn edit_po_line(state: State<'_, Arc<AppState>>, edit: PoLineEdit) -> ApiResult<PoView> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let (actor, now) = (planner::actor(), planner::now());
        let p = match edit.quantity {
            Some(q) => po::set_line_quantity(
                &mut store,
                edit.po_id,
                edit.variant_id,
                q,
                &edit.reason,
                &actor,
                now,
            )?,
            None => po::remove_line(
                &mut store,
                edit.po_id,
                edit.variant_id,
                &edit.reason,
                &actor,
                now,
            )?,
        };
        Ok(PoView::checked(&store, p)?)
    })
    .await
}

/// Export a PO as CSV: the save dialog (or the fixed export folder) gives the path, the library
/// writes the file and marks the PO exported. Cancelling the dialog changes nothing.
#[tauri::command]
pub async fn export_po(
    app: tauri::AppHandle,
    state: State<'_, Arc<AppState>>,
    id: i64,
) -> ApiResult<Exported> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut store = state.open()?;
        let order = po::get(&store, id)?;
        let name = format!("{}.csv", order.number);
        let Some(path) = crate::export::target(&app, &state, &name, crate::export::CSV)? else {
            return Ok(Exported {
                po: PoView::checked(&store, order)?,
                path: None,
            });
        };
        let po = po::export_csv(&mut store, id, &path, &planner::actor(), planner::now())?;
        Ok(Exported {
            po: po.into(),
            path: Some(path.display().to_string()),
        })
    })
    .await
}

/// The NetSuite outbox: every queued push, pending ones first to show when offline.
#[tauri::command]
pub async fn list_outbox(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<OutboxView>> {
    let state = Arc::clone(&state);
    blocking(move || {
        Ok(outbox::items(&state.open()?, None)?
            .into_iter()
            .map(Into::into)
            .collect())
    })
    .await
}

/// Queue an approved PO for NetSuite and push the queue. Offline (or throttled), the item stays
/// pending with its error and goes out on the next push; a pushed PO moves to `pushed`.
#[tauri::command]
pub async fn push_po(state: State<'_, Arc<AppState>>, id: i64) -> ApiResult<Vec<OutboxView>> {
    let state = Arc::clone(&state);
    blocking(move || {
        let mut db = state.open()?;
        let store = netsuite_store(&db)?;
        let order = po::get(&db, id)?;
        outbox::enqueue(&mut db, store.id, &to_netsuite(&order), planner::now())?;
        drain(&state, &mut db, &store)?;
        Ok(outbox::items(&db, None)?
            .into_iter()
            .map(Into::into)
            .collect())
    })
    .await
}

fn netsuite_store(db: &Store) -> ApiResult<StoreRecord> {
    let mut ns = db.read().stores()?;
    ns.retain(|s| s.platform == Platform::NetSuite);
    match ns.len() {
        1 => Ok(ns.remove(0)),
        0 => Err(ApiError::new(
            ErrorCode::NotFound,
            "no NetSuite account is connected; connect one under Connect & sync first",
        )),
        _ => Err(ApiError::new(
            ErrorCode::BadInput,
            "several NetSuite accounts are connected; remove the ones you do not push to",
        )),
    }
}

/// Push the store's pending items; each pushed PO moves to `pushed`.
fn drain(state: &AppState, db: &mut Store, store: &StoreRecord) -> ApiResult<()> {
    let creds = credentials_for(&state.keychain()?, store)?;
    let now = planner::now();
    let client =
        NetSuiteClient::from_store(store, &creds, &SyncOptions::new(now), &Progress::none())?;
    for (external, result) in block_on(outbox::push_pending(db, store.id, &client, now))? {
        let pushed = po::list(db)?
            .into_iter()
            .find(|p| external_id(&p.number) == external);
        if let (Ok(_), Some(p)) = (result, pushed) {
            po::set_status(
                db,
                p.id,
                "pushed",
                "pushed to NetSuite as a draft PO",
                &planner::actor(),
                now,
            )?;
        }
    }
    Ok(())
}
