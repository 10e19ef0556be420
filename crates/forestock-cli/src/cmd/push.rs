//! `forestock push`: send approved purchase orders to NetSuite as draft POs.
//!
//! A thin adapter over [`forestock_api::push`] (the one push workflow, shared with the
//! app): approved (or exported) POs are queued in the outbox, then the outbox is drained.
//! Each PO is upserted by its external id `FCST-<database id>-<PO number>` (or the id it was
//! first pushed under), so pushing again never creates a second NetSuite PO. A PO cancelled
//! after it was queued is skipped, never sent. Pushed POs move to `pushed`.

use super::common::{show, Db, Format};
use crate::exit;
use forestock_api::push::{PushRequest, Selection};

#[derive(clap::Args)]
pub struct Args {
    /// The NetSuite store (id or name); default: the only NetSuite store connected.
    #[arg(long)]
    pub store: Option<String>,
    /// Only these PO numbers (default: every approved PO).
    #[arg(long = "po")]
    pub numbers: Vec<String>,
    /// Queue only; push later (e.g. when back online).
    #[arg(long)]
    pub queue_only: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let mut store = db.open()?;
    let req = PushRequest {
        store: args.store.clone(),
        selection: if args.numbers.is_empty() {
            Selection::AllPushable
        } else {
            Selection::Only(args.numbers.clone())
        },
        queue_only: args.queue_only,
    };
    let rt = super::common::runtime()?;
    let stamp = super::common::stamp();
    let pushed = rt.block_on(forestock_api::push::push(&mut store, &stamp, &req))?;
    if args.queue_only {
        let (n, store) = (pushed.queued.len(), &pushed.store.name);
        return show(args.format, &pushed.queued, || {
            format!("queued {n} purchase order(s) for {store}\n")
        });
    }
    let outcomes = &pushed.outcomes;
    match args.format {
        Format::Json => {
            let rows: Vec<_> = outcomes
                .iter()
                .map(forestock_api::push::outcome_json)
                .collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
        }
        Format::Text => {
            let (out, err) = forestock_api::text::push_outcomes(outcomes);
            print!("{out}");
            eprint!("{err}");
        }
    }
    if let Some(e) = pushed.stopped {
        return Err(e.into());
    }
    match forestock_api::push::failure_summary(outcomes) {
        None => Ok(()),
        Some(message) => Err(exit::remote(message)),
    }
}
