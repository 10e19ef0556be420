//! The plan and what is decided on it: the plan run's summary, the review grid and a line,
//! approvals, alerts, purchase orders, transfers and scenarios.

use super::{amounts, line, plural, PlainText};
use crate::kpis::Money;
use crate::plan::{DateBasis, PlanSummary};
use crate::review::ApprovalPreview;
use crate::scenario::{Comparison, ScenarioColumn};
use crate::transfers::TransferLine;
use forestock_plan::exceptions::ExceptionList;
use forestock_plan::po::PurchaseOrder;
use forestock_plan::review::GridRow;
use forestock_plan::scenario::{Evaluation, Scenario, Totals};

/// The plan run's summary, with how its date was chosen and how long it took.
pub fn plan_summary(s: &PlanSummary, basis: DateBasis, secs: f64) -> String {
    let mut o = String::new();
    line!(
        o,
        "Plan run        {} for {} ({})",
        s.run_id,
        s.today,
        basis.describe()
    );
    line!(
        o,
        "Lines           {} SKU×locations, {} to order{}",
        s.lines,
        s.lines_to_order,
        if s.forecast_failures > 0 {
            format!(" ({} could not be forecast)", s.forecast_failures)
        } else {
            String::new()
        }
    );
    if s.needs_supplier > 0 {
        line!(
            o,
            "Needs supplier  {} SKU×locations have demand but no supplier: nothing is ordered for \
             them (`forestock suppliers suggest`, `assign` or `import`)",
            s.needs_supplier
        );
    }
    line!(o, "Transfers       {}", s.transfers);
    line!(
        o,
        "Excess stock    {} at cost",
        amounts(&s.excess_value, "0.00")
    );
    line!(o, "Order value     {}", amounts(&s.order_value, "0.00"));
    if let Some(c) = &s.order_value_converted {
        line!(o, "                {}", c.note);
    }
    line!(o, "Order value by supplier:");
    if s.by_supplier.is_empty() {
        line!(o, "  (nothing to order)");
    }
    for t in &s.by_supplier {
        line!(
            o,
            "  {:<32} {:>4} lines {:>7} units {:>12.2} {}",
            t.supplier,
            t.lines,
            t.units,
            t.value,
            t.currency
        );
    }
    line!(
        o,
        "Alerts          {} ({} high, {} medium, {} low; {} found before ranking) — `forestock alerts`",
        s.alerts.kept,
        s.alerts.high,
        s.alerts.medium,
        s.alerts.low,
        s.alerts.total_found
    );
    line!(o, "Time            {secs:.2} s");
    o
}

/// The review grid.
impl PlainText for Vec<GridRow> {
    fn text(&self) -> String {
        let mut o = String::new();
        line!(
            o,
            "{:<20} {:<10} {:>4} {:>8} {:>8} {:>8} {:>10}  {:<9} flags",
            "sku",
            "location",
            "cls",
            "on hand",
            "rec qty",
            "final",
            "value",
            "status"
        );
        for g in self {
            line!(
                o,
                "{:<20} {:<10} {:>3}{} {:>8} {:>8} {:>8} {:>10.2}  {:<9} {}{}",
                g.rec.sku,
                g.rec.location,
                g.rec.abc,
                g.rec.xyz,
                g.rec.on_hand,
                g.rec.recommended_qty,
                g.final_qty,
                g.final_qty as f64 * g.rec.unit_cost,
                g.status.text(),
                if g.locked { "locked " } else { "" },
                if g.needs_approval {
                    "needs-approval"
                } else {
                    ""
                }
            );
        }
        line!(o, "{} lines", self.len());
        o
    }
}

/// One line of the plan with its rationale.
impl PlainText for GridRow {
    fn text(&self) -> String {
        let (g, r, mut o) = (self, &self.rec, String::new());
        line!(
            o,
            "{} @ {} — class {}{}, {:?}",
            r.sku,
            r.location,
            r.abc,
            r.xyz,
            r.movement
        );
        line!(
            o,
            "supplier {} ({}), lead time {:.0}±{:.1} d, review {} d, service level {:.0}%",
            r.supplier.as_deref().unwrap_or("—"),
            r.currency,
            r.lead_time_days,
            r.lead_time_sd_days,
            r.review_days,
            r.service_level * 100.0
        );
        line!(
            o,
            "recommended {} (final {}, {}), order-up-to {:.0}, safety stock {:.0}, reorder point {:.0}",
            r.recommended_qty,
            g.final_qty,
            g.status.text(),
            r.order_up_to,
            r.safety_stock,
            r.reorder_point
        );
        if let Some(reason) = &g.override_reason {
            line!(o, "override reason: {reason}");
        }
        line!(o, "why:");
        for w in &r.rationale {
            line!(o, "  - {w}");
        }
        o
    }
}

