//! The planner's week: approve all within thresholds and undo it, overrides across a re-plan,
//! snoozed and dismissed alerts, transfers to CSV, dated partial receipts and learned lead
//! times.

use super::{d, key, merchant, now};
use chrono::NaiveDateTime;
use forestock_core::*;
use forestock_plan::alerts::Severity;
use forestock_plan::bulk::{self, Exclusion};
use forestock_plan::exceptions::{self, ExceptionFilter, MuteAction};
use forestock_plan::plan::{run_plan, PlanRequest, PlanSummary};
use forestock_plan::review::{self, GridFilter, LineStatus};
use forestock_plan::{lead_times, po, transfers};

fn plan(store: &mut Store) -> PlanSummary {
    run_plan(
        store,
        &PlanRequest {
            today: None,
            now: now(),
        },
    )
    .unwrap()
}

fn set_on_hand(store: &mut Store, sku: &str, loc: &str, on_hand: i64) {
    let k = key(store, sku, loc);
    let w = store.write().unwrap();
    w.put_snapshot(&InventorySnapshot {
        variant_id: k.variant_id,
        location_id: k.location_id,
        date: d("2025-06-29"),
        on_hand,
        committed: 0,
        incoming: 0,
    })
    .unwrap();
    w.commit().unwrap();
}

