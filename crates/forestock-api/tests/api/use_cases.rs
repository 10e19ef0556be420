//! The use cases end to end on a small demo merchant, as either front door runs them.

use forestock_api::chart::ChartFormat;
use forestock_api::po::{CsvOptions, ExportWhich, Receipt};
use forestock_api::review::LineKey;
use forestock_api::{audit, chart, exceptions, plan, po, review, scenario, views, AuditStamp};
use forestock_core::{AuditFilter, FrontDoor, OutputFile, Store};
use forestock_plan::po::PoStatus;
use forestock_plan::scenario::{Change, Scope};

/// A demo merchant with a plan, in a temporary folder (exports need a real file).
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
    plan::plan(&mut store, stamp, None, &|_| {}).unwrap();
    (dir, store)
}

fn lines_to_order(store: &Store) -> Vec<LineKey> {
    forestock_plan::review::recommendations(store, &Default::default())
        .unwrap()
        .into_iter()
        .filter(|g| g.rec.recommended_qty > 0)
        .map(|g| LineKey {
            variant_id: g.rec.variant_id,
            location_id: g.rec.location_id,
        })
        .collect()
}

/// Approve what the thresholds allow, draft POs, and return the drafts.
fn drafted(store: &mut Store, stamp: &AuditStamp) -> Vec<forestock_plan::po::PurchaseOrder> {
    review::approve_within_thresholds(store, stamp).unwrap();
    let pos = po::draft(store, stamp).unwrap();
    assert!(!pos.is_empty(), "the demo plan drafts at least one PO");
    pos
}

/// Issue 11: the audit log mixed local time and UTC and named the actor three ways. Every
/// audited use case, from either door, writes its entries with the one stamp it was given:
/// its UTC time and its actor, never a clock or a name of its own.
#[test]
fn every_audited_use_case_stamps_its_entries_with_the_given_utc_stamp() {
    let before = chrono::Utc::now().naive_utc();
    let stamp = AuditStamp::now(FrontDoor::Cli);
    let after = chrono::Utc::now().naive_utc();
    assert!(
        before <= stamp.at && stamp.at <= after,
        "{} is not UTC",
        stamp.at
    );
    let (dir, mut store) = planned(&stamp);
    let s = &stamp;

    // Review: override, undo, reject, lock, unlock, settings.
    let keys = lines_to_order(&store);
    assert!(keys.len() >= 3, "{keys:?}");
    review::override_line(&mut store, s, keys[0], 0, "not this season").unwrap();
    review::undo(&mut store, s, 1).unwrap();
    review::decide(&mut store, s, &[keys[1]], false, "discontinued").unwrap();
    review::lock(&mut store, s, keys[2].variant_id, None, "launch stock").unwrap();
    review::unlock(&mut store, s, keys[2].variant_id, None).unwrap();
    let settings = forestock_plan::settings::load_settings(&store.read()).unwrap();
    let settings = settings
        .with_changes(&[("service_level_b", "0.9")])
        .unwrap();
    review::save_settings(&mut store, s, &settings).unwrap();

    // Scenarios: create with a change, apply; create and discard.
    let lift = Change::DemandMultiplier {
        scope: Scope::default(),
        factor: 1.2,
    };
    let sc = scenario::create(&mut store, s, "busy winter", vec![lift]).unwrap();
    scenario::apply(&mut store, s, sc.id).unwrap();
    let sc = scenario::create(&mut store, s, "quiet winter", Vec::new()).unwrap();
    scenario::discard(&mut store, s, sc.id).unwrap();

    // Purchase orders: draft, edit, approve, export, receive, cancel.
    let pos = drafted(&mut store, s);
    let first = &pos[0];
    let line = &first.lines[0];
    po::edit_line(
        &mut store,
        s,
        first.id,
        line.variant_id,
        Some(line.quantity * 2),
        "promo",
    )
    .unwrap();
    if let Some(other) = first.lines.get(1) {
        po::edit_line(
            &mut store,
            s,
            first.id,
            other.variant_id,
            None,
            "overstocked",
        )
        .unwrap();
    }
    po::set_status(
        &mut store,
        s,
        first.id,
        PoStatus::Approved,
        "checked with buyer",
    )
    .unwrap();
    let out = OutputFile::new(dir.path().join("po.csv"), false);
    po::export_csv(
        &mut store,
        s,
        &ExportWhich::Po(first.id),
        &out,
        &CsvOptions::default(),
    )
    .unwrap();
    po::receive(&mut store, s, first.id, &Receipt::Everything, None).unwrap();
    // Exceptions: dismiss the first alert with a reason.
    let alerts = exceptions::list(&store, s, &Default::default()).unwrap();
    let first_alert = alerts
        .exceptions
        .first()
        .expect("the demo plan raises alerts");
    exceptions::dismiss(&mut store, s, first_alert.alert.id, "known").unwrap();
    if let Some(second) = pos.get(1) {
        po::set_status(
            &mut store,
            s,
            second.id,
            PoStatus::Cancelled,
            "supplier closed",
        )
        .unwrap();
    }

    // Exports: a chart and the audit log.
    let row = views::planner(&store)
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.forecast_30d.unwrap_or(0.0) > 0.0)
        .unwrap();
    let saved = chart::export(
        &mut store,
        s,
        row.variant_id,
        row.location_id,
        chart::Granularity::Daily,
        ChartFormat::Svg,
        |c, _| Ok::<_, forestock_api::Error>(c.title.clone().into_bytes()),
        |name| Ok(Some(dir.path().join(name))),
    )
    .unwrap();
    assert!(saved.is_some_and(|(p, _)| p.exists()));
    let out = OutputFile::new(dir.path().join("audit.csv"), false);
    audit::export_csv(&mut store, s, Default::default(), &out).unwrap();

    let entries = store.read().audit_entries(&AuditFilter::default()).unwrap();
    let mut actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    actions.sort_unstable();
    actions.dedup();
    for want in [
        "plan.override",
        "plan.undo",
        "plan.reject",
        "plan.approve",
        "plan.lock",
        "plan.unlock",
        "settings.update",
        "po.draft",
        "po.line_edit",
        "po.status",
        "po.export",
        "po.receive",
        "alert.dismiss",
        "scenario.create",
        "scenario.edit",
        "scenario.apply",
        "scenario.discard",
        "chart.export",
        "audit.export",
    ] {
        assert!(actions.contains(&want), "{want} not audited: {actions:?}");
    }
    for e in &entries {
        assert_eq!(
            e.at, stamp.at,
            "{} stamped {}, not the UTC stamp",
            e.action, e.at
        );
        assert_eq!(e.actor, stamp.actor, "{} by {}", e.action, e.actor);
    }
}

