//! Pieces shared by the verbs: the database argument, output formats.

use forestock_api::text::PlainText;
use forestock_core::{AuditStamp, FrontDoor, OutputFile, Store};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

/// `--db PATH`, anywhere on the command line (`forestock --db X po draft`, `forestock po draft
/// --db X`), or `$FORESTOCK_DB`: the merchant database; `forestock.db` when neither is given.
pub struct Db(pub Option<PathBuf>);

impl Db {
    pub fn path(&self) -> &Path {
        self.0.as_deref().unwrap_or(Path::new("forestock.db"))
    }

    /// The existing database; a missing file is an error naming the way to make one.
    pub fn open(&self) -> anyhow::Result<Store> {
        Store::open(self.path()).map_err(|e| self.missing(e))
    }

    /// The existing database for reading only: a file that is not a Forestock database is
    /// refused without being written to (`forestock info`).
    pub fn read_only(&self) -> anyhow::Result<Store> {
        Store::open_read_only(self.path()).map_err(|e| self.missing(e))
    }

    fn missing(&self, e: forestock_core::Error) -> anyhow::Error {
        let path = self.path().display();
        match e {
            forestock_core::Error::Missing { .. } => crate::exit::reworded(
                &e,
                format!(
                    "database {path} does not exist (create the demo merchant with \
                     `forestock demo --db {path}`)"
                ),
            ),
            e => e.into(),
        }
    }
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

/// A planner's calendar of dated entries (promotions, forecast overrides) with its entries'
/// fields `F`: list, add, edit, delete.
pub type Calendar<F> = Sub<Entries<F>>;

#[derive(clap::Subcommand)]
pub enum Entries<F: clap::Args> {
    /// Every entry, earliest first.
    List(FormatArg),
    /// Add an entry.
    Add(F),
    /// Change entry ID (every field given again).
    Edit {
        id: i64,
        #[command(flatten)]
        fields: F,
    },
    /// Delete entry ID.
    Delete { id: i64 },
}

/// A verb of sub-verbs `A`.
#[derive(clap::Args)]
pub struct Sub<A: clap::Subcommand> {
    #[command(subcommand)]
    pub action: A,
}

/// A verb whose sub-verbs work on one merchant database: `--format` (accepted after the
/// sub-verb too) and the sub-verb.
#[derive(clap::Args)]
pub struct OnDb<A: clap::Subcommand> {
    #[command(flatten)]
    pub format: GlobalFormat,
    #[command(subcommand)]
    pub action: A,
}

impl<A: clap::Subcommand> OnDb<A> {
    /// The open database, who and when for its audit entries, and the output format.
    pub fn open(&self, db: &Db) -> anyhow::Result<(Store, AuditStamp, Format)> {
        Ok((db.open()?, stamp(), self.format.format))
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

/// Who and when for the audit entries a command writes: `cli:<OS user>`, now, in UTC (the
/// one scheme of [`AuditStamp`], shared with the app's `app:<OS user>`).
pub fn stamp() -> AuditStamp {
    AuditStamp::now(FrontDoor::Cli)
}

/// A progress bar on stderr drawn with `template`, or none when `quiet`.
pub fn bar(quiet: bool, template: &str) -> ProgressBar {
    let style = ProgressStyle::with_template(template).unwrap_or(ProgressStyle::default_bar());
    let bar = match quiet {
        true => ProgressBar::hidden(),
        false => ProgressBar::new(0),
    };
    bar.with_style(style.progress_chars("=> "))
}

/// A stage of work counted in steps, on a progress bar.
pub trait Step {
    fn step(&self, stage: &'static str, done: usize, total: usize);
}

impl Step for ProgressBar {
    fn step(&self, stage: &'static str, done: usize, total: usize) {
        self.set_message(stage);
        self.set_length(total as u64);
        self.set_position(done as u64);
    }
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
