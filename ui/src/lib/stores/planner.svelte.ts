import { backend, toBackendError, type BackendError } from '../backend';
import type { PlannerItem, PlannerPage, PlannerQuery, PlannerTotals } from '../bindings';
import type { SortDir } from '../grid';

/** An item of the grid: a supplier heading, a line, or a place whose window has not arrived yet. */
export type GridItem = PlannerItem | { kind: 'pending'; index: number };

/** Items fetched per window; the grid asks for the windows its viewport touches. */
export const WINDOW = 200;

/**
 * The planner grid's view state (search, filters, sort, grouping) and the windows of it fetched
 * so far. Search, filters, sort and grouping run in the library (`planner_page`); the page holds
 * only the windows the viewport has reached, never every line.
 */
class PlannerStore {
  planRun = $state<string | null>(null);
  loading = $state(false);
  /** True once a first window of the current merchant has arrived. */
  loaded = $state(false);
  /** True from a change of view until its first window arrives: the items shown are the old view's. */
  stale = $state(false);
  error = $state<BackendError | null>(null);
  search = $state('');
  location = $state('');
  supplier = $state('');
  onlyToOrder = $state(false);
  sort = $state<{ column: string; dir: SortDir }>({ column: 'sku', dir: 'asc' });
  groupBySupplier = $state(false);

  /** Every line, and those the search and filters keep. */
  total = $state(0);
  matched = $state(0);
  locations = $state.raw<string[]>([]);
  suppliers = $state.raw<string[]>([]);
  categories = $state.raw<string[]>([]);
  totals = $state.raw<PlannerTotals | null>(null);
  /** The whole view, one entry per item; windows not fetched yet are `pending`. */
  items = $state.raw<GridItem[]>([]);

  /** Bumped on every reload: windows of an older view are dropped when they arrive. */
  private generation = 0;
  private requested = new Set<number>();
  private visible = { start: 0, end: WINDOW };

  /** What the view asks for, without the window (a change of it reloads the grid). */
  get viewKey(): string {
    return JSON.stringify([this.search, this.location, this.supplier, this.onlyToOrder, this.sort, this.groupBySupplier]);
  }

  private query(offset: number, limit: number): PlannerQuery {
    return {
      search: this.search,
      location: this.location,
      supplier: this.supplier,
      only_to_order: this.onlyToOrder,
      sort: this.sort.column,
      dir: this.sort.dir,
      group_by_supplier: this.groupBySupplier,
      offset,
      limit,
    };
  }

  toggleSort(column: string): void {
    this.sort =
      this.sort.column === column
        ? { column, dir: this.sort.dir === 'asc' ? 'desc' : 'asc' }
        : { column, dir: 'asc' };
  }

  /** Forget the previous merchant's grid. */
  reset(): void {
    this.generation++;
    this.requested.clear();
    this.items = [];
    this.planRun = null;
    this.loaded = false;
    this.stale = false;
    this.totals = null;
    this.total = 0;
    this.matched = 0;
    this.visible = { start: 0, end: WINDOW };
  }

  /**
   * Fetch the view again: the windows the viewport shows (after an edit, so the edited line
   * shows its new state where it was), or the first one (`fromTop`, after the view changed).
   */
  async load({ fromTop = false }: { fromTop?: boolean } = {}): Promise<void> {
    const gen = ++this.generation;
    this.requested.clear();
    if (fromTop) this.visible = { start: 0, end: WINDOW };
    const first = Math.floor(this.visible.start / WINDOW);
    const last = Math.max(first, Math.floor((Math.max(this.visible.end, 1) - 1) / WINDOW));
    this.loading = true;
    if (fromTop) this.stale = true;
    this.error = null;
    try {
      let page = await backend.plannerPage(this.query(first * WINDOW, (last - first + 1) * WINDOW));
      if (gen !== this.generation) return;
      if (page.items.length === 0 && page.items_total > 0 && page.offset > 0) {
        // The view shrank below the viewport: start from its top.
        this.visible = { start: 0, end: WINDOW };
        page = await backend.plannerPage(this.query(0, WINDOW));
        if (gen !== this.generation) return;
      }
      this.apply(page, true);
      for (let p = first; p <= last; p++) this.requested.add(p);
      this.loaded = true;
    } catch (e) {
      if (gen === this.generation) this.error = toBackendError(e);
    } finally {
      if (gen === this.generation) {
        this.loading = false;
        this.stale = false;
      }
    }
  }

  /** The viewport shows items `start..end`: fetch the windows of them not fetched yet. */
  show(start: number, end: number): void {
    this.visible = { start, end };
    if (!this.loaded) return;
    const gen = this.generation;
    const last = Math.floor((Math.max(end, 1) - 1) / WINDOW);
    for (let p = Math.floor(start / WINDOW); p <= last; p++) {
      if (this.requested.has(p) || p * WINDOW >= this.items.length) continue;
      this.requested.add(p);
      backend
        .plannerPage(this.query(p * WINDOW, WINDOW))
        .then((page) => {
          if (gen === this.generation) this.apply(page, false);
        })
        .catch((e: unknown) => {
          if (gen !== this.generation) return;
          this.requested.delete(p);
          this.error = toBackendError(e);
        });
    }
  }

  private apply(page: PlannerPage, fresh: boolean): void {
    const n = page.items_total;
    const items: GridItem[] =
      fresh || this.items.length !== n
        ? Array.from({ length: n }, (_, index): GridItem => ({ kind: 'pending', index }))
        : this.items.slice();
    page.items.forEach((it, j) => {
      if (page.offset + j < n) items[page.offset + j] = it;
    });
    this.items = items;
    this.planRun = page.plan_run;
    this.total = page.total;
    this.matched = page.matched;
    this.locations = page.locations;
    this.suppliers = page.suppliers;
    this.categories = page.categories;
    this.totals = page.totals;
  }
}

export { PlannerStore };
export const planner = new PlannerStore();
