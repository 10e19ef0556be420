//! The merchant database on temp files: opening, refusing, typed reads and writes, audit log.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

use chrono::{NaiveDate, NaiveDateTime};
use forestock_core::*;
use std::path::Path;

#[path = "store/migrations.rs"]
mod migrations;

fn ts(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn supplier(name: &str) -> NewSupplier {
    NewSupplier {
        name: name.into(),
        currency: "EUR".into(),
        lead_time_mean_days: 14.0,
        lead_time_sd_days: 3.0,
        moq: 24,
        case_pack: 12,
        price_breaks: vec![PriceBreak {
            min_qty: 48,
            discount_pct: 5.0,
        }],
        email: None,
        notes: String::new(),
    }
}

/// A small merchant: one store, two locations, one SKU, one supplier, two orders.
fn seed(path: &Path) -> Store {
    let mut store = Store::create(path).unwrap();
    let w = store.write().unwrap();
    w.set_merchant(&Merchant {
        name: "Test shop".into(),
        currency: "USD".into(),
        timezone: "UTC".into(),
        as_of: Some(date("2026-01-05")),
        is_demo: false,
        created_at: ts("2026-01-01 00:00:00"),
    })
    .unwrap();
    let store_id = w
        .insert_store(
            &NewStore {
                platform: Platform::Shopify,
                name: "Main".into(),
                base_url: "https://test.myshopify.com".into(),
                keychain_ref: Some("forestock/shopify/1".into()),
                settings: serde_json::json!({"api_version": "2026-07"}),
            },
            ts("2026-01-01 00:00:00"),
        )
        .unwrap();
    let wh = w
        .insert_location(&NewLocation {
            code: "WH".into(),
            name: "Warehouse".into(),
            kind: LocationKind::Warehouse,
            store_id: Some(store_id),
            external_id: Some("gid://shopify/Location/1".into()),
        })
        .unwrap();
    w.insert_location(&NewLocation {
        code: "SHOP".into(),
        name: "Shop".into(),
        kind: LocationKind::Retail,
        store_id: None,
        external_id: None,
    })
    .unwrap();
    let product = w
        .insert_product(&NewProduct {
            store_id: Some(store_id),
            external_id: None,
            title: "Mug".into(),
            category: "Kitchen".into(),
            vendor: "Hearth".into(),
            status: ProductStatus::Active,
            created_at: ts("2025-06-01 00:00:00"),
        })
        .unwrap();
    let variant = w
        .insert_variant(
            &NewVariant {
                product_id: product,
                external_id: None,
                sku: "MUG-1".into(),
                title: "Blue".into(),
                barcode: Some("2000000000015".into()),
                price: 12.0,
                cost: Some(4.5),
                attributes: serde_json::json!({"color": "blue"}),
                status: SkuStatus::Active,
                created_date: date("2025-06-01"),
                discontinue_date: None,
            },
            ts("2026-01-01 00:00:00"),
        )
        .unwrap();
    let sup = w.insert_supplier(&supplier("Hearth Goods")).unwrap();
    w.link_supplier_sku(&SupplierSku {
        supplier_id: sup,
        variant_id: variant,
        supplier_sku: Some("HG-1".into()),
        unit_cost: Some(4.2),
        is_primary: true,
        moq: None,
        case_pack: None,
        lead_time_days: None,
    })
    .unwrap();
    for (d, on_hand) in [("2026-01-01", 10), ("2026-01-03", 7)] {
        w.put_snapshot(&InventorySnapshot {
            variant_id: variant,
            location_id: wh,
            date: date(d),
            on_hand,
            committed: 0,
            incoming: 0,
        })
        .unwrap();
    }
    let line = |q, c| NewOrderLine {
        external_id: None,
        variant_id: Some(variant),
        sku: "MUG-1".into(),
        quantity: q,
        unit_price: 12.0,
        discount: 0.0,
        cancelled_qty: c,
    };
    let order = |name: &str, at: &str| NewOrder {
        store_id: Some(store_id),
        external_id: Some(name.into()),
        name: name.into(),
        location_id: Some(wh),
        created_at: ts(at),
        updated_at: ts(at),
        cancelled_at: None,
        currency: "USD".into(),
        channel: "online".into(),
    };
    let (o1, lines) = w
        .insert_order(&order("#1", "2026-01-03 10:00:00"), &[line(3, 0)])
        .unwrap();
    w.insert_order(&order("#2", "2026-01-03 11:00:00"), &[line(2, 2)])
        .unwrap();
    w.insert_refund(&NewRefund {
        order_id: o1,
        order_line_id: lines[0],
        external_id: None,
        created_at: ts("2026-01-04 09:00:00"),
        quantity: 1,
        amount: 12.0,
        restocked: false,
    })
    .unwrap();
    w.insert_promotion(&NewPromotion {
        name: "January sale".into(),
        start_date: date("2026-01-03"),
        end_date: date("2026-01-04"),
        discount_pct: 25.0,
        variant_id: None,
        category: Some("Kitchen".into()),
        location_id: None,
        expected_lift: None,
    })
    .unwrap();
    w.commit().unwrap();
    store
}

#[test]
fn typed_round_trip_on_a_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    drop(seed(&path));
    let store = Store::open(&path).unwrap();
    let r = store.read();
    let info = r.info().unwrap();
    assert_eq!(
        (
            info.skus,
            info.locations,
            info.suppliers,
            info.orders,
            info.order_lines
        ),
        (1, 2, 1, 2, 2)
    );
    // 3 sold, 2 ordered and cancelled, 1 refunded: 2 net.
    assert_eq!(info.units_sold, 2);
    assert_eq!(info.first_order_date, Some(date("2026-01-03")));
    let sku = r.sku_by_code("MUG-1").unwrap();
    assert_eq!(
        (sku.category.as_str(), sku.vendor.as_str(), sku.cost),
        ("Kitchen", "Hearth", Some(4.5))
    );
    assert_eq!(sku.attributes["color"], "blue");
    let sup = &r.suppliers().unwrap()[0];
    assert_eq!(
        sup.price_breaks,
        vec![PriceBreak {
            min_qty: 48,
            discount_pct: 5.0
        }]
    );
    assert_eq!(
        r.stores().unwrap()[0].keychain_ref.as_deref(),
        Some("forestock/shopify/1")
    );
    // Snapshots carry forward: on Jan 2 the level is Jan 1's.
    let levels = r.inventory_on(date("2026-01-02")).unwrap();
    assert_eq!(levels[0].on_hand, 10);
    assert_eq!(r.inventory_on(date("2026-01-05")).unwrap()[0].on_hand, 7);
    // Demand history: net units on the order day, promo flag and discounted price.
    let mut rows = Vec::new();
    r.demand_history(|s| {
        rows.push(s);
        Ok(())
    })
    .unwrap();
    assert_eq!(rows.len(), 1);
    let s = &rows[0];
    assert_eq!(s.start, date("2026-01-03"));
    assert_eq!(s.units, vec![2.0, 0.0, 0.0]);
    assert_eq!(s.on_hand, vec![Some(7), Some(7), Some(7)]);
    assert_eq!(s.promo, vec![true, true, false]);
    assert_eq!(s.price, vec![9.0, 9.0, 12.0]);
    let mut csv = Vec::new();
    r.export_history(&mut csv).unwrap();
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        "sku,location,date,units,on_hand,price,promo\n\
         MUG-1,WH,2026-01-03,2,7,9.00,1\nMUG-1,WH,2026-01-04,0,7,9.00,1\nMUG-1,WH,2026-01-05,0,7,12.00,0\n"
    );
}

