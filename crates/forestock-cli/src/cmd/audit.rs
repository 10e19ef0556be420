//! `forestock audit [--limit N] [--entity KIND]`: the audit log, newest first, readable: what
//! each entry is about by name (SKU, location, PO number, supplier) and the fields it changed.
//! The same read as the app's Audit screen (`forestock_api::audit::list`).

use crate::cmd::common::{open_db, report, DbArg, FormatArg};
use forestock_api::audit::{self, AuditQuery};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// How many entries, newest first.
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
    /// Only entries about this kind of record (plan_line, purchase_order, supplier, sku…).
    #[arg(long)]
    pub entity: Option<String>,
    /// Only this action (plan.approve, po.approve…).
    #[arg(long)]
    pub action: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.limit < 1 {
        return Err(crate::exit::usage(format!(
            "--limit {}: give at least 1",
            args.limit
        )));
    }
    let store = open_db(&args.db.db)?;
    let query = AuditQuery {
        entity: args.entity,
        entity_id: None,
        action: args.action,
        limit: Some(args.limit),
    };
    report(args.format.format, &audit::list(&store, query)?)
}
