import { describe, expect, it } from 'vitest';
import { mockIPC } from '@tauri-apps/api/mocks';
import { RunStore } from './run.svelte';

describe('RunStore', () => {
  it('follows the streamed stages to a summary', () => {
    const r = new RunStore();
    r.apply({ event: 'skipped', stage: 'sync', reason: 'no store connected' });
    r.apply({ event: 'started', stage: 'plan' });
    expect(r.stages.plan.state).toBe('running');
    r.apply({ event: 'finished', stage: 'plan', elapsed_ms: 1500 });
    r.apply({ event: 'done', plan: { lines: 10, lines_to_order: 4, order_value: [{ currency: 'USD', amount: 99 }], order_value_converted: null, transfers: 0, forecast_failures: 0, excess_value: [] } });
    expect(r.stages.sync).toMatchObject({ state: 'skipped', note: 'no store connected' });
    expect(r.stages.plan).toMatchObject({ state: 'done', note: '1.5 s' });
    expect(r.summary?.lines_to_order).toBe(4);
  });

  it('marks unfinished stages cancelled', () => {
    const r = new RunStore();
    r.apply({ event: 'skipped', stage: 'sync', reason: 'x' });
    r.apply({ event: 'cancelled', after: 'sync' });
    expect(r.cancelled).toBe(true);
    expect(r.stages.plan.state).toBe('cancelled');
    expect(r.stages.sync.state).toBe('skipped');
  });

  it('reports a failed run and refreshes only after success', async () => {
    mockIPC((cmd) => {
      if (cmd === 'sync_and_run') throw { code: 'bad_input', message: 'no plan settings' };
      return null;
    });
    const r = new RunStore();
    let refreshed = false;
    await r.start(() => {
      refreshed = true;
    });
    expect(r.error?.message).toBe('no plan settings');
    expect(r.running).toBe(false);
    expect(refreshed).toBe(false);
  });
});

describe('RunStore sync stage', () => {
  it('counts streamed sync progress and keeps the per-store result', () => {
    const r = new RunStore();
    r.apply({ event: 'started', stage: 'sync' });
    r.apply({ event: 'progress', stage: 'sync', label: 'Shop: orders', done: 50, total: 100 });
    expect(r.stages.sync).toMatchObject({ state: 'running', note: 'Shop: orders', done: 50, total: 100 });
    r.apply({
      event: 'synced',
      stores: [{ store: 'Shop', ok: false, message: 'network problem', error_code: 'network', locations: 0, variants: 0, inventory_levels: 0, orders: 0, seconds: 0 }],
    });
    r.apply({ event: 'finished', stage: 'sync', elapsed_ms: 200 });
    expect(r.progressEvents.sync).toBe(1);
    expect(r.synced[0]?.error_code).toBe('network');
    expect(r.stages.sync.state).toBe('done');
  });
});
