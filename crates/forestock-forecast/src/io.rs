//! Long CSV in (`sku,location,date,units[,on_hand,price,promo]`), forecast CSV out
//! (`sku,location,date,mean,p10,p50,p90,model`).
//!
//! Reading is forgiving per series and strict per file: a missing column or an unreadable
//! header fails the file; a bad row or series is reported as a [`SeriesIssue`] and the rest goes on.

use crate::engine::SeriesIssue;
use crate::forecast::SeriesForecast;
use crate::series::{Frequency, Series, SeriesKey, SeriesMeta};
use crate::{Error, Result};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::io::{Read, Write};

/// Series read from a file, plus what was wrong with some of them.
#[derive(Debug, Default)]
pub struct LoadedHistory {
    pub series: Vec<Series>,
    /// Problems and repairs, one line per series (or row) concerned.
    pub issues: Vec<SeriesIssue>,
    pub rows: usize,
}

#[derive(Default)]
struct Raw {
    rows: Vec<Row>,
    price: Option<f64>,
    notes: Vec<String>,
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    // fast path for the common `YYYY-MM-DD`
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
        if let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) {
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
        .ok()
}

fn parse_flag(s: &str) -> bool {
    matches!(
        s.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "y" | "t"
    )
}

/// Read a history CSV from a reader.
pub fn read_history(reader: impl Read) -> Result<LoadedHistory> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers = rdr.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let mut missing = Vec::new();
    let mut req = |name: &'static str| {
        let c = col(name);
        if c.is_none() {
            missing.push(name);
        }
        c.unwrap_or(0)
    };
    let (c_sku, c_loc, c_date, c_units) = (req("sku"), req("location"), req("date"), req("units"));
    if !missing.is_empty() {
        return Err(Error::BadInput(format!(
            "missing column{} {} (the header must have sku,location,date,units; found: {})",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", "),
            headers.iter().collect::<Vec<_>>().join(",")
        )));
    }
    let (c_oh, c_price, c_promo) = (col("on_hand"), col("price"), col("promo"));
    let mut index: HashMap<SeriesKey, usize> = HashMap::new();
    let mut raws: Vec<(SeriesKey, Raw)> = Vec::new();
    let mut out = LoadedHistory::default();
    let mut record = csv::StringRecord::new();
    let mut line = 1usize;
    // (line, date) of every dated row, for the far-date check; a few undated rows for the
    // message when no row has a date at all
    let mut dated: Vec<(usize, NaiveDate)> = Vec::new();
    let mut undated: Vec<(usize, String)> = Vec::new();
    while rdr.read_record(&mut record)? {
        line += 1;
        out.rows += 1;
        let get = |c: usize| record.get(c).unwrap_or("");
        let key = SeriesKey::new(get(c_sku), get(c_loc));
        let i = *index.entry(key.clone()).or_insert_with(|| {
            raws.push((key.clone(), Raw::default()));
            raws.len() - 1
        });
        let raw = &mut raws[i].1;
        let Some(date) = parse_date(get(c_date)) else {
            if undated.len() < 3 {
                undated.push((line, get(c_date).to_string()));
            }
            raw.notes.push(format!(
                "line {line}: `{}` is not a date (expected YYYY-MM-DD); row skipped",
                get(c_date)
            ));
            continue;
        };
        let units_s = get(c_units);
        let units = if units_s.is_empty() {
            None
        } else {
            match units_s.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => {
                    raw.notes.push(format!(
                        "line {line}: units `{units_s}` is not a number; day treated as unknown"
                    ));
                    None
                }
            }
        };
        let on_hand = c_oh.and_then(|c| get(c).parse::<f64>().ok());
        let promo = c_promo.is_some_and(|c| parse_flag(get(c)));
        let price = c_price.and_then(|c| get(c).parse::<f64>().ok());
        if price.is_some() {
            raw.price = price;
        }
        // per period only a usable shelf price (the global model's price features)
        let price = price.filter(|p| p.is_finite() && *p > 0.0);
        raw.rows.push((date, units, on_hand, promo, price));
        dated.push((line, date));
    }
    if out.rows == 0 {
        return Err(Error::BadInput("the file has a header but no rows".into()));
    }
    if dated.is_empty() {
        let shown: Vec<String> = undated
            .iter()
            .map(|(l, v)| format!("line {l} `{v}`"))
            .collect();
        return Err(Error::BadInput(format!(
            "none of the {} rows has a date this reader understands (YYYY-MM-DD or YYYY/MM/DD): {}{}",
            out.rows,
            shown.join(", "),
            if out.rows > shown.len() { ", …" } else { "" }
        )));
    }
    check_far_dates(&mut dated)?;
    // the file's frequency, for series too short to infer their own
    let mut votes: HashMap<Frequency, usize> = HashMap::new();
    for (_, raw) in &raws {
        let mut d: Vec<NaiveDate> = raw.rows.iter().map(|r| r.0).collect();
        d.sort();
        d.dedup();
        if let Some(f) = Frequency::infer(&d) {
            *votes.entry(f).or_default() += 1;
        }
    }
    let file_freq = [Frequency::Daily, Frequency::Weekly, Frequency::Monthly]
        .into_iter()
        .max_by_key(|f| votes.get(f).copied().unwrap_or(0))
        .unwrap_or(Frequency::Daily);
    for (key, raw) in raws {
        let mut notes = raw.notes;
        match build_series(
            key.clone(),
            raw.rows,
            file_freq,
            &mut notes,
            c_promo.is_some(),
            c_price.is_some(),
        ) {
            Some(mut s) => {
                s.meta = SeriesMeta {
                    price: raw.price,
                    ..SeriesMeta::default()
                };
                out.series.push(s);
            }
            None => notes.push("no usable rows: series skipped".into()),
        }
        if !notes.is_empty() {
            out.issues.push(SeriesIssue {
                key,
                message: notes.join("; "),
            });
        }
    }
    Ok(out)
}

