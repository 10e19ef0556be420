//! What the merchant's data says: the database's contents, KPIs, forecast accuracy, a SKU's
//! chart, the audit log, imports, the nightly schedule and the store write-back.

use super::{amounts, first_ten, line, number, percent, PlainText};
use crate::accuracy::{AccuracyReport, AccuracyRow};
use crate::audit::AuditView;
use crate::chart::{ChartModel, Granularity};
use crate::import::{ImportReport, Outcome};
use crate::kpis::{KpiDetail, KpiReport};
use crate::nightly::schedule::{ScheduleOutcome, ScheduleStatus};
use crate::overrides::OverrideList;
use crate::promotions::PromotionList;
use crate::rates::RatesView;
use crate::setup::Checklist;
use forestock_connect::writeback::{Preview as WritebackPreview, PushReport};
use forestock_core::{ImportBatch, ImportKind, MerchantInfo};
use forestock_files::{DailyRow, PromotionRow, StockRow};

/// What a merchant database holds (`forestock info`).
impl PlainText for MerchantInfo {
    fn text(&self) -> String {
        let (i, mut o) = (self, String::new());
        let opt = |v: Option<String>| v.unwrap_or_else(|| "—".into());
        let date = |d: Option<chrono::NaiveDate>| opt(d.map(|d| d.to_string()));
        line!(o, "Merchant        {}", opt(i.merchant.clone()));
        line!(o, "Currency        {}", opt(i.currency.clone()));
        line!(o, "Data as of      {}", date(i.as_of));
        line!(o, "Stores          {}", i.stores);
        line!(
            o,
            "SKUs            {} ({} active) in {} products",
            i.skus,
            i.active_skus,
            i.products
        );
        line!(o, "Locations       {}", i.locations);
        line!(o, "Suppliers       {}", i.suppliers);
        line!(
            o,
            "Orders          {} ({} cancelled), {} lines, {} refunds",
            i.orders,
            i.cancelled_orders,
            i.order_lines,
            i.refunds
        );
        line!(
            o,
            "Units sold      {} (net of cancellations and refunds)",
            i.units_sold
        );
        line!(
            o,
            "Order dates     {} … {}",
            date(i.first_order_date),
            date(i.last_order_date)
        );
        line!(o, "Inventory rows  {}", i.inventory_snapshots);
        line!(o, "Promotions      {}", i.promotions);
        line!(o, "Receipts        {}", i.receipts);
        line!(
            o,
            "Last sync       {}",
            opt(i.last_sync.map(|d| d.to_string()))
        );
        line!(
            o,
            "Last forecast   {}",
            opt(i.last_forecast_run.map(|d| d.to_string()))
        );
        line!(
            o,
            "Last plan       {}",
            opt(i.last_plan_run.map(|d| d.to_string()))
        );
        o
    }
}

/// The KPI dashboard.
impl PlainText for KpiReport {
    fn text(&self) -> String {
        let (k, mut o) = (self, String::new());
        let money = |m| amounts(m, "—");
        let (Some(as_of), Some(from)) = (k.as_of, k.window_start) else {
            line!(o, "No sales or stock history yet: nothing to measure.");
            return o;
        };
        line!(
            o,
            "KPIs on {as_of} (window {from} to {as_of}, {} days)\n",
            k.window_days
        );
        line!(o, "{:<24} {}", "inventory value", money(&k.inventory_value));
        for t in &k.turns {
            line!(
                o,
                "{:<24} {} ({}: COGS {:.2} / average inventory {:.2})",
                "turns",
                number(t.turns, 2),
                t.currency,
                t.cogs,
                t.average_inventory_value
            );
        }
        for c in &k.days_of_cover {
            line!(
                o,
                "{:<24} {} ({})",
                "days of cover",
                number(c.days, 1),
                c.currency
            );
        }
        line!(
            o,
            "{:<24} {} days on {} lines",
            "stockouts",
            k.stockout_days,
            k.stockout_lines
        );
        line!(
            o,
            "{:<24} {:.0} units, {}",
            "estimated lost sales",
            k.lost_units,
            money(&k.lost_sales)
        );
        if k.plan_available {
            line!(
                o,
                "{:<24} {} (above order-up-to + {:.0} days of demand)",
                "excess stock",
                money(&k.excess_value),
                k.excess_allowance_days
            );
        } else {
            line!(
                o,
                "{:<24} no plan yet: run `forestock plan`",
                "excess stock"
            );
        }
        line!(
            o,
            "{:<24} {} (no sale in {} days)",
            "dead stock",
            money(&k.dead_stock_value),
            k.dead_stock_days
        );
        line!(
            o,
            "{:<24} {}",
            "service level (in stock)",
            percent(k.service_level)
        );
        if k.unvalued_lines > 0 {
            line!(
                o,
                "\n{} lines with stock have no unit cost and are left out of the values.",
                k.unvalued_lines
            );
        }
        line!(o, "\nweek         in stock   inventory value");
        for w in k.weeks.iter().rev().take(12).rev() {
            line!(
                o,
                "{}   {:>7}   {}",
                w.week_start,
                percent(w.service_level),
                money(&w.inventory_value)
            );
        }
        line!(
            o,
            "\n`forestock kpis --detail KPI` lists the lines behind a figure."
        );
        o
    }
}

