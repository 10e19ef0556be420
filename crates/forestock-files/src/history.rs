//! A history file made ready to store: the mapped columns read and checked row by row (every
//! bad value named with its row), then aggregated with polars to one row per SKU × location ×
//! day — a daily-totals file and an order-lines file of the same sales give the same frame.

use crate::columns::{date_column, price_column, text_column, whole_column, UNITS_PROBLEMS};
use crate::dates::DateOrder;
use crate::error::{rows_error, Error, Result};
use crate::mapping::{guess, Field, Mapping};
use crate::source::{FileFormat, SourceFile};
use chrono::NaiveDate;
use forestock_core::ImportKind;
use polars::prelude::*;
use serde::Serialize;

/// The column names of [`HistoryFrame::daily`].
pub const SKU: &str = "sku";
pub const LOCATION: &str = "location";
pub const DATE: &str = "date";
pub const UNITS: &str = "units";
pub const PRICE: &str = "price";

/// What the user chose (or left to the guess).
#[derive(Debug, Clone, Default)]
pub struct HistoryOptions {
    /// `--mapping` pairs, applied over the guess.
    pub overrides: Vec<(Field, Option<String>)>,
    /// `--date-format`; read from the data when `None`.
    pub date_order: Option<DateOrder>,
    /// The location code of every row when the file has no location column.
    pub location: Option<String>,
}

/// The file, identified, with its mapping and its daily totals.
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    pub name: String,
    pub sha256: String,
    pub format: FileFormat,
}

/// A history file ready to store.
#[derive(Debug, Clone)]
pub struct HistoryFrame {
    pub file: FileInfo,
    pub mapping: Mapping,
    /// The file's columns no field uses (shown, not stored).
    pub unused: Vec<String>,
    /// `None` when the dates were typed (Parquet, JSON) rather than text.
    pub date_order: Option<DateOrder>,
    /// Data rows in the file.
    pub rows_read: usize,
    /// One row per SKU × location × day, sorted: `sku` (str), `location` (str), `date` (date),
    /// `units` (i64, ≥ 0) and `price` (f64, the day's mean unit price; null when unmapped).
    pub daily: DataFrame,
}

/// One day of one series, as it will be stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyRow {
    pub sku: String,
    pub location: String,
    pub date: NaiveDate,
    pub units: i64,
    pub price: Option<f64>,
}

/// Units per calendar month (`2024-03`), over every series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthTotal {
    pub month: String,
    pub units: i64,
}

impl HistoryFrame {
    /// The daily rows from `offset`, at most `len` of them (previews, storing in chunks).
    pub fn rows(&self, offset: usize, len: usize) -> Result<Vec<DailyRow>> {
        let part = self
            .daily
            .slice(i64::try_from(offset).unwrap_or(i64::MAX), len);
        let sku = part.column(SKU)?.str()?;
        let loc = part.column(LOCATION)?.str()?;
        let date = part.column(DATE)?.date()?;
        let units = part.column(UNITS)?.i64()?;
        let price = part.column(PRICE)?.f64()?;
        Ok((0..part.height())
            .filter_map(|i| {
                Some(DailyRow {
                    sku: sku.get(i)?.to_string(),
                    location: loc.get(i)?.to_string(),
                    date: date.as_date_iter().nth(i).flatten()?,
                    units: units.get(i)?,
                    price: price.get(i),
                })
            })
            .collect())
    }

    /// Every daily row, visited in order without building them all at once.
    pub fn for_each_row(&self, mut visit: impl FnMut(DailyRow) -> Result<()>) -> Result<()> {
        let sku = self.daily.column(SKU)?.str()?;
        let loc = self.daily.column(LOCATION)?.str()?;
        let date = self.daily.column(DATE)?.date()?;
        let units = self.daily.column(UNITS)?.i64()?;
        let price = self.daily.column(PRICE)?.f64()?;
        let rows = sku
            .iter()
            .zip(loc.iter())
            .zip(date.as_date_iter())
            .zip(units.iter())
            .zip(price.iter());
        for ((((s, l), d), u), p) in rows {
            if let (Some(s), Some(l), Some(d), Some(u)) = (s, l, d, u) {
                visit(DailyRow {
                    sku: s.to_string(),
                    location: l.to_string(),
                    date: d,
                    units: u,
                    price: p,
                })?;
            }
        }
        Ok(())
    }

    /// Units per month, oldest first.
    pub fn month_totals(&self) -> Result<Vec<MonthTotal>> {
        let m = self
            .daily
            .clone()
            .lazy()
            .group_by([col(DATE).dt().strftime("%Y-%m").alias("month")])
            .agg([col(UNITS).sum()])
            .sort(["month"], SortMultipleOptions::default())
            .collect()?;
        let month = m.column("month")?.str()?;
        let units = m.column(UNITS)?.i64()?;
        Ok(month
            .iter()
            .zip(units.iter())
            .filter_map(|(m, u)| {
                Some(MonthTotal {
                    month: m?.to_string(),
                    units: u?,
                })
            })
            .collect())
    }

