// Generated from src-tauri/src/dto.rs by ts-rs. Do not edit by hand:
// UPDATE_BINDINGS=1 cargo test -p forestock-app bindings

export type ErrorCode = "not_found" | "bad_input" | "database" | "busy" | "cancelled" | "remote" | "internal";

export type ApiError = { code: ErrorCode, message: string, };

export type MerchantSummary = { name: string, currency: string, 
/**
 * The date the data is complete up to (the demo's "today"), ISO `YYYY-MM-DD`.
 */
as_of: string | null, is_demo: boolean, 
/**
 * Absolute path of the SQLite file.
 */
db_path: string, 
/**
 * True when this call created the demo merchant because no database existed.
 */
created_demo: boolean, skus: number, active_skus: number, products: number, locations: number, suppliers: number, stores: number, orders: number, order_lines: number, units_sold: number, promotions: number, first_order_date: string | null, last_order_date: string | null, last_sync: string | null, last_forecast_run: string | null, last_plan_run: string | null, };

export type OpenProgress = { "stage": "catalog" } | { "stage": "simulating", done: number, total: number, } | { "stage": "writing", done: number, total: number, };

export type PriceBreakView = { min_qty: number, discount_pct: number, };

export type SupplierView = { id: number, name: string, currency: string, lead_time_mean_days: number, lead_time_sd_days: number, moq: number, case_pack: number, price_breaks: Array<PriceBreakView>, email: string | null, notes: string, 
/**
 * SKUs this supplier is the primary source of.
 */
primary_skus: number, };

export type SupplierEdit = { id: number, name: string, currency: string, lead_time_mean_days: number, lead_time_sd_days: number, moq: number, case_pack: number, email: string | null, notes: string, reason: string, };

export type AuditQuery = { entity: string | null, entity_id: string | null, action: string | null, limit: number | null, };

export type AuditView = { id: number, at: string, actor: string, action: string, entity: string, entity_id: string, before: string | null, after: string | null, reason: string, };