/// The lines behind one KPI figure.
impl PlainText for KpiDetail {
    fn text(&self) -> String {
        let (d, mut o) = (self, String::new());
        line!(o, "{}\n{}\n", d.title, d.method);
        line!(
            o,
            "{:<20} {:<8} {:>14} {:>14} {:>14}",
            "SKU",
            "location",
            d.quantity_label,
            d.value_label,
            d.ratio_label.as_deref().unwrap_or(""),
        );
        for l in &d.lines {
            line!(
                o,
                "{:<20} {:<8} {:>14.2} {:>14.2} {:>14} {:<4} {}",
                l.sku,
                l.location,
                l.quantity,
                l.value,
                l.ratio.map_or(String::new(), |r| format!("{r:.2}")),
                l.currency.as_deref().unwrap_or(""),
                l.detail
            );
        }
        line!(o, "{} lines", d.lines.len());
        o
    }
}

fn accuracy_row(r: &AccuracyRow) -> String {
    format!(
        "{:<34} {:>6} {:>7} {:>10.0} {:>10.0} {:>8} {:>8} {:>6} {:>8}",
        r.key,
        r.series,
        r.days,
        r.actual,
        r.forecast,
        percent(r.wape),
        r.bias
            .map_or_else(|| "—".into(), |v| format!("{:+.1}%", v * 100.0)),
        number(r.mase, 2),
        percent(r.coverage),
    )
}

/// Forecast against actual over the stored runs (a report with runs; with none there is
/// nothing to compare, which the caller says in its own words).
impl PlainText for AccuracyReport {
    fn text(&self) -> String {
        let (report, mut o) = (self, String::new());
        for r in &report.runs {
            line!(
                o,
                "run {} of {}: history to {}, {} forecast days compared with sales",
                r.id,
                r.started_at,
                r.as_of.as_deref().unwrap_or("-"),
                r.days
            );
        }
        line!(
            o,
            "sales known to {}\n",
            report.actuals_to.as_deref().unwrap_or("-")
        );
        line!(
            o,
            "{:<34} {:>6} {:>7} {:>10} {:>10} {:>8} {:>8} {:>6} {:>8}",
            report.by.as_str(),
            "series",
            "days",
            "actual",
            "forecast",
            "WAPE",
            "bias",
            "MASE",
            "p10-p90"
        );
        for r in &report.rows {
            line!(o, "{}", accuracy_row(r));
        }
        line!(o, "{}", accuracy_row(&report.total));
        line!(o, "\n{}", report.method);
        o
    }
}

