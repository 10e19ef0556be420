//! `forestock sync`: copy every connected store into the merchant database (first sync: up
//! to 24 months of orders; later: what changed), with a progress bar per resource.

use super::common::{open_db, DbArg, Format};
use crate::exit;
use forestock_connect::{Progress, SyncEvent, SyncOptions};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Months of order history a first sync takes.
    #[arg(long, default_value_t = 25)]
    pub history_months: u32,
    /// `json` prints one report per store.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// No progress bars.
    #[arg(long)]
    pub quiet: bool,
}

fn bars(quiet: bool) -> Progress {
    if quiet {
        return Progress::none();
    }
    let mp = MultiProgress::new();
    let style =
        ProgressStyle::with_template("{prefix:>24} {bar:30} {pos:>8}/{len:<8} {per_sec:>12} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    let spinner =
        ProgressStyle::with_template("{prefix:>24} {spinner} {pos:>8} {per_sec:>12} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let open: Arc<Mutex<HashMap<String, ProgressBar>>> = Arc::default();
    Progress::new(move |e| {
        let Ok(mut open) = open.lock() else { return };
        match e {
            SyncEvent::Started {
                store,
                resource,
                total,
            } => {
                let pb = mp.add(match total {
                    Some(t) => ProgressBar::new(*t).with_style(style.clone()),
                    None => ProgressBar::new_spinner().with_style(spinner.clone()),
                });
                pb.set_prefix(format!("{store}: {resource}"));
                open.insert(format!("{store}\u{0}{resource}"), pb);
            }
            SyncEvent::Progress {
                store,
                resource,
                done,
                total,
                ..
            } => {
                if let Some(pb) = open.get(&format!("{store}\u{0}{resource}")) {
                    if let Some(t) = total {
                        if pb.length() != Some(*t) {
                            pb.set_style(style.clone());
                            pb.set_length(*t);
                        }
                    }
                    pb.set_position(*done);
                }
            }
            SyncEvent::Finished {
                store,
                resource,
                done,
            } => {
                if let Some(pb) = open.remove(&format!("{store}\u{0}{resource}")) {
                    pb.set_length(*done);
                    pb.set_position(*done);
                    pb.finish_with_message("done");
                }
            }
            SyncEvent::Retrying {
                store,
                reason,
                wait_ms,
                attempt,
            } => {
                let _shown = mp.println(format!(
                    "{store}: retry {attempt} in {wait_ms} ms ({reason})"
                ));
            }
            SyncEvent::Note { message, .. } => {
                let _shown = mp.println(format!("note: {message}"));
            }
        }
    })
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut db = open_db(&args.db.db)?;
    let stamp = super::common::stamp();
    let mut opts = SyncOptions::new(stamp.at);
    opts.history_months = args.history_months;
    let progress = bars(args.quiet || args.format == Format::Json);
    let rt = super::common::runtime()?;
    // Ctrl-C stops at the next page boundary and cancels a Shopify bulk operation being
    // waited for (it would otherwise keep running on Shopify and hold the bulk slot); a
    // second Ctrl-C quits at once (what is committed stays, the next sync resumes).
    let cancel = Arc::new(AtomicBool::new(false));
    opts.cancel = Some(Arc::clone(&cancel));
    rt.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("stopping after the current page (Ctrl-C again to quit at once)");
            cancel.store(true, Ordering::SeqCst);
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    let synced = rt.block_on(forestock_api::sync::sync(&mut db, &stamp, opts, &progress))?;
    let Some(results) = synced else {
        return Err(exit::usage(format!(
            "no store to sync is connected to {}; connect one first, e.g. `echo TOKEN | forestock connect shopify --db {} --url URL`",
            args.db.db.display(),
            args.db.db.display()
        )));
    };
    let mut first_error = None;
    match args.format {
        Format::Json => {
            let v: Vec<_> = results
                .iter()
                .map(|(name, r)| match r {
                    Ok(rep) => serde_json::json!({"store": name, "ok": true, "report": rep}),
                    Err(e) => serde_json::json!({"store": name, "ok": false, "code": e.code(), "error": e.to_string()}),
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        Format::Text => {
            for (name, r) in &results {
                match r {
                    Ok(rep) => print!("{}", forestock_api::text::sync_report(name, rep)),
                    Err(e) => eprintln!("{name}: failed: {e}"),
                }
            }
        }
    }
    for (_, r) in results {
        if let Err(e) = r {
            first_error.get_or_insert(e);
        }
    }
    match first_error {
        None => Ok(()),
        Some(e) => Err(e.into()),
    }
}
