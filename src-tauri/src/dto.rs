//! The types that cross the IPC boundary, exported to TypeScript by ts-rs into
//! `ui/src/lib/bindings.ts` (see `bindings_are_current` below; `UPDATE_BINDINGS=1 cargo test -p
//! forestock-app bindings` rewrites the file). They mirror library types field for field; the
//! `From` impls are the only code here.

use forestock_connect::outbox::OutboxStatus;
use forestock_plan::po::PoStatus;
use forestock_plan::review::{LineFlag, LineStatus};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the window's header and the Overview show about the open merchant.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MerchantSummary {
    pub name: String,
    pub currency: String,
    /// The date the data is complete up to (the demo's "today"), ISO `YYYY-MM-DD`.
    pub as_of: Option<String>,
    pub is_demo: bool,
    /// Absolute path of the SQLite file.
    pub db_path: String,
    /// True when this call created the demo merchant because no database existed.
    pub created_demo: bool,
    pub skus: i64,
    pub active_skus: i64,
    pub products: i64,
    pub locations: i64,
    pub suppliers: i64,
    pub stores: i64,
    pub orders: i64,
    pub order_lines: i64,
    pub units_sold: i64,
    pub promotions: i64,
    pub first_order_date: Option<String>,
    pub last_order_date: Option<String>,
    pub last_sync: Option<String>,
    pub last_forecast_run: Option<String>,
    pub last_plan_run: Option<String>,
}

impl MerchantSummary {
    pub fn new(
        info: forestock_core::MerchantInfo,
        m: Option<&forestock_core::Merchant>,
        db_path: String,
        created_demo: bool,
    ) -> Self {
        let s = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
        let t =
            |d: Option<chrono::NaiveDateTime>| d.map(|d| d.format("%Y-%m-%d %H:%M").to_string());
        MerchantSummary {
            name: info.merchant.unwrap_or_else(|| "Unnamed merchant".into()),
            currency: info.currency.unwrap_or_else(|| "USD".into()),
            as_of: s(info.as_of),
            is_demo: m.is_some_and(|m| m.is_demo),
            db_path,
            created_demo,
            skus: info.skus,
            active_skus: info.active_skus,
            products: info.products,
            locations: info.locations,
            suppliers: info.suppliers,
            stores: info.stores,
            orders: info.orders,
            order_lines: info.order_lines,
            units_sold: info.units_sold,
            promotions: info.promotions,
            first_order_date: s(info.first_order_date),
            last_order_date: s(info.last_order_date),
            last_sync: t(info.last_sync),
            last_forecast_run: t(info.last_forecast_run),
            last_plan_run: t(info.last_plan_run),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PriceBreakView {
    pub min_qty: i64,
    pub discount_pct: f64,
}

/// A supplier as the Suppliers screen shows and edits it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SupplierView {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub lead_time_mean_days: f64,
    pub lead_time_sd_days: f64,
    pub moq: i64,
    pub case_pack: i64,
    pub price_breaks: Vec<PriceBreakView>,
    pub email: Option<String>,
    pub notes: String,
    /// SKUs this supplier is the primary source of.
    pub primary_skus: i64,
}

impl SupplierView {
    pub fn new(s: forestock_core::Supplier, primary_skus: i64) -> Self {
        SupplierView {
            id: s.id,
            name: s.name,
            currency: s.currency,
            lead_time_mean_days: s.lead_time_mean_days,
            lead_time_sd_days: s.lead_time_sd_days,
            moq: s.moq,
            case_pack: s.case_pack,
            price_breaks: s
                .price_breaks
                .iter()
                .map(|b| PriceBreakView {
                    min_qty: b.min_qty,
                    discount_pct: b.discount_pct,
                })
                .collect(),
            email: s.email,
            notes: s.notes,
            primary_skus,
        }
    }
}

/// The editable settings of a supplier, with the planner's reason for the change.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SupplierEdit {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub lead_time_mean_days: f64,
    pub lead_time_sd_days: f64,
    pub moq: i64,
    pub case_pack: i64,
    pub email: Option<String>,
    pub notes: String,
    pub reason: String,
}

impl SupplierEdit {
    pub fn to_new(
        &self,
        price_breaks: Vec<forestock_core::PriceBreak>,
    ) -> forestock_core::NewSupplier {
        forestock_core::NewSupplier {
            name: self.name.trim().to_string(),
            currency: self.currency.trim().to_uppercase(),
            lead_time_mean_days: self.lead_time_mean_days,
            lead_time_sd_days: self.lead_time_sd_days,
            moq: self.moq,
            case_pack: self.case_pack,
            price_breaks,
            email: self.email.clone().filter(|e| !e.trim().is_empty()),
            notes: self.notes.clone(),
        }
    }
}

/// The planner settings the Settings card edits (the rest of
/// [`forestock_plan::settings::PlanSettings`] keeps its stored value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanSettingsForm {
    /// Target cycle service level per ABC class (0.5–0.999).
    pub service_level_a: f64,
    pub service_level_b: f64,
    pub service_level_c: f64,
    /// Days between reviews (orders).
    pub review_days: u32,
    /// Days of forecast a plan computes.
    pub horizon_days: u32,
    /// A line above this value (merchant currency) needs explicit approval.
    pub approval_value_threshold: f64,
    /// An override changing the recommendation by more than this percent needs approval.
    pub approval_change_pct: f64,
    /// Guardrail: automatic safety-stock changes are capped at this share per week.
    pub safety_stock_weekly_cap: f64,
    /// Stock beyond the order-up-to level plus this many days of demand counts as excess.
    pub excess_cover_days: f64,
    /// More than this many days of cover: a slow mover.
    pub slow_cover_days: f64,
    /// No sale for this many days with stock on hand: a dead mover.
    pub dead_after_days: u32,
    /// Columns of the supplier PO CSV, `field[=Header],...` (checked by the library).
    pub po_csv_columns: String,
    /// Delimiter of the supplier PO CSV: `,` `;` `tab` or `|`.
    pub po_csv_delimiter: String,
}