/// The app's "Mark received" moved a PO to `received` without recording what arrived (the
/// CLI's `po receive --all` did): marking a PO received now receives every open line.
#[test]
fn marking_a_po_received_records_every_open_line_as_received() {
    let stamp = AuditStamp::at(FrontDoor::App, Some("ann"), chrono::Utc::now().naive_utc());
    let (dir, mut store) = planned(&stamp);
    let first = drafted(&mut store, &stamp).remove(0);
    po::set_status(&mut store, &stamp, first.id, PoStatus::Approved, "ok").unwrap();
    let out = OutputFile::new(dir.path().join("po.csv"), false);
    po::export_csv(
        &mut store,
        &stamp,
        &ExportWhich::Po(first.id),
        &out,
        &CsvOptions::default(),
    )
    .unwrap();
    let got = po::set_status(&mut store, &stamp, first.id, PoStatus::Received, "").unwrap();
    assert_eq!(got.status, PoStatus::Received);
    assert!(!got.lines.is_empty());
    for l in &got.lines {
        assert_eq!(l.received_qty, l.quantity, "{}", l.sku);
    }
}

/// One list of POs costs the same few statements whatever its length, and each draft says
/// what approving it needs, as a PO read alone does.
#[test]
fn the_po_list_checks_each_draft_like_a_single_read() {
    let stamp = AuditStamp::at(FrontDoor::Cli, None, chrono::Utc::now().naive_utc());
    let (_dir, mut store) = planned(&stamp);
    let pos = drafted(&mut store, &stamp);
    let first = &pos[0];
    let line = &first.lines[0];
    po::edit_line(
        &mut store,
        &stamp,
        first.id,
        line.variant_id,
        Some(line.quantity * 10),
        "big",
    )
    .unwrap();
    let listed = po::list(&store).unwrap();
    assert_eq!(listed.len(), pos.len());
    for c in &listed {
        let alone = forestock_plan::po::get(&store, c.po.id).unwrap();
        assert_eq!(c.po, alone);
        let reasons = forestock_plan::po::approval_reasons(&store, &alone).unwrap();
        assert_eq!(c.above_thresholds, reasons, "{}", c.po.number);
    }
}