/// A SKU's chart as text: the last `periods` of history and past forecasts, the first
/// `periods` of the forecast, safety stock, reorder point, incoming orders, the rationale.
pub fn chart(m: &ChartModel, g: Granularity, periods: usize) -> String {
    let num = |v| number(v, 2);
    let mut out = format!("{} ({})\n", m.title, g.as_str());
    if let Some(f) = &m.forecast_info {
        line!(
            out,
            "model {} ({}), forecast run {} {}; backtest MASE {} WAPE {} over {} origins",
            f.model,
            f.class,
            f.run_id,
            f.made_at,
            num(f.mase),
            num(f.wape),
            f.origins
        );
    } else {
        line!(out, "no stored forecast yet: run `forestock plan`");
    }
    line!(
        out,
        "history (period, units, on hand, stockout days, promotion days):"
    );
    let skip = m.history.len().saturating_sub(periods);
    for p in &m.history[skip..] {
        line!(
            out,
            "  {}  {:>8.1}  {:>6}  {}  {}",
            p.date,
            p.units,
            p.on_hand.map_or_else(|| "—".into(), |v| v.to_string()),
            p.stockout_days,
            p.promo_days
        );
    }
    if !m.past_forecast.is_empty() {
        line!(
            out,
            "past forecasts against what sold ({} periods, WAPE {}):",
            m.past_forecast.len(),
            num(m.past_wape)
        );
        let skip = m.past_forecast.len().saturating_sub(periods);
        for p in &m.past_forecast[skip..] {
            line!(
                out,
                "  {}  forecast {:>8.1}  sold {:>8.1}  (run {})",
                p.date,
                p.forecast,
                p.actual,
                p.run_id
            );
        }
    }
    line!(out, "forecast (period, mean, p10, p90, projected on hand):");
    for p in m.forecast.iter().take(periods) {
        let level = m
            .projection
            .iter()
            .rev()
            .find(|x| g.period_start(x.date) <= p.date)
            .map(|x| x.on_hand);
        line!(
            out,
            "  {}  {:>8.1}  {:>8.1}  {:>8.1}  {:>8}{}",
            p.date,
            p.mean,
            p.p10,
            p.p90,
            num(level),
            if p.promo { "  promotion" } else { "" }
        );
    }
    line!(
        out,
        "safety stock {}, reorder point {}",
        num(m.safety_stock),
        num(m.reorder_point)
    );
    for i in &m.incoming {
        line!(
            out,
            "incoming {} +{} on {}{}",
            i.reference,
            i.quantity,
            i.date,
            if i.overdue { " (overdue)" } else { "" }
        );
    }
    if !m.rationale.is_empty() {
        line!(out, "why this number:");
        for r in &m.rationale {
            line!(out, "  - {r}");
        }
    }
    out
}

/// The audit log, newest first.
impl PlainText for Vec<AuditView> {
    fn text(&self) -> String {
        let mut out = String::new();
        if self.is_empty() {
            line!(out, "no audit entries");
        }
        for e in self {
            line!(out, "{}  {}  {}  {}", e.at, e.actor, e.action, e.what);
            for c in &e.changes {
                line!(
                    out,
                    "    {}: {} → {}",
                    c.field,
                    c.before.as_deref().unwrap_or("—"),
                    c.after.as_deref().unwrap_or("—")
                );
            }
            if !e.reason.is_empty() {
                line!(out, "    why: {}", e.reason);
            }
        }
        out
    }
}

/// A stored row of an import, as the dry run's preview shows it: four cells.
pub trait Preview {
    fn cells(&self) -> [String; 4];
}

impl Preview for DailyRow {
    fn cells(&self) -> [String; 4] {
        [
            self.sku.clone(),
            self.location.clone(),
            self.date.to_string(),
            self.units.to_string(),
        ]
    }
}

impl Preview for StockRow {
    fn cells(&self) -> [String; 4] {
        [
            self.sku.clone(),
            self.location.clone(),
            self.date.to_string(),
            self.on_hand.to_string(),
        ]
    }
}

impl Preview for PromotionRow {
    fn cells(&self) -> [String; 4] {
        [
            self.sku.clone().unwrap_or_else(|| {
                format!("category {}", self.category.clone().unwrap_or_default())
            }),
            self.location.clone().unwrap_or_else(|| "all".into()),
            format!("{}..{}", self.start, self.end),
            format!("{}%", self.discount_pct),
        ]
    }
}

