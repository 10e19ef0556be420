//! A new merchant's set-up checklist, step by step, as the app's "Set up my shop" walks it.

use chrono::{NaiveDate, NaiveDateTime};
use forestock_api::merchants::{self, NewMerchant};
use forestock_api::setup::{checklist, Checklist, SetupScreen, SetupStep};
use forestock_api::{plan, AuditStamp};
use forestock_core::{Merchant, NewStore, Platform, Store, SyncState};

fn at(day: u32, hour: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, day)
        .unwrap()
        .and_hms_opt(hour, 0, 0)
        .unwrap()
}

fn stamp(day: u32, hour: u32) -> AuditStamp {
    AuditStamp {
        actor: "app:ana".into(),
        at: at(day, hour),
    }
}

fn done(c: &Checklist) -> Vec<SetupStep> {
    c.items.iter().filter(|i| i.done).map(|i| i.step).collect()
}

fn detail(c: &Checklist, step: SetupStep) -> String {
    c.items
        .iter()
        .find(|i| i.step == step)
        .unwrap()
        .detail
        .clone()
}

/// What a first sync leaves: the catalog, stock and two years of orders (a small generated
/// shop stands in for the platform's data), no suppliers, the merchant still the one set up,
/// and a finished sync state.
fn synced(store: &mut Store, store_id: i64, when: NaiveDateTime) {
    let before = store.read().merchant().unwrap().unwrap();
    // The generator writes only into a database without a merchant: lift ours out meanwhile.
    let w = store.write().unwrap();
    w.tx().execute_batch("DELETE FROM merchant;").unwrap();
    w.commit().unwrap();
    let cfg = forestock_demo::DemoConfig {
        skus: 12,
        days: 300,
        ..Default::default()
    };
    forestock_demo::generate(store, &cfg, &mut |_| {}).unwrap();
    let w = store.write().unwrap();
    w.set_merchant(&Merchant { ..before }).unwrap();
    // A platform knows no suppliers: the generated shop's go.
    w.tx()
        .execute_batch("DELETE FROM purchase_orders; DELETE FROM suppliers;")
        .unwrap();
    for resource in ["products", "inventory", "orders"] {
        w.put_sync_state(&SyncState {
            store_id,
            resource: resource.into(),
            cursor: None,
            updated_since: None,
            last_synced_at: Some(when),
            status: "ok".into(),
            last_error: None,
        })
        .unwrap();
    }
    w.commit().unwrap();
}

#[test]
fn the_checklist_follows_a_new_merchant_from_empty_to_connected_synced_supplied_and_planned() {
    let dir = tempfile::tempdir().unwrap();
    let new = NewMerchant {
        name: "Fern & Moss".into(),
        currency: "USD".into(),
        path: dir.path().join("fern.db").display().to_string(),
        timezone: "UTC".into(),
    };
    let mut store = merchants::create(&new, &stamp(1, 8)).unwrap();

    // Empty: nothing done, each item says what is missing and where to fix it.
    let c = checklist(&store).unwrap();
    assert!(c.applies && !c.complete);
    assert_eq!(done(&c), []);
    assert_eq!(
        c.items
            .iter()
            .map(|i| (i.step, i.screen))
            .collect::<Vec<_>>(),
        [
            (SetupStep::Connect, SetupScreen::Connect),
            (SetupStep::Sync, SetupScreen::Connect),
            (SetupStep::Suppliers, SetupScreen::Suppliers),
            (SetupStep::Plan, SetupScreen::Planner),
        ]
    );
    assert!(detail(&c, SetupStep::Connect).starts_with("No store connected"));
    assert_eq!(
        detail(&c, SetupStep::Sync),
        "Not synced: connect a store first."
    );
    assert_eq!(c.planning_basis, "today: nothing synced yet");

    // Connected (the row connect_store writes once the store accepted the credentials).
    let w = store.write().unwrap();
    let id = w
        .insert_store(
            &NewStore {
                platform: Platform::Shopify,
                name: "Fern shop".into(),
                base_url: "https://fern.myshopify.com".into(),
                keychain_ref: None,
                settings: serde_json::json!({}),
            },
            at(1, 9),
        )
        .unwrap();
    w.commit().unwrap();
    let c = checklist(&store).unwrap();
    assert_eq!(done(&c), [SetupStep::Connect]);
    assert_eq!(
        detail(&c, SetupStep::Connect),
        "Connected: Fern shop (shopify)."
    );
    assert!(detail(&c, SetupStep::Sync).starts_with("Not synced yet"));

    // Synced: the plan date is the last successful sync's; the SKUs have no supplier.
    synced(&mut store, id, at(2, 10));
    let c = checklist(&store).unwrap();
    assert_eq!(done(&c), [SetupStep::Connect, SetupStep::Sync]);
    assert_eq!(
        (c.planning_date.as_str(), c.planning_basis.as_str()),
        ("2026-12-02", "the last successful sync")
    );
    let skus = store.read().skus().unwrap();
    let active = skus
        .iter()
        .filter(|s| s.status == forestock_core::SkuStatus::Active)
        .count();
    let missing = detail(&c, SetupStep::Suppliers);
    assert!(
        missing.starts_with(&format!(
            "{active} of {active} active SKUs have no supplier"
        )),
        "{missing}"
    );
    assert!(detail(&c, SetupStep::Plan).starts_with("No plan yet: plan for 2026-12-02"));
    // A plan now (the app's Sync & run plans right after the sync) orders none of them: the
    // step stays open and says why.
    plan::plan(&mut store, &stamp(2, 10), None, &|_| {}).unwrap();
    let c = checklist(&store).unwrap();
    assert_eq!(done(&c), [SetupStep::Connect, SetupStep::Sync]);
    assert!(
        detail(&c, SetupStep::Plan).contains("SKUs without a supplier"),
        "{}",
        detail(&c, SetupStep::Plan)
    );

    // Suppliers: a catalog gives every SKU a supplier (lead time from the file).
    let mut csv =
        String::from("supplier,sku,supplier_sku,unit_cost,currency,moq,case_pack,lead_time_days\n");
    for s in &skus {
        csv.push_str(&format!(
            "Birch Supply,{},B-{},4.5,USD,1,1,14\n",
            s.sku, s.sku
        ));
    }
    forestock_api::suppliers::catalog::import(&mut store, &stamp(2, 11), csv.as_bytes(), false)
        .unwrap();
    let c = checklist(&store).unwrap();
    assert_eq!(
        done(&c),
        [SetupStep::Connect, SetupStep::Sync, SetupStep::Suppliers]
    );
    assert_eq!(
        detail(&c, SetupStep::Suppliers),
        format!("All {active} active SKUs have a supplier and a lead time.")
    );

    // Planned after the import: complete.
    plan::plan(&mut store, &stamp(2, 12), None, &|_| {}).unwrap();
    let c = checklist(&store).unwrap();
    assert!(c.complete, "{c:?}");
    assert!(detail(&c, SetupStep::Plan).contains("for 2026-12-02 (the last successful sync)"));

    // A later sync makes the plan stale again, and says so.
    synced_again(&mut store, id, at(3, 9));
    let c = checklist(&store).unwrap();
    assert!(!c.complete);
    assert!(
        detail(&c, SetupStep::Plan).contains("older than the last sync"),
        "{}",
        detail(&c, SetupStep::Plan)
    );
}

