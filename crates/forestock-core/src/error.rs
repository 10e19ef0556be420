use std::path::PathBuf;

/// Everything that can go wrong with a merchant database.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database {path} does not exist")]
    Missing { path: PathBuf },
    #[error("{path} is not a Forestock database (not SQLite, or corrupt): {detail}")]
    NotADatabase { path: PathBuf, detail: String },
    #[error(
        "{path} was written by a newer Forestock (schema {found}, this version knows {known}); \
         update Forestock to open it"
    )]
    NewerVersion {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("cannot open {path}: {detail}")]
    Open { path: PathBuf, detail: String },
    #[error("invalid {what}: {detail}")]
    Invalid { what: &'static str, detail: String },
    #[error("{what} {key} not found")]
    NotFound { what: &'static str, key: String },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored JSON is malformed: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A file cannot be written where asked (exists without --force, is an input, a folder, or
    /// the write failed); nothing was written. See [`crate::OutputFile`].
    #[error("cannot write {path}: {detail}")]
    Output { path: PathBuf, detail: String },
    /// Another program has the database open, so it cannot be replaced.
    #[error(
        "{path} is open in another program (the Forestock app or another forestock command); \
         close it and try again"
    )]
    InUse { path: PathBuf },
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
}

impl Error {
    /// True when the caller gave something unusable (as opposed to a broken database).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Error::Invalid { .. } | Error::NotFound { .. } | Error::Output { .. }
        )
    }

    /// True when retrying the same operation may succeed (a locked database).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::Sql(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    }

    pub(crate) fn invalid(what: &'static str, detail: impl Into<String>) -> Self {
        Error::Invalid {
            what,
            detail: detail.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
