//! The append-only audit log: who did what, when, before/after, and why.

use crate::db::{Reader, Writer};
use crate::error::{Error, Result};
use chrono::NaiveDateTime;
use rusqlite::params;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAuditEntry {
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: String,
}

impl Writer<'_> {
    /// Append one entry. The log cannot be edited or deleted afterwards (schema triggers).
    pub fn audit(&self, e: &NewAuditEntry) -> Result<i64> {
        if e.actor.trim().is_empty() || e.action.trim().is_empty() {
            return Err(Error::invalid(
                "audit entry",
                "actor and action are required",
            ));
        }
        self.tx
            .prepare_cached(
                "INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after, reason) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                e.at, e.actor, e.action, e.entity, e.entity_id, e.before, e.after, e.reason
            ])?;
        Ok(self.tx.last_insert_rowid())
    }
}

/// Filter for [`Reader::audit_entries`]; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub limit: Option<i64>,
}

impl Reader<'_> {
    /// Entries newest first.
    pub fn audit_entries(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut st = self.conn.prepare(
            "SELECT id, at, actor, action, entity, entity_id, before, after, reason FROM audit_log \
             WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2) \
               AND (?3 IS NULL OR action = ?3) ORDER BY id DESC LIMIT ?4",
        )?;
        let rows = st.query_map(
            params![f.entity, f.entity_id, f.action, f.limit.unwrap_or(-1)],
            |r| {
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    entity: r.get(4)?,
                    entity_id: r.get(5)?,
                    before: r.get(6)?,
                    after: r.get(7)?,
                    reason: r.get(8)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