/// An import's report: the file, the mapping, what was (or would be) stored; a dry run also
/// shows the first rows as stored and the totals per month.
pub fn import_report<R: Preview>(r: &ImportReport<R>) -> String {
    let mut o = String::new();
    line!(
        o,
        "file     {} ({}, sha256 {})",
        r.file.name,
        r.file.format,
        &r.file.sha256[..12.min(r.file.sha256.len())]
    );
    let mapping: Vec<String> = r
        .mapping
        .0
        .iter()
        .map(|(f, c)| format!("{}={c}", f.as_str()))
        .collect();
    line!(o, "mapping  {}", mapping.join(","));
    if !r.unused_columns.is_empty() {
        line!(o, "unused   {}", r.unused_columns.join(", "));
    }
    if let Some(d) = r.date_order {
        let order = serde_json::to_value(d)
            .map(|v| v.to_string())
            .unwrap_or_default();
        line!(o, "dates    {}", order.trim_matches('"'));
    }
    let (rows, columns, per_month) = match r.kind {
        ImportKind::History => (
            "daily SKU x location rows",
            ["sku", "location", "date", "units"],
            "units per month",
        ),
        ImportKind::Stock => (
            "daily on-hand levels",
            ["sku", "location", "date", "on_hand"],
            "days at 0 on hand per month",
        ),
        ImportKind::Promotions => (
            "promotions",
            ["sku or category", "location", "days", "discount"],
            "promotions starting per month",
        ),
    };
    line!(o, "rows     {} read, {} {rows}", r.rows_read, r.daily_rows);
    let unknown = [
        ("SKU(s)", &r.unknown_skus),
        ("location(s)", &r.unknown_locations),
        ("categories", &r.unknown_categories),
    ];
    for (what, list) in unknown {
        if !list.is_empty() {
            line!(o, "unknown  {} {what}: {}", list.len(), first_ten(list));
        }
    }
    if matches!(r.outcome, Outcome::DryRun) {
        line!(o, "\nfirst rows as stored:");
        let [a, b, c, d] = columns;
        line!(o, "  {a:<20} {b:<12} {c:<22} {d:>8}");
        for row in &r.preview {
            let [a, b, c, d] = row.cells();
            line!(o, "  {a:<20} {b:<12} {c:<22} {d:>8}");
        }
        line!(o, "\n{per_month}:");
        for m in &r.months {
            line!(o, "  {}  {:>10}", m.month, m.units);
        }
    }
    match r.outcome {
        Outcome::Imported { batch } => line!(
            o,
            "imported as batch {batch}: {} {rows} stored, {} skipped, {} SKU(s) and {} location(s) created (undo: forestock import undo {batch})",
            r.rows_stored,
            r.rows_skipped,
            r.created_skus,
            r.created_locations
        ),
        Outcome::AlreadyImported { batch } => {
            line!(o, "already imported as batch {batch}: nothing changed")
        }
        Outcome::DryRun => match &r.refusal {
            Some(why) => line!(
                o,
                "\ndry run: the import would be refused: {why}; nothing written"
            ),
            None => line!(
                o,
                "\ndry run: {} {rows} would be stored, {} skipped; nothing written",
                r.rows_stored,
                r.rows_skipped
            ),
        },
    }
    o
}

/// The import batches, newest first.
impl PlainText for Vec<ImportBatch> {
    fn text(&self) -> String {
        let mut o = String::new();
        if self.is_empty() {
            line!(o, "no imports");
        }
        for b in self {
            line!(
                o,
                "{:>4}  {:<10} {}  {:<24} {:>9} rows read {:>9} stored {:>7} skipped  {}  sha256 {}",
                b.id,
                b.kind,
                b.imported_at.format("%Y-%m-%d %H:%M:%S"),
                b.file_name,
                b.rows_read,
                b.rows_stored,
                b.rows_skipped,
                b.actor,
                &b.sha256[..12.min(b.sha256.len())]
            );
        }
        o
    }
}

/// The new merchant's checklist and the date plans are made for.
impl PlainText for Checklist {
    fn text(&self) -> String {
        let mut o = String::new();
        for i in &self.items {
            let mark = if i.done { "done" } else { "todo" };
            line!(o, "[{mark}] {}: {}", i.label, i.detail);
        }
        line!(
            o,
            "Plans are made for {} ({}).",
            self.planning_date,
            self.planning_basis
        );
        o
    }
}

