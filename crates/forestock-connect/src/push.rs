//! Pushing purchase orders to NetSuite: the one workflow both `forestock push` and the app's
//! push button run.
//!
//! 1. [`queue`]: pick the POs (only [`PoStatus::PUSHABLE`] ones; naming another is an error) and
//!    queue each in the outbox under its external id.
//! 2. [`drain`]: send the store's pending rows ([`outbox::drain`]: each PO's status is
//!    checked again right before its write, a cancelled PO is skipped and never sent, a
//!    malformed row fails alone), then mark each sent PO `pushed`. A failure to mark one
//!    is reported on that PO and the rest go on; the remote result is recorded either way.
//!
//! External ids are `FCST-<database id>-<PO number>`: the database id is minted once per
//! merchant database ([`database_id`]), so two databases' PO-00001 never meet in one
//! NetSuite account. A PO already queued or pushed keeps the external id of its outbox row,
//! so one pushed as `FCST-PO-00001` before ids carried the database id keeps updating that
//! NetSuite record.

use crate::netsuite::{NetSuiteClient, NsLine, NsPurchaseOrder};
use crate::outbox::{self, Outcome};
use crate::sql;
use chrono::NaiveDateTime;
use forestock_core::{Store, StoreRecord};
use forestock_plan::po::{self, PoStatus, PurchaseOrder};
use rusqlite::OptionalExtension;
use serde::Serialize;

/// What can stop a push before anything is sent.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// A named PO is not pushable, does not exist, or the database refused.
    #[error(transparent)]
    Plan(#[from] forestock_plan::Error),
    /// Queueing failed, or the database stopped taking writes while draining.
    #[error(transparent)]
    Connect(#[from] crate::Error),
}

impl From<forestock_core::Error> for PushError {
    fn from(e: forestock_core::Error) -> Self {
        PushError::Connect(e.into())
    }
}

/// Which POs to push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every pushable PO.
    AllPushable,
    /// These, by number or id (each must be pushable).
    Only(Vec<String>),
    /// These database ids (each must be pushable).
    Ids(Vec<i64>),
}

/// One PO put in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Queued {
    pub po_id: i64,
    pub number: String,
    pub external_id: String,
    pub outbox_id: i64,
}

/// What happened to one outbox row in a drain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PushOutcome {
    pub outbox_id: i64,
    pub po_id: Option<i64>,
    /// Our PO number, when the row belongs to a PO that still exists.
    pub number: Option<String>,
    pub external_id: String,
    pub status: PushStatus,
    pub netsuite_id: Option<String>,
    /// Why it was skipped or failed.
    pub error: Option<String>,
    /// The error's code (`auth`, `network`, `rejected`, …) when it failed.
    pub code: Option<String>,
    /// Sent, but marking the PO `pushed` here failed (NetSuite has it all the same).
    pub warning: Option<String>,
}

/// What a drain did with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    /// Sent; the PO is marked pushed.
    Pushed,
    /// Not sent: the PO is no longer pushable.
    Skipped,
    /// A retryable failure; goes out on the next push.
    Pending,
    /// Refused for good.
    Failed,
}

impl PushStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PushStatus::Pushed => "pushed",
            PushStatus::Skipped => "skipped",
            PushStatus::Pending => "pending",
            PushStatus::Failed => "failed",
        }
    }
}

impl PartialEq<&str> for PushStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for PushStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl PushOutcome {
    pub fn ok(&self) -> bool {
        self.status == PushStatus::Pushed
    }
}

/// This merchant database's id for external ids, minted (random, 10 hex digits) on first use.
pub fn database_id(db: &mut Store, now: NaiveDateTime) -> Result<String, PushError> {
    let found: Option<String> = db
        .read()
        .conn()
        .query_row(sql::DATABASE_ID_SELECT_DATABASE_IDENTITY, [], |r| r.get(0))
        .optional()
        .map_err(forestock_core::Error::from)?;
    if let Some(id) = found {
        return Ok(id);
    }
    let minted = format!("{:010x}", rand::random::<u64>() & 0xff_ffff_ffff);
    let w = db.write()?;
    // OR IGNORE: another process may have minted it first; theirs wins and is read back.
    w.tx()
        .execute(
            sql::DATABASE_ID_INSERT_DATABASE_IDENTITY,
            rusqlite::params![minted, now],
        )
        .map_err(forestock_core::Error::from)?;
    let id: String = w
        .tx()
        .query_row(sql::DATABASE_ID_SELECT_DATABASE_IDENTITY, [], |r| r.get(0))
        .map_err(forestock_core::Error::from)?;
    w.commit()?;
    Ok(id)
}

/// The external id `po` has (or gets) at the NetSuite store `store_id`: the one it was first
/// queued under, else `FCST-<database id>-<number>`.
pub fn external_id(
    db: &mut Store,
    store_id: i64,
    po: &PurchaseOrder,
    now: NaiveDateTime,
) -> Result<String, PushError> {
    if let Some(e) = outbox::external_id_of(db, store_id, po.id)? {
        return Ok(e);
    }
    Ok(format!("FCST-{}-{}", database_id(db, now)?, po.number))
}