#[test]
fn refuses_missing_non_sqlite_foreign_and_newer_files() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.db");
    assert!(matches!(Store::open(&missing), Err(Error::Missing { .. })));

    let text = dir.path().join("notes.db");
    std::fs::write(&text, "this is not a database at all, just some words").unwrap();
    let e = Store::open(&text).err().unwrap();
    assert!(matches!(e, Error::NotADatabase { .. }), "{e}");
    assert!(e.to_string().contains("not a Forestock database"));

    // A corrupt SQLite file: a valid header followed by garbage.
    let corrupt = dir.path().join("corrupt.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(std::iter::repeat_n(0xAB, 4096));
    std::fs::write(&corrupt, bytes).unwrap();
    assert!(matches!(
        Store::open(&corrupt),
        Err(Error::NotADatabase { .. } | Error::Open { .. })
    ));

    // Somebody else's SQLite database.
    let foreign = dir.path().join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    assert!(matches!(
        Store::open(&foreign),
        Err(Error::NotADatabase { .. })
    ));

    // Written by a newer Forestock.
    let newer = dir.path().join("newer.db");
    drop(Store::create(&newer).unwrap());
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let e = Store::open(&newer).err().unwrap();
    assert!(matches!(e, Error::NewerVersion { .. }));
    assert!(e.to_string().contains("newer Forestock"), "{e}");

    // A directory.
    assert!(Store::open(dir.path()).is_err());
    // create() never overwrites.
    assert!(Store::create(&text).is_err());
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "this is not a database at all, just some words"
    );
}

