import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import Welcome from './Welcome.svelte';
import SetupChecklist from '../lib/components/SetupChecklist.svelte';
import { merchant, MerchantStore } from '../lib/stores/merchant.svelte';
import { nav } from '../lib/stores/nav.svelte';
import { DefaultLocationsStore } from '../lib/stores/connections.svelte';
import { summary } from '../test/fixtures';
import type { Checklist, MerchantFiles, MerchantSummary, NewMerchant } from '../lib/bindings';

const files: MerchantFiles = {
  open: null,
  recent: {
    entries: [{ path: '/home/ana/shops/alder.db', name: 'Alder Goods' }],
    notes: ['Birch (/home/ana/shops/birch.db) is no longer there (moved or deleted); it was removed from the recent list'],
  },
  demo_path: '/home/ana/.local/share/forestock/merchant.db',
  suggested_path: '/home/ana/.local/share/forestock/my-shop.db',
};

const mine: MerchantSummary = {
  ...summary,
  name: 'Fern & Moss',
  currency: 'EUR',
  as_of: null,
  is_demo: false,
  plans_as_of: '2026-12-02',
  plans_as_of_basis: 'today: nothing synced yet',
  db_path: '/home/ana/shops/fern.db',
  skus: 0,
};

const checklist: Checklist = {
  applies: true,
  complete: false,
  planning_date: '2026-12-02',
  planning_basis: 'the last successful sync',
  items: [
    { step: 'connect', label: 'Connect a store', done: true, detail: 'Connected: Fern shop (shopify).', screen: 'connect' },
    { step: 'sync', label: 'Initial sync', done: true, detail: 'Last successful sync 2026-12-02 10:00 UTC: 20 SKUs.', screen: 'connect' },
    { step: 'suppliers', label: 'Suppliers and lead times', done: false, detail: '20 of 20 active SKUs have no supplier', screen: 'suppliers' },
    { step: 'plan', label: 'First plan', done: false, detail: 'No plan yet: plan for 2026-12-02 (the last successful sync).', screen: 'planner' },
  ],
};

describe('First run', () => {
  it('offers the demo and setting up a shop, and creates the shop from the form', async () => {
    const sent: NewMerchant[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'open_merchant') return null;
      if (cmd === 'merchant_files') return files;
      if (cmd === 'create_merchant') {
        sent.push((args as { form: NewMerchant }).form);
        return mine;
      }
      if (cmd === 'setup_checklist') return checklist;
      throw new Error(cmd);
    });
    await merchant.load();
    expect(merchant.firstRun).toBe(true);
    render(Welcome);
    expect(screen.getByRole('button', { name: 'Explore the demo shop' })).toBeInTheDocument();
    // The recent list's note about a vanished file is shown, and the remaining file offered.
    expect(screen.getByTestId('recent-notes')).toHaveTextContent('Birch (/home/ana/shops/birch.db) is no longer there');
    expect(screen.getByRole('button', { name: 'Alder Goods' })).toBeInTheDocument();
    const path = screen.getByLabelText('New database file');
    expect(path).toHaveValue('/home/ana/.local/share/forestock/my-shop.db');
    await fireEvent.input(screen.getByLabelText('Shop name'), { target: { value: 'Fern & Moss' } });
    await fireEvent.input(screen.getByLabelText('Currency'), { target: { value: 'eur' } });
    await fireEvent.input(path, { target: { value: '/home/ana/shops/fern.db' } });
    // The time zone starts as this computer's; the planner may name another.
    expect(screen.getByLabelText('Time zone')).toHaveValue(Intl.DateTimeFormat().resolvedOptions().timeZone);
    await fireEvent.input(screen.getByLabelText('Time zone'), { target: { value: ' America/Los_Angeles ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create my shop' }));
    await waitFor(() => expect(merchant.summary?.name).toBe('Fern & Moss'));
    expect(sent).toEqual([{ name: 'Fern & Moss', currency: 'EUR', path: '/home/ana/shops/fern.db', timezone: 'America/Los_Angeles' }]);
    expect(merchant.firstRun).toBe(false);
    await waitFor(() => expect(merchant.checklist?.items).toHaveLength(4));
    expect(nav.screen).toBe('overview');
  });

  it('shows why a set-up was refused and keeps the form', async () => {
    mockIPC((cmd) => {
      if (cmd === 'merchant_files') return files;
      if (cmd === 'create_merchant') throw { code: 'bad_input', message: '/home/ana/shops/fern.db already exists; open it instead, or choose a new file name' };
      throw new Error(cmd);
    });
    merchant.summary = null;
    merchant.firstRun = true;
    merchant.files = files;
    render(Welcome);
    await fireEvent.input(screen.getByLabelText('Shop name'), { target: { value: 'Fern' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create my shop' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('already exists; open it instead');
    expect(merchant.summary).toBeNull();
    expect(screen.getByLabelText('Shop name')).toHaveValue('Fern');
  });
});

describe('Switching merchants', () => {
  it('keeps the open merchant when the chosen file is refused', async () => {
    mockIPC((cmd) => {
      if (cmd === 'switch_merchant') throw { code: 'database', message: '/tmp/photos.sqlite is not a Forestock database (not SQLite, or corrupt): an SQLite file, but not one Forestock wrote' };
      if (cmd === 'merchant_files') return { ...files, open: mine.db_path };
      throw new Error(cmd);
    });
    const m = new MerchantStore();
    m.summary = mine;
    expect(await m.switchTo('/tmp/photos.sqlite')).toBe(false);
    expect(m.summary?.name).toBe('Fern & Moss');
    expect(m.switchError?.code).toBe('database');
    expect(m.switchError?.message).toContain('not one Forestock wrote');
  });

  it('opens a picked file and shows the new merchant; a cancelled dialog changes nothing', async () => {
    let picked: string | null = null;
    const opened: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'pick_merchant_file') return picked;
      if (cmd === 'switch_merchant') {
        opened.push((args as { path: string }).path);
        return { ...summary, db_path: (args as { path: string }).path };
      }
      if (cmd === 'merchant_files') return files;
      if (cmd === 'setup_checklist') return { ...checklist, applies: false };
      throw new Error(cmd);
    });
    const m = new MerchantStore();
    m.summary = mine;
    expect(await m.pickFile()).toBe(false);
    expect(m.summary?.name).toBe('Fern & Moss');
    picked = '/home/ana/shops/alder.db';
    expect(await m.pickFile()).toBe(true);
    expect(opened).toEqual(['/home/ana/shops/alder.db']);
    expect(m.summary?.db_path).toBe('/home/ana/shops/alder.db');
  });
});