    /// Per SKU: its first day in the file and its latest known price (for SKUs the import
    /// creates), sorted by SKU.
    pub fn sku_summary(&self) -> Result<Vec<(String, NaiveDate, Option<f64>)>> {
        let s = self
            .daily
            .clone()
            .lazy()
            .group_by([col(SKU)])
            .agg([
                col(DATE).min(),
                col(PRICE)
                    .sort_by([col(DATE)], SortMultipleOptions::default())
                    .drop_nulls()
                    .last(),
            ])
            .sort([SKU], SortMultipleOptions::default())
            .collect()?;
        let sku = s.column(SKU)?.str()?;
        let date = s.column(DATE)?.date()?;
        let price = s.column(PRICE)?.f64()?;
        Ok(sku
            .iter()
            .zip(date.as_date_iter())
            .zip(price.iter())
            .filter_map(|((s, d), p)| Some((s?.to_string(), d?, p)))
            .collect())
    }

    /// The distinct SKU codes, sorted.
    pub fn skus(&self) -> Result<Vec<String>> {
        distinct(&self.daily, SKU)
    }

    /// The distinct location codes, sorted.
    pub fn locations(&self) -> Result<Vec<String>> {
        distinct(&self.daily, LOCATION)
    }
}

pub(crate) fn distinct(df: &DataFrame, name: &str) -> Result<Vec<String>> {
    let u = df
        .clone()
        .lazy()
        .select([col(name).unique().sort(SortOptions::default())])
        .collect()?;
    Ok(u.column(name)?
        .str()?
        .iter()
        .flatten()
        .map(str::to_string)
        .collect())
}

/// Map, check and aggregate `src`.
pub fn prepare_history(src: &SourceFile, opts: &HistoryOptions) -> Result<HistoryFrame> {
    let columns: Vec<String> = src
        .frame
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut mapping = guess(&src.frame, ImportKind::History);
    mapping.apply(&opts.overrides, &columns)?;
    mapping.check_fields(ImportKind::History)?;
    mapping.check_required(&columns, ImportKind::History)?;
    let n = src.frame.height();
    let column = |f: Field| -> Result<Option<&Column>> {
        Ok(match mapping.column(f) {
            Some(c) => Some(src.frame.column(c)?),
            None => None,
        })
    };
    let required = |f: Field| -> Result<&Column> {
        column(f)?.ok_or_else(|| Error::Mapping(format!("no column for {}", f.as_str())))
    };

    let sku = text_column(src, required(Field::Sku)?, "SKU")?;
    let location = match (column(Field::Location)?, &opts.location) {
        (Some(c), _) => text_column(src, c, "location")?,
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
    let (date, date_order) = date_column(src, required(Field::Date)?, opts.date_order)?;
    let units = whole_column(src, required(Field::Units)?, &UNITS_PROBLEMS)?;
    let price = match column(Field::Price)? {
        Some(c) => price_column(src, c)?,
        None => Float64Chunked::full_null(PRICE.into(), n),
    };
    let order = match column(Field::OrderId)? {
        Some(c) => Some(text_column(src, c, "order")?),
        None => None,
    };
    check_duplicates(
        src,
        &mapping,
        &sku,
        &location,
        required(Field::Date)?,
        &units,
        order.as_ref(),
    )?;

    let lines = DataFrame::new(
        n,
        vec![
            sku.into_column().with_name(SKU.into()),
            location.into_column().with_name(LOCATION.into()),
            date.into_column().with_name(DATE.into()),
            units.into_column().with_name(UNITS.into()),
            price.into_column().with_name(PRICE.into()),
        ],
    )?;
    let daily = lines
        .lazy()
        .group_by([col(SKU), col(LOCATION), col(DATE)])
        .agg([col(UNITS).sum(), col(PRICE).mean()])
        .sort([SKU, LOCATION, DATE], SortMultipleOptions::default())
        .collect()?;
    Ok(HistoryFrame {
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
        daily,
    })
}

/// The same line twice is an export error, not demand: a daily-totals file holds one row per
/// SKU × location × date as written; an order-lines file one row per order, SKU and time.
fn check_duplicates(
    src: &SourceFile,
    mapping: &Mapping,
    sku: &StringChunked,
    location: &StringChunked,
    date: &Column,
    units: &Int64Chunked,
    order: Option<&StringChunked>,
) -> Result<()> {
    let mut key = vec![
        sku.clone().into_column().with_name("k_sku".into()),
        location.clone().into_column().with_name("k_loc".into()),
        date.clone().with_name("k_date".into()),
    ];
    if let Some(order) = order {
        key.push(order.clone().into_column().with_name("k_order".into()));
        key.push(units.clone().into_column().with_name("k_units".into()));
    }
    let dup = DataFrame::new(src.frame.height(), key)?.is_duplicated()?;
    if !dup.any() {
        return Ok(());
    }
    let rows: Vec<(usize, String)> = dup
        .iter()
        .enumerate()
        .filter(|(_, d)| d.unwrap_or(false))
        .map(|(i, _)| {
            let when = date.get(i).map(|v| v.to_string()).unwrap_or_default();
            (
                src.row_number(i),
                format!(
                    "{} {} {}",
                    sku.get(i).unwrap_or(""),
                    location.get(i).unwrap_or(""),
                    when.trim_matches('"')
                ),
            )
        })
        .collect();
    let hint = if mapping.column(Field::OrderId).is_none() {
        "duplicated rows (the same SKU, location and date twice; if the file holds order lines, \
         map its order column with --mapping order_id=COLUMN)"
    } else {
        "duplicated order lines"
    };
    Err(rows_error(hint, &rows))
}