#[test]
fn connections_use_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let store = Store::create(&path).unwrap();
    let conn = store.read().conn();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!((mode.as_str(), fk, version), ("wal", 1, SCHEMA_VERSION));
}

/// Issue "Concurrency": a write transaction that reads first used to be DEFERRED, so when
/// another process committed while it held its read snapshot it failed at once with
/// "database is locked" instead of waiting for the busy timeout.
#[test]
fn a_write_after_another_process_commits_waits_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    drop(seed(&path));
    let count = |w: &Writer<'_>| -> i64 {
        w.read()
            .conn()
            .query_row("SELECT count(*) FROM suppliers", [], |r| r.get(0))
            .unwrap()
    };
    let mut a = Store::open(&path).unwrap();
    let mut b = Store::open(&path).unwrap();
    let before = {
        let w = a.write().unwrap();
        let n = count(&w);
        drop(w);
        n
    };
    // A holds a write transaction with an uncommitted row and commits a little later.
    let (started_tx, started_rx) = std::sync::mpsc::channel();
    let writer_a = std::thread::spawn(move || {
        let w = a.write().unwrap();
        w.insert_supplier(&supplier("From A")).unwrap();
        started_tx.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        w.commit().unwrap();
    });
    started_rx.recv().unwrap();
    // B reads, then writes based on what it read, while A's commit lands in between.
    let w = b.write().expect("B waits for A's write lock, then begins");
    let n = count(&w);
    std::thread::sleep(std::time::Duration::from_millis(400));
    w.insert_supplier(&supplier(&format!("From B after {n}")))
        .expect("B's write after A committed waits instead of failing with SQLITE_BUSY");
    w.commit().unwrap();
    writer_a.join().unwrap();
    // B saw A's row: it began after A committed.
    assert_eq!(n, before + 1);
    let w = b.write().unwrap();
    assert_eq!(count(&w), before + 2);
}

/// Issue "Concurrency": migrations read the schema version outside their transaction, so two
/// processes opening a fresh file at once both tried to apply every migration.
#[test]
fn two_processes_opening_a_fresh_file_at_once_migrate_it_once() {
    for round in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fresh.db");
        std::fs::write(&path, b"").unwrap();
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(3));
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    Store::open(&path).map(|_| ())
                })
            })
            .collect();
        for h in handles {
            h.join()
                .unwrap()
                .unwrap_or_else(|e| panic!("round {round}: a concurrent open failed: {e}"));
        }
        let store = Store::open(&path).unwrap();
        let version: i64 = store
            .read()
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }
}

