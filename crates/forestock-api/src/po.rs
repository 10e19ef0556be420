//! The purchase-order lifecycle: draft from the approved plan lines, edit a draft's lines,
//! approve, cancel, export to the supplier's CSV, receive (`forestock po …`, the app's
//! Orders page). Each change is audited once, in the library, with the stamp.

use crate::{AuditStamp, Error, Result};
use chrono::NaiveDate;
use forestock_core::{OutputFile, Store};
use forestock_plan::lead_times::{self, PoReceipt, SupplierReport};
use forestock_plan::po::{self, PoStatus, PurchaseOrder};
use forestock_plan::po_csv::CsvLayout;
use forestock_plan::settings::load_settings;

/// A PO with what approving it needs: for a draft, the lines edited on the PO past the review
/// thresholds (approving then needs a reason); empty otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPo {
    pub po: PurchaseOrder,
    pub above_thresholds: Vec<String>,
}

/// Every PO, newest first, each checked (one query for the checks of the whole list).
pub fn list(store: &Store) -> Result<Vec<CheckedPo>> {
    checked(store, po::list(store)?)
}

/// The given POs checked ([`CheckedPo`]).
pub fn checked(store: &Store, pos: Vec<PurchaseOrder>) -> Result<Vec<CheckedPo>> {
    let drafts: Vec<PurchaseOrder> = pos
        .iter()
        .filter(|p| p.status == PoStatus::Draft)
        .cloned()
        .collect();
    let mut reasons = po::approval_reasons_of(store, &drafts)?.into_iter();
    Ok(pos
        .into_iter()
        .map(|p| {
            let above_thresholds = if p.status == PoStatus::Draft {
                reasons.next().unwrap_or_default()
            } else {
                Vec::new()
            };
            CheckedPo {
                po: p,
                above_thresholds,
            }
        })
        .collect())
}

/// One PO, checked.
pub fn checked_one(store: &Store, p: PurchaseOrder) -> Result<CheckedPo> {
    checked(store, vec![p])?
        .pop()
        .ok_or_else(|| Error::Internal("a checked PO went missing".into()))
}

/// Draft POs per supplier × location from the latest plan's approved lines.
pub fn draft(store: &mut Store, stamp: &AuditStamp) -> Result<Vec<PurchaseOrder>> {
    Ok(po::draft_from_plan(store, &stamp.actor, stamp.at)?)
}

/// Move PO `id` to `to` (approve, cancel, mark received); the library enforces the state
/// machine and the review thresholds. A cancellation needs a reason, from either door.
/// Marking a PO received receives every line still open ([`receive`] of
/// [`Receipt::Everything`]), so the received quantities are recorded whichever door it came by.
pub fn set_status(
    store: &mut Store,
    stamp: &AuditStamp,
    id: i64,
    to: PoStatus,
    reason: &str,
) -> Result<PurchaseOrder> {
    if to == PoStatus::Cancelled && reason.trim().is_empty() {
        return Err(Error::Invalid("a reason is required to cancel".into()));
    }
    if to == PoStatus::Received {
        return receive(store, stamp, id, &Receipt::Everything, None);
    }
    Ok(po::set_status(
        store,
        id,
        to,
        reason,
        &stamp.actor,
        stamp.at,
    )?)
}

/// What arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receipt {
    /// Every line's open quantity.
    Everything,
    /// `(variant id, units)` per line (partial receipts allowed).
    Lines(Vec<(i64, i64)>),
}

impl Receipt {
    /// The lines written `SKU=QTY` (the CLI's `--line`), each SKU resolved; the first that is
    /// malformed or names no SKU is the error.
    pub fn parse_lines(store: &Store, pairs: &[String]) -> Result<Receipt> {
        let line = |pair: &String| {
            let bad = |why: String| Error::Invalid(format!("--line {pair:?}: {why}"));
            let (sku, qty) = pair
                .split_once('=')
                .ok_or_else(|| bad("expected SKU=QTY".into()))?;
            let qty: i64 =
                (qty.trim().parse()).map_err(|_| bad(format!("{qty:?} is not a whole number")))?;
            Ok((crate::review::variant_id(store, sku.trim())?, qty))
        };
        Ok(Receipt::Lines(
            pairs.iter().map(line).collect::<Result<_>>()?,
        ))
    }
}

