//! The push outbox: approved POs wait here (also when approved offline) and are pushed when
//! the app is online. Each push's result goes to the audit log. Rows are unique per store
//! and external id (and per store and PO), so approving twice queues one push, and the push
//! itself is idempotent.
//!
//! Draining checks each row on its own: a row whose document cannot be read is marked failed
//! with the reason and the rest go on; a row linked to a PO is sent only while that PO is
//! still pushable ([`forestock_plan::po::PoStatus::is_pushable`]), checked right before the write, and
//! is marked `skipped` otherwise; every remote answer is recorded before the next row.
//! The workflow around it (which POs, marking them pushed) is [`crate::push`].

use crate::error::{Error, Result};
use crate::netsuite::{NetSuiteClient, NsPurchaseOrder, PushResult};
use crate::sql;
use chrono::NaiveDateTime;
use forestock_core::{NewAuditEntry, Store};
use forestock_plan::po::PoStatus;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// Where an outbox row is (stored as this snake_case text in `outbox.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting to be sent (also after a retryable failure).
    Pending,
    /// NetSuite accepted it.
    Sent,
    /// NetSuite refused it for good (the reason is in `last_error`).
    Failed,
    /// Not sent: its PO was no longer pushable when the row came up.
    Skipped,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 4] = [
        OutboxStatus::Pending,
        OutboxStatus::Sent,
        OutboxStatus::Failed,
        OutboxStatus::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
            OutboxStatus::Skipped => "skipped",
        }
    }
}

impl PartialEq<&str> for OutboxStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for OutboxStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl ToSql for OutboxStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for OutboxStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        OutboxStatus::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| {
                FromSqlError::Other(format!("unknown outbox status {s:?} in the database").into())
            })
    }
}

/// One queued push (the app's Purchase orders screen lists them as they are).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "OutboxView"))]
pub struct OutboxItem {
    pub id: i64,
    pub store_id: i64,
    /// NetSuite's external id (`FCST-<database id>-<PO number>`, or `FCST-<PO number>` for a
    /// PO first pushed before ids carried the database id): show this, never rebuild it.
    pub external_id: String,
    /// The PO this row pushes (none for documents queued without one).
    pub po_id: Option<i64>,
    /// `skipped`: not sent, the PO was no longer pushable.
    pub status: OutboxStatus,
    pub attempts: i64,
    pub remote_id: Option<String>,
    pub last_error: Option<String>,
}

/// Queue a document that belongs to no PO (no status check when sent). Re-queuing one not
/// yet sent replaces its payload; one already sent is queued again (its push updates the
/// same NetSuite record).
pub fn enqueue(
    db: &mut Store,
    store_id: i64,
    po: &NsPurchaseOrder,
    actor: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    enqueue_row(db, store_id, None, po, actor, now)
}

/// Queue a PO (`po_id`) under the external id `po.number`. When sent, the PO's status is
/// checked again; a PO no longer pushable is skipped.
pub fn enqueue_po(
    db: &mut Store,
    store_id: i64,
    po_id: i64,
    po: &NsPurchaseOrder,
    actor: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    enqueue_row(db, store_id, Some(po_id), po, actor, now)
}

