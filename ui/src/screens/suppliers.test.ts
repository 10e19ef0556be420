import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import Suppliers from './Suppliers.svelte';
import type { CatalogImportView, PlanSettingsForm, SettingsView, SupplierView } from '../lib/bindings';

const plan: PlanSettingsForm = {
  service_level_a: 0.97, service_level_b: 0.95, service_level_c: 0.9, fill_rate_floor: 0, stockout_day_worth: 0, forecast_runs_kept: 14, review_days: 7, horizon_days: 90,
  approval_value_threshold: 5000, approval_change_pct: 50, safety_stock_weekly_cap: 0.15, excess_cover_days: 60,
  slow_cover_days: 180, dead_after_days: 90, po_csv_columns: 'po_number,sku,quantity', po_csv_delimiter: ',',
};
const settings: SettingsView = { plan, data_folder: '/d', export_folder: '/e', export_without_dialog: false };
const acme: SupplierView = {
  id: 1, name: 'Acme', currency: 'USD', lead_time_mean_days: 14, lead_time_sd_days: 2, moq: 12, case_pack: 6,
  price_breaks: [], email: null, notes: '', primary_skus: 0,
};
const view = (over: Partial<CatalogImportView>): CatalogImportView => ({
  rows: 2, new_suppliers: [], new_links: 2, changed_links: 0, unchanged: 0, errors: [], written: false, ...over,
});
const HEADER = 'supplier,sku,supplier_sku,unit_cost,currency,moq,case_pack,lead_time_days\n';

function choose(csv: string) {
  const input = screen.getByLabelText('Catalog file') as HTMLInputElement;
  const file = new File([csv], 'catalog.csv', { type: 'text/csv' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  return fireEvent.change(input);
}

describe('Suppliers: catalog import', () => {
  it('previews a file with bad rows, names each line and offers no import', async () => {
    const calls: { csv: string; dryRun: boolean }[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_suppliers') return [acme];
      if (cmd === 'get_settings') return settings;
      if (cmd === 'list_rates') return { merchant_currency: 'USD', rates: [], missing: [] };
      if (cmd === 'import_supplier_catalog') {
        const a = args as { csv: string; dryRun: boolean };
        calls.push(a);
        return view({ errors: [{ line: 3, reason: 'MOQ -6 is negative' }, { line: 4, reason: 'unknown SKU "NOPE"' }] });
      }
      throw new Error(cmd);
    });
    render(Suppliers, { currency: 'USD' });
    await screen.findByRole('row', { name: /Acme/ });
    await choose(`${HEADER}Acme,MUG-1,,1,USD,12,6,14\nAcme,MUG-2,,1,USD,-6,6,14\nAcme,NOPE,,1,USD,12,6,14\n`);
    const bad = await screen.findByRole('list', { name: 'Bad rows' });
    expect(within(bad).getByText('line 3: MOQ -6 is negative')).toBeTruthy();
    expect(within(bad).getByText('line 4: unknown SKU "NOPE"')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Import / })).toBeNull();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.dryRun).toBe(true);
    expect(calls[0]?.csv.startsWith(HEADER)).toBe(true);
  });

  it('imports a clean file only after its preview', async () => {
    const dry: boolean[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_suppliers') return [acme];
      if (cmd === 'get_settings') return settings;
      if (cmd === 'list_rates') return { merchant_currency: 'USD', rates: [], missing: [] };
      if (cmd === 'import_supplier_catalog') {
        const a = args as { csv: string; dryRun: boolean };
        dry.push(a.dryRun);
        return view({ new_suppliers: ['Brio'], written: !a.dryRun });
      }
      throw new Error(cmd);
    });
    render(Suppliers, { currency: 'USD' });
    await screen.findByRole('row', { name: /Acme/ });
    await choose(`${HEADER}Brio,MUG-1,,1,USD,12,6,14\n`);
    const button = await screen.findByRole('button', { name: 'Import catalog.csv' });
    expect(screen.getByLabelText('Import preview').textContent).toContain('1 new suppliers (Brio)');
    await fireEvent.click(button);
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Imported catalog.csv: 1 new suppliers'));
    expect(dry).toEqual([true, false]);
  });
});
