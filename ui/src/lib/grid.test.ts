import { describe, expect, it } from 'vitest';
import { groupBy, matchesSearch, scrollToRow, sortBy, visibleRange } from './grid';

describe('visibleRange', () => {
  it('renders only the viewport plus overscan out of 20,000 rows', () => {
    const r = visibleRange(28 * 10_000, 560, 28, 20_000, 8);
    expect(r.start).toBe(9_992);
    expect(r.end - r.start).toBeLessThanOrEqual(21 + 16 + 1);
    expect(r.padTop).toBe(r.start * 28);
    expect(r.padTop + (r.end - r.start) * 28 + r.padBottom).toBe(20_000 * 28);
  });

  it('clamps at both ends and handles empty input', () => {
    expect(visibleRange(-50, 300, 28, 100).start).toBe(0);
    const last = visibleRange(1e9, 300, 28, 100);
    expect(last.end).toBe(100);
    expect(last.padBottom).toBe(0);
    expect(visibleRange(0, 300, 28, 0)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });
});

describe('scrollToRow', () => {
  it('scrolls only when the row is out of view', () => {
    expect(scrollToRow(5, 0, 280, 28)).toBeNull();
    expect(scrollToRow(20, 0, 280, 28)).toBe(21 * 28 - 280);
    expect(scrollToRow(2, 280, 280, 28)).toBe(56);
  });
});

describe('sortBy', () => {
  const rows = [
    { sku: 'A-10', q: 3 },
    { sku: 'A-2', q: null },
    { sku: 'B-1', q: 1 },
    { sku: 'A-1', q: 3 },
  ];
  it('sorts numbers both ways with nulls last and ties stable', () => {
    expect(sortBy(rows, (r) => r.q, 'asc').map((r) => r.sku)).toEqual(['B-1', 'A-10', 'A-1', 'A-2']);
    expect(sortBy(rows, (r) => r.q, 'desc').map((r) => r.sku)).toEqual(['A-10', 'A-1', 'B-1', 'A-2']);
  });
  it('sorts text naturally', () => {
    expect(sortBy(rows, (r) => r.sku, 'asc').map((r) => r.sku)).toEqual(['A-1', 'A-2', 'A-10', 'B-1']);
  });
});

describe('matchesSearch and groupBy', () => {
  it('needs every term somewhere', () => {
    expect(matchesSearch(['TEE-RED-M', 'Cotton tee', 'Northwind'], 'tee north')).toBe(true);
    expect(matchesSearch(['TEE-RED-M', 'Cotton tee', null], 'tee blue')).toBe(false);
    expect(matchesSearch(['x'], '  ')).toBe(true);
  });
  it('groups in first-seen order', () => {
    const g = groupBy([{ s: 'b' }, { s: 'a' }, { s: 'b' }], (r) => r.s);
    expect(g.map((x) => [x.key, x.rows.length])).toEqual([['b', 2], ['a', 1]]);
  });
});
