//! The simulator's own errors (starting it, loading the merchant). Errors that a simulated
//! API returns to its clients are HTTP responses, not this type.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot open merchant database {path}: {source}")]
    Database {
        path: PathBuf,
        #[source]
        source: forestock_core::Error,
    },
    #[error("reading merchant data: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("merchant data: {0}")]
    Core(#[from] forestock_core::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("invalid simulator configuration: {0}")]
    Config(String),
    #[error("background task failed: {0}")]
    Task(String),
}

/// The simulator is a tool the CLI starts: a port in use or a bad configuration is the user's
/// to fix; a merchant database it cannot read is a database problem.
impl forestock_core::Classify for SimError {
    fn kind(&self) -> forestock_core::ErrorKind {
        use forestock_core::ErrorKind;
        match self {
            // The merchant data it serves is not the caller's input: anything wrong with it is
            // the database's.
            SimError::Database { source: e, .. } | SimError::Core(e) => match e.kind() {
                ErrorKind::Busy => ErrorKind::Busy,
                _ => ErrorKind::Database,
            },
            SimError::Sql(e) => forestock_core::Classify::kind(e),
            SimError::Bind { .. } | SimError::Config(_) => ErrorKind::BadInput,
            SimError::Io(_) | SimError::Task(_) => ErrorKind::Internal,
        }
    }
}

impl SimError {
    /// Starting again cannot fix these except `Bind` (a port in use may free up).
    pub fn is_retryable(&self) -> bool {
        matches!(self, SimError::Bind { .. })
    }
}

pub type Result<T, E = SimError> = std::result::Result<T, E>;
