//! `forestock export history|forecast|plan|pos|audit --format parquet|csv -o FILE`: typed
//! files for BI tools, DuckDB or a batch job (dates as dates, money beside its currency).

use crate::cmd::common::{open_db, DbArg};
use forestock_api::export::{export, ExportFormat, ExportKind};
use forestock_core::OutputFile;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The daily demand history (synced orders and imported history, as the forecaster reads it).
    History,
    /// The latest forecast run, per SKU, location and day.
    Forecast,
    /// The latest plan's lines.
    Plan,
    /// Purchase orders, one row per line.
    Pos,
    /// The audit log.
    Audit,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
enum Format {
    Parquet,
    Csv,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArg,
    /// What to export.
    #[arg(value_enum)]
    what: Kind,
    #[arg(long, value_enum, default_value = "parquet")]
    format: Format,
    /// The file to write.
    #[arg(long, short)]
    output: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let out = OutputFile::new(&args.output, args.force);
    // refused before the database is even opened: an existing file, the database itself
    out.check(&[&args.db.db])?;
    let store = open_db(&args.db.db)?;
    let kind = match args.what {
        Kind::History => ExportKind::History,
        Kind::Forecast => ExportKind::Forecast,
        Kind::Plan => ExportKind::Plan,
        Kind::Pos => ExportKind::Pos,
        Kind::Audit => ExportKind::Audit,
    };
    let format = match args.format {
        Format::Parquet => ExportFormat::Parquet,
        Format::Csv => ExportFormat::Csv,
    };
    let rows = export(&store, kind, format, &out)?;
    writeln!(
        std::io::stderr(),
        "wrote {rows} rows to {}",
        args.output.display()
    )?;
    Ok(())
}