impl From<&forestock_plan::settings::PlanSettings> for PlanSettingsForm {
    fn from(s: &forestock_plan::settings::PlanSettings) -> Self {
        PlanSettingsForm {
            service_level_a: s.service_level_a,
            service_level_b: s.service_level_b,
            service_level_c: s.service_level_c,
            review_days: s.review_days,
            horizon_days: s.horizon_days,
            approval_value_threshold: s.approval_value_threshold,
            approval_change_pct: s.approval_change_pct,
            safety_stock_weekly_cap: s.safety_stock_weekly_cap,
            excess_cover_days: s.excess_cover_days,
            slow_cover_days: s.slow_cover_days,
            dead_after_days: s.dead_after_days,
            po_csv_columns: s.po_csv_columns.clone(),
            po_csv_delimiter: s.po_csv_delimiter.clone(),
        }
    }
}

impl PlanSettingsForm {
    /// The stored settings with this form's fields replaced.
    pub fn apply_to(
        &self,
        mut s: forestock_plan::settings::PlanSettings,
    ) -> forestock_plan::settings::PlanSettings {
        s.service_level_a = self.service_level_a;
        s.service_level_b = self.service_level_b;
        s.service_level_c = self.service_level_c;
        s.review_days = self.review_days;
        s.horizon_days = self.horizon_days;
        s.approval_value_threshold = self.approval_value_threshold;
        s.approval_change_pct = self.approval_change_pct;
        s.safety_stock_weekly_cap = self.safety_stock_weekly_cap;
        s.excess_cover_days = self.excess_cover_days;
        s.slow_cover_days = self.slow_cover_days;
        s.dead_after_days = self.dead_after_days;
        s.po_csv_columns.clone_from(&self.po_csv_columns);
        s.po_csv_delimiter.clone_from(&self.po_csv_delimiter);
        s
    }
}

/// The Settings card: the planner settings and where the data lives.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SettingsView {
    pub plan: PlanSettingsForm,
    /// The folder holding the merchant database.
    pub data_folder: String,
    /// Where exports go without asking (`FORESTOCK_EXPORT_DIR`), or the folder the save dialog
    /// opens in.
    pub export_folder: String,
    /// True when exports are written to `export_folder` without a save dialog.
    pub export_without_dialog: bool,
}

/// A file the app wrote (an export).
#[derive(Debug, Clone, Serialize, TS)]
pub struct SavedFile {
    /// Where it was written; `null` when the planner cancelled the save dialog.
    pub path: Option<String>,
    /// Rows written (CSV exports) or bytes written (chart images).
    pub count: i64,
}

impl SavedFile {
    pub fn cancelled() -> Self {
        SavedFile {
            path: None,
            count: 0,
        }
    }
}

