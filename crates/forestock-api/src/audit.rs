//! The audit log as the screens list it, and its CSV export (itself audited).

use crate::{AuditStamp, Result};
use forestock_core::{AuditEntry, AuditFilter, NewAuditEntry, OutputFile, Store};
use serde::{Deserialize, Serialize};

/// Which audit entries to list; empty fields match everything.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub limit: Option<i64>,
}

impl From<AuditQuery> for AuditFilter {
    fn from(q: AuditQuery) -> Self {
        let f = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        AuditFilter {
            entity: f(q.entity),
            entity_id: f(q.entity_id),
            action: f(q.action),
            limit: q.limit,
        }
    }
}

/// One audit-log entry; `before`/`after` are the stored JSON, as text.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditView {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: String,
}

impl From<AuditEntry> for AuditView {
    fn from(e: AuditEntry) -> Self {
        AuditView {
            id: e.id,
            at: e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            actor: e.actor,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            before: e.before.map(|v| v.to_string()),
            after: e.after.map(|v| v.to_string()),
            reason: e.reason,
        }
    }
}

/// Audit-log entries, newest first.
pub fn list(store: &Store, query: AuditQuery) -> Result<Vec<AuditView>> {
    let entries = store.read().audit_entries(&query.into())?;
    Ok(entries.into_iter().map(AuditView::from).collect())
}

/// The default file name of an audit export made at the stamp's time.
pub fn export_file_name(stamp: &AuditStamp) -> String {
    format!("audit-log-{}.csv", stamp.at.format("%Y%m%d-%H%M%S"))
}

/// Write every entry the query matches (no row limit) to `out` as CSV, free text guarded
/// against formula injection by forestock-core, then audit the export; returns the rows
/// written.
pub fn export_csv(
    store: &mut Store,
    stamp: &AuditStamp,
    query: AuditQuery,
    out: &OutputFile,
) -> Result<usize> {
    let filter = AuditFilter {
        limit: None,
        ..query.into()
    };
    let entries = store.read().audit_entries(&filter)?;
    out.write(&[store.path()], |f| {
        forestock_core::write_audit_csv(&entries, f)
    })?;
    let w = store.write()?;
    w.audit(&NewAuditEntry {
        at: stamp.at,
        actor: stamp.actor.clone(),
        action: "audit.export".into(),
        entity: "audit_log".into(),
        entity_id: String::new(),
        before: None,
        after: Some(serde_json::json!({
            "path": out.path().display().to_string(),
            "rows": entries.len(),
            "filter": {"entity": filter.entity, "entity_id": filter.entity_id, "action": filter.action},
        })),
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(entries.len())
}
