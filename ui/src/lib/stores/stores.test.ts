import { describe, expect, it } from 'vitest';
import { mockIPC } from '@tauri-apps/api/mocks';
import { MerchantStore } from './merchant.svelte';
import { Nav } from './nav.svelte';
import { Theme } from './theme.svelte';
import { summary } from '../../test/fixtures';

describe('MerchantStore', () => {
  it('loads the summary', async () => {
    mockIPC(() => summary);
    const m = new MerchantStore();
    const p = m.load();
    expect(m.loading).toBe(true);
    await p;
    expect(m.loading).toBe(false);
    expect(m.summary?.skus).toBe(800);
    expect(m.error).toBeNull();
  });

  it('keeps the error when opening fails', async () => {
    mockIPC(() => {
      throw { code: 'busy', message: 'database is locked' };
    });
    const m = new MerchantStore();
    await m.load();
    expect(m.summary).toBeNull();
    expect(m.error?.code).toBe('busy');
  });
});

describe('Nav', () => {
  it('switches screens with Ctrl+digit and ignores plain digits', () => {
    const n = new Nav();
    expect(n.handleKey({ key: '2', ctrlKey: true, metaKey: false, altKey: false })).toBe(true);
    expect(n.screen).toBe('planner');
    expect(n.handleKey({ key: '5', ctrlKey: false, metaKey: false, altKey: false })).toBe(false);
    expect(n.screen).toBe('planner');
    expect(n.handleKey({ key: '9', ctrlKey: true, metaKey: false, altKey: false })).toBe(true);
    expect(n.screen).toBe('exceptions');
    expect(n.handleKey({ key: '0', ctrlKey: true, metaKey: false, altKey: false })).toBe(true);
    expect(n.screen).toBe('transfers');
    expect(n.handleKey({ key: '-', ctrlKey: true, metaKey: false, altKey: false })).toBe(false);
    expect(n.handleKey({ key: 'i', ctrlKey: true, metaKey: false, altKey: false })).toBe(true);
    expect(n.screen).toBe('import');
  });

  it('opens a SKU on the detail screen', () => {
    const n = new Nav();
    n.openSku({ variantId: 7, locationId: 2 });
    expect(n.screen).toBe('sku');
    expect(n.sku).toEqual({ variantId: 7, locationId: 2 });
  });
});

describe('Theme', () => {
  it('restores, saves and applies the choice', () => {
    const saved = new Map<string, string>([['forestock.theme', 'dark']]);
    const storage = { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v) };
    const t = new Theme(storage);
    expect(t.choice).toBe('dark');
    const root = document.createElement('html');
    t.apply(root);
    expect(root.getAttribute('data-theme')).toBe('dark');
    t.set('system');
    t.apply(root);
    expect(root.hasAttribute('data-theme')).toBe(false);
    expect(saved.get('forestock.theme')).toBe('system');
  });
});
