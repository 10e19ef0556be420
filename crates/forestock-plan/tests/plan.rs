//! End-to-end planning on a small merchant built through the core Writer API.
#![allow(clippy::unwrap_used)]

use chrono::{Days, NaiveDate, NaiveDateTime};
use forestock_core::*;
use forestock_plan::plan::{run_plan, PlanRequest};
use forestock_plan::review::{self, GridFilter, LineKey};
use forestock_plan::{po, scenario};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn now() -> NaiveDateTime {
    d("2025-06-30").and_hms_opt(12, 0, 0).unwrap()
}

/// Two SKUs at two locations, 200 days of steady sales, one supplier with a tricky name.
fn merchant() -> Store {
    let mut store = Store::in_memory().unwrap();
    let w = store.write().unwrap();
    w.set_merchant(&Merchant {
        name: "Test shop".into(),
        currency: "USD".into(),
        timezone: "UTC".into(),
        as_of: Some(d("2025-06-30")),
        is_demo: true,
        created_at: now(),
    })
    .unwrap();
    let wh = w
        .insert_location(&NewLocation {
            code: "WH".into(),
            name: "Warehouse".into(),
            kind: LocationKind::Warehouse,
            store_id: None,
            external_id: None,
        })
        .unwrap();
    let shop = w
        .insert_location(&NewLocation {
            code: "SHOP".into(),
            name: "Shop".into(),
            kind: LocationKind::Retail,
            store_id: None,
            external_id: None,
        })
        .unwrap();
    let sup = w
        .insert_supplier(&NewSupplier {
            name: "=HYPERLINK(\"x\") Mugs Ltd".into(),
            currency: "EUR".into(),
            lead_time_mean_days: 10.0,
            lead_time_sd_days: 2.0,
            moq: 12,
            case_pack: 6,
            price_breaks: vec![],
            email: None,
            notes: String::new(),
        })
        .unwrap();
    let alt = w
        .insert_supplier(&NewSupplier {
            name: "Slow Boat Co".into(),
            currency: "USD".into(),
            lead_time_mean_days: 40.0,
            lead_time_sd_days: 5.0,
            moq: 24,
            case_pack: 24,
            price_breaks: vec![],
            email: None,
            notes: String::new(),
        })
        .unwrap();
    let _ = alt;
    // The supplier invoices in EUR and the approval threshold is in USD: with a rate entered
    // they compare (without one every line to order from it needs approval).
    w.set_exchange_rate("EUR", 1.08, now(), "ann").unwrap();
    let prod = w
        .insert_product(&NewProduct {
            store_id: None,
            external_id: None,
            title: "Mug".into(),
            category: "Kitchen".into(),
            vendor: "Acme".into(),
            status: ProductStatus::Active,
            created_at: now() - chrono::Duration::days(400),
        })
        .unwrap();
    let mut variants = Vec::new();
    for (i, sku) in ["MUG-RED", "MUG-BLUE"].iter().enumerate() {
        let v = w
            .insert_variant(
                &NewVariant {
                    product_id: prod,
                    external_id: None,
                    sku: (*sku).into(),
                    title: sku.to_string(),
                    barcode: Some(format!("00012345{i}")),
                    price: 12.0,
                    cost: Some(4.0),
                    attributes: serde_json::json!({}),
                    status: SkuStatus::Active,
                    created_date: d("2024-01-01"),
                    discontinue_date: None,
                },
                now(),
            )
            .unwrap();
        w.link_supplier_sku(&SupplierSku {
            supplier_id: sup,
            variant_id: v,
            supplier_sku: Some(format!("S-{sku}")),
            unit_cost: Some(4.0),
            is_primary: true,
            moq: None,
            case_pack: None,
            lead_time_days: None,
        })
        .unwrap();
        variants.push(v);
    }
    let start = d("2024-12-12");
    for day in 0..200u64 {
        let date = start + Days::new(day);
        for (vi, &v) in variants.iter().enumerate() {
            for (li, &loc) in [wh, shop].iter().enumerate() {
                let q = 1 + ((day as i64 * 7 + vi as i64 * 3 + li as i64) % 4);
                w.insert_order(
                    &NewOrder {
                        store_id: None,
                        external_id: None,
                        name: format!("#{day}-{vi}-{li}"),
                        location_id: Some(loc),
                        created_at: date.and_hms_opt(10, 0, 0).unwrap(),
                        updated_at: date.and_hms_opt(10, 0, 0).unwrap(),
                        cancelled_at: None,
                        currency: "USD".into(),
                        channel: "online".into(),
                    },
                    &[NewOrderLine {
                        external_id: None,
                        variant_id: Some(v),
                        sku: "x".into(),
                        quantity: q,
                        unit_price: 12.0,
                        discount: 0.0,
                        cancelled_qty: 0,
                    }],
                )
                .unwrap();
            }
        }
    }
    // Red: low at the warehouse, plenty at the shop (a transfer candidate). Blue: low both.
    for (v, loc, oh) in [
        (variants[0], wh, 5),
        (variants[0], shop, 900),
        (variants[1], wh, 10),
        (variants[1], shop, 8),
    ] {
        w.put_snapshot(&InventorySnapshot {
            variant_id: v,
            location_id: loc,
            date: d("2025-06-29"),
            on_hand: oh,
            committed: 0,
            incoming: 0,
        })
        .unwrap();
    }
    w.commit().unwrap();
    store
}

