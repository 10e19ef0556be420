//! An on-hand snapshot file made ready to store: `sku, location, date, on_hand`, one end-of-day
//! level per SKU × location × day, every value checked (bad ones named with their rows). The
//! demand history reads these levels for stockout detection: a day at 0 with no sale is unknown
//! demand, not a day nobody wanted the item.

use crate::columns::{date_column, text_column, whole_column, ON_HAND_PROBLEMS};
use crate::dates::DateOrder;
use crate::error::{rows_error, Error, Result};
use crate::history::{FileInfo, HistoryOptions, MonthTotal, DATE, LOCATION, SKU};
use crate::mapping::{guess, Field, Mapping};
use crate::source::SourceFile;
use chrono::NaiveDate;
use forestock_core::ImportKind;
use polars::prelude::*;
use serde::Serialize;

/// The level column of [`StockFrame::levels`].
pub const ON_HAND: &str = "on_hand";

/// A stock file ready to store.
#[derive(Debug, Clone)]
pub struct StockFrame {
    pub file: FileInfo,
    pub mapping: Mapping,
    pub unused: Vec<String>,
    /// `None` when the dates were typed (Parquet, JSON) rather than text.
    pub date_order: Option<DateOrder>,
    pub rows_read: usize,
    /// One row per SKU × location × day, sorted: `sku`, `location`, `date`, `on_hand` (i64 ≥ 0).
    pub levels: DataFrame,
}

/// One end-of-day level, as it will be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StockRow {
    pub sku: String,
    pub location: String,
    pub date: NaiveDate,
    pub on_hand: i64,
}

