import type { LineFlag } from './bindings';

// The Overview's headline numbers are summed in the library (`PlannerTotals`).

/** The words a planner reads for each flag the plan library sets on a line. */
export const flagLabel: Record<LineFlag, string> = {
  needs_approval: 'needs approval',
  stockout_risk: 'stockout risk',
  excess: 'excess',
  locked: 'locked',
  needs_supplier: 'needs a supplier',
};