fn key(store: &Store, sku: &str, loc: &str) -> LineKey {
    let g = review::recommendations(store, &GridFilter::default()).unwrap();
    let row = g
        .iter()
        .find(|g| g.rec.sku == sku && g.rec.location == loc)
        .unwrap();
    LineKey {
        variant_id: row.rec.variant_id,
        location_id: row.rec.location_id,
    }
}

#[test]
fn plan_review_po_round_trip() {
    let mut store = merchant();
    let s = run_plan(
        &mut store,
        &PlanRequest {
            today: None,
            now: now(),
        },
    )
    .unwrap();
    assert_eq!(s.lines, 4);
    let grid = review::recommendations(&store, &GridFilter::default()).unwrap();
    for g in &grid {
        assert!(!g.rec.rationale.is_empty());
        assert!(g.rec.recommended_qty >= 0);
        assert_eq!(g.rec.recommended_qty % 6, 0, "{g:?}");
        assert!(g.rec.recommended_qty == 0 || g.rec.recommended_qty >= 12);
    }
    // The shop's excess red mugs go to the warehouse before buying.
    let tr = review::transfers(&store).unwrap();
    assert_eq!(tr.len(), 1, "{tr:?}");
    let red_wh = key(&store, "MUG-RED", "WH");
    assert_eq!(
        review::line(&store, red_wh).unwrap().rec.transfer_in,
        tr[0].quantity
    );

    // Override needs a reason and whole cases; undo restores.
    let blue_wh = key(&store, "MUG-BLUE", "WH");
    assert!(review::override_qty(&mut store, blue_wh, 30, "", "ann", now()).is_err());
    let e = review::override_qty(&mut store, blue_wh, 31, "promo", "ann", now()).unwrap_err();
    assert!(e.to_string().contains("cases of 6"), "{e}");
    let before = review::line(&store, blue_wh).unwrap();
    let row = review::override_qty(&mut store, blue_wh, 120, "trade show", "ann", now()).unwrap();
    assert_eq!(row.final_qty, 120);
    assert_eq!(review::undo(&mut store, 1, "ann", now()).unwrap(), 1);
    assert_eq!(review::line(&store, blue_wh).unwrap(), before);
    let log = store
        .read()
        .audit_entries(&AuditFilter {
            entity: Some("plan_line".into()),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].reason, "trade show");

    // Approve, draft POs, export.
    review::override_qty(
        &mut store,
        blue_wh,
        48,
        "=cmd|' /C calc'!A0 rush",
        "ann",
        now(),
    )
    .unwrap();
    review::decide(&mut store, &[blue_wh], true, "", "ann", now()).unwrap();
    let pos = po::draft_from_plan(&mut store, "ann", now()).unwrap();
    assert_eq!(pos.len(), 1);
    let id = pos[0].id;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("po.csv");
    // Drafts cannot be exported; a bad path changes nothing.
    assert!(po::export_csv(&mut store, id, &path, "ann", now()).is_err());
    po::set_status(&mut store, id, po::PoStatus::Approved, "", "ann", now()).unwrap();
    let bad = dir.path().join("missing/dir/po.csv");
    assert!(po::export_csv(&mut store, id, &bad, "ann", now()).is_err());
    assert_eq!(po::get(&store, id).unwrap().status, "approved");
    let done = po::export_csv(&mut store, id, &path, "ann", now()).unwrap();
    assert_eq!(done.status, "exported");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\r\n"), "CRLF line endings");
    // UTF-8 with a byte order mark, so Excel reads non-ASCII supplier names (po_csv docs)
    let text = text.strip_prefix('\u{feff}').expect("a UTF-8 BOM");
    insta::assert_snapshot!(text);
    let got = po::receive(&mut store, id, &[(blue_wh.variant_id, 20)], "ann", now()).unwrap();
    assert_eq!(got.status, "partially_received");
}

