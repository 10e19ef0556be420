use crate::dto::{Exported, PoLineEdit, PoView};
use crate::error::{ApiError, ApiResult};
use crate::state::{block_on, blocking, planner, AppState};
use forestock_api::po::{self, CsvOptions, ExportWhich};
use forestock_api::push::{PushRequest, Selection};
use forestock_connect::outbox::{self, OutboxItem};
use forestock_core::OutputFile;
use forestock_plan::po::PoStatus;
use std::sync::Arc;
use tauri::State;

#[tauri::command]
pub async fn list_pos(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<PoView>> {
    state.read(|db| po::list(db).map(views)).await
}

fn views<T: Into<U>, U>(items: Vec<T>) -> Vec<U> {
    items.into_iter().map(Into::into).collect()
}

/// Draft POs per supplier × location from the approved plan lines.
#[tauri::command]
pub async fn draft_pos(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<PoView>> {
    state
        .write(|db, stamp| {
            let pos = po::draft(db, stamp)?;
            po::checked(db, pos).map(views)
        })
        .await
}

/// Move a PO to another state (approve, cancel, mark received); the library enforces the rules.
#[tauri::command]
pub async fn set_po_status(
    state: State<'_, Arc<AppState>>,
    id: i64,
    to: PoStatus,
    reason: String,
) -> ApiResult<PoView> {
    state
        .write(move |db, stamp| po::set_status(db, stamp, id, to, &reason).map(PoView::from))
        .await
}

/// Change a draft PO line's quantity, or remove the line (`quantity: null`); the library checks
/// the reason, the supplier's cases and MOQ, and audits the change.
#[tauri::command]
pub async fn edit_po_line(state: State<'_, Arc<AppState>>, edit: PoLineEdit) -> ApiResult<PoView> {
    state
        .write(move |db, stamp| {
            let e = edit;
            let p = po::edit_line(db, stamp, e.po_id, e.variant_id, e.quantity, &e.reason)?;
            po::checked_one(db, p).map(PoView::from)
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
        let which = ExportWhich::Po(id);
        let name = po::export_file_name(&store, &which)?;
        let Some(path) = crate::export::target(&app, &state, &name, crate::export::CSV)? else {
            let order = forestock_plan::po::get(&store, id)?;
            let po = po::checked_one(&store, order)?.into();
            return Ok(Exported { po, path: None });
        };
        let out = OutputFile::replacing(&path);
        let stamp = planner::stamp();
        let pos = po::export_csv(&mut store, &stamp, &which, &out, &CsvOptions::default())?;
        let po = pos
            .into_iter()
            .next()
            .ok_or_else(|| ApiError::internal("nothing exported"))?;
        Ok(Exported {
            po: po.into(),
            path: Some(path.display().to_string()),
        })
    })
    .await
}

/// The NetSuite outbox: every queued push, pending ones first to show when offline.
#[tauri::command]
pub async fn list_outbox(state: State<'_, Arc<AppState>>) -> ApiResult<Vec<OutboxItem>> {
    state.read(|db| outbox::items(db, None)).await
}

/// Queue an approved PO for NetSuite and push the queue ([`forestock_api::push::push`], the
/// workflow `forestock push` runs). Offline (or throttled), the item stays pending with its
/// error and goes out on the next push; a pushed PO moves to `pushed`.
#[tauri::command]
pub async fn push_po(state: State<'_, Arc<AppState>>, id: i64) -> ApiResult<Vec<OutboxItem>> {
    let state = Arc::clone(&state);
    blocking(move || push_one(&state, id)).await
}

fn push_one(state: &AppState, id: i64) -> ApiResult<Vec<OutboxItem>> {
    let mut db = state.open()?;
    let req = PushRequest {
        store: None,
        selection: Selection::Ids(vec![id]),
        queue_only: false,
    };
    let report = block_on(forestock_api::push::push(&mut db, &planner::stamp(), &req))?;
    if let Some(e) = report.stopped {
        return Err(e.into());
    }
    Ok(outbox::items(&db, None)?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::error::ErrorCode;
    use forestock_core::{NewStore, Platform, Store};

    /// The app's push goes through the shared workflow: a PO that is not approved (or
    /// exported) is refused before anything is queued or sent.
    #[test]
    fn the_app_refuses_to_push_a_po_that_is_not_approved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("merchant.db");
        let mut db = Store::create(&path).unwrap();
        let cfg = forestock_demo::DemoConfig {
            skus: 10,
            ..Default::default()
        };
        forestock_demo::generate(&mut db, &cfg, &mut |_| {}).unwrap();
        let now = planner::stamp().at;
        let w = db.write().unwrap();
        w.insert_store(
            &NewStore {
                platform: Platform::NetSuite,
                name: "NetSuite test".into(),
                base_url: "http://127.0.0.1:9".into(),
                keychain_ref: None,
                settings: serde_json::json!({}),
            },
            now,
        )
        .unwrap();
        let (supplier, location, variant): (i64, i64, i64) = w
            .tx()
            .query_row(
                "SELECT (SELECT min(id) FROM suppliers), (SELECT min(id) FROM locations), \
                 (SELECT min(id) FROM variants)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        w.tx()
            .execute(
                "INSERT INTO purchase_orders (id, number, supplier_id, location_id, status, currency, \
                 order_date, expected_date, created_at, updated_at) \
                 VALUES (7, 'PO-00007', ?1, ?2, 'cancelled', 'USD', '2026-01-01', '2026-01-15', ?3, ?3)",
                (supplier, location, now),
            )
            .unwrap();
        w.tx()
            .execute(
                "INSERT INTO po_lines (po_id, variant_id, quantity, unit_cost) VALUES (7, ?1, 5, 2.5)",
                [variant],
            )
            .unwrap();
        w.commit().unwrap();
        drop(db);
        let state = AppState::new(
            path.clone(),
            crate::state::ExportDir {
                dir: dir.path().to_path_buf(),
                fixed: true,
            },
        );
        let e = push_one(&state, 7).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadInput, "{e:?}");
        assert!(e.message.contains("PO-00007 is cancelled"), "{}", e.message);
        let db = Store::open(&path).unwrap();
        assert!(outbox::items(&db, None).unwrap().is_empty());
    }
}
