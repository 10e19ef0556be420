// Generated from src-tauri/src/dto/ by ts-rs. Do not edit by hand:
// UPDATE_BINDINGS=1 cargo test -p forestock-app bindings

export type ErrorCode = "not_found" | "bad_input" | "database" | "busy" | "remote" | "cancelled" | "internal";

export type ApiError = { code: ErrorCode, message: string, };

export type MerchantFiles = { 
/**
 * The open merchant's file, if one is open.
 */
open: string | null, recent: RecentList, 
/**
 * Where "Explore the demo shop" makes (or finds) the demo merchant.
 */
demo_path: string | null, 
/**
 * A new, unused file name offered to "Set up my shop".
 */
suggested_path: string | null, };

export type PlanSettingsForm = { 
/**
 * Target cycle service level per ABC class (0.5–0.999).
 */
service_level_a: number, service_level_b: number, service_level_c: number, 
/**
 * Days between reviews (orders).
 */
review_days: number, 
/**
 * Days of forecast a plan computes.
 */
horizon_days: number, 
/**
 * A line above this value (merchant currency) needs explicit approval.
 */
approval_value_threshold: number, 
/**
 * An override changing the recommendation by more than this percent needs approval.
 */
approval_change_pct: number, 
/**
 * Guardrail: automatic safety-stock changes are capped at this share per week.
 */
safety_stock_weekly_cap: number, 
/**
 * Stock beyond the order-up-to level plus this many days of demand counts as excess.
 */
excess_cover_days: number, 
/**
 * More than this many days of cover: a slow mover.
 */
slow_cover_days: number, 
/**
 * No sale for this many days with stock on hand: a dead mover.
 */
dead_after_days: number, 
/**
 * Columns of the supplier PO CSV, `field[=Header],...` (checked by the library).
 */
po_csv_columns: string, 
/**
 * Delimiter of the supplier PO CSV: `,` `;` `tab` or `|`.
 */
po_csv_delimiter: string, };

export type SettingsView = { plan: PlanSettingsForm, 
/**
 * The folder holding the merchant database.
 */
data_folder: string, 
/**
 * Where exports go without asking (`FORESTOCK_EXPORT_DIR`), or the folder the save dialog
 * opens in.
 */
export_folder: string, 
/**
 * True when exports are written to `export_folder` without a save dialog.
 */
export_without_dialog: boolean, };

export type SavedFile = { 
/**
 * Where it was written; `null` when the planner cancelled the save dialog.
 */
path: string | null, 
/**
 * Rows written (CSV exports) or bytes written (chart images).
 */
count: number, };

export type PoLineView = { variant_id: number, sku: string, description: string, quantity: number, unit_cost: number, received_qty: number, };

export type PoView = { id: number, number: string, supplier: string, location: string, status: PoStatus, 
/**
 * What may be done with it now (from the library's transition rules).
 */
actions: PoActions, currency: string, order_date: string, expected_date: string, total: number, lines: Array<PoLineView>, 
/**
 * For a draft: lines edited past the review thresholds, so approving it needs a reason.
 */
above_thresholds: Array<string>, };

export type PoLineEdit = { po_id: number, variant_id: number, quantity: number | null, 
/**
 * Why (required; goes to the audit log).
 */
reason: string, };

export type Exported = { po: PoView, 
/**
 * Where the CSV went; `null` when the planner cancelled the save dialog.
 */
path: string | null, };

export type ScopeInput = { sku: string | null, category: string | null, supplier_id: number | null, };

export type ChangeInput = { "kind": "demand_multiplier", scope: ScopeInput, factor: number, } | { "kind": "promotion", scope: ScopeInput, start: string, end: string, lift: number, } | { "kind": "lead_time", supplier_id: number, mean_days: number, sd_days: number, } | { "kind": "service_level", scope: ScopeInput, level: number, } | { "kind": "supplier_switch", sku: string, supplier_id: number, };

export type ScenarioView = { id: number, name: string, status: ScenarioStatus, changes: Array<ChangeInput>, };

export type EvaluationView = { baseline: TotalsView, scenario: TotalsView, 
/**
 * SKU×location lines the changes touch, with their new suggested quantity.
 */
changed: Array<[string, string, number]>, };

export type StoreView = { id: number, 
/**
 * `shopify`, `bigcommerce`, `adobe`, `netsuite` or `demo`.
 */
platform: string, name: string, base_url: string, in_keychain: boolean, created_at: string, };

export type ConnectForm = { "platform": "shopify", url: string, name: string | null, token: string, } | { "platform": "bigcommerce", url: string, name: string | null, token: string, } | { "platform": "adobe", url: string, name: string | null, consumer_key: string, consumer_secret: string, access_token: string, access_token_secret: string, } | { "platform": "netsuite", url: string, name: string | null, account: string, consumer_key: string, consumer_secret: string, token: string, token_secret: string, };

export type ConnectionCheck = { 
/**
 * The name the remote service reports for itself.
 */
remote_name: string, currency: string | null, };

