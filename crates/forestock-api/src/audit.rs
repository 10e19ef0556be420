//! The audit log as the screens list it (readable: what each entry is about, by name, and the
//! fields it changed), and its CSV export (itself audited).

use crate::{AuditStamp, Result};
use forestock_core::{AuditEntry, AuditFilter, AuditNames, NewAuditEntry, OutputFile, Store};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Which audit entries to list; empty fields match everything.
#[derive(Debug, Clone, Default, Deserialize)]
// The CLI's help is given as `help` here: a doc comment would also reach the TypeScript.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct AuditQuery {
    #[cfg_attr(
        feature = "clap",
        arg(
            long,
            help = "Only entries about this kind of record (plan_line, purchase_order, \
            supplier, sku…)."
        )
    )]
    pub entity: Option<String>,
    #[cfg_attr(feature = "clap", arg(skip))]
    pub entity_id: Option<String>,
    #[cfg_attr(
        feature = "clap",
        arg(long, help = "Only this action (plan.approve, po.approve…).")
    )]
    pub action: Option<String>,
    #[cfg_attr(
        feature = "clap",
        arg(long, default_value = "50", help = "How many entries, newest first.")
    )]
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

/// One field an audit entry changed: its (dotted) name and its value before and after, as text
/// (`None`: absent or empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One audit-log entry; `before`/`after` are the stored JSON, as text; `what` names what the
/// entry is about (SKU, location, PO number, supplier…) and `changes` lists the fields that
/// differ between `before` and `after`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditView {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub what: String,
    pub changes: Vec<FieldChange>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: String,
}

impl AuditView {
    /// The entry as a screen shows it, its ids named from `names`.
    pub fn readable(e: AuditEntry, names: &AuditNames) -> Self {
        // The name the entry recorded itself, at its top level or one object down (a
        // deletion's report holds the record it removed).
        let named = |v: &Value| {
            ["name", "number", "sku"]
                .iter()
                .find_map(|k| v.get(k)?.as_str().filter(|s| !s.is_empty()))
                .map(str::to_string)
        };
        let hint = [e.before.as_ref(), e.after.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|v| named(v).or_else(|| v.as_object()?.values().find_map(&named)));
        let what = describe(&e.entity, &e.entity_id, names, hint.as_deref());
        let mut changes = field_changes(e.before.as_ref(), e.after.as_ref());
        // The reason is shown once, as the entry's: a field that newly records that same
        // reason (an override's `override_reason`) is not listed again as a change.
        changes.retain(|c| {
            !(c.field.ends_with("reason")
                && c.before.is_none()
                && !e.reason.is_empty()
                && c.after.as_deref() == Some(e.reason.as_str()))
        });
        AuditView {
            id: e.id,
            at: e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            actor: e.actor,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            what,
            changes,
            before: e.before.map(|v| v.to_string()),
            after: e.after.map(|v| v.to_string()),
            reason: e.reason,
        }
    }
}

/// Audit-log entries, newest first, readable: two statements whatever the number of entries
/// (the entries, then every name they may refer to).
pub fn list(store: &Store, query: AuditQuery) -> Result<Vec<AuditView>> {
    let r = store.read();
    let entries = r.audit_entries(&query.into())?;
    let names = r.audit_names()?;
    Ok(entries
        .into_iter()
        .map(|e| AuditView::readable(e, &names))
        .collect())
}

fn sku_name(names: &AuditNames, id: &str) -> String {
    match id.parse::<i64>().ok().and_then(|i| names.variants.get(&i)) {
        Some((sku, title)) if !title.trim().is_empty() => format!("{sku} ({title})"),
        Some((sku, _)) => sku.clone(),
        None => format!("SKU #{id} (deleted)"),
    }
}

fn location_name(names: &AuditNames, id: &str) -> String {
    match id.parse::<i64>().ok().and_then(|i| names.locations.get(&i)) {
        Some((code, _)) => code.clone(),
        None => format!("location #{id} (deleted)"),
    }
}

