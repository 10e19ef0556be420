//! The latest plan's proposed transfers as lines to review: approve or reject them, then export
//! the approved ones as a transfer CSV per pair of locations (from → to), which marks them
//! exported. Every decision and export is audited.

use chrono::NaiveDateTime;
use forestock_core::{csv_writer, guard_text, NewAuditEntry, OutputFile, Store, Writer, UTF8_BOM};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::io::Write;

use crate::error::{Error, Result};
use crate::plan::latest_plan_run;
use crate::sql;

/// Review state of a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum TransferStatus {
    Proposed,
    Approved,
    Rejected,
    Exported,
}

impl TransferStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TransferStatus::Proposed => "proposed",
            TransferStatus::Approved => "approved",
            TransferStatus::Rejected => "rejected",
            TransferStatus::Exported => "exported",
        }
    }

    fn parse(s: &str) -> Result<TransferStatus> {
        Ok(match s {
            "proposed" => TransferStatus::Proposed,
            "approved" => TransferStatus::Approved,
            "rejected" => TransferStatus::Rejected,
            "exported" => TransferStatus::Exported,
            other => {
                return Err(Error::State(format!(
                    "unknown transfer status {other:?} stored"
                )))
            }
        })
    }
}

/// One proposed transfer of the latest plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TransferLine {
    pub id: i64,
    pub variant_id: i64,
    pub sku: String,
    pub title: String,
    pub from_location_id: i64,
    pub from_location: String,
    pub to_location_id: i64,
    pub to_location: String,
    pub quantity: i64,
    pub reason: String,
    pub status: TransferStatus,
}

impl TransferLine {
    /// `SKU FROM → TO`, as the audit log names it.
    pub fn subject(&self) -> String {
        format!("{} {} → {}", self.sku, self.from_location, self.to_location)
    }
}

/// The transfers of the latest plan, by pair of locations then SKU.
pub fn list(store: &Store) -> Result<Vec<TransferLine>> {
    let Some(run) = latest_plan_run(store)? else {
        return Err(Error::Empty(
            "no plan yet: run `forestock plan` first".into(),
        ));
    };
    let r = store.read();
    let mut st = r
        .conn()
        .prepare(sql::TRANSFERS_LIST_SELECT_PLAN_TRANSFERS)?;
    let mut rows = st.query([run])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(TransferLine {
            id: row.get(0)?,
            variant_id: row.get(1)?,
            sku: row.get(2)?,
            title: row.get(3)?,
            from_location_id: row.get(4)?,
            from_location: row.get(5)?,
            to_location_id: row.get(6)?,
            to_location: row.get(7)?,
            quantity: row.get(8)?,
            reason: row.get(9)?,
            status: TransferStatus::parse(&row.get::<_, String>(10)?)?,
        });
    }
    Ok(out)
}