export type LineEdit = { variant_id: number, location_id: number, qty: number, reason: string, };

export type LineDecision = { lines: Array<LineRef>, approve: boolean, reason: string, };

export type ReviewState = { 
/**
 * What undo would take back next.
 */
last_action: LastAction | null, 
/**
 * What "the inputs changed materially" means (overrides kept across a re-plan).
 */
material_rule: string, };

export type ReceivedLine = { variant_id: number, quantity: number, };

export type ReceiptForm = { po_id: number, lines: Array<ReceivedLine>, received_on: string | null, };

export type MerchantSummary = { name: string, currency: string, 
/**
 * The date the data is complete up to (the demo's "today"), ISO `YYYY-MM-DD`.
 */
as_of: string | null, 
/**
 * The date plans are made for ([`crate::plan::planning_basis`]): the demo's fixed
 * date, else the day of the last successful sync, else today.
 */
plans_as_of: string, 
/**
 * Why that date, in words ("the last successful sync").
 */
plans_as_of_basis: string, is_demo: boolean, 
/**
 * Absolute path of the SQLite file.
 */
db_path: string, 
/**
 * True when this call created the demo merchant because no database existed.
 */
created_demo: boolean, skus: number, active_skus: number, products: number, locations: number, suppliers: number, stores: number, orders: number, order_lines: number, units_sold: number, promotions: number, first_order_date: string | null, last_order_date: string | null, last_sync: string | null, last_forecast_run: string | null, last_plan_run: string | null, };

export type OpenProgress = { "stage": "catalog" } | { "stage": "simulating", done: number, total: number, } | { "stage": "writing", done: number, total: number, };

export type RecentMerchant = { 
/**
 * Absolute path of the database file.
 */
path: string, 
/**
 * The merchant's name when it was last opened.
 */
name: string, };

export type RecentList = { entries: Array<RecentMerchant>, 
/**
 * One sentence per problem, for the planner to read.
 */
notes: Array<string>, };

export type NewMerchant = { 
/**
 * The shop's name, as the app's header shows it.
 */
name: string, 
/**
 * The currency its prices and costs are in (ISO 4217, e.g. `EUR`).
 */
currency: string, 
/**
 * The full path of the new database file; it must not exist yet.
 */
path: string, 
/**
 * The shop's IANA time zone (e.g. `America/Los_Angeles`): its days start at its local
 * midnight. Empty: this computer's zone when it can be read, else UTC ([`local_timezone`]).
 */
timezone: string, };

export type SetupStep = "connect" | "sync" | "suppliers" | "plan";

export type ChecklistItem = { step: SetupStep, label: string, done: boolean, 
/**
 * What is there, or what is still missing, in a sentence.
 */
detail: string, screen: SetupScreen, };

export type SetupScreen = "connect" | "suppliers" | "planner";

export type Checklist = { 
/**
 * False for the demo merchant: it comes set up, with its fixed date.
 */
applies: boolean, items: Array<ChecklistItem>, 
/**
 * Every item is done.
 */
complete: boolean, 
/**
 * The date the next plan is made for, ISO `YYYY-MM-DD` ([`planning_basis`]).
 */
planning_date: string, 
/**
 * Why that date ("the last successful sync", "the merchant's as-of date", …).
 */
planning_basis: string, };

export type AuditQuery = { entity: string | null, entity_id: string | null, action: string | null, limit: number | null, };

export type FieldChange = { field: string, before: string | null, after: string | null, };

export type AuditView = { id: number, at: string, actor: string, action: string, entity: string, entity_id: string, what: string, changes: Array<FieldChange>, before: string | null, after: string | null, reason: string, };

export type PlannerRow = { variant_id: number, location_id: number, sku: string, title: string, category: string, location: string, supplier: string | null, status: string, price: number, cost: number | null, 
/**
 * The currency of `cost` (and of the line's order value): the supplier's on a planned
 * line, the merchant's on a stock position.
 */
currency: string, on_hand: number, incoming: number, abc: string | null, forecast_30d: number | null, days_of_cover: number | null, safety_stock: number | null, reorder_point: number | null, recommended_qty: number | null, override_qty: number | null, line_status: LineStatus | null, override_reason: string | null, 
/**
 * What the plan library flags on the line (one rule, in forestock-plan); the UI counts these.
 */
alerts: Array<LineFlag>, 
/**
 * The forecast model behind the line and the terms that produced its numbers.
 */
model: string | null, rationale: Array<string>, };

export type PlannerData = { rows: Array<PlannerRow>, 
/**
 * When the plan behind the plan columns finished; `None` when no plan has run yet.
 */
plan_run: string | null, };

export type Granularity = "daily" | "weekly";

export type HistoryPoint = { 
/**
 * The period's first day (a Monday for weeks).
 */
date: string, 
/**
 * Days of history in the period (fewer than 7 for a week cut by the chart's ends).
 */
days: number, units: number, 
/**
 * Units on hand at the end of the period's last day, when known.
 */
on_hand: number | null, 
/**
 * Days that ended with nothing on hand.
 */
stockout_days: number, promo_days: number, };