/// What an entry is about, in words: the SKU and location of a plan line, a PO's number and
/// supplier, a supplier's or scenario's name. An id whose row is gone says so, with the name
/// the entry itself recorded (`hint`, from its before/after) when it has one.
pub fn describe(entity: &str, id: &str, names: &AuditNames, hint: Option<&str>) -> String {
    let num = id.parse::<i64>().ok();
    let gone = |kind: &str| match hint {
        Some(h) => format!("{kind} {h} (deleted)"),
        None => format!("{kind} #{id} (deleted)"),
    };
    let parts: Vec<&str> = id.split(':').collect();
    match (entity, parts.as_slice()) {
        ("plan_line", [run, v, l]) => format!(
            "Plan line {} at {} (plan {run})",
            sku_name(names, v),
            location_name(names, l)
        ),
        ("chart", [v, l]) => format!(
            "Chart of {} at {}",
            sku_name(names, v),
            location_name(names, l)
        ),
        ("sku", _) => format!("SKU {}", sku_name(names, id)),
        ("supplier", _) => match num.and_then(|i| names.suppliers.get(&i)) {
            Some(n) => format!("Supplier {n}"),
            None => gone("Supplier"),
        },
        ("purchase_order", _) => {
            // Plan entries carry the PO's id; push entries its number (or NetSuite's id).
            let by_id = num.and_then(|i| names.purchase_orders.get(&i));
            let by_number = || names.purchase_orders.values().find(|(n, _)| n == id);
            match by_id.or_else(by_number) {
                Some((number, Some(supplier))) => format!("PO {number} ({supplier})"),
                Some((number, None)) => format!("PO {number}"),
                None if num.is_some() => gone("PO"),
                None => format!("PO {id}"),
            }
        }
        ("scenario", _) => match num.and_then(|i| names.scenarios.get(&i)) {
            Some(n) => format!("Scenario {n}"),
            None => gone("Scenario"),
        },
        ("store", _) => match num.and_then(|i| names.stores.get(&i)) {
            Some((n, platform)) => format!("Store {n} ({platform})"),
            None => format!("Store #{id} (removed)"),
        },
        ("import_batch", _) => match num.and_then(|i| names.import_batches.get(&i)) {
            Some((file, kind)) => format!("Import of {file} ({kind})"),
            None => format!("Import #{id} (undone)"),
        },
        ("transfer", _) => format!("Transfer {id}"),
        ("alert", _) => format!("Alert: {id}"),
        ("plan_settings", _) => "Planning settings".into(),
        ("audit_log", _) => "Audit log".into(),
        ("merchant", _) => format!("Merchant {id}").trim_end().to_string(),
        _ if id.is_empty() => entity.replace('_', " "),
        _ => format!("{} {id}", entity.replace('_', " ")),
    }
}

/// A JSON value as a planner reads it: text unquoted, `null` and empty text as `None`, arrays
/// and objects as compact JSON.
fn value_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// `v` flattened to dotted field names (objects only; arrays are one field).
fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, out);
            }
        }
        other => {
            out.insert(
                if prefix.is_empty() {
                    "value".into()
                } else {
                    prefix.into()
                },
                other.clone(),
            );
        }
    }
}

