//! A history file made ready to store: the mapped columns read and checked row by row (every
//! bad value named with its row), then aggregated with polars to one row per SKU × location ×
//! day — a daily-totals file and an order-lines file of the same sales give the same frame.

use crate::columns::{date_column, price_column, text_column, whole_column, UNITS_PROBLEMS};
use crate::dates::{DateOrder, OrderVote};
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
        per_month(&self.daily, col(UNITS).sum())
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

/// `value` (an aggregate giving an i64) per calendar month of the frame's `date`, oldest
/// first: the month totals an import preview shows.
pub(crate) fn per_month(df: &DataFrame, value: Expr) -> Result<Vec<MonthTotal>> {
    let m = df
        .clone()
        .lazy()
        .group_by([col(DATE).dt().strftime("%Y-%m").alias("month")])
        .agg([value.cast(DataType::Int64).alias("value")])
        .sort(["month"], SortMultipleOptions::default())
        .collect()?;
    let month = m.column("month")?.str()?;
    let value = m.column("value")?.i64()?;
    Ok(month
        .iter()
        .zip(value.iter())
        .filter_map(|(m, v)| {
            Some(MonthTotal {
                month: m?.to_string(),
                units: v?,
            })
        })
        .collect())
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

/// Map, check and aggregate `src`, a part at a time: each part's rows are checked and summed
/// to daily rows, then the parts' sums are summed (a large file never sits in memory whole).
pub fn prepare_history(src: &SourceFile, opts: &HistoryOptions) -> Result<HistoryFrame> {
    let columns: Vec<String> = src
        .head
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut mapping = guess(&src.head, ImportKind::History);
    mapping.apply(&opts.overrides, &columns)?;
    mapping.check_fields(ImportKind::History)?;
    mapping.check_required(&columns, ImportKind::History)?;
    let named = |f: Field| -> Result<String> {
        mapping
            .column(f)
            .map(str::to_string)
            .ok_or_else(|| Error::Mapping(format!("no column for {}", f.as_str())))
    };
    let date_name = named(Field::Date)?;
    let fixed_location = match (mapping.column(Field::Location), &opts.location) {
        (Some(_), _) => None,
        (None, Some(code)) if !code.trim().is_empty() => Some(code.trim().to_string()),
        (None, _) => {
            return Err(Error::Mapping(format!(
                "no location column (the file's columns: {}); map one with --mapping \
                 location=COLUMN or give the location of every row with --location CODE",
                columns.join(", ")
            )))
        }
    };
    let mut used: Vec<String> = Vec::new();
    for f in [
        Field::Sku,
        Field::Location,
        Field::Date,
        Field::Units,
        Field::Price,
        Field::OrderId,
    ] {
        if let Some(c) = mapping.column(f) {
            if !used.iter().any(|u| u == c) {
                used.push(c.to_string());
            }
        }
    }
    // A file read in parts has its date order read from every part's dates first.
    let given = match opts.date_order {
        Some(order) => Some(order),
        None if src.is_split() => {
            let mut vote = OrderVote::default();
            src.parts(Some(std::slice::from_ref(&date_name)), |first, part| {
                vote.read(
                    part.column(&date_name)?.str()?.iter(),
                    src.row_number(first),
                );
                Ok(())
            })?;
            Some(vote.decide()?)
        }
        None => None,
    };

    let mut sums: Option<DataFrame> = None;
    let mut rows_read = 0usize;
    let mut date_order = given;
    let mut earlier = src.is_split().then(EarlierRows::default);
    src.parts(Some(&used), |first, part| {
        let base = src.row_number(first);
        let n = part.height();
        rows_read += n;
        let column = |f: Field| -> Result<Option<&Column>> {
            Ok(match mapping.column(f) {
                Some(c) => Some(part.column(c)?),
                None => None,
            })
        };
        let required = |f: Field| -> Result<&Column> {
            column(f)?.ok_or_else(|| Error::Mapping(format!("no column for {}", f.as_str())))
        };
        let sku = text_column(base, required(Field::Sku)?, "SKU")?;
        let location = match (column(Field::Location)?, &fixed_location) {
            (Some(c), _) => text_column(base, c, "location")?,
            (None, Some(code)) => StringChunked::full(LOCATION.into(), code, n),
            (None, None) => return Err(Error::Mapping("no location column".into())),
        };
        let raw_date = required(Field::Date)?;
        let (date, order) = date_column(base, raw_date, given)?;
        date_order = order;
        let units = whole_column(base, required(Field::Units)?, &UNITS_PROBLEMS)?;
        let price = match column(Field::Price)? {
            Some(c) => price_column(base, c)?,
            None => Float64Chunked::full_null(PRICE.into(), n),
        };
        let order_id = match column(Field::OrderId)? {
            Some(c) => Some(text_column(base, c, "order")?),
            None => None,
        };
        check_duplicates(
            base,
            &mapping,
            &sku,
            &location,
            raw_date,
            &units,
            order_id.as_ref(),
        )?;
        if let Some(earlier) = &mut earlier {
            earlier.check(
                base,
                &mapping,
                &sku,
                &location,
                raw_date,
                &units,
                order_id.as_ref(),
            )?;
        }
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
        let part_sums = lines
            .lazy()
            .group_by([col(SKU), col(LOCATION), col(DATE)])
            .agg([
                col(UNITS).sum(),
                col(PRICE).sum().alias(PRICE_SUM),
                col(PRICE).count().cast(DataType::Int64).alias(PRICE_COUNT),
            ])
            .collect()?;
        match &mut sums {
            Some(all) => {
                all.vstack_mut(&part_sums)?;
            }
            None => sums = Some(part_sums),
        }
        Ok(())
    })?;
    drop(earlier);
    let sums = sums.ok_or_else(|| Error::NoData {
        path: src.path.clone(),
    })?;
    // The day's mean price over the rows that had one: Σ prices / their count, summed over
    // the parts.
    let daily = sums
        .lazy()
        .group_by([col(SKU), col(LOCATION), col(DATE)])
        .agg([
            col(UNITS).sum(),
            col(PRICE_SUM).sum(),
            col(PRICE_COUNT).sum(),
        ])
        .select([
            col(SKU),
            col(LOCATION),
            col(DATE),
            col(UNITS),
            when(col(PRICE_COUNT).gt(lit(0)))
                .then(col(PRICE_SUM) / col(PRICE_COUNT).cast(DataType::Float64))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(PRICE),
        ])
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
        rows_read,
        daily,
    })
}

