//! `forestock push`: send approved purchase orders to NetSuite as draft POs.
//!
//! A thin adapter over [`forestock_connect::push`] (the one push workflow, shared with the
//! app): approved (or exported) POs are queued in the outbox, then the outbox is drained.
//! Each PO is upserted by its external id `FCST-<database id>-<PO number>` (or the id it was
//! first pushed under), so pushing again never creates a second NetSuite PO. A PO cancelled
//! after it was queued is skipped, never sent. Pushed POs move to `pushed`.

use super::common::{open_db, DbArg, Format};
use super::connect::keychain;
use crate::exit;
use forestock_connect::netsuite::NetSuiteClient;
use forestock_connect::push::{self, PushStatus, Selection};
use forestock_connect::stores::{credentials_for, find_store};
use forestock_connect::{Progress, SyncOptions};
use forestock_core::Platform;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
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

pub fn run(args: Args) -> anyhow::Result<()> {
    let stamp = super::common::stamp();
    let now = stamp.at;
    let mut db = open_db(&args.db.db)?;
    let store =
        match &args.store {
            Some(key) => find_store(&db, key)?,
            None => {
                let mut ns: Vec<_> = db
                    .read()
                    .stores()?
                    .into_iter()
                    .filter(|s| s.platform == Platform::NetSuite)
                    .collect();
                match ns.len() {
                    1 => ns.remove(0),
                    0 => return Err(exit::usage(
                        "no NetSuite account is connected; run `forestock connect netsuite` first",
                    )),
                    _ => {
                        return Err(exit::usage(
                            "several NetSuite accounts are connected; pick one with --store",
                        ))
                    }
                }
            }
        };
    if store.platform != Platform::NetSuite {
        return Err(exit::usage(format!(
            "{} is a {} store, not NetSuite",
            store.name, store.platform
        )));
    }
    let selection = if args.numbers.is_empty() {
        Selection::AllPushable
    } else {
        Selection::Only(args.numbers.clone())
    };
    let queued = push::queue(&mut db, &store, &selection, &stamp.actor, now)?;
    if args.queue_only {
        match args.format {
            Format::Json => println!("{}", serde_json::to_string_pretty(&queued)?),
            Format::Text => println!(
                "queued {} purchase order(s) for {}",
                queued.len(),
                store.name
            ),
        }
        return Ok(());
    }
    let creds = credentials_for(&keychain()?, &store)?;
    let opts = SyncOptions::new(now);
    let client = NetSuiteClient::from_store(&store, &creds, &opts, &Progress::none())?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))?;
    let (outcomes, stopped) = rt.block_on(push::drain(&mut db, &store, &client, &stamp.actor, now));
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
    // A skipped row (its PO was cancelled after it was queued) is not a failure: it is
    // reported and left unsent, as it should be.
    let bad: Vec<_> = outcomes
        .iter()
        .filter(|o| !(o.ok() || o.status == PushStatus::Skipped) || o.warning.is_some())
        .collect();
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