/// Record received quantities on the day they arrived (`received_on`; today, the stamp's
/// date, when `None`); the PO becomes partially received or received. Each receipt is dated
/// and teaches the supplier's lead time ([`forestock_plan::lead_times`]).
pub fn receive(
    store: &mut Store,
    stamp: &AuditStamp,
    id: i64,
    receipt: &Receipt,
    received_on: Option<NaiveDate>,
) -> Result<PurchaseOrder> {
    let lines = match receipt {
        Receipt::Lines(lines) => lines.clone(),
        Receipt::Everything => po::get(store, id)?
            .lines
            .iter()
            .filter(|l| l.quantity > l.received_qty)
            .map(|l| (l.variant_id, l.quantity - l.received_qty))
            .collect(),
    };
    if lines.is_empty() {
        return Err(Error::Invalid(
            "nothing to receive: name the lines received, or receive everything still open".into(),
        ));
    }
    Ok(po::receive_on(
        store,
        id,
        &lines,
        received_on.unwrap_or(stamp.at.date()),
        &stamp.actor,
        stamp.at,
    )?)
}

/// The receipts recorded against PO `id`, oldest first.
pub fn receipts(store: &Store, id: i64) -> Result<Vec<PoReceipt>> {
    Ok(lead_times::po_receipts(store, Some(id))?)
}

/// Write a printable HTML page of a PO (its state does not change). The file follows the rule
/// of every file Forestock writes: refused before any work when it is one of `inputs` or
/// exists without `force`.
pub fn export_html(
    store: &Store,
    number: &str,
    out: &OutputFile,
    inputs: &[&std::path::Path],
) -> Result<()> {
    out.check(inputs)?;
    let p = po::find(store, number)?;
    let merchant = store
        .read()
        .merchant()?
        .map_or_else(String::new, |m| m.name);
    let html = po::html_text(&p, &merchant);
    out.write(inputs, |w| {
        w.write_all(html.as_bytes())
            .map_err(forestock_core::Error::from)
    })?;
    Ok(())
}

/// The supplier on-time / lead-time report, with receipts up to the stamp's date.
pub fn supplier_report(store: &Store, stamp: &AuditStamp) -> Result<SupplierReport> {
    Ok(lead_times::report(store, stamp.at.date())?)
}

/// Change a draft PO line's quantity, or remove the line (`quantity: None`); the library
/// checks the reason, the supplier's cases and MOQ, and audits the change.
pub fn edit_line(
    store: &mut Store,
    stamp: &AuditStamp,
    po_id: i64,
    variant_id: i64,
    quantity: Option<i64>,
    reason: &str,
) -> Result<PurchaseOrder> {
    Ok(match quantity {
        Some(q) => {
            po::set_line_quantity(store, po_id, variant_id, q, reason, &stamp.actor, stamp.at)?
        }
        None => po::remove_line(store, po_id, variant_id, reason, &stamp.actor, stamp.at)?,
    })
}

/// Which POs go into one CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportWhich {
    /// One PO by database id.
    Po(i64),
    /// One PO by number (e.g. `PO-00001`) or id.
    Number(String),
    /// Every approved PO of a supplier (name or id), oldest first.
    Supplier(String),
}

