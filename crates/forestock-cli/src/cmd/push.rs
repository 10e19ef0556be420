//! `forestock push`: send approved purchase orders to NetSuite as draft POs.
//!
//! Approved POs are first queued in the outbox (so POs approved offline wait there), then
//! the outbox is drained. Each PO is upserted by its external id `FCST-<PO number>`, so
//! pushing again never creates a second NetSuite PO. Pushed POs move to `pushed`.

use super::common::{open_db, DbArg, Format};
use super::connect::{keychain, remote_error};
use crate::exit;
use forestock_connect::netsuite::{NetSuiteClient, NsLine, NsPurchaseOrder};
use forestock_connect::stores::{credentials_for, find_store};
use forestock_connect::{outbox, Progress, SyncOptions};
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

/// NetSuite's external id for one of our POs.
pub fn external_id(number: &str) -> String {
    format!("FCST-{number}")
}

fn to_netsuite(po: &forestock_plan::po::PurchaseOrder) -> NsPurchaseOrder {
    NsPurchaseOrder {
        number: external_id(&po.number),
        supplier: po.supplier.clone(),
        vendor_id: None,
        location_id: None,
        subsidiary_id: None,
        order_date: po.order_date,
        expected_date: po.expected_date,
        memo: if po.notes.is_empty() {
            format!("Draft from Forestock {}", po.number)
        } else {
            po.notes.clone()
        },
        lines: po
            .lines
            .iter()
            .map(|l| NsLine {
                sku: l.sku.clone(),
                item_id: None,
                quantity: l.quantity,
                rate: l.unit_cost,
            })
            .collect(),
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let now = chrono::Utc::now().naive_utc();
    let mut db = open_db(&args.db.db)?;
    let store =
        match &args.store {
            Some(key) => find_store(&db, key).map_err(remote_error)?,
            None => {
                let mut ns: Vec<_> = db
                    .read()
                    .stores()
                    .map_err(|e| exit::database(e.to_string()))?
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
    let pos = forestock_plan::po::list(&db).map_err(|e| exit::database(e.to_string()))?;
    let chosen: Vec<_> = pos
        .into_iter()
        .filter(|p| p.status == "approved" || p.status == "exported")
        .filter(|p| args.numbers.is_empty() || args.numbers.contains(&p.number))
        .collect();
    for n in &args.numbers {
        if !chosen.iter().any(|p| &p.number == n) {
            return Err(exit::usage(format!(
                "{n} is not an approved purchase order"
            )));
        }
    }
    for po in &chosen {
        outbox::enqueue(&mut db, store.id, &to_netsuite(po), now).map_err(remote_error)?;
    }
    if args.queue_only {
        println!(
            "queued {} purchase order(s) for {}",
            chosen.len(),
            store.name
        );
        return Ok(());
    }
    let creds = credentials_for(&keychain()?, &store).map_err(remote_error)?;
    let opts = SyncOptions::new(now);
    let client = NetSuiteClient::from_store(&store, &creds, &opts, &Progress::none())
        .map_err(remote_error)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))?;
    let results = rt
        .block_on(outbox::push_pending(&mut db, store.id, &client, now))
        .map_err(remote_error)?;
    let mut first_error = None;
    let mut report = Vec::new();
    for (ext, r) in results {
        let ours = chosen.iter().find(|p| external_id(&p.number) == ext);
        match r {
            Ok(res) => {
                if let Some(po) = ours {
                    forestock_plan::po::set_status(
                        &mut db,
                        po.id,
                        "pushed",
                        "pushed to NetSuite as a draft PO",
                        "forestock",
                        now,
                    )
                    .map_err(|e| exit::database(e.to_string()))?;
                }
                report.push(
                    serde_json::json!({"po": ext, "ok": true, "netsuite_id": res.internal_id}),
                );
            }
            Err(e) => {
                report.push(serde_json::json!({"po": ext, "ok": false, "code": e.code(), "error": e.to_string(), "will_retry": e.is_retryable()}));
                first_error.get_or_insert(e);
            }
        }
    }
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Format::Text => {
            for r in &report {
                if r["ok"] == true {
                    println!(
                        "{}: pushed (NetSuite id {})",
                        r["po"].as_str().unwrap_or(""),
                        r["netsuite_id"].as_str().unwrap_or("")
                    );
                } else {
                    eprintln!(
                        "{}: {}",
                        r["po"].as_str().unwrap_or(""),
                        r["error"].as_str().unwrap_or("")
                    );
                }
            }
            if report.is_empty() {
                println!("nothing to push");
            }
        }
    }
    match first_error {
        None => Ok(()),
        Some(e) => Err(remote_error(e)),
    }
}
