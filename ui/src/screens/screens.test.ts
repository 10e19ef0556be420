import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import Suppliers from './Suppliers.svelte';
import Audit from './Audit.svelte';
import type { AuditQuery, AuditView, ChartModel, Granularity, PlanSettingsForm, PoActions, PoLineEdit, PoLineView, PoStatus, PoView, SkuDetail, ScheduleStatus, SettingsView, SupplierEdit, SupplierView } from '../lib/bindings';

const plan: PlanSettingsForm = {
  service_level_a: 0.97,
  service_level_b: 0.95,
  service_level_c: 0.9,
  fill_rate_floor: 0,
  stockout_day_worth: 0,
  forecast_runs_kept: 14,
  review_days: 7,
  horizon_days: 90,
  approval_value_threshold: 5000,
  approval_change_pct: 50,
  safety_stock_weekly_cap: 0.15,
  excess_cover_days: 60,
  slow_cover_days: 180,
  dead_after_days: 90,
  po_csv_columns: 'po_number,sku,quantity',
  po_csv_delimiter: ',',
};
const settingsView = (p: PlanSettingsForm = plan): SettingsView => ({
  plan: p,
  data_folder: '/home/ana/.local/share/forestock',
  export_folder: '/home/ana/Downloads/Forestock',
  export_without_dialog: false,
});

const nightlyOff: ScheduleStatus = { scheduler: 'systemd', installed: false, files: [] };

const supplier: SupplierView = {
  id: 3,
  name: 'Alpine Textiles',
  currency: 'EUR',
  lead_time_mean_days: 21,
  lead_time_sd_days: 4,
  moq: 48,
  case_pack: 12,
  price_breaks: [{ min_qty: 240, discount_pct: 5 }],
  email: null,
  notes: '',
  primary_skus: 97,
};