/// The CSV layout of one export: columns and delimiter default to the planner's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct CsvOptions {
    /// Columns for this export, `field[=Header],...` (default: the `po_csv_columns` setting).
    /// Fields: po_number, supplier_name, order_date, expected_date, ship_to_location, sku,
    /// supplier_sku, barcode, description, quantity, unit_cost, currency, line_total, notes.
    /// Example: `supplier_sku=Item No,quantity=Qty`.
    #[cfg_attr(feature = "clap", arg(long))]
    pub columns: Option<String>,
    /// Delimiter for this export: `,` `;` `tab` or `|` (default: the `po_csv_delimiter`
    /// setting).
    #[cfg_attr(feature = "clap", arg(long))]
    pub delimiter: Option<String>,
    /// The UTF-8 byte order mark Excel needs to read non-ASCII names.
    #[cfg_attr(
        feature = "clap",
        arg(long = "no-bom", action = clap::ArgAction::SetFalse, help = "Leave out the UTF-8 \
            byte order mark (for an import that rejects it; Excel needs it to read non-ASCII \
            supplier names).")
    )]
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            columns: None,
            delimiter: None,
            bom: true,
        }
    }
}

/// The default file name of an export of `which` (the PO's number, or the supplier's name).
pub fn export_file_name(store: &Store, which: &ExportWhich) -> Result<String> {
    Ok(match which {
        ExportWhich::Po(id) => format!("{}.csv", po::get(store, *id)?.number),
        ExportWhich::Number(n) => format!("{}.csv", po::find(store, n)?.number),
        ExportWhich::Supplier(s) => format!("{}.csv", s.trim()),
    })
}

/// Write the chosen approved POs into one CSV file `out` (checked before any work; atomic)
/// and mark them exported, audited per PO. Nothing changes on failure.
pub fn export_csv(
    store: &mut Store,
    stamp: &AuditStamp,
    which: &ExportWhich,
    out: &OutputFile,
    options: &CsvOptions,
) -> Result<Vec<PurchaseOrder>> {
    out.check(&[store.path()])?;
    let settings = load_settings(&store.read())?;
    let layout = CsvLayout {
        bom: options.bom,
        ..CsvLayout::parse(
            options
                .columns
                .as_deref()
                .unwrap_or(&settings.po_csv_columns),
            options
                .delimiter
                .as_deref()
                .unwrap_or(&settings.po_csv_delimiter),
        )?
    };
    let ids = match which {
        ExportWhich::Po(id) => vec![*id],
        ExportWhich::Number(n) => vec![po::find(store, n)?.id],
        ExportWhich::Supplier(s) => approved_of_supplier(store, s)?,
    };
    Ok(po::export_csv_many_with(
        store,
        &ids,
        out,
        &layout,
        &stamp.actor,
        stamp.at,
    )?)
}

/// The approved POs of supplier `key` (name, any case, or id), oldest first.
fn approved_of_supplier(store: &Store, key: &str) -> Result<Vec<i64>> {
    let key = key.trim();
    let all = po::list(store)?;
    let of_supplier: Vec<&PurchaseOrder> = all
        .iter()
        .filter(|p| p.supplier.eq_ignore_ascii_case(key) || p.supplier_id.to_string() == key)
        .collect();
    if of_supplier.is_empty() {
        return Err(Error::Invalid(format!(
            "no purchase orders for supplier {key:?}"
        )));
    }
    let approved: Vec<i64> = of_supplier
        .iter()
        .filter(|p| p.status == PoStatus::Approved)
        .map(|p| p.id)
        .rev()
        .collect();
    if approved.is_empty() {
        return Err(Error::Invalid(format!(
            "supplier {key:?} has no approved purchase order to export (approve one with `forestock po approve`)"
        )));
    }
    Ok(approved)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_core::{Classify, ErrorKind, FrontDoor};

    #[test]
    fn a_po_is_never_cancelled_without_a_reason() {
        let mut store = Store::in_memory().unwrap();
        let stamp = AuditStamp::at(FrontDoor::App, Some("ann"), chrono::Utc::now().naive_utc());
        let e = set_status(&mut store, &stamp, 1, PoStatus::Cancelled, "  ").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert_eq!(e.to_string(), "a reason is required to cancel");
        assert!(store
            .read()
            .audit_entries(&forestock_core::AuditFilter::default())
            .unwrap()
            .is_empty());
    }
}