const PRICE_SUM: &str = "price_sum";
const PRICE_COUNT: &str = "price_count";

/// The rows of a file's earlier parts, as 128-bit hashes of their duplicate keys (see
/// [`check_duplicates`]): a line repeated in a later part is refused like one repeated in
/// its own part. Two different keys share a hash with odds near 2⁻¹²⁸ per pair; the cost is
/// 16 bytes a row instead of the row's text.
#[derive(Default)]
struct EarlierRows {
    seen: std::collections::HashSet<u128, std::hash::BuildHasherDefault<SpreadHasher>>,
}

impl EarlierRows {
    #[allow(clippy::too_many_arguments)]
    fn check(
        &mut self,
        base: usize,
        mapping: &Mapping,
        sku: &StringChunked,
        location: &StringChunked,
        date: &Column,
        units: &Int64Chunked,
        order: Option<&StringChunked>,
    ) -> Result<()> {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let date_text = date.cast(&DataType::String)?;
        let date_text = date_text.str()?;
        let mut repeated = Vec::new();
        let mut new = Vec::with_capacity(sku.len());
        for i in 0..sku.len() {
            let (mut a, mut b) = (DefaultHasher::new(), DefaultHasher::new());
            0x5au8.hash(&mut b);
            for h in [&mut a, &mut b] {
                sku.get(i).hash(h);
                location.get(i).hash(h);
                date_text.get(i).hash(h);
                if let Some(order) = order {
                    order.get(i).hash(h);
                    units.get(i).hash(h);
                }
            }
            let key = (u128::from(a.finish()) << 64) | u128::from(b.finish());
            if self.seen.contains(&key) {
                repeated.push((
                    base + i,
                    format!(
                        "{} {} {}",
                        sku.get(i).unwrap_or(""),
                        location.get(i).unwrap_or(""),
                        date_text.get(i).unwrap_or("")
                    ),
                ));
            }
            new.push(key);
        }
        if !repeated.is_empty() {
            return Err(rows_error(duplicate_hint(mapping), &repeated));
        }
        self.seen.extend(new);
        Ok(())
    }
}

/// The set's own hasher: its keys are hashes already, so their low bits are used as they are.
#[derive(Default)]
struct SpreadHasher(u64);

impl std::hash::Hasher for SpreadHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u128(&mut self, v: u128) {
        #[allow(clippy::cast_possible_truncation)] // the low half, on purpose
        {
            self.0 = v as u64;
        }
    }
}

/// The same line twice is an export error, not demand: a daily-totals file holds one row per
/// SKU × location × date as written; an order-lines file one row per order, SKU and time.
fn check_duplicates(
    base: usize,
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
    let dup = DataFrame::new(sku.len(), key)?.is_duplicated()?;
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
                base + i,
                format!(
                    "{} {} {}",
                    sku.get(i).unwrap_or(""),
                    location.get(i).unwrap_or(""),
                    when.trim_matches('"')
                ),
            )
        })
        .collect();
    Err(rows_error(duplicate_hint(mapping), &rows))
}

fn duplicate_hint(mapping: &Mapping) -> &'static str {
    if mapping.column(Field::OrderId).is_none() {
        "duplicated rows (the same SKU, location and date twice; if the file holds order lines, \
         map its order column with --mapping order_id=COLUMN)"
    } else {
        "duplicated order lines"
    }
}
