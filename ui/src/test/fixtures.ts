import type { MerchantSummary } from '../lib/bindings';

export const summary: MerchantSummary = {
  name: 'Fernhill Outfitters',
  currency: 'USD',
  as_of: '2026-10-31',
  plans_as_of: '2026-10-31',
  plans_as_of_basis: "the merchant's as-of date",
  is_demo: true,
  db_path: '/tmp/demo.db',
  created_demo: false,
  skus: 800,
  active_skus: 760,
  products: 310,
  locations: 3,
  suppliers: 8,
  stores: 0,
  orders: 91234,
  order_lines: 150000,
  units_sold: 210000,
  promotions: 24,
  first_order_date: '2024-11-01',
  last_order_date: '2026-10-31',
  last_sync: null,
  last_forecast_run: null,
  last_plan_run: null,
};

import type { PlannerRow } from '../lib/bindings';

/** `n` deterministic planner rows across three locations and four suppliers (one missing). */
export function plannerRows(n: number): PlannerRow[] {
  const locs = ['WH1', 'WH2', 'RET'];
  const sups = ['Alpine', 'Birch', 'Cedar', null];
  return Array.from({ length: n }, (_, i) => ({
    variant_id: i + 1,
    location_id: (i % 3) + 1,
    sku: `SKU-${String(i).padStart(5, '0')}`,
    title: `Item ${i}`,
    category: i % 2 ? 'Apparel' : 'Home',
    location: locs[i % 3]!,
    supplier: sups[i % 4] ?? null,
    status: 'active',
    price: 20 + (i % 50),
    cost: 8 + (i % 20),
    currency: 'USD',
    on_hand: (i * 7919) % 300,
    incoming: i % 5 === 0 ? 24 : 0,
    abc: null,
    forecast_30d: null,
    days_of_cover: null,
    safety_stock: null,
    reorder_point: null,
    recommended_qty: null,
    override_qty: null,
    line_status: null,
    override_reason: null,
    alerts: [],
    model: null,
    rationale: [],
  }));
}

import type { PlannerPage, PlannerQuery } from '../lib/bindings';

/**
 * A stand-in for the shell's `planner_page` over `rows`: the window asked for, with the counts
 * (the search, filters and sort themselves are the library's, tested in Rust). Location and
 * "only to order" filter, so tests can see the view change.
 */
export function plannerPage(rows: PlannerRow[], planRun: string | null, q: PlannerQuery): PlannerPage {
  const kept = rows.filter(
    (r) => (!q.location || r.location === q.location) && (!q.only_to_order || (r.override_qty ?? r.recommended_qty ?? 0) > 0),
  );
  return {
    plan_run: planRun,
    total: rows.length,
    matched: kept.length,
    items_total: kept.length,
    offset: q.offset,
    items: kept.slice(q.offset, q.offset + q.limit).map((row) => ({ kind: 'row', row })),
    locations: [...new Set(rows.map((r) => r.location))].sort(),
    suppliers: [...new Set(rows.map((r) => r.supplier ?? '—'))].sort(),
    categories: [...new Set(rows.map((r) => r.category))].sort(),
    totals: { lines_to_order: 0, order_value: [], order_value_converted: null, needs_approval: 0, stockout_risk: 0, out_of_stock: 0, excess_lines: 0, needs_supplier: 0 },
  };
}