/// Most years a date may lie from the middle (median) of the file's dates.
///
/// The bound is on the span of the data, not on today's date, so reading stays a pure function
/// of the file (identical input, identical output, whatever the clock says). Ten years either
/// side of the median is far more history than any model here uses (the longest season is a
/// year, a backtest a few horizons) yet catches a mistyped year: `9999-12-31` in a 2024 file
/// would otherwise be zero-filled into some 2.9 million days, and `0024-01-01` likewise.
pub const MAX_YEARS_FROM_MEDIAN: i64 = 10;

/// Refuse the file when a date lies more than [`MAX_YEARS_FROM_MEDIAN`] years from the median
/// date, naming the rows and values (up to five).
fn check_far_dates(dated: &mut [(usize, NaiveDate)]) -> Result<()> {
    let mid = dated.len() / 2;
    let (_, &mut (_, median), _) = dated.select_nth_unstable_by_key(mid, |d| d.1);
    let bound = chrono::Duration::days(MAX_YEARS_FROM_MEDIAN * 366);
    let mut far: Vec<(usize, NaiveDate)> = dated
        .iter()
        .copied()
        .filter(|(_, d)| (*d - median).abs() > bound)
        .collect();
    if far.is_empty() {
        return Ok(());
    }
    far.sort_unstable();
    let shown: Vec<String> = far
        .iter()
        .take(5)
        .map(|(l, d)| format!("line {l} `{d}`"))
        .collect();
    Err(Error::BadInput(format!(
        "{} date{} more than {MAX_YEARS_FROM_MEDIAN} years from the rest of the file (its \
         middle date is {median}), a mistyped year? {}{}; fix or remove {}",
        far.len(),
        if far.len() == 1 { " is" } else { "s are" },
        shown.join(", "),
        if far.len() > shown.len() { ", …" } else { "" },
        if far.len() == 1 {
            "that row"
        } else {
            "those rows"
        }
    )))
}

/// date, units, on_hand, promo, price
type Row = (NaiveDate, Option<f64>, Option<f64>, bool, Option<f64>);

