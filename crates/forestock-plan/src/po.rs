//! Purchase orders: approved plan lines grouped per supplier and location into drafts, states
//! draft → approved → exported/pushed → partially received → received (or cancelled), and the
//! supplier CSV export (RFC 4180, UTF-8, CRLF; free text guarded against formula injection per
//! OWASP "CSV Injection", numbers left as plain numbers — see shared API-NOTES §5).

use crate::sql;
use chrono::{Days, NaiveDate, NaiveDateTime};
use forestock_core::{NewAuditEntry, OutputFile, Store};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::po_csv::CsvLayout;
use crate::review::{recommendations, GridFilter, LineStatus};

/// A purchase order with its lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PurchaseOrder {
    pub id: i64,
    pub number: String,
    pub supplier_id: i64,
    pub supplier: String,
    pub location_id: i64,
    pub location: String,
    pub status: PoStatus,
    pub currency: String,
    pub order_date: NaiveDate,
    pub expected_date: NaiveDate,
    pub notes: String,
    pub lines: Vec<PoLine>,
    pub total: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoLine {
    pub variant_id: i64,
    pub sku: String,
    pub supplier_sku: Option<String>,
    pub barcode: Option<String>,
    pub description: String,
    pub quantity: i64,
    pub unit_cost: f64,
    pub received_qty: i64,
    pub notes: String,
}

/// The states of a PO and the moves between them ([`PoStatus`]).
pub use crate::po_status::{PoActions, PoStatus};

