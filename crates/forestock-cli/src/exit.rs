//! Exit codes that mean something, and one clear line on stderr per failure.

use forestock_core::{Classify, ErrorKind};
use std::fmt;
use std::process::ExitCode;

pub const INTERNAL: u8 = 1;
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

fn coded(code: u8, message: impl Into<String>) -> anyhow::Error {
    let message = message.into();
    Coded { code, message }.into()
}

/// Bad usage or bad input (exit 2).
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    coded(USAGE, message)
}

/// Some of the work a remote service was asked to do failed (exit 4); each failure is already
/// reported in the command's output.
pub fn remote(message: impl Into<String>) -> anyhow::Error {
    coded(REMOTE, message)
}

/// A verb's own wording for a library error (naming the flag or the way out); the error's kind
/// still decides the exit code.
pub fn reworded(e: &impl Classify, message: impl Into<String>) -> anyhow::Error {
    coded(code_of(e.kind()), message)
}

/// The exit code of each kind of failure: the one mapping from [`ErrorKind`] to the documented
/// codes (README "Exit codes").
pub fn code_of(kind: ErrorKind) -> u8 {
    match kind {
        // A SKU, PO or store that does not exist is the caller's mistake; a missing database
        // file is `Database` (see `forestock_core::Error::kind`).
        ErrorKind::BadInput | ErrorKind::NotFound => USAGE,
        ErrorKind::Database | ErrorKind::Busy => DATABASE,
        // A sync stopped before its end leaves the remote's data incomplete, as a remote
        // failure does.
        ErrorKind::Remote | ErrorKind::Cancelled => REMOTE,
        ErrorKind::Internal => INTERNAL,
    }
}

/// The kind of a cause: a library error of any crate ([`forestock_api::error::kind_of`]).
fn kind_of(cause: &(dyn std::error::Error + 'static)) -> Option<ErrorKind> {
    let found = forestock_api::error::kind_of(cause);
    #[cfg(feature = "sim")]
    let found = found.or_else(|| {
        let sim = cause.downcast_ref::<forestock_sim::SimError>();
        sim.map(Classify::kind)
    });
    found
}

/// Exit status of a process whose output reader went away (128 + SIGPIPE, as a shell reports
/// for `yes | head`).
pub const BROKEN_PIPE: u8 = 141;

/// Whether an I/O error anywhere in the chain is a closed pipe (`forestock … | head`).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| {
            cause
                .downcast_ref::<csv::Error>()
                .and_then(|c| match c.kind() {
                    csv::ErrorKind::Io(e) => Some(e),
                    _ => None,
                })
        });
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// `forestock po list | head`: once the reader of stdout has gone, `println!` panics with
/// "failed printing to stdout: Broken pipe". Rust starts programs with SIGPIPE ignored and
/// restoring the default handler needs `unsafe`, so instead end quietly, with the status a
/// shell gives a process stopped by SIGPIPE. Any other panic reports as usual.
pub fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.starts_with("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(i32::from(BROKEN_PIPE));
        }
        default(info);
    }));
}

/// The error and its causes joined by `: `, each said once: an error whose message already
/// ends with its cause's text (`cannot read x: No such file…` over the `io::Error` itself) does
/// not repeat it.
fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        // SQLite's numeric code under rusqlite's message says nothing more to a reader.
        if !line.is_empty() && cause.is::<rusqlite::ffi::Error>() {
            continue;
        }
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// Print the error as one line and pick the exit code from its kind.
pub fn report(err: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(err) {
        return ExitCode::from(BROKEN_PIPE);
    }
    eprintln!("error: {}", one_line(err));
    let code = err
        .chain()
        .find_map(|cause| match cause.downcast_ref::<Coded>() {
            Some(coded) => Some(coded.code),
            None => kind_of(cause).map(code_of),
        })
        .unwrap_or(INTERNAL);
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented exit codes (README "Exit codes"), each from the error's kind.
    #[test]
    fn exit_codes_follow_the_error_kind() {
        use ErrorKind as K;
        let table = [
            (K::BadInput, 2),
            (K::NotFound, 2),
            (K::Database, 3),
            (K::Busy, 3),
            (K::Remote, 4),
            (K::Cancelled, 4),
            (K::Internal, 1),
        ];
        for (kind, code) in table {
            assert_eq!(code_of(kind), code, "{kind:?}");
        }
        // Through the chain: a plan error wrapping a missing database file is exit 3, a
        // connector error about a store that does not answer is exit 4.
        let plan = anyhow::Error::new(forestock_plan::Error::Store(
            forestock_core::Error::Missing {
                path: "x.db".into(),
            },
        ));
        assert_eq!(report(&plan), ExitCode::from(DATABASE));
        let remote = anyhow::Error::new(forestock_connect::Error::Network {
            store: "Shop".into(),
            detail: "refused".into(),
        })
        .context("syncing");
        assert_eq!(report(&remote), ExitCode::from(REMOTE));
    }
}
