//! `forestock push`: send approved purchase orders to NetSuite as draft POs.
//!
//! A thin adapter over [`forestock_api::push`] (the one push workflow, shared with the
//! app): approved (or exported) POs are queued in the outbox, then the outbox is drained.
//! Each PO is upserted by its external id `FCST-<database id>-<PO number>` (or the id it was
//! first pushed under), so pushing again never creates a second NetSuite PO. A PO cancelled
//! after it was queued is skipped, never sent. Pushed POs move to `pushed`.

use super::common::{show, Db, Format};
use crate::exit;
use forestock_api::push::{PushRequest, PushStatus, Selection};

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
    let forestock_api::push::PushReport {
        outcomes, stopped, ..
    } = pushed;
    let report: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|o| {
            serde_json::json!({
                "po": o.external_id, "number": o.number, "ok": o.ok(), "status": o.status,
                "netsuite_id": o.netsuite_id, "code": o.code, "error": o.error,
                "will_retry": o.status == PushStatus::Pending, "warning": o.warning,
            })
        })
        .collect();
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Text => {
            for o in &outcomes {
                let who = o.number.as_deref().unwrap_or(&o.external_id);
                match (o.status, &o.netsuite_id) {
                    (PushStatus::Pushed, Some(id)) => {
                        println!("{who}: pushed as {} (NetSuite id {id})", o.external_id)
                    }
                    (status, _) => eprintln!(
                        "{who}: {status}: {}",
                        o.error.as_deref().unwrap_or("no reason given")
                    ),
                }
                if let Some(w) = &o.warning {
                    eprintln!("{who}: {w}");
                }
            }
            if outcomes.is_empty() {
                println!("nothing to push");
            }
        }
    }
    if let Some(e) = stopped {
        return Err(e.into());
    }
    let bad = forestock_api::push::failures(&outcomes);
    let Some(first) = bad.first() else {
        return Ok(());
    };
    Err(exit::remote(format!(
        "{} of {} purchase order(s) not pushed or not marked pushed; first: {}: {}",
        bad.len(),
        outcomes.len(),
        first.number.as_deref().unwrap_or(&first.external_id),
        first
            .error
            .as_deref()
            .or(first.warning.as_deref())
            .unwrap_or("")
    )))
}
