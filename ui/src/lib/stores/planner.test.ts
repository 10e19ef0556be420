import { describe, expect, it } from 'vitest';
import { mockIPC } from '@tauri-apps/api/mocks';
import { PlannerStore, WINDOW } from './planner.svelte';
import { plannerPage, plannerRows } from '../../test/fixtures';
import type { PlannerQuery } from '../bindings';

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('PlannerStore', () => {
  it('holds one window of 20,000 lines and fetches the others as the viewport reaches them', async () => {
    const rows = plannerRows(20_000);
    const asked: PlannerQuery[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== 'planner_page') throw new Error(cmd);
      const q = (args as { query: PlannerQuery }).query;
      asked.push(q);
      return plannerPage(rows, null, q);
    });
    const p = new PlannerStore();
    await p.load({ fromTop: true });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ offset: 0, limit: WINDOW, sort: 'sku', dir: 'asc', search: '' });
    expect([p.matched, p.total]).toEqual([20_000, 20_000]);
    expect(p.items).toHaveLength(20_000);
    expect(p.items.filter((i) => i.kind === 'row')).toHaveLength(WINDOW);
    expect(p.items[WINDOW]).toEqual({ kind: 'pending', index: WINDOW });
    expect(p.locations).toEqual(['RET', 'WH1', 'WH2']);

    // Scrolling to the middle fetches the window there, once.
    p.show(10_010, 10_040);
    p.show(10_012, 10_042);
    await settle();
    expect(asked.slice(1).map((q) => q.offset)).toEqual([10_000]);
    const mid = p.items[10_010];
    expect(mid?.kind === 'row' && mid.row.sku).toBe('SKU-10010');

    // A change of view goes to the library and starts from the top.
    p.location = 'WH2';
    p.toggleSort('on_hand');
    p.toggleSort('on_hand');
    await p.load({ fromTop: true });
    expect(asked.at(-1)).toMatchObject({ location: 'WH2', sort: 'on_hand', dir: 'desc', offset: 0 });
    expect(p.matched).toBe(6_667);
    expect(p.items.every((i) => i.kind !== 'row' || i.row.location === 'WH2')).toBe(true);
  });

  it('drops a window of an older view that arrives after a newer one', async () => {
    const rows = plannerRows(50);
    let release: () => void = () => {};
    const slow = new Promise<void>((r) => (release = r));
    mockIPC(async (cmd, args) => {
      const q = (args as { query: PlannerQuery }).query;
      if (!q.location) await slow;
      return plannerPage(rows, null, q);
    });
    const p = new PlannerStore();
    const old = p.load({ fromTop: true });
    expect(p.stale).toBe(true); // the old view's items are not to be acted on
    p.location = 'RET';
    await p.load({ fromTop: true });
    expect(p.stale).toBe(false);
    release();
    await old;
    expect(p.matched).toBe(16);
    expect(p.items.every((i) => i.kind === 'row' && i.row.location === 'RET')).toBe(true);
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
