/** Which screen is showing. Screens are addressed by id; the SKU detail also carries its key. */
export const SCREENS = [
  { id: 'overview', label: 'Overview', key: '1' },
  { id: 'planner', label: 'Planner', key: '2' },
  { id: 'kpis', label: 'KPIs', key: 'k' },
  { id: 'sku', label: 'SKU detail', key: '3' },
  { id: 'scenarios', label: 'Scenarios', key: '4' },
  { id: 'orders', label: 'Purchase orders', key: '5' },
  { id: 'suppliers', label: 'Suppliers & settings', key: '6' },
  { id: 'audit', label: 'Audit log', key: '7' },
  { id: 'connect', label: 'Connect & sync', key: '8' },
  { id: 'exceptions', label: 'Exceptions', key: '9' },
  { id: 'transfers', label: 'Transfers', key: '0' },
  { id: 'import', label: 'Import & export', key: 'i' },
  { id: 'promotions', label: 'Promotions', key: 'p' },
  { id: 'overrides', label: 'Forecast overrides', key: 'o' },
  { id: 'accuracy', label: 'Accuracy', key: 'y' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];

export interface SkuRef {
  variantId: number;
  locationId: number;
}

class Nav {
  screen = $state<ScreenId>('overview');
  sku = $state<SkuRef | null>(null);

  go(screen: ScreenId): void {
    this.screen = screen;
  }

  openSku(sku: SkuRef): void {
    this.sku = sku;
    this.screen = 'sku';
  }

  /** Ctrl/Cmd + 1..9, 0 (and i, k) switches screens. Returns true when the key was handled. */
  handleKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): boolean {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return false;
    const s = SCREENS.find((s) => s.key === e.key);
    if (!s) return false;
    this.go(s.id);
    return true;
  }
}

export { Nav };
export const nav = new Nav();