fn enqueue_row(
    db: &mut Store,
    store_id: i64,
    po_id: Option<i64>,
    po: &NsPurchaseOrder,
    actor: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    let payload = serde_json::to_string(po).map_err(forestock_core::Error::from)?;
    let w = db.write()?;
    w.tx().execute(
        sql::ENQUEUE_ROW_INSERT_OUTBOX,
        params![store_id, po.number, po_id, payload, now],
    )?;
    let id: i64 = w.tx().query_row(
        sql::ENQUEUE_ROW_SELECT_OUTBOX,
        params![store_id, po.number],
        |r| r.get(0),
    )?;
    w.audit(&NewAuditEntry {
        at: now,
        actor: actor.into(),
        action: "po.queue_push".into(),
        entity: "purchase_order".into(),
        entity_id: po.number.clone(),
        before: None,
        after: Some(serde_json::json!({"store_id": store_id, "outbox_id": id, "po_id": po_id})),
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(id)
}

/// The external id a PO is queued (or was pushed) under for a store, if it ever was: its
/// linked row, else a row not linked to any PO under the id earlier versions used,
/// `FCST-<number>` (migration 0005 links those it can; this finds any it could not).
pub fn external_id_of(db: &Store, store_id: i64, po_id: i64) -> Result<Option<String>> {
    Ok(db
        .read()
        .conn()
        .query_row(
            sql::EXTERNAL_ID_OF_SELECT_OUTBOX,
            params![store_id, po_id],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn items(db: &Store, status: Option<OutboxStatus>) -> Result<Vec<OutboxItem>> {
    let c = db.read().conn();
    let mut st = c.prepare(sql::ITEMS_SELECT_OUTBOX)?;
    let rows = st.query_map([status], |r| {
        Ok(OutboxItem {
            id: r.get(0)?,
            store_id: r.get(1)?,
            external_id: r.get(2)?,
            po_id: r.get(3)?,
            status: r.get(4)?,
            attempts: r.get(5)?,
            remote_id: r.get(6)?,
            last_error: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What draining did with one row.
#[derive(Debug)]
pub enum Outcome {
    /// NetSuite accepted it (recorded as `sent`).
    Sent(PushResult),
    /// Not sent: its PO is no longer pushable (recorded as `skipped`, with the reason).
    Skipped(String),
    /// Not sent, or refused: retryable errors stay `pending`, others are `failed`.
    Failed(Error),
}

/// One drained row.
#[derive(Debug)]
pub struct Drained {
    pub outbox_id: i64,
    pub po_id: Option<i64>,
    pub external_id: String,
    pub outcome: Outcome,
}

struct Row {
    id: i64,
    external_id: String,
    po_id: Option<i64>,
    payload: String,
}

/// Why a linked PO must not be sent now, if it must not (re-read at the moment of sending).
fn not_pushable(db: &Store, po_id: i64) -> Result<Option<String>> {
    let found: Option<(String, String)> = db
        .read()
        .conn()
        .query_row(sql::NOT_PUSHABLE_SELECT_PURCHASE_ORDERS, [po_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    Ok(match found {
        None => Some(format!("purchase order {po_id} no longer exists; not sent")),
        Some((_, status)) if PoStatus::parse(&status).is_ok_and(PoStatus::is_pushable) => None,
        Some((number, status)) => Some(format!(
            "{number} is {status}; only {} purchase orders are pushed, so it was not sent",
            PoStatus::PUSHABLE.map(PoStatus::as_str).join(" or ")
        )),
    })
}

fn record(
    db: &mut Store,
    store_id: i64,
    row: &Row,
    outcome: &Outcome,
    actor: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let w = db.write()?;
    let (action, after, reason) = match outcome {
        Outcome::Sent(r) => {
            w.tx().execute(
                sql::RECORD_UPDATE_OUTBOX,
                params![row.id, r.internal_id, now, OutboxStatus::Sent],
            )?;
            (
                "po.push",
                serde_json::json!({"netsuite_id": r.internal_id, "store_id": store_id, "po_id": row.po_id}),
                "pushed to NetSuite as a draft purchase order".to_string(),
            )
        }
        Outcome::Skipped(why) => {
            w.tx().execute(
                sql::RECORD_UPDATE_OUTBOX_2,
                params![row.id, why, now, OutboxStatus::Skipped],
            )?;
            (
                "po.push_skipped",
                serde_json::json!({"store_id": store_id, "po_id": row.po_id}),
                why.clone(),
            )
        }
        Outcome::Failed(e) => {
            let status = if e.is_retryable() {
                OutboxStatus::Pending
            } else {
                OutboxStatus::Failed
            };
            w.tx().execute(
                sql::RECORD_UPDATE_OUTBOX_3,
                params![row.id, status, e.to_string(), now],
            )?;
            (
                "po.push_failed",
                serde_json::json!({"error": e.to_string(), "code": e.code(), "will_retry": e.is_retryable()}),
                String::new(),
            )
        }
    };
    w.audit(&NewAuditEntry {
        at: now,
        actor: actor.into(),
        action: action.into(),
        entity: "purchase_order".into(),
        entity_id: row.external_id.clone(),
        before: None,
        after: Some(after),
        reason,
    })?;
    w.commit()?;
    Ok(())
}

/// Send one row: read its document, resolve it, re-check its PO, write.
async fn send_row(db: &Store, client: &NetSuiteClient, row: &Row) -> Result<Outcome> {
    let mut po: NsPurchaseOrder = match serde_json::from_str(&row.payload) {
        Ok(p) => p,
        Err(e) => {
            return Ok(Outcome::Failed(Error::invalid(
                "queued purchase order",
                format!(
                    "{}: the queued document cannot be read ({e}); queue the PO again",
                    row.external_id
                ),
            )))
        }
    };
    // The row's key is the idempotency key, whatever the document says.
    po.number = row.external_id.clone();
    // A PO cancelled since it was queued costs no lookups either.
    if let Some(po_id) = row.po_id {
        if let Some(why) = not_pushable(db, po_id)? {
            return Ok(Outcome::Skipped(why));
        }
    }
    let po = match client.prepare(&po).await {
        Ok(p) => p,
        Err(e) => return Ok(Outcome::Failed(e)),
    };
    // Checked again at the moment of sending: the lookups took time, and the PO may have been
    // cancelled meanwhile (by the app while the CLI pushes, or the other way round).
    if let Some(po_id) = row.po_id {
        if let Some(why) = not_pushable(db, po_id)? {
            return Ok(Outcome::Skipped(why));
        }
    }
    Ok(match client.upsert(&po).await {
        Ok(r) => Outcome::Sent(r),
        Err(e) => Outcome::Failed(e),
    })
}

/// Drain every pending row for `store_id`, in queue order, each on its own (see the module
/// docs). Every outcome is recorded before the next row is sent. Only a database that stops
/// taking writes ends the drain early; the outcomes so far are returned with it.
pub async fn drain(
    db: &mut Store,
    store_id: i64,
    client: &NetSuiteClient,
    actor: &str,
    now: NaiveDateTime,
) -> (Vec<Drained>, Option<Error>) {
    let pending: Vec<Row> = match pending_rows(db, store_id) {
        Ok(r) => r,
        Err(e) => return (Vec::new(), Some(e)),
    };
    let mut out = Vec::new();
    for row in pending {
        let outcome = match send_row(db, client, &row).await {
            Ok(o) => o,
            Err(e) => Outcome::Failed(e),
        };
        let recorded = record(db, store_id, &row, &outcome, actor, now);
        out.push(Drained {
            outbox_id: row.id,
            po_id: row.po_id,
            external_id: row.external_id,
            outcome,
        });
        if let Err(e) = recorded {
            return (out, Some(e));
        }
    }
    (out, None)
}

fn pending_rows(db: &Store, store_id: i64) -> Result<Vec<Row>> {
    let c = db.read().conn();
    let mut st = c.prepare(sql::PENDING_ROWS_SELECT_OUTBOX)?;
    let rows = st.query_map([store_id], |r| {
        Ok(Row {
            id: r.get(0)?,
            external_id: r.get(1)?,
            po_id: r.get(2)?,
            payload: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// [`drain`] as (external id, result) pairs; a skipped row is an [`Error::Invalid`] naming
/// why, and a database that stops taking writes is the error.
pub async fn push_pending(
    db: &mut Store,
    store_id: i64,
    client: &NetSuiteClient,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Vec<(String, Result<PushResult>)>> {
    let (drained, err) = drain(db, store_id, client, actor, now).await;
    if let Some(e) = err {
        return Err(e);
    }
    Ok(drained
        .into_iter()
        .map(|d| {
            let r = match d.outcome {
                Outcome::Sent(r) => Ok(r),
                Outcome::Skipped(why) => Err(Error::invalid("purchase order state", why)),
                Outcome::Failed(e) => Err(e),
            };
            (d.external_id, r)
        })
        .collect())
}

/// The NetSuite internal id a PO was pushed as, if it was.
pub fn remote_id(db: &Store, store_id: i64, number: &str) -> Result<Option<String>> {
    Ok(db
        .read()
        .conn()
        .query_row(
            sql::REMOTE_ID_SELECT_OUTBOX,
            params![store_id, number],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}
