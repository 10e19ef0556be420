import type { LineFlag, PlannerRow } from './bindings';

/** Compile-time exhaustiveness: a flag added or renamed in Rust breaks the build here. */
function unreachable(x: never): never {
  throw new Error(`unknown line flag ${String(x)}`);
}

/** The words a planner reads for each flag the plan library sets on a line. */
export const flagLabel: Record<LineFlag, string> = {
  needs_approval: 'needs approval',
  stockout_risk: 'stockout risk',
  excess: 'excess',
  locked: 'locked',
  needs_supplier: 'needs a supplier',
};

export interface Kpis {
  linesToOrder: number;
  orderValue: number;
  needsApproval: number;
  stockoutRisk: number;
  outOfStock: number;
  excessLines: number;
  /** Lines with demand to order but no supplier: they order nothing until one is linked. */
  needsSupplier: number;
}

/** Headline numbers of the plan for the Overview, summed from the planner lines. */
export function kpis(rows: readonly PlannerRow[]): Kpis {
  const k: Kpis = { linesToOrder: 0, orderValue: 0, needsApproval: 0, stockoutRisk: 0, outOfStock: 0, excessLines: 0, needsSupplier: 0 };
  for (const r of rows) {
    const qty = r.override_qty ?? r.recommended_qty ?? 0;
    if (qty > 0) {
      k.linesToOrder++;
      k.orderValue += qty * (r.cost ?? 0);
    }
    if (r.on_hand <= 0) k.outOfStock++;
    for (const flag of r.alerts) {
      switch (flag) {
        case 'needs_approval': k.needsApproval++; break;
        case 'stockout_risk': k.stockoutRisk++; break;
        case 'excess': k.excessLines++; break;
        case 'locked': break;
        case 'needs_supplier': k.needsSupplier++; break;
        default: unreachable(flag);
      }
    }
  }
  return k;
}