#[test]
fn audit_log_is_append_only() {
    let mut store = Store::in_memory().unwrap();
    let w = store.write().unwrap();
    let id = w
        .audit(&NewAuditEntry {
            at: ts("2026-01-05 09:00:00"),
            actor: "planner".into(),
            action: "override".into(),
            entity: "recommendation".into(),
            entity_id: "MUG-1@WH".into(),
            before: Some(serde_json::json!({"qty": 24})),
            after: Some(serde_json::json!({"qty": 36})),
            reason: "trade show next week".into(),
        })
        .unwrap();
    w.commit().unwrap();
    let conn = store.read().conn();
    let e = conn
        .execute("UPDATE audit_log SET reason = 'x' WHERE id = ?1", [id])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"));
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
    let entries = store
        .read()
        .audit_entries(&AuditFilter {
            entity_id: Some("MUG-1@WH".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].after, Some(serde_json::json!({"qty": 36})));
    assert_eq!(entries[0].reason, "trade show next week");
}

#[test]
fn bad_values_are_refused_and_nothing_is_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let mut store = seed(&path);
    let mut bad = supplier("Odd Packs");
    bad.moq = 20; // not a multiple of 12
    let e = store.write().unwrap().insert_supplier(&bad).unwrap_err();
    assert!(
        e.to_string().contains("not a multiple of the case pack"),
        "{e}"
    );
    let mut bad = supplier("No Currency");
    bad.currency = String::new();
    assert!(store
        .write()
        .unwrap()
        .insert_supplier(&bad)
        .unwrap_err()
        .to_string()
        .contains("currency"));
    let mut bad = supplier("Instant");
    bad.lead_time_mean_days = 0.0;
    assert!(store
        .write()
        .unwrap()
        .insert_supplier(&bad)
        .unwrap_err()
        .to_string()
        .contains("lead time"));

    // A failing write in the middle of a transaction leaves nothing behind.
    {
        let w = store.write().unwrap();
        w.insert_supplier(&supplier("Kept? No")).unwrap();
        assert!(w.insert_supplier(&supplier("Kept? No")).is_err()); // duplicate name
                                                                    // dropped without commit
    }
    assert_eq!(store.read().suppliers().unwrap().len(), 1);
    // An order line with more cancelled than ordered is refused.
    let w = store.write().unwrap();
    let order = NewOrder {
        store_id: None,
        external_id: None,
        name: "#bad".into(),
        location_id: None,
        created_at: ts("2026-01-04 00:00:00"),
        updated_at: ts("2026-01-04 00:00:00"),
        cancelled_at: None,
        currency: "USD".into(),
        channel: "online".into(),
    };
    let line = NewOrderLine {
        external_id: None,
        variant_id: None,
        sku: "MUG-1".into(),
        quantity: 1,
        unit_price: 1.0,
        discount: 0.0,
        cancelled_qty: 2,
    };
    assert!(w.insert_order(&order, &[line]).is_err());
    assert!(w.insert_order(&order, &[]).is_err());
}