fn build_series(
    key: SeriesKey,
    mut rows: Vec<Row>,
    file_freq: Frequency,
    notes: &mut Vec<String>,
    has_promo: bool,
    has_price: bool,
) -> Option<Series> {
    if rows.is_empty() {
        return None;
    }
    if rows.windows(2).any(|w| w[1].0 < w[0].0) {
        notes.push("dates not sorted: sorted".into());
        rows.sort_by_key(|r| r.0);
    }
    // merge duplicate dates by summing
    let mut merged: Vec<Row> = Vec::with_capacity(rows.len());
    let mut dups = 0;
    for r in rows {
        match merged.last_mut() {
            Some(last) if last.0 == r.0 => {
                dups += 1;
                last.1 = match (last.1, r.1) {
                    (Some(a), Some(b)) => Some(a + b),
                    (a, b) => a.or(b),
                };
                last.2 = r.2.or(last.2);
                last.3 |= r.3;
                last.4 = r.4.or(last.4);
            }
            _ => merged.push(r),
        }
    }
    if dups > 0 {
        notes.push(format!("{dups} duplicate dates: their units were added up"));
    }
    let dates: Vec<NaiveDate> = merged.iter().map(|r| r.0).collect();
    let freq = Frequency::infer(&dates).unwrap_or(file_freq);
    let start = dates[0];
    let Some(span) = freq.periods_between(start, dates[dates.len() - 1]) else {
        notes.push(format!(
            "dates are not on a {} grid: series skipped",
            freq.as_str()
        ));
        return None;
    };
    let n = span as usize + 1;
    let mut units = vec![f64::NAN; n];
    let mut promo = vec![false; n];
    let mut price = vec![f64::NAN; n];
    let mut off_grid = 0;
    let (mut negatives, mut stockouts) = (0, 0);
    for (date, u, oh, p, pr) in merged {
        let Some(i) = freq.periods_between(start, date) else {
            off_grid += 1;
            continue;
        };
        let i = i as usize;
        let mut v = u.unwrap_or(f64::NAN);
        if v < 0.0 {
            negatives += 1;
            v = 0.0;
        }
        if oh.is_some_and(|o| o <= 0.0) {
            stockouts += 1;
            v = f64::NAN;
        }
        units[i] = v;
        promo[i] = p;
        price[i] = pr.unwrap_or(f64::NAN);
    }
    if off_grid > 0 {
        notes.push(format!(
            "{off_grid} dates off the {} grid: skipped",
            freq.as_str()
        ));
    }
    if negatives > 0 {
        notes.push(format!(
            "{negatives} negative units (returns) counted as zero demand"
        ));
    }
    if stockouts > 0 {
        notes.push(format!(
            "{stockouts} out-of-stock periods treated as unknown demand"
        ));
    }
    let present = dates.len() - off_grid;
    let missing = n - present;
    if missing > 0 {
        if missing * 2 > n {
            // a file listing only the days with sales: the gaps are days without sales
            for v in units.iter_mut() {
                if v.is_nan() {
                    *v = 0.0;
                }
            }
            notes.push(format!(
                "{missing} missing periods (most of the range): read as zero sales"
            ));
        } else {
            notes.push(format!(
                "{missing} missing periods treated as unknown demand"
            ));
        }
    }
    if n == 1 {
        notes.push("a single period of history: flat forecast with a wide interval".into());
    }
    let mut s = Series::new(key, freq, start, units);
    if has_promo {
        s.promo = promo;
    }
    if has_price {
        s.price = price;
    }
    Some(s)
}

/// Read a history CSV from a path. Every error names the file once: a missing file is bad
/// input ("input X does not exist"), a problem in its content is prefixed with its path.
pub fn read_history_file(path: &std::path::Path) -> Result<LoadedHistory> {
    let f = std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::BadInput(format!("input {} does not exist", path.display()))
        }
        _ => Error::Io {
            path: format!("input {}", path.display()),
            source: e,
        },
    })?;
    read_history(std::io::BufReader::new(f))
        .map_err(|e| Error::BadInput(format!("{}: {e}", path.display())))
}