/// Which audit entries to list; empty fields match everything.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub limit: Option<i64>,
}

impl From<AuditQuery> for forestock_core::AuditFilter {
    fn from(q: AuditQuery) -> Self {
        let f = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        forestock_core::AuditFilter {
            entity: f(q.entity),
            entity_id: f(q.entity_id),
            action: f(q.action),
            limit: q.limit,
        }
    }
}

/// One audit-log entry; `before`/`after` are the stored JSON, as text.
#[derive(Debug, Clone, Serialize, TS)]
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

impl From<forestock_core::AuditEntry> for AuditView {
    fn from(e: forestock_core::AuditEntry) -> Self {
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

/// One SKU×location in the planner grid. The stock and catalogue fields always come from the
/// database; the plan fields are `None` until a plan run has computed them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlannerRow {
    pub variant_id: i64,
    pub location_id: i64,
    pub sku: String,
    pub title: String,
    pub category: String,
    pub location: String,
    pub supplier: Option<String>,
    pub status: String,
    pub price: f64,
    pub cost: Option<f64>,
    pub on_hand: i64,
    pub incoming: i64,
    pub abc: Option<String>,
    pub forecast_30d: Option<f64>,
    pub days_of_cover: Option<f64>,
    pub safety_stock: Option<f64>,
    pub reorder_point: Option<f64>,
    pub recommended_qty: Option<i64>,
    pub override_qty: Option<i64>,
    pub line_status: Option<LineStatus>,
    pub override_reason: Option<String>,
    /// What the plan library flags on the line (one rule, in forestock-plan); the UI counts these.
    pub alerts: Vec<LineFlag>,
    /// The forecast model behind the line and the terms that produced its numbers.
    pub model: Option<String>,
    pub rationale: Vec<String>,
}

/// A variant's own title, or its product's when the variant has none (single-variant products).
pub fn display_title(sku: &forestock_core::Sku) -> String {
    if sku.title.trim().is_empty() || sku.title == "Default Title" {
        sku.product_title.clone()
    } else {
        format!("{} — {}", sku.product_title, sku.title)
    }
}

impl PlannerRow {
    pub fn position(
        sku: &forestock_core::Sku,
        loc: &forestock_core::Location,
        supplier: Option<String>,
        on_hand: i64,
        incoming: i64,
    ) -> Self {
        PlannerRow {
            variant_id: sku.id,
            location_id: loc.id,
            sku: sku.sku.clone(),
            title: display_title(sku),
            category: sku.category.clone(),
            location: loc.code.clone(),
            supplier,
            status: sku.status.to_string(),
            price: sku.price,
            cost: sku.cost,
            on_hand,
            incoming,
            abc: None,
            forecast_30d: None,
            days_of_cover: None,
            safety_stock: None,
            reorder_point: None,
            recommended_qty: None,
            override_qty: None,
            line_status: None,
            override_reason: None,
            alerts: Vec::new(),
            model: None,
            rationale: Vec::new(),
        }
    }
}

impl From<forestock_plan::review::GridRow> for PlannerRow {
    fn from(g: forestock_plan::review::GridRow) -> Self {
        let r = g.rec;
        PlannerRow {
            variant_id: r.variant_id,
            location_id: r.location_id,
            sku: r.sku,
            title: String::new(),
            category: r.category,
            location: r.location,
            supplier: r.supplier,
            status: r.movement.as_str().to_string(),
            price: 0.0,
            cost: Some(r.unit_cost),
            on_hand: r.on_hand,
            incoming: r.on_order,
            abc: Some(format!("{}{}", r.abc, r.xyz)),
            forecast_30d: Some(r.forecast_30d),
            days_of_cover: r.days_of_cover,
            safety_stock: Some(r.safety_stock),
            reorder_point: Some(r.reorder_point),
            recommended_qty: Some(r.recommended_qty),
            override_qty: g.override_qty,
            line_status: Some(g.status),
            override_reason: g.override_reason,
            alerts: g.flags,
            model: Some(r.model),
            rationale: r.rationale,
        }
    }
}

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

impl PoView {
    /// The view of a PO with, for a draft, what approving it needs.
    pub fn checked(
        store: &forestock_core::Store,
        p: forestock_plan::po::PurchaseOrder,
    ) -> Result<Self, forestock_plan::Error> {
        let above = if p.status == PoStatus::Draft {
            forestock_plan::po::approval_reasons(store, &p)?
        } else {
            Vec::new()
        };
        Ok(PoView {
            above_thresholds: above,
            ..PoView::from(p)
        })
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

/// Which lines a scenario change applies to; empty fields match all.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ScopeInput {
    pub sku: Option<String>,
    pub category: Option<String>,
    pub supplier_id: Option<i64>,
}

/// One what-if change (mirrors `forestock_plan::scenario::Change`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeInput {
    DemandMultiplier {
        scope: ScopeInput,
        factor: f64,
    },
    Promotion {
        scope: ScopeInput,
        start: String,
        end: String,
        lift: f64,
    },
    LeadTime {
        supplier_id: i64,
        mean_days: f64,
        sd_days: f64,
    },
    ServiceLevel {
        scope: ScopeInput,
        level: f64,
    },
    SupplierSwitch {
        sku: String,
        supplier_id: i64,
    },
}

impl ChangeInput {
    pub fn into_change(self) -> Result<forestock_plan::scenario::Change, String> {
        use forestock_plan::scenario::{Change, Scope};
        let scope = |s: ScopeInput| Scope {
            sku: s.sku.filter(|x| !x.is_empty()),
            category: s.category.filter(|x| !x.is_empty()),
            supplier_id: s.supplier_id,
        };
        let date = |d: &str| {
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| format!("{d:?} is not a date (YYYY-MM-DD)"))
        };
        Ok(match self {
            ChangeInput::DemandMultiplier { scope: s, factor } => Change::DemandMultiplier {
                scope: scope(s),
                factor,
            },
            ChangeInput::Promotion {
                scope: s,
                start,
                end,
                lift,
            } => Change::Promotion {
                scope: scope(s),
                start: date(&start)?,
                end: date(&end)?,
                lift,
            },
            ChangeInput::LeadTime {
                supplier_id,
                mean_days,
                sd_days,
            } => Change::LeadTime {
                supplier_id,
                mean_days,
                sd_days,
            },
            ChangeInput::ServiceLevel { scope: s, level } => Change::ServiceLevel {
                scope: scope(s),
                level,
            },
            ChangeInput::SupplierSwitch { sku, supplier_id } => {
                Change::SupplierSwitch { sku, supplier_id }
            }
        })
    }

