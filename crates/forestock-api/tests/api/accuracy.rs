//! The accuracy report's arithmetic against figures worked out by hand, on a small database
//! holding real orders and two stored forecast runs.

use chrono::{NaiveDate, NaiveDateTime};
use forestock_api::accuracy::{accuracy, AccuracyBy};
use forestock_core::{
    LocationKind, Merchant, NewLocation, NewOrder, NewOrderLine, NewProduct, NewVariant,
    ProductStatus, RunKind, RunStatus, SkuStatus, Store,
};

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, day).unwrap()
}

fn at(day: u32) -> NaiveDateTime {
    d(day).and_hms_opt(10, 0, 0).unwrap()
}

/// Units sold on 1–8 January.
const SOLD: [i64; 8] = [2, 4, 2, 4, 2, 3, 6, 0];

/// One SKU at one location selling [`SOLD`], and two forecast runs:
/// run 1 made as of 5 January (season 1): 6–9 January, means 4, 4, 2, 9;
/// run 2 made as of 7 January (season 2): 8 January, mean 1.
fn shop() -> (Store, i64, i64) {
    let mut store = Store::in_memory().unwrap();
    let w = store.write().unwrap();
    w.set_merchant(&Merchant {
        name: "Small shop".into(),
        currency: "USD".into(),
        timezone: "UTC".into(),
        as_of: Some(d(8)),
        is_demo: false,
        created_at: at(1),
    })
    .unwrap();
    let loc = w
        .insert_location(&NewLocation {
            code: "WH1".into(),
            name: "Warehouse".into(),
            kind: LocationKind::Warehouse,
            store_id: None,
            external_id: None,
        })
        .unwrap();
    let product = w
        .insert_product(&NewProduct {
            store_id: None,
            external_id: None,
            title: "Tee".into(),
            category: "Tees".into(),
            vendor: "Mill".into(),
            status: ProductStatus::Active,
            created_at: at(1),
        })
        .unwrap();
    let variant = w
        .insert_variant(
            &NewVariant {
                product_id: product,
                external_id: None,
                sku: "TEE-1".into(),
                title: "Default Title".into(),
                barcode: None,
                price: 10.0,
                cost: Some(4.0),
                attributes: serde_json::json!({}),
                status: SkuStatus::Active,
                created_date: d(1),
                discontinue_date: None,
            },
            at(1),
        )
        .unwrap();
    for (i, units) in SOLD.iter().enumerate() {
        let day = u32::try_from(i).unwrap() + 1;
        if *units == 0 {
            continue;
        }
        w.insert_order(
            &NewOrder {
                store_id: None,
                external_id: None,
                name: format!("#{day}"),
                location_id: Some(loc),
                created_at: at(day),
                updated_at: at(day),
                cancelled_at: None,
                currency: "USD".into(),
                channel: "web".into(),
            },
            &[NewOrderLine {
                external_id: None,
                variant_id: Some(variant),
                sku: "TEE-1".into(),
                quantity: *units,
                unit_price: 10.0,
                discount: 0.0,
                cancelled_qty: 0,
            }],
        )
        .unwrap();
    }
    // (run as of, season, [(day, mean, p10, p90)])
    type Day = (u32, f64, f64, f64);
    let runs: [(u32, i64, &[Day]); 2] = [
        (
            5,
            1,
            &[
                (6, 4.0, 2.0, 5.0),
                (7, 4.0, 2.0, 5.0),
                (8, 2.0, 0.0, 3.0),
                (9, 9.0, 5.0, 12.0),
            ],
        ),
        (7, 2, &[(8, 1.0, 0.0, 1.0)]),
    ];
    for (as_of, season, days) in runs {
        let run = w
            .begin_run(
                RunKind::Forecast,
                &serde_json::json!({ "as_of": d(as_of) }),
                at(as_of + 1),
            )
            .unwrap();
        w.tx()
            .execute(
                "INSERT INTO forecast_series (run_id, variant_id, location_id, history_start, \
                 history_end, history_units, history_hash, frequency, first_date, model, class, \
                 season, dispersion, level_cv, notes) \
                 VALUES (?1, ?2, ?3, '2026-01-01', ?4, 0, '0', 'daily', ?5, 'test', 'smooth', ?6, \
                 0, 0, '[]')",
                rusqlite::params![
                    run,
                    variant,
                    loc,
                    d(as_of).to_string(),
                    d(as_of + 1).to_string(),
                    season
                ],
            )
            .unwrap();
        for (i, (day, mean, p10, p90)) in days.iter().enumerate() {
            w.tx()
                .execute(
                    "INSERT INTO forecast_days (run_id, variant_id, location_id, day, date, mean, \
                     p10, p50, p90) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?8)",
                    rusqlite::params![
                        run,
                        variant,
                        loc,
                        i64::try_from(i).unwrap(),
                        d(*day).to_string(),
                        mean,
                        p10,
                        p90
                    ],
                )
                .unwrap();
        }
        w.finish_run(run, RunStatus::Ok, &serde_json::json!({}), at(as_of + 1))
            .unwrap();
    }
    w.commit().unwrap();
    (store, variant, loc)
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a figure");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[test]
fn wape_bias_mase_and_coverage_match_the_hand_computed_figures() {
    let (store, variant, loc) = shop();

    // The latest run alone: 8 January, forecast 1, sold 0. Nothing sold, so WAPE and bias are
    // undefined; MAE 1 over the lag-2 naive MAE of 2,4,2,4,2,3,6 (0,0,0,1,4 → 1) gives MASE 1;
    // 0 lies in [0, 1].
    let one = accuracy(&store, AccuracyBy::Sku, 1).unwrap();
    assert_eq!(one.runs.len(), 1);
    assert_eq!(one.runs[0].days, 1);
    let t = &one.total;
    assert_eq!((t.series, t.days), (1, 1));
    assert_eq!((t.wape, t.bias), (None, None));
    close(t.mase, 1.0);
    close(t.coverage, 1.0);

    // Both runs. Run 1 compares 6–8 January (the 9th has not happened): forecast 4, 4, 2 against
    // 3, 6, 0: |errors| 1, 2, 2. Its naive scale (lag 1 over 2,4,2,4,2) is 2, so MASE
    // (5/3)/2 = 5/6; 3 in [2,5], 6 not in [2,5], 0 in [0,3].
    // Together: Σ|e| = 6, ΣF = 11, ΣA = 9 over 4 days, 3 covered; MASE mean(5/6, 1).
    let both = accuracy(&store, AccuracyBy::Sku, 2).unwrap();
    assert_eq!(both.runs.iter().map(|r| r.days).collect::<Vec<_>>(), [1, 3]);
    assert_eq!(both.actuals_to.as_deref(), Some("2026-01-08"));
    let row = &both.rows[0];
    assert_eq!(both.rows.len(), 1);
    assert_eq!(row.key, "TEE-1 · WH1");
    assert_eq!(
        (row.variant_id, row.location_id),
        (Some(variant), Some(loc))
    );
    assert_eq!((row.series, row.days), (1, 4));
    close(Some(row.actual), 9.0);
    close(Some(row.forecast), 11.0);
    close(row.wape, 6.0 / 9.0);
    close(row.bias, 2.0 / 9.0);
    close(row.mase, (5.0 / 6.0 + 1.0) / 2.0);
    close(row.coverage, 0.75);
    assert_eq!(both.total.wape, row.wape);

    // The other groupings sum the same days; only the key changes.
    let by_cat = accuracy(&store, AccuracyBy::Category, 2).unwrap();
    assert_eq!(by_cat.rows[0].key, "Tees");
    assert_eq!(by_cat.rows[0].variant_id, None);
    close(by_cat.rows[0].wape, 6.0 / 9.0);
    let by_sup = accuracy(&store, AccuracyBy::Supplier, 2).unwrap();
    assert_eq!(by_sup.rows[0].key, "—");
    let by_loc = accuracy(&store, AccuracyBy::Location, 2).unwrap();
    assert_eq!(by_loc.rows[0].key, "WH1");
}

#[test]
fn a_merchant_without_forecast_runs_gets_an_empty_report_and_bad_run_counts_are_refused() {
    let store = Store::in_memory().unwrap();
    let r = accuracy(&store, AccuracyBy::Location, 3).unwrap();
    assert!(r.runs.is_empty() && r.rows.is_empty());
    assert_eq!(r.total.days, 0);
    let e = accuracy(&store, AccuracyBy::Sku, 0)
        .unwrap_err()
        .to_string();
    assert!(e.contains("runs must be between 1 and"), "{e}");
}
