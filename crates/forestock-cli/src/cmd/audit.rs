//! `forestock audit [--limit N] [--entity KIND]`: the audit log, newest first, readable: what
//! each entry is about by name (SKU, location, PO number, supplier) and the fields it changed.
//! The same read as the app's Audit screen (`forestock_api::audit::list`).

use crate::cmd::common::{report, Db, FormatArg};
use forestock_api::audit::{self, AuditQuery};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub query: AuditQuery,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    if let Some(limit) = args.query.limit.filter(|l| *l < 1) {
        return Err(crate::exit::usage(format!(
            "--limit {limit}: give at least 1"
        )));
    }
    let store = db.open()?;
    report(args.format.format, &audit::list(&store, args.query)?)
}
