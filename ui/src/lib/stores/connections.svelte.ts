import { backend, toBackendError, type BackendError } from '../backend';
import type { ConnectForm, DefaultLocationView, StoreView } from '../bindings';

export type Platform = ConnectForm['platform'];

/** A field of the "Connect a store" form. Secret fields are password inputs and are cleared
 * as soon as the form is submitted: the UI never keeps a secret. */
export interface FieldSpec {
  key: string;
  label: string;
  secret?: boolean;
  placeholder?: string;
}

export const platforms: { id: Platform; label: string; fields: FieldSpec[] }[] = [
  {
    id: 'shopify',
    label: 'Shopify',
    fields: [
      { key: 'url', label: 'Store URL', placeholder: 'https://your-shop.myshopify.com' },
      { key: 'token', label: 'Admin API access token', secret: true },
    ],
  },
  {
    id: 'bigcommerce',
    label: 'BigCommerce',
    fields: [
      { key: 'url', label: 'API path', placeholder: 'https://api.bigcommerce.com/stores/abc123' },
      { key: 'token', label: 'Access token', secret: true },
    ],
  },
  {
    id: 'adobe',
    label: 'Adobe Commerce',
    fields: [
      { key: 'url', label: 'Store URL', placeholder: 'https://shop.example.com' },
      { key: 'consumer_key', label: 'Consumer key' },
      { key: 'consumer_secret', label: 'Consumer secret', secret: true },
      { key: 'access_token', label: 'Access token', secret: true },
      { key: 'access_token_secret', label: 'Access token secret', secret: true },
    ],
  },
  {
    id: 'netsuite',
    label: 'NetSuite',
    fields: [
      { key: 'url', label: 'REST URL', placeholder: 'https://1234567.suitetalk.api.netsuite.com' },
      { key: 'account', label: 'Account ID' },
      { key: 'consumer_key', label: 'Consumer key' },
      { key: 'consumer_secret', label: 'Consumer secret', secret: true },
      { key: 'token', label: 'Token ID', secret: true },
      { key: 'token_secret', label: 'Token secret', secret: true },
    ],
  },
];

export type PlatformSpec = (typeof platforms)[number];

/** The form description of a platform. */
export function specOf(platform: Platform): PlatformSpec {
  const spec = platforms.find((p) => p.id === platform);
  if (!spec) throw new Error(`unknown platform ${platform}`);
  return spec;
}

/** Build the typed form from the field values; every field of the platform is required. */
export function toForm(platform: Platform, values: Record<string, string>, name: string): ConnectForm {
  const spec = specOf(platform);
  const missing = spec.fields.filter((f) => !(values[f.key] ?? '').trim()).map((f) => f.label);
  if (missing.length) throw new Error(`Fill in: ${missing.join(', ')}`);
  const picked = Object.fromEntries(spec.fields.map((f) => [f.key, (values[f.key] ?? '').trim()]));
  return { platform, name: name.trim() || null, ...picked } as ConnectForm;
}

/** The connected stores, and connect / test / remove with a per-store status line. */
class ConnectionsStore {
  list = $state<StoreView[]>([]);
  error = $state<BackendError | null>(null);
  busy = $state(false);
  /** Result of the last test or action, by store id. */
  status = $state<Record<number, { ok: boolean; text: string }>>({});

  async load(): Promise<void> {
    try {
      this.list = await backend.listStores();
      this.error = null;
    } catch (e) {
      this.error = toBackendError(e);
    }
  }

  /** Connect; resolves to the new store, or null with `error` set. */
  async connect(form: ConnectForm): Promise<StoreView | null> {
    this.busy = true;
    this.error = null;
    try {
      const s = await backend.connectStore(form);
      await this.load();
      this.status[s.id] = { ok: true, text: 'Connected; credentials saved in the keychain.' };
      return s;
    } catch (e) {
      this.error = toBackendError(e);
      return null;
    } finally {
      this.busy = false;
    }
  }

  async test(id: number): Promise<void> {
    this.status[id] = { ok: true, text: 'Testing…' };
    try {
      const c = await backend.testStore(id);
      this.status[id] = { ok: true, text: `Connection works: ${c.remote_name}${c.currency ? ` (${c.currency})` : ''}.` };
    } catch (e) {
      const err = toBackendError(e);
      this.status[id] = { ok: false, text: err.message };
    }
  }

  async remove(id: number): Promise<void> {
    try {
      await backend.removeStore(id);
      delete this.status[id];
      await this.load();
    } catch (e) {
      this.error = toBackendError(e);
    }
  }
}

export { ConnectionsStore };
export const connections = new ConnectionsStore();

/** Each synced store's "where orders without a location go" setting (the Rust side decides the
 * current location and what may be chosen; this only shows and sends the choice). */
class DefaultLocationsStore {
  list = $state<DefaultLocationView[]>([]);
  error = $state<BackendError | null>(null);
  /** The last change's outcome, by store id. */
  saved = $state<Record<number, string>>({});

  async load(): Promise<void> {
    try {
      this.list = await backend.defaultLocations();
      this.error = null;
    } catch (e) {
      this.error = toBackendError(e);
    }
  }

  async set(storeId: number, location: string): Promise<void> {
    this.error = null;
    try {
      const r = await backend.setDefaultLocation(storeId, location);
      this.saved[storeId] = `Orders without a location now go to ${r.location}; ${r.orders} orders (${r.units} units) moved there.`;
      await this.load();
    } catch (e) {
      this.error = toBackendError(e);
    }
  }
}

export { DefaultLocationsStore };
export const defaultLocations = new DefaultLocationsStore();
