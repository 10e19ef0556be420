//! The readable audit log on a real database: ids named, deleted records named from what the
//! entry recorded, the changed fields listed.

use forestock_api::{audit, plan, review, suppliers, AuditStamp};
use forestock_core::{FrontDoor, NewSupplier, Store};

#[test]
fn the_audit_list_names_the_sku_location_and_supplier_and_lists_changed_fields() {
    let stamp = AuditStamp::at(FrontDoor::App, Some("ann"), chrono::Utc::now().naive_utc());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let cfg = forestock_demo::DemoConfig {
        skus: 20,
        days: 200,
        ..Default::default()
    };
    forestock_api::demo::create(&path, &cfg, &mut |_| {}).unwrap();
    let mut store = Store::open(&path).unwrap();
    plan::plan(&mut store, &stamp, None, &|_| {}).unwrap();
    let line = forestock_plan::review::recommendations(&store, &Default::default())
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    review::decide(
        &mut store,
        &stamp,
        &[review::LineKey {
            variant_id: line.rec.variant_id,
            location_id: line.rec.location_id,
        }],
        true,
        "",
    )
    .unwrap();
    let gone = suppliers::create(
        &mut store,
        &stamp,
        &NewSupplier {
            name: "Short-lived Ltd".into(),
            currency: "USD".into(),
            lead_time_mean_days: 10.0,
            lead_time_sd_days: 2.0,
            moq: 1,
            case_pack: 1,
            price_breaks: vec![],
            email: None,
            notes: String::new(),
        },
    )
    .unwrap();
    suppliers::delete(&mut store, &stamp, gone.id, "made by mistake").unwrap();

    let entries = audit::list(&store, Default::default()).unwrap();
    let approved = entries
        .iter()
        .find(|e| e.action == "plan.approve")
        .expect("the approval");
    assert!(
        approved
            .what
            .starts_with(&format!("Plan line {} (", line.rec.sku)),
        "{}",
        approved.what
    );
    assert!(
        approved
            .what
            .contains(&format!(" at {} ", line.rec.location)),
        "{}",
        approved.what
    );
    assert!(
        approved.changes.iter().any(|c| c.field == "status"
            && c.before.as_deref() == Some("proposed")
            && c.after.as_deref() == Some("approved")),
        "{:?}",
        approved.changes
    );
    assert!(approved.changes.iter().all(|c| c.before != c.after));
    for e in entries.iter().filter(|e| e.entity == "supplier") {
        assert_eq!(e.what, "Supplier Short-lived Ltd (deleted)", "{}", e.action);
    }
    // The CLI's limit.
    let two = audit::list(
        &store,
        audit::AuditQuery {
            limit: Some(2),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(two.len(), 2);
}
