// Pure helpers behind the virtualized grid: which rows to render, sorting, filtering.

export interface Range {
  start: number; // first rendered row (inclusive)
  end: number; // last rendered row (exclusive)
  padTop: number; // px above the first rendered row
  padBottom: number; // px below the last rendered row
}

/** Rows to render for a viewport: only the visible ones plus `overscan` either side. */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): Range {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const start = Math.max(0, Math.min(total - 1, first - overscan));
  const end = Math.min(total, first + count + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (total - end) * rowHeight };
}

/** The scrollTop that brings row `index` into view, or null when it is already visible. */
export function scrollToRow(index: number, scrollTop: number, viewport: number, rowHeight: number): number | null {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return null;
}

export type SortDir = 'asc' | 'desc';

/** A column of the virtualized grid. */
export interface Column<R> {
  id: string;
  label: string;
  width: number;
  numeric?: boolean;
  sortable?: boolean;
  value: (row: R) => string;
}
export type SortValue = string | number | null | undefined;

/** A stable sort by one key; nulls always last. Returns a new array. */
export function sortBy<T>(rows: readonly T[], key: (r: T) => SortValue, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((r, i) => ({ r, i, v: key(r) }))
    .sort((a, b) => {
      const an = a.v === null || a.v === undefined || (typeof a.v === 'number' && Number.isNaN(a.v));
      const bn = b.v === null || b.v === undefined || (typeof b.v === 'number' && Number.isNaN(b.v));
      if (an || bn) return an === bn ? a.i - b.i : an ? 1 : -1;
      const c =
        typeof a.v === 'number' && typeof b.v === 'number'
          ? a.v - b.v
          : String(a.v).localeCompare(String(b.v), undefined, { numeric: true });
      return c === 0 ? a.i - b.i : sign * c;
    })
    .map((x) => x.r);
}

/** Case-insensitive match of every whitespace-separated term against the row's text fields. */
export function matchesSearch(fields: readonly (string | null | undefined)[], query: string): boolean {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return true;
  const hay = fields.filter(Boolean).join(' ').toLowerCase();
  return terms.every((t) => hay.includes(t));
}

export interface Group<T> {
  key: string;
  rows: T[];
}

/** Group rows by a key, groups in first-seen order of the (already sorted) rows. */
export function groupBy<T>(rows: readonly T[], key: (r: T) => string): Group<T>[] {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const g = map.get(k);
    if (g) g.push(r);
    else map.set(k, [r]);
  }
  return [...map].map(([key, rows]) => ({ key, rows }));
}
