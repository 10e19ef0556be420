//! Pushing approved purchase orders to NetSuite as draft POs (`forestock push`, the app's
//! "Push to NetSuite"): the NetSuite account is chosen by one rule, only pushable POs
//! ([`PoStatus::PUSHABLE`](forestock_plan::po::PoStatus::PUSHABLE): approved, or exported
//! to the supplier) are queued, and the queue is drained through
//! [`forestock_connect::push`], which checks each PO's status again at the moment of sending.

use crate::{AuditStamp, Error, Result};
use forestock_connect::netsuite::NetSuiteClient;
use forestock_connect::push::{self, PushError, PushOutcome, Queued};
use forestock_connect::stores::{credentials_for, find_store};
use forestock_connect::{Keychain, Progress, SyncOptions};
use forestock_core::{Platform, Store, StoreRecord};

pub use forestock_connect::push::{PushStatus, Selection};

/// What to push, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushRequest {
    /// The NetSuite store (id or name); `None`: the only NetSuite store connected.
    pub store: Option<String>,
    pub selection: Selection,
    /// Queue only; the next push sends (e.g. when back online).
    pub queue_only: bool,
}

/// What a push did.
#[derive(Debug)]
pub struct PushReport {
    pub store: StoreRecord,
    pub queued: Vec<Queued>,
    /// One per outbox row sent, skipped or failed (empty when only queued).
    pub outcomes: Vec<PushOutcome>,
    /// The database error that stopped the drain early, after the outcomes above.
    pub stopped: Option<PushError>,
}

/// The outcomes that need the planner: not pushed (a skipped row, whose PO was cancelled
/// after it was queued, is reported but is no failure), or pushed but not marked pushed.
pub fn failures(outcomes: &[PushOutcome]) -> Vec<&PushOutcome> {
    outcomes
        .iter()
        .filter(|o| !(o.ok() || o.status == PushStatus::Skipped) || o.warning.is_some())
        .collect()
}

/// One outcome as `forestock push --format json` lists it (`will_retry`: it stays queued).
pub fn outcome_json(o: &PushOutcome) -> serde_json::Value {
    serde_json::json!({
        "po": o.external_id, "number": o.number, "ok": o.ok(), "status": o.status,
        "netsuite_id": o.netsuite_id, "code": o.code, "error": o.error,
        "will_retry": o.status == PushStatus::Pending, "warning": o.warning,
    })
}

/// What a push that needs the planner ends with: how many of the purchase orders sent are
/// [`failures`], and the first with its reason; `None` when there is none.
pub fn failure_summary(outcomes: &[PushOutcome]) -> Option<String> {
    let bad = failures(outcomes);
    let first = bad.first()?;
    let why = first.error.as_deref().or(first.warning.as_deref());
    Some(format!(
        "{} of {} purchase order(s) not pushed or not marked pushed; first: {}: {}",
        bad.len(),
        outcomes.len(),
        first.number.as_deref().unwrap_or(&first.external_id),
        why.unwrap_or("")
    ))
}

/// The NetSuite account to push to: `key` (id or name), else the only one connected.
pub fn netsuite_store(db: &Store, key: Option<&str>) -> Result<StoreRecord> {
    let store = match key {
        Some(key) => find_store(db, key)?,
        None => {
            let mut ns = db.read().stores()?;
            ns.retain(|s| s.platform == Platform::NetSuite);
            match ns.len() {
                1 => ns.remove(0),
                0 => {
                    return Err(Error::NotFound(
                        "no NetSuite account is connected; connect one first \
                         (`forestock connect netsuite`, or Connect & sync in the app)"
                            .into(),
                    ))
                }
                _ => {
                    return Err(Error::Invalid(
                        "several NetSuite accounts are connected; name the one to push to \
                         (`forestock push --store`) or remove the others"
                            .into(),
                    ))
                }
            }
        }
    };
    if store.platform != Platform::NetSuite {
        return Err(Error::Invalid(format!(
            "{} is a {} store, not NetSuite",
            store.name, store.platform
        )));
    }
    Ok(store)
}

