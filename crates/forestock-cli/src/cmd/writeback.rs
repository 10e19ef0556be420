//! `forestock writeback preview|approve|push|status`: the latest plan's forecast per SKU
//! written back to the Shopify or BigCommerce store it was synced from, only after approval.
//!
//! A thin adapter over [`forestock_api::writeback`]: `preview` shows what would be written
//! (and writes nothing), `approve` freezes that content (audited, with its hash), `push` sends
//! the approved batch (only values that differ from what was last written), `status` shows the
//! store's batch and whether the current preview still matches it.

use super::common::{report, show, Db, Format, OnDb};
use crate::exit;
use forestock_api::text;

#[derive(clap::Args)]
pub struct Args {
    /// The Shopify or BigCommerce store (id or name); default: the only one connected.
    #[arg(long, global = true)]
    pub store: Option<String>,
    #[command(flatten)]
    pub on: OnDb<Action>,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// What a push would write, per SKU (nothing is written).
    Preview,
    /// Approve the current preview for the store (audited with its content hash).
    Approve {
        /// The content hash the preview showed; refused if the preview has changed since.
        #[arg(long)]
        hash: Option<String>,
    },
    /// Push the approved batch (only values that differ from what was last written).
    Push,
    /// The store's approved batch and whether the current preview still matches it.
    Status,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let (mut db, stamp, fmt) = args.on.open(db)?;
    let store = args.store.as_deref();
    match args.on.action {
        Action::Preview => {
            let p = forestock_api::writeback::preview(&db, store)?;
            show(fmt, &p, || text::writeback(&p, true))?;
        }
        Action::Approve { hash } => {
            let p = forestock_api::writeback::approve(&mut db, &stamp, store, hash.as_deref())?;
            show(fmt, &p, || text::writeback(&p, false))?;
        }
        Action::Push => {
            let rt = super::common::runtime()?;
            let r = rt.block_on(forestock_api::writeback::push(&mut db, &stamp, store))?;
            report(fmt, &r)?;
            if fmt == Format::Text {
                for f in &r.failed {
                    eprintln!("{} {}: {}", f.sku, f.key, f.error);
                }
            }
            if let Some(message) = forestock_api::writeback::failure_summary(&r) {
                return Err(exit::remote(message));
            }
        }
        Action::Status => {
            let p = forestock_api::writeback::preview(&db, store)?;
            let status = serde_json::json!({
                "store": p.store, "batch": p.batch, "batch_matches": p.batch_matches,
                "content_hash": p.content_hash, "to_write": p.to_write,
            });
            show(fmt, &status, || text::writeback(&p, false))?;
        }
    }
    Ok(())
}