#[test]
fn scenario_round_trip_leaves_baseline_after_discard() {
    let mut store = merchant();
    run_plan(
        &mut store,
        &PlanRequest {
            today: None,
            now: now(),
        },
    )
    .unwrap();
    let base = review::recommendations(&store, &GridFilter::default()).unwrap();
    let sc = scenario::create(&mut store, "Summer push", "ann", now()).unwrap();
    // A scenario naming a SKU that does not exist is refused and nothing is saved.
    let bad = vec![scenario::Change::DemandMultiplier {
        scope: scenario::Scope {
            sku: Some("NOPE".into()),
            ..Default::default()
        },
        factor: 2.0,
    }];
    assert!(scenario::set_changes(&mut store, sc.id, bad, "ann", now())
        .unwrap_err()
        .to_string()
        .contains("NOPE"));
    assert!(scenario::get(&store, sc.id).unwrap().changes.is_empty());
    let changes = vec![
        scenario::Change::DemandMultiplier {
            scope: scenario::Scope {
                sku: Some("MUG-BLUE".into()),
                ..Default::default()
            },
            factor: 3.0,
        },
        scenario::Change::ServiceLevel {
            scope: scenario::Scope::default(),
            level: 0.99,
        },
    ];
    scenario::set_changes(&mut store, sc.id, changes, "ann", now()).unwrap();
    let e = scenario::evaluate(&store, sc.id).unwrap();
    assert_eq!(e.scenario.lines_changed, 4);
    // Per currency: the tripled demand orders more in each currency the baseline orders in.
    for b in &e.baseline.order_value {
        let s = e
            .scenario
            .order_value
            .iter()
            .find(|m| m.currency == b.currency)
            .unwrap();
        assert!(s.amount > b.amount, "{}", b.currency);
    }
    let cmp = scenario::compare(&store, &[sc.id]).unwrap();
    assert_eq!(cmp.len(), 2);
    scenario::discard(&mut store, sc.id, "ann", now()).unwrap();
    assert_eq!(
        review::recommendations(&store, &GridFilter::default()).unwrap(),
        base
    );

    // Applying a second scenario changes the plan.
    let sc2 = scenario::create(&mut store, "Slow supplier", "ann", now()).unwrap();
    let sup = store
        .read()
        .suppliers()
        .unwrap()
        .into_iter()
        .find(|s| s.name.contains("Mugs"))
        .unwrap();
    scenario::set_changes(
        &mut store,
        sc2.id,
        vec![scenario::Change::LeadTime {
            supplier_id: sup.id,
            mean_days: 30.0,
            sd_days: 5.0,
        }],
        "ann",
        now(),
    )
    .unwrap();
    scenario::apply(&mut store, sc2.id, "ann", now()).unwrap();
    let after = review::recommendations(&store, &GridFilter::default()).unwrap();
    assert!(after.iter().all(|g| g.rec.lead_time_days == 30.0));
    assert!(scenario::discard(&mut store, sc2.id, "ann", now()).is_err());
}