/// Write forecasts as `sku,location,date,mean,p10,p50,p90,model`, numbers with 4 decimals
/// (byte-identical for identical input). `text` guards the free-text cells (SKU and location)
/// against spreadsheet formula injection; callers pass `forestock_core::guard_text`, the one
/// guard every Forestock CSV uses (this crate stays free of the database crate). Quoting is the
/// `csv` crate's: a cell with a comma, quote, CR or LF is quoted.
pub fn write_forecasts(
    w: impl Write,
    forecasts: &[SeriesForecast],
    text: impl Fn(&str) -> String,
) -> Result<()> {
    let mut out = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(w);
    out.write_record([
        "sku", "location", "date", "mean", "p10", "p50", "p90", "model",
    ])?;
    for f in forecasts {
        let (sku, location) = (text(&f.key.sku), text(&f.key.location));
        for i in 0..f.horizon() {
            let [p10, p50, p90] = f.period_quantiles(i, [0.1, 0.5, 0.9]);
            out.write_record([
                sku.as_str(),
                location.as_str(),
                &f.date(i).to_string(),
                &format!("{:.4}", f.mean[i]),
                &format!("{p10:.4}"),
                &format!("{p50:.4}"),
                &format!("{p90:.4}"),
                &f.model,
            ])?;
        }
    }
    out.flush().map_err(|e| Error::Io {
        path: "output".into(),
        source: e,
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_column_is_a_clear_error() {
        let e = read_history("sku,location,date\nA,L,2024-01-01\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("missing column units"), "{e}");
    }

    #[test]
    fn bad_rows_are_reported_and_the_rest_goes_on() {
        let csv = "sku,location,date,units\n\
                   A,L,2024-01-02,3\nA,L,2024-01-01,-1\nA,L,2024-01-02,1\nA,L,notadate,1\n\
                   A,L,2024-01-05,2\nB,L,2024-01-01,5\n";
        let h = read_history(csv.as_bytes()).unwrap();
        assert_eq!(h.series.len(), 2);
        let a = &h.series[0];
        assert_eq!(a.units.len(), 5);
        assert_eq!(a.units[0], 0.0);
        assert_eq!(a.units[1], 4.0);
        assert!(a.units[2].is_nan());
        let msg = &h.issues[0].message;
        for needle in ["not a date", "sorted", "duplicate", "negative", "missing"] {
            assert!(msg.contains(needle), "{needle} in {msg}");
        }
        assert!(h.issues[1].message.contains("single period"));
    }

    #[test]
    fn a_file_whose_dates_are_all_bad_is_bad_input() {
        let csv = "sku,location,date,units\nA,L,01/02/2024,3\nA,L,yesterday,1\nB,L,,2\n";
        let e = read_history(csv.as_bytes()).unwrap_err();
        assert!(e.is_bad_input());
        let msg = e.to_string();
        for needle in [
            "none of the 3 rows",
            "line 2 `01/02/2024`",
            "line 3 `yesterday`",
        ] {
            assert!(msg.contains(needle), "{needle} in {msg}");
        }
    }

    #[test]
    fn a_far_future_date_is_refused() {
        let mut csv = String::from("sku,location,date,units\n");
        for d in 1..=20 {
            csv.push_str(&format!("A,L,2024-01-{d:02},3\n"));
        }
        csv.push_str("A,L,9999-12-31,1\nB,L,0024-01-05,1\n");
        let e = read_history(csv.as_bytes()).unwrap_err();
        assert!(e.is_bad_input());
        let msg = e.to_string();
        for needle in [
            "2 dates are more than 10 years",
            "line 22 `9999-12-31`",
            "line 23 `0024-01-05`",
        ] {
            assert!(msg.contains(needle), "{needle} in {msg}");
        }
        // ten years of weekly history is fine
        let mut csv = String::from("sku,location,date,units\n");
        let start = NaiveDate::from_ymd_opt(2015, 1, 5).unwrap();
        for w in 0..520 {
            csv.push_str(&format!("A,L,{},3\n", start + chrono::Duration::weeks(w)));
        }
        assert_eq!(
            read_history(csv.as_bytes()).unwrap().series[0].units.len(),
            520
        );
    }

    #[test]
    fn forecast_csv_quotes_cr_and_guards_text() {
        use crate::series::SeriesKey;
        let csv =
            "sku,location,date,units\n\" =cmd\r\",L,2024-01-01,3\n\" =cmd\r\",L,2024-01-02,4\n";
        let h = read_history(csv.as_bytes()).unwrap();
        let cfg = crate::ForecastConfig {
            horizon: 2,
            ..crate::ForecastConfig::default()
        };
        let fc: Vec<_> = crate::forecast_all(&h.series, &cfg, &|_| {})
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(fc[0].key, SeriesKey::new("=cmd", "L"), "the reader trims");
        let mut out = Vec::new();
        write_forecasts(&mut out, &fc, |s| format!("'{s}\r")).unwrap();
        let text = String::from_utf8(out).unwrap();
        let row = text.lines().nth(1).unwrap();
        assert!(
            row.starts_with("\"'=cmd\r\",\"'L\r\",2024-01-03,"),
            "{text:?}"
        );
    }

    #[test]
    fn monthly_and_on_hand() {
        let csv = "sku,location,date,units,on_hand\nA,L,2024-01-01,3,5\nA,L,2024-02-01,0,0\n\
                   A,L,2024-03-01,4,2\n";
        let h = read_history(csv.as_bytes()).unwrap();
        let a = &h.series[0];
        assert_eq!(a.frequency, Frequency::Monthly);
        assert!(a.units[1].is_nan());
    }
}
