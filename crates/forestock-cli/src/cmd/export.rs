//! `forestock export history|forecast|plan|pos|audit --format parquet|csv -o FILE`: typed
//! files for BI tools, DuckDB or a batch job (dates as dates, money beside its currency).

use crate::cmd::common::Db;
use forestock_api::export::{export, ExportAs, ExportWhat};
use forestock_core::OutputFile;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// What to export.
    #[arg(value_enum)]
    what: ExportWhat,
    #[arg(long, value_enum, default_value = "parquet")]
    format: ExportAs,
    /// The file to write.
    #[arg(long, short)]
    output: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let out = OutputFile::new(&args.output, args.force);
    // refused before the database is even opened: an existing file, the database itself
    out.check(&[db.path()])?;
    let store = db.open()?;
    let rows = export(&store, args.what.into(), args.format.into(), &out)?;
    writeln!(
        std::io::stderr(),
        "wrote {rows} rows to {}",
        args.output.display()
    )?;
    Ok(())
}