/// What approving every line within the review thresholds did, or would do (`dry_run`).
pub fn approval_preview(p: &ApprovalPreview, dry_run: bool) -> String {
    let mut o = String::new();
    line!(
        o,
        "{} {} lines within the review thresholds (order value up to {:.2}, overrides within \
         {:.0}%): {} units",
        if dry_run { "would approve" } else { "approved" },
        p.lines,
        p.value_threshold,
        p.change_pct,
        p.units
    );
    for v in &p.value {
        line!(o, "  {:>12.2} {} ({} lines)", v.value, v.currency, v.lines);
    }
    for e in &p.excluded {
        line!(o, "  left out: {} lines, {}", e.lines, e.label);
    }
    o
}

/// "1 line approved", "3 lines rejected".
pub fn decided(what: &str, n: usize) -> String {
    let noun = if n == 1 { "line" } else { "lines" };
    format!("{n} {noun} {what}\n")
}

/// The alerts of the latest plan, most urgent first.
impl PlainText for ExceptionList {
    fn text(&self) -> String {
        let (l, mut o) = (self, String::new());
        line!(
            o,
            "{} alerts for {} (plan run {}; {} found, ranked by severity and money at stake; {} \
             snoozed or dismissed)",
            l.exceptions.len(),
            l.today.map_or_else(|| "—".into(), |d| d.to_string()),
            l.plan_run_id.map_or_else(|| "—".into(), |r| r.to_string()),
            l.stats.total_found,
            l.hidden
        );
        for e in &l.exceptions {
            let a = &e.alert.alert;
            let what = match (&a.sku, &a.location) {
                (Some(s), Some(loc)) => format!("{s} @ {loc}"),
                (None, Some(loc)) => format!("{} @ {loc}", a.reference),
                _ => a.reference.clone(),
            };
            line!(o);
            line!(
                o,
                "{:>3}. [{}] {} — {}  (#{})",
                e.alert.rank,
                a.severity.as_str().to_uppercase(),
                a.kind.as_str(),
                what,
                e.alert.id
            );
            line!(o, "     {}", a.title);
            line!(o, "     evidence: {}", a.evidence);
            line!(o, "     action:   {}", a.action);
            if let Some(m) = &e.muted {
                line!(
                    o,
                    "     {}: {}{}",
                    m.action.as_str(),
                    m.reason,
                    m.until
                        .map_or_else(String::new, |u| format!(" (until {u})"))
                );
            }
        }
        o
    }
}

/// Purchase orders, one line each.
impl PlainText for Vec<PurchaseOrder> {
    fn text(&self) -> String {
        let mut o = String::new();
        for p in self {
            line!(
                o,
                "{:<10} {:<20} {:<28} {:<10} {:>4} lines {:>12.2} {}  expected {}",
                p.number,
                p.status,
                p.supplier,
                p.location,
                p.lines.len(),
                p.total,
                p.currency,
                p.expected_date
            );
        }
        o
    }
}

/// One purchase order with its lines.
impl PlainText for PurchaseOrder {
    fn text(&self) -> String {
        let (p, mut o) = (self, String::new());
        line!(
            o,
            "{} — {} — {} to {} — ordered {}, expected {}",
            p.number,
            p.status,
            p.supplier,
            p.location,
            p.order_date,
            p.expected_date
        );
        for l in &p.lines {
            line!(
                o,
                "  {:<20} {:>6} × {:>9.2} = {:>11.2}  received {:>6}  {}",
                l.sku,
                l.quantity,
                l.unit_cost,
                l.quantity as f64 * l.unit_cost,
                l.received_qty,
                l.notes
            );
        }
        line!(o, "  total {:.2} {}", p.total, p.currency);
        o
    }
}

/// What a CSV export of purchase orders wrote.
pub fn po_export(path: &std::path::Path, pos: &[PurchaseOrder]) -> String {
    let lines: usize = pos.iter().map(|p| p.lines.len()).sum();
    format!(
        "wrote {} ({} PO{}, {lines} lines)\n",
        path.display(),
        pos.len(),
        plural(pos.len())
    )
}

/// The latest plan's proposed transfers.
impl PlainText for Vec<TransferLine> {
    fn text(&self) -> String {
        let mut o = String::new();
        if self.is_empty() {
            line!(o, "the latest plan proposes no transfers");
        }
        for t in self {
            line!(
                o,
                "#{:<5} {:<9} {:<10} → {:<10} {:<20} {:>6}  {}",
                t.id,
                t.status.as_str(),
                t.from_location,
                t.to_location,
                t.sku,
                t.quantity,
                t.reason
            );
        }
        o
    }
}

