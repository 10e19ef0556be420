//! `forestock writeback preview|approve|push|status`: the latest plan's forecast per SKU
//! written back to the Shopify or BigCommerce store it was synced from, only after approval.
//!
//! A thin adapter over [`forestock_api::writeback`]: `preview` shows what would be written
//! (and writes nothing), `approve` freezes that content (audited, with its hash), `push` sends
//! the approved batch (only values that differ from what was last written), `status` shows the
//! store's batch and whether the current preview still matches it.

use super::common::{open_db, DbArg, Format};
use crate::exit;
use forestock_api::writeback::Preview;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// What a push would write, per SKU (nothing is written).
    Preview(Common),
    /// Approve the current preview for the store (audited with its content hash).
    Approve {
        #[command(flatten)]
        common: Common,
        /// The content hash the preview showed; refused if the preview has changed since.
        #[arg(long)]
        hash: Option<String>,
    },
    /// Push the approved batch (only values that differ from what was last written).
    Push(Common),
    /// The store's approved batch and whether the current preview still matches it.
    Status(Common),
}

#[derive(clap::Args)]
pub struct Common {
    #[command(flatten)]
    pub db: DbArg,
    /// The Shopify or BigCommerce store (id or name); default: the only one connected.
    #[arg(long)]
    pub store: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

fn print_batch(p: &Preview) {
    match &p.batch {
        None => println!("approved: nothing yet"),
        Some(b) => println!(
            "approved: batch {} by {} at {} ({}, {} values{}){}",
            b.id,
            b.approved_by,
            b.approved_at.format("%Y-%m-%d %H:%M:%S UTC"),
            b.status,
            b.lines,
            b.pushed_at
                .map(|t| format!(", pushed {}", t.format("%Y-%m-%d %H:%M:%S UTC")))
                .unwrap_or_default(),
            if p.batch_matches {
                ""
            } else {
                "; the preview has changed since: approve again before pushing"
            }
        ),
    }
}

fn print_preview(p: &Preview, all: bool) {
    println!(
        "{} ({}): {} SKUs, forecast {} to {} · {} value(s) to write · hash {}",
        p.store,
        p.platform,
        p.skus.len(),
        p.from.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
        p.to.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
        p.to_write,
        p.content_hash
    );
    if p.skipped_not_synced > 0 || p.synced_without_forecast > 0 {
        println!(
            "skipped: {} planned SKU(s) not synced from this store, {} synced SKU(s) without a forecast",
            p.skipped_not_synced, p.synced_without_forecast
        );
    }
    if all {
        println!(
            "{:<20} {:>10} {:>10} {:>10}  {:<7} owner",
            "sku", "units_30d", "p10", "p90", "change"
        );
        for s in &p.skus {
            let changed = s.fields.iter().any(|f| f.changed());
            println!(
                "{:<20} {:>10.1} {:>10.1} {:>10.1}  {:<7} {}",
                s.sku,
                s.units,
                s.p10,
                s.p90,
                if changed { "yes" } else { "no" },
                s.owner
            );
        }
    }
    print_batch(p);
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let stamp = super::common::stamp();
    match args.action {
        Action::Preview(c) => {
            let db = open_db(&c.db.db)?;
            let p = forestock_api::writeback::preview(&db, c.store.as_deref())?;
            match c.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&p)?),
                Format::Text => print_preview(&p, true),
            }
        }
        Action::Approve { common: c, hash } => {
            let mut db = open_db(&c.db.db)?;
            let p = forestock_api::writeback::approve(
                &mut db,
                &stamp,
                c.store.as_deref(),
                hash.as_deref(),
            )?;
            match c.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&p)?),
                Format::Text => print_preview(&p, false),
            }
        }
        Action::Push(c) => {
            let mut db = open_db(&c.db.db)?;
            let rt = super::common::runtime()?;
            let r = rt.block_on(forestock_api::writeback::push(
                &mut db,
                &stamp,
                c.store.as_deref(),
            ))?;
            match c.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&r)?),
                Format::Text => {
                    println!(
                        "{}: batch {} {}: {} written, {} already up to date, {} failed",
                        r.store,
                        r.batch_id,
                        r.status,
                        r.written,
                        r.unchanged,
                        r.failed.len()
                    );
                    for f in &r.failed {
                        eprintln!("{} {}: {}", f.sku, f.key, f.error);
                    }
                }
            }
            if let Some(first) = r.failed.first() {
                return Err(exit::remote(format!(
                    "{} value(s) not written; first: {} {}: {}",
                    r.failed.len(),
                    first.sku,
                    first.key,
                    first.error
                )));
            }
        }
        Action::Status(c) => {
            let db = open_db(&c.db.db)?;
            let p = forestock_api::writeback::preview(&db, c.store.as_deref())?;
            match c.format {
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "store": p.store, "batch": p.batch, "batch_matches": p.batch_matches,
                        "content_hash": p.content_hash, "to_write": p.to_write,
                    }))?
                ),
                Format::Text => print_preview(&p, false),
            }
        }
    }
    Ok(())
}