#[allow(clippy::too_many_arguments)]
fn audit(
    w: &forestock_core::Writer<'_>,
    action: &str,
    po: i64,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    reason: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<()> {
    w.audit(&NewAuditEntry {
        at: now,
        actor: actor.into(),
        action: action.into(),
        entity: "purchase_order".into(),
        entity_id: po.to_string(),
        before,
        after,
        reason: reason.into(),
    })?;
    Ok(())
}

/// Group the latest plan's approved lines into draft POs per supplier × location; the lines
/// become `ordered`. Returns the new POs (none when nothing is approved).
pub fn draft_from_plan(
    store: &mut Store,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Vec<PurchaseOrder>> {
    let rows: Vec<_> = recommendations(
        store,
        &GridFilter {
            to_order_only: true,
            ..GridFilter::default()
        },
    )?
    .into_iter()
    .filter(|g| g.status == LineStatus::Approved && g.rec.supplier_id.is_some())
    .collect();
    let mut groups: BTreeMap<(i64, i64), Vec<_>> = BTreeMap::new();
    for g in rows {
        if let Some(s) = g.rec.supplier_id {
            groups.entry((s, g.rec.location_id)).or_default().push(g);
        }
    }
    let mut ids = Vec::new();
    let w = store.write()?;
    let seq: i64 = w
        .tx()
        .query_row(sql::DRAFT_FROM_PLAN_SELECT_PURCHASE_ORDERS, [], |r| {
            r.get(0)
        })?;
    for (n, ((supplier, location), lines)) in groups.into_iter().enumerate() {
        let first = &lines[0];
        // The planning date of the run is the order date.
        let today: NaiveDate = w.tx().query_row(
            sql::DRAFT_FROM_PLAN_SELECT_PLAN_LINES,
            [first.run_id],
            |r| r.get(0),
        )?;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let lead = first.rec.lead_time_days.round().max(1.0) as u64;
        let number = format!("PO-{:05}", seq + n as i64 + 1);
        w.tx().execute(
            sql::DRAFT_FROM_PLAN_INSERT_PURCHASE_ORDERS,
            params![
                number,
                supplier,
                location,
                first.run_id,
                first.rec.currency,
                today,
                today + Days::new(lead),
                now
            ],
        )?;
        let po = w.tx().last_insert_rowid();
        for g in &lines {
            w.tx().execute(
                sql::DRAFT_FROM_PLAN_INSERT_PO_LINES,
                params![
                    po,
                    g.rec.variant_id,
                    g.final_qty,
                    g.rec.unit_cost,
                    g.override_reason.clone().unwrap_or_default()
                ],
            )?;
            w.tx().execute(
                sql::DRAFT_FROM_PLAN_UPDATE_PLAN_LINES,
                params![g.run_id, g.rec.variant_id, g.rec.location_id],
            )?;
        }
        audit(
            &w,
            "po.draft",
            po,
            None,
            Some(serde_json::json!({"number": number, "lines": lines.len()})),
            "",
            actor,
            now,
        )?;
        ids.push(po);
    }
    w.commit()?;
    ids.into_iter().map(|id| get(store, id)).collect()
}

/// One purchase order with lines.
pub fn get(store: &Store, id: i64) -> Result<PurchaseOrder> {
    read_pos(store, Some(id))?
        .pop()
        .ok_or_else(|| Error::not_found("purchase order", id))
}

/// All purchase orders, newest first.
pub fn list(store: &Store) -> Result<Vec<PurchaseOrder>> {
    read_pos(store, None)
}

/// The POs (one, or all newest first) with their lines: two statements whatever the number of
/// POs (a list used to read each PO's lines with a query of its own).
fn read_pos(store: &Store, id: Option<i64>) -> Result<Vec<PurchaseOrder>> {
    let r = store.read();
    let mut st = r.conn().prepare_cached(sql::PO_HEADERS)?;
    let mut pos: Vec<PurchaseOrder> = st
        .query_map([id], |r| {
            Ok(PurchaseOrder {
                id: r.get(0)?,
                number: r.get(1)?,
                supplier_id: r.get(2)?,
                supplier: r.get(3)?,
                location_id: r.get(4)?,
                location: r.get(5)?,
                status: r.get(6)?,
                currency: r.get(7)?,
                order_date: r.get(8)?,
                expected_date: r.get(9)?,
                notes: r.get(10)?,
                lines: Vec::new(),
                total: 0.0,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let index: std::collections::HashMap<i64, usize> =
        pos.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let mut st = r.conn().prepare_cached(sql::PO_LINES)?;
    let mut rows = st.query([id])?;
    while let Some(row) = rows.next()? {
        let po_id: i64 = row.get(0)?;
        let Some(&i) = index.get(&po_id) else {
            continue;
        };
        pos[i].lines.push(PoLine {
            variant_id: row.get(1)?,
            sku: row.get(2)?,
            supplier_sku: row.get(3)?,
            barcode: row.get(4)?,
            description: row.get(5)?,
            quantity: row.get(6)?,
            unit_cost: row.get(7)?,
            received_qty: row.get(8)?,
            notes: row.get(9)?,
        });
    }
    for p in &mut pos {
        p.total = p
            .lines
            .iter()
            .map(|l| l.quantity as f64 * l.unit_cost)
            .sum();
    }
    Ok(pos)
}

/// Move a PO to another state (validated transition; audited).
pub fn set_status(
    store: &mut Store,
    id: i64,
    to: PoStatus,
    reason: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<PurchaseOrder> {
    let po = get(store, id)?;
    if !po.status.can_transition_to(to) {
        return Err(Error::State(format!(
            "{} cannot go from {} to {to}",
            po.number, po.status
        )));
    }
    if to == PoStatus::Approved && po.lines.is_empty() {
        return Err(Error::Empty(format!("{} has no lines", po.number)));
    }
    // Lines edited on the PO past the review thresholds need an explicit approval: a reason.
    let exceeds = if to == PoStatus::Approved {
        approval_reasons(store, &po)?
    } else {
        Vec::new()
    };
    if !exceeds.is_empty() && reason.trim().is_empty() {
        return Err(Error::invalid(
            "approval",
            format!(
                "{} needs explicit approval ({}); give a reason to approve it",
                po.number,
                exceeds.join("; ")
            ),
        ));
    }
    let w = store.write()?;
    w.tx()
        .execute(sql::SET_STATUS_UPDATE_PURCHASE_ORDERS, params![id, to, now])?;
    audit(
        &w,
        "po.status",
        id,
        Some(serde_json::json!({"status": po.status})),
        Some(if exceeds.is_empty() {
            serde_json::json!({"status": to})
        } else {
            serde_json::json!({"status": to, "above_thresholds": exceeds})
        }),
        reason,
        actor,
        now,
    )?;
    w.commit()?;
    get(store, id)
}

/// Record received quantities (partial receipts allowed); the PO becomes partially received or
/// received.
pub fn receive(
    store: &mut Store,
    id: i64,
    received: &[(i64, i64)],
    actor: &str,
    now: NaiveDateTime,
) -> Result<PurchaseOrder> {
    receive_on(store, id, received, now.date(), actor, now)
}

/// [`receive`] with the day the goods arrived (on or after the PO's order date, not after
/// `now`); each line received is stored as a dated receipt, which teaches the supplier's lead
/// time ([`crate::lead_times`]).
pub fn receive_on(
    store: &mut Store,
    id: i64,
    received: &[(i64, i64)],
    received_on: NaiveDate,
    actor: &str,
    now: NaiveDateTime,
) -> Result<PurchaseOrder> {
    let po = get(store, id)?;
    if received_on < po.order_date || received_on > now.date() {
        return Err(Error::invalid(
            "receipt date",
            format!(
                "{received_on} is outside {} (ordered) to {} (today)",
                po.order_date,
                now.date()
            ),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(&(v, _)) = received.iter().find(|(v, _)| !seen.insert(*v)) {
        return Err(Error::invalid(
            "receipt",
            format!("variant {v} is named twice: give each line once"),
        ));
    }
    if !po.status.is_receivable() {
        return Err(Error::State(format!(
            "{} is {}: only sent orders can be received",
            po.number, po.status
        )));
    }
    let w = store.write()?;
    for &(variant, qty) in received {
        let line = po
            .lines
            .iter()
            .find(|l| l.variant_id == variant)
            .ok_or_else(|| Error::not_found("PO line for variant", variant))?;
        if qty <= 0 || line.received_qty + qty > line.quantity {
            return Err(Error::invalid(
                "receipt",
                format!(
                    "{}: cannot receive {qty} (ordered {}, received {})",
                    line.sku, line.quantity, line.received_qty
                ),
            ));
        }
        w.tx()
            .execute(sql::RECEIVE_UPDATE_PO_LINES, params![id, variant, qty])?;
        w.tx().execute(
            sql::RECEIVE_INSERT_PO_RECEIPTS,
            params![id, variant, qty, received_on, now],
        )?;
    }
    let open: i64 = w
        .tx()
        .query_row(sql::RECEIVE_SELECT_PO_LINES, [id], |r| r.get(0))?;
    let to = if open == 0 {
        PoStatus::Received
    } else {
        PoStatus::PartiallyReceived
    };
    w.tx()
        .execute(sql::SET_STATUS_UPDATE_PURCHASE_ORDERS, params![id, to, now])?;
    audit(
        &w,
        "po.receive",
        id,
        Some(serde_json::json!({"status": po.status})),
        Some(serde_json::json!({"status": to, "received": received, "on": received_on})),
        "",
        actor,
        now,
    )?;
    w.commit()?;
    get(store, id)
}

/// A draft PO's line, looked up for an edit: the PO, the line and the audit context.
fn draft_line(
    store: &Store,
    id: i64,
    variant_id: i64,
    reason: &str,
) -> Result<(PurchaseOrder, PoLine)> {
    if reason.trim().is_empty() {
        return Err(Error::invalid(
            "purchase order line",
            "say why the line changes (the reason goes to the audit log)",
        ));
    }
    let po = get(store, id)?;
    if po.status != PoStatus::Draft {
        return Err(Error::State(format!(
            "{} is {}: only draft orders can be edited",
            po.number, po.status
        )));
    }
    let line = po
        .lines
        .iter()
        .find(|l| l.variant_id == variant_id)
        .cloned()
        .ok_or_else(|| Error::not_found("PO line for variant", variant_id))?;
    Ok((po, line))
}

/// Change the quantity of a draft PO's line (a reason is required; audited as `po.line_edit`).
/// The quantity must be a whole number of the supplier's cases and at least its MOQ. The
/// review thresholds are checked again when the PO is approved ([`approval_reasons`]).
pub fn set_line_quantity(
    store: &mut Store,
    id: i64,
    variant_id: i64,
    quantity: i64,
    reason: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<PurchaseOrder> {
    let (po, line) = draft_line(store, id, variant_id, reason)?;
    // The SKU's own terms at this supplier when set, else the supplier's.
    let (moq, case): (i64, i64) = store.read().conn().query_row(
        sql::SET_LINE_QUANTITY_SELECT_SUPPLIERS,
        params![po.supplier_id, variant_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if quantity <= 0 {
        return Err(Error::invalid(
            "purchase order line",
            format!(
                "{}: quantity must be more than 0 (remove the line instead)",
                line.sku
            ),
        ));
    }
    if quantity % case.max(1) != 0 || quantity < moq {
        return Err(Error::invalid(
            "purchase order line",
            format!(
                "{}: {quantity} is not a whole number of cases of {case} at least the MOQ {moq} of {}",
                line.sku, po.supplier
            ),
        ));
    }
    let w = store.write()?;
    w.tx().execute(
        sql::SET_LINE_QUANTITY_UPDATE_PO_LINES,
        params![id, variant_id, quantity],
    )?;
    w.tx().execute(
        sql::SET_LINE_QUANTITY_UPDATE_PURCHASE_ORDERS,
        params![id, now],
    )?;
    audit(
        &w,
        "po.line_edit",
        id,
        Some(serde_json::json!({"number": po.number, "sku": line.sku, "quantity": line.quantity})),
        Some(serde_json::json!({"number": po.number, "sku": line.sku, "quantity": quantity})),
        reason.trim(),
        actor,
        now,
    )?;
    w.commit()?;
    get(store, id)
}

/// Remove a line from a draft PO (a reason is required; audited as `po.line_remove`). The plan
/// line it came from goes back to `proposed`, so it shows in the review grid again rather than
/// being drafted a second time. A PO without lines cannot be approved.
pub fn remove_line(
    store: &mut Store,
    id: i64,
    variant_id: i64,
    reason: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<PurchaseOrder> {
    let (po, line) = draft_line(store, id, variant_id, reason)?;
    let w = store.write()?;
    w.tx()
        .execute(sql::REMOVE_LINE_DELETE_PO_LINES, params![id, variant_id])?;
    let returned = w.tx().execute(
        sql::REMOVE_LINE_UPDATE_PLAN_LINES,
        params![id, variant_id, po.location_id],
    )?;
    w.tx().execute(
        sql::SET_LINE_QUANTITY_UPDATE_PURCHASE_ORDERS,
        params![id, now],
    )?;
    audit(
        &w,
        "po.line_remove",
        id,
        Some(serde_json::json!({"number": po.number, "sku": line.sku, "quantity": line.quantity})),
        Some(serde_json::json!({
            "number": po.number,
            "sku": line.sku,
            "quantity": 0,
            "plan_line": if returned > 0 { "proposed" } else { "none" },
        })),
        reason.trim(),
        actor,
        now,
    )?;
    w.commit()?;
    get(store, id)
}

/// Why approving a PO needs an explicit reason: lines whose quantity was edited on the PO
/// past the review thresholds of the settings (order value, percent change from the plan's
/// recommendation). Lines as drafted were already reviewed in the grid and pass. Empty when
/// a plain approval is fine.
pub fn approval_reasons(store: &Store, po: &PurchaseOrder) -> Result<Vec<String>> {
    Ok(approval_reasons_of(store, std::slice::from_ref(po))?
        .pop()
        .unwrap_or_default())
}

/// [`approval_reasons`] of each PO of a list (in its order), with one read of the settings and
/// one query for the plan lines of all of them (a list view must not query per PO).
pub fn approval_reasons_of(store: &Store, pos: &[PurchaseOrder]) -> Result<Vec<Vec<String>>> {
    let settings = crate::settings::load_settings(&store.read())?;
    let rates = crate::money::Rates::load(&store.read())?;
    let ids: Vec<i64> = pos.iter().map(|p| p.id).collect();
    let r = store.read();
    let mut st = r.conn().prepare_cached(sql::PO_PLANNED_LINES)?;
    let planned: std::collections::HashMap<(i64, i64), (i64, String)> = st
        .query_map([serde_json::to_string(&ids)?], |r| {
            Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(pos.len());
    for po in pos {
        let mut why = Vec::new();
        for line in &po.lines {
            let reasons = match planned.get(&(po.id, line.variant_id)) {
                Some((drafted, _)) if *drafted == line.quantity => Vec::new(),
                Some((_, detail)) => {
                    let rec: crate::line::Recommendation = serde_json::from_str(detail)?;
                    crate::plan::approval_reasons(&rec, line.quantity, &settings, &rates)
                }
                // A PO is one supplier's, in its currency: the threshold is in the merchant's.
                None if line.quantity > 0 => rates
                    .value_reason(
                        &po.currency,
                        line.quantity as f64 * line.unit_cost,
                        settings.approval_value_threshold,
                    )
                    .into_iter()
                    .collect(),
                None => Vec::new(),
            };
            why.extend(reasons.into_iter().map(|w| format!("{}: {w}", line.sku)));
        }
        out.push(why);
    }
    Ok(out)
}

/// Export an approved (or already exported) PO to a CSV file, written to a temporary file in
/// the same folder and renamed into place, then mark it exported. Nothing changes on failure.
/// An existing file at `path` is replaced (the app's save dialog asks first); the CLI, which
/// refuses to replace without `--force`, uses [`export_csv_many_with`].
pub fn export_csv(
    store: &mut Store,
    id: i64,
    path: &Path,
    actor: &str,
    now: NaiveDateTime,
) -> Result<PurchaseOrder> {
    let mut pos = export_csv_many(store, &[id], path, actor, now)?;
    pos.pop()
        .ok_or_else(|| Error::Empty("nothing was exported".into()))
}

/// Export several approved POs (e.g. every PO of one supplier) into one CSV file with one
/// header row, in the layout of the planner's settings. All are checked first; the file is
/// written atomically (temporary file + rename); then all are marked exported in one
/// transaction. Nothing changes on failure. Replaces an existing file at `path`.
pub fn export_csv_many(
    store: &mut Store,
    ids: &[i64],
    path: &Path,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Vec<PurchaseOrder>> {
    let layout = crate::settings::load_settings(&store.read())?.csv_layout()?;
    export_csv_many_with(
        store,
        ids,
        &OutputFile::replacing(path),
        &layout,
        actor,
        now,
    )
}

/// [`export_csv_many`] in a given layout (e.g. one typed on the command line for one supplier),
/// to `out`, which follows the rule of every file Forestock writes ([`OutputFile`]: replaced only
/// when allowed, never the database itself, atomic).
pub fn export_csv_many_with(
    store: &mut Store,
    ids: &[i64],
    out: &OutputFile,
    layout: &CsvLayout,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Vec<PurchaseOrder>> {
    let path = out.path();
    let db = store.path().to_path_buf();
    out.check(&[&db])?;
    if ids.is_empty() {
        return Err(Error::Empty("no purchase order to export".into()));
    }
    let pos: Vec<PurchaseOrder> = ids
        .iter()
        .map(|&id| get(store, id))
        .collect::<Result<_>>()?;
    for po in &pos {
        if po.lines.is_empty() {
            return Err(Error::Empty(format!(
                "{} has no lines: nothing to export",
                po.number
            )));
        }
        if !po.status.is_exportable() {
            return Err(Error::State(format!(
                "{} is {}: approve it before exporting",
                po.number, po.status
            )));
        }
    }
    let text = layout.write(&pos.iter().collect::<Vec<_>>())?;
    out.write(&[&db], |w| -> Result<()> {
        w.write_all(text.as_bytes())
            .map_err(forestock_core::Error::from)?;
        Ok(())
    })?;
    let w = store.write()?;
    for po in &pos {
        if po.status == PoStatus::Approved {
            w.tx().execute(
                sql::EXPORT_CSV_MANY_WITH_UPDATE_PURCHASE_ORDERS,
                params![po.id, now, PoStatus::Exported],
            )?;
        }
        audit(
            &w,
            "po.export",
            po.id,
            Some(serde_json::json!({"status": po.status})),
            Some(serde_json::json!({
                "status": if po.status == PoStatus::Approved { PoStatus::Exported } else { po.status },
                "path": path.display().to_string(),
                "lines": po.lines.len(),
            })),
            "",
            actor,
            now,
        )?;
    }
    w.commit()?;
    ids.iter().map(|&id| get(store, id)).collect()
}

/// Find a PO by its number (e.g. `PO-00001`) or database id.
pub fn find(store: &Store, key: &str) -> Result<PurchaseOrder> {
    let key = key.trim();
    let id: Option<i64> = store
        .read()
        .conn()
        .query_row(sql::FIND_SELECT_PURCHASE_ORDERS, [key], |r| r.get(0))
        .optional()?;
    get(
        store,
        id.ok_or_else(|| Error::not_found("purchase order", key))?,
    )
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A printable HTML version of a PO (one self-contained page; every text escaped).
pub fn html_text(po: &PurchaseOrder, merchant: &str) -> String {
    let e = html_escape;
    let mut rows = String::new();
    for l in &po.lines {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{:.2}</td><td class=n>{:.2}</td><td>{}</td></tr>\n",
            e(&l.sku),
            e(l.supplier_sku.as_deref().unwrap_or("")),
            e(&l.description),
            l.quantity,
            l.unit_cost,
            l.quantity as f64 * l.unit_cost,
            e(&l.notes)
        ));
    }
    format!(
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>{number}</title>\n<style>\n\
body{{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}}table{{border-collapse:collapse;width:100%}}\n\
th,td{{border-bottom:1px solid #ccc;padding:4px 6px;text-align:left}}td.n,th.n{{text-align:right}}\n\
@media print{{body{{margin:0}}}}\n</style></head><body>\n\
<h1>Purchase order {number}</h1>\n\
<p><b>From</b> {merchant}<br><b>To</b> {supplier}<br><b>Ship to</b> {location}<br>\
<b>Order date</b> {order_date} &middot; <b>Expected</b> {expected} &middot; <b>Status</b> {status}</p>\n\
<table><thead><tr><th>SKU</th><th>Supplier SKU</th><th>Description</th><th class=n>Qty</th>\
<th class=n>Unit cost</th><th class=n>Line total</th><th>Notes</th></tr></thead>\n<tbody>\n{rows}</tbody>\n\
<tfoot><tr><th colspan=5>Total ({currency})</th><th class=n>{total:.2}</th><th></th></tr></tfoot></table>\n\
{notes}</body></html>\n",
        number = e(&po.number),
        merchant = e(merchant),
        supplier = e(&po.supplier),
        location = e(&po.location),
        order_date = po.order_date,
        expected = po.expected_date,
        status = e(po.status.as_str()),
        currency = e(&po.currency),
        total = po.total,
        notes = if po.notes.is_empty() {
            String::new()
        } else {
            format!("<p><b>Notes</b> {}</p>\n", e(&po.notes))
        },
    )
}