export type ForecastPoint = { date: string, days: number, mean: number, p10: number, p90: number, 
/**
 * A planned promotion covers at least one of its days.
 */
promo: boolean, };

export type PastForecastPoint = { date: string, 
/**
 * Days of the period an earlier forecast covered (the sums are over these days).
 */
days: number, forecast: number, actual: number, 
/**
 * The run whose forecast the period's last covered day comes from.
 */
run_id: number, };

export type ProjectionPoint = { date: string, on_hand: number, };

export type Incoming = { date: string, quantity: number, 
/**
 * The PO number (or the store's receipt reference).
 */
reference: string, 
/**
 * Expected before the first forecast day and not yet received: counted on that day.
 */
overdue: boolean, };

export type ForecastInfo = { run_id: number, 
/**
 * When the run started (UTC, `YYYY-MM-DD HH:MM`).
 */
made_at: string, model: string, 
/**
 * Demand class (smooth, erratic, intermittent, lumpy, zero, short).
 */
class: string, 
/**
 * Rolling-origin backtest accuracy of the chosen model (Hyndman & Koehler 2006 for MASE;
 * WAPE = Σ|error| / Σ actual); `None` when the series was too short to backtest.
 */
mase: number | null, wape: number | null, bias: number | null, origins: number, };

export type ChartModel = { title: string, sku: string, location: string, granularity: Granularity, 
/**
 * The last day of history (the projection starts from its stock).
 */
today: string | null, history: Array<HistoryPoint>, forecast: Array<ForecastPoint>, past_forecast: Array<PastForecastPoint>, 
/**
 * WAPE of the earlier forecasts over the days shown in `past_forecast`, daily.
 */
past_wape: number | null, projection: Array<ProjectionPoint>, incoming: Array<Incoming>, 
/**
 * The plan's figures for the line, when a plan has run.
 */
safety_stock: number | null, reorder_point: number | null, forecast_info: ForecastInfo | null, 
/**
 * The plan's rationale for the line: why the numbers are what they are.
 */
rationale: Array<string>, };

export type SortDir = "asc" | "desc";

export type PlannerQuery = { 
/**
 * Every whitespace-separated term must appear (any case) in the SKU, item, category or
 * supplier.
 */
search: string, 
/**
 * A location code; empty for all.
 */
location: string, 
/**
 * A supplier name, `—` for lines without one; empty for all.
 */
supplier: string, 
/**
 * Only lines whose quantity (override, else recommendation) is above zero.
 */
only_to_order: boolean, 
/**
 * A column id (`sku`, `title`, `location`, `supplier`, `category`, `abc`, `on_hand`,
 * `incoming`, `forecast_30d`, `days_of_cover`, `safety_stock`, `reorder_point`, `qty`,
 * `alerts`); empty sorts by SKU.
 */
sort: string, dir: SortDir, 
/**
 * Group the lines by supplier, a heading row before each group.
 */
group_by_supplier: boolean, 
/**
 * The first item of the window (headings count as items) and how many to return.
 */
offset: number, limit: number, };

export type PlannerItem = { "kind": "group", key: string, count: number, value: Array<Money>, } | { "kind": "row", row: PlannerRow, };

export type PlannerTotals = { lines_to_order: number, 
/**
 * Σ quantity × unit cost over the lines to order, per currency (never added across).
 */
order_value: Array<Money>, 
/**
 * The order value in the merchant's currency at the rates the planner entered, when some
 * of it is foreign and every foreign currency has a rate.
 */
order_value_converted: Converted | null, needs_approval: number, stockout_risk: number, 
/**
 * Lines with nothing on hand now.
 */
out_of_stock: number, excess_lines: number, 
/**
 * Lines with demand to order but no supplier: they order nothing until one is linked.
 */
needs_supplier: number, };

export type PlannerPage = { 
/**
 * When the plan behind the plan columns finished; `None` when no plan has run yet.
 */
plan_run: string | null, 
/**
 * Every SKU×location line, and those the search and filters keep.
 */
total: number, matched: number, 
/**
 * Items of the whole view (the kept lines plus one heading per group when grouped).
 */
items_total: number, 
/**
 * The window: `items[0]` is item number `offset` of the view.
 */
offset: number, items: Array<PlannerItem>, 
/**
 * The filter choices, over every line (`—` stands for "no supplier").
 */
locations: Array<string>, suppliers: Array<string>, categories: Array<string>, totals: PlannerTotals, };

export type AccuracyBy = "sku" | "category" | "supplier" | "location";

export type AccuracyRow = { 
/**
 * The SKU and location (`SKU · LOC`), category, supplier (`—` for none) or location code;
 * `Total` for the total.
 */
key: string, 
/**
 * The SKU×location of a per-SKU row (to open its detail).
 */
variant_id: number | null, location_id: number | null, 
/**
 * SKU×locations, and forecast days compared with sales (summed over runs).
 */
series: number, days: number, 
/**
 * Units sold and units forecast over those days.
 */
actual: number, forecast: number, 
/**
 * `None` where undefined (nothing sold; no series with a naive error).
 */
wape: number | null, bias: number | null, mase: number | null, coverage: number | null, };

