//! Pieces shared by the verbs: the database argument, output formats.

use forestock_api::text::PlainText;
use forestock_core::{AuditStamp, FrontDoor, OutputFile, Store};
use forestock_forecast::io::LoadedHistory;
use std::path::{Path, PathBuf};

/// `--db PATH`: the merchant database. Global within its verb, so it is accepted after a
/// sub-verb too (`forestock po draft --db X`, `forestock review approve --db X …`).
#[derive(clap::Args, Clone)]
pub struct DbArg {
    /// The merchant database file.
    #[arg(
        long,
        global = true,
        default_value = "forestock.db",
        env = "FORESTOCK_DB"
    )]
    pub db: PathBuf,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// `--format text|json` of a verb without sub-verbs.
#[derive(clap::Args, Clone, Copy)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `--format text|json` of a verb with sub-verbs: accepted after the sub-verb too.
#[derive(clap::Args, Clone, Copy)]
pub struct GlobalFormat {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text, global = true)]
    pub format: Format,
}

/// What a planner's dated entry (a forecast override, a promotion) is for: one SKU or one
/// category, at one location or all, from a first to a last day.
#[derive(clap::Args, Clone)]
pub struct Target {
    /// The SKU it is for (or --category).
    #[arg(long)]
    pub sku: Option<String>,
    /// The category it is for (or --sku).
    #[arg(long)]
    pub category: Option<String>,
    /// Only at this location (code); every location when left out.
    #[arg(long)]
    pub location: Option<String>,
    /// First day, YYYY-MM-DD.
    #[arg(long)]
    pub start: chrono::NaiveDate,
    /// Last day, YYYY-MM-DD.
    #[arg(long)]
    pub end: chrono::NaiveDate,
}

/// A verb whose sub-verbs work on one merchant database: `--db`, `--format` (both accepted
/// after the sub-verb too) and the sub-verb.
#[derive(clap::Args)]
pub struct OnDb<A: clap::Subcommand> {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub format: GlobalFormat,
    #[command(subcommand)]
    pub action: A,
}

impl<A: clap::Subcommand> OnDb<A> {
    /// The open database, who and when for its audit entries, and the output format.
    pub fn open(&self) -> anyhow::Result<(Store, AuditStamp, Format)> {
        Ok((open_db(&self.db.db)?, stamp(), self.format.format))
    }
}

/// Write a block of output to stdout. A reader that went away (`forestock alerts | head`) ends
/// the command quietly, like every verb (`exit::report`).
pub fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Print a result as pretty JSON, or as `text` (whole lines, each ending with a newline).
pub fn show<T: serde::Serialize + ?Sized>(
    fmt: Format,
    value: &T,
    text: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    emit(&match fmt {
        Format::Json => serde_json::to_string_pretty(value)? + "\n",
        Format::Text => text(),
    })
}

/// Print a report as pretty JSON or as its plain text ([`PlainText`]).
pub fn report<T: serde::Serialize + PlainText>(fmt: Format, value: &T) -> anyhow::Result<()> {
    show(fmt, value, || value.text())
}

/// Open an existing merchant database; a missing file is an error naming the way to make one.
pub fn open_db(path: &Path) -> anyhow::Result<Store> {
    Store::open(path).map_err(|e| db_err(path, e))
}

/// Open an existing merchant database for reading only: a file that is not a Forestock
/// database is refused without being written to (`forestock info`).
pub fn open_db_read_only(path: &Path) -> anyhow::Result<Store> {
    Store::open_read_only(path).map_err(|e| db_err(path, e))
}

fn db_err(path: &Path, e: forestock_core::Error) -> anyhow::Error {
    match e {
        forestock_core::Error::Missing { .. } => crate::exit::reworded(
            &e,
            format!(
                "database {} does not exist (create the demo merchant with `forestock demo --db {}`)",
                path.display(),
                path.display()
            ),
        ),
        e => e.into(),
    }
}

/// Who and when for the audit entries a command writes: `cli:<OS user>`, now, in UTC (the
/// one scheme of [`AuditStamp`], shared with the app's `app:<OS user>`).
pub fn stamp() -> AuditStamp {
    AuditStamp::now(FrontDoor::Cli)
}

/// The async runtime the remote verbs (connect, sync, push) run their work on.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))
}

/// `--output PATH` with `--force`: `None` for `-` (standard output), else the file, which
/// follows the rule of every file Forestock writes (see [`OutputFile`]).
pub fn output_file(path: &Path, force: bool) -> Option<OutputFile> {
    (path.as_os_str() != "-").then(|| OutputFile::new(path, force))
}

/// Read a history CSV given with `--input`: a missing or unreadable file and a file with
/// nothing usable in it are bad input (exit 2), said once.
pub fn read_history_input(path: &Path) -> anyhow::Result<LoadedHistory> {
    use forestock_forecast::Error;
    forestock_forecast::io::read_history_file(path).map_err(|e| match &e {
        Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            crate::exit::reworded(&e, format!("input {} does not exist", path.display()))
        }
        Error::Io { source, .. } => crate::exit::reworded(
            &e,
            format!("cannot read input {}: {source}", path.display()),
        ),
        _ => anyhow::Error::new(e).context(path.display().to_string()),
    })
}
