//! Daily demand history per SKU×location, built from order lines net of cancellations and
//! refunds, with the end-of-day inventory level, the selling price and the promotion flag.
//!
//! This is the long format of the benchmark contract: `sku,location,date,units,on_hand,price,promo`.

use crate::csv_export::guard_text;
use crate::db::Reader;
use crate::error::Result;
use crate::model::{Location, Promotion, Sku};
use crate::sql;
use chrono::{Days, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

/// One SKU×location's daily history, one entry per day from `start` (no gaps).
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesHistory {
    pub variant_id: i64,
    pub location_id: i64,
    pub sku: String,
    pub location: String,
    pub start: NaiveDate,
    /// Units demanded that day, net of cancellations and refunds (refunds count against the
    /// day the order was placed).
    pub units: Vec<f64>,
    /// End-of-day units on hand, `None` where no snapshot is known yet.
    pub on_hand: Vec<Option<i64>>,
    /// Selling price that day: list price less any promotion's discount.
    pub price: Vec<f64>,
    pub promo: Vec<bool>,
}

impl SeriesHistory {
    pub fn date(&self, i: usize) -> NaiveDate {
        self.start + Days::new(i as u64)
    }
}

/// One row of the long CSV.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryRow<'a> {
    pub sku: &'a str,
    pub location: &'a str,
    pub date: NaiveDate,
    pub units: i64,
    pub on_hand: Option<i64>,
    pub price: String,
    pub promo: u8,
}

/// Writes [`SeriesHistory`] values as the benchmark contract's CSV.
pub struct HistoryWriter<W: Write> {
    csv: csv::Writer<W>,
    rows: usize,
}

impl<W: Write> HistoryWriter<W> {
    pub fn new(w: W) -> Self {
        HistoryWriter {
            csv: crate::csv_export::csv_writer(w, b',', false),
            rows: 0,
        }
    }

    /// SKU and location codes are free text from the stores: guarded against formula
    /// injection like every CSV cell of text ([`crate::guard_text`]).
    pub fn write_series(&mut self, s: &SeriesHistory) -> Result<()> {
        let (sku, location) = (guard_text(&s.sku), guard_text(&s.location));
        for i in 0..s.units.len() {
            self.csv.serialize(HistoryRow {
                sku: &sku,
                location: &location,
                date: s.date(i),
                units: s.units[i].round() as i64,
                on_hand: s.on_hand[i],
                price: format!("{:.2}", s.price[i]),
                promo: u8::from(s.promo[i]),
            })?;
            self.rows += 1;
        }
        Ok(())
    }

    /// Flush and return the number of data rows written.
    pub fn finish(mut self) -> Result<usize> {
        self.csv.flush()?;
        Ok(self.rows)
    }
}

type Key = (i64, i64);

