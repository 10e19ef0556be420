//! The connect crate's error: every variant names the store it is about, and says whether a
//! retry can fix it.

use forestock_core::{Classify, ErrorKind};
use std::time::Duration;

/// Everything that can go wrong talking to a store or ERP, or keeping its credentials.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "{store}: the credentials were rejected ({detail}); check or renew them and run \
         `forestock connect` again"
    )]
    Auth { store: String, detail: String },
    #[error("{store}: permission missing: {detail}")]
    Permission { store: String, detail: String },
    #[error("{store}: {url} does not look like a {platform} API ({detail}); check the store URL")]
    NotAStore {
        store: String,
        platform: &'static str,
        url: String,
        detail: String,
    },
    #[error("{store}: rate limited by the remote service ({detail})")]
    Throttled {
        store: String,
        detail: String,
        retry_after: Option<Duration>,
    },
    #[error("{store}: the remote service failed with HTTP {status} ({detail}); try again later")]
    Server {
        store: String,
        status: u16,
        detail: String,
    },
    #[error("{store}: network problem ({detail}); check the connection and try again")]
    Network { store: String, detail: String },
    #[error("{store}: malformed response ({detail})")]
    Malformed { store: String, detail: String },
    #[error("{store}: request rejected with HTTP {status}: {detail}")]
    Rejected {
        store: String,
        status: u16,
        detail: String,
    },
    #[error("{store}: {detail}")]
    Remote { store: String, detail: String },
    #[error("keychain: {0}")]
    Keychain(String),
    #[error("keychain has no credentials for {store} (entry {reference}); run `forestock connect` for it again")]
    NoCredentials { store: String, reference: String },
    #[error("invalid {what}: {detail}")]
    Invalid { what: &'static str, detail: String },
    #[error("{store}: sync cancelled")]
    Cancelled { store: String },
    #[error("another sync of {db} is running ({owner}); wait for it to finish, then sync again")]
    SyncRunning { db: String, owner: String },
    #[error("another run of {db} is in progress ({owner}): the app's Sync & run or `forestock nightly`; wait for it to finish, then run again")]
    RunRunning { db: String, owner: String },
    #[error(transparent)]
    Db(#[from] forestock_core::Error),
}

impl Error {
    /// True when the same request may succeed if tried again later (throttling, 5xx,
    /// network drops, a truncated body, a busy database).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Throttled { .. }
            | Error::Server { .. }
            | Error::Network { .. }
            | Error::Malformed { .. } => true,
            Error::Db(e) => e.is_retryable(),
            _ => false,
        }
    }

    /// True for credential and permission problems: the user must act, retrying won't help.
    pub fn is_auth(&self) -> bool {
        matches!(
            self,
            Error::Auth { .. }
                | Error::Permission { .. }
                | Error::NoCredentials { .. }
                | Error::Keychain(_)
        )
    }

    /// How long the server asked us to wait, when it said so.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Throttled { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The fine-grained cause (`auth`, `network`, …) recorded with a failed push or sync so a
    /// planner can see why; it is a detail, not a classification: what a caller does with the
    /// error follows [`forestock_core::Classify::kind`].
    pub fn code(&self) -> &'static str {
        match self {
            Error::Auth { .. } => "auth",
            Error::Permission { .. } => "permission",
            Error::NotAStore { .. } => "not_a_store",
            Error::Throttled { .. } => "throttled",
            Error::Server { .. } => "server",
            Error::Network { .. } => "network",
            Error::Malformed { .. } => "malformed",
            Error::Rejected { .. } => "rejected",
            Error::Remote { .. } => "remote",
            Error::Keychain(_) => "keychain",
            Error::NoCredentials { .. } => "no_credentials",
            Error::Invalid { .. } => "invalid",
            Error::Cancelled { .. } => "cancelled",
            Error::SyncRunning { .. } => "sync_running",
            Error::RunRunning { .. } => "run_running",
            Error::Db(_) => "database",
        }
    }

    pub(crate) fn invalid(what: &'static str, detail: impl Into<String>) -> Self {
        Error::Invalid {
            what,
            detail: detail.into(),
        }
    }

    pub(crate) fn malformed(store: &str, detail: impl Into<String>) -> Self {
        Error::Malformed {
            store: store.to_string(),
            detail: detail.into(),
        }
    }
}

/// Everything the remote side or the keychain says is [`ErrorKind::Remote`]; the caller's own
/// mistakes are bad input; a database error keeps its own kind.
impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Auth { .. }
            | Error::Permission { .. }
            | Error::NotAStore { .. }
            | Error::Throttled { .. }
            | Error::Server { .. }
            | Error::Network { .. }
            | Error::Malformed { .. }
            | Error::Rejected { .. }
            | Error::Remote { .. }
            | Error::Keychain(_)
            | Error::NoCredentials { .. } => ErrorKind::Remote,
            Error::Invalid { .. } => ErrorKind::BadInput,
            Error::Cancelled { .. } => ErrorKind::Cancelled,
            // Another process is syncing this database: wait and try again.
            Error::SyncRunning { .. } | Error::RunRunning { .. } => ErrorKind::Busy,
            Error::Db(e) => e.kind(),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Db(forestock_core::Error::Sql(e))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Cut a remote body down to something fit for one line of an error message. URLs in it keep
/// only `scheme://host/path` (a body may echo a pre-signed URL or a password-bearing one).
pub(crate) fn snippet(body: &str) -> String {
    let body = crate::remote_url::redact_urls(body);
    let one_line: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(300)
        .collect();
    if body.chars().count() > 300 {
        format!("{one_line}…")
    } else {
        one_line
    }
}

/// A push stopped by the plan side or the connector side keeps that side's kind.
impl Classify for crate::push::PushError {
    fn kind(&self) -> ErrorKind {
        match self {
            crate::push::PushError::Plan(e) => e.kind(),
            crate::push::PushError::Connect(e) => e.kind(),
        }
    }
}
