//! A promotion calendar made ready to store: one promotion per row, covering one SKU or one
//! category (`sku|category, start, end, discount`, optionally a location and a name), every
//! value checked (bad ones named with their rows). Stored as promotions, they flag the days
//! the forecaster lifts: past ones teach it the lift, planned ones get it.

use crate::columns::{date_column, parse_number};
use crate::dates::{detect_order, DateOrder};
use crate::error::{rows_error, Error, Result};
use crate::history::{FileInfo, HistoryOptions, MonthTotal};
use crate::mapping::{guess, Field, Mapping};
use crate::source::SourceFile;
use chrono::NaiveDate;
use forestock_core::ImportKind;
use polars::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// One promotion, as it will be stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromotionRow {
    /// The row it came from (as a spreadsheet numbers it).
    pub row: usize,
    pub name: String,
    /// One SKU, or (`None`) every SKU of `category`.
    pub sku: Option<String>,
    pub category: Option<String>,
    /// One location, or (`None`) every location.
    pub location: Option<String>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Percent off the list price, 0 ≤ d < 100.
    pub discount_pct: f64,
}

/// A promotion calendar ready to store.
#[derive(Debug, Clone)]
pub struct PromotionFrame {
    pub file: FileInfo,
    pub mapping: Mapping,
    pub unused: Vec<String>,
    pub date_order: Option<DateOrder>,
    pub rows_read: usize,
    /// In file order.
    pub promotions: Vec<PromotionRow>,
}

impl PromotionFrame {
    /// Promotions starting per month, oldest first.
    pub fn months(&self) -> Vec<MonthTotal> {
        let mut m: BTreeMap<String, i64> = BTreeMap::new();
        for p in &self.promotions {
            *m.entry(p.start.format("%Y-%m").to_string()).or_default() += 1;
        }
        m.into_iter()
            .map(|(month, units)| MonthTotal { month, units })
            .collect()
    }
}

/// Map and check `src` as a promotion calendar.
pub fn prepare_promotions(src: &SourceFile, opts: &HistoryOptions) -> Result<PromotionFrame> {
    // A stock file or a calendar is small: one frame of it all.
    let frame = src.whole()?;
    let columns: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut mapping = guess(&frame, ImportKind::Promotions);
    mapping.apply(&opts.overrides, &columns)?;
    mapping.check_fields(ImportKind::Promotions)?;
    mapping.check_required(&columns, ImportKind::Promotions)?;
    if mapping.column(Field::Sku).is_none() && mapping.column(Field::Category).is_none() {
        return Err(Error::Mapping(format!(
            "a promotion calendar needs a sku or a category column (the file's columns: {}); \
             name one with --mapping sku=COLUMN or --mapping category=COLUMN",
            columns.join(", ")
        )));
    }
    let n = frame.height();
    let column = |f: Field| -> Result<Option<&Column>> {
        Ok(match mapping.column(f) {
            Some(name) => Some(frame.column(name)?),
            None => None,
        })
    };
    // Text cells, empty ones as `None` (a row names a SKU or a category, not both).
    let optional_text = |f: Field| -> Result<Vec<Option<String>>> {
        Ok(match column(f)? {
            Some(c) => {
                let text = c.cast(&DataType::String)?;
                text.str()?
                    .iter()
                    .map(|v| {
                        v.map(str::trim)
                            .filter(|v| !v.is_empty())
                            .map(str::to_string)
                    })
                    .collect()
            }
            None => vec![None; n],
        })
    };
    let sku = optional_text(Field::Sku)?;
    let category = optional_text(Field::Category)?;
    let location = match (column(Field::Location)?, &opts.location) {
        (Some(_), _) => optional_text(Field::Location)?,
        (None, Some(code)) if !code.trim().is_empty() => vec![Some(code.trim().to_string()); n],
        (None, _) => vec![None; n],
    };
    let name = optional_text(Field::Name)?;
    let (start_col, end_col) = (
        column(Field::Start)?.ok_or_else(|| Error::Mapping("no column for start".into()))?,
        column(Field::End)?.ok_or_else(|| Error::Mapping("no column for end".into()))?,
    );
    // One date order for both columns: read from their values together.
    let order = match opts.date_order {
        Some(o) => Some(o),
        None if start_col.dtype() == &DataType::String => {
            let (a, b) = (start_col.str()?, end_col.cast(&DataType::String)?);
            let b = b.str()?;
            Some(detect_order(a.iter().chain(b.iter()), src.first_row)?)
        }
        None => None,
    };
    let (start, date_order) = date_column(src.first_row, start_col, order)?;
    let (end, _) = date_column(src.first_row, end_col, order)?;
    let start: Vec<Option<NaiveDate>> = start.as_date_iter().collect();
    let end: Vec<Option<NaiveDate>> = end.as_date_iter().collect();
    let discount = match column(Field::Discount)? {
        Some(c) => discount_column(src, c)?,
        None => vec![0.0; n],
    };

    let mut scope_errors = Vec::new();
    let mut reversed = Vec::new();
    let mut promotions = Vec::with_capacity(n);
    for i in 0..n {
        let row = src.row_number(i);
        let (Some(s), Some(e)) = (start[i], end[i]) else {
            continue; // unreadable dates were refused by `date_column`
        };
        match (&sku[i], &category[i]) {
            (Some(k), Some(c)) => {
                scope_errors.push((row, format!("SKU {k} and category {c}")));
            }
            (None, None) => scope_errors.push((row, String::new())),
            _ => {}
        }
        if e < s {
            reversed.push((row, format!("{s} to {e}")));
        }
        let scope = sku[i]
            .clone()
            .or_else(|| category[i].clone())
            .unwrap_or_default();
        promotions.push(PromotionRow {
            row,
            name: name[i]
                .clone()
                .unwrap_or_else(|| format!("{scope} {s}–{e}")),
            sku: sku[i].clone(),
            category: if sku[i].is_some() {
                None
            } else {
                category[i].clone()
            },
            location: location[i].clone(),
            start: s,
            end: e,
            discount_pct: discount[i],
        });
    }
    if !scope_errors.is_empty() {
        return Err(rows_error(
            "promotions that must name either one SKU or one category",
            &scope_errors,
        ));
    }
    if !reversed.is_empty() {
        return Err(rows_error(
            "promotions that end before they start",
            &reversed,
        ));
    }
    let mut seen = HashSet::new();
    let duplicated: Vec<(usize, String)> = promotions
        .iter()
        .filter(|p| !seen.insert((&p.sku, &p.category, &p.location, p.start, p.end)))
        .map(|p| (p.row, format!("{} {}–{}", p.name, p.start, p.end)))
        .collect();
    if !duplicated.is_empty() {
        return Err(rows_error(
            "duplicated promotions (the same scope, location and days twice)",
            &duplicated,
        ));
    }
    Ok(PromotionFrame {
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
        promotions,
    })
}

