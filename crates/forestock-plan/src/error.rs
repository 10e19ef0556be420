//! Errors of the planning engine.

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

    /// True when the caller can fix it by changing the input (maps to exit code 2 / a form error).
    pub fn is_bad_input(&self) -> bool {
        match self {
            Error::Invalid { .. }
            | Error::NotFound { .. }
            | Error::State(_)
            | Error::Empty(_)
            | Error::Io { .. } => true,
            Error::Store(e) => e.is_bad_input(),
            Error::Forecast(e) => e.is_bad_input(),
            _ => false,
        }
    }

    /// True when retrying may succeed (a locked database).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Store(e) => e.is_retryable(),
            Error::Sql(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            _ => false,
        }
    }

    /// A small stable code the UI can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::State(_) => "state",
            Error::Empty(_) => "empty",
            Error::Io { .. } => "io",
            _ if self.is_retryable() => "busy",
            _ => "internal",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