fn audit_actions(store: &Store, entity: &str) -> Vec<String> {
    store
        .read()
        .audit_entries(&AuditFilter {
            entity: Some(entity.into()),
            ..AuditFilter::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[test]
fn approve_all_within_thresholds_is_summarised_first_and_one_undo_takes_the_whole_action_back() {
    let mut store = merchant();
    plan(&mut store);
    // An override far from the recommendation needs its own approval: it is excluded.
    let blue_wh = key(&store, "MUG-BLUE", "WH");
    review::override_qty(&mut store, blue_wh, 600, "trade show", "ann", now()).unwrap();
    let grid = review::recommendations(&store, &GridFilter::default()).unwrap();
    let to_order: Vec<_> = grid.iter().filter(|g| g.final_qty > 0).collect();
    let preview = bulk::preview_within_thresholds(&store).unwrap();
    let excluded: usize = preview.excluded.iter().map(|e| e.lines).sum();
    assert_eq!(preview.lines + excluded, to_order.len(), "{preview:?}");
    assert!(preview
        .excluded
        .iter()
        .any(|e| e.reason == Exclusion::OverrideBeyondChangeLimit && e.lines == 1));
    assert!(preview.lines >= 1, "{preview:?}");
    // Value per currency: the supplier prices in EUR; the units and value match the lines.
    assert_eq!(preview.value.len(), 1);
    assert_eq!(preview.value[0].currency, "EUR");
    assert_eq!(preview.value[0].lines, preview.lines);
    // The preview changes nothing.
    assert_eq!(
        review::recommendations(&store, &GridFilter::default()).unwrap(),
        grid
    );

    let done = bulk::approve_within_thresholds(&mut store, "ann", now()).unwrap();
    assert_eq!(done.lines, preview.lines);
    let approved = |s: &Store| {
        review::recommendations(s, &GridFilter::default())
            .unwrap()
            .iter()
            .filter(|g| g.status == LineStatus::Approved)
            .count()
    };
    assert_eq!(approved(&store), preview.lines);
    let last = review::last_action(&store).unwrap().unwrap();
    assert_eq!(last.lines, preview.lines);

    // One undo takes back the whole approve-all, not one line of it; the override stays.
    assert_eq!(
        review::undo(&mut store, 1, "ann", now()).unwrap(),
        preview.lines
    );
    assert_eq!(approved(&store), 0);
    assert_eq!(review::line(&store, blue_wh).unwrap().final_qty, 600);
    // The next undo takes back the override.
    assert_eq!(review::undo(&mut store, 1, "ann", now()).unwrap(), 1);
    assert_eq!(review::line(&store, blue_wh).unwrap().override_qty, None);
}

#[test]
fn an_override_and_its_reason_survive_a_replan_unless_the_line_changed_materially() {
    let mut store = merchant();
    plan(&mut store);
    let blue_wh = key(&store, "MUG-BLUE", "WH");
    let suggested = review::line(&store, blue_wh).unwrap().rec.recommended_qty;
    let qty = suggested + 12;
    review::override_qty(&mut store, blue_wh, qty, "trade show", "ann", now()).unwrap();

    // Same inputs: the override and its reason are kept.
    let s = plan(&mut store);
    assert_eq!((s.overrides_kept, s.overrides_dropped), (1, 0));
    let row = review::line(&store, blue_wh).unwrap();
    assert_eq!(row.override_qty, Some(qty));
    assert_eq!(row.override_reason.as_deref(), Some("trade show"));

    // On hand 5 units away from what was expected: not material, still kept.
    set_on_hand(&mut store, "MUG-BLUE", "WH", 15);
    let s = plan(&mut store);
    assert_eq!((s.overrides_kept, s.overrides_dropped), (1, 0));

    // 40 units more on hand than expected (a receipt): material, the override is dropped and
    // the line says why.
    set_on_hand(&mut store, "MUG-BLUE", "WH", 50);
    let s = plan(&mut store);
    assert_eq!((s.overrides_kept, s.overrides_dropped), (0, 1));
    let row = review::line(&store, blue_wh).unwrap();
    assert_eq!(row.override_qty, None);
    let why = row.rec.rationale.last().unwrap();
    assert!(
        why.contains("trade show") && why.contains("was dropped") && why.contains("on hand"),
        "{why}"
    );
}

#[test]
fn a_dismissed_alert_stays_hidden_until_its_line_changes_materially_and_a_snooze_ends_on_its_date()
{
    let mut store = merchant();
    plan(&mut store);
    let today = d("2025-06-30");
    let all = |s: &Store, day| {
        exceptions::exceptions(s, &ExceptionFilter::default(), day)
            .unwrap()
            .unwrap()
    };
    let list = all(&store, today);
    let on_line: Vec<_> = list
        .exceptions
        .iter()
        .filter(|e| e.alert.alert.variant_id.is_some() && e.alert.alert.location_id.is_some())
        .collect();
    assert!(!on_line.is_empty(), "{:#?}", list.exceptions);
    let first = on_line[0].alert.clone();
    // The filters narrow the list; the supplier and category come from the plan line.
    assert_eq!(on_line[0].category.as_deref(), Some("Kitchen"));
    let by_kind = exceptions::exceptions(
        &store,
        &ExceptionFilter {
            kind: Some(first.alert.kind),
            location: first.alert.location.clone(),
            ..ExceptionFilter::default()
        },
        today,
    )
    .unwrap()
    .unwrap();
    assert!(by_kind
        .exceptions
        .iter()
        .all(|e| e.alert.alert.kind == first.alert.kind
            && e.alert.alert.location == first.alert.location));

    // A reason is required; a dismissal has no date; nothing is written on refusal.
    let at: NaiveDateTime = now();
    assert!(exceptions::mute(
        &mut store,
        first.id,
        MuteAction::Dismiss,
        None,
        " ",
        today,
        "ann",
        at
    )
    .is_err());
    assert!(exceptions::mute(
        &mut store,
        first.id,
        MuteAction::Snooze,
        Some(today),
        "later",
        today,
        "ann",
        at
    )
    .is_err());
    assert!(audit_actions(&store, "alert").is_empty());

    exceptions::mute(
        &mut store,
        first.id,
        MuteAction::Dismiss,
        None,
        "known: supplier called",
        today,
        "ann",
        at,
    )
    .unwrap();
    let list = all(&store, today);
    assert_eq!(list.hidden, 1);
    assert!(list.exceptions.iter().all(|e| e.alert.id != first.id));
    let shown = exceptions::exceptions(
        &store,
        &ExceptionFilter {
            include_muted: true,
            ..ExceptionFilter::default()
        },
        today,
    )
    .unwrap()
    .unwrap();
    let muted = shown
        .exceptions
        .iter()
        .find(|e| e.alert.id == first.id)
        .unwrap();
    assert_eq!(
        muted.muted.as_ref().unwrap().reason,
        "known: supplier called"
    );
    assert_eq!(audit_actions(&store, "alert"), vec!["alert.dismiss"]);

    // A re-plan on the same inputs rebuilds the alerts: still hidden.
    plan(&mut store);
    assert_eq!(all(&store, today).hidden, 1);

    // A snooze hides an alert until its date, then it is back.
    let list = all(&store, today);
    if let Some(other) = list.exceptions.first() {
        let until = today + chrono::Days::new(3);
        exceptions::mute(
            &mut store,
            other.alert.id,
            MuteAction::Snooze,
            Some(until),
            "waiting for the count",
            today,
            "ann",
            at,
        )
        .unwrap();
        assert_eq!(all(&store, today).hidden, 2);
        assert_eq!(all(&store, until - chrono::Days::new(1)).hidden, 2);
        assert_eq!(all(&store, until).hidden, 1);
    }

    // The dismissed line's on hand moves materially: the alert (still raised) is back.
    let (sku, loc) = (
        first.alert.sku.clone().unwrap(),
        first.alert.location.clone().unwrap(),
    );
    let k = key(&store, &sku, &loc);
    let oh = review::line(&store, k).unwrap().rec.on_hand;
    set_on_hand(&mut store, &sku, &loc, oh + 11);
    plan(&mut store);
    let list = all(&store, today);
    let back = list
        .exceptions
        .iter()
        .find(|e| e.alert.alert.kind == first.alert.kind && e.alert.alert.sku == first.alert.sku);
    assert!(back.is_some(), "{:#?}", list.exceptions);
    assert!(first.alert.severity <= Severity::Low);
}

/// Issue 15: a snoozed or dismissed alert can be brought back; each is audited with the mute
/// it lifts, and an alert that is not muted is refused.
#[test]
fn a_snoozed_or_dismissed_alert_is_brought_back_and_audited() {
    let mut store = merchant();
    plan(&mut store);
    let today = d("2025-06-30");
    let at: NaiveDateTime = now();
    let all = |s: &Store| {
        exceptions::exceptions(s, &ExceptionFilter::default(), today)
            .unwrap()
            .unwrap()
    };
    let list = all(&store);
    assert!(list.exceptions.len() >= 2, "{:#?}", list.exceptions);
    let (a, b) = (list.exceptions[0].alert.id, list.exceptions[1].alert.id);
    let e = exceptions::unmute(&mut store, a, today, "ann", at).unwrap_err();
    assert!(
        e.to_string().contains("neither snoozed nor dismissed"),
        "{e}"
    );
    exceptions::mute(
        &mut store,
        a,
        MuteAction::Dismiss,
        None,
        "known",
        today,
        "ann",
        at,
    )
    .unwrap();
    let until = today + chrono::Days::new(5);
    exceptions::mute(
        &mut store,
        b,
        MuteAction::Snooze,
        Some(until),
        "later",
        today,
        "ann",
        at,
    )
    .unwrap();
    assert_eq!(all(&store).hidden, 2);

    let m = exceptions::unmute(&mut store, a, today, "bob", at).unwrap();
    assert_eq!(
        (m.action, m.reason.as_str()),
        (MuteAction::Dismiss, "known")
    );
    let list = all(&store);
    assert_eq!(list.hidden, 1);
    assert!(list
        .exceptions
        .iter()
        .any(|e| e.alert.id == a && e.muted.is_none()));
    let m = exceptions::unmute(&mut store, b, today, "bob", at).unwrap();
    assert_eq!((m.action, m.until), (MuteAction::Snooze, Some(until)));
    assert_eq!(all(&store).hidden, 0);
    // It stays back after a re-plan on the same inputs.
    plan(&mut store);
    assert_eq!(all(&store).hidden, 0);
    assert_eq!(
        audit_actions(&store, "alert"),
        [
            "alert.unsnooze",
            "alert.undismiss",
            "alert.snooze",
            "alert.dismiss"
        ]
    );
    let log = store
        .read()
        .audit_entries(&AuditFilter {
            entity: Some("alert".into()),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(log[1].actor, "bob");
    assert_eq!(log[1].before.as_ref().unwrap()["reason"], "known");
    assert_eq!(log[1].after, None);
    // The re-plan rebuilt the alerts (new ids): none of them is muted.
    let a = all(&store).exceptions[0].alert.id;
    let e = exceptions::unmute(&mut store, a, today, "bob", at).unwrap_err();
    assert!(
        e.to_string().contains("neither snoozed nor dismissed"),
        "{e}"
    );
}

#[test]
fn an_approved_transfer_is_exported_as_a_csv_for_its_pair_of_locations_and_marked_exported() {
    let mut store = merchant();
    plan(&mut store);
    let list = transfers::list(&store).unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    let t = list[0].clone();
    assert_eq!(
        (t.from_location.as_str(), t.to_location.as_str()),
        ("SHOP", "WH")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(transfers::file_name("SHOP", "WH"));
    let out = OutputFile::new(&path, false);
    // Nothing approved yet; an unknown pair names the pairs there are.
    let e = transfers::export_pair(&mut store, "SHOP", "WH", &out, "ann", now()).unwrap_err();
    assert!(e.to_string().contains("approve them first"), "{e}");
    let e = transfers::export_pair(&mut store, "WH", "SHOP", &out, "ann", now()).unwrap_err();
    assert!(e.to_string().contains("SHOP → WH"), "{e}");
    assert!(!path.exists());
    // Rejecting needs a reason; an unknown id is refused.
    assert!(transfers::decide(&mut store, &[t.id], false, "", "ann", now()).is_err());
    assert!(transfers::decide(&mut store, &[t.id + 99], true, "", "ann", now()).is_err());

    assert_eq!(
        transfers::decide(&mut store, &[t.id], true, "", "ann", now()).unwrap(),
        1
    );
    let done = transfers::export_pair(&mut store, "shop", "wh", &out, "ann", now()).unwrap();
    assert_eq!(done.len(), 1);
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a UTF-8 BOM");
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rows.headers().unwrap().iter().collect::<Vec<_>>(),
        transfers::TRANSFER_CSV_HEADER.to_vec()
    );
    let recs: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 1);
    assert_eq!(&recs[0][0], "SHOP");
    assert_eq!(&recs[0][1], "WH");
    assert_eq!(&recs[0][2], "MUG-RED");
    assert_eq!(recs[0][4].parse::<i64>().unwrap(), t.quantity);
    assert_eq!(
        transfers::list(&store).unwrap()[0].status,
        transfers::TransferStatus::Exported
    );
    // Exported is final; the file is never overwritten without leave.
    assert!(transfers::decide(&mut store, &[t.id], false, "changed mind", "ann", now()).is_err());
    assert_eq!(
        audit_actions(&store, "transfer"),
        vec!["transfer.export", "transfer.approve"],
        "newest first"
    );
    let entry = &store.read().audit_entries(&AuditFilter::default()).unwrap();
    assert!(entry.iter().any(|e| e.entity_id == "MUG-RED SHOP → WH"));
}

#[test]
fn a_po_received_in_two_dated_partial_receipts_teaches_the_supplier_lead_time() {
    let mut store = merchant();
    plan(&mut store);
    let sup = store.read().suppliers().unwrap();
    let mugs = sup.iter().find(|s| s.name.contains("Mugs")).unwrap().id;
    // Four synced receipts of 10 days: below the five needed, the stated 10 days stands.
    let blue_wh = key(&store, "MUG-BLUE", "WH");
    {
        let w = store.write().unwrap();
        for i in 0..4u64 {
            let ordered = d("2025-03-01") + chrono::Days::new(i * 14);
            w.insert_receipt(&NewReceipt {
                supplier_id: Some(mugs),
                variant_id: blue_wh.variant_id,
                location_id: blue_wh.location_id,
                reference: format!("R{i}"),
                ordered_date: ordered,
                expected_date: ordered + chrono::Days::new(10),
                received_date: Some(ordered + chrono::Days::new(10)),
                quantity: 12,
            })
            .unwrap();
        }
        w.commit().unwrap();
    }
    let perf = |s: &Store, until| {
        lead_times::report(s, until)
            .unwrap()
            .suppliers
            .into_iter()
            .find(|p| p.supplier_id == mugs)
            .unwrap()
    };
    let before = perf(&store, d("2025-07-31"));
    assert_eq!((before.deliveries, before.learned), (4, false));
    assert_eq!(before.lead_time_days, 10.0);
    assert_eq!(before.on_time_pct, Some(100.0));

    // A PO for the blue mug at the warehouse, received 48 then the rest, 14 and 20 days on.
    let line = review::line(&store, blue_wh).unwrap();
    let qty = line.final_qty.max(60);
    review::override_qty(&mut store, blue_wh, qty, "stock up", "ann", now()).unwrap();
    review::decide(&mut store, &[blue_wh], true, "", "ann", now()).unwrap();
    let pos = po::draft_from_plan(&mut store, "ann", now()).unwrap();
    let id = pos[0].id;
    po::set_status(&mut store, id, po::PoStatus::Approved, "", "ann", now()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    po::export_csv(&mut store, id, &dir.path().join("po.csv"), "ann", now()).unwrap();
    let ordered = po::get(&store, id).unwrap().order_date;
    let later = |days| -> NaiveDateTime {
        (ordered + chrono::Days::new(days))
            .and_hms_opt(9, 0, 0)
            .unwrap()
    };
    // A date before the order, or after today, is refused and nothing is recorded.
    let e = po::receive_on(
        &mut store,
        id,
        &[(blue_wh.variant_id, 6)],
        ordered - chrono::Days::new(1),
        "ann",
        later(14),
    )
    .unwrap_err();
    assert!(e.to_string().contains("outside"), "{e}");
    assert!(po::receive_on(
        &mut store,
        id,
        &[(blue_wh.variant_id, 6)],
        ordered + chrono::Days::new(15),
        "ann",
        later(14)
    )
    .is_err());
    assert!(lead_times::po_receipts(&store, Some(id))
        .unwrap()
        .is_empty());

    let p = po::receive_on(
        &mut store,
        id,
        &[(blue_wh.variant_id, 48)],
        ordered + chrono::Days::new(14),
        "ann",
        later(14),
    )
    .unwrap();
    assert_eq!(p.status, po::PoStatus::PartiallyReceived);
    let mid = perf(&store, d("2025-07-31"));
    assert_eq!((mid.deliveries, mid.learned), (5, true));
    assert!((mid.lead_time_days - 54.0 / 5.0).abs() < 1e-9, "{mid:?}");

    let p = po::receive_on(
        &mut store,
        id,
        &[(blue_wh.variant_id, qty - 48)],
        ordered + chrono::Days::new(20),
        "ann",
        later(20),
    )
    .unwrap();
    assert_eq!(p.status, po::PoStatus::Received);
    let after = perf(&store, d("2025-07-31"));
    assert_eq!(after.deliveries, 6);
    assert!(
        (after.lead_time_days - 74.0 / 6.0).abs() < 1e-9,
        "{after:?}"
    );
    assert!(after.lead_time_days > mid.lead_time_days);
    // Both came after the expected date (10 days): 4 of 6 on time.
    assert!((after.on_time_pct.unwrap() - 400.0 / 6.0).abs() < 1e-9);
    let receipts = lead_times::po_receipts(&store, Some(id)).unwrap();
    assert_eq!(
        receipts
            .iter()
            .map(|r| (r.quantity, (r.received_date - ordered).num_days()))
            .collect::<Vec<_>>(),
        vec![(48, 14), (qty - 48, 20)]
    );
    // Receipts after a date do not count for a report (or a plan) on that date.
    assert_eq!(perf(&store, ordered + chrono::Days::new(14)).deliveries, 5);
}
