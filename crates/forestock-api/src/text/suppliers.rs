//! Suppliers: the list, their performance, suggestions from the store's vendors, merges,
//! deletions, bulk assignment and catalog imports.

use super::{line, PlainText};
use crate::suppliers::catalog::CatalogImport;
use crate::suppliers::{
    AcceptReport, AssignReport, DeleteReport, MergeReport, Suggestion, SupplierRow,
};
use forestock_plan::lead_times::SupplierReport;

/// On-time share and learned lead time per supplier.
impl PlainText for SupplierReport {
    fn text(&self) -> String {
        let (r, mut o) = (self, String::new());
        line!(
            o,
            "receipts up to {}; a learned lead time needs {} received lines",
            r.until,
            r.min_receipts
        );
        for p in &r.suppliers {
            line!(
                o,
                "{:>4}  {:<28} stated {:>5.1} d  lead time {:>5.1}±{:.1} d ({})  \
                 {:>4} received lines  on time {}{}",
                p.supplier_id,
                p.supplier,
                p.stated_days,
                p.lead_time_days,
                p.lead_time_sd_days,
                if p.learned { "learned" } else { "stated" },
                p.deliveries,
                p.on_time_pct
                    .map_or_else(|| "—".to_string(), |x| format!("{x:.0}%")),
                p.mean_days_late
                    .map_or_else(String::new, |x| format!(", late by {x:.1} d on average")),
            );
        }
        o
    }
}

/// Every supplier with its terms and SKU count.
impl PlainText for Vec<SupplierRow> {
    fn text(&self) -> String {
        let mut o = String::new();
        for r in self {
            let s = &r.supplier;
            line!(
                o,
                "{:>4}  {:<28} {}  lead {:.0}±{:.0} d  MOQ {}  case {}  {} SKUs{}",
                s.id,
                s.name,
                s.currency,
                s.lead_time_mean_days,
                s.lead_time_sd_days,
                s.moq,
                s.case_pack,
                r.skus,
                if r.open_pos > 0 {
                    format!(", {} open POs", r.open_pos)
                } else {
                    String::new()
                }
            );
        }
        if self.is_empty() {
            line!(
                o,
                "no suppliers yet: try `forestock suppliers suggest` or `import`"
            );
        }
        o
    }
}

/// Suppliers suggested from the store's vendors, with the first SKUs each would get.
impl PlainText for Vec<Suggestion> {
    fn text(&self) -> String {
        let mut o = String::new();
        for g in self {
            let first: Vec<&str> = g.skus.iter().take(5).map(|k| k.sku.as_str()).collect();
            line!(
                o,
                "{:<28} {} {} SKUs ({} with a cost): {}{}",
                g.name,
                if g.existing_supplier_id.is_some() {
                    "link to existing,"
                } else {
                    "new supplier,"
                },
                g.skus.len(),
                g.with_cost,
                first.join(", "),
                if g.skus.len() > 5 { ", …" } else { "" }
            );
        }
        if self.is_empty() {
            line!(
                o,
                "nothing to suggest: every SKU with a vendor has a supplier"
            );
        }
        o
    }
}

impl PlainText for AcceptReport {
    fn text(&self) -> String {
        format!(
            "created {} suppliers ({}), linked {} SKUs\n",
            self.created.len(),
            self.created.join(", "),
            self.linked
        )
    }
}

impl PlainText for MergeReport {
    fn text(&self) -> String {
        let r = self;
        format!(
            "merged {} into {}: {} SKU links moved ({} already there), {} POs, {} receipts\n",
            r.from.name,
            r.into.name,
            r.moved.links_moved,
            r.moved.links_dropped,
            r.moved.purchase_orders,
            r.moved.receipts
        )
    }
}

impl PlainText for DeleteReport {
    fn text(&self) -> String {
        let (r, mut o) = (self, String::new());
        line!(
            o,
            "deleted supplier {} ({}); {} SKU links removed",
            r.supplier.id,
            r.supplier.name,
            r.skus_unlinked
        );
        if !r.skus_without_supplier.is_empty() {
            line!(
                o,
                "{} SKUs now have no supplier and will show as \"needs a supplier\": {}",
                r.skus_without_supplier.len(),
                r.skus_without_supplier.join(", ")
            );
        }
        o
    }
}

impl PlainText for AssignReport {
    fn text(&self) -> String {
        format!(
            "{}: {} SKUs linked, {} updated, {} selected\n",
            self.supplier,
            self.linked,
            self.updated,
            self.skus.len()
        )
    }
}

/// What a supplier catalog import did or would do (its bad rows are listed by the error
/// that refuses the file).
impl PlainText for CatalogImport {
    fn text(&self) -> String {
        let r = self;
        let verb = if r.written {
            "imported"
        } else {
            "would import"
        };
        let names: Vec<&str> = r.new_suppliers.iter().map(|s| s.name.as_str()).collect();
        format!(
            "{verb} {} rows: {} new suppliers{}, {} new links, {} changed, {} unchanged{}\n",
            r.rows,
            r.new_suppliers.len(),
            if names.is_empty() {
                String::new()
            } else {
                format!(" ({})", names.join(", "))
            },
            r.new_links,
            r.changed_links,
            r.unchanged,
            if r.errors.is_empty() {
                String::new()
            } else {
                format!("; {} bad rows: the file would be refused", r.errors.len())
            }
        )
    }
}