/// Percent off: `20`, `20%`, `12,5 %`; empty is 0; anything else, or outside 0 ≤ d < 100
/// (the `promotions` table's own check), is an error naming its rows.
fn discount_column(src: &SourceFile, c: &Column) -> Result<Vec<f64>> {
    let text = c.cast(&DataType::String)?;
    let mut bad = Vec::new();
    let out = text
        .str()?
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let v = v.map(str::trim).unwrap_or("");
            if v.is_empty() {
                return 0.0;
            }
            match parse_number(v.trim_end_matches('%')).filter(|d| (0.0..100.0).contains(d)) {
                Some(d) => d,
                None => {
                    bad.push((src.row_number(i), v.to_string()));
                    0.0
                }
            }
        })
        .collect();
    if !bad.is_empty() {
        return Err(rows_error(
            format!(
                "discounts that are not a percentage from 0 to under 100 ({})",
                c.name()
            ),
            &bad,
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::read_source;

    fn prepare(text: &str) -> Result<PromotionFrame> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("promos.csv");
        std::fs::write(&path, text).unwrap();
        prepare_promotions(&read_source(&path)?, &HistoryOptions::default())
    }

    #[test]
    fn a_calendar_of_skus_and_categories_reads_with_one_date_order_for_both_columns() {
        // 13/11 says day/month/year; 01/12 alone would not.
        let f = prepare(
            "Artikel;Kategorie;Von;Bis;Rabatt;Aktion\n\
             A;;01/12/2024;13/12/2024;20 %;Advent\n\
             ;Garden;13/11/2024;14/11/2024;;\n",
        )
        .unwrap();
        assert_eq!(f.date_order, Some(DateOrder::Dmy));
        let p = &f.promotions;
        assert_eq!(
            (
                p[0].sku.as_deref(),
                p[0].category.as_deref(),
                p[0].name.as_str()
            ),
            (Some("A"), None, "Advent")
        );
        assert_eq!(p[0].start, NaiveDate::from_ymd_opt(2024, 12, 1).unwrap());
        assert!((p[0].discount_pct - 20.0).abs() < 1e-9);
        assert_eq!(
            (
                p[1].category.as_deref(),
                p[1].discount_pct,
                p[1].name.as_str()
            ),
            (Some("Garden"), 0.0, "Garden 2024-11-13–2024-11-14")
        );
        assert_eq!(f.months().len(), 2);
    }

    #[test]
    fn bad_promotions_are_refused_naming_their_rows() {
        let head = "sku,category,start,end,discount\n";
        let cases = [
            (
                "A,Garden,2024-01-01,2024-01-05,10\n",
                "promotions that must name either one SKU or one category in 1 row(s): row 2",
            ),
            (
                "A,,2024-01-05,2024-01-01,10\n",
                "promotions that end before they start in 1 row(s): row 2 (\"2024-01-05 to 2024-01-01\")",
            ),
            (
                "A,,2024-01-01,2024-01-05,100\n",
                "discounts that are not a percentage from 0 to under 100 (discount) in 1 row(s): row 2 (\"100\")",
            ),
            (
                "A,,2024-01-01,2024-01-05,10\nA,,2024-01-01,2024-01-05,15\n",
                "duplicated promotions (the same scope, location and days twice) in 1 row(s): row 3",
            ),
        ];
        for (rows, expected) in cases {
            let e = prepare(&format!("{head}{rows}")).unwrap_err();
            assert!(e.to_string().starts_with(expected), "{e}");
        }
        let e = prepare("start,end\n2024-01-01,2024-01-02\n").unwrap_err();
        assert!(
            e.to_string().contains("needs a sku or a category column"),
            "{e}"
        );
    }
}
