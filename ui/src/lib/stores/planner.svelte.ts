import { backend, toBackendError, type BackendError } from '../backend';
import type { PlannerRow } from '../bindings';
import { groupBy, matchesSearch, sortBy, type SortDir, type SortValue } from '../grid';

export type GridItem = { kind: 'group'; key: string; count: number; value: number } | { kind: 'row'; row: PlannerRow };

const SORT_KEYS: Record<string, (r: PlannerRow) => SortValue> = {
  sku: (r) => r.sku,
  title: (r) => r.title,
  location: (r) => r.location,
  supplier: (r) => r.supplier,
  category: (r) => r.category,
  abc: (r) => r.abc,
  on_hand: (r) => r.on_hand,
  incoming: (r) => r.incoming,
  forecast_30d: (r) => r.forecast_30d,
  days_of_cover: (r) => r.days_of_cover,
  safety_stock: (r) => r.safety_stock,
  reorder_point: (r) => r.reorder_point,
  qty: (r) => r.override_qty ?? r.recommended_qty,
  alerts: (r) => r.alerts.length,
};

/** The planner grid's data and view state: search, filters, sort, grouping. */
class PlannerStore {
  rows = $state.raw<PlannerRow[]>([]);
  planRun = $state<string | null>(null);
  loading = $state(false);
  error = $state<BackendError | null>(null);
  search = $state('');
  location = $state('');
  supplier = $state('');
  onlyToOrder = $state(false);
  sort = $state<{ column: string; dir: SortDir }>({ column: 'sku', dir: 'asc' });
  groupBySupplier = $state(false);

  locations = $derived([...new Set(this.rows.map((r) => r.location))].sort());
  suppliers = $derived([...new Set(this.rows.map((r) => r.supplier ?? '—'))].sort());

  filtered = $derived.by(() => {
    const q = this.search;
    return this.rows.filter(
      (r) =>
        (!this.location || r.location === this.location) &&
        (!this.supplier || (r.supplier ?? '—') === this.supplier) &&
        (!this.onlyToOrder || (r.override_qty ?? r.recommended_qty ?? 0) > 0) &&
        matchesSearch([r.sku, r.title, r.category, r.supplier], q),
    );
  });

  items = $derived.by((): GridItem[] => {
    const key = SORT_KEYS[this.sort.column] ?? SORT_KEYS['sku']!;
    const sorted = sortBy(this.filtered, key, this.sort.dir);
    if (!this.groupBySupplier) return sorted.map((row) => ({ kind: 'row', row }));
    const out: GridItem[] = [];
    for (const g of groupBy(sortBy(sorted, (r) => r.supplier, 'asc'), (r) => r.supplier ?? '—')) {
      const value = g.rows.reduce((s, r) => s + (r.override_qty ?? r.recommended_qty ?? 0) * (r.cost ?? 0), 0);
      out.push({ kind: 'group', key: g.key, count: g.rows.length, value });
      for (const row of g.rows) out.push({ kind: 'row', row });
    }
    return out;
  });

  toggleSort(column: string): void {
    this.sort =
      this.sort.column === column
        ? { column, dir: this.sort.dir === 'asc' ? 'desc' : 'asc' }
        : { column, dir: 'asc' };
  }

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const data = await backend.plannerRows();
      this.rows = data.rows;
      this.planRun = data.plan_run;
    } catch (e) {
      this.error = toBackendError(e);
    } finally {
      this.loading = false;
    }
  }
}

export { PlannerStore };
export const planner = new PlannerStore();