#[test]
fn replanning_the_same_day_is_idempotent_and_stores_alerts() {
    let mut store = merchant();
    let req = PlanRequest {
        today: None,
        now: now(),
    };
    let first = run_plan(&mut store, &req).unwrap();
    let grid1 = review::recommendations(&store, &GridFilter::default()).unwrap();
    let second = run_plan(&mut store, &req).unwrap();
    let grid2 = review::recommendations(&store, &GridFilter::default()).unwrap();
    assert_ne!(first.run_id, second.run_id);
    // The weekly safety-stock guardrail compares with the last plan of an earlier day, so a
    // second run on the same day gives the same numbers.
    let qty = |g: &[review::GridRow]| {
        g.iter()
            .map(|r| (r.rec.recommended_qty, r.rec.safety_stock.to_bits()))
            .collect::<Vec<_>>()
    };
    assert_eq!(qty(&grid1), qty(&grid2));
    // Each plan run stores its alerts run, and the read API returns the latest.
    let list = forestock_plan::alerts::latest(&store).unwrap().unwrap();
    assert_eq!(list.run_id, second.alerts_run_id);
    assert_eq!(list.plan_run_id, Some(second.run_id));
    assert_eq!(list.alerts.len(), second.alerts.kept);
    let (run, stats) = forestock_plan::alerts::refresh(&mut store, now()).unwrap();
    assert!(run > second.alerts_run_id);
    assert_eq!(stats, second.alerts);
}