export type AccuracyRun = { id: number, started_at: string, 
/**
 * The last day of history the run used.
 */
as_of: string | null, 
/**
 * Forecast days of it compared with sales (0: none of its days has happened yet).
 */
days: number, };

export type AccuracyReport = { by: AccuracyBy, runs: Array<AccuracyRun>, 
/**
 * The last day of sales known.
 */
actuals_to: string | null, 
/**
 * Groups in natural order of their key.
 */
rows: Array<AccuracyRow>, total: AccuracyRow, 
/**
 * How each figure is computed, in words.
 */
method: string, };

export type SkuDetail = { row: PlannerRow, product_title: string, vendor: string, barcode: string | null, created_date: string, discontinue_date: string | null, 
/**
 * Units sold over the last 30 / 90 / 365 days of history.
 */
sold_30d: number, sold_90d: number, sold_365d: number, 
/**
 * Days in the last 365 that ended with nothing on hand.
 */
stockout_days_365d: number, promo_days_365d: number, 
/**
 * The chart as an SVG document (plotters); empty without history.
 */
chart_svg: string, 
/**
 * What the chart draws, for the legend and the panel beside it (`None` without history).
 */
chart: ChartModel | null, audit: Array<AuditView>, 
/**
 * The planner's forecast overrides that apply to this SKU×location.
 */
forecast_overrides: Array<OverrideView>, };

export type PoStatus = "draft" | "approved" | "exported" | "pushed" | "partially_received" | "received" | "cancelled";

export type PoActions = { approve: boolean, cancel: boolean, 
/**
 * Change or remove lines (drafts only).
 */
edit_lines: boolean, export: boolean, push: boolean, receive: boolean, };

export type LineStatus = "proposed" | "approved" | "rejected" | "ordered";

export type LineFlag = "needs_approval" | "stockout_risk" | "excess" | "locked" | "needs_supplier";

export type LineRef = { variant_id: number, location_id: number, };

export type OutboxStatus = "pending" | "sent" | "failed" | "skipped";

export type OutboxView = { id: number, store_id: number, 
/**
 * NetSuite's external id (`FCST-<database id>-<PO number>`, or `FCST-<PO number>` for a
 * PO first pushed before ids carried the database id): show this, never rebuild it.
 */
external_id: string, 
/**
 * The PO this row pushes (none for documents queued without one).
 */
po_id: number | null, 
/**
 * `skipped`: not sent, the PO was no longer pushable.
 */
status: OutboxStatus, attempts: number, remote_id: string | null, last_error: string | null, };

export type ScenarioStatus = "draft" | "applied" | "discarded";

export type TotalsView = { name: string, 
/**
 * Order value per currency (never added across currencies).
 */
order_value: Array<Money>, 
/**
 * Demand-weighted expected fill rate.
 */
expected_fill_rate: number, 
/**
 * Position after ordering, valued at cost, per currency.
 */
capital_tied_up: Array<Money>, 
/**
 * Lines projected to run out within their lead time.
 */
stockout_risk_lines: number, lines_changed: number, };

export type SupplierOrders = { 
/**
 * The supplier's name; "(no supplier)" for lines without one.
 */
supplier: string, currency: string, order_value: number, units: number, lines: number, };

export type ScenarioColumn = { 
/**
 * `None` for the baseline (the latest plan as computed).
 */
scenario_id: number | null, name: string, changes: number, 
/**
 * Order value per currency (suppliers may invoice in different currencies).
 */
order_value: Array<Money>, units: number, lines_to_order: number, stockout_risk_lines: number, 
/**
 * Demand-weighted expected fill rate (forestock-plan's scenario totals).
 */
expected_fill_rate: number, 
/**
 * Demand-weighted target service level of the lines.
 */
target_service_level: number, 
/**
 * Position after ordering at cost, per currency.
 */
capital_tied_up: Array<Money>, lines_changed: number, 
/**
 * Per supplier and currency, largest order value first.
 */
suppliers: Array<SupplierOrders>, };

export type Comparison = { columns: Array<ScenarioColumn>, };

export type LocationChoice = { code: string, name: string, 
/**
 * `warehouse` or `retail`.
 */
kind: string, };

export type DefaultLocationView = { store_id: number, store: string, 
/**
 * The location that takes it now (the planner's choice, else the first active
 * warehouse, else the first active location); `None` before the first sync.
 */
current: string | null, 
/**
 * True when the planner chose `current`; false when it is the default rule's.
 */
chosen: boolean, 
/**
 * The store's active locations, to choose from.
 */
choices: Array<LocationChoice>, };

export type ReattributedView = { store: string, 
/**
 * The location code now named in the store's settings.
 */
location: string, 
/**
 * Orders (and their units) moved there from where they were defaulted before.
 */
orders: number, units: number, };

