//! The planner's week through the use cases, as the app's screens call them.

use forestock_api::{exceptions, po, review, transfers, AuditStamp};
use forestock_core::{FrontDoor, Store};

fn planned(stamp: &AuditStamp) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let cfg = forestock_demo::DemoConfig {
        skus: 40,
        days: 400,
        ..Default::default()
    };
    forestock_api::demo::create(&path, &cfg, &mut |_| {}).unwrap();
    let mut store = Store::open(&path).unwrap();
    forestock_api::plan::plan(&mut store, stamp, None, &|_| {}).unwrap();
    (dir, store)
}

#[test]
fn approving_from_an_alert_approves_its_line_and_an_alert_without_one_line_is_refused() {
    let stamp = AuditStamp::at(FrontDoor::App, Some("ann"), chrono::Utc::now().naive_utc());
    let (_dir, mut store) = planned(&stamp);
    let list = exceptions::list(&store, &stamp, &Default::default()).unwrap();
    let on_line = list
        .exceptions
        .iter()
        .find(|e| e.alert.alert.variant_id.is_some() && e.line_status.is_some())
        .expect("an alert about one line");
    assert_eq!(
        exceptions::approve_line(&mut store, &stamp, on_line.alert.id).unwrap(),
        1
    );
    let key = review::LineKey {
        variant_id: on_line.alert.alert.variant_id.unwrap(),
        location_id: on_line.alert.alert.location_id.unwrap(),
    };
    assert_eq!(
        forestock_plan::review::line(&store, key).unwrap().status,
        forestock_plan::review::LineStatus::Approved
    );
    if let Some(other) = list
        .exceptions
        .iter()
        .find(|e| e.alert.alert.variant_id.is_none())
    {
        let e = exceptions::approve_line(&mut store, &stamp, other.alert.id).unwrap_err();
        assert!(e.to_string().contains("not about one plan line"), "{e}");
    }
    let e = exceptions::approve_line(&mut store, &stamp, -1).unwrap_err();
    assert!(e.to_string().contains("not in the latest alerts"), "{e}");
}

#[test]
fn approve_all_reports_what_it_did_and_undo_restores_every_line_of_it() {
    let stamp = AuditStamp::at(FrontDoor::App, Some("ann"), chrono::Utc::now().naive_utc());
    let (_dir, mut store) = planned(&stamp);
    let preview = review::preview_within_thresholds(&store).unwrap();
    assert!(preview.lines > 1, "{preview:?}");
    let done = review::approve_within_thresholds(&mut store, &stamp).unwrap();
    assert_eq!(done.lines, preview.lines);
    assert_eq!(done.value, preview.value);
    assert_eq!(
        review::last_action(&store).unwrap().unwrap().lines,
        preview.lines
    );
    assert_eq!(review::undo(&mut store, &stamp, 1).unwrap(), preview.lines);
    assert_eq!(review::preview_within_thresholds(&store).unwrap(), preview);
    // Transfers and the supplier report read without a plan change.
    let _ = transfers::list(&store).unwrap();
    let report = po::supplier_report(&store, &stamp).unwrap();
    assert!(!report.suppliers.is_empty());
}