#[test]
fn an_exported_po_past_its_date_is_an_overdue_alert() {
    let mut store = merchant();
    let req = PlanRequest {
        today: None,
        now: now(),
    };
    run_plan(&mut store, &req).unwrap();
    let blue_wh = key(&store, "MUG-BLUE", "WH");
    review::override_qty(&mut store, blue_wh, 48, "rush", "ann", now()).unwrap();
    review::decide(&mut store, &[blue_wh], true, "", "ann", now()).unwrap();
    let id = po::draft_from_plan(&mut store, "ann", now()).unwrap()[0].id;
    po::set_status(&mut store, id, po::PoStatus::Approved, "", "ann", now()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let order = po::export_csv(&mut store, id, &dir.path().join("po.csv"), "ann", now()).unwrap();
    // Ten-day lead time: three weeks later it is overdue.
    let later = PlanRequest {
        today: Some(d("2025-07-21")),
        now: now() + chrono::Duration::days(21),
    };
    run_plan(&mut store, &later).unwrap();
    let list = forestock_plan::alerts::latest(&store).unwrap().unwrap();
    let a = list
        .alerts
        .iter()
        .find(|a| a.alert.po_id == Some(id))
        .expect("overdue alert");
    assert_eq!(a.alert.kind, forestock_plan::alerts::AlertKind::PoOverdue);
    assert!(a.alert.title.contains(&order.number), "{}", a.alert.title);
    assert!(a.alert.title.contains("days late"), "{}", a.alert.title);
    assert!(
        a.alert.evidence.contains("48 units"),
        "{}",
        a.alert.evidence
    );
    // Received in full: the alert is gone after a refresh.
    po::receive(&mut store, id, &[(blue_wh.variant_id, 48)], "ann", now()).unwrap();
    forestock_plan::alerts::refresh(&mut store, now()).unwrap();
    let list = forestock_plan::alerts::latest(&store).unwrap().unwrap();
    assert!(list.alerts.iter().all(|a| a.alert.po_id != Some(id)));
}

#[test]
fn one_supplier_file_holds_several_pos_under_one_header_and_html_is_escaped() {
    let mut store = merchant();
    let req = PlanRequest {
        today: None,
        now: now(),
    };
    run_plan(&mut store, &req).unwrap();
    let keys = [
        key(&store, "MUG-BLUE", "WH"),
        key(&store, "MUG-BLUE", "SHOP"),
    ];
    for k in keys {
        review::override_qty(&mut store, k, 24, "<b>rush</b>", "ann", now()).unwrap();
    }
    review::decide(&mut store, &keys, true, "", "ann", now()).unwrap();
    let pos = po::draft_from_plan(&mut store, "ann", now()).unwrap();
    assert_eq!(pos.len(), 2, "one PO per supplier × location");
    let ids: Vec<i64> = pos.iter().map(|p| p.id).collect();
    for &id in &ids {
        po::set_status(&mut store, id, po::PoStatus::Approved, "", "ann", now()).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("supplier.csv");
    let done = po::export_csv_many(&mut store, &ids, &path, "ann", now()).unwrap();
    assert!(done.iter().all(|p| p.status == "exported"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches("po_number,").count(), 1, "{text}");
    for p in &pos {
        assert!(text.contains(&format!("\r\n{},", p.number)), "{text}");
    }
    // Nothing to export: refused, nothing written.
    let none = dir.path().join("none.csv");
    assert!(po::export_csv_many(&mut store, &[], &none, "ann", now()).is_err());
    assert!(!none.exists());
    let html = po::html_text(&done[0], "Test <shop>");
    assert!(html.contains("Test &lt;shop&gt;"));
    assert!(html.contains("&lt;b&gt;rush&lt;/b&gt;"));
    assert!(!html.contains("<b>rush"));
    assert!(html.contains(&format!("{:.2}", done[0].total)));
}

#[test]
fn the_po_csv_layout_comes_from_settings_and_a_bad_layout_changes_nothing() {
    use forestock_plan::settings::{load_settings, save_settings};
    let mut store = merchant();
    let req = PlanRequest {
        today: None,
        now: now(),
    };
    run_plan(&mut store, &req).unwrap();
    let blue_wh = key(&store, "MUG-BLUE", "WH");
    review::override_qty(&mut store, blue_wh, 48, "=HYPERLINK(x)", "ann", now()).unwrap();
    review::decide(&mut store, &[blue_wh], true, "", "ann", now()).unwrap();
    let id = po::draft_from_plan(&mut store, "ann", now()).unwrap()[0].id;
    po::set_status(&mut store, id, po::PoStatus::Approved, "", "ann", now()).unwrap();

    // A layout the supplier's import wants: its own headers, order and delimiter.
    let mut settings = load_settings(&store.read()).unwrap();
    settings.po_csv_columns =
        "supplier_sku=Item No,sku=Our SKU,quantity=Qty,unit_cost=Price,notes=Remark".into();
    settings.po_csv_delimiter = ";".into();
    save_settings(&mut store, &settings, "ann", now()).unwrap();

    // A bad layout is refused with the column named; the saved one stays.
    let mut bad = settings.clone();
    bad.po_csv_columns = "sku,qty".into();
    let e = save_settings(&mut store, &bad, "ann", now()).unwrap_err();
    assert!(e.to_string().contains("unknown column \"qty\""), "{e}");
    assert_eq!(load_settings(&store.read()).unwrap(), settings);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("po.csv");
    po::export_csv(&mut store, id, &path, "ann", now()).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a UTF-8 BOM");
    insta::assert_snapshot!(text);
}

#[test]
fn draft_po_lines_are_edited_and_removed_with_a_reason_and_thresholds_hold_on_approve() {
    let mut store = merchant();
    run_plan(
        &mut store,
        &PlanRequest {
            today: None,
            now: now(),
        },
    )
    .unwrap();
    // The red mugs at the warehouse come by transfer; order a display case too, so the
    // warehouse PO has two lines.
    let red_wh = key(&store, "MUG-RED", "WH");
    review::override_qty(&mut store, red_wh, 12, "display stock", "ann", now()).unwrap();
    let to_order: Vec<LineKey> = review::recommendations(
        &store,
        &GridFilter {
            to_order_only: true,
            ..GridFilter::default()
        },
    )
    .unwrap()
    .iter()
    .map(|g| LineKey {
        variant_id: g.rec.variant_id,
        location_id: g.rec.location_id,
    })
    .collect();
    review::decide(&mut store, &to_order, true, "", "ann", now()).unwrap();
    let pos = po::draft_from_plan(&mut store, "ann", now()).unwrap();
    let order = pos.iter().max_by_key(|p| p.lines.len()).unwrap().clone();
    assert_eq!(order.lines.len(), 2, "{pos:?}");
    let (first, second) = (order.lines[0].clone(), order.lines[1].clone());
    let id = order.id;
    let po_log = |store: &Store, action: &str| {
        store
            .read()
            .audit_entries(&AuditFilter {
                action: Some(action.into()),
                ..AuditFilter::default()
            })
            .unwrap()
    };

    // Refused, and nothing changes: no reason, broken cases, below the MOQ, zero, unknown line.
    let set = |store: &mut Store, variant: i64, qty: i64, reason: &str| {
        po::set_line_quantity(store, id, variant, qty, reason, "ann", now())
    };
    let msg = |r: forestock_plan::Result<po::PurchaseOrder>| r.unwrap_err().to_string();
    assert!(msg(set(&mut store, first.variant_id, 60, " ")).contains("reason"));
    assert!(msg(set(&mut store, first.variant_id, 31, "x")).contains("cases of 6"));
    assert!(msg(set(&mut store, first.variant_id, 6, "x")).contains("MOQ 12"));
    assert!(msg(set(&mut store, first.variant_id, 0, "x")).contains("remove the line"));
    let e = set(&mut store, 999_999, 12, "x").unwrap_err();
    assert!(matches!(e, forestock_plan::Error::NotFound { .. }), "{e}");
    assert_eq!(po::get(&store, id).unwrap(), order);
    assert!(po_log(&store, "po.line_edit").is_empty());

    // A small edit within the thresholds: approved without a reason later.
    let within = first.quantity + 6;
    let edited = set(&mut store, first.variant_id, within, "round up to a pallet").unwrap();
    assert_eq!(edited.lines[0].quantity, within);
    assert_eq!(edited.status, "draft");
    let log = po_log(&store, "po.line_edit");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].reason, "round up to a pallet");
    assert_eq!(log[0].before.as_ref().unwrap()["quantity"], first.quantity);
    assert_eq!(log[0].after.as_ref().unwrap()["quantity"], within);

    // Removing a line puts its plan line back in review.
    let removed = po::remove_line(
        &mut store,
        id,
        second.variant_id,
        "supplier out of stock",
        "ann",
        now(),
    )
    .unwrap();
    assert_eq!(removed.lines.len(), 1);
    let back = review::line(
        &store,
        LineKey {
            variant_id: second.variant_id,
            location_id: order.location_id,
        },
    )
    .unwrap();
    assert_eq!(back.status, review::LineStatus::Proposed);
    let log = po_log(&store, "po.line_remove");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].after.as_ref().unwrap()["plan_line"], "proposed");
    assert!(po::approval_reasons(&store, &removed).unwrap().is_empty());

    // An edit far past the plan (more than the 50% change threshold) needs a reason to approve.
    let far = (first.quantity * 4).max(120);
    set(&mut store, first.variant_id, far, "customer pre-order").unwrap();
    let e = po::set_status(&mut store, id, po::PoStatus::Approved, "", "ann", now()).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("needs explicit approval"), "{text}");
    assert!(
        text.contains(&first.sku) && text.contains("limit 50%"),
        "{text}"
    );
    assert_eq!(po::get(&store, id).unwrap().status, "draft");
    let approved = po::set_status(
        &mut store,
        id,
        po::PoStatus::Approved,
        "pre-order confirmed",
        "ann",
        now(),
    )
    .unwrap();
    assert_eq!(approved.status, "approved");
    let status = po_log(&store, "po.status");
    assert!(status[0].after.as_ref().unwrap()["above_thresholds"][0]
        .as_str()
        .unwrap()
        .contains("limit 50%"));
    // Approved orders are no longer editable.
    assert!(msg(set(&mut store, first.variant_id, 12, "x")).contains("only draft"));
    let e = po::remove_line(&mut store, id, first.variant_id, "x", "ann", now()).unwrap_err();
    assert!(e.to_string().contains("only draft"), "{e}");

    // Removing the last line of another draft leaves a PO that cannot be approved.
    let other = pos.iter().find(|p| p.id != id).unwrap();
    for l in &other.lines {
        po::remove_line(
            &mut store,
            other.id,
            l.variant_id,
            "not needed",
            "ann",
            now(),
        )
        .unwrap();
    }
    let e = po::set_status(
        &mut store,
        other.id,
        po::PoStatus::Approved,
        "",
        "ann",
        now(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("no lines"), "{e}");
}

