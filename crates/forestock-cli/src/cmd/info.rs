//! `forestock info`: what a merchant database holds — counts, date range, last sync and run.

use crate::cmd::common::{report, Db, FormatArg};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    // read only: `info` on a file that is not a Forestock database must not change it
    let store = db.read_only()?;
    report(args.format.format, &store.read().info()?)
}
