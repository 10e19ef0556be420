import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import Accuracy from './Accuracy.svelte';
import { nav } from '../lib/stores/nav.svelte';
import type { AccuracyBy, AccuracyReport, AccuracyRow } from '../lib/bindings';

const row = (key: string, wape: number | null, ids: [number, number] | null): AccuracyRow => ({
  key,
  variant_id: ids?.[0] ?? null,
  location_id: ids?.[1] ?? null,
  series: 1,
  days: 14,
  actual: 20,
  forecast: 22,
  wape,
  bias: 0.1,
  mase: 0.8,
  coverage: 0.75,
});

function report(by: AccuracyBy): AccuracyReport {
  const rows =
    by === 'sku'
      ? [row('TEE-1 · WH1', 0.2, [1, 1]), row('TEE-2 · WH1', 0.6, [2, 1]), row('CAP-1 · RET', null, [3, 2])]
      : [row('Hats', 0.3, null), row('Tees', 0.4, null)];
  return {
    by,
    runs: [
      { id: 7, started_at: '2026-12-01 10:00', as_of: '2026-10-17', days: 28 },
      { id: 8, started_at: '2026-12-01 10:05', as_of: '2026-10-31', days: 0 },
    ],
    actuals_to: '2026-10-31',
    rows,
    total: { ...row('Total', 0.35, null), series: 3, days: 42 },
    method: 'WAPE = Σ|forecast − actual| / Σ actual',
  };
}

describe('Accuracy screen', () => {
  it('shows the totals and runs, regroups in the library and opens a SKU from its row', async () => {
    const asked: { by: AccuracyBy; runs: number }[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== 'forecast_accuracy') throw new Error(cmd);
      const a = args as { by: AccuracyBy; runs: number };
      asked.push(a);
      return report(a.by);
    });
    render(Accuracy);
    expect(await screen.findByTestId('accuracy-total')).toHaveTextContent('WAPE35.0%');
    expect(screen.getByTestId('accuracy-runs')).toHaveTextContent('none of its days has happened yet');
    expect(asked[0]).toEqual({ by: 'sku', runs: 3 });

    // Sorting by WAPE, worst first; a row without a WAPE stays last.
    const header = screen.getByRole('button', { name: 'WAPE' });
    await fireEvent.click(header);
    await fireEvent.click(screen.getByRole('button', { name: /WAPE/ }));
    const keys = () => [...document.querySelectorAll('[data-row-key]')].map((r) => r.getAttribute('data-row-key'));
    expect(keys()).toEqual(['TEE-2 · WH1', 'TEE-1 · WH1', 'CAP-1 · RET']);

    await fireEvent.click(screen.getByRole('button', { name: 'TEE-2 · WH1' }));
    expect(nav.screen).toBe('sku');
    expect(nav.sku).toEqual({ variantId: 2, locationId: 1 });

    nav.go('accuracy');
    await fireEvent.change(screen.getByLabelText('Group by'), { target: { value: 'category' } });
    await waitFor(() => expect(screen.getByTestId('accuracy-count')).toHaveTextContent('2 groups'));
    expect(asked.at(-1)).toEqual({ by: 'category', runs: 3 });
    expect(screen.queryByRole('button', { name: 'Tees' })).toBeNull(); // no SKU to open
  });

  it('says how to make a run when none is stored', async () => {
    mockIPC(() => ({ ...report('sku'), runs: [], rows: [] }));
    render(Accuracy);
    expect(await screen.findByRole('note')).toHaveTextContent('No forecast run is stored yet');
  });
});