#[test]
fn an_unknown_po_status_in_the_database_is_refused_naming_it() {
    let mut store = merchant();
    let req = PlanRequest {
        today: None,
        now: now(),
    };
    run_plan(&mut store, &req).unwrap();
    let blue_wh = key(&store, "MUG-BLUE", "WH");
    review::override_qty(&mut store, blue_wh, 48, "rush", "ann", now()).unwrap();
    review::decide(&mut store, &[blue_wh], true, "", "ann", now()).unwrap();
    let id = po::draft_from_plan(&mut store, "ann", now()).unwrap()[0].id;
    // Cancelled is final: approving it again is refused and changes nothing.
    po::set_status(&mut store, id, po::PoStatus::Cancelled, "no", "ann", now()).unwrap();
    let e = po::set_status(&mut store, id, po::PoStatus::Approved, "", "ann", now()).unwrap_err();
    assert!(
        e.to_string()
            .contains("cannot go from cancelled to approved"),
        "{e}"
    );
    assert_eq!(po::get(&store, id).unwrap().status, po::PoStatus::Cancelled);
    // A state written by something else (a newer version, a hand edit past the CHECK) is
    // not silently read as another one.
    let w = store.write().unwrap();
    w.tx()
        .execute_batch("PRAGMA ignore_check_constraints = ON")
        .unwrap();
    w.tx()
        .execute(
            "UPDATE purchase_orders SET status = 'shipped' WHERE id = ?1",
            [id],
        )
        .unwrap();
    w.commit().unwrap();
    let e = po::get(&store, id).unwrap_err().to_string();
    assert!(
        e.contains("unknown purchase order status \"shipped\"") && e.contains("partially_received"),
        "{e}"
    );
    assert!(po::list(&store).is_err());
}

