//! `forestock writeback preview|approve|push|status`: the latest plan's forecast per SKU
//! written back to the Shopify or BigCommerce store it was synced from, only after approval.
//!
//! A thin adapter over [`forestock_api::writeback`]: `preview` shows what would be written
//! (and writes nothing), `approve` freezes that content (audited, with its hash), `push` sends
//! the approved batch (only values that differ from what was last written), `status` shows the
//! store's batch and whether the current preview still matches it.

use super::common::{open_db, report, show, DbArg, Format};
use crate::exit;
use forestock_api::text;

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

pub fn run(args: Args) -> anyhow::Result<()> {
    let stamp = super::common::stamp();
    match args.action {
        Action::Preview(c) => {
            let db = open_db(&c.db.db)?;
            let p = forestock_api::writeback::preview(&db, c.store.as_deref())?;
            show(c.format, &p, || text::writeback(&p, true))?;
        }
        Action::Approve { common: c, hash } => {
            let mut db = open_db(&c.db.db)?;
            let p = forestock_api::writeback::approve(
                &mut db,
                &stamp,
                c.store.as_deref(),
                hash.as_deref(),
            )?;
            show(c.format, &p, || text::writeback(&p, false))?;
        }
        Action::Push(c) => {
            let mut db = open_db(&c.db.db)?;
            let rt = super::common::runtime()?;
            let r = rt.block_on(forestock_api::writeback::push(
                &mut db,
                &stamp,
                c.store.as_deref(),
            ))?;
            report(c.format, &r)?;
            if c.format == Format::Text {
                for f in &r.failed {
                    eprintln!("{} {}: {}", f.sku, f.key, f.error);
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
            let status = serde_json::json!({
                "store": p.store, "batch": p.batch, "batch_matches": p.batch_matches,
                "content_hash": p.content_hash, "to_write": p.to_write,
            });
            show(c.format, &status, || text::writeback(&p, false))?;
        }
    }
    Ok(())
}
