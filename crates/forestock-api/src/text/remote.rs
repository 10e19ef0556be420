//! Messages of the verbs that talk to a remote service: connect, sync (and the stages of a
//! sync-and-run), push.

use super::line;
use forestock_connect::push::{PushOutcome, PushStatus};
use forestock_connect::stores::{KeychainCleanup, Removed};
use forestock_core::{Platform, StoreRecord};

/// A push's outcomes: the POs pushed (for stdout), and the others with their reason and any
/// warning (for stderr).
pub fn push_outcomes(outcomes: &[PushOutcome]) -> (String, String) {
    let (mut out, mut err) = (String::new(), String::new());
    for o in outcomes {
        let who = o.number.as_deref().unwrap_or(&o.external_id);
        match (o.status, &o.netsuite_id) {
            (PushStatus::Pushed, Some(id)) => {
                line!(out, "{who}: pushed as {} (NetSuite id {id})", o.external_id)
            }
            (status, _) => line!(
                err,
                "{who}: {status}: {}",
                o.error.as_deref().unwrap_or("no reason given")
            ),
        }
        if let Some(w) = &o.warning {
            line!(err, "{who}: {w}");
        }
    }
    if outcomes.is_empty() {
        line!(out, "nothing to push");
    }
    (out, err)
}

/// A store connected, and the next step (`forestock push` for NetSuite, `sync` for a shop).
pub fn store_connected(rec: &StoreRecord, db: &std::path::Path) -> String {
    let next = match rec.platform {
        Platform::NetSuite => "push",
        _ => "sync",
    };
    format!(
        "connected {} ({} at {}); credentials are in the keychain ({}). Next: forestock {next} \
         --db {}\n",
        rec.name,
        rec.platform,
        rec.base_url,
        rec.keychain_ref.as_deref().unwrap_or("-"),
        db.display()
    )
}

/// A store removed: what happened to its keychain entry (for stdout), and a note when the
/// entry named was not one Forestock creates and was left alone (for stderr).
pub fn store_removed(r: &Removed) -> (String, Option<String>) {
    let (name, platform) = (&r.store.name, r.store.platform);
    match &r.keychain {
        KeychainCleanup::Deleted(_) => (
            format!("removed {name} ({platform}) and its keychain entry\n"),
            None,
        ),
        KeychainCleanup::None => (format!("removed {name} ({platform})\n"), None),
        KeychainCleanup::LeftForeign(entry) => (
            format!("removed {name} ({platform})\n"),
            Some(format!(
                "note: the keychain entry {entry} named in the database is not one Forestock \
                 creates (forestock:store-…), so it was left untouched\n"
            )),
        ),
    }
}

/// Each store's sync: its report (for stdout) or its failure (for stderr).
pub fn sync_results(results: &crate::sync::StoreResults) -> (String, String) {
    let (mut out, mut err) = (String::new(), String::new());
    for (name, r) in results {
        match r {
            Ok(rep) => out.push_str(&super::sync_report(name, rep)),
            Err(e) => line!(err, "{name}: failed: {e}"),
        }
    }
    (out, err)
}

/// A stage of "Sync & run" or the nightly job starting, finishing or skipped, as a progress
/// line; `None` for the events a line does not show.
pub fn run_event(e: &crate::sync::RunEvent) -> Option<String> {
    use crate::sync::RunEvent;
    match e {
        RunEvent::Started { stage } => Some(format!("{stage:?}: started")),
        RunEvent::Finished { stage, elapsed_ms } => Some(format!(
            "{stage:?}: done in {:.1} s",
            *elapsed_ms as f64 / 1000.0
        )),
        RunEvent::Skipped { stage, reason } => Some(format!("{stage:?}: skipped ({reason})")),
        _ => None,
    }
}
