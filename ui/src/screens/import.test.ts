import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import Import from './Import.svelte';
import type { BatchView, FileImport, FileRequest } from '../lib/bindings';

const mapping = [
  { field: 'sku', column: 'Artikel', required: true },
  { field: 'location', column: 'Filiale', required: false },
  { field: 'date', column: 'Datum', required: true },
  { field: 'units', column: 'Menge', required: true },
];
const base: FileImport = {
  kind: 'history', outcome: 'dry_run', batch: null, file_name: 'verkauf.csv', format: 'CSV (\';\'-separated, Latin-1)',
  columns: ['Artikel', 'Filiale', 'Datum', 'Menge'], mapping, date_order: null, ambiguous_dates: null, rows_read: 2,
  rows: 2, rows_stored: 0, rows_skipped: 0, unknown_skus: [], unknown_locations: [], unknown_categories: [],
  refusal: null, created_skus: 0, created_locations: 0, preview_columns: ['sku', 'location', 'date', 'units'],
  preview: [], months_label: 'units', months: [],
};
const batch: BatchView = {
  id: 4, kind: 'history', file_name: 'verkauf.csv', rows_read: 2, rows_stored: 2, rows_skipped: 0, actor: 'app:ana',
  imported_at: '2026-12-02 10:00:00',
};

describe('Import screen', () => {
  it('asks for the date order, previews rows and months, makes the planner choose for unknown SKUs, then imports', async () => {
    const requests: FileRequest[] = [];
    let batches: BatchView[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'import_batches') return batches;
      if (cmd === 'import_file') {
        const r = (args as { request: FileRequest }).request;
        requests.push(r);
        if (!r.date_order) return { ...base, ambiguous_dates: '01/02/2024, 02/02/2024' };
        const shown = {
          ...base, date_order: r.date_order, unknown_skus: ['A'],
          preview: [['A', 'WH', '2024-02-01', '3'], ['A', 'WH', '2024-02-02', '4']],
          months: [{ month: '2024-02', value: 7 }], rows_stored: r.unknown === 'skip' ? 0 : 2,
          rows_skipped: r.unknown === 'skip' ? 2 : 0,
        };
        if (r.dry_run) return shown;
        batches = [batch];
        return { ...shown, outcome: 'imported', batch: 4, rows_stored: 2 };
      }
      throw new Error(cmd);
    });
    render(Import);
    await screen.findByText('No imports yet.');
    await fireEvent.input(screen.getByLabelText('File'), { target: { value: '/data/verkauf.csv' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const order = await screen.findByLabelText('Date order');
    expect(screen.getByLabelText('Import preview').textContent).toContain('could be read two ways (e.g. 01/02/2024, 02/02/2024)');
    expect(screen.queryByRole('button', { name: /^Import / })).toBeNull();
    await fireEvent.change(order, { target: { value: 'dmy' } });

    const rows = await screen.findByRole('table', { name: 'First rows as stored' });
    expect(within(rows).getByText('2024-02-02')).toBeTruthy();
    const months = screen.getByRole('table', { name: 'Per month' });
    expect(within(months).getByRole('row', { name: /2024-02 7/ })).toBeTruthy();
    expect((screen.getByLabelText('Column for sku') as HTMLSelectElement).value).toBe('Artikel');
    expect(screen.getByLabelText('Unknown codes').textContent).toContain('SKUs not in the catalog: A');
    // Unknown SKUs: no import until the planner says create or skip.
    expect(screen.queryByRole('button', { name: 'Import verkauf.csv' })).toBeNull();
    await fireEvent.click(screen.getByLabelText('Create them'));
    await fireEvent.click(await screen.findByRole('button', { name: 'Import verkauf.csv' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toContain('Imported verkauf.csv as batch 4: 2 rows stored'),
    );
    expect(await screen.findByRole('button', { name: 'Undo batch 4' })).toBeTruthy();
    const last = requests[requests.length - 1];
    expect(last).toMatchObject({ dry_run: false, date_order: 'dmy', unknown: 'create', kind: 'history', path: '/data/verkauf.csv' });
    expect(last?.mapping.map((m) => m.column)).toEqual(['Artikel', 'Filiale', 'Datum', 'Menge']);
    // Many role queries over a large form: slow on a loaded machine, not stuck.
  }, 30000);

  it('changes a column of the mapping, undoes a batch and exports as CSV', async () => {
    const requests: FileRequest[] = [];
    let batches = [batch];
    const calls: string[] = [];
    mockIPC((cmd, args) => {
      calls.push(cmd);
      if (cmd === 'import_batches') return batches;
      if (cmd === 'undo_import_batch') {
        batches = [];
        return { batch, summary: `batch ${(args as { id: number }).id} (verkauf.csv) undone: removed 2 daily rows` };
      }
      if (cmd === 'export_data') {
        expect(args).toMatchObject({ what: 'plan', format: 'csv' });
        return { path: '/e/forestock-plan.csv', count: 12 };
      }
      if (cmd === 'import_file') {
        const r = (args as { request: FileRequest }).request;
        requests.push(r);
        return { ...base, kind: 'stock', date_order: 'ymd', mapping: r.mapping.length ? r.mapping : mapping };
      }
      throw new Error(cmd);
    });
    render(Import);
    await fireEvent.click(await screen.findByRole('button', { name: 'Undo batch 4' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('batch 4 (verkauf.csv) undone'));
    await screen.findByText('No imports yet.');

    await fireEvent.click(screen.getByLabelText('On-hand stock'));
    await fireEvent.input(screen.getByLabelText('File'), { target: { value: '/data/stock.csv' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    await fireEvent.change(await screen.findByLabelText('Column for location'), { target: { value: '' } });
    await waitFor(() => expect(requests).toHaveLength(2));
    expect(requests[1]?.kind).toBe('stock');
    expect(requests[1]?.mapping.find((m) => m.field === 'location')?.column).toBeNull();

    await fireEvent.change(screen.getByLabelText('What to export'), { target: { value: 'plan' } });
    await fireEvent.change(screen.getByLabelText('Export format'), { target: { value: 'csv' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Wrote 12 rows to /e/forestock-plan.csv'));
  }, 30000);
});