fn audit(
    w: &Writer<'_>,
    action: &str,
    t: &TransferLine,
    after: serde_json::Value,
    reason: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<()> {
    w.audit(&NewAuditEntry {
        at: now,
        actor: actor.into(),
        action: action.into(),
        entity: "transfer".into(),
        entity_id: t.subject(),
        before: Some(serde_json::json!({ "status": t.status, "quantity": t.quantity })),
        after: Some(after),
        reason: reason.into(),
    })?;
    Ok(())
}

/// Approve or reject transfers `ids` of the latest plan (one transaction; a reason is required
/// to reject; an exported transfer is final). Returns how many changed.
pub fn decide(
    store: &mut Store,
    ids: &[i64],
    approve: bool,
    reason: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<usize> {
    if ids.is_empty() {
        return Err(Error::invalid("transfers", "name at least one transfer"));
    }
    if !approve && reason.trim().is_empty() {
        return Err(Error::invalid("rejection", "a reason is required"));
    }
    let all = list(store)?;
    let mut chosen = Vec::new();
    for id in ids {
        let t = all
            .iter()
            .find(|t| t.id == *id)
            .ok_or_else(|| Error::not_found("transfer", format!("{id} in the latest plan")))?;
        if t.status == TransferStatus::Exported {
            return Err(Error::State(format!(
                "transfer {} ({}) is already exported",
                t.id,
                t.subject()
            )));
        }
        chosen.push(t);
    }
    let to = if approve {
        TransferStatus::Approved
    } else {
        TransferStatus::Rejected
    };
    let w = store.write()?;
    for t in &chosen {
        w.tx()
            .execute(sql::TRANSFERS_UPDATE_STATUS, params![t.id, to.as_str()])?;
        audit(
            &w,
            if approve {
                "transfer.approve"
            } else {
                "transfer.reject"
            },
            t,
            serde_json::json!({ "status": to, "quantity": t.quantity }),
            reason.trim(),
            actor,
            now,
        )?;
    }
    w.commit()?;
    Ok(chosen.len())
}

/// The columns of the transfer CSV, in order.
pub const TRANSFER_CSV_HEADER: [&str; 7] = [
    "from_location",
    "to_location",
    "sku",
    "title",
    "quantity",
    "reason",
    "plan_transfer_id",
];

/// The default file name of the transfer CSV from `from` to `to` (location codes).
pub fn file_name(from: &str, to: &str) -> String {
    format!("transfer-{from}-to-{to}.csv")
}

/// Write the approved transfers from location `from` to location `to` (codes, any case) into
/// `out` as CSV (UTF-8 with BOM, RFC 4180, text cells guarded against formulas) and mark them
/// exported, audited per transfer. Nothing is marked when the file cannot be written.
pub fn export_pair(
    store: &mut Store,
    from: &str,
    to: &str,
    out: &OutputFile,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Vec<TransferLine>> {
    let db = store.path().to_path_buf();
    out.check(&[&db])?;
    let all = list(store)?;
    let pair: Vec<&TransferLine> = all
        .iter()
        .filter(|t| {
            t.from_location.eq_ignore_ascii_case(from) && t.to_location.eq_ignore_ascii_case(to)
        })
        .collect();
    if pair.is_empty() {
        let pairs: Vec<String> = {
            let mut p: Vec<String> = all
                .iter()
                .map(|t| format!("{} → {}", t.from_location, t.to_location))
                .collect();
            p.dedup();
            p
        };
        return Err(Error::invalid(
            "transfer export",
            format!(
                "the latest plan proposes no transfer from {from:?} to {to:?} (pairs: {})",
                if pairs.is_empty() {
                    "none".to_string()
                } else {
                    pairs.join(", ")
                }
            ),
        ));
    }
    let approved: Vec<&TransferLine> = pair
        .into_iter()
        .filter(|t| t.status == TransferStatus::Approved)
        .collect();
    if approved.is_empty() {
        return Err(Error::State(format!(
            "no approved transfer from {from} to {to} to export: approve them first"
        )));
    }
    out.write(&[&db], |w: &mut dyn Write| -> Result<()> {
        w.write_all(UTF8_BOM.as_bytes())
            .map_err(forestock_core::Error::from)?;
        let mut c = csv_writer(w, b',', true);
        c.write_record(TRANSFER_CSV_HEADER)?;
        for t in &approved {
            c.write_record([
                guard_text(&t.from_location),
                guard_text(&t.to_location),
                guard_text(&t.sku),
                guard_text(&t.title),
                t.quantity.to_string(),
                guard_text(&t.reason),
                t.id.to_string(),
            ])?;
        }
        c.flush().map_err(forestock_core::Error::from)?;
        Ok(())
    })?;
    let path = out.path().display().to_string();
    let w = store.write()?;
    for t in &approved {
        w.tx().execute(
            sql::TRANSFERS_UPDATE_STATUS,
            params![t.id, TransferStatus::Exported.as_str()],
        )?;
        audit(
            &w,
            "transfer.export",
            t,
            serde_json::json!({ "status": TransferStatus::Exported, "path": path }),
            "",
            actor,
            now,
        )?;
    }
    w.commit()?;
    Ok(approved.into_iter().cloned().collect())
}
