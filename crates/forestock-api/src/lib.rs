//! The use-case layer: every workflow a user can start is one function here, taking the
//! database, an [`AuditStamp`] (who and when, in UTC) and typed inputs, and returning typed
//! outputs. Its rules and its audit entry live here once; the CLI verbs and the desktop
//! shell's commands are thin adapters over it (argument parsing, printing, events).

pub mod error;
pub mod import;
pub mod plan;
pub mod po;

pub use error::{Error, Result};
pub use forestock_core::AuditStamp;