export type StoreSyncView = { store: string, ok: boolean, 
/**
 * The error's message when `ok` is false; warnings otherwise.
 */
message: string, 
/**
 * The connect crate's stable error code (`network`, `auth`, …) when `ok` is false.
 */
error_code: string | null, locations: number, variants: number, inventory_levels: number, orders: number, seconds: number, };

export type RunStage = "sync" | "plan";

export type PlanRunSummary = { lines: number, lines_to_order: number, 
/**
 * Per currency: suppliers invoice in their own, and amounts are never added across them.
 */
order_value: Array<Money>, 
/**
 * The order value in the merchant's currency at the rates the planner entered, when some
 * of it is foreign and every foreign currency has a rate.
 */
order_value_converted: Converted | null, transfers: number, forecast_failures: number, 
/**
 * Excess stock at cost, per currency.
 */
excess_value: Array<Money>, };

export type RunEvent = { "event": "started", stage: RunStage, } | { "event": "progress", stage: RunStage, label: string, done: number, total: number | null, } | { "event": "skipped", stage: RunStage, reason: string, } | { "event": "finished", stage: RunStage, elapsed_ms: number, } | { "event": "done", plan: PlanRunSummary | null, } | { "event": "cancelled", after: RunStage, } | { "event": "synced", stores: Array<StoreSyncView>, };

export type FileKind = "history" | "stock" | "promotions";

export type Dates = "dmy" | "mdy" | "ymd";

export type Unknown = "refuse" | "create" | "skip";

export type FieldColumn = { field: string, column: string | null, 
/**
 * Every row needs it (the import is refused without it).
 */
required: boolean, };

export type FileRequest = { kind: FileKind, path: string, 
/**
 * The planner's mapping: every field of the kind with its column (`null`: unmapped).
 * Empty: the guess.
 */
mapping: Array<FieldColumn>, 
/**
 * `dmy`, `mdy` or `ymd`; `null`: read from the data.
 */
date_order: Dates | null, 
/**
 * The location of every row, for a file without a location column.
 */
location: string | null, unknown: Unknown, dry_run: boolean, };

export type MonthValue = { month: string, value: number, };

export type FileImport = { kind: FileKind, 
/**
 * `dry_run`, `imported` or `already_imported`.
 */
outcome: string, 
/**
 * The batch stored (or found: the same file imported before).
 */
batch: number | null, file_name: string, format: string, 
/**
 * The file's columns, in order.
 */
columns: Array<string>, 
/**
 * The mapping used: every field of the kind.
 */
mapping: Array<FieldColumn>, 
/**
 * As read from the data or given (`null`: typed dates, or not known yet).
 */
date_order: Dates | null, 
/**
 * Examples of dates that could be day/month or month/day: the planner must say which
 * (nothing else is filled in then).
 */
ambiguous_dates: string | null, rows_read: number, rows: number, rows_stored: number, rows_skipped: number, unknown_skus: Array<string>, unknown_locations: Array<string>, unknown_categories: Array<string>, 
/**
 * Why the import would be refused (unknown codes and no choice made).
 */
refusal: string | null, created_skus: number, created_locations: number, 
/**
 * The first rows as they will be stored.
 */
preview_columns: Array<string>, preview: Array<Array<string>>, months_label: string, months: Array<MonthValue>, };

export type BatchView = { id: number, kind: string, file_name: string, rows_read: number, rows_stored: number, rows_skipped: number, actor: string, 
/**
 * UTC, `YYYY-MM-DD HH:MM:SS`.
 */
imported_at: string, };

export type UndoneView = { batch: BatchView, summary: string, };

export type ExportWhat = "history" | "forecast" | "plan" | "pos" | "audit";

export type ExportAs = "parquet" | "csv";

export type PromotionInput = { name: string, sku: string | null, category: string | null, location: string | null, start: string, end: string, discount_pct: number, };

export type PromotionView = { id: number, name: string, sku: string | null, variant_id: number | null, category: string | null, location: string | null, start: string, end: string, discount_pct: number, days: number, 
/**
 * The latest plan's forecast (units) over the promotion's days that fall in its horizon,
 * summed over the SKU×locations it covers; `None` before the first plan or when none of
 * its days is in the horizon.
 */
forecast_units: number | null, 
/**
 * How many of the promotion's days the latest plan's horizon covers.
 */
forecast_days: number, };

export type PromotionList = { promotions: Array<PromotionView>, 
/**
 * Every SKU code, the latest plan's biggest sellers first.
 */
skus: Array<string>, categories: Array<string>, locations: Array<string>, };

export type OverrideKind = "percent" | "daily_qty";

export type OverrideInput = { sku: string | null, category: string | null, location: string | null, start: string, end: string, kind: OverrideKind, value: number, reason: string, };