impl Reader<'_> {
    /// Visit every SKU×location that has sales or inventory, in SKU then location order.
    /// The history runs from the later of the first order date and the SKU's creation to the
    /// merchant's `as_of` date (or the last order date for live stores).
    pub fn demand_history(&self, visit: impl FnMut(SeriesHistory) -> Result<()>) -> Result<()> {
        self.histories(None, visit)
    }

    /// The history of one SKU×location, exactly as [`Reader::demand_history`] builds it, read
    /// through the indexes instead of every line (the SKU detail and its chart); `None` when it
    /// has neither sales nor inventory there.
    pub fn series_history(
        &self,
        variant_id: i64,
        location_id: i64,
    ) -> Result<Option<SeriesHistory>> {
        let mut found = None;
        self.histories(Some((variant_id, location_id)), |h| {
            found = Some(h);
            Ok(())
        })?;
        Ok(found)
    }

    /// Every series, or only `only`'s: the statements differ (a whole-table scan against an
    /// index walk), the building is one.
    fn histories(
        &self,
        only: Option<Key>,
        mut visit: impl FnMut(SeriesHistory) -> Result<()>,
    ) -> Result<()> {
        let key_params = || rusqlite::params_from_iter(only.iter().flat_map(|&(v, l)| [v, l]));
        let pick = |all: &'static str, one: &'static str| if only.is_some() { one } else { all };
        let (first, last): (Option<NaiveDate>, Option<NaiveDate>) =
            self.conn
                .query_row(sql::DEMAND_HISTORY_SELECT_ORDERS, [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
        let Some(first) = first else { return Ok(()) };
        let as_of = self.merchant()?.and_then(|m| m.as_of);
        let end = as_of.or(last).unwrap_or(first);

        // Units per series and day over `first..=end`, summed here rather than with SQL's
        // GROUP BY: streaming the lines in table order (order_lines NOT INDEXED, orders by
        // primary key) reads the file sequentially, where the grouped query walked the variant
        // index and sorted 6.8 M rows (3 s instead of 55 s on the 20,000-series demo).
        let span = usize::try_from((end - first).num_days() + 1).unwrap_or(0);
        let mut sales: HashMap<Key, Vec<f64>> = HashMap::new();
        let mut add = |key: Key, d: NaiveDate, units: f64| {
            let days = sales.entry(key).or_insert_with(|| vec![0.0; span]);
            if first <= d && d <= end {
                days[day_index(first, d)] += units;
            }
        };
        {
            let mut st = self.conn.prepare(pick(
                sql::DEMAND_HISTORY_SELECT_ORDER_LINES,
                sql::SERIES_HISTORY_SELECT_ORDER_LINES,
            ))?;
            let mut rows = st.query(key_params())?;
            while let Some(r) = rows.next()? {
                let units: i64 = r.get(3)?;
                add((r.get(0)?, r.get(1)?), r.get(2)?, units as f64);
            }
            let mut st = self.conn.prepare(pick(
                sql::DEMAND_HISTORY_SELECT_REFUNDS,
                sql::SERIES_HISTORY_SELECT_REFUNDS,
            ))?;
            let mut rows = st.query(key_params())?;
            while let Some(r) = rows.next()? {
                let units: i64 = r.get(3)?;
                add((r.get(0)?, r.get(1)?), r.get(2)?, -(units as f64));
            }
        }
        let imported_from = self.add_imported_demand(only, &mut add)?;
        let mut snaps: HashMap<Key, Vec<(NaiveDate, i64)>> = HashMap::new();
        {
            let mut st = self.conn.prepare(pick(
                sql::DEMAND_HISTORY_SELECT_INVENTORY_SNAPSHOTS,
                sql::SERIES_HISTORY_SELECT_INVENTORY_SNAPSHOTS,
            ))?;
            let mut rows = st.query(key_params())?;
            while let Some(r) = rows.next()? {
                snaps
                    .entry((r.get(0)?, r.get(1)?))
                    .or_default()
                    .push((r.get(2)?, r.get(3)?));
            }
        }
        let mut skus: Vec<Sku> = self.skus()?;
        let mut locations: Vec<Location> = self.locations()?;
        if let Some((v, l)) = only {
            skus.retain(|s| s.id == v);
            locations.retain(|x| x.id == l);
        }
        let promotions: Vec<Promotion> = self.promotions()?;

        for sku in &skus {
            for loc in &locations {
                let key = (sku.id, loc.id);
                let sold = sales.get(&key);
                let levels = snaps.get(&key);
                if sold.is_none() && levels.is_none() {
                    continue;
                }
                let created = imported_from
                    .get(&sku.id)
                    .map_or(sku.created_date, |d| sku.created_date.min(*d));
                let start = first.max(created);
                if start > end {
                    continue;
                }
                let n = usize::try_from((end - start).num_days() + 1).unwrap_or(0);
                let mut s = SeriesHistory {
                    variant_id: sku.id,
                    location_id: loc.id,
                    sku: sku.sku.clone(),
                    location: loc.code.clone(),
                    start,
                    units: vec![0.0; n],
                    on_hand: vec![None; n],
                    price: vec![sku.price; n],
                    promo: vec![false; n],
                };
                if let Some(sold) = sold {
                    let from = day_index(first, start);
                    for (u, total) in s.units.iter_mut().zip(&sold[from.min(sold.len())..]) {
                        *u = total.max(0.0);
                    }
                }
                if let Some(levels) = levels {
                    let mut next = levels.iter().peekable();
                    let mut current = None;
                    for i in 0..n {
                        let d = s.date(i);
                        while let Some((sd, level)) = next.peek() {
                            if *sd <= d {
                                current = Some(*level);
                                next.next();
                            } else {
                                break;
                            }
                        }
                        s.on_hand[i] = current;
                    }
                }
                for p in &promotions {
                    if p.end_date < start || p.start_date > end {
                        continue;
                    }
                    if !(p.variant_id.is_none_or(|v| v == sku.id)
                        && p.category.as_deref().is_none_or(|c| c == sku.category)
                        && p.location_id.is_none_or(|l| l == loc.id))
                    {
                        continue;
                    }
                    let from = day_index(start, p.start_date.max(start));
                    let to = day_index(start, p.end_date.min(end));
                    for i in from..=to {
                        s.promo[i] = true;
                        s.price[i] = s.price[i].min(sku.price * (1.0 - p.discount_pct / 100.0));
                    }
                }
                visit(s)?;
            }
        }
        Ok(())
    }

    /// Add the imported history that counts (README "Imported history and synced orders"):
    ///
    /// - **synced orders win**: at a location with synced orders, imported units count only on
    ///   days before that location's first synced order. A sync sees every order of its window
    ///   with the cancellations and refunds that come later, where a file is a copy frozen when
    ///   it was exported; and the boundary is per location, not per SKU and day, because a day
    ///   without a synced order for a SKU is a real zero there, not a gap to fill;
    /// - **the latest batch wins** where two imported files give the same SKU × location × day
    ///   (a re-export with corrections), so overlapping files never add up.
    ///
    /// Returns each SKU's first imported day that counts: a SKU's history starts there when
    /// that is before its creation date in the store (sales before the store knew the SKU).
    ///
    /// With `only`, the SKU's imported rows at every location are read (its first imported day
    /// is over all of them) and only that location's units are added.
    fn add_imported_demand(
        &self,
        only: Option<Key>,
        add: &mut impl FnMut(Key, NaiveDate, f64),
    ) -> Result<HashMap<i64, NaiveDate>> {
        let mut imported_from: HashMap<i64, NaiveDate> = HashMap::new();
        // Each location's first synced order, read only once an imported row needs it: the
        // query groups every order (most of a chart's read time when nothing was imported).
        let mut synced_from: Option<HashMap<i64, NaiveDate>> = None;
        let load_synced_from = || -> Result<HashMap<i64, NaiveDate>> {
            let mut from = HashMap::new();
            let mut st = self.conn.prepare(sql::HISTORY_SYNCED_FROM)?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                from.insert(r.get(0)?, r.get(1)?);
            }
            Ok(from)
        };
        let mut st = match only {
            None => self.conn.prepare(sql::HISTORY_IMPORTED_DEMAND)?,
            Some(_) => self.conn.prepare(sql::SERIES_IMPORTED_DEMAND)?,
        };
        let mut rows = st.query(rusqlite::params_from_iter(only.map(|(v, _)| v)))?;
        let mut previous: Option<(Key, NaiveDate)> = None;
        while let Some(r) = rows.next()? {
            let key: Key = (r.get(0)?, r.get(1)?);
            let day: NaiveDate = r.get(2)?;
            if previous == Some((key, day)) {
                continue; // an older batch's figure for the same day
            }
            previous = Some((key, day));
            let synced_from = match &mut synced_from {
                Some(m) => m,
                none => none.insert(load_synced_from()?),
            };
            if synced_from.get(&key.1).is_some_and(|from| day >= *from) {
                continue;
            }
            let units: i64 = r.get(3)?;
            if only.is_none_or(|(_, l)| l == key.1) {
                add(key, day, units as f64);
            }
            let from = imported_from.entry(key.0).or_insert(day);
            *from = (*from).min(day);
        }
        Ok(imported_from)
    }

    /// Write the whole demand history as long CSV; returns the number of rows.
    pub fn export_history<W: Write>(&self, out: W) -> Result<usize> {
        let mut w = HistoryWriter::new(out);
        self.demand_history(|s| w.write_series(&s))?;
        w.finish()
    }
}

fn day_index(start: NaiveDate, d: NaiveDate) -> usize {
    usize::try_from((d - start).num_days()).unwrap_or(0)
}
