//! The use cases' error: the library error it came from, classified the same way.

use forestock_core::{Classify, ErrorKind};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Core(#[from] forestock_core::Error),
    #[error(transparent)]
    Plan(#[from] forestock_plan::Error),
    #[error(transparent)]
    Files(#[from] forestock_files::Error),
    /// The caller asked for something a workflow's rule forbids; the message names the rule.
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Core(e) => e.kind(),
            Error::Plan(e) => e.kind(),
            Error::Files(e) => e.kind(),
            Error::Invalid(_) => ErrorKind::BadInput,
        }
    }
}