/// The exchange rates entered and the suppliers' currencies still without one.
impl PlainText for RatesView {
    fn text(&self) -> String {
        let (view, mut o) = (self, String::new());
        if view.rates.is_empty() {
            line!(o, "no exchange rates entered");
        }
        for r in &view.rates {
            line!(
                o,
                "1 {} = {} {}   (set {} by {})",
                r.currency,
                r.rate,
                view.merchant_currency,
                r.updated_at.format("%Y-%m-%d %H:%M"),
                r.updated_by
            );
        }
        if !view.missing.is_empty() {
            line!(
                o,
                "no rate for {}: lines from suppliers in {} always need approval \
                 (`forestock rates set CUR RATE`)",
                view.missing.join(", "),
                if view.missing.len() == 1 {
                    "it"
                } else {
                    "them"
                }
            );
        }
        o
    }
}

/// The forecast overrides, earliest first.
impl PlainText for OverrideList {
    fn text(&self) -> String {
        let mut out = String::new();
        if self.overrides.is_empty() {
            line!(out, "no forecast overrides");
        }
        for o in &self.overrides {
            let what = match (&o.sku, &o.category) {
                (Some(s), _) => format!("SKU {s}"),
                (None, Some(c)) => format!("category {c}"),
                (None, None) => String::new(),
            };
            let at = o
                .location
                .as_ref()
                .map_or_else(|| " at every location".into(), |l| format!(" at {l}"));
            line!(
                out,
                "{:>5}  {} to {} ({} days), {what}{at}: {}",
                o.id,
                o.start,
                o.end,
                o.days,
                o.summary
            );
        }
        out
    }
}

/// The promotion calendar, with the latest plan's forecast over each promotion's days.
impl PlainText for PromotionList {
    fn text(&self) -> String {
        let mut o = String::new();
        if self.promotions.is_empty() {
            line!(o, "no promotions");
        }
        for p in &self.promotions {
            let what = match (&p.sku, &p.category) {
                (Some(s), _) => format!("SKU {s}"),
                (None, Some(c)) => format!("category {c}"),
                (None, None) => "whole store".into(),
            };
            let at = p
                .location
                .as_ref()
                .map_or_else(String::new, |l| format!(" at {l}"));
            let forecast = p.forecast_units.map_or_else(String::new, |u| {
                format!(
                    ", forecast {u:.1} units over {} days in the plan",
                    p.forecast_days
                )
            });
            line!(
                o,
                "{:>5}  {}  {} to {} ({} days), {what}{at}, {}% off{forecast}",
                p.id,
                p.name,
                p.start,
                p.end,
                p.days,
                p.discount_pct
            );
        }
        o
    }
}

/// What installing or removing the nightly job wrote and ran (or would).
impl PlainText for ScheduleOutcome {
    fn text(&self) -> String {
        let mut o = String::new();
        for f in &self.plan.files {
            if f.content.is_empty() {
                line!(o, "--- {}", f.path);
            } else {
                line!(o, "--- {}\n{}", f.path, f.content);
            }
        }
        if !self.applied {
            for c in &self.plan.commands {
                line!(o, "would run: {c}");
            }
        }
        for n in &self.notes {
            line!(o, "{n}");
        }
        o
    }
}

/// Whether the nightly job is installed, with its files.
impl PlainText for ScheduleStatus {
    fn text(&self) -> String {
        let mut o = String::new();
        if self.installed {
            line!(o, "installed:");
            for f in &self.files {
                line!(o, "--- {}\n{}", f.path, f.content);
            }
        } else {
            line!(
                o,
                "not installed (`forestock nightly install --db X` installs it)"
            );
        }
        o
    }
}

/// What a write-back would write (every SKU with `all`), and the store's approved batch.
pub fn writeback(p: &WritebackPreview, all: bool) -> String {
    let mut o = String::new();
    let day = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "-".into(), |d| d.to_string());
    line!(
        o,
        "{} ({}): {} SKUs, forecast {} to {} · {} value(s) to write · hash {}",
        p.store,
        p.platform,
        p.skus.len(),
        day(p.from),
        day(p.to),
        p.to_write,
        p.content_hash
    );
    if p.skipped_not_synced > 0 || p.synced_without_forecast > 0 {
        line!(
            o,
            "skipped: {} planned SKU(s) not synced from this store, {} synced SKU(s) without a forecast",
            p.skipped_not_synced,
            p.synced_without_forecast
        );
    }
    if all {
        line!(
            o,
            "{:<20} {:>10} {:>10} {:>10}  {:<7} owner",
            "sku",
            "units_30d",
            "p10",
            "p90",
            "change"
        );
        for s in &p.skus {
            let changed = s.fields.iter().any(|f| f.changed());
            line!(
                o,
                "{:<20} {:>10.1} {:>10.1} {:>10.1}  {:<7} {}",
                s.sku,
                s.units,
                s.p10,
                s.p90,
                if changed { "yes" } else { "no" },
                s.owner
            );
        }
    }
    let utc = "%Y-%m-%d %H:%M:%S UTC";
    match &p.batch {
        None => line!(o, "approved: nothing yet"),
        Some(b) => line!(
            o,
            "approved: batch {} by {} at {} ({}, {} values{}){}",
            b.id,
            b.approved_by,
            b.approved_at.format(utc),
            b.status,
            b.lines,
            b.pushed_at
                .map(|t| format!(", pushed {}", t.format(utc)))
                .unwrap_or_default(),
            if p.batch_matches {
                ""
            } else {
                "; the preview has changed since: approve again before pushing"
            }
        ),
    }
    o
}

