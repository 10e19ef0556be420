import { describe, expect, it } from 'vitest';
import { kpis } from './kpis';
import { plannerRows } from '../test/fixtures';
import type { PlannerRow } from './bindings';

describe('kpis', () => {
  it('sums order value from overrides first and counts alerts', () => {
    const rows = plannerRows(3).map((r, i): PlannerRow => ({
      ...r,
      on_hand: i === 0 ? 0 : 5,
      cost: 2,
      recommended_qty: 10,
      override_qty: i === 1 ? 4 : null,
      alerts: i === 2 ? ['needs_approval', 'stockout_risk'] : [],
    }));
    expect(kpis(rows)).toEqual({ linesToOrder: 3, orderValue: 48, needsApproval: 1, stockoutRisk: 1, outOfStock: 1, excessLines: 0, needsSupplier: 0 });
  });
});