    pub fn from_change(c: forestock_plan::scenario::Change) -> Self {
        use forestock_plan::scenario::Change;
        let scope = |s: forestock_plan::scenario::Scope| ScopeInput {
            sku: s.sku,
            category: s.category,
            supplier_id: s.supplier_id,
        };
        match c {
            Change::DemandMultiplier { scope: s, factor } => ChangeInput::DemandMultiplier {
                scope: scope(s),
                factor,
            },
            Change::Promotion {
                scope: s,
                start,
                end,
                lift,
            } => ChangeInput::Promotion {
                scope: scope(s),
                start: start.to_string(),
                end: end.to_string(),
                lift,
            },
            Change::LeadTime {
                supplier_id,
                mean_days,
                sd_days,
            } => ChangeInput::LeadTime {
                supplier_id,
                mean_days,
                sd_days,
            },
            Change::ServiceLevel { scope: s, level } => ChangeInput::ServiceLevel {
                scope: scope(s),
                level,
            },
            Change::SupplierSwitch { sku, supplier_id } => {
                ChangeInput::SupplierSwitch { sku, supplier_id }
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ScenarioView {
    pub id: i64,
    pub name: String,
    pub status: forestock_plan::scenario::ScenarioStatus,
    pub changes: Vec<ChangeInput>,
}

impl From<forestock_plan::scenario::Scenario> for ScenarioView {
    fn from(s: forestock_plan::scenario::Scenario) -> Self {
        ScenarioView {
            id: s.id,
            name: s.name,
            status: s.status,
            changes: s
                .changes
                .into_iter()
                .map(ChangeInput::from_change)
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct TotalsView {
    pub name: String,
    pub order_value: f64,
    pub expected_fill_rate: f64,
    pub capital_tied_up: f64,
    pub stockout_risk_lines: usize,
    pub lines_changed: usize,
}

impl From<forestock_plan::scenario::Totals> for TotalsView {
    fn from(t: forestock_plan::scenario::Totals) -> Self {
        TotalsView {
            name: t.name,
            order_value: t.order_value,
            expected_fill_rate: t.expected_fill_rate,
            capital_tied_up: t.capital_tied_up,
            stockout_risk_lines: t.stockout_risk_lines,
            lines_changed: t.lines_changed,
        }
    }
}

/// A scenario beside the baseline.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EvaluationView {
    pub baseline: TotalsView,
    pub scenario: TotalsView,
    /// SKU×location lines the changes touch, with their new suggested quantity.
    pub changed: Vec<(String, String, i64)>,
}

impl From<forestock_plan::scenario::Evaluation> for EvaluationView {
    fn from(e: forestock_plan::scenario::Evaluation) -> Self {
        EvaluationView {
            baseline: e.baseline.into(),
            scenario: e.scenario.into(),
            changed: e
                .changed
                .into_iter()
                .take(200)
                .map(|r| (r.sku, r.location, r.recommended_qty))
                .collect(),
        }
    }
}

/// A connected store as the Connect screen lists it. Never carries a secret: the keychain
/// reference only says where the secret lives.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StoreView {
    pub id: i64,
    /// `shopify`, `bigcommerce`, `adobe`, `netsuite` or `demo`.
    pub platform: String,
    pub name: String,
    pub base_url: String,
    pub in_keychain: bool,
    pub created_at: String,
}

impl From<forestock_core::StoreRecord> for StoreView {
    fn from(s: forestock_core::StoreRecord) -> Self {
        StoreView {
            id: s.id,
            platform: s.platform.as_str().to_string(),
            name: s.name,
            base_url: forestock_connect::remote_url::display_stored_url(&s.base_url),
            in_keychain: s.keychain_ref.is_some(),
            created_at: s.created_at.format("%Y-%m-%d %H:%M").to_string(),
        }
    }
}

/// The "Connect a store" form, one shape per platform. The secrets are moved straight into
/// [`forestock_connect::Secret`]s and on to the keychain; this type has no `Debug` so it can
/// never be logged.
#[derive(Clone, Deserialize, TS)]
#[serde(tag = "platform", rename_all = "snake_case")]
pub enum ConnectForm {
    /// A custom app's Admin API access token.
    Shopify {
        url: String,
        name: Option<String>,
        token: String,
    },
    /// A store-level API account's access token; the URL ends in `/stores/<hash>`.
    #[serde(rename = "bigcommerce")]
    BigCommerce {
        url: String,
        name: Option<String>,
        token: String,
    },
    /// An integration's four OAuth 1.0a values.
    Adobe {
        url: String,
        name: Option<String>,
        consumer_key: String,
        consumer_secret: String,
        access_token: String,
        access_token_secret: String,
    },
    /// Token-based authentication (TBA) for the account.
    #[serde(rename = "netsuite")]
    NetSuite {
        url: String,
        name: Option<String>,
        account: String,
        consumer_key: String,
        consumer_secret: String,
        token: String,
        token_secret: String,
    },
}

impl From<ConnectForm> for forestock_connect::ConnectRequest {
    fn from(f: ConnectForm) -> Self {
        use forestock_connect::{Credentials as C, Secret};
        use forestock_core::Platform;
        let none = |n: Option<String>| n.filter(|n| !n.trim().is_empty());
        let (platform, name, base_url, settings, credentials) = match f {
            ConnectForm::Shopify { url, name, token } => (
                Platform::Shopify,
                name,
                url,
                serde_json::json!({}),
                C::ShopifyToken {
                    token: Secret::new(token),
                },
            ),
            ConnectForm::BigCommerce { url, name, token } => (
                Platform::BigCommerce,
                name,
                url,
                serde_json::json!({}),
                C::BigCommerce {
                    token: Secret::new(token),
                },
            ),
            ConnectForm::Adobe {
                url,
                name,
                consumer_key,
                consumer_secret,
                access_token,
                access_token_secret,
            } => (
                Platform::Adobe,
                name,
                url,
                serde_json::json!({}),
                C::AdobeOAuth1 {
                    consumer_key,
                    consumer_secret: Secret::new(consumer_secret),
                    access_token: Secret::new(access_token),
                    access_token_secret: Secret::new(access_token_secret),
                },
            ),
            ConnectForm::NetSuite {
                url,
                name,
                account,
                consumer_key,
                consumer_secret,
                token,
                token_secret,
            } => (
                Platform::NetSuite,
                none(name).or_else(|| Some(format!("NetSuite {account}"))),
                url,
                serde_json::json!({ "account": account }),
                C::NetSuiteTba {
                    account,
                    consumer_key,
                    consumer_secret: Secret::new(consumer_secret),
                    token: Secret::new(token),
                    token_secret: Secret::new(token_secret),
                },
            ),
        };
        forestock_connect::ConnectRequest {
            platform,
            name: none(name),
            base_url: base_url.trim().to_string(),
            settings,
            credentials,
        }
    }
}

/// The answer to "Test connection".
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConnectionCheck {
    /// The name the remote service reports for itself.
    pub remote_name: String,
    pub currency: Option<String>,
}

/// What one store's sync copied, or why it did not.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StoreSyncView {
    pub store: String,
    pub ok: bool,
    /// The error's message when `ok` is false; warnings otherwise.
    pub message: String,
    /// The connect crate's stable error code (`network`, `auth`, …) when `ok` is false.
    pub error_code: Option<String>,
    pub locations: u64,
    pub variants: u64,
    pub inventory_levels: u64,
    pub orders: u64,
    pub seconds: f64,
}

impl StoreSyncView {
    pub fn new(
        store: String,
        r: Result<forestock_connect::SyncReport, forestock_connect::Error>,
    ) -> Self {
        match r {
            Ok(r) => StoreSyncView {
                store,
                ok: true,
                message: r.warnings.join("; "),
                error_code: None,
                locations: r.locations,
                variants: r.variants,
                inventory_levels: r.inventory_levels,
                orders: r.orders,
                seconds: r.seconds,
            },
            Err(e) => StoreSyncView {
                store,
                ok: false,
                message: e.to_string(),
                error_code: Some(e.code().to_string()),
                locations: 0,
                variants: 0,
                inventory_levels: 0,
                orders: 0,
                seconds: 0.0,
            },
        }
    }
}

/// A queued push of a PO to NetSuite (the outbox).
#[derive(Debug, Clone, Serialize, TS)]
pub struct OutboxView {
    pub id: i64,
    pub store_id: i64,
    /// NetSuite's external id (`FCST-<database id>-<PO number>`, or `FCST-<PO number>` for a
    /// PO first pushed before ids carried the database id): show this, never rebuild it.
    pub external_id: String,
    /// The PO this push is for (none for a document queued without one).
    pub po_id: Option<i64>,
    /// `skipped`: not sent, the PO was no longer pushable.
    pub status: OutboxStatus,
    pub attempts: i64,
    pub remote_id: Option<String>,
    pub last_error: Option<String>,
}

impl From<forestock_connect::outbox::OutboxItem> for OutboxView {
    fn from(i: forestock_connect::outbox::OutboxItem) -> Self {
        OutboxView {
            id: i.id,
            store_id: i.store_id,
            external_id: i.external_id,
            po_id: i.po_id,
            status: i.status,
            attempts: i.attempts,
            remote_id: i.remote_id,
            last_error: i.last_error,
        }
    }
}

/// A stage of "Sync & run".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RunStage {
    Sync,
    Plan,
}

/// What a finished plan run produced.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlanRunSummary {
    pub lines: usize,
    pub lines_to_order: usize,
    pub order_value: f64,
    pub transfers: usize,
    pub forecast_failures: usize,
    pub excess_value: f64,
}

impl From<forestock_plan::plan::PlanSummary> for PlanRunSummary {
    fn from(p: forestock_plan::plan::PlanSummary) -> Self {
        PlanRunSummary {
            lines: p.lines,
            lines_to_order: p.lines_to_order,
            order_value: p.order_value,
            transfers: p.transfers,
            forecast_failures: p.forecast_failures,
            excess_value: p.excess_value,
        }
    }
}

/// Progress of "Sync & run", streamed over a channel.
#[derive(Debug, Clone, Serialize, TS)]
// `Progress` is raised once store sync runs from the app (the plan stage reports no steps).
#[allow(dead_code)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RunEvent {
    Started {
        stage: RunStage,
    },
    Progress {
        stage: RunStage,
        label: String,
        done: u64,
        total: Option<u64>,
    },
    Skipped {
        stage: RunStage,
        reason: String,
    },
    Finished {
        stage: RunStage,
        elapsed_ms: u64,
    },
    Done {
        plan: Option<PlanRunSummary>,
    },
    Cancelled {
        after: RunStage,
    },
    /// The sync stage's result per store (sent before the sync stage finishes).
    Synced {
        stores: Vec<StoreSyncView>,
    },
}

/// A planner's quantity change on one line.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct LineEdit {
    pub variant_id: i64,
    pub location_id: i64,
    pub qty: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
pub struct LineRef {
    pub variant_id: i64,
    pub location_id: i64,
}

/// Approve (or reject, with a reason) a set of lines.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct LineDecision {
    pub lines: Vec<LineRef>,
    pub approve: bool,
    pub reason: String,
}

