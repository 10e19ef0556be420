import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import VirtualTable from './VirtualTable.svelte';
import type { Column } from '../grid';

type Row = { id: number; name: string };
const rows: Row[] = Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `row ${i}` }));
const columns: Column<Row>[] = [
  { id: 'id', label: 'Id', width: 80, numeric: true, sortable: true, value: (r) => String(r.id) },
  { id: 'name', label: 'Name', width: 200, value: (r) => r.name },
];

describe('VirtualTable', () => {
  it('renders a small window of 20,000 rows and reports the full count', () => {
    render(VirtualTable<Row>, { rows, columns, rowKey: (r: Row) => String(r.id), label: 'Test grid' });
    const grid = screen.getByRole('grid', { name: 'Test grid' });
    expect(grid).toHaveAttribute('aria-rowcount', '20001');
    const rendered = grid.querySelectorAll('[role="row"][data-row-key]');
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.length).toBeLessThan(60);
  });

  it('moves the active row with the keyboard and opens it with Enter', async () => {
    const onactivate = vi.fn();
    render(VirtualTable<Row>, { rows, columns, rowKey: (r: Row) => String(r.id), label: 'Test grid', onactivate });
    const grid = screen.getByRole('grid');
    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await fireEvent.keyDown(grid, { key: 'ArrowUp' });
    expect(grid).toHaveAttribute('aria-activedescendant', 'row-1');
    await fireEvent.keyDown(grid, { key: 'Enter' });
    expect(onactivate).toHaveBeenCalledWith(rows[1], 1);
    await fireEvent.keyDown(grid, { key: 'End' });
    expect(grid).toHaveAttribute('aria-activedescendant', 'row-19999');
  });

  it('asks to sort when a sortable header is clicked', async () => {
    const onsort = vi.fn();
    render(VirtualTable<Row>, { rows: rows.slice(0, 10), columns, rowKey: (r: Row) => String(r.id), label: 'g', onsort, sort: { column: 'id', dir: 'asc' } });
    expect(screen.getByRole('columnheader', { name: /Id/ })).toHaveAttribute('aria-sort', 'ascending');
    await fireEvent.click(screen.getByRole('button', { name: /Id/ }));
    expect(onsort).toHaveBeenCalledWith('id');
  });
});