#[test]
fn runs_and_sync_state_round_trip() {
    let mut store = Store::in_memory().unwrap();
    let w = store.write().unwrap();
    let run = w
        .begin_run(
            RunKind::Forecast,
            &serde_json::json!({"horizon": 28}),
            ts("2026-01-05 09:00:00"),
        )
        .unwrap();
    w.finish_run(
        run,
        RunStatus::Ok,
        &serde_json::json!({"series": 3}),
        ts("2026-01-05 09:01:00"),
    )
    .unwrap();
    let store_id = w
        .insert_store(
            &NewStore {
                platform: Platform::BigCommerce,
                name: "BC".into(),
                base_url: "https://api.bigcommerce.com/stores/abc".into(),
                keychain_ref: None,
                settings: serde_json::json!({}),
            },
            ts("2026-01-05 09:00:00"),
        )
        .unwrap();
    w.put_sync_state(&SyncState {
        store_id,
        resource: "orders".into(),
        cursor: Some("page:3".into()),
        updated_since: Some("2026-01-04T00:00:00Z".into()),
        last_synced_at: Some(ts("2026-01-05 09:02:00")),
        status: "idle".into(),
        last_error: None,
    })
    .unwrap();
    w.commit().unwrap();
    let r = store.read();
    let last = r.last_run(RunKind::Forecast).unwrap().unwrap();
    assert_eq!(last.summary["series"], 3);
    assert_eq!(
        r.sync_state(store_id, "orders")
            .unwrap()
            .unwrap()
            .cursor
            .as_deref(),
        Some("page:3")
    );
    assert_eq!(r.info().unwrap().last_sync, Some(ts("2026-01-05 09:02:00")));
}

#[test]
fn supplier_update_is_validated_and_audited_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = seed(&dir.path().join("m.db"));
    let id = store.read().suppliers().unwrap()[0].id;
    let change = SupplierChange {
        actor: "ana",
        at: ts("2026-02-01 08:00:00"),
        reason: "supplier confirmed slower shipping",
    };
    let audited = |store: &Store| {
        store
            .read()
            .audit_entries(&AuditFilter {
                action: Some("supplier.update".into()),
                ..Default::default()
            })
            .unwrap()
    };
    let before = store.read().suppliers().unwrap()[0].clone();

    // Bad input: a clear message, nothing saved, nothing audited.
    type Spoil = fn(&mut NewSupplier);
    let cases: [(&str, Spoil); 5] = [
        ("lead time must be more than 0", |s| {
            s.lead_time_mean_days = 0.0
        }),
        ("lead-time spread", |s| s.lead_time_sd_days = -1.0),
        ("MOQ 30 is not a multiple of the case pack 12", |s| {
            s.moq = 30
        }),
        ("not a 3-letter ISO code", |s| s.currency = "EURO".into()),
        ("not a 3-letter ISO code", |s| s.currency = "e1r".into()),
    ];
    for (want, spoil) in cases {
        let mut bad = supplier(&before.name);
        spoil(&mut bad);
        let e = store.update_supplier(id, &bad, &change).unwrap_err();
        assert!(e.is_bad_input(), "{e}");
        assert!(e.to_string().contains(want), "{e} lacks {want:?}");
    }
    let no_reason = SupplierChange {
        reason: "  ",
        ..change.clone()
    };
    let e = store
        .update_supplier(id, &supplier(&before.name), &no_reason)
        .unwrap_err();
    assert!(e.to_string().contains("reason"), "{e}");
    let e = store
        .update_supplier(id + 99, &supplier("Ghost"), &change)
        .unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e}");
    assert_eq!(store.read().suppliers().unwrap()[0], before);
    assert!(audited(&store).is_empty());

    // A good change is stored and audited with the supplier before and after, in one go.
    let mut good = supplier(&before.name);
    good.lead_time_mean_days = 30.0;
    good.lead_time_sd_days = 6.5;
    good.moq = 48;
    good.case_pack = 24;
    good.currency = "GBP".into();
    let after = store.update_supplier(id, &good, &change).unwrap();
    assert_eq!(after.lead_time_mean_days, 30.0);
    assert_eq!((after.moq, after.case_pack), (48, 24));
    assert_eq!(after.currency, "GBP");
    assert_eq!(store.read().suppliers().unwrap()[0], after);
    let log = audited(&store);
    assert_eq!(log.len(), 1);
    let e = &log[0];
    assert_eq!((e.actor.as_str(), e.entity.as_str()), ("ana", "supplier"));
    assert_eq!(e.entity_id, id.to_string());
    assert_eq!(e.reason, "supplier confirmed slower shipping");
    assert_eq!(e.before.as_ref().unwrap()["lead_time_mean_days"], 14.0);
    assert_eq!(e.before.as_ref().unwrap()["currency"], "EUR");
    assert_eq!(e.after.as_ref().unwrap()["lead_time_mean_days"], 30.0);
    assert_eq!(e.after.as_ref().unwrap()["moq"], 48);
}

