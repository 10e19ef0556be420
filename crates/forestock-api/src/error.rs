//! The use cases' error: the library error it came from, classified the same way.

use forestock_core::{Classify, ErrorKind};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Core(#[from] forestock_core::Error),
    #[error(transparent)]
    Plan(#[from] forestock_plan::Error),
    #[error(transparent)]
    Demand(#[from] forestock_demand::Error),
    #[error(transparent)]
    Connect(#[from] forestock_connect::Error),
    #[error(transparent)]
    Demo(#[from] forestock_demo::Error),
    #[error(transparent)]
    Push(#[from] forestock_connect::push::PushError),
    #[error(transparent)]
    Files(#[from] forestock_files::Error),
    /// The caller asked for something a workflow's rule forbids; the message names the rule.
    #[error("{0}")]
    Invalid(String),
    /// The request named something that does not exist; the message says what.
    #[error("{0}")]
    NotFound(String),
    /// The shell's part of a workflow (drawing a chart, asking for a path) failed.
    #[error("{0}")]
    Internal(String),
    /// A file with bad rows, refused whole: every bad row with its line and reason.
    #[error("the {what} has {} bad rows, nothing was written:\n{}", rows.len(),
        rows.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Rows {
        what: &'static str,
        rows: Vec<crate::suppliers::catalog::RowError>,
    },
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Core(e) => e.kind(),
            Error::Plan(e) => e.kind(),
            Error::Demand(e) => e.kind(),
            Error::Connect(e) => e.kind(),
            Error::Push(e) => e.kind(),
            Error::Demo(e) => e.kind(),
            Error::Files(e) => e.kind(),
            Error::Invalid(_) | Error::Rows { .. } => ErrorKind::BadInput,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::Internal(_) => ErrorKind::Internal,
            Error::Json(_) => ErrorKind::Database,
        }
    }
}
