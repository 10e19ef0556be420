//! `forestock import promotions FILE`: a promotion calendar as one batch. Each row becomes a
//! promotion of one SKU or one category (optionally at one location), read by the forecaster
//! like any other: past promotions teach it a series' lift, planned ones get that lift on
//! their days.

use super::{begin_batch, finish_batch, triage, ImportOptions, PromotionsReport, Unknown};
use super::{ImportReport, PREVIEW_ROWS};
use crate::{AuditStamp, Result};
use chrono::NaiveDate;
use forestock_core::{ImportKind, NewPromotion, Store};
use forestock_files::{PromotionFrame, PromotionRow};
use std::collections::{BTreeMap, BTreeSet};

/// Import `frame` (a promotion calendar read and checked by `forestock_files`) as one batch:
/// the same rules as [`super::import_history`]; a category no SKU has is an unknown code too
/// (refused by default, kept with "create", left out with "skip").
pub fn import_promotions(
    store: &mut Store,
    stamp: &AuditStamp,
    frame: &PromotionFrame,
    opts: &ImportOptions,
) -> Result<PromotionsReport> {
    let mut report = ImportReport {
        preview: frame
            .promotions
            .iter()
            .take(PREVIEW_ROWS)
            .cloned()
            .collect(),
        months: frame.months(),
        ..ImportReport::new(
            ImportKind::Promotions,
            &frame.file,
            &frame.mapping,
            &frame.unused,
            frame.date_order,
            frame.rows_read,
            frame.promotions.len(),
        )
    };
    let distinct = |f: fn(&PromotionRow) -> Option<&String>| -> Vec<String> {
        let set: BTreeSet<&String> = frame.promotions.iter().filter_map(f).collect();
        set.into_iter().cloned().collect()
    };
    let skus = distinct(|p| p.sku.as_ref());
    let locations = distinct(|p| p.location.as_ref());
    let categories = distinct(|p| p.category.as_ref());
    let known = super::catalog::Catalog::read(store)?.categories;
    report.unknown_categories = categories
        .into_iter()
        .filter(|c| !known.contains(c))
        .collect();
    let Some(mut catalog) = triage(store, &mut report, skus, locations, opts)? else {
        return Ok(report);
    };
    let unknown_skus: BTreeSet<&String> = report.unknown_skus.iter().collect();
    let unknown_locations: BTreeSet<&String> = report.unknown_locations.iter().collect();
    let unknown_categories: BTreeSet<&String> = report.unknown_categories.iter().collect();
    let is_unknown = |p: &PromotionRow| {
        p.sku.as_ref().is_some_and(|s| unknown_skus.contains(s))
            || p.location
                .as_ref()
                .is_some_and(|l| unknown_locations.contains(l))
            || p.category
                .as_ref()
                .is_some_and(|c| unknown_categories.contains(c))
    };
    if opts.dry_run {
        if opts.unknown != Unknown::Create {
            report.rows_skipped = frame.promotions.iter().filter(|p| is_unknown(p)).count();
        }
        report.rows_stored = report.daily_rows - report.rows_skipped;
        return Ok(report);
    }

    let w = store.write()?;
    let batch = begin_batch(&w, stamp, &report, &opts.currency)?;
    if opts.unknown == Unknown::Create {
        catalog.create_locations(&w, batch, &report.unknown_locations)?;
        // A SKU a promotion names is created from the promotion's first day, at price 0.
        let mut first: BTreeMap<&String, NaiveDate> = BTreeMap::new();
        for p in &frame.promotions {
            if let Some(s) = p.sku.as_ref().filter(|s| unknown_skus.contains(s)) {
                let d = first.entry(s).or_insert(p.start);
                *d = (*d).min(p.start);
            }
        }
        for (code, day) in first {
            catalog.create_sku(&w, stamp, batch, code, day, 0.0)?;
        }
        report.created_skus = report.unknown_skus.len();
        report.created_locations = report.unknown_locations.len();
    }
    let (mut stored, mut skipped) = (0usize, 0usize);
    for p in &frame.promotions {
        if opts.unknown == Unknown::Skip && is_unknown(p) {
            skipped += 1;
            continue;
        }
        let variant_id = match &p.sku {
            Some(s) => Some(catalog.sku(s).ok_or_else(|| missing("SKU", s, p.row))?),
            None => None,
        };
        let location_id = match &p.location {
            Some(l) => Some(
                catalog
                    .location(l)
                    .ok_or_else(|| missing("location", l, p.row))?,
            ),
            None => None,
        };
        w.insert_imported_promotion(
            batch,
            &NewPromotion {
                name: p.name.clone(),
                start_date: p.start,
                end_date: p.end,
                discount_pct: p.discount_pct,
                variant_id,
                category: p.category.clone(),
                location_id,
                expected_lift: None,
            },
        )?;
        stored += 1;
    }
    finish_batch(w, stamp, batch, &mut report, stored, skipped)?;
    Ok(report)
}

