//! Reading one mapped column of a file into typed values, every bad value named with its row:
//! shared by the history, stock and promotion readers.

use crate::dates::{detect_order, parse_date, DateOrder};
use crate::error::{rows_error, Result};
use chrono::NaiveDate;
use polars::prelude::*;

/// A text column, trimmed; an empty cell is an error naming its rows (`first`: the number
/// a user sees for the column's first row).
pub(crate) fn text_column(first: usize, c: &Column, what: &str) -> Result<StringChunked> {
    let text = c.cast(&DataType::String)?;
    let text = text.str()?;
    // Most files need no trimming: then the column is shared, not copied (10 M rows of text).
    let clean = |v: Option<&str>| v.is_some_and(|v| !v.is_empty() && v.trim().len() == v.len());
    if text.iter().all(clean) {
        return Ok(text.clone());
    }
    let mut empty = Vec::new();
    let out: StringChunked = text
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let v = v.map(str::trim).unwrap_or("");
            if v.is_empty() {
                empty.push((first + i, String::new()));
            }
            Some(v)
        })
        .collect();
    if !empty.is_empty() {
        return Err(rows_error(format!("empty {what} ({})", c.name()), &empty));
    }
    Ok(out)
}

pub(crate) fn date_column(
    first: usize,
    c: &Column,
    given: Option<DateOrder>,
) -> Result<(DateChunked, Option<DateOrder>)> {
    match c.dtype() {
        DataType::Date => return Ok((c.date()?.clone(), None)),
        DataType::Datetime(..) => return Ok((c.cast(&DataType::Date)?.date()?.clone(), None)),
        _ => {}
    }
    let text = c.cast(&DataType::String)?;
    let text = text.str()?;
    let order = match given {
        Some(o) => o,
        None => detect_order(text.iter(), first)?,
    };
    let epoch = NaiveDate::default(); // 1970-01-01, polars' day 0
    let mut bad = Vec::new();
    let days: Int32Chunked = text
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let d = v.and_then(|v| parse_date(v, order));
            if d.is_none() {
                bad.push((first + i, v.unwrap_or("").to_string()));
            }
            d.and_then(|d| i32::try_from((d - epoch).num_days()).ok())
        })
        .collect();
    if !bad.is_empty() {
        let order = match order {
            DateOrder::Dmy => "day/month/year",
            DateOrder::Mdy => "month/day/year",
            DateOrder::Ymd => "year-month-day",
        };
        return Err(rows_error(
            format!("dates that cannot be read as {order} ({})", c.name()),
            &bad,
        ));
    }
    Ok((days.into_date(), Some(order)))
}

/// What is wrong with a whole-number column's values: not numbers, negative, fractional.
pub(crate) type WholeProblems = [&'static str; 3];

pub(crate) const UNITS_PROBLEMS: WholeProblems = [
    "units that are not numbers",
    "negative units (returns are not demand)",
    "fractional units (units are whole items)",
];

pub(crate) const ON_HAND_PROBLEMS: WholeProblems = [
    "on-hand levels that are not numbers",
    "negative on-hand levels (a shelf holds 0 or more)",
    "fractional on-hand levels (stock is counted in whole items)",
];

/// Whole numbers ≥ 0 (units, on-hand levels). `3.0` (a spreadsheet's float) is 3; `2.5`, `-1`,
/// text and empty cells are errors naming their rows, in the words of `problems`.
pub(crate) fn whole_column(
    first: usize,
    c: &Column,
    problems: &WholeProblems,
) -> Result<Int64Chunked> {
    let values: Vec<Option<f64>> = if c.dtype().is_primitive_numeric() {
        c.cast(&DataType::Float64)?.f64()?.iter().collect()
    } else {
        let text = c.cast(&DataType::String)?;
        text.str()?
            .iter()
            .map(|v| v.and_then(parse_number))
            .collect()
    };
    // 0 unreadable, 1 negative, 2 fractional: the row indexes of each.
    let mut bad: [Vec<usize>; 3] = Default::default();
    let out: Int64Chunked = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            match v {
                None => bad[0].push(i),
                Some(x) if *x < 0.0 => bad[1].push(i),
                Some(x) if x.fract() != 0.0 => bad[2].push(i),
                #[allow(clippy::cast_possible_truncation)] // whole and finite, checked above
                Some(x) => return Some(*x as i64),
            }
            None
        })
        .collect();
    if let Some((rows, problem)) = bad.iter().zip(problems).find(|(rows, _)| !rows.is_empty()) {
        let raw = c.cast(&DataType::String)?;
        let raw = raw.str()?;
        let shown: Vec<(usize, String)> = rows
            .iter()
            .map(|&i| (first + i, raw.get(i).unwrap_or("").to_string()))
            .collect();
        return Err(rows_error(format!("{problem} ({})", c.name()), &shown));
    }
    Ok(out)
}

pub(crate) fn price_column(first: usize, c: &Column) -> Result<Float64Chunked> {
    if c.dtype().is_primitive_numeric() {
        return Ok(c.cast(&DataType::Float64)?.f64()?.clone());
    }
    let text = c.cast(&DataType::String)?;
    let text = text.str()?;
    let mut bad = Vec::new();
    let out: Float64Chunked = text
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let v = v.map(str::trim).filter(|v| !v.is_empty())?;
            let p = parse_number(v).filter(|p| *p >= 0.0);
            if p.is_none() {
                bad.push((first + i, v.to_string()));
            }
            p
        })
        .collect();
    if !bad.is_empty() {
        return Err(rows_error(
            format!("prices that are not amounts ≥ 0 ({})", c.name()),
            &bad,
        ));
    }
    Ok(out)
}

/// A number as spreadsheets write it: `3`, `3.0`, `2,50` (decimal comma, in `;` files).
pub(crate) fn parse_number(v: &str) -> Option<f64> {
    let v = v.trim();
    v.parse::<f64>()
        .ok()
        .or_else(|| v.replace(',', ".").parse::<f64>().ok())
        .filter(|x| x.is_finite())
}