/// Issue 15: a scenario holds several changes at once, and two of them compare side by side
/// with the baseline: order value and units per currency and per supplier, stockout risk,
/// service level. Comparing writes nothing.
#[test]
fn two_scenarios_with_several_changes_each_compare_side_by_side_per_supplier() {
    let stamp = AuditStamp::at(FrontDoor::Cli, None, chrono::Utc::now().naive_utc());
    let (_dir, mut store) = planned(&stamp);
    let suppliers = store.read().suppliers().unwrap();
    let first = suppliers[0].id;
    let sku = forestock_plan::review::recommendations(&store, &Default::default())
        .unwrap()
        .into_iter()
        .find(|g| {
            g.rec.recommended_qty > 0 && g.rec.supplier_id.is_some_and(|s| s != suppliers[1].id)
        })
        .unwrap()
        .rec
        .sku;
    let busy = scenario::create(
        &mut store,
        &stamp,
        "Busy season",
        vec![
            Change::DemandMultiplier {
                scope: Scope::default(),
                factor: 1.3,
            },
            Change::ServiceLevel {
                scope: Scope::default(),
                level: 0.99,
            },
            Change::LeadTime {
                supplier_id: first,
                mean_days: 40.0,
                sd_days: 6.0,
            },
            Change::SupplierSwitch {
                sku: sku.clone(),
                supplier_id: suppliers[1].id,
            },
        ],
    )
    .unwrap();
    assert_eq!(busy.changes.len(), 4);
    let quiet = scenario::create(
        &mut store,
        &stamp,
        "Quiet season",
        vec![
            Change::DemandMultiplier {
                scope: Scope::default(),
                factor: 0.7,
            },
            Change::ServiceLevel {
                scope: Scope::default(),
                level: 0.9,
            },
        ],
    )
    .unwrap();
    let audits = store
        .read()
        .audit_entries(&AuditFilter::default())
        .unwrap()
        .len();
    let cmp = scenario::compare(&store, &[busy.id, quiet.id]).unwrap();
    assert_eq!(
        store
            .read()
            .audit_entries(&AuditFilter::default())
            .unwrap()
            .len(),
        audits,
        "comparing writes nothing"
    );
    let names: Vec<&str> = cmp.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["baseline", "Busy season", "Quiet season"]);
    let (base, busy_c, quiet_c) = (&cmp.columns[0], &cmp.columns[1], &cmp.columns[2]);
    assert_eq!(base.scenario_id, None);
    assert_eq!((busy_c.scenario_id, busy_c.changes), (Some(busy.id), 4));
    assert!(busy_c.units > base.units && base.units > quiet_c.units);
    assert!(busy_c.target_service_level > base.target_service_level);
    assert!(quiet_c.target_service_level < base.target_service_level);
    // The plan library's totals agree, currency by currency.
    let totals = forestock_plan::scenario::compare(&store, &[busy.id, quiet.id]).unwrap();
    for (col, t) in cmp.columns.iter().zip(&totals) {
        assert_eq!(col.order_value.len(), t.order_value.len(), "{}", col.name);
        for (a, b) in col.order_value.iter().zip(&t.order_value) {
            assert_eq!(a.currency, b.currency);
            assert!((a.amount - b.amount).abs() < 1e-6, "{}", col.name);
        }
        assert_eq!(col.stockout_risk_lines, t.stockout_risk_lines as i64);
        // Per supplier, the orders add up to the column's, currency by currency.
        for m in &col.order_value {
            let by_supplier: f64 = col
                .suppliers
                .iter()
                .filter(|s| s.currency == m.currency)
                .map(|s| s.order_value)
                .sum();
            assert!((by_supplier - m.amount).abs() < 1e-6, "{}", col.name);
        }
        assert_eq!(
            col.suppliers.iter().map(|s| s.units).sum::<i64>(),
            col.units
        );
    }
    // The switched SKU now orders from the other supplier in the busy column.
    assert!(busy_c
        .suppliers
        .iter()
        .any(|s| s.supplier == suppliers[1].name));

    // Bad requests are refused naming the problem.
    let e = scenario::compare(&store, &[]).unwrap_err().to_string();
    assert!(e.contains("at least one"), "{e}");
    let e = scenario::compare(&store, &[busy.id, busy.id])
        .unwrap_err()
        .to_string();
    assert!(e.contains("named twice"), "{e}");
    assert!(scenario::compare(&store, &[busy.id, 9999]).is_err());
}