fn synced_again(store: &mut Store, store_id: i64, when: NaiveDateTime) {
    let w = store.write().unwrap();
    w.put_sync_state(&SyncState {
        store_id,
        resource: "orders".into(),
        cursor: None,
        updated_since: None,
        last_synced_at: Some(when),
        status: "ok".into(),
        last_error: None,
    })
    .unwrap();
    w.commit().unwrap();
}

#[test]
fn the_demo_merchant_needs_no_set_up_and_plans_on_its_fixed_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let cfg = forestock_demo::DemoConfig {
        skus: 5,
        days: 90,
        ..Default::default()
    };
    forestock_api::demo::create(&path, &cfg, &mut |_| {}).unwrap();
    let store = Store::open(&path).unwrap();
    let c = checklist(&store).unwrap();
    assert!(!c.applies);
    let as_of = store.read().merchant().unwrap().unwrap().as_of.unwrap();
    assert_eq!(c.planning_date, as_of.to_string());
    assert_eq!(c.planning_basis, "the merchant's as-of date");
}

/// The Connect screen's "where orders without a location go": the default rule's location
/// until the planner chooses one, then the choice (audited); a code of another store refused.
#[test]
fn a_stores_default_location_is_the_first_warehouse_until_the_planner_chooses_another() {
    use forestock_core::{LocationKind, NewLocation};
    let mut store = Store::in_memory().unwrap();
    let w = store.write().unwrap();
    let shop = w
        .insert_store(
            &NewStore {
                platform: Platform::Shopify,
                name: "Fern shop".into(),
                base_url: "https://fern.myshopify.com".into(),
                keychain_ref: None,
                settings: serde_json::json!({}),
            },
            at(1, 9),
        )
        .unwrap();
    for (code, kind) in [
        ("RET-1", LocationKind::Retail),
        ("WH-EAST", LocationKind::Warehouse),
    ] {
        w.insert_location(&NewLocation {
            code: code.into(),
            name: code.into(),
            kind,
            store_id: Some(shop),
            external_id: Some(code.into()),
        })
        .unwrap();
    }
    w.commit().unwrap();
    let views = forestock_api::stores::default_locations(&store).unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].current.as_deref(), Some("WH-EAST"));
    assert!(!views[0].chosen);
    assert_eq!(
        views[0]
            .choices
            .iter()
            .map(|c| c.code.as_str())
            .collect::<Vec<_>>(),
        ["RET-1", "WH-EAST"]
    );

    let moved = forestock_api::stores::set_default_location(
        &mut store,
        &shop.to_string(),
        "RET-1",
        &stamp(1, 10),
    )
    .unwrap();
    assert_eq!(moved.location, "RET-1");
    let views = forestock_api::stores::default_locations(&store).unwrap();
    assert_eq!(views[0].current.as_deref(), Some("RET-1"));
    assert!(views[0].chosen);
    let audit = store
        .read()
        .audit_entries(&forestock_core::AuditFilter::default())
        .unwrap();
    assert_eq!(audit[0].action, "store.unattributed_location");
    assert_eq!(audit[0].actor, "app:ana");

    let e = forestock_api::stores::set_default_location(
        &mut store,
        &shop.to_string(),
        "NOPE",
        &stamp(1, 11),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("\"NOPE\" is not a location of Fern shop"),
        "{e}"
    );
    assert_eq!(
        forestock_api::stores::default_locations(&store).unwrap()[0]
            .current
            .as_deref(),
        Some("RET-1")
    );
}
