import type { PlannerRow } from './bindings';

export interface Kpis {
  linesToOrder: number;
  orderValue: number;
  needsApproval: number;
  stockoutRisk: number;
  outOfStock: number;
  excessLines: number;
}

/** Headline numbers of the plan for the Overview, summed from the planner lines. */
export function kpis(rows: readonly PlannerRow[]): Kpis {
  const k: Kpis = { linesToOrder: 0, orderValue: 0, needsApproval: 0, stockoutRisk: 0, outOfStock: 0, excessLines: 0 };
  for (const r of rows) {
    const qty = r.override_qty ?? r.recommended_qty ?? 0;
    if (qty > 0) {
      k.linesToOrder++;
      k.orderValue += qty * (r.cost ?? 0);
    }
    if (r.on_hand <= 0) k.outOfStock++;
    if (r.alerts.includes('needs approval')) k.needsApproval++;
    if (r.alerts.includes('stockout risk')) k.stockoutRisk++;
    if (r.alerts.includes('excess')) k.excessLines++;
  }
  return k;
}
