//! `forestock audit [--limit N] [--entity KIND]`: the audit log, newest first, readable: what
//! each entry is about by name (SKU, location, PO number, supplier) and the fields it changed.
//! The same read as the app's Audit screen (`forestock_api::audit::list`).

use crate::cmd::common::{open_db, DbArg, Format};
use crate::cmd::plan::emit;
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.limit < 1 {
        return Err(crate::exit::usage(format!(
            "--limit {}: give at least 1",
            args.limit
        )));
    }
    let store = open_db(&args.db.db)?;
    let entries = audit::list(
        &store,
        AuditQuery {
            entity: args.entity,
            entity_id: None,
            action: args.action,
            limit: Some(args.limit),
        },
    )?;
    if args.format == Format::Json {
        return emit(&(serde_json::to_string_pretty(&entries)? + "\n"));
    }
    let mut out = String::new();
    if entries.is_empty() {
        out.push_str("no audit entries\n");
    }
    for e in &entries {
        out.push_str(&format!(
            "{}  {}  {}  {}\n",
            e.at, e.actor, e.action, e.what
        ));
        for c in &e.changes {
            out.push_str(&format!(
                "    {}: {} → {}\n",
                c.field,
                c.before.as_deref().unwrap_or("—"),
                c.after.as_deref().unwrap_or("—")
            ));
        }
        if !e.reason.is_empty() {
            out.push_str(&format!("    why: {}\n", e.reason));
        }
    }
    emit(&out)
}
