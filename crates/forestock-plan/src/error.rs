//! Errors of the planning engine.

use forestock_core::{Classify, ErrorKind};

/// Everything planning can refuse or fail at. Bad input names the field and the value.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value the planner or caller gave is out of range or inconsistent.
    #[error("invalid {what}: {detail}")]
    Invalid { what: &'static str, detail: String },
    /// Something referred to does not exist (a SKU, a scenario, a purchase order).
    #[error("{what} {key} not found")]
    NotFound { what: &'static str, key: String },
    /// The action is not allowed in the object's current state (e.g. editing an exported PO).
    #[error("{0}")]
    State(String),
    /// Nothing to do: e.g. no plan run yet, an empty purchase order.
    #[error("{0}")]
    Empty(String),
    #[error(transparent)]
    Store(#[from] forestock_core::Error),
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored JSON is malformed: {0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Forecast(#[from] forestock_forecast::Error),
    /// A stored forecast run could not be read back.
    #[error(transparent)]
    Demand(#[from] forestock_demand::Error),
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub(crate) fn invalid(what: &'static str, detail: impl Into<String>) -> Self {
        Error::Invalid {
            what,
            detail: detail.into(),
        }
    }

    pub(crate) fn not_found(what: &'static str, key: impl ToString) -> Self {
        Error::NotFound {
            what,
            key: key.to_string(),
        }
    }

    /// True when the caller can fix it by changing the input (exit code 2 / a form error).
    pub fn is_bad_input(&self) -> bool {
        matches!(self.kind(), ErrorKind::BadInput | ErrorKind::NotFound)
    }

    /// True when retrying may succeed (a locked database).
    pub fn is_retryable(&self) -> bool {
        self.kind() == ErrorKind::Busy
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid { .. } | Error::State(_) | Error::Empty(_) | Error::Io { .. } => {
                ErrorKind::BadInput
            }
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Store(e) => e.kind(),
            Error::Sql(e) => e.kind(),
            Error::Forecast(e) => e.kind(),
            Error::Demand(e) => e.kind(),
            Error::Json(_) | Error::Csv(_) => ErrorKind::Database,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
