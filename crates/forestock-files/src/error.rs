//! What can be wrong with a file brought in or a file written out. Every variant names the
//! problem, and where it is (rows are numbered as a spreadsheet shows them: the header is row
//! 1, the first data row is row 2; Parquet and JSON lines rows from 1).

use forestock_core::{Classify, ErrorKind};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {detail}")]
    Read { path: PathBuf, detail: String },
    #[error("{path} is empty (0 bytes)")]
    Empty { path: PathBuf },
    #[error(
        "{path} is not text in a supported encoding (UTF-8, UTF-16 with a byte order mark, \
         Latin-1): {detail}"
    )]
    Encoding { path: PathBuf, detail: String },
    #[error("{path} is not a readable {format} file: {detail}")]
    Corrupt {
        path: PathBuf,
        format: &'static str,
        detail: String,
    },
    #[error("{path} has a header but no data rows")]
    NoData { path: PathBuf },
    #[error("{path} has no header row: {detail}")]
    NoHeader { path: PathBuf, detail: String },
    /// A mapping (guessed or given) that cannot be used.
    #[error("column mapping: {0}")]
    Mapping(String),
    #[error(
        "the dates could be day/month/year or month/day/year (e.g. {examples}); \
         say which with --date-format dmy or --date-format mdy"
    )]
    AmbiguousDates { examples: String },
    /// Values that cannot be used, with the rows and values (the first few of them).
    #[error("{problem} in {count} row(s): {rows}")]
    Rows {
        problem: String,
        count: usize,
        rows: String,
    },
    #[error("data frame: {0}")]
    Frame(#[from] polars::error::PolarsError),
    #[error(transparent)]
    Store(#[from] forestock_core::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Store(e) => e.kind(),
            // A failure inside polars on data we already validated, or writing: not the user's.
            Error::Frame(_) | Error::Io(_) => ErrorKind::Internal,
            _ => ErrorKind::BadInput,
        }
    }
}

/// How many offending rows an error lists before saying "and N more".
pub(crate) const ROWS_SHOWN: usize = 10;

/// An [`Error::Rows`] from `(row, value)` pairs, listing the first [`ROWS_SHOWN`].
pub(crate) fn rows_error(problem: impl Into<String>, bad: &[(usize, String)]) -> Error {
    let mut rows: Vec<String> = bad
        .iter()
        .take(ROWS_SHOWN)
        .map(|(row, value)| format!("row {row} ({value:?})"))
        .collect();
    if bad.len() > ROWS_SHOWN {
        rows.push(format!("and {} more", bad.len() - ROWS_SHOWN));
    }
    Error::Rows {
        problem: problem.into(),
        count: bad.len(),
        rows: rows.join(", "),
    }
}