#[test]
fn audit_log_exports_to_csv_with_guarded_free_text() {
    let mut store = Store::in_memory().unwrap();
    let w = store.write().unwrap();
    for reason in ["=HYPERLINK(\"http://x\")", "plain, with a comma"] {
        w.audit(&NewAuditEntry {
            at: ts("2026-01-05 09:00:00"),
            actor: "planner".into(),
            action: "plan.override".into(),
            entity: "plan_line".into(),
            entity_id: "1:2".into(),
            before: None,
            after: Some(serde_json::json!({"qty": 36})),
            reason: reason.into(),
        })
        .unwrap();
    }
    w.commit().unwrap();
    let entries = store.read().audit_entries(&AuditFilter::default()).unwrap();
    let mut out = Vec::new();
    write_audit_csv(&entries, &mut out).unwrap();
    let mut r = csv::Reader::from_reader(out.as_slice());
    assert_eq!(r.headers().unwrap(), AUDIT_CSV_HEADER.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    // Newest first, as listed; the formula is defused, the comma kept inside its cell.
    assert_eq!(&rows[0][8], "plain, with a comma");
    assert_eq!(&rows[1][8], "'=HYPERLINK(\"http://x\")");
    assert_eq!(&rows[1][7], "{\"qty\":36}");
    assert_eq!(&rows[1][6], "");
}

/// Migration 0005 keeps a database's pushes: outbox rows queued by earlier versions (external
/// id `FCST-<number>`) are linked to their PO so the PO keeps that id, others stay unlinked.
#[test]
fn an_old_external_id_survives_the_push_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        for sql in [
            include_str!("../migrations/0001_merchant.sql"),
            include_str!("../migrations/0002_connect.sql"),
            include_str!("../migrations/0003_forecast_runs.sql"),
            include_str!("../migrations/0004_plan.sql"),
        ] {
            c.execute_batch(sql).unwrap();
        }
        c.execute_batch(
            "INSERT INTO stores (id, platform, name, base_url, created_at) \
               VALUES (1, 'netsuite', 'NS', 'http://127.0.0.1:9', '2026-01-01 00:00:00');
             INSERT INTO suppliers (id, name, currency, lead_time_mean_days) VALUES (1, 'S', 'USD', 7);
             INSERT INTO locations (id, code, name, kind) VALUES (1, 'WH', 'Warehouse', 'warehouse');
             INSERT INTO purchase_orders (id, number, supplier_id, location_id, status, currency, \
               order_date, expected_date, created_at, updated_at) VALUES (5, 'PO-00001', 1, 1, \
               'pushed', 'USD', '2026-01-01', '2026-01-10', '2026-01-01', '2026-01-01');
             INSERT INTO outbox (store_id, kind, external_id, payload, status, remote_id, created_at, updated_at) \
               VALUES (1, 'purchase_order', 'FCST-PO-00001', '{}', 'sent', '1001', '2026-01-01', '2026-01-01'),
                      (1, 'purchase_order', 'FCST-OTHER', '{}', 'failed', NULL, '2026-01-01', '2026-01-01');
             PRAGMA user_version = 4;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let c = store.read().conn();
    let rows: Vec<(String, Option<i64>, String, Option<String>)> = c
        .prepare("SELECT external_id, po_id, status, remote_id FROM outbox ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "FCST-PO-00001".into(),
                Some(5),
                "sent".into(),
                Some("1001".into())
            ),
            ("FCST-OTHER".into(), None, "failed".into(), None),
        ]
    );
    // The database id is minted on first push, not by the migration.
    let ids: i64 = c
        .query_row("SELECT count(*) FROM database_identity", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ids, 0);
}
