import { describe, expect, it } from 'vitest';
import { mockIPC } from '@tauri-apps/api/mocks';
import { ConnectionsStore, platforms, toForm } from './connections.svelte';
import type { ConnectForm, StoreView } from '../bindings';

const shop: StoreView = {
  id: 2,
  platform: 'shopify',
  name: 'Sim shop',
  base_url: 'http://127.0.0.1:4000',
  in_keychain: true,
  created_at: '2026-11-26 10:00',
};

describe('connect form', () => {
  it('builds each platform’s typed form and names what is missing', () => {
    expect(toForm('shopify', { url: ' http://x ', token: 'shpat_1' }, '')).toEqual({
      platform: 'shopify',
      name: null,
      url: 'http://x',
      token: 'shpat_1',
    });
    expect(() => toForm('adobe', { url: 'http://x', consumer_key: 'k' }, 'A')).toThrow(
      /Consumer secret, Access token, Access token secret/,
    );
    expect(platforms.map((p) => p.id)).toEqual(['shopify', 'bigcommerce', 'adobe', 'netsuite']);
    for (const p of platforms) expect(p.fields.some((f) => f.secret)).toBe(true);
  });

  it('treats the Adobe access token and the NetSuite token id as secrets (masked, cleared)', () => {
    const secretKeys = (id: string) =>
      platforms.find((p) => p.id === id)?.fields.filter((f) => f.secret).map((f) => f.key);
    expect(secretKeys('adobe')).toContain('access_token');
    expect(secretKeys('netsuite')).toContain('token');
  });
});

describe('ConnectionsStore', () => {
  it('connects, tests and removes a store', async () => {
    let list: StoreView[] = [];
    const sent: ConnectForm[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_stores') return list;
      if (cmd === 'connect_store') {
        sent.push((args as { form: ConnectForm }).form);
        list = [shop];
        return shop;
      }
      if (cmd === 'test_store') return { remote_name: 'Forestock Demo', currency: 'USD' };
      if (cmd === 'remove_store') {
        list = [];
        return shop;
      }
      throw new Error(cmd);
    });
    const s = new ConnectionsStore();
    await s.load();
    expect(s.list).toEqual([]);
    const made = await s.connect({ platform: 'shopify', name: null, url: shop.base_url, token: 'shpat_x' });
    expect(made?.id).toBe(2);
    expect(sent).toHaveLength(1);
    expect(s.list).toHaveLength(1);
    expect(JSON.stringify(s.list)).not.toContain('shpat_x');
    await s.test(2);
    expect(s.status[2]).toEqual({ ok: true, text: 'Connection works: Forestock Demo (USD).' });
    await s.remove(2);
    expect(s.list).toEqual([]);
    expect(s.status[2]).toBeUndefined();
  });

  it('keeps a rejected connection’s error code for the banner', async () => {
    mockIPC((cmd) => {
      if (cmd === 'connect_store') throw { code: 'remote', message: 'Sim shop: the credentials were rejected' };
      if (cmd === 'test_store') throw { code: 'remote', message: 'network problem' };
      return [];
    });
    const s = new ConnectionsStore();
    expect(await s.connect({ platform: 'bigcommerce', name: null, url: 'http://x', token: 't' })).toBeNull();
    expect(s.error?.code).toBe('remote');
    expect(s.busy).toBe(false);
    await s.test(9);
    expect(s.status[9]).toEqual({ ok: false, text: 'network problem' });
  });
});
