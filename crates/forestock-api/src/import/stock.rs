//! `forestock import stock FILE`: end-of-day on-hand levels as one batch. The demand history
//! reads them beside synced snapshots (synced ones win from their first day on), so that a day
//! at 0 on hand with no sale counts as a stockout, not as a day without demand.

use super::{begin_batch, count_skipped, files, finish_batch, store_rows, triage};
use super::{ImportOptions, StockReport, Unknown};
use super::{ImportReport, PREVIEW_ROWS};
use crate::{AuditStamp, Result};
use chrono::NaiveDate;
use forestock_core::{ImportKind, Store};
use forestock_files::StockFrame;
use std::collections::{BTreeMap, BTreeSet};

/// Import `frame` (an on-hand snapshot file read and checked by `forestock_files`) as one
/// batch: the same rules as [`super::import_history`] (unknown codes refused, created or
/// skipped; the same file twice changes nothing; all or nothing).
pub fn import_stock(
    store: &mut Store,
    stamp: &AuditStamp,
    frame: &StockFrame,
    opts: &ImportOptions,
) -> Result<StockReport> {
    let mut report = ImportReport {
        preview: frame.rows(0, PREVIEW_ROWS).map_err(files)?,
        months: frame.months_at_zero().map_err(files)?,
        ..ImportReport::new(
            ImportKind::Stock,
            &frame.file,
            &frame.mapping,
            &frame.unused,
            frame.date_order,
            frame.rows_read,
            frame.levels.height(),
        )
    };
    let skus = frame.skus().map_err(files)?;
    let locations = frame.locations().map_err(files)?;
    let Some(mut catalog) = triage(store, &mut report, skus, locations, opts)? else {
        return Ok(report);
    };
    if opts.dry_run {
        count_skipped(frame, &mut report, opts)?;
        return Ok(report);
    }

    let w = store.write()?;
    let batch = begin_batch(&w, stamp, &report, &opts.currency)?;
    if opts.unknown == Unknown::Create {
        catalog.create_locations(&w, batch, &report.unknown_locations)?;
        // A SKU the file brings is created on its first day in the file, at price 0 (a
        // snapshot file has no prices).
        let unknown: BTreeSet<&String> = report.unknown_skus.iter().collect();
        let mut first: BTreeMap<String, NaiveDate> = BTreeMap::new();
        frame
            .for_each_row(|row| {
                if unknown.contains(&row.sku) {
                    let d = first.entry(row.sku).or_insert(row.date);
                    *d = (*d).min(row.date);
                }
                Ok(())
            })
            .map_err(files)?;
        for (code, day) in first {
            catalog.create_sku(&w, stamp, batch, &code, day, 0.0)?;
        }
        report.created_skus = report.unknown_skus.len();
        report.created_locations = report.unknown_locations.len();
    }
    let (stored, skipped) = store_rows(frame, &catalog, |(v, l), row| {
        w.insert_imported_stock(batch, v, l, row.date, row.on_hand)
    })?;
    finish_batch(w, stamp, batch, &mut report, stored, skipped)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::import::{import_history, undo_import, Outcome};
    use forestock_core::{AuditFilter, Classify, ErrorKind, FrontDoor};
    use forestock_files::{prepare_history, prepare_stock, read_source, HistoryOptions};

    fn source(name: &str, text: &str) -> forestock_files::SourceFile {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        read_source(&path).unwrap()
    }

    fn stock(text: &str) -> StockFrame {
        prepare_stock(&source("stock.csv", text), &HistoryOptions::default()).unwrap()
    }

    fn stamp() -> AuditStamp {
        AuditStamp::at(FrontDoor::Cli, Some("ana"), chrono::Utc::now().naive_utc())
    }

    fn create() -> ImportOptions {
        ImportOptions {
            unknown: Unknown::Create,
            ..ImportOptions::default()
        }
    }

    /// SKU `A` at `WH` selling 3 a day over 2024-01-01..10, nothing on the 6th to the 8th.
    fn store_with_sales() -> Store {
        let mut store = Store::in_memory().unwrap();
        let mut text = String::from("sku,location,date,units\n");
        for d in 1..=10 {
            let units = if (6..=8).contains(&d) { 0 } else { 3 };
            text.push_str(&format!("A,WH,2024-01-{d:02},{units}\n"));
        }
        let f = prepare_history(&source("sales.csv", &text), &HistoryOptions::default()).unwrap();
        import_history(&mut store, &stamp(), &f, &create()).unwrap();
        store
    }

    /// `(date, on_hand)` of A at WH, as the demand history gives them.
    fn levels(store: &Store) -> Vec<(String, Option<i64>)> {
        let mut out = Vec::new();
        store
            .read()
            .demand_history(|s| {
                for i in 0..s.units.len() {
                    out.push((s.date(i).to_string(), s.on_hand[i]));
                }
                Ok(())
            })
            .unwrap();
        out
    }

    #[test]
    fn imported_zero_levels_on_days_without_sales_are_stockout_days_until_undone() {
        let mut store = store_with_sales();
        let file = "sku,location,date,on_hand\nA,WH,2024-01-05,4\nA,WH,2024-01-06,0\n\
                    A,WH,2024-01-09,7\n";
        let r = import_stock(
            &mut store,
            &stamp(),
            &stock(file),
            &ImportOptions::default(),
        )
        .unwrap();
        let Outcome::Imported { batch } = r.outcome else {
            panic!("{:?}", r.outcome)
        };
        assert_eq!((r.rows_stored, r.kind), (3, ImportKind::Stock));
        // A level holds until the next one: the 6th to the 8th are at 0 (no sale: stockouts).
        let l = levels(&store);
        assert_eq!(l[3], ("2024-01-04".into(), None));
        assert_eq!(l[4], ("2024-01-05".into(), Some(4)));
        for day in &l[5..8] {
            assert_eq!(day.1, Some(0), "{day:?}");
        }
        assert_eq!(l[8], ("2024-01-09".into(), Some(7)));
        // The app's SKU detail counts them.
        let (v, loc) = {
            let r = store.read();
            (r.skus().unwrap()[0].id, r.locations().unwrap()[0].id)
        };
        let detail = crate::views::sku_detail(&store, v, loc, Default::default(), |_| {
            Ok::<_, crate::Error>(String::new())
        })
        .unwrap();
        assert_eq!(detail.stockout_days_365d, 3);

        // The same file again changes nothing; undo removes the levels, audited once each.
        let again = import_stock(
            &mut store,
            &stamp(),
            &stock(file),
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(again.outcome, Outcome::AlreadyImported { batch });
        let (_, removed) = undo_import(&mut store, &stamp(), batch).unwrap();
        assert_eq!(removed.stock_rows, 3);
        assert!(levels(&store).iter().all(|(_, l)| l.is_none()));
        let audit = store.read().audit_entries(&AuditFilter::default()).unwrap();
        let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(actions, ["import.undo", "import.stock", "import.history"]);
    }

    #[test]
    fn a_stock_file_naming_an_unknown_location_is_refused_whole_and_nothing_is_written() {
        let mut store = store_with_sales();
        let before = store.read().import_batches().unwrap().len();
        let file = "sku,location,date,on_hand\nA,WH,2024-01-05,4\nA,SHOP-9,2024-01-06,0\n";
        let e = import_stock(
            &mut store,
            &stamp(),
            &stock(file),
            &ImportOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert!(
            e.to_string()
                .contains("1 location(s) not in the catalog: SHOP-9"),
            "{e}"
        );
        assert_eq!(store.read().import_batches().unwrap().len(), before);
        assert!(levels(&store).iter().all(|(_, l)| l.is_none()));
        // Skipping them stores the rest.
        let skip = ImportOptions {
            unknown: Unknown::Skip,
            ..ImportOptions::default()
        };
        let r = import_stock(&mut store, &stamp(), &stock(file), &skip).unwrap();
        assert_eq!((r.rows_stored, r.rows_skipped), (1, 1));
    }

    #[test]
    fn a_synced_snapshot_wins_over_imported_levels_from_its_day_on() {
        let mut store = store_with_sales();
        let (v, loc) = {
            let r = store.read();
            (r.skus().unwrap()[0].id, r.locations().unwrap()[0].id)
        };
        let file = "sku,location,date,on_hand\nA,WH,2024-01-02,0\nA,WH,2024-01-08,0\n";
        import_stock(
            &mut store,
            &stamp(),
            &stock(file),
            &ImportOptions::default(),
        )
        .unwrap();
        let w = store.write().unwrap();
        w.put_snapshot(&forestock_core::InventorySnapshot {
            variant_id: v,
            location_id: loc,
            date: chrono::NaiveDate::from_ymd_opt(2024, 1, 5).unwrap(),
            on_hand: 9,
            committed: 0,
            incoming: 0,
        })
        .unwrap();
        w.commit().unwrap();
        let l = levels(&store);
        assert_eq!(l[1], ("2024-01-02".into(), Some(0)));
        // From the synced level's day on, the imported 0 of the 8th no longer counts.
        assert!(l[4..].iter().all(|(_, x)| *x == Some(9)), "{l:?}");
    }
}
