import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import Kpis from './Kpis.svelte';
import Scenarios from './Scenarios.svelte';
import type { ChangeInput, Comparison, KpiDetail, KpiReport, ScenarioColumn, ScenarioView } from '../lib/bindings';

/** The cells of the row whose first cell reads `first`. */
function cells(table: HTMLElement, first: string): string[] {
  const row = within(table)
    .getAllByRole('row')
    .find((r) => r.querySelector('td')?.textContent?.trim() === first);
  if (!row) throw new Error(`no row ${first}`);
  return [...row.querySelectorAll('td')].map((c) => c.textContent?.trim() ?? '');
}

const report: KpiReport = {
  as_of: '2025-01-20',
  window_start: '2024-10-01',
  window_days: 112,
  inventory_value: [{ currency: 'USD', amount: 23 }],
  turns: [{ currency: 'USD', cogs: 68, average_inventory_value: 33.36, turns: 2.04 }],
  days_of_cover: [{ currency: 'USD', inventory_value: 23, daily_demand_value: 0.64, days: 35.7 }],
  stockout_days: 5,
  stockout_lines: 1,
  lost_units: 4,
  lost_sales: [{ currency: 'USD', amount: 40 }],
  plan_available: false,
  excess_value: [],
  excess_allowance_days: 60,
  dead_stock_value: [{ currency: 'USD', amount: 15 }],
  dead_stock_days: 90,
  service_level: 0.985,
  weeks: [
    { week_start: '2024-09-30', in_stock_days: 18, counted_days: 18, service_level: 1, inventory_value: [{ currency: 'USD', amount: 35 }] },
    { week_start: '2024-10-07', in_stock_days: 17, counted_days: 21, service_level: 0.81, inventory_value: [{ currency: 'USD', amount: 23 }] },
  ],
  unvalued_lines: 1,
};

const deadLines: KpiDetail = {
  kpi: 'dead_stock',
  title: 'Dead stock value',
  method: 'Stock on hand with no sale in the last 90 days × unit cost.',
  quantity_label: 'on hand',
  value_label: 'value',
  ratio_label: null,
  lines: [{ variant_id: 2, location_id: 1, sku: 'B', location: 'WH', currency: 'USD', quantity: 3, value: 15, ratio: null, detail: 'last sale 2024-10-06' }],
};

describe('KPIs screen', () => {
  it('shows the figures and a chart, and a clicked figure lists its lines', async () => {
    const asked: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'kpi_report') return report;
      if (cmd === 'kpi_lines') {
        asked.push((args as { kpi: string }).kpi);
        return deadLines;
      }
      throw new Error(cmd);
    });
    render(Kpis);
    const card = await screen.findByRole('button', { name: /Dead stock/ });
    expect(card).toHaveTextContent('$15');
    expect(screen.getByRole('button', { name: /Service level/ })).toHaveTextContent('98.5%');
    expect(screen.getByRole('button', { name: /Excess stock/ })).toHaveTextContent('needs a plan');
    expect(screen.getByRole('img', { name: 'In-stock rate per week' }).querySelector('path')?.getAttribute('d')).toMatch(/^M0\.0,0\.0L/);
    await fireEvent.click(card);
    const table = await screen.findByRole('table', { name: 'Lines behind Dead stock value' });
    expect(asked).toEqual(['dead_stock']);
    expect(cells(table, 'B')).toEqual(['B', 'WH', '3.0', '$15', 'last sale 2024-10-06']);
  });
});

const col = (name: string, id: number | null, units: number, supplierValue: number): ScenarioColumn => ({
  scenario_id: id,
  name,
  changes: id === null ? 0 : 2,
  order_value: [{ currency: 'USD', amount: supplierValue }],
  units,
  lines_to_order: 3,
  stockout_risk_lines: 1,
  expected_fill_rate: 0.95,
  target_service_level: 0.96,
  capital_tied_up: [{ currency: 'USD', amount: 1000 }],
  lines_changed: 0,
  suppliers: [{ supplier: 'Acme', currency: 'USD', order_value: supplierValue, units, lines: 3 }],
});

describe('Scenarios screen', () => {
  it('creates a scenario of several changes and compares two side by side', async () => {
    const created: ChangeInput[][] = [];
    let compared: number[] = [];
    let list: ScenarioView[] = [
      { id: 1, name: 'Quiet', status: 'draft', changes: [] },
    ];
    mockIPC((cmd, args) => {
      if (cmd === 'list_scenarios') return list;
      if (cmd === 'list_suppliers') return [];
      if (cmd === 'create_scenario') {
        const a = args as { name: string; changes: ChangeInput[] };
        created.push(a.changes);
        const sc: ScenarioView = { id: 2, name: a.name, status: 'draft', changes: a.changes };
        list = [sc, ...list];
        const t = { name: a.name, order_value: [{ currency: 'USD', amount: 1 }], expected_fill_rate: 0.9, capital_tied_up: [{ currency: 'USD', amount: 1 }], stockout_risk_lines: 0, lines_changed: 1 };
        return [sc, { baseline: { ...t, name: 'baseline' }, scenario: t, changed: [] }];
      }
      if (cmd === 'compare_scenarios') {
        compared = (args as { ids: number[] }).ids;
        const c: Comparison = { columns: [col('baseline', null, 10, 100), col('Busy', 2, 14, 140), col('Quiet', 1, 7, 70)] };
        return c;
      }
      throw new Error(cmd);
    });
    render(Scenarios, { currency: 'USD' });
    await fireEvent.input(await screen.findByLabelText('Name'), { target: { value: 'Busy' } });
    await fireEvent.input(screen.getByLabelText('Factor'), { target: { value: '1.3' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add this change' }));
    await fireEvent.change(document.querySelector('select[name="scenario-kind"]') as HTMLSelectElement, { target: { value: 'service_level' } });
    await fireEvent.input(screen.getByLabelText('Service level'), { target: { value: '0.99' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add this change' }));
    expect(screen.getByRole('list', { name: 'Changes of the new scenario' }).children).toHaveLength(2);
    await fireEvent.click(screen.getByRole('button', { name: 'Create with 2 changes and compare' }));
    await screen.findByTestId('scenario-compare');
    expect(created).toHaveLength(1);
    expect(created[0]?.map((c) => c.kind)).toEqual(['demand_multiplier', 'service_level']);

    await fireEvent.click(await screen.findByRole('checkbox', { name: 'Compare Busy' }));
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Compare Quiet' }));
    await fireEvent.click(screen.getByRole('button', { name: /Compare side by side/ }));
    const table = await screen.findByRole('table', { name: 'Scenarios side by side' });
    expect(compared).toEqual([2, 1]);
    expect(cells(table, 'Units to order')).toEqual(['Units to order', '10', '14', '7']);
    expect(cells(table, 'Acme')).toEqual(['Acme', '$100 · 10 u', '$140 · 14 u', '$70 · 7 u']);
  });
});