/// Excess stock is the plan's rule on hand: above order-up-to plus the settings' allowance of
/// days of forecast demand, whole units at the line's cost; its lines add up to the figure.
#[test]
fn the_excess_figure_follows_each_plan_lines_order_up_to_and_allowance() {
    use forestock_api::kpis::{self, Kpi};
    let stamp = AuditStamp::at(FrontDoor::Cli, None, chrono::Utc::now().naive_utc());
    let (_dir, store) = planned(&stamp);
    let k = kpis::report(&store).unwrap();
    assert!(k.plan_available);
    let settings = forestock_plan::settings::load_settings(&store.read()).unwrap();
    assert_eq!(k.excess_allowance_days, settings.excess_cover_days);
    let mut want = 0.0;
    for g in forestock_plan::review::recommendations(&store, &Default::default()).unwrap() {
        let r = g.rec;
        let units =
            (r.on_hand as f64 - r.order_up_to - settings.excess_cover_days * r.forecast_30d / 30.0)
                .max(0.0)
                .floor();
        want += units * r.unit_cost;
    }
    let got: f64 = k.excess_value.iter().map(|m| m.amount).sum();
    assert!((got - want).abs() < 1e-6, "{got} != {want}");
    let lines = kpis::lines(&store, Kpi::ExcessStock).unwrap();
    let sum: f64 = lines.lines.iter().map(|l| l.value).sum();
    assert!((sum - got).abs() < 1e-6);
    assert!(lines.lines.iter().all(|l| l.quantity > 0.0));
    // Every figure of a planned demo drills down to its lines without error.
    for kpi in Kpi::ALL {
        kpis::lines(&store, kpi).unwrap();
    }
}

/// The grid keeps its lines between windows; an override, an approval or an undo made after it
/// read them shows in the next window, and the counts follow the filter.
#[test]
fn the_planner_grid_shows_edits_made_after_it_kept_its_lines() {
    use forestock_api::grid::{planner_page, GridCache, PlannerItem, PlannerQuery};
    let stamp = AuditStamp::now(FrontDoor::Cli);
    let (_dir, mut store) = planned(&stamp);
    let cache = GridCache::default();
    let q = PlannerQuery {
        limit: 3,
        ..Default::default()
    };
    let row_of = |store: &Store, q: &PlannerQuery| {
        let page = planner_page(store, &cache, q).unwrap();
        match page.items.into_iter().next().unwrap() {
            PlannerItem::Row { row } => *row,
            PlannerItem::Group { .. } => panic!("no heading without grouping"),
        }
    };
    let first = row_of(
        &store,
        &PlannerQuery {
            only_to_order: true,
            ..q.clone()
        },
    );
    let key = LineKey {
        variant_id: first.variant_id,
        location_id: first.location_id,
    };
    let that = PlannerQuery {
        search: first.sku.clone(),
        location: first.location.clone(),
        ..q.clone()
    };
    review::override_line(&mut store, &stamp, key, 0, "trade show").unwrap();
    let edited = row_of(&store, &that);
    assert_eq!((edited.sku, edited.override_qty), (first.sku, Some(0)));
    assert_eq!(edited.override_reason.as_deref(), Some("trade show"));
    review::undo(&mut store, &stamp, 1).unwrap();
    assert_eq!(row_of(&store, &that).override_qty, None);

    let all = planner_page(&store, &cache, &q).unwrap();
    let to_order = planner_page(
        &store,
        &cache,
        &PlannerQuery {
            only_to_order: true,
            ..q.clone()
        },
    )
    .unwrap();
    assert_eq!(all.total, to_order.total);
    assert_eq!(all.matched, all.total);
    assert_eq!(
        to_order.matched,
        u32::try_from(lines_to_order(&store).len()).unwrap()
    );
    assert_eq!(all.totals.lines_to_order, to_order.matched);
}
