import { describe, expect, it } from 'vitest';
import { mockIPC } from '@tauri-apps/api/mocks';
import { PlannerStore } from './planner.svelte';
import { plannerRows } from '../../test/fixtures';

describe('PlannerStore', () => {
  it('loads 20,000 rows and filters, sorts and groups them', async () => {
    const rows = plannerRows(20_000);
    mockIPC((cmd) => (cmd === 'planner_rows' ? { rows, plan_run: null } : null));
    const p = new PlannerStore();
    await p.load();
    expect(p.rows).toHaveLength(20_000);
    expect(p.items).toHaveLength(20_000);
    expect(p.locations).toEqual(['RET', 'WH1', 'WH2']);

    p.location = 'WH2';
    expect(p.filtered.every((r) => r.location === 'WH2')).toBe(true);
    p.location = '';
    p.search = 'sku-00042';
    expect(p.filtered.map((r) => r.sku)).toEqual(['SKU-00042']);
    p.search = '';

    p.toggleSort('on_hand');
    const first = p.items[0];
    expect(first?.kind === 'row' && first.row.on_hand).toBe(0);
    p.toggleSort('on_hand');
    expect(p.sort.dir).toBe('desc');

    p.groupBySupplier = true;
    const groups = p.items.filter((i) => i.kind === 'group');
    expect(groups.map((g) => g.kind === 'group' && g.key)).toEqual(['Alpine', 'Birch', 'Cedar', '—']);
    expect(p.items).toHaveLength(20_000 + groups.length);
  });

  it('keeps the error when loading fails', async () => {
    mockIPC(() => {
      throw { code: 'database', message: 'cannot open' };
    });
    const p = new PlannerStore();
    await p.load();
    expect(p.error?.code).toBe('database');
  });
});