/// A PO as NetSuite receives it under `external_id`; vendor and item ids are resolved by
/// the client when sent.
pub fn to_netsuite(po: &PurchaseOrder, external_id: &str) -> NsPurchaseOrder {
    NsPurchaseOrder {
        number: external_id.to_string(),
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

/// Queue the selected POs for `store`. Every named PO must exist and be pushable, else
/// nothing is queued.
pub fn queue(
    db: &mut Store,
    store: &StoreRecord,
    selection: &Selection,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Vec<Queued>, PushError> {
    let chosen: Vec<PurchaseOrder> = match selection {
        Selection::AllPushable => {
            let mut all = po::list(db)?;
            all.retain(|p| p.status.is_pushable());
            all.reverse(); // oldest first
            all
        }
        Selection::Only(_) | Selection::Ids(_) => {
            let found: Vec<PurchaseOrder> = match selection {
                Selection::Only(keys) => keys
                    .iter()
                    .map(|k| po::find(db, k))
                    .collect::<forestock_plan::Result<_>>()?,
                Selection::Ids(ids) => ids
                    .iter()
                    .map(|&id| po::get(db, id))
                    .collect::<forestock_plan::Result<_>>()?,
                Selection::AllPushable => Vec::new(),
            };
            let mut out: Vec<PurchaseOrder> = Vec::new();
            for p in found {
                if !p.status.is_pushable() {
                    return Err(forestock_plan::Error::State(format!(
                        "{} is {}; only {} purchase orders can be pushed",
                        p.number,
                        p.status,
                        PoStatus::PUSHABLE.map(PoStatus::as_str).join(" or ")
                    ))
                    .into());
                }
                if !out.iter().any(|o| o.id == p.id) {
                    out.push(p);
                }
            }
            out
        }
    };
    let mut queued = Vec::new();
    for p in &chosen {
        let ext = external_id(db, store.id, p, now)?;
        let outbox_id = outbox::enqueue_po(db, store.id, p.id, &to_netsuite(p, &ext), actor, now)?;
        queued.push(Queued {
            po_id: p.id,
            number: p.number.clone(),
            external_id: ext,
            outbox_id,
        });
    }
    Ok(queued)
}

/// Send the store's pending rows and mark each sent PO `pushed` (see the module docs). The
/// outcomes come back even when the drain ended early on a database error (the error).
pub async fn drain(
    db: &mut Store,
    store: &StoreRecord,
    client: &NetSuiteClient,
    actor: &str,
    now: NaiveDateTime,
) -> (Vec<PushOutcome>, Option<PushError>) {
    let (drained, err) = outbox::drain(db, store.id, client, actor, now).await;
    let mut out = Vec::with_capacity(drained.len());
    for d in drained {
        let number = d
            .po_id
            .and_then(|id| po::get(db, id).ok())
            .map(|p| p.number);
        let mut o = PushOutcome {
            outbox_id: d.outbox_id,
            po_id: d.po_id,
            number,
            external_id: d.external_id,
            status: PushStatus::Failed,
            netsuite_id: None,
            error: None,
            code: None,
            warning: None,
        };
        match d.outcome {
            Outcome::Sent(r) => {
                o.status = PushStatus::Pushed;
                o.netsuite_id = Some(r.internal_id.clone());
                if let Some(id) = d.po_id {
                    if let Err(e) = po::set_status(
                        db,
                        id,
                        PoStatus::Pushed,
                        &format!("pushed to NetSuite as draft PO {}", r.internal_id),
                        actor,
                        now,
                    ) {
                        o.warning = Some(format!(
                            "NetSuite has it as {}, but marking it pushed here failed: {e}",
                            r.internal_id
                        ));
                    }
                }
            }
            Outcome::Skipped(why) => {
                o.status = PushStatus::Skipped;
                o.error = Some(why);
            }
            Outcome::Failed(e) => {
                o.status = if e.is_retryable() {
                    PushStatus::Pending
                } else {
                    PushStatus::Failed
                };
                o.code = Some(e.code().into());
                o.error = Some(e.to_string());
            }
        }
        out.push(o);
    }
    (out, err.map(PushError::from))
}

/// [`queue`] then [`drain`] with one call's result: the outcomes, or the error that stopped
/// the push before anything was drained.
pub async fn push(
    db: &mut Store,
    store: &StoreRecord,
    selection: &Selection,
    client: &NetSuiteClient,
    actor: &str,
    now: NaiveDateTime,
) -> Result<(Vec<Queued>, Vec<PushOutcome>, Option<PushError>), PushError> {
    let queued = queue(db, store, selection, actor, now)?;
    let (outcomes, err) = drain(db, store, client, actor, now).await;
    Ok((queued, outcomes, err))
}