/// Every scenario, one line each.
impl PlainText for Vec<Scenario> {
    fn text(&self) -> String {
        let mut o = String::new();
        for s in self {
            line!(
                o,
                "{:>4}  {:<30} {:<10} {} changes",
                s.id,
                s.name,
                s.status,
                s.changes.len()
            );
        }
        o
    }
}

/// A scenario against the baseline: order value, fill rate, capital, risk, lines changed.
impl PlainText for Evaluation {
    fn text(&self) -> String {
        totals(&[&self.baseline, &self.scenario])
    }
}

fn totals(t: &[&Totals]) -> String {
    let mut o = String::new();
    line!(
        o,
        "{:<24} {:>14} {:>10} {:>16} {:>14} {:>8}",
        "",
        "order value",
        "fill rate",
        "capital tied up",
        "stockout risk",
        "changed"
    );
    // Money per currency, one row each (never added across currencies).
    let amount = |m: &[Money], i: usize| {
        m.get(i)
            .map_or_else(String::new, |m| format!("{:.2} {}", m.amount, m.currency))
    };
    for x in t {
        let rows = x.order_value.len().max(x.capital_tied_up.len()).max(1);
        line!(
            o,
            "{:<24} {:>14} {:>9.1}% {:>16} {:>14} {:>8}",
            x.name,
            amount(&x.order_value, 0),
            x.expected_fill_rate * 100.0,
            amount(&x.capital_tied_up, 0),
            x.stockout_risk_lines,
            x.lines_changed
        );
        for i in 1..rows {
            line!(
                o,
                "{:<24} {:>14} {:>10} {:>16}",
                "",
                amount(&x.order_value, i),
                "",
                amount(&x.capital_tied_up, i)
            );
        }
    }
    o
}

type Amounts<'a> = &'a dyn Fn(&ScenarioColumn) -> &Vec<Money>;

/// The comparison with one column per scenario, baseline first.
impl PlainText for Comparison {
    fn text(&self) -> String {
        let c = self;
        let o = std::cell::RefCell::new(String::new());
        let row = |label: &str, cell: &dyn Fn(&ScenarioColumn) -> String| {
            let mut l = format!("{label:<28}");
            for col in &c.columns {
                l.push_str(&format!(" {:>22}", cell(col)));
            }
            line!(o.borrow_mut(), "{l}");
        };
        row("", &|x| x.name.chars().take(22).collect());
        row("changes", &|x| x.changes.to_string());
        let currencies = |f: Amounts<'_>| {
            let mut cs: Vec<String> = c
                .columns
                .iter()
                .flat_map(|x| f(x).iter().map(|m| m.currency.clone()))
                .collect();
            cs.sort();
            cs.dedup();
            cs
        };
        // One row per currency: amounts in different currencies are never added.
        let per_currency = |label: &str, f: Amounts<'_>| {
            for cur in currencies(f) {
                row(&format!("{label} ({cur})"), &|x| {
                    f(x).iter()
                        .find(|m| m.currency == cur)
                        .map_or("0.00".into(), |m| format!("{:.2}", m.amount))
                });
            }
        };
        per_currency("order value", &|x| &x.order_value);
        row("units to order", &|x| x.units.to_string());
        row("lines to order", &|x| x.lines_to_order.to_string());
        row("lines at stockout risk", &|x| {
            x.stockout_risk_lines.to_string()
        });
        row("expected fill rate", &|x| {
            format!("{:.1}%", x.expected_fill_rate * 100.0)
        });
        row("target service level", &|x| {
            format!("{:.1}%", x.target_service_level * 100.0)
        });
        per_currency("capital tied up", &|x| &x.capital_tied_up);
        row("lines changed", &|x| x.lines_changed.to_string());
        let mut suppliers: Vec<(String, String)> = c
            .columns
            .iter()
            .flat_map(|x| {
                x.suppliers
                    .iter()
                    .map(|s| (s.supplier.clone(), s.currency.clone()))
            })
            .collect();
        suppliers.sort();
        suppliers.dedup();
        if !suppliers.is_empty() {
            line!(o.borrow_mut(), "\norder value by supplier");
        }
        for (name, currency) in &suppliers {
            let label: String = format!("  {name} ({currency})").chars().take(28).collect();
            row(&label, &|x| {
                x.suppliers
                    .iter()
                    .find(|s| &s.supplier == name && &s.currency == currency)
                    .map_or("—".into(), |s| {
                        format!("{:.2} / {} u", s.order_value, s.units)
                    })
            });
        }
        o.into_inner()
    }
}

/// The planning settings, one `key value` line each (`forestock review settings`).
impl PlainText for forestock_plan::settings::PlanSettings {
    fn text(&self) -> String {
        let v = serde_json::to_value(self).unwrap_or_default();
        let o = v.as_object().into_iter().flatten();
        o.map(|(k, v)| format!("{k:<26} {v}\n")).collect()
    }
}