/// The planner grid's rows and whether a plan backs them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlannerData {
    pub rows: Vec<PlannerRow>,
    /// When the plan behind the plan columns finished; `None` when no plan has run yet.
    pub plan_run: Option<String>,
}

/// Everything the SKU detail screen shows about one SKU×location.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SkuDetail {
    pub row: PlannerRow,
    pub product_title: String,
    pub vendor: String,
    pub barcode: Option<String>,
    pub created_date: String,
    pub discontinue_date: Option<String>,
    /// Units sold over the last 30 / 90 / 365 days of history.
    pub sold_30d: f64,
    pub sold_90d: f64,
    pub sold_365d: f64,
    /// Days in the last 365 that ended with nothing on hand.
    pub stockout_days_365d: i64,
    pub promo_days_365d: i64,
    /// The chart as an SVG document (plotters).
    pub chart_svg: String,
    pub audit: Vec<AuditView>,
}

/// Progress while opening the merchant; only the first run (creating the demo) reports stages.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum OpenProgress {
    Catalog,
    Simulating { done: usize, total: usize },
    Writing { done: usize, total: usize },
}

/// Every type exported to the UI, in file order.
#[cfg(test)]
fn declarations() -> Vec<String> {
    use crate::error::{ApiError, ErrorCode};
    // serde_json writes i64 as a JSON number; every count here is far below 2^53.
    let cfg = ts_rs::Config::new().with_large_int("number");
    vec![
        ErrorCode::decl(&cfg),
        ApiError::decl(&cfg),
        MerchantSummary::decl(&cfg),
        OpenProgress::decl(&cfg),
        PriceBreakView::decl(&cfg),
        SupplierView::decl(&cfg),
        SupplierEdit::decl(&cfg),
        PlanSettingsForm::decl(&cfg),
        SettingsView::decl(&cfg),
        SavedFile::decl(&cfg),
        AuditQuery::decl(&cfg),
        AuditView::decl(&cfg),
        PlannerRow::decl(&cfg),
        PlannerData::decl(&cfg),
        SkuDetail::decl(&cfg),
        PoStatus::decl(&cfg),
        forestock_plan::po::PoActions::decl(&cfg),
        LineStatus::decl(&cfg),
        LineFlag::decl(&cfg),
        OutboxStatus::decl(&cfg),
        PoLineView::decl(&cfg),
        PoView::decl(&cfg),
        PoLineEdit::decl(&cfg),
        Exported::decl(&cfg),
        ScopeInput::decl(&cfg),
        ChangeInput::decl(&cfg),
        forestock_plan::scenario::ScenarioStatus::decl(&cfg),
        ScenarioView::decl(&cfg),
        TotalsView::decl(&cfg),
        EvaluationView::decl(&cfg),
        StoreView::decl(&cfg),
        ConnectForm::decl(&cfg),
        ConnectionCheck::decl(&cfg),
        StoreSyncView::decl(&cfg),
        OutboxView::decl(&cfg),
        RunStage::decl(&cfg),
        PlanRunSummary::decl(&cfg),
        RunEvent::decl(&cfg),
        LineEdit::decl(&cfg),
        LineRef::decl(&cfg),
        LineDecision::decl(&cfg),
    ]
    .into_iter()
    .chain(crate::dto_suppliers::declarations(&cfg))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render() -> String {
        let mut out = String::from(
            "// Generated from src-tauri/src/dto.rs by ts-rs. Do not edit by hand:\n\
             // UPDATE_BINDINGS=1 cargo test -p forestock-app bindings\n\n",
        );
        for d in declarations() {
            out.push_str("export ");
            out.push_str(d.trim());
            out.push_str("\n\n");
        }
        out.trim_end().to_string() + "\n"
    }

    #[test]
    fn bindings_are_current() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
        let want = render();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &want).unwrap();
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "ui/src/lib/bindings.ts is out of date; run UPDATE_BINDINGS=1 cargo test -p forestock-app bindings"
        );
    }
}
