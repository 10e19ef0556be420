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

/// What kind of failure an error is, whatever crate it comes from. Every crate's error maps to
/// one (see [`Classify`]); the CLI's exit codes and the app's error codes both derive from it,
/// so an error is classified once, here, and nowhere else. The app sends it to its UI as the
/// error's `code` (snake_case; TypeScript `ErrorCode` with the feature `ts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ErrorCode"))]
pub enum ErrorKind {
    /// Something referred to does not exist (a SKU, a PO, a store). Not the database file
    /// itself: that is [`ErrorKind::Database`].
    NotFound,
    /// The caller gave something unusable, or asked for what the current state forbids.
    BadInput,
    /// The database file is missing, corrupt, not SQLite, from a newer Forestock, or failing.
    Database,
    /// Another process holds the database; retrying in a moment may work.
    Busy,
    /// A remote store, ERP or the keychain refused or could not be reached.
    Remote,
    /// The user (or a signal) stopped the operation.
    Cancelled,
    /// Anything else: a bug or an environment problem.
    Internal,
}

/// An error that knows its [`ErrorKind`]. Implemented by every crate's error type.
pub trait Classify {
    fn kind(&self) -> ErrorKind;
}

/// True for SQLite's "busy" and "locked" (another connection holds the database).
pub fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(e, _)
            if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// A raw SQLite error: busy or locked, else a database failure.
impl Classify for rusqlite::Error {
    fn kind(&self) -> ErrorKind {
        if is_busy(self) {
            ErrorKind::Busy
        } else {
            ErrorKind::Database
        }
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        Error::kind(self)
    }
}

impl Error {
    /// The one classification of a database error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Invalid { .. } | Error::Output { .. } => ErrorKind::BadInput,
            Error::Missing { .. }
            | Error::NotADatabase { .. }
            | Error::NewerVersion { .. }
            | Error::Open { .. }
            | Error::InUse { .. }
            | Error::Json(_)
            | Error::Io(_)
            | Error::Csv(_) => ErrorKind::Database,
            Error::Sql(e) => e.kind(),
        }
    }

    /// True when the caller gave something unusable (as opposed to a broken database).
    pub fn is_bad_input(&self) -> bool {
        matches!(self.kind(), ErrorKind::BadInput | ErrorKind::NotFound)
    }

    /// True when retrying the same operation may succeed (a locked database).
    pub fn is_retryable(&self) -> bool {
        self.kind() == ErrorKind::Busy
    }

    pub(crate) fn invalid(what: &'static str, detail: impl Into<String>) -> Self {
        Error::Invalid {
            what,
            detail: detail.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_database_file_is_a_database_problem_and_a_missing_row_is_not_found() {
        let missing = Error::Missing {
            path: "x.db".into(),
        };
        assert_eq!(missing.kind(), ErrorKind::Database);
        let row = Error::NotFound {
            what: "SKU",
            key: "X".into(),
        };
        assert_eq!(row.kind(), ErrorKind::NotFound);
        assert!(row.is_bad_input() && !missing.is_bad_input());
        let busy = Error::Sql(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            None,
        ));
        assert_eq!(busy.kind(), ErrorKind::Busy);
        assert!(busy.is_retryable());
    }

    /// The app's UI branches on these strings (its `ErrorCode`): each kind, in snake_case.
    #[test]
    fn each_kind_is_sent_as_its_name_in_snake_case() {
        use ErrorKind as K;
        let sent = |k: K| serde_json::to_string(&k).unwrap_or_default();
        for (k, name) in [
            (K::NotFound, "not_found"),
            (K::BadInput, "bad_input"),
            (K::Database, "database"),
            (K::Busy, "busy"),
            (K::Remote, "remote"),
            (K::Cancelled, "cancelled"),
            (K::Internal, "internal"),
        ] {
            assert_eq!(sent(k), format!("\"{name}\""));
        }
    }
}