/// What a write-back push did (the failures are listed apart, on the error stream).
impl PlainText for PushReport {
    fn text(&self) -> String {
        format!(
            "{}: batch {} {}: {} written, {} already up to date, {} failed\n",
            self.store,
            self.batch_id,
            self.status,
            self.written,
            self.unchanged,
            self.failed.len()
        )
    }
}

/// The connected stores (never their secrets).
impl PlainText for Vec<crate::stores::StoreView> {
    fn text(&self) -> String {
        let mut o = String::new();
        if self.is_empty() {
            line!(o, "no stores connected");
        }
        for s in self {
            line!(
                o,
                "{:>3}  {:<12} {:<30} {}",
                s.id,
                s.platform,
                s.name,
                s.url
            );
        }
        o
    }
}

/// What a sync of one store brought in, and how its orders were placed.
pub fn sync_report(name: &str, rep: &forestock_connect::SyncReport) -> String {
    let mut o = String::new();
    line!(
        o,
        "{name}: {} locations, {} SKUs, {} inventory levels, {} orders ({} requests, {:.1} s)",
        rep.locations,
        rep.variants,
        rep.inventory_levels,
        rep.orders,
        rep.requests,
        rep.seconds
    );
    let a = &rep.attribution;
    if a.pos_orders + a.fulfillment_orders + a.default_orders > 0 {
        line!(
            o,
            "{name}: orders by location: point of sale {} ({} units), fulfilling location {} ({} units), default location {} ({} units)",
            a.pos_orders,
            a.pos_units,
            a.fulfillment_orders,
            a.fulfillment_units,
            a.default_orders,
            a.default_units
        );
    }
    for w in &rep.warnings {
        line!(o, "warning: {w}");
    }
    o
}

/// An import batch undone: what it removed, and what it kept because other data uses it.
pub fn import_undone(b: &ImportBatch, removed: &forestock_core::RemovedBatch) -> String {
    let kept = match removed.kept {
        0 => String::new(),
        n => format!("; kept {n} that other data uses"),
    };
    format!(
        "undid {} batch {} ({}): removed {} daily rows, {} on-hand levels, {} promotions, {} \
         SKU(s), {} location(s){kept}\n",
        b.kind,
        b.id,
        b.file_name,
        removed.demand_rows,
        removed.stock_rows,
        removed.promotions,
        removed.skus,
        removed.locations,
    )
}

/// An exchange rate entered or changed.
pub fn rate_set(r: &forestock_plan::money::ExchangeRate, merchant_currency: &str) -> String {
    let c = &r.currency;
    format!(
        "1 {c} = {} {merchant_currency}; the next plan compares {c} lines with the approval \
         threshold at this rate\n",
        r.rate
    )
}

/// An exchange rate deleted.
pub fn rate_deleted(r: &forestock_plan::money::ExchangeRate) -> String {
    format!(
        "deleted the rate of {} (was {}); its lines need approval until one is entered\n",
        r.currency, r.rate
    )
}

/// Where a store's orders with no location now go, and the orders moved there.
impl PlainText for forestock_connect::stores::Reattributed {
    fn text(&self) -> String {
        format!(
            "{}: orders with no location now go to {}; {} orders ({} units) placed by default \
             moved there\n",
            self.store, self.location, self.orders, self.units
        )
    }
}