describe('Set-up checklist', () => {
  it('shows what is missing and opens the screen that fixes it', async () => {
    render(SetupChecklist, { checklist });
    expect(screen.getByRole('heading')).toHaveTextContent('Setting up: 2 of 4 done');
    const suppliers = screen.getByText('Suppliers and lead times').closest('li')!;
    expect(suppliers).toHaveTextContent('20 of 20 active SKUs have no supplier');
    expect(within(screen.getByText('Connect a store').closest('li')!).queryByRole('button')).toBeNull();
    await fireEvent.click(within(suppliers).getByRole('button', { name: 'Go to Suppliers' }));
    expect(nav.screen).toBe('suppliers');
    await fireEvent.click(screen.getByRole('button', { name: 'Go to Planner' }));
    expect(nav.screen).toBe('planner');
    expect(screen.getByTestId('plans-as-of')).toHaveTextContent('Plans are made for 2026-12-02 (the last successful sync)');
  });
});

describe('Default location', () => {
  it('sends the chosen location and reports what moved', async () => {
    const calls: unknown[] = [];
    let current = 'WH-EAST';
    mockIPC((cmd, args) => {
      if (cmd === 'default_locations')
        return [{ store_id: 2, store: 'Fern shop', current, chosen: current !== 'WH-EAST', choices: [
          { code: 'WH-EAST', name: 'East', kind: 'warehouse' },
          { code: 'RET-1', name: 'Shop floor', kind: 'retail' },
        ] }];
      if (cmd === 'set_default_location') {
        calls.push(args);
        current = 'RET-1';
        return { store: 'Fern shop', location: 'RET-1', orders: 12, units: 30 };
      }
      throw new Error(cmd);
    });
    const d = new DefaultLocationsStore();
    await d.load();
    expect(d.list[0]?.chosen).toBe(false);
    await d.set(2, 'RET-1');
    expect(calls).toEqual([{ storeId: 2, location: 'RET-1' }]);
    expect(d.saved[2]).toBe('Orders without a location now go to RET-1; 12 orders (30 units) moved there.');
    expect(d.list[0]?.current).toBe('RET-1');
    expect(d.list[0]?.chosen).toBe(true);
  });
});
