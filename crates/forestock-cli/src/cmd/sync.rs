//! `forestock sync`: copy every connected store into the merchant database (first sync: up
//! to 24 months of orders; later: what changed), with a progress bar per resource.

use super::common::{Db, Format};
use crate::exit;
use forestock_connect::{Progress, SyncEvent, SyncOptions};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

#[derive(clap::Args)]
pub struct Args {
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

/// A progress bar per store and resource (a spinner while its total is unknown).
fn bars(quiet: bool) -> Progress {
    if quiet {
        return Progress::none();
    }
    let mp = MultiProgress::new();
    let style = |t| ProgressStyle::with_template(t).unwrap_or(ProgressStyle::default_bar());
    let bar = style("{prefix:>24} {bar:30} {pos:>8}/{len:<8} {per_sec:>12} {msg}");
    let spinner = style("{prefix:>24} {spinner} {pos:>8} {per_sec:>12} {msg}");
    let open: Mutex<HashMap<(String, String), ProgressBar>> = Mutex::default();
    Progress::new(move |e| {
        let Ok(mut open) = open.lock() else { return };
        match e {
            SyncEvent::Started {
                store,
                resource,
                total,
            } => {
                let pb = mp.add(match total {
                    Some(t) => ProgressBar::new(*t).with_style(bar.clone()),
                    None => ProgressBar::new_spinner().with_style(spinner.clone()),
                });
                pb.set_prefix(format!("{store}: {resource}"));
                open.insert((store.clone(), resource.clone()), pb);
            }
            SyncEvent::Progress {
                store,
                resource,
                done,
                total,
                ..
            } => {
                let Some(pb) = open.get(&(store.clone(), resource.clone())) else {
                    return;
                };
                if let Some(t) = total.filter(|t| pb.length() != Some(*t)) {
                    pb.set_style(bar.clone());
                    pb.set_length(t);
                }
                pb.set_position(*done);
            }
            SyncEvent::Finished {
                store,
                resource,
                done,
            } => {
                if let Some(pb) = open.remove(&(store.clone(), resource.clone())) {
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

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let mut store = db.open()?;
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
    let synced = rt.block_on(forestock_api::sync::sync(
        &mut store, &stamp, opts, &progress,
    ))?;
    let Some(results) = synced else {
        return Err(exit::usage(format!(
            "no store to sync is connected to {}; connect one first, e.g. `echo TOKEN | forestock connect shopify --db {} --url URL`",
            db.path().display(),
            db.path().display()
        )));
    };
    match args.format {
        Format::Json => {
            let v = forestock_api::sync::results_json(&results);
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        Format::Text => {
            let (out, err) = forestock_api::text::sync_results(&results);
            print!("{out}");
            eprint!("{err}");
        }
    }
    // The first store's failure decides the exit code.
    match results.into_iter().find_map(|(_, r)| r.err()) {
        None => Ok(()),
        Some(e) => Err(e.into()),
    }
}