export type OverrideView = { id: number, sku: string | null, variant_id: number | null, category: string | null, location: string | null, start: string, end: string, days: number, kind: OverrideKind, value: number, reason: string, 
/**
 * The rationale line the plan writes for it ("forecast raised 30% Mar 1–31 by the
 * planner: influencer campaign").
 */
summary: string, created_at: string, created_by: string, };

export type OverrideList = { overrides: Array<OverrideView>, skus: Array<string>, categories: Array<string>, locations: Array<string>, };

export type Scheduler = "systemd" | "launchd" | "task_scheduler";

export type ScheduleFile = { path: string, content: string, };

export type SchedulePlan = { scheduler: Scheduler, 
/**
 * `HH:MM`, local time (empty when removing).
 */
at: string, files: Array<ScheduleFile>, 
/**
 * The commands that register it with the scheduler, in order.
 */
commands: Array<string>, };

export type ScheduleOutcome = { plan: SchedulePlan, 
/**
 * False for a dry run.
 */
applied: boolean, 
/**
 * Each command run and how it went, or why it was not run.
 */
notes: Array<string>, };

export type ScheduleStatus = { scheduler: Scheduler, installed: boolean, 
/**
 * The files that are there, with their content.
 */
files: Array<ScheduleFile>, };

export type Money = { currency: string, amount: number, };

export type Converted = { 
/**
 * The merchant's currency.
 */
currency: string, amount: number, 
/**
 * The rates used (currency → merchant-currency units per unit), by currency code.
 */
rates: Array<Money>, 
/**
 * In words: "≈ 1,234.00 EUR at rates you entered: USD 0.92".
 */
note: string, };

export type ExchangeRate = { 
/**
 * ISO 4217 code of the foreign currency.
 */
currency: string, 
/**
 * Units of the merchant's currency per 1 unit of `currency`.
 */
rate: number, updated_at: string, updated_by: string, };

export type RatesView = { merchant_currency: string, 
/**
 * By currency code.
 */
rates: Array<ExchangeRate>, 
/**
 * Currencies suppliers invoice in that have no rate entered, by code: their lines need
 * approval whatever their value (it cannot be compared with the threshold).
 */
missing: Array<string>, };

export type TurnsFigure = { currency: string, 
/**
 * Units sold in the window × unit cost.
 */
cogs: number, 
/**
 * Mean over the window's days of the end-of-day stock × unit cost.
 */
average_inventory_value: number, 
/**
 * `cogs / average_inventory_value`; `None` without inventory.
 */
turns: number | null, };

export type CoverFigure = { currency: string, inventory_value: number, daily_demand_value: number, 
/**
 * `None` without demand.
 */
days: number | null, };

export type WeekFigure = { 
/**
 * The Monday starting the week.
 */
week_start: string, 
/**
 * SKU×location-days in stock / counted (lines that sold in the window, known stock).
 */
in_stock_days: number, counted_days: number, 
/**
 * `in_stock_days / counted_days`; `None` when nothing was counted.
 */
service_level: number | null, 
/**
 * Mean end-of-day inventory value over the week's days, per currency.
 */
inventory_value: Array<Money>, };

export type KpiReport = { 
/**
 * The last day of the data; `None` without any history.
 */
as_of: string | null, window_start: string | null, window_days: number, 
/**
 * On hand on `as_of` × unit cost.
 */
inventory_value: Array<Money>, turns: Array<TurnsFigure>, days_of_cover: Array<CoverFigure>, 
/**
 * SKU×location-days in the window that ended with nothing on hand, and on how many lines.
 */
stockout_days: number, stockout_lines: number, 
/**
 * Estimated units and sales (at the day's selling price, merchant currency) lost on them.
 */
lost_units: number, lost_sales: Array<Money>, 
/**
 * Whether a plan backs the excess figure (it needs each line's order-up-to level).
 */
plan_available: boolean, excess_value: Array<Money>, 
/**
 * The allowance above order-up-to before stock counts as excess, in days of demand.
 */
excess_allowance_days: number, dead_stock_value: Array<Money>, dead_stock_days: number, 
/**
 * In-stock rate over the whole window (same definition as the weeks').
 */
service_level: number | null, weeks: Array<WeekFigure>, 
/**
 * Lines with stock but no unit cost: left out of every value.
 */
unvalued_lines: number, };

export type Kpi = "inventory_value" | "turns" | "days_of_cover" | "stockouts" | "excess_stock" | "dead_stock" | "service_level";

export type KpiLine = { variant_id: number, location_id: number, sku: string, location: string, currency: string | null, quantity: number, value: number, ratio: number | null, detail: string, };

export type KpiDetail = { kpi: Kpi, title: string, 
/**
 * How the figure is computed, in words.
 */
method: string, quantity_label: string, value_label: string, ratio_label: string | null, lines: Array<KpiLine>, };

export type PriceBreakView = { min_qty: number, discount_pct: number, };

export type SupplierView = { id: number, name: string, currency: string, lead_time_mean_days: number, lead_time_sd_days: number, moq: number, case_pack: number, price_breaks: Array<PriceBreakView>, email: string | null, notes: string, 
/**
 * SKUs this supplier is the primary source of.
 */
primary_skus: number, };

