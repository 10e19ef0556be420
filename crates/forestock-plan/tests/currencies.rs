//! Totals and the approval value threshold with suppliers in two currencies: a merchant keeping
//! its books in EUR buys from a supplier invoicing in USD and one invoicing in EUR.
#![allow(clippy::unwrap_used)]

use chrono::{Days, NaiveDate, NaiveDateTime};
use forestock_core::*;
use forestock_plan::money::{self, Money, Rates};
use forestock_plan::plan::{approval_reasons, run_plan, PlanRequest, PlanSummary};
use forestock_plan::review::{self, GridFilter};
use forestock_plan::settings::{load_settings, save_settings};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}
fn now() -> NaiveDateTime {
    d("2025-06-30").and_hms_opt(12, 0, 0).unwrap()
}

/// One SKU from "Acme Inc" (USD) and one from "Local GmbH" (EUR), both selling steadily and
/// nearly out of stock, so both are ordered.
fn merchant() -> Store {
    let mut store = Store::in_memory().unwrap();
    let w = store.write().unwrap();
    w.set_merchant(&Merchant {
        name: "Euro shop".into(),
        currency: "EUR".into(),
        timezone: "Europe/Berlin".into(),
        as_of: Some(d("2025-06-30")),
        is_demo: false,
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
    let prod = w
        .insert_product(&NewProduct {
            store_id: None,
            external_id: None,
            title: "Lamp".into(),
            category: "Home".into(),
            vendor: "Various".into(),
            status: ProductStatus::Active,
            created_at: now() - chrono::Duration::days(400),
        })
        .unwrap();
    for (i, (supplier, currency)) in [("Acme Inc", "USD"), ("Local GmbH", "EUR")]
        .iter()
        .enumerate()
    {
        let sup = w
            .insert_supplier(&NewSupplier {
                name: (*supplier).into(),
                currency: (*currency).into(),
                lead_time_mean_days: 14.0,
                lead_time_sd_days: 2.0,
                moq: 1,
                case_pack: 1,
                price_breaks: vec![],
                email: None,
                notes: String::new(),
            })
            .unwrap();
        let v = w
            .insert_variant(
                &NewVariant {
                    product_id: prod,
                    external_id: None,
                    sku: format!("LAMP-{i}"),
                    title: format!("Lamp {i}"),
                    barcode: None,
                    price: 40.0,
                    cost: Some(10.0),
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
            supplier_sku: None,
            unit_cost: Some(10.0),
            is_primary: true,
            moq: None,
            case_pack: None,
            lead_time_days: None,
        })
        .unwrap();
        let start = d("2024-12-12");
        for day in 0..200u64 {
            let date = start + Days::new(day);
            w.insert_order(
                &NewOrder {
                    store_id: None,
                    external_id: None,
                    name: format!("#{i}-{day}"),
                    location_id: Some(wh),
                    created_at: date.and_hms_opt(10, 0, 0).unwrap(),
                    updated_at: date.and_hms_opt(10, 0, 0).unwrap(),
                    cancelled_at: None,
                    currency: "EUR".into(),
                    channel: "online".into(),
                },
                &[NewOrderLine {
                    external_id: None,
                    variant_id: Some(v),
                    sku: "x".into(),
                    quantity: 5,
                    unit_price: 40.0,
                    discount: 0.0,
                    cancelled_qty: 0,
                }],
            )
            .unwrap();
        }
        w.put_snapshot(&InventorySnapshot {
            variant_id: v,
            location_id: wh,
            date: d("2025-06-29"),
            on_hand: 3,
            committed: 0,
            incoming: 0,
        })
        .unwrap();
    }
    w.commit().unwrap();
    store
}

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

fn amount(totals: &[Money], currency: &str) -> f64 {
    totals
        .iter()
        .find(|m| m.currency == currency)
        .map(|m| m.amount)
        .unwrap()
}

/// The grid's USD and EUR lines: (needs approval, order value, quantity).
fn lines(store: &Store) -> Vec<(String, bool, f64)> {
    let mut out: Vec<(String, bool, f64)> = review::recommendations(store, &GridFilter::default())
        .unwrap()
        .into_iter()
        .map(|g| (g.rec.currency.clone(), g.needs_approval, g.rec.order_value))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn plan_totals_are_per_currency_and_never_summed() {
    let mut store = merchant();
    let s = plan(&mut store);
    assert_eq!(s.lines_to_order, 2, "{s:?}");
    let currencies: Vec<&str> = s.order_value.iter().map(|m| m.currency.as_str()).collect();
    assert_eq!(currencies, ["EUR", "USD"]);
    let l = lines(&store);
    assert!((amount(&s.order_value, "EUR") - l[0].2).abs() < 1e-9);
    assert!((amount(&s.order_value, "USD") - l[1].2).abs() < 1e-9);
    // Each supplier's total is in its own currency.
    for t in &s.by_supplier {
        let want = if t.supplier == "Acme Inc" {
            "USD"
        } else {
            "EUR"
        };
        assert_eq!(t.currency, want, "{t:?}");
        assert!((amount(&s.order_value, want) - t.value).abs() < 1e-9);
    }
    // Without a rate for USD there is no converted total to show.
    assert_eq!(s.order_value_converted, None);

    money::set_rate(&mut store, "usd", 0.9, "ann", now()).unwrap();
    let s = plan(&mut store);
    let c = s.order_value_converted.unwrap();
    let want = amount(&s.order_value, "EUR") + 0.9 * amount(&s.order_value, "USD");
    assert!((c.amount - want).abs() < 1e-9);
    assert_eq!(c.currency, "EUR");
    assert!(
        c.note.starts_with("≈ ") && c.note.ends_with(" EUR at rates you entered: USD 0.9"),
        "{}",
        c.note
    );
}

#[test]
fn the_value_threshold_is_in_the_merchant_currency() {
    let mut store = merchant();
    plan(&mut store);
    let usd_value = lines(&store)[1].2;
    assert!(usd_value > 0.0);
    // A threshold between half the USD value and all of it.
    let mut settings = load_settings(&store.read()).unwrap();
    settings.approval_value_threshold = usd_value * 0.75;
    settings.approval_change_pct = 1000.0;
    save_settings(&mut store, &settings, "ann", now()).unwrap();

    // No rate for USD: the USD line cannot be compared, so it needs approval, saying why.
    plan(&mut store);
    let l = lines(&store);
    assert!(l[1].1, "the USD line never passes silently: {l:?}");
    let grid = review::recommendations(&store, &GridFilter::default()).unwrap();
    let usd = grid.iter().find(|g| g.rec.currency == "USD").unwrap();
    let rates = Rates::load(&store.read()).unwrap();
    assert_eq!(
        approval_reasons(&usd.rec, usd.rec.recommended_qty, &settings, &rates),
        vec!["no exchange rate for USD: the order value cannot be compared with the threshold"]
    );
    let preview = forestock_plan::bulk::preview_within_thresholds(&store).unwrap();
    assert!(
        preview
            .excluded
            .iter()
            .any(|e| e.label == "no exchange rate for its currency" && e.lines == 1),
        "{preview:?}"
    );

    // 0.5 EUR per USD: the USD line is worth 0.5 × its value in EUR, under the threshold.
    money::set_rate(&mut store, "USD", 0.5, "ann", now()).unwrap();
    plan(&mut store);
    assert!(!lines(&store)[1].1, "{:?}", lines(&store));

    // 1 EUR per USD: above the threshold, and the reason says it was converted.
    money::set_rate(&mut store, "USD", 1.0, "ann", now()).unwrap();
    plan(&mut store);
    assert!(lines(&store)[1].1);
    let grid = review::recommendations(&store, &GridFilter::default()).unwrap();
    let usd = grid.iter().find(|g| g.rec.currency == "USD").unwrap();
    let rates = Rates::load(&store.read()).unwrap();
    let why = approval_reasons(&usd.rec, usd.rec.recommended_qty, &settings, &rates);
    assert_eq!(why.len(), 1);
    assert!(
        why[0].contains("USD (≈ ") && why[0].contains("EUR at the rate you entered: USD 1)"),
        "{why:?}"
    );
}

#[test]
fn a_bad_rate_is_refused_naming_the_problem_and_nothing_is_written() {
    let mut store = merchant();
    let audit_before = store
        .read()
        .audit_entries(&AuditFilter::default())
        .unwrap()
        .len();
    for (cur, rate, says) in [
        ("XYZ", 1.0, "\"XYZ\" is not an ISO 4217 currency code"),
        ("US", 1.0, "\"US\" is not an ISO 4217 currency code"),
        ("DOLLARS", 1.0, "is not an ISO 4217 currency code"),
        ("EUR", 1.0, "EUR is the merchant's own currency"),
        ("USD", 0.0, "the rate of USD must be a number above 0"),
        ("USD", -2.0, "must be a number above 0"),
        ("USD", f64::NAN, "must be a number above 0"),
        ("USD", f64::INFINITY, "must be a number above 0"),
    ] {
        let e = money::set_rate(&mut store, cur, rate, "ann", now()).unwrap_err();
        assert!(e.is_bad_input(), "{cur} {rate}: {e}");
        assert!(e.to_string().contains(says), "{cur} {rate}: {e}");
    }
    let e = money::delete_rate(&mut store, "USD", "ann", now()).unwrap_err();
    assert!(e.to_string().contains("USD"), "{e}");
    assert!(money::rates(&store.read()).unwrap().is_empty());
    assert_eq!(
        store
            .read()
            .audit_entries(&AuditFilter::default())
            .unwrap()
            .len(),
        audit_before
    );
}

#[test]
fn every_rate_change_is_audited_with_before_and_after() {
    let mut store = merchant();
    money::set_rate(&mut store, "usd", 0.9, "ann", now()).unwrap();
    money::set_rate(&mut store, "USD", 0.92, "bob", now()).unwrap();
    money::set_rate(&mut store, "GBP", 1.17, "bob", now()).unwrap();
    let list = money::rates(&store.read()).unwrap();
    let got: Vec<(&str, f64, &str)> = list
        .iter()
        .map(|r| (r.currency.as_str(), r.rate, r.updated_by.as_str()))
        .collect();
    assert_eq!(got, [("GBP", 1.17, "bob"), ("USD", 0.92, "bob")]);
    money::delete_rate(&mut store, "gbp", "ann", now()).unwrap();
    assert_eq!(money::rates(&store.read()).unwrap().len(), 1);

    let entries = store
        .read()
        .audit_entries(&AuditFilter {
            entity: Some("exchange_rates".into()),
            ..AuditFilter::default()
        })
        .unwrap();
    let mut seen: Vec<(
        String,
        String,
        Option<serde_json::Value>,
        Option<serde_json::Value>,
    )> = entries
        .into_iter()
        .map(|e| (e.action, e.entity_id, e.before, e.after))
        .collect();
    seen.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    let rate = |c: &str, r: f64| Some(serde_json::json!({"currency": c, "rate": r, "per": "EUR"}));
    assert_eq!(seen.len(), 4, "{seen:?}");
    assert!(seen.contains(&("rate.set".into(), "USD".into(), None, rate("USD", 0.9))));
    assert!(seen.contains(&(
        "rate.set".into(),
        "USD".into(),
        rate("USD", 0.9),
        rate("USD", 0.92)
    )));
    assert!(seen.contains(&("rate.set".into(), "GBP".into(), None, rate("GBP", 1.17))));
    assert!(seen.contains(&("rate.delete".into(), "GBP".into(), rate("GBP", 1.17), None)));
}

/// A supplier without a catalog price is costed from the store's cost, which is in the
/// merchant's currency: converted into the supplier's at the rate entered.
#[test]
fn a_store_cost_is_converted_into_the_suppliers_currency() {
    let mut store = merchant();
    {
        let w = store.write().unwrap();
        w.tx()
            .execute("UPDATE supplier_skus SET unit_cost = NULL", [])
            .unwrap();
        w.commit().unwrap();
    }
    plan(&mut store);
    let unit_costs = |store: &Store| -> Vec<(String, f64)> {
        let mut v: Vec<(String, f64)> = review::recommendations(store, &GridFilter::default())
            .unwrap()
            .into_iter()
            .map(|g| (g.rec.currency.clone(), g.rec.unit_cost))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    // No USD rate: the EUR 10 store cost is all there is to go on.
    assert_eq!(
        unit_costs(&store),
        [("EUR".to_string(), 10.0), ("USD".to_string(), 10.0)]
    );
    // 1 USD = 0.8 EUR: the EUR 10 store cost is USD 12.50.
    money::set_rate(&mut store, "USD", 0.8, "ann", now()).unwrap();
    plan(&mut store);
    let got = unit_costs(&store);
    assert_eq!(got[0], ("EUR".to_string(), 10.0));
    assert_eq!(got[1].0, "USD");
    assert!((got[1].1 - 12.5).abs() < 1e-9, "{got:?}");
}

/// An overdue synced receipt from a USD supplier with one catalog-priced line (USD) and one
/// costed from the store (EUR, the merchant's) was valued as if both were USD: the store's
/// cost is now converted into the supplier's currency, as the plan costs a line.
#[test]
fn an_overdue_receipt_values_every_line_in_the_suppliers_currency() {
    let mut store = merchant();
    money::set_rate(&mut store, "USD", 0.8, "ann", now()).unwrap();
    {
        let w = store.write().unwrap();
        w.tx()
            .execute_batch(
                "INSERT INTO receipts (supplier_id, variant_id, location_id, reference, \
                 ordered_date, expected_date, quantity) \
                 SELECT s.id, v.id, l.id, 'R-1', '2025-06-01', '2025-06-15', 2 \
                 FROM suppliers s, variants v, locations l WHERE s.name = 'Acme Inc'",
            )
            .unwrap();
        w.commit().unwrap();
    }
    let settings = load_settings(&store.read()).unwrap();
    let facts = forestock_plan::alerts::gather_facts(&store, d("2025-06-30"), &settings).unwrap();
    let [order] = facts.overdue.as_slice() else {
        panic!("one overdue receipt expected: {:?}", facts.overdue);
    };
    assert_eq!(order.currency.as_deref(), Some("USD"));
    let costs: Vec<(&str, f64)> = order.lines.iter().map(|l| (l.1.as_str(), l.3)).collect();
    // LAMP-0: Acme's catalog price, USD 10; LAMP-1: not in Acme's catalog, the store's EUR 10
    // at 1 USD = 0.8 EUR is USD 12.50.
    assert_eq!(costs.len(), 2);
    assert_eq!(costs[0], ("LAMP-0", 10.0));
    assert_eq!(costs[1].0, "LAMP-1");
    assert!((costs[1].1 - 12.5).abs() < 1e-9, "{costs:?}");
}
