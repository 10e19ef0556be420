//! `forestock info`: what a merchant database holds — counts, date range, last sync and run.

use crate::cmd::common::{open_db_read_only, report, DbArg, FormatArg};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    // read only: `info` on a file that is not a Forestock database must not change it
    let store = open_db_read_only(&args.db.db)?;
    report(args.format.format, &store.read().info()?)
}