/// Queue the selected POs for the NetSuite account (every named PO must be pushable, else
/// nothing is queued), then, unless `queue_only`, send the account's queue with the
/// credentials of the OS keychain (`FORESTOCK_KEYCHAIN` picks the backend). Pushed POs move to
/// `pushed`, audited with the stamp.
pub async fn push(db: &mut Store, stamp: &AuditStamp, req: &PushRequest) -> Result<PushReport> {
    let store = netsuite_store(db, req.store.as_deref())?;
    let queued = push::queue(db, &store, &req.selection, &stamp.actor, stamp.at)?;
    if req.queue_only {
        return Ok(PushReport {
            store,
            queued,
            outcomes: Vec::new(),
            stopped: None,
        });
    }
    let creds = credentials_for(&Keychain::from_env()?, &store)?;
    let opts = SyncOptions::new(stamp.at);
    let client = NetSuiteClient::from_store(&store, &creds, &opts, &Progress::none())?;
    let (outcomes, stopped) = push::drain(db, &store, &client, &stamp.actor, stamp.at).await;
    Ok(PushReport {
        store,
        queued,
        outcomes,
        stopped,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_core::{Classify, ErrorKind, NewStore};

    fn outcome(number: &str, status: PushStatus, error: Option<&str>) -> PushOutcome {
        PushOutcome {
            outbox_id: 1,
            po_id: Some(1),
            number: Some(number.into()),
            external_id: format!("FCST-1-{number}"),
            status,
            netsuite_id: (status == PushStatus::Pushed).then(|| "77".into()),
            error: error.map(Into::into),
            code: error.map(|_| "network".into()),
            warning: None,
        }
    }

    /// A push's outcomes as the CLI reports them: pushed ones on stdout, the others with their
    /// reason on stderr, a skipped PO no failure, and the summary naming the first failure.
    #[test]
    fn outcomes_are_reported_and_failures_summarised() {
        let all = [
            outcome("PO-1", PushStatus::Pushed, None),
            outcome("PO-2", PushStatus::Pending, Some("offline")),
            outcome(
                "PO-3",
                PushStatus::Skipped,
                Some("cancelled after it was queued"),
            ),
        ];
        let (out, err) = crate::text::push_outcomes(&all);
        assert_eq!(out, "PO-1: pushed as FCST-1-PO-1 (NetSuite id 77)\n");
        assert!(
            err.contains("PO-2: pending: offline") && err.contains("PO-3: skipped"),
            "{err}"
        );
        assert_eq!(outcome_json(&all[1])["will_retry"], true);
        assert_eq!(
            failure_summary(&all).as_deref(),
            Some("1 of 3 purchase order(s) not pushed or not marked pushed; first: PO-2: offline")
        );
        assert_eq!(failure_summary(&all[..1]), None);
        // pushed but not marked pushed: a failure, reported with its warning
        let mut marked = outcome("PO-4", PushStatus::Pushed, None);
        marked.warning = Some("not marked pushed here: database busy".into());
        let (_, err) = crate::text::push_outcomes(std::slice::from_ref(&marked));
        assert_eq!(err, "PO-4: not marked pushed here: database busy\n");
        assert_eq!(
            failure_summary(&[marked]).as_deref(),
            Some("1 of 1 purchase order(s) not pushed or not marked pushed; first: PO-4: not marked pushed here: database busy")
        );
        assert_eq!(crate::text::push_outcomes(&[]).0, "nothing to push\n");
    }

    fn add(db: &mut Store, platform: Platform, name: &str) {
        let w = db.write().unwrap();
        let store = NewStore {
            platform,
            name: name.into(),
            base_url: format!("https://{}.example.com", name.replace(' ', "-")),
            keychain_ref: None,
            settings: serde_json::json!({}),
        };
        w.insert_store(&store, chrono::Utc::now().naive_utc())
            .unwrap();
        w.commit().unwrap();
    }

    /// One rule for `forestock push` and the app's button: with no account named, the only
    /// NetSuite account connected; none, several, or a named store of another platform is
    /// refused saying what to do.
    #[test]
    fn the_netsuite_account_is_the_named_one_else_the_only_one() {
        let mut db = Store::in_memory().unwrap();
        let e = netsuite_store(&db, None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(e.to_string().contains("forestock connect netsuite"), "{e}");
        add(&mut db, Platform::Shopify, "Shop");
        let e = netsuite_store(&db, Some("Shop")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert_eq!(e.to_string(), "Shop is a shopify store, not NetSuite");
        add(&mut db, Platform::NetSuite, "NS one");
        assert_eq!(netsuite_store(&db, None).unwrap().name, "NS one");
        add(&mut db, Platform::NetSuite, "NS two");
        let e = netsuite_store(&db, None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert!(e.to_string().contains("--store"), "{e}");
        assert_eq!(netsuite_store(&db, Some("NS two")).unwrap().name, "NS two");
    }
}