/// A code that should have been created or skipped (a defect, not the user's input).
fn missing(what: &str, code: &str, row: usize) -> crate::Error {
    crate::Error::Invalid(format!("row {row}: {what} {code} is not in the catalog"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::import::{import_history, undo_import, Outcome};
    use forestock_core::{AuditStamp, Classify, ErrorKind, FrontDoor};
    use forestock_files::{prepare_history, prepare_promotions, read_source, HistoryOptions};
    use forestock_plan::review::{recommendations, GridFilter};

    fn source(name: &str, text: &str) -> forestock_files::SourceFile {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        read_source(&path).unwrap()
    }

    fn calendar(text: &str) -> PromotionFrame {
        prepare_promotions(&source("promos.csv", text), &HistoryOptions::default()).unwrap()
    }

    fn stamp() -> AuditStamp {
        AuditStamp::at(FrontDoor::Cli, Some("ana"), chrono::Utc::now().naive_utc())
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// SKUs `A` and `B` at `WH` with the same 200 days of sales from 2024-01-01 (5 a day, 8 on
    /// Saturdays), doubled over 2024-04-10..23 (a past sale of both).
    fn store_with_twins() -> Store {
        let mut store = Store::in_memory().unwrap();
        let mut text = String::from("sku,location,date,units\n");
        let start = d("2024-01-01");
        for sku in ["A", "B"] {
            for i in 0..200u64 {
                let day = start + chrono::Days::new(i);
                let base = if i % 7 == 5 { 8 } else { 5 };
                let units = if (100..114).contains(&i) {
                    2 * base
                } else {
                    base
                };
                text.push_str(&format!("{sku},WH,{day},{units}\n"));
            }
        }
        let f = prepare_history(&source("sales.csv", &text), &HistoryOptions::default()).unwrap();
        let create = ImportOptions {
            unknown: Unknown::Create,
            ..ImportOptions::default()
        };
        import_history(&mut store, &stamp(), &f, &create).unwrap();
        store
    }

    /// Plan on the history's last day; the next 30 days' forecast of A and B.
    fn forecast_30d(store: &mut Store) -> (f64, f64) {
        crate::plan::plan(store, &stamp(), Some(d("2024-07-18")), &|_| {}).unwrap();
        let rows = recommendations(store, &GridFilter::default()).unwrap();
        let of = |sku: &str| {
            rows.iter()
                .find(|r| r.rec.sku == sku)
                .unwrap()
                .rec
                .forecast_30d
        };
        (of("A"), of("B"))
    }

    #[test]
    fn a_planned_promotion_raises_the_next_forecast_on_its_days_and_undo_takes_it_back() {
        let mut store = store_with_twins();
        let (a0, b0) = forecast_30d(&mut store);
        assert!((a0 - b0).abs() < 1e-9, "twins forecast alike: {a0} {b0}");
        // The past sale of both (which shows the lift) and a planned one of A alone over the
        // first twenty days after the planning date.
        let file = "sku,start,end,discount,name\n\
                    A,2024-04-10,2024-04-23,20%,Spring sale\n\
                    B,2024-04-10,2024-04-23,20%,Spring sale\n\
                    A,2024-07-19,2024-08-07,25,Summer sale\n";
        let r = import_promotions(
            &mut store,
            &stamp(),
            &calendar(file),
            &ImportOptions::default(),
        )
        .unwrap();
        let Outcome::Imported { batch } = r.outcome else {
            panic!("{:?}", r.outcome)
        };
        assert_eq!(r.rows_stored, 3);
        let stored = store.read().promotions().unwrap();
        assert_eq!(stored.len(), 3);
        assert_eq!(stored[2].name, "Summer sale");
        assert!((stored[2].discount_pct - 25.0).abs() < 1e-9);
        let (a1, b1) = forecast_30d(&mut store);
        // Twenty of A's thirty days get the lift the past sale showed (about 2x): well above B.
        assert!(a1 > b1 * 1.3, "A {a1} vs B {b1}");

        let (_, removed) = undo_import(&mut store, &stamp(), batch).unwrap();
        assert_eq!(removed.promotions, 3);
        assert!(store.read().promotions().unwrap().is_empty());
        let (a2, b2) = forecast_30d(&mut store);
        assert!(
            (a2 - b2).abs() < 1e-9 && (a2 - a0).abs() < 1e-9,
            "{a2} {b2} {a0}"
        );
    }

    #[test]
    fn an_unknown_category_is_refused_by_name_and_a_known_one_is_stored_as_the_category() {
        let mut store = store_with_twins();
        let file = "category,start,end,discount\nGarden,2024-07-19,2024-07-28,10\n";
        let e = import_promotions(
            &mut store,
            &stamp(),
            &calendar(file),
            &ImportOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert!(
            e.to_string()
                .contains("1 category(s) not in the catalog of any SKU: Garden"),
            "{e}"
        );
        assert!(store.read().promotions().unwrap().is_empty());
        let keep = ImportOptions {
            unknown: Unknown::Create,
            ..ImportOptions::default()
        };
        let r = import_promotions(&mut store, &stamp(), &calendar(file), &keep).unwrap();
        assert_eq!(r.rows_stored, 1);
        let p = &store.read().promotions().unwrap()[0];
        assert_eq!(
            (p.category.as_deref(), p.variant_id, p.start_date),
            (Some("Garden"), None, d("2024-07-19"))
        );
    }
}