/// The fields that differ between an entry's `before` and `after` (a created record: every
/// field of `after`; a removed one: every field of `before`), in field-name order.
pub fn field_changes(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let (mut b, mut a) = (BTreeMap::new(), BTreeMap::new());
    if let Some(v) = before {
        flatten("", v, &mut b);
    }
    if let Some(v) = after {
        flatten("", v, &mut a);
    }
    let mut fields: Vec<&String> = b.keys().chain(a.keys()).collect();
    fields.sort();
    fields.dedup();
    fields
        .into_iter()
        .filter_map(|f| {
            let (before, after) = (value_text(b.get(f)), value_text(a.get(f)));
            (before != after).then(|| FieldChange {
                field: f.clone(),
                before,
                after,
            })
        })
        .collect()
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn change(field: &str, before: Option<&str>, after: Option<&str>) -> FieldChange {
        FieldChange {
            field: field.into(),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
        }
    }

    #[test]
    fn only_the_fields_that_changed_are_listed_before_and_after() {
        let before = json!({"status": "proposed", "override_qty": null, "needs_approval": false,
            "terms": {"moq": 12, "case_pack": 6}});
        let after = json!({"status": "approved", "override_qty": 40, "needs_approval": false,
            "terms": {"moq": 24, "case_pack": 6}, "override_reason": "promo"});
        assert_eq!(
            field_changes(Some(&before), Some(&after)),
            vec![
                change("override_qty", None, Some("40")),
                change("override_reason", None, Some("promo")),
                change("status", Some("proposed"), Some("approved")),
                change("terms.moq", Some("12"), Some("24")),
            ]
        );
        // Created: every field of after; removed: every field of before; a bare value.
        assert_eq!(
            field_changes(None, Some(&json!({"name": "Acme", "moq": 1}))),
            vec![
                change("moq", None, Some("1")),
                change("name", None, Some("Acme"))
            ]
        );
        assert_eq!(
            field_changes(Some(&json!({"name": "Acme"})), None),
            vec![change("name", Some("Acme"), None)]
        );
        assert_eq!(
            field_changes(Some(&json!(3)), Some(&json!(5))),
            vec![change("value", Some("3"), Some("5"))]
        );
        assert!(field_changes(Some(&before), Some(&before)).is_empty());
        assert!(field_changes(None, None).is_empty());
    }

    /// An override's entry showed its reason twice in the SKU's audit trail: once as the
    /// changed field `override_reason`, once as the entry's reason.
    #[test]
    fn an_entry_shows_its_reason_once_and_a_changed_reason_keeps_its_old_value() {
        let entry = |before: Value, after: Value, reason: &str| AuditEntry {
            id: 1,
            at: chrono::NaiveDate::from_ymd_opt(2026, 12, 3)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
            actor: "app:ana".into(),
            action: "plan.override".into(),
            entity: "plan_line".into(),
            entity_id: "1:7:2".into(),
            before: Some(before),
            after: Some(after),
            reason: reason.into(),
        };
        let names = AuditNames::default();
        let new = AuditView::readable(
            entry(
                json!({"override_qty": null}),
                json!({"override_qty": 40, "override_reason": "trade show"}),
                "trade show",
            ),
            &names,
        );
        assert_eq!(new.changes, vec![change("override_qty", None, Some("40"))]);
        assert_eq!(new.reason, "trade show");
        let changed = AuditView::readable(
            entry(
                json!({"override_qty": 40, "override_reason": "trade show"}),
                json!({"override_qty": 30, "override_reason": "smaller booth"}),
                "smaller booth",
            ),
            &names,
        );
        assert_eq!(
            changed.changes,
            vec![
                change("override_qty", Some("40"), Some("30")),
                change("override_reason", Some("trade show"), Some("smaller booth")),
            ]
        );
    }

    #[test]
    fn ids_are_named_and_rows_since_deleted_fall_back_to_what_the_entry_recorded() {
        let mut names = AuditNames::default();
        names
            .variants
            .insert(7, ("TEE-M".into(), "Tee — Black / M".into()));
        names
            .locations
            .insert(2, ("WH1".into(), "Main warehouse".into()));
        names.suppliers.insert(3, "Acme".into());
        names
            .purchase_orders
            .insert(5, ("PO-0005".into(), Some("Acme".into())));
        assert_eq!(
            describe("plan_line", "86:7:2", &names, None),
            "Plan line TEE-M (Tee — Black / M) at WH1 (plan 86)"
        );
        assert_eq!(describe("supplier", "3", &names, None), "Supplier Acme");
        assert_eq!(
            describe("purchase_order", "5", &names, None),
            "PO PO-0005 (Acme)"
        );
        assert_eq!(
            describe("purchase_order", "PO-0005", &names, None),
            "PO PO-0005 (Acme)"
        );
        assert_eq!(
            describe("chart", "7:2", &names, None),
            "Chart of TEE-M (Tee — Black / M) at WH1"
        );
        // Gone: the name the entry kept, else the id, said to be deleted.
        assert_eq!(
            describe("supplier", "9", &names, Some("Old Co")),
            "Supplier Old Co (deleted)"
        );
        assert_eq!(
            describe("supplier", "9", &names, None),
            "Supplier #9 (deleted)"
        );
        assert_eq!(
            describe("plan_line", "86:8:4", &names, None),
            "Plan line SKU #8 (deleted) at location #4 (deleted) (plan 86)"
        );
        assert_eq!(
            describe("plan_settings", "", &names, None),
            "Planning settings"
        );
        assert_eq!(describe("widget", "12", &names, None), "widget 12");
    }
}