describe('Suppliers screen', () => {
  it('lists suppliers and saves an edit with its reason', async () => {
    const edits: SupplierEdit[] = [];
    let current = supplier;
    mockIPC((cmd, args) => {
      if (cmd === 'list_suppliers') return [current];
      if (cmd === 'get_settings') return settingsView();
      if (cmd === 'nightly_status') return nightlyOff;
      if (cmd === 'update_supplier') {
        const edit = (args as { edit: SupplierEdit }).edit;
        edits.push(edit);
        current = { ...current, lead_time_mean_days: edit.lead_time_mean_days };
        return current;
      }
      throw new Error(cmd);
    });
    render(Suppliers, { currency: 'USD' });
    const row = await screen.findByRole('row', { name: /Alpine Textiles/ });
    expect(within(row).getByText('21.0')).toBeInTheDocument();
    await fireEvent.click(screen.getByRole('button', { name: 'Edit Alpine Textiles' }));
    await fireEvent.input(screen.getByLabelText('Lead time, days'), { target: { value: '28' } });
    await fireEvent.input(screen.getByLabelText(/Reason for the change/), { target: { value: 'new port' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Alpine Textiles saved');
    expect(edits).toHaveLength(1);
    expect(edits[0]).toMatchObject({ id: 3, lead_time_mean_days: 28, reason: 'new port', currency: 'EUR' });
    expect(await screen.findByText('28.0')).toBeInTheDocument();
  });

  it('shows the library’s refusal and keeps the form open', async () => {
    mockIPC((cmd) => {
      if (cmd === 'list_suppliers') return [supplier];
      if (cmd === 'get_settings') return settingsView();
      if (cmd === 'nightly_status') return nightlyOff;
      throw { code: 'bad_input', message: 'invalid supplier: Alpine Textiles: MOQ 50 is not a multiple of the case pack 12' };
    });
    render(Suppliers, { currency: 'USD' });
    await fireEvent.click(await screen.findByRole('button', { name: 'Edit Alpine Textiles' }));
    await fireEvent.input(screen.getByLabelText(/Reason for the change/), { target: { value: 'x' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('not a multiple of the case pack');
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();
  });

  it('upper-cases the currency code as it is typed', async () => {
    const edits: SupplierEdit[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_suppliers') return [supplier];
      if (cmd === 'get_settings') return settingsView();
      if (cmd === 'nightly_status') return nightlyOff;
      if (cmd === 'update_supplier') {
        edits.push((args as { edit: SupplierEdit }).edit);
        return supplier;
      }
      throw new Error(cmd);
    });
    render(Suppliers, { currency: 'USD' });
    await fireEvent.click(await screen.findByRole('button', { name: 'Edit Alpine Textiles' }));
    await fireEvent.input(screen.getByLabelText('Currency'), { target: { value: 'gbp' } });
    await fireEvent.input(screen.getByLabelText(/Reason for the change/), { target: { value: 'invoiced in pounds' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText(/Alpine Textiles saved/);
    expect(edits[0]?.currency).toBe('GBP');
  });
});

describe('Planning settings', () => {
  it('shows service levels as percentages and saves them as shares', async () => {
    const saved: PlanSettingsForm[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_suppliers') return [supplier];
      if (cmd === 'get_settings') return settingsView();
      if (cmd === 'nightly_status') return nightlyOff;
      if (cmd === 'save_settings') {
        const form = (args as { form: PlanSettingsForm }).form;
        saved.push(form);
        return settingsView(form);
      }
      throw new Error(cmd);
    });
    render(Suppliers, { currency: 'USD' });
    const a = await screen.findByLabelText('Class A, %');
    expect(a).toHaveValue(97);
    expect(screen.getByLabelText('Safety stock may change at most, % per week')).toHaveValue(15);
    expect(screen.getByLabelText('Order value above, USD')).toHaveValue(5000);
    expect(screen.getByTestId('data-folder')).toHaveTextContent('/home/ana/.local/share/forestock');
    expect(screen.getByText(/ask where to save/)).toBeInTheDocument();
    await fireEvent.input(a, { target: { value: '98.5' } });
    await fireEvent.input(screen.getByLabelText('Forecast horizon, days'), { target: { value: '120' } });
    await fireEvent.input(screen.getByLabelText('Order value above, USD'), { target: { value: '2500' } });
    expect(screen.getByLabelText('Fill-rate floor, % (0 = off)')).toHaveValue(0);
    await fireEvent.input(screen.getByLabelText('Fill-rate floor, % (0 = off)'), { target: { value: '95' } });
    await fireEvent.input(screen.getByLabelText('Stockout day worth, unit-days of stock (0 = off)'), { target: { value: '750' } });
    expect(screen.getByLabelText('Forecast runs kept, as-of dates')).toHaveValue(14);
    await fireEvent.input(screen.getByLabelText('Forecast runs kept, as-of dates'), { target: { value: '30' } });
    expect(screen.getByLabelText(/^Columns/)).toHaveValue('po_number,sku,quantity');
    await fireEvent.input(screen.getByLabelText(/^Columns/), { target: { value: 'supplier_sku=Item No,quantity=Qty' } });
    await fireEvent.change(screen.getByLabelText('Delimiter'), { target: { value: ';' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByTestId('settings-saved')).toHaveTextContent('next plan uses them');
    expect(saved).toEqual([
      {
        ...plan,
        service_level_a: 0.985,
        horizon_days: 120,
        approval_value_threshold: 2500,
        fill_rate_floor: 0.95,
        stockout_day_worth: 750,
        forecast_runs_kept: 30,
        po_csv_columns: 'supplier_sku=Item No,quantity=Qty',
        po_csv_delimiter: ';',
      },
    ]);
  });

  it('shows the refusal of a bad value and keeps what was typed', async () => {
    mockIPC((cmd) => {
      if (cmd === 'list_suppliers') return [];
      if (cmd === 'get_settings') return settingsView();
      if (cmd === 'nightly_status') return nightlyOff;
      throw { code: 'bad_input', message: 'invalid settings: horizon_days must be 7–730 (got 2)' };
    });
    render(Suppliers, { currency: 'USD' });
    const h = await screen.findByLabelText('Forecast horizon, days');
    await fireEvent.input(h, { target: { value: '2' } });
    await fireEvent.submit(h.closest('form')!);
    expect(await screen.findByRole('alert')).toHaveTextContent('horizon_days must be 7–730');
    expect(screen.queryByTestId('settings-saved')).not.toBeInTheDocument();
    expect(h).toHaveValue(2);
  });
});

describe('Audit screen', () => {
  const entries: AuditView[] = [
    { id: 2, at: '2026-11-26 09:00:00', actor: 'ana', action: 'supplier.update', entity: 'supplier', entity_id: '3', what: 'Supplier Alpine Textiles', changes: [{ field: 'lead', before: '21', after: '28' }], before: '{"lead":21}', after: '{"lead":28}', reason: 'new port' },
    { id: 1, at: '2026-11-25 09:00:00', actor: 'ana', action: 'po.export', entity: 'purchase_order', entity_id: 'PO-1', what: 'PO PO-1 (Alpine Textiles)', changes: [], before: null, after: null, reason: 'weekly order' },
  ];

  it('names what each entry is about and the fields it changed', async () => {
    mockIPC((cmd) => (cmd === 'list_audit' ? entries : null));
    render(Audit);
    expect(await screen.findByText('Supplier Alpine Textiles')).toBeInTheDocument();
    expect(screen.getByText('PO PO-1 (Alpine Textiles)')).toBeInTheDocument();
    const row = screen.getByText('Supplier Alpine Textiles').closest('tr')!;
    expect(row).toHaveTextContent('lead 21 → 28');
    expect(row).not.toHaveTextContent('{"lead"');
    await fireEvent.input(screen.getByLabelText('Search'), { target: { value: 'alpine' } });
    expect(screen.getByText('new port')).toBeInTheDocument();
    expect(screen.getByText('weekly order')).toBeInTheDocument();
  });

  it('lists entries and filters them by search', async () => {
    mockIPC((cmd) => (cmd === 'list_audit' ? entries : null));
    render(Audit);
    expect(await screen.findByText('new port')).toBeInTheDocument();
    await fireEvent.input(screen.getByLabelText('Search'), { target: { value: 'weekly' } });
    expect(screen.queryByText('new port')).not.toBeInTheDocument();
    expect(screen.getByText('weekly order')).toBeInTheDocument();
  });

  it('exports the chosen kind to CSV and says where it went', async () => {
    const queries: AuditQuery[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_audit') return entries;
      if (cmd === 'export_audit') {
        queries.push((args as { query: AuditQuery }).query);
        return { path: '/home/ana/Downloads/Forestock/audit-log.csv', count: 1234 };
      }
      throw new Error(cmd);
    });
    render(Audit);
    await screen.findByText('new port');
    await fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'supplier' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByTestId('audit-exported')).toHaveTextContent(
      '1,234 entries exported to /home/ana/Downloads/Forestock/audit-log.csv',
    );
    expect(queries).toEqual([{ entity: 'supplier', entity_id: null, action: null, limit: null }]);
  });

  it('says nothing when the save dialog is cancelled, and shows an export error', async () => {
    let fail = false;
    mockIPC((cmd) => {
      if (cmd === 'list_audit') return entries;
      if (fail) throw { code: 'bad_input', message: 'cannot write /ro/audit.csv: Permission denied' };
      return { path: null, count: 0 };
    });
    render(Audit);
    await screen.findByText('new port');
    await fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Export CSV' })).toBeEnabled());
    expect(screen.queryByTestId('audit-exported')).not.toBeInTheDocument();
    fail = true;
    await fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Permission denied');
  });

  it('says so when the log is empty', async () => {
    mockIPC(() => []);
    render(Audit);
    await waitFor(() => expect(screen.getByTestId('audit-empty')).toHaveTextContent('No entries yet'));
  });
});

describe('Connect screen', () => {
  it('connects a store from the form and forgets the secret', async () => {
    const { default: Connect } = await import('./Connect.svelte');
    const forms: unknown[] = [];
    let stores: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_stores') return stores;
      if (cmd === 'connect_store') {
        forms.push((args as { form: unknown }).form);
        stores = [{ id: 4, platform: 'shopify', name: 'My shop', base_url: 'http://127.0.0.1:9', in_keychain: true, created_at: '2026-11-26 10:00' }];
        return stores[0];
      }
      if (cmd === 'open_merchant') throw { code: 'internal', message: 'not needed here' };
      throw new Error(cmd);
    });
    render(Connect, { currency: 'USD' });
    expect(await screen.findByTestId('no-stores')).toBeInTheDocument();
    await fireEvent.input(screen.getByLabelText('Store URL'), { target: { value: 'http://127.0.0.1:9' } });
    const token = screen.getByLabelText('Admin API access token') as HTMLInputElement;
    expect(token.type).toBe('password');
    await fireEvent.input(token, { target: { value: 'shpat_secret' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Connect Shopify' }));
    expect(await screen.findByRole('row', { name: /My shop/ })).toBeInTheDocument();
    expect(forms).toEqual([{ platform: 'shopify', name: null, url: 'http://127.0.0.1:9', token: 'shpat_secret' }]);
    expect(token.value).toBe('');
  });

  it('shows each platform’s own fields', async () => {
    const { default: Connect } = await import('./Connect.svelte');
    mockIPC(() => []);
    render(Connect, { currency: 'USD' });
    await fireEvent.click(screen.getByLabelText('NetSuite'));
    expect(screen.getByLabelText('Account ID')).toBeInTheDocument();
    expect(screen.getByLabelText('Token secret')).toHaveAttribute('type', 'password');
    expect(screen.queryByLabelText('Admin API access token')).toBeNull();
  });
});

describe('Purchase orders screen', () => {
  // What the backend sends with a PO in each state the tests use (PoStatus::actions in Rust).
  const actions: Partial<Record<PoStatus, PoActions>> = {
    draft: { approve: true, cancel: true, edit_lines: true, export: false, push: false, receive: false },
    approved: { approve: false, cancel: true, edit_lines: false, export: true, push: true, receive: false },
    exported: { approve: false, cancel: false, edit_lines: false, export: true, push: true, receive: true },
  };
  const inState = (status: PoStatus) => ({ status, actions: actions[status]! });

  it('pushes an approved PO to NetSuite and lists it in the outbox while offline', async () => {
    const { default: Orders } = await import('./Orders.svelte');
    const po = { id: 7, number: 'PO-0007', supplier: 'Alpine Textiles', location: 'Main', ...inState('approved'), currency: 'USD', order_date: '2026-11-26', expected_date: '2026-12-17', total: 480, lines: [], above_thresholds: [] };
    let outbox: unknown[] = [];
    const pushed: number[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_pos') return [po];
      if (cmd === 'list_outbox') return outbox;
      if (cmd === 'push_po') {
        pushed.push((args as { id: number }).id);
        // The backend names the external id (per-database); the screen shows it as given.
        outbox = [{ id: 1, store_id: 3, external_id: 'FCST-0a1b2c3d4e-PO-0007', po_id: 7, status: 'pending', attempts: 1, remote_id: null, last_error: 'NetSuite: network problem' }];
        return outbox;
      }
      throw new Error(cmd);
    });
    render(Orders);
    await fireEvent.click(await screen.findByRole('button', { name: 'Push to NetSuite' }));
    expect(await screen.findByTestId('po-note')).toHaveTextContent('PO-0007 is queued in the outbox');
    expect(pushed).toEqual([7]);
    const box = await screen.findByTestId('outbox');
    expect(within(box).getByText('FCST-0a1b2c3d4e-PO-0007')).toBeInTheDocument();
    expect(within(box).getByText('NetSuite: network problem')).toBeInTheDocument();
  });

  const draft = (lines: PoLineView[], above: string[] = []): PoView => ({
    id: 9,
    number: 'PO-0009',
    supplier: 'Alpine Textiles',
    location: 'Main',
    ...inState('draft'),
    currency: 'USD',
    order_date: '2026-11-26',
    expected_date: '2026-12-17',
    total: lines.reduce((t, l) => t + l.quantity * l.unit_cost, 0),
    lines,
    above_thresholds: above,
  });
  const tee: PoLineView = { variant_id: 11, sku: 'TEE-1', description: 'Tee', quantity: 48, unit_cost: 5, received_qty: 0 };
  const cap: PoLineView = { variant_id: 12, sku: 'CAP-1', description: 'Cap', quantity: 24, unit_cost: 8, received_qty: 0 };

  it('edits a draft line quantity and removes a line, each with a reason', async () => {
    const { default: Orders } = await import('./Orders.svelte');
    let current = draft([tee, cap]);
    const edits: PoLineEdit[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_pos') return [current];
      if (cmd === 'list_outbox') return [];
      if (cmd === 'edit_po_line') {
        const e = (args as { edit: PoLineEdit }).edit;
        edits.push(e);
        const lines = current.lines
          .filter((l) => e.quantity !== null || l.variant_id !== e.variant_id)
          .map((l) => (l.variant_id === e.variant_id && e.quantity !== null ? { ...l, quantity: e.quantity } : l));
        current = draft(lines);
        return current;
      }
      throw new Error(cmd);
    });
    render(Orders);
    await fireEvent.click(await screen.findByRole('button', { name: 'PO-0009' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Edit TEE-1' }));
    const form = screen.getByRole('form', { name: 'Edit TEE-1 on PO-0009' });
    await fireEvent.input(within(form).getByLabelText('Quantity'), { target: { value: '60' } });
    await fireEvent.input(within(form).getByLabelText(/Reason/), { target: { value: 'pallet of 60' } });
    await fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await screen.findByTestId('po-note')).toHaveTextContent('TEE-1 on PO-0009 set to 60.');
    await waitFor(() => expect(within(screen.getByRole('row', { name: /TEE-1/ })).getByText('60')).toBeInTheDocument());

    await fireEvent.click(screen.getByRole('button', { name: 'Edit CAP-1' }));
    const remove = screen.getByRole('button', { name: 'Remove line' });
    expect(remove).toBeDisabled(); // a reason first
    await fireEvent.input(screen.getByLabelText(/Reason/), { target: { value: 'discontinued' } });
    await fireEvent.click(remove);
    expect(await screen.findByTestId('po-note')).toHaveTextContent('CAP-1 removed from PO-0009.');
    await waitFor(() => expect(screen.queryByRole('row', { name: /CAP-1/ })).not.toBeInTheDocument());
    expect(edits).toEqual([
      { po_id: 9, variant_id: 11, quantity: 60, reason: 'pallet of 60' },
      { po_id: 9, variant_id: 12, quantity: null, reason: 'discontinued' },
    ]);
  });

  it('shows the library refusal of a quantity that breaks the case pack', async () => {
    const { default: Orders } = await import('./Orders.svelte');
    mockIPC((cmd) => {
      if (cmd === 'list_pos') return [draft([tee])];
      if (cmd === 'list_outbox') return [];
      throw { code: 'bad_input', message: 'invalid purchase order line: TEE-1: 50 is not a whole number of cases of 12 at least the MOQ 24 of Alpine Textiles' };
    });
    render(Orders);
    await fireEvent.click(await screen.findByRole('button', { name: 'PO-0009' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Edit TEE-1' }));
    await fireEvent.input(screen.getByLabelText('Quantity'), { target: { value: '50' } });
    await fireEvent.input(screen.getByLabelText(/Reason/), { target: { value: 'x' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('not a whole number of cases of 12');
    expect(screen.getByRole('form', { name: 'Edit TEE-1 on PO-0009' })).toBeInTheDocument();
  });

  it('asks for a reason before approving a PO edited past the thresholds', async () => {
    const { default: Orders } = await import('./Orders.svelte');
    let current = draft([{ ...tee, quantity: 480 }], ['TEE-1: override changes the recommendation by 900% (limit 50%)']);
    const approvals: [number, string, string][] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_pos') return [current];
      if (cmd === 'list_outbox') return [];
      if (cmd === 'set_po_status') {
        const a = args as { id: number; to: string; reason: string };
        approvals.push([a.id, a.to, a.reason]);
        current = { ...current, ...inState('approved'), above_thresholds: [] };
        return current;
      }
      throw new Error(cmd);
    });
    render(Orders);
    await fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    expect(approvals).toEqual([]);
    expect(screen.getByTestId('po-thresholds')).toHaveTextContent('limit 50%');
    const form = screen.getByRole('form', { name: 'Approve PO-0009' });
    const go = within(form).getByRole('button', { name: 'Approve PO-0009' });
    expect(go).toBeDisabled();
    await fireEvent.input(within(form).getByLabelText(/Reason for approving/), { target: { value: 'pre-order confirmed' } });
    await fireEvent.click(go);
    expect(await screen.findByTestId('po-note')).toHaveTextContent('PO-0009 approved.');
    expect(approvals).toEqual([[9, 'approved', 'pre-order confirmed']]);
  });

  it('says the export was cancelled when the save dialog is dismissed, and where it went otherwise', async () => {
    const { default: Orders } = await import('./Orders.svelte');
    const approved = { ...draft([tee]), ...inState('approved') };
    let path: string | null = null;
    mockIPC((cmd) => {
      if (cmd === 'list_pos') return [approved];
      if (cmd === 'list_outbox') return [];
      if (cmd === 'export_po') return { po: path ? { ...approved, ...inState('exported') } : approved, path };
      throw new Error(cmd);
    });
    render(Orders);
    await fireEvent.click(await screen.findByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByTestId('po-note')).toHaveTextContent('Export of PO-0009 cancelled; nothing was written.');
    path = '/home/ana/Documents/PO-0009.csv';
    await fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(screen.getByTestId('po-note')).toHaveTextContent('PO-0009 exported to /home/ana/Documents/PO-0009.csv'));
  });

  it('approves a PO within the thresholds in one click', async () => {
    const { default: Orders } = await import('./Orders.svelte');
    const approvals: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_pos') return [draft([tee])];
      if (cmd === 'list_outbox') return [];
      if (cmd === 'set_po_status') {
        approvals.push((args as { reason: string }).reason);
        return { ...draft([tee]), ...inState('approved') };
      }
      throw new Error(cmd);
    });
    render(Orders);
    await fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    expect(await screen.findByTestId('po-note')).toHaveTextContent('PO-0009 approved.');
    expect(approvals).toEqual(['']);
  });
});

function chartModel(granularity: Granularity): ChartModel {
  return {
    title: 'TEE-1 at WH1',
    sku: 'TEE-1',
    location: 'WH1',
    granularity,
    today: '2026-11-30',
    history: [
      { date: '2026-11-29', days: 1, units: 4, on_hand: 0, stockout_days: 1, promo_days: 0 },
      { date: '2026-11-30', days: 1, units: 3, on_hand: 20, stockout_days: 0, promo_days: 1 },
    ],
    forecast: [{ date: '2026-12-01', days: 1, mean: 3, p10: 1, p90: 6, promo: false }],
    past_forecast: [{ date: '2026-11-30', days: 1, forecast: 2.5, actual: 3, run_id: 1 }],
    past_wape: 0.1667,
    projection: [
      { date: '2026-11-30', on_hand: 20 },
      { date: '2026-12-01', on_hand: 17 },
    ],
    incoming: [{ date: '2026-12-01', quantity: 40, reference: 'PO-0007', overdue: false }],
    safety_stock: 12,
    reorder_point: 30,
    forecast_info: { run_id: 2, made_at: '2026-11-30 08:00', model: 'ets_damped', class: 'smooth', mase: 0.81, wape: 0.32, bias: -0.02, origins: 4 },
    rationale: ['Safety stock 12 covers 95% of lead-time demand'],
  };
}

describe('SKU detail', () => {
  it('shows the legend, the model and why this number beside the chart, and switches to weeks', async () => {
    const { default: SkuDetailScreen } = await import('./SkuDetail.svelte');
    const { plannerRows } = await import('../test/fixtures');
    const row = plannerRows(1)[0]!;
    const asked: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== 'sku_detail') throw new Error(cmd);
      const g = (args as { granularity: Granularity }).granularity;
      asked.push(g);
      return {
        row, product_title: 'Trail tee', vendor: 'Alpine Textiles', barcode: null, created_date: '2025-01-01',
        discontinue_date: null, sold_30d: 30, sold_90d: 90, sold_365d: 365, stockout_days_365d: 1, promo_days_365d: 1,
        chart_svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>', chart: chartModel(g), audit: [],
        forecast_overrides: [{
          id: 4, sku: row.sku, variant_id: row.variant_id, category: null, location: null, start: '2026-12-01', end: '2026-12-31', days: 31,
          kind: 'percent', value: 30, reason: 'influencer campaign', summary: 'forecast raised 30% Dec 1–31 by the planner: influencer campaign',
          created_at: '2026-11-25 10:00', created_by: 'app:ana',
        }],
      } satisfies SkuDetail;
    });
    render(SkuDetailScreen, { sku: { variantId: row.variant_id, locationId: row.location_id }, currency: 'USD' });
    const legend = await screen.findByTestId('chart-legend');
    for (const want of ['Units sold per day', 'Stockout days', 'Promotion days', 'Past forecasts against what sold', 'Forecast mean', 'Forecast p10–p90 band', 'Projected on hand', 'Safety stock 12.0', 'Reorder point 30.0', 'Incoming orders']) {
      expect(legend).toHaveTextContent(want);
    }
    expect(screen.getByTestId('chart-model-name')).toHaveTextContent('ets_damped');
    expect(screen.getByTestId('chart-model')).toHaveTextContent('32.0%');
    expect(screen.getByTestId('past-wape')).toHaveTextContent('16.7%');
    expect(screen.getByTestId('rationale')).toHaveTextContent('Safety stock 12 covers');
    expect(screen.getByTestId('chart-incoming')).toHaveTextContent('PO-0007: 40 on 2026-12-01');
    expect(screen.getByTestId('sku-overrides')).toHaveTextContent('forecast raised 30% Dec 1–31 by the planner: influencer campaign');
    await fireEvent.click(screen.getByLabelText('Weekly'));
    await waitFor(() => expect(screen.getByTestId('sku-chart')).toHaveAttribute('data-granularity', 'weekly'));
    expect(screen.getByTestId('chart-legend')).toHaveTextContent('Units sold per ISO week');
    expect(asked).toEqual(['daily', 'weekly']);
  });

  it('exports the chart as PNG and SVG and says where it went', async () => {
    const { default: SkuDetailScreen } = await import('./SkuDetail.svelte');
    const { plannerRows } = await import('../test/fixtures');
    const row = plannerRows(1)[0]!;
    const detail: SkuDetail = {
      row,
      product_title: 'Trail tee',
      vendor: 'Alpine Textiles',
      barcode: null,
      created_date: '2025-01-01',
      discontinue_date: null,
      sold_30d: 30,
      sold_90d: 90,
      sold_365d: 365,
      stockout_days_365d: 0,
      promo_days_365d: 7,
      chart_svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
      chart: chartModel('daily'),
      audit: [],
      forecast_overrides: [],
    };
    const calls: unknown[] = [];
    let fail = false;
    mockIPC((cmd, args) => {
      if (cmd === 'sku_detail') return detail;
      if (cmd === 'export_chart') {
        calls.push(args);
        if (fail) throw { code: 'internal', message: 'the chart could not be drawn: no font' };
        const a = args as { format: string };
        return { path: `/home/ana/Downloads/Forestock/${row.sku}-${row.location}.${a.format}`, count: 2048 };
      }
      throw new Error(cmd);
    });
    render(SkuDetailScreen, { sku: { variantId: row.variant_id, locationId: row.location_id }, currency: 'USD' });
    await fireEvent.click(await screen.findByRole('button', { name: 'Export PNG' }));
    expect(await screen.findByTestId('chart-exported')).toHaveTextContent(`${row.sku}-${row.location}.png`);
    await fireEvent.click(screen.getByRole('button', { name: 'Export SVG' }));
    await waitFor(() => expect(screen.getByTestId('chart-exported')).toHaveTextContent('.svg'));
    expect(calls).toEqual([
      { variantId: row.variant_id, locationId: row.location_id, format: 'png', granularity: 'daily' },
      { variantId: row.variant_id, locationId: row.location_id, format: 'svg', granularity: 'daily' },
    ]);
    fail = true;
    await fireEvent.click(screen.getByRole('button', { name: 'Export PNG' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('no font');
    expect(screen.getByTestId('sku-chart')).toBeInTheDocument();
  });
});
