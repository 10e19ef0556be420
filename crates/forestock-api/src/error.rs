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

/// The kind of the error `cause` when it is one of a Forestock crate's errors (or SQLite's):
/// how a caller holding errors as `dyn Error` (the CLI's error chain) classifies them, with the
/// same [`Classify`] every crate implements.
pub fn kind_of(cause: &(dyn std::error::Error + 'static)) -> Option<ErrorKind> {
    fn kind<E: Classify + std::error::Error + 'static>(
        cause: &(dyn std::error::Error + 'static),
    ) -> Option<ErrorKind> {
        cause.downcast_ref::<E>().map(Classify::kind)
    }
    kind::<Error>(cause)
        .or_else(|| kind::<forestock_core::Error>(cause))
        .or_else(|| kind::<forestock_files::Error>(cause))
        .or_else(|| kind::<forestock_plan::Error>(cause))
        .or_else(|| kind::<forestock_connect::Error>(cause))
        .or_else(|| kind::<forestock_connect::push::PushError>(cause))
        .or_else(|| kind::<forestock_forecast::Error>(cause))
        .or_else(|| kind::<forestock_demand::Error>(cause))
        .or_else(|| kind::<forestock_demo::Error>(cause))
        .or_else(|| kind::<rusqlite::Error>(cause))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crate's error is found behind `dyn Error` with its own kind (six of the ten types
    /// here; the others follow the same `downcast_ref`); anything else has none.
    #[test]
    fn kind_of_finds_each_crates_error() {
        let cases: [(Box<dyn std::error::Error>, ErrorKind); 6] = [
            (
                Box::new(Error::NotFound("PO-9".into())),
                ErrorKind::NotFound,
            ),
            (
                Box::new(forestock_core::Error::Missing {
                    path: "x.db".into(),
                }),
                ErrorKind::Database,
            ),
            (
                Box::new(forestock_forecast::Error::Config("h".into())),
                ErrorKind::BadInput,
            ),
            (Box::new(rusqlite::Error::InvalidQuery), ErrorKind::Database),
            (
                Box::new(forestock_plan::Error::Invalid {
                    what: "lead time",
                    detail: "0".into(),
                }),
                ErrorKind::BadInput,
            ),
            (
                Box::new(forestock_connect::Error::Network {
                    store: "Shop".into(),
                    detail: "refused".into(),
                }),
                ErrorKind::Remote,
            ),
        ];
        for (e, kind) in cases {
            assert_eq!(kind_of(e.as_ref()), Some(kind), "{e}");
        }
        assert_eq!(kind_of(&std::io::Error::other("x")), None);
    }
}
