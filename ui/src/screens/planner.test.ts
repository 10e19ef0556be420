import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import Planner from './Planner.svelte';
import { planner } from '../lib/stores/planner.svelte';
import { plannerPage, plannerRows } from '../test/fixtures';
import type { LineEdit, PlannerQuery } from '../lib/bindings';

describe('Planner screen', () => {
  it('edits the selected line with a reason and approves it', async () => {
    const rows = plannerRows(30).map((r) => ({ ...r, recommended_qty: 12, line_status: 'proposed' as const }));
    const edits: LineEdit[] = [];
    const calls: string[] = [];
    mockIPC((cmd, args) => {
      calls.push(cmd);
      if (cmd === 'planner_page') return plannerPage(rows, '2026-11-26 09:00', (args as { query: PlannerQuery }).query);
      if (cmd === 'override_line') {
        const e = (args as { edit: LineEdit }).edit;
        edits.push(e);
        rows[0] = { ...rows[0]!, override_qty: e.qty, override_reason: e.reason };
        return rows[0];
      }
      if (cmd === 'decide_lines') return 1;
      if (cmd === 'review_state') return { last_action: null, material_rule: 'rule' };
      throw new Error(cmd);
    });
    planner.reset();
    render(Planner, { currency: 'USD' });
    expect(await screen.findByTestId('selected-line')).toHaveTextContent('SKU-00000 · WH1');
    const save = screen.getByRole('button', { name: 'Save quantity' });
    expect(save).toBeDisabled(); // a reason is required
    await fireEvent.input(screen.getByLabelText('Quantity'), { target: { value: '24' } });
    await fireEvent.input(screen.getByLabelText('Reason'), { target: { value: 'Trade show' } });
    await fireEvent.click(save);
    expect(await screen.findByText(/quantity set to 24/)).toBeInTheDocument();
    expect(edits).toEqual([{ variant_id: 1, location_id: 1, qty: 24, reason: 'Trade show' }]);
    await fireEvent.click(screen.getByTestId('approve-line'));
    expect(await screen.findByText(/SKU-00000 at WH1 approved/)).toBeInTheDocument();
    // The first window, then again after each change so the line shows its new state.
    expect(calls.filter((c) => c === 'planner_page').length).toBe(3);
  }, 20000);

  it('shows the order value per currency, with the converted total and its rates beside it', async () => {
    const rows = plannerRows(4).map((r, i) => ({ ...r, recommended_qty: 2, currency: i % 2 ? 'EUR' : 'USD' }));
    mockIPC((cmd, args) => {
      if (cmd === 'planner_page') {
        const page = plannerPage(rows, '2026-11-26 09:00', (args as { query: PlannerQuery }).query);
        return {
          ...page,
          totals: {
            ...page.totals,
            order_value: [{ currency: 'EUR', amount: 1200 }, { currency: 'USD', amount: 300 }],
            order_value_converted: { currency: 'USD', amount: 1596, rates: [{ currency: 'EUR', amount: 1.08 }], note: '≈ 1,596.00 USD at rates you entered: EUR 1.08' },
          },
        };
      }
      if (cmd === 'review_state') return { last_action: null, material_rule: 'rule' };
      throw new Error(cmd);
    });
    planner.reset();
    render(Planner, { currency: 'USD' });
    expect(await screen.findByTestId('planner-value')).toHaveTextContent('to order €1,200 + $300 (≈ 1,596.00 USD at rates you entered: EUR 1.08)');
  });

  it('explains the empty plan columns before any plan run', async () => {
    mockIPC((cmd, args) => (cmd === 'planner_page' ? plannerPage(plannerRows(5), null, (args as { query: PlannerQuery }).query) : null));
    planner.reset();
    render(Planner, { currency: 'USD' });
    expect(await screen.findByRole('note')).toHaveTextContent('No plan has run on this data yet');
  });

  it('shows what approve-all will do before doing it, then undoes it as one action', async () => {
    const rows = plannerRows(10).map((r) => ({ ...r, recommended_qty: 12, line_status: 'proposed' as const }));
    const calls: string[] = [];
    let last: { lines: number; at: string } | null = null;
    mockIPC((cmd, args) => {
      calls.push(cmd);
      if (cmd === 'planner_page') return plannerPage(rows, '2026-11-26 09:00', (args as { query: PlannerQuery }).query);
      if (cmd === 'review_state') return { last_action: last, material_rule: 'Overrides are kept unless demand moved by more than 20%' };
      const preview = {
        lines: 7, units: 84, value: [{ currency: 'EUR', lines: 7, value: 336 }],
        excluded: [{ reason: 'above_value_threshold', label: 'order value above the approval threshold', lines: 2 }],
        value_threshold: 5000, change_pct: 25,
      };
      if (cmd === 'preview_approve_all') return preview;
      if (cmd === 'approve_all') {
        last = { lines: 7, at: '2026-12-02T10:00:00' };
        return preview;
      }
      if (cmd === 'undo_last') {
        last = null;
        return 7;
      }
      throw new Error(cmd);
    });
    planner.reset();
    render(Planner, { currency: 'USD' });
    expect(await screen.findByTestId('material-rule')).toHaveTextContent('more than 20%');
    await fireEvent.click(await screen.findByTestId('approve-all'));
    const summary = await screen.findByTestId('approve-all-preview');
    expect(summary).toHaveTextContent('Approve 7 lines');
    expect(summary).toHaveTextContent('2 lines left out: order value above the approval threshold');
    expect(calls).not.toContain('approve_all'); // the summary changes nothing
    await fireEvent.click(screen.getByTestId('confirm-approve-all'));
    expect(await screen.findByText(/Approved 7 lines/)).toBeInTheDocument();
    const undo = screen.getByTestId('undo-last');
    expect(undo).toHaveTextContent('Undo (7 lines)');
    await fireEvent.click(undo);
    expect(await screen.findByText(/7 line\(s\) restored/)).toBeInTheDocument();
    expect(calls.filter((c) => c === 'undo_last')).toHaveLength(1);
  }, 20000);
});
