//! Dates as files write them: ISO `2024-03-01` (optionally with a time), `01/03/2024` or
//! `03/01/2024` (`/`, `.` or `-` between the parts, 2- or 4-digit years). Whether a file writes
//! day/month or month/day is read from its data: a first part above 12 can only be a day, a
//! second part above 12 only a day. A file where no value says is ambiguous and the user says.

use crate::error::{rows_error, Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The order of day, month and year in a file's dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// `31/12/2024`, `31.12.2024` (most of Europe, Latin America).
    Dmy,
    /// `12/31/2024` (United States).
    Mdy,
    /// `2024-12-31` (ISO 8601).
    Ymd,
}

impl std::str::FromStr for DateOrder {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "dmy" => Ok(DateOrder::Dmy),
            "mdy" => Ok(DateOrder::Mdy),
            "ymd" | "iso" => Ok(DateOrder::Ymd),
            other => Err(Error::Mapping(format!(
                "unknown date format {other:?} (use dmy, mdy or ymd)"
            ))),
        }
    }
}

/// The three numbers of a date (time of day dropped) and whether the year came first.
fn parts(s: &str) -> Option<([u32; 3], bool)> {
    let s = s.trim();
    // The date ends where a time starts: `T` (ISO 8601) or a space.
    let date = s.split([' ', 'T']).next()?;
    let mut it = date.split(['-', '/', '.']);
    let (a, b, c) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    let num = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (a_n, b_n, c_n) = (num(a)?, num(b)?, num(c)?);
    if a.len() == 4 {
        Some(([a_n, b_n, c_n], true))
    } else if c.len() == 4 || c.len() == 2 {
        Some(([a_n, b_n, c_n], false))
    } else {
        None
    }
}

fn year(y: u32) -> i32 {
    // Two-digit years are this century's (`24` → 2024), as spreadsheets write recent sales.
    i32::try_from(if y < 100 { 2000 + y } else { y }).unwrap_or(i32::MAX)
}

/// Parse one value in a known order; `None` when it is not a date in that order.
pub fn parse_date(s: &str, order: DateOrder) -> Option<NaiveDate> {
    let ([a, b, c], year_first) = parts(s)?;
    match (order, year_first) {
        (_, true) => NaiveDate::from_ymd_opt(year(a), b, c),
        (DateOrder::Dmy, false) => NaiveDate::from_ymd_opt(year(c), b, a),
        (DateOrder::Mdy, false) => NaiveDate::from_ymd_opt(year(c), a, b),
        (DateOrder::Ymd, false) => None,
    }
}

/// True when `s` reads as a date in some order (the header check).
pub fn parse_any(s: &str) -> Option<NaiveDate> {
    [DateOrder::Ymd, DateOrder::Dmy, DateOrder::Mdy]
        .into_iter()
        .find_map(|o| parse_date(s, o))
}

/// The order the values are written in, read from the values (`None` entries are skipped).
/// `first_row` numbers the rows in errors.
pub fn detect_order<'a>(
    values: impl Iterator<Item = Option<&'a str>>,
    first_row: usize,
) -> Result<DateOrder> {
    let mut vote = OrderVote::default();
    vote.read(values, first_row);
    vote.decide()
}

/// The evidence for a date order, gathered over one or more runs of values (a file read a
/// part at a time) before [`OrderVote::decide`] says.
#[derive(Debug, Default)]
pub(crate) struct OrderVote {
    day_first: Option<String>,
    month_first: Option<String>,
    year_first: bool,
    other: bool,
    unreadable: Vec<(usize, String)>,
    ambiguous: Vec<String>,
}

impl OrderVote {
    /// Read the values of rows numbered from `first_row`.
    pub(crate) fn read<'a>(
        &mut self,
        values: impl Iterator<Item = Option<&'a str>>,
        first_row: usize,
    ) {
        for (i, v) in values.enumerate() {
            let Some(v) = v else { continue };
            match parts(v) {
                None => self.unreadable.push((i + first_row, v.to_string())),
                Some((_, true)) => self.year_first = true,
                Some(([a, b, _], false)) => {
                    self.other = true;
                    if a > 12 && self.day_first.is_none() {
                        self.day_first = Some(v.to_string());
                    } else if b > 12 && self.month_first.is_none() {
                        self.month_first = Some(v.to_string());
                    } else if self.ambiguous.len() < 3 && !self.ambiguous.iter().any(|x| x == v) {
                        self.ambiguous.push(v.to_string());
                    }
                }
            }
        }
    }

    pub(crate) fn decide(self) -> Result<DateOrder> {
        // Values that are no date at all are reported with every other bad date once the
        // order is known; only a column with no readable date is refused here.
        if !self.unreadable.is_empty() && !self.year_first && !self.other {
            return Err(rows_error("dates that cannot be read", &self.unreadable));
        }
        match (self.day_first, self.month_first) {
            (Some(d), Some(m)) => Err(Error::Mapping(format!(
                "the dates mix day/month ({d:?}) and month/day ({m:?}) order"
            ))),
            (Some(_), None) => Ok(DateOrder::Dmy),
            (None, Some(_)) => Ok(DateOrder::Mdy),
            (None, None) if !self.other && self.year_first => Ok(DateOrder::Ymd),
            (None, None) => Err(Error::AmbiguousDates {
                examples: self.ambiguous.join(", "),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn iso_dates_with_times_read_as_their_date() {
        for s in [
            "2024-03-01",
            "2024-03-01T23:59:00Z",
            "2024-03-01 08:00",
            "2024/03/01",
        ] {
            assert_eq!(parse_date(s, DateOrder::Ymd), Some(d(2024, 3, 1)), "{s}");
        }
    }

    #[test]
    fn the_order_is_read_from_a_day_above_twelve_and_ambiguity_is_asked() {
        let dmy = ["01/02/2024", "13/02/2024"];
        assert_eq!(
            detect_order(dmy.iter().map(|s| Some(*s)), 2).unwrap(),
            DateOrder::Dmy
        );
        let mdy = ["01/02/2024", "02/13/2024 10:00"];
        assert_eq!(
            detect_order(mdy.iter().map(|s| Some(*s)), 2).unwrap(),
            DateOrder::Mdy
        );
        let iso = ["2024-01-02", "2024-02-13"];
        assert_eq!(
            detect_order(iso.iter().map(|s| Some(*s)), 2).unwrap(),
            DateOrder::Ymd
        );
        let e = detect_order(["01/02/2024", "03.04.24"].iter().map(|s| Some(*s)), 2).unwrap_err();
        assert!(matches!(e, Error::AmbiguousDates { .. }), "{e}");
        assert!(e.to_string().contains("--date-format"), "{e}");
        assert_eq!(parse_date("03.04.24", DateOrder::Dmy), Some(d(2024, 4, 3)));
        assert_eq!(parse_date("03.04.24", DateOrder::Mdy), Some(d(2024, 3, 4)));
    }

    #[test]
    fn unreadable_dates_are_listed_with_their_rows() {
        let vals = ["yesterday", "32/13"];
        let e = detect_order(vals.iter().map(|s| Some(*s)), 2).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("2 row(s)"), "{text}");
        assert!(
            text.contains("row 2 (\"yesterday\")") && text.contains("row 3 (\"32/13\")"),
            "{text}"
        );
        // among readable dates the order is still told; the bad ones are reported with it
        let vals = ["2024-01-02", "yesterday"];
        assert_eq!(
            detect_order(vals.iter().map(|s| Some(*s)), 2).unwrap(),
            DateOrder::Ymd
        );
    }
}
