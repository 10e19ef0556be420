//! Exit codes that mean something, and one clear line on stderr per failure.

use std::fmt;
use std::process::ExitCode;

pub const USAGE: u8 = 2;
pub const DATABASE: u8 = 3;
pub const REMOTE: u8 = 4;

/// An error that carries the exit code it should end the process with.
#[derive(Debug)]
pub struct Coded {
    pub code: u8,
    pub message: String,
}

impl fmt::Display for Coded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Coded {}

/// Bad usage or bad input (exit 2).
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    Coded {
        code: USAGE,
        message: message.into(),
    }
    .into()
}

/// A database that is missing, corrupt or from a newer version (exit 3).
pub fn database(message: impl Into<String>) -> anyhow::Error {
    Coded {
        code: DATABASE,
        message: message.into(),
    }
    .into()
}

/// A remote service or credentials problem (exit 4).
#[allow(dead_code)]
pub fn remote(message: impl Into<String>) -> anyhow::Error {
    Coded {
        code: REMOTE,
        message: message.into(),
    }
    .into()
}

/// Print the error as one line and pick the exit code from its kind.
pub fn report(err: &anyhow::Error) -> ExitCode {
    eprintln!("error: {err:#}");
    let code = err
        .chain()
        .find_map(|cause| {
            if let Some(coded) = cause.downcast_ref::<Coded>() {
                return Some(coded.code);
            }
            if let Some(db) = cause.downcast_ref::<forestock_core::Error>() {
                return Some(if db.is_bad_input() { USAGE } else { DATABASE });
            }
            None
        })
        .unwrap_or(1);
    ExitCode::from(code)
}
