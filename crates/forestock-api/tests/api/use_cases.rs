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