export type SupplierForm = { name: string, currency: string, lead_time_mean_days: number, lead_time_sd_days: number, moq: number, case_pack: number, email: string | null, notes: string, };

export type SupplierEdit = { id: number, name: string, currency: string, lead_time_mean_days: number, lead_time_sd_days: number, moq: number, case_pack: number, email: string | null, notes: string, reason: string, };

export type MergeForm = { from: number, into: number, reason: string, };

export type MergedView = { from: string, into: string, links_moved: number, links_dropped: number, purchase_orders: number, };

export type DeletedView = { name: string, skus_without_supplier: Array<string>, };

export type AssignForm = { supplier_id: number, vendor: string | null, category: string | null, search: string | null, skus: Array<string>, unlinked_only: boolean, supplier_sku: string | null, unit_cost: number | null, moq: number | null, case_pack: number | null, lead_time_days: number | null, };

export type AssignedView = { supplier: string, skus: Array<string>, 
/**
 * Links created, and existing links whose terms changed.
 */
linked: number, updated: number, };

export type SuggestionView = { name: string, 
/**
 * The existing supplier of that name, else `null`: one would be created.
 */
existing_supplier_id: number | null, skus: Array<string>, with_cost: number, };

export type AcceptForm = { 
/**
 * Vendor names to accept (without case); empty: all of them.
 */
names: Array<string>, 
/**
 * New suppliers' currency; `None`: the merchant's (the synced costs are in it).
 */
currency: string | null, 
/**
 * New suppliers' lead time in days; `None`: the plan settings' default lead time.
 */
lead_time_days: number | null, };

export type AcceptedView = { 
/**
 * Suppliers created, and SKUs linked (to new or existing suppliers).
 */
created: Array<string>, linked: number, };

export type RowErrorView = { line: number, reason: string, };

export type CatalogImportView = { rows: number, new_suppliers: Array<string>, new_links: number, changed_links: number, unchanged: number, errors: Array<RowErrorView>, written: boolean, };

export type AlertKind = "stockout_risk" | "sales_spike" | "sales_drop" | "inventory_drift" | "forecast_accuracy" | "po_overdue" | "needs_supplier" | "excess";

export type Severity = "high" | "medium" | "low";

export type Alert = { kind: AlertKind, severity: Severity, variant_id: number | null, sku: string | null, location_id: number | null, location: string | null, 
/**
 * Our purchase order, when the alert is about one.
 */
po_id: number | null, 
/**
 * The order reference (our PO number or the supplier order's reference).
 */
reference: string, 
/**
 * One line a planner scans.
 */
title: string, 
/**
 * The numbers behind it, in words.
 */
evidence: string, 
/**
 * What to do about it.
 */
action: string, 
/**
 * Money at stake in the merchant's currency: the ranking key within a severity.
 */
score: number, 
/**
 * The evidence as numbers.
 */
data: unknown, };

export type StoredAlert = { id: number, rank: number, kind: AlertKind, severity: Severity, variant_id: number | null, sku: string | null, location_id: number | null, location: string | null, 
/**
 * Our purchase order, when the alert is about one.
 */
po_id: number | null, 
/**
 * The order reference (our PO number or the supplier order's reference).
 */
reference: string, 
/**
 * One line a planner scans.
 */
title: string, 
/**
 * The numbers behind it, in words.
 */
evidence: string, 
/**
 * What to do about it.
 */
action: string, 
/**
 * Money at stake in the merchant's currency: the ranking key within a severity.
 */
score: number, 
/**
 * The evidence as numbers.
 */
data: unknown, };

export type AlertStats = { 
/**
 * Candidates found per kind, before deduplication and caps.
 */
found: { [key in string]: number }, total_found: number, 
/**
 * Alerts kept, and how many of each severity.
 */
kept: number, high: number, medium: number, low: number, };

export type MuteAction = "snooze" | "dismiss";

export type Mute = { id: number, action: MuteAction, until: string | null, reason: string, at: string, actor: string, };

export type ExceptionFilter = { kind: AlertKind | null, supplier: string | null, location: string | null, category: string | null, 
/**
 * Show snoozed and dismissed alerts too (with their mute).
 */
include_muted: boolean, };

export type Exception = { kind_label: string, supplier: string | null, category: string | null, 
/**
 * The plan line's review state and quantity to order, when the alert is about one line.
 */
line_status: LineStatus | null, line_qty: number | null, 
/**
 * Set when the alert is snoozed or dismissed (only listed with `include_muted`).
 */
muted: Mute | null, id: number, rank: number, kind: AlertKind, severity: Severity, variant_id: number | null, sku: string | null, location_id: number | null, location: string | null, 
/**
 * Our purchase order, when the alert is about one.
 */
po_id: number | null, 
/**
 * The order reference (our PO number or the supplier order's reference).
 */
reference: string, 
/**
 * One line a planner scans.
 */
title: string, 
/**
 * The numbers behind it, in words.
 */
evidence: string, 
/**
 * What to do about it.
 */
action: string, 
/**
 * Money at stake in the merchant's currency: the ranking key within a severity.
 */
score: number, 
/**
 * The evidence as numbers.
 */
data: unknown, };