impl StockFrame {
    /// The levels from `offset`, at most `len` of them.
    pub fn rows(&self, offset: usize, len: usize) -> Result<Vec<StockRow>> {
        let part = self
            .levels
            .slice(i64::try_from(offset).unwrap_or(i64::MAX), len);
        let mut out = Vec::with_capacity(part.height());
        visit(&part, |r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }

    /// Every level, in order.
    pub fn for_each_row(&self, visit_row: impl FnMut(StockRow) -> Result<()>) -> Result<()> {
        visit(&self.levels, visit_row)
    }

    /// Days at 0 on hand per month (the stockout days the file tells of), oldest first; a
    /// month with levels but no day at 0 is listed with 0.
    pub fn months_at_zero(&self) -> Result<Vec<MonthTotal>> {
        crate::history::per_month(
            &self.levels,
            col(ON_HAND).eq(lit(0)).cast(DataType::Int64).sum(),
        )
    }

    pub fn skus(&self) -> Result<Vec<String>> {
        crate::history::distinct(&self.levels, SKU)
    }

    pub fn locations(&self) -> Result<Vec<String>> {
        crate::history::distinct(&self.levels, LOCATION)
    }
}

fn visit(df: &DataFrame, mut f: impl FnMut(StockRow) -> Result<()>) -> Result<()> {
    let sku = df.column(SKU)?.str()?;
    let loc = df.column(LOCATION)?.str()?;
    let date = df.column(DATE)?.date()?;
    let level = df.column(ON_HAND)?.i64()?;
    for (((s, l), d), o) in sku
        .iter()
        .zip(loc.iter())
        .zip(date.as_date_iter())
        .zip(level.iter())
    {
        if let (Some(s), Some(l), Some(d), Some(o)) = (s, l, d, o) {
            f(StockRow {
                sku: s.to_string(),
                location: l.to_string(),
                date: d,
                on_hand: o,
            })?;
        }
    }
    Ok(())
}

/// Map and check `src` as a stock file (`opts.location` for a file without a location column).
pub fn prepare_stock(src: &SourceFile, opts: &HistoryOptions) -> Result<StockFrame> {
    // A stock file or a calendar is small: one frame of it all.
    let frame = src.whole()?;
    let columns: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut mapping = guess(&frame, ImportKind::Stock);
    mapping.apply(&opts.overrides, &columns)?;
    mapping.check_fields(ImportKind::Stock)?;
    mapping.check_required(&columns, ImportKind::Stock)?;
    let n = frame.height();
    let column = |f: Field| -> Result<&Column> {
        let name = mapping
            .column(f)
            .ok_or_else(|| Error::Mapping(format!("no column for {}", f.as_str())))?;
        Ok(frame.column(name)?)
    };
    let sku = text_column(src.first_row, column(Field::Sku)?, "SKU")?;
    let location = match (mapping.column(Field::Location), &opts.location) {
        (Some(_), _) => text_column(src.first_row, column(Field::Location)?, "location")?,
        (None, Some(code)) if !code.trim().is_empty() => {
            StringChunked::full(LOCATION.into(), code.trim(), n)
        }
        (None, _) => {
            return Err(Error::Mapping(format!(
                "no location column (the file's columns: {}); map one with --mapping \
                 location=COLUMN or give the location of every row with --location CODE",
                columns.join(", ")
            )))
        }
    };
    let (date, date_order) = date_column(src.first_row, column(Field::Date)?, opts.date_order)?;
    let on_hand = whole_column(src.first_row, column(Field::OnHand)?, &ON_HAND_PROBLEMS)?;
    let levels = DataFrame::new(
        n,
        vec![
            sku.into_column().with_name(SKU.into()),
            location.into_column().with_name(LOCATION.into()),
            date.into_column().with_name(DATE.into()),
            on_hand.into_column().with_name(ON_HAND.into()),
        ],
    )?;
    // Two levels for one SKU, location and day: which one held at the end of the day is
    // unknowable, so the file is refused with both rows named.
    let dup = levels.select([SKU, LOCATION, DATE])?.is_duplicated()?;
    if dup.any() {
        let shown: Vec<(usize, String)> = dup
            .iter()
            .enumerate()
            .filter(|(_, d)| d.unwrap_or(false))
            .map(|(i, _)| {
                let cell = |name: &str| {
                    levels
                        .column(name)
                        .ok()
                        .and_then(|c| c.get(i).ok())
                        .map(|v| v.to_string().trim_matches('"').to_string())
                        .unwrap_or_default()
                };
                (
                    src.row_number(i),
                    format!("{} {} {}", cell(SKU), cell(LOCATION), cell(DATE)),
                )
            })
            .collect();
        return Err(rows_error(
            "two on-hand levels for the same SKU, location and day",
            &shown,
        ));
    }
    let levels = levels.sort([SKU, LOCATION, DATE], SortMultipleOptions::default())?;
    Ok(StockFrame {
        file: FileInfo {
            name: src.name.clone(),
            sha256: src.sha256.clone(),
            format: src.format,
        },
        unused: mapping
            .unused(&columns)
            .into_iter()
            .map(str::to_string)
            .collect(),
        mapping,
        date_order,
        rows_read: n,
        levels,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::read_source;

    fn prepare(text: &str) -> Result<StockFrame> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stock.csv");
        std::fs::write(&path, text).unwrap();
        prepare_stock(&read_source(&path)?, &HistoryOptions::default())
    }

    #[test]
    fn a_german_stock_file_maps_its_quantity_column_to_the_level() {
        let f =
            prepare("Artikel;Lager;Datum;Bestand\nA;WH;31.01.2024;0\nA;WH;01.02.2024;5\n").unwrap();
        assert_eq!(f.mapping.column(Field::OnHand), Some("Bestand"));
        let f2 = prepare("sku,location,date,qty\nA,WH,2024-01-31,0\n").unwrap();
        assert_eq!(f2.mapping.column(Field::OnHand), Some("qty"));
        assert_eq!(
            f.rows(0, 5).unwrap()[0],
            StockRow {
                sku: "A".into(),
                location: "WH".into(),
                date: NaiveDate::from_ymd_opt(2024, 1, 31).unwrap(),
                on_hand: 0
            }
        );
        let months: Vec<(String, i64)> = f
            .months_at_zero()
            .unwrap()
            .into_iter()
            .map(|m| (m.month, m.units))
            .collect();
        assert_eq!(months, [("2024-01".into(), 1), ("2024-02".into(), 0)]);
    }

    #[test]
    fn negative_fractional_and_doubled_levels_are_refused_naming_their_rows() {
        let e = prepare("sku,location,date,on_hand\nA,WH,2024-01-01,3\nA,WH,2024-01-02,-1\n")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "negative on-hand levels (a shelf holds 0 or more) (on_hand) in 1 row(s): row 3 (\"-1\")"
        );
        let e = prepare("sku,location,date,on_hand\nA,WH,2024-01-01,2.5\n").unwrap_err();
        assert!(e.to_string().contains("fractional on-hand levels"), "{e}");
        let e = prepare("sku,location,date,on_hand\nA,WH,2024-01-01,3\nA,WH,2024-01-01,4\n")
            .unwrap_err();
        assert!(
            e.to_string().starts_with(
                "two on-hand levels for the same SKU, location and day in 2 row(s): row 2"
            ),
            "{e}"
        );
        let e = prepare("sku,location,date,note\nA,WH,2024-01-01,shelf\n").unwrap_err();
        assert!(e.to_string().contains("no column for on_hand"), "{e}");
    }
}