#[test]
fn per_sku_case_pack_moq_and_lead_time_win_over_the_suppliers() {
    let mut store = merchant();
    let blue = store.read().sku_by_code("MUG-BLUE").unwrap().id;
    let link = store
        .read()
        .supplier_skus()
        .unwrap()
        .into_iter()
        .find(|l| l.variant_id == blue)
        .unwrap();
    let w = store.write().unwrap();
    w.link_supplier_sku(&SupplierSku {
        moq: Some(50),
        case_pack: Some(25),
        lead_time_days: Some(33.0),
        ..link
    })
    .unwrap();
    w.commit().unwrap();
    run_plan(
        &mut store,
        &PlanRequest {
            today: None,
            now: now(),
        },
    )
    .unwrap();
    let grid = review::recommendations(&store, &GridFilter::default()).unwrap();
    for g in &grid {
        if g.rec.sku == "MUG-BLUE" {
            assert_eq!(g.rec.lead_time_days, 33.0, "{g:?}");
            assert!(g.rec.recommended_qty > 0);
            assert_eq!(g.rec.recommended_qty % 25, 0, "{g:?}");
            assert!(g.rec.recommended_qty >= 50);
        } else {
            // The red mug keeps the supplier's terms.
            assert_ne!(g.rec.lead_time_days, 33.0);
        }
    }
}

#[test]
fn a_line_with_demand_and_no_supplier_is_flagged_counted_and_alerted() {
    let mut store = merchant();
    let blue = store.read().sku_by_code("MUG-BLUE").unwrap().id;
    let w = store.write().unwrap();
    w.tx()
        .execute("DELETE FROM supplier_skus WHERE variant_id = ?1", [blue])
        .unwrap();
    w.commit().unwrap();
    let s = run_plan(
        &mut store,
        &PlanRequest {
            today: None,
            now: now(),
        },
    )
    .unwrap();
    // Blue is low at both locations: both lines need a supplier.
    assert_eq!(s.needs_supplier, 2);
    let grid = review::recommendations(&store, &GridFilter::default()).unwrap();
    for g in grid.iter().filter(|g| g.rec.sku == "MUG-BLUE") {
        assert_eq!(g.rec.recommended_qty, 0);
        assert!(g.rec.unsupplied_need() > 0);
        assert!(g.flags.contains(&review::LineFlag::NeedsSupplier), "{g:?}");
    }
    for g in grid.iter().filter(|g| g.rec.sku == "MUG-RED") {
        assert!(!g.flags.contains(&review::LineFlag::NeedsSupplier));
    }
    let list = forestock_plan::alerts::latest(&store).unwrap().unwrap();
    let a = list
        .alerts
        .iter()
        .find(|a| a.alert.kind == forestock_plan::alerts::AlertKind::NeedsSupplier)
        .expect("a needs-a-supplier alert");
    assert!(
        a.alert.title.starts_with("2 SKU×locations need a supplier"),
        "{}",
        a.alert.title
    );
    assert!(a.alert.evidence.contains("MUG-BLUE"));
}

#[path = "plan_week/mod.rs"]
mod week;
