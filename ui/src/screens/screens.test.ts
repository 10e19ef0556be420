import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import Suppliers from './Suppliers.svelte';
import Audit from './Audit.svelte';
import type { AuditView, SupplierEdit, SupplierView } from '../lib/bindings';

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
      if (cmd === 'update_supplier') {
        const edit = (args as { edit: SupplierEdit }).edit;
        edits.push(edit);
        current = { ...current, lead_time_mean_days: edit.lead_time_mean_days };
        return current;
      }
      throw new Error(cmd);
    });
    render(Suppliers, { dbPath: '/tmp/m.db' });
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
      throw { code: 'bad_input', message: 'invalid supplier: Alpine Textiles: MOQ 50 is not a multiple of the case pack 12' };
    });
    render(Suppliers, { dbPath: '/tmp/m.db' });
    await fireEvent.click(await screen.findByRole('button', { name: 'Edit Alpine Textiles' }));
    await fireEvent.input(screen.getByLabelText(/Reason for the change/), { target: { value: 'x' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('not a multiple of the case pack');
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();
  });
});

describe('Audit screen', () => {
  const entries: AuditView[] = [
    { id: 2, at: '2026-11-26 09:00:00', actor: 'ana', action: 'supplier.update', entity: 'supplier', entity_id: '3', before: '{"lead":21}', after: '{"lead":28}', reason: 'new port' },
    { id: 1, at: '2026-11-25 09:00:00', actor: 'ana', action: 'po.export', entity: 'purchase_order', entity_id: 'PO-1', before: null, after: null, reason: 'weekly order' },
  ];

  it('lists entries and filters them by search', async () => {
    mockIPC((cmd) => (cmd === 'list_audit' ? entries : null));
    render(Audit);
    expect(await screen.findByText('new port')).toBeInTheDocument();
    await fireEvent.input(screen.getByLabelText('Search'), { target: { value: 'weekly' } });
    expect(screen.queryByText('new port')).not.toBeInTheDocument();
    expect(screen.getByText('weekly order')).toBeInTheDocument();
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
  it('pushes an approved PO to NetSuite and lists it in the outbox while offline', async () => {
    const { default: Orders } = await import('./Orders.svelte');
    const po = { id: 7, number: 'PO-0007', supplier: 'Alpine Textiles', location: 'Main', status: 'approved', currency: 'USD', order_date: '2026-11-26', expected_date: '2026-12-17', total: 480, lines: [] };
    let outbox: unknown[] = [];
    const pushed: number[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_pos') return [po];
      if (cmd === 'list_outbox') return outbox;
      if (cmd === 'push_po') {
        pushed.push((args as { id: number }).id);
        outbox = [{ id: 1, store_id: 3, external_id: 'FCST-PO-0007', status: 'pending', attempts: 1, remote_id: null, last_error: 'NetSuite: network problem' }];
        return outbox;
      }
      throw new Error(cmd);
    });
    render(Orders);
    await fireEvent.click(await screen.findByRole('button', { name: 'Push to NetSuite' }));
    expect(await screen.findByTestId('po-note')).toHaveTextContent('PO-0007 is queued in the outbox');
    expect(pushed).toEqual([7]);
    const box = await screen.findByTestId('outbox');
    expect(within(box).getByText('FCST-PO-0007')).toBeInTheDocument();
    expect(within(box).getByText('NetSuite: network problem')).toBeInTheDocument();
  });
});
