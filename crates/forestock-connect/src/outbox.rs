//! The push outbox: approved POs wait here (also when approved offline) and are pushed when
//! the app is online. Each push's result goes to the audit log. Rows are unique per store
//! and PO number, so approving twice queues one push, and the push itself is idempotent.

use crate::error::Result;
use crate::netsuite::{NetSuiteClient, NsPurchaseOrder, PushResult};
use chrono::NaiveDateTime;
use forestock_core::{NewAuditEntry, Store};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// One queued push.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboxItem {
    pub id: i64,
    pub store_id: i64,
    pub external_id: String,
    pub status: String,
    pub attempts: i64,
    pub remote_id: Option<String>,
    pub last_error: Option<String>,
}

/// Queue a PO for a NetSuite store. Re-queuing a PO not yet sent replaces its payload; a PO
/// already sent is queued again (its push updates the same NetSuite record).
pub fn enqueue(
    db: &mut Store,
    store_id: i64,
    po: &NsPurchaseOrder,
    now: NaiveDateTime,
) -> Result<i64> {
    let payload = serde_json::to_string(po).map_err(forestock_core::Error::from)?;
    let w = db.write()?;
    w.tx().execute(
        "INSERT INTO outbox (store_id, kind, external_id, payload, status, created_at, updated_at) \
         VALUES (?1, 'purchase_order', ?2, ?3, 'pending', ?4, ?4) \
         ON CONFLICT(store_id, kind, external_id) DO UPDATE SET payload = excluded.payload, \
         status = 'pending', last_error = NULL, updated_at = excluded.updated_at",
        params![store_id, po.number, payload, now],
    )?;
    let id: i64 = w.tx().query_row(
        "SELECT id FROM outbox WHERE store_id = ?1 AND kind = 'purchase_order' AND external_id = ?2",
        params![store_id, po.number],
        |r| r.get(0),
    )?;
    w.audit(&NewAuditEntry {
        at: now,
        actor: "user".into(),
        action: "po.queue_push".into(),
        entity: "purchase_order".into(),
        entity_id: po.number.clone(),
        before: None,
        after: Some(serde_json::json!({"store_id": store_id, "outbox_id": id})),
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(id)
}

pub fn items(db: &Store, status: Option<&str>) -> Result<Vec<OutboxItem>> {
    let c = db.read().conn();
    let mut st = c.prepare(
        "SELECT id, store_id, external_id, status, attempts, remote_id, last_error FROM outbox \
         WHERE (?1 IS NULL OR status = ?1) ORDER BY id",
    )?;
    let rows = st.query_map([status], |r| {
        Ok(OutboxItem {
            id: r.get(0)?,
            store_id: r.get(1)?,
            external_id: r.get(2)?,
            status: r.get(3)?,
            attempts: r.get(4)?,
            remote_id: r.get(5)?,
            last_error: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Push every pending item for `store_id`. Retryable failures stay pending (the next run
/// tries again); others are marked failed. Returns each item's outcome.
pub async fn push_pending(
    db: &mut Store,
    store_id: i64,
    client: &NetSuiteClient,
    now: NaiveDateTime,
) -> Result<Vec<(String, Result<PushResult>)>> {
    let pending: Vec<(i64, String, String)> = {
        let c = db.read().conn();
        let mut st = c.prepare(
            "SELECT id, external_id, payload FROM outbox WHERE store_id = ?1 AND status = 'pending' ORDER BY id",
        )?;
        let rows = st.query_map([store_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut out = Vec::new();
    for (id, number, payload) in pending {
        let po: NsPurchaseOrder =
            serde_json::from_str(&payload).map_err(forestock_core::Error::from)?;
        let result = client.push_purchase_order(&po).await;
        let w = db.write()?;
        match &result {
            Ok(r) => {
                w.tx().execute(
                    "UPDATE outbox SET status = 'sent', attempts = attempts + 1, remote_id = ?2, \
                     last_error = NULL, sent_at = ?3, updated_at = ?3 WHERE id = ?1",
                    params![id, r.internal_id, now],
                )?;
                w.audit(&NewAuditEntry {
                    at: now,
                    actor: "forestock".into(),
                    action: "po.push".into(),
                    entity: "purchase_order".into(),
                    entity_id: number.clone(),
                    before: None,
                    after: Some(
                        serde_json::json!({"netsuite_id": r.internal_id, "store_id": store_id}),
                    ),
                    reason: "pushed to NetSuite as a draft purchase order".into(),
                })?;
            }
            Err(e) => {
                let status = if e.is_retryable() {
                    "pending"
                } else {
                    "failed"
                };
                w.tx().execute(
                    "UPDATE outbox SET status = ?2, attempts = attempts + 1, last_error = ?3, \
                     updated_at = ?4 WHERE id = ?1",
                    params![id, status, e.to_string(), now],
                )?;
                w.audit(&NewAuditEntry {
                    at: now,
                    actor: "forestock".into(),
                    action: "po.push_failed".into(),
                    entity: "purchase_order".into(),
                    entity_id: number.clone(),
                    before: None,
                    after: Some(serde_json::json!({"error": e.to_string(), "code": e.code(), "will_retry": e.is_retryable()})),
                    reason: String::new(),
                })?;
            }
        }
        w.commit()?;
        out.push((number, result));
    }
    Ok(out)
}

/// The NetSuite internal id a PO was pushed as, if it was.
pub fn remote_id(db: &Store, store_id: i64, number: &str) -> Result<Option<String>> {
    Ok(db
        .read()
        .conn()
        .query_row(
            "SELECT remote_id FROM outbox WHERE store_id = ?1 AND kind = 'purchase_order' AND external_id = ?2",
            params![store_id, number],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}