export type ExceptionList = { plan_run_id: number | null, today: string | null, 
/**
 * Counts of the alerts run (found per kind, kept, per severity).
 */
stats: AlertStats, exceptions: Array<Exception>, 
/**
 * Alerts of the run hidden by a snooze or dismissal.
 */
hidden: number, 
/**
 * What the filters offer (from the whole list, before filtering).
 */
kinds: Array<AlertKind>, suppliers: Array<string>, locations: Array<string>, categories: Array<string>, 
/**
 * What "the inputs changed materially" means ([`crate::material::rule`]).
 */
material_rule: string, };

export type Exclusion = "above_value_threshold" | "override_beyond_change_limit" | "already_decided" | "ordered" | "needs_supplier" | "no_exchange_rate";

export type CurrencyValue = { currency: string, lines: number, value: number, };

export type Excluded = { reason: Exclusion, label: string, lines: number, };

export type ApprovalPreview = { lines: number, units: number, 
/**
 * Value per currency (suppliers price in their own currency; values are never summed
 * across currencies).
 */
value: Array<CurrencyValue>, excluded: Array<Excluded>, 
/**
 * The review thresholds applied (from the planning settings).
 */
value_threshold: number, change_pct: number, };

export type LastAction = { 
/**
 * Lines the action changed (an approve-all is one action over many lines).
 */
lines: number, at: string, };

export type TransferStatus = "proposed" | "approved" | "rejected" | "exported";

export type TransferLine = { id: number, variant_id: number, sku: string, title: string, from_location_id: number, from_location: string, to_location_id: number, to_location: string, quantity: number, reason: string, status: TransferStatus, };

export type PoReceipt = { po_id: number, variant_id: number, sku: string, quantity: number, received_date: string, recorded_at: string, };

export type SupplierPerformance = { supplier_id: number, supplier: string, 
/**
 * The lead time the supplier states (its setting).
 */
stated_days: number, 
/**
 * Received lines observed.
 */
deliveries: number, 
/**
 * The lead time the plan uses: learned from receipts once there are enough, else stated.
 */
lead_time_days: number, lead_time_sd_days: number, learned: boolean, 
/**
 * Share of received lines that arrived on or before their expected date (None: none yet).
 */
on_time_pct: number | null, 
/**
 * Mean days late of the lines that arrived late.
 */
mean_days_late: number | null, last_received: string | null, };

export type SupplierReport = { until: string, 
/**
 * Observations needed before the learned lead time replaces the stated one.
 */
min_receipts: number, suppliers: Array<SupplierPerformance>, };

export type WritebackField = { key: string, 
/**
 * The Shopify metafield type (`number_decimal`, `json`); BigCommerce stores text.
 */
kind: string, value: string, 
/**
 * What was last written to this store for this SKU and key (None: never).
 */
last_written: string | null, };

export type WritebackSku = { variant_id: number, sku: string, 
/**
 * The remote owner: a ProductVariant gid (Shopify), `product_id/variant_id` (BigCommerce).
 */
owner: string, 
/**
 * Expected units over the horizon, all locations, and its p10–p90 interval.
 */
units: number, p10: number, p90: number, locations: number, fields: Array<WritebackField>, };

export type WritebackBatch = { id: number, content_hash: string, 
/**
 * Values (SKU × key) in the batch.
 */
lines: number, skipped: number, approved_by: string, approved_at: string, 
/**
 * `approved`, `pushed` or `partial` (some values failed; a push retries them).
 */
status: string, pushed_at: string | null, plan_run_id: number | null, };

export type WritebackPreview = { store_id: number, store: string, platform: string, plan_run_id: number | null, 
/**
 * The first and last day the forecast covers.
 */
from: string | null, to: string | null, skus: Array<WritebackSku>, 
/**
 * SKUs in the plan that were not synced from this store (imported, demo, another store).
 */
skipped_not_synced: number, 
/**
 * SKUs synced from this store with no line in the latest plan.
 */
synced_without_forecast: number, 
/**
 * Values that differ from what was last written (what a push would send).
 */
to_write: number, 
/**
 * SHA-256 of the content (store, and per value: SKU, owner, key, type, value).
 */
content_hash: string, 
/**
 * The store's current approved batch, and whether it is this very content.
 */
batch: WritebackBatch | null, batch_matches: boolean, };

export type WritebackError = { sku: string, key: string, error: string, };

export type WritebackPushReport = { batch_id: number, store: string, 
/**
 * Values sent and accepted.
 */
written: number, 
/**
 * Values already on the store as last written (not sent).
 */
unchanged: number, failed: Array<WritebackError>, 
/**
 * `pushed` or `partial`.
 */
status: string, };
