//! The Purchase orders screen: POs with their allowed actions, line edits and exports (the
//! NetSuite outbox is `forestock_connect::outbox`'s own items).

use forestock_plan::po::PoStatus;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct PoLineView {
    pub variant_id: i64,
    pub sku: String,
    pub description: String,
    pub quantity: i64,
    pub unit_cost: f64,
    pub received_qty: i64,
}

/// A purchase order as the Purchase orders screen shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PoView {
    pub id: i64,
    pub number: String,
    pub supplier: String,
    pub location: String,
    pub status: PoStatus,
    /// What may be done with it now (from the library's transition rules).
    pub actions: forestock_plan::po::PoActions,
    pub currency: String,
    pub order_date: String,
    pub expected_date: String,
    pub total: f64,
    pub lines: Vec<PoLineView>,
    /// For a draft: lines edited past the review thresholds, so approving it needs a reason.
    pub above_thresholds: Vec<String>,
}

impl From<forestock_api::po::CheckedPo> for PoView {
    fn from(c: forestock_api::po::CheckedPo) -> Self {
        PoView {
            above_thresholds: c.above_thresholds,
            ..PoView::from(c.po)
        }
    }
}

/// A change to a draft PO's line: a new quantity, or `null` to remove the line.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PoLineEdit {
    pub po_id: i64,
    pub variant_id: i64,
    pub quantity: Option<i64>,
    /// Why (required; goes to the audit log).
    pub reason: String,
}

impl From<forestock_plan::po::PurchaseOrder> for PoView {
    fn from(p: forestock_plan::po::PurchaseOrder) -> Self {
        PoView {
            id: p.id,
            number: p.number,
            supplier: p.supplier,
            location: p.location,
            status: p.status,
            actions: p.status.actions(),
            currency: p.currency,
            order_date: p.order_date.to_string(),
            expected_date: p.expected_date.to_string(),
            total: p.total,
            lines: p
                .lines
                .into_iter()
                .map(|l| PoLineView {
                    variant_id: l.variant_id,
                    sku: l.sku,
                    description: l.description,
                    quantity: l.quantity,
                    unit_cost: l.unit_cost,
                    received_qty: l.received_qty,
                })
                .collect(),
            above_thresholds: Vec::new(),
        }
    }
}

/// Where an exported file went.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Exported {
    pub po: PoView,
    /// Where the CSV went; `null` when the planner cancelled the save dialog.
    pub path: Option<String>,
}
