//! Errors of the forecasting engine.

/// What can go wrong for a whole run (a bad series never is: see [`crate::SeriesIssue`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input file cannot be used at all (missing column, unreadable header, no rows).
    #[error("{0}")]
    BadInput(String),
    /// A configuration value is out of range (horizon 0, quantile outside 0..1).
    #[error("bad configuration: {0}")]
    Config(String),
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("CSV error: {0}")]
    Csv(#[from] csv::Error),
}

/// A pure computation over a file the user gave: everything is the input's or the options'
/// fault, and nothing gets better by retrying.
impl forestock_core::Classify for Error {
    fn kind(&self) -> forestock_core::ErrorKind {
        forestock_core::ErrorKind::BadInput
    }
}

impl Error {
    /// True when the user can fix it by changing the input or the options.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, Self::BadInput(_) | Self::Config(_) | Self::Csv(_))
    }

    /// Never true: nothing in a pure computation gets better by retrying.
    pub fn is_retryable(&self) -> bool {
        false
    }
}

pub type Result<T> = std::result::Result<T, Error>;
