import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import Overrides from './Overrides.svelte';
import type { OverrideInput, OverrideList, OverrideView } from '../lib/bindings';

const ovr: OverrideView = {
  id: 3,
  sku: 'TEE-RED-M',
  variant_id: 3,
  category: null,
  location: null,
  start: '2027-03-01',
  end: '2027-03-31',
  days: 31,
  kind: 'percent',
  value: 30,
  reason: 'influencer campaign',
  summary: 'forecast raised 30% Mar 1–31 by the planner: influencer campaign',
  created_at: '2026-11-25 10:00',
  created_by: 'app:ana',
};
const list = (overrides: OverrideView[]): OverrideList => ({
  overrides,
  skus: ['MUG-01', 'TEE-RED-M'],
  categories: ['Apparel', 'Home'],
  locations: ['SHOP', 'WH-EAST'],
});

describe('Forecast overrides screen', () => {
  it('lists overrides with their change and reason', async () => {
    mockIPC((cmd) => {
      if (cmd === 'list_forecast_overrides') return list([ovr]);
      throw new Error(cmd);
    });
    render(Overrides);
    const row = await screen.findByRole('row', { name: /TEE-RED-M/ });
    expect(within(row).getByText('+30%')).toBeTruthy();
    expect(within(row).getByText('influencer campaign')).toBeTruthy();
  });

  it('adds a daily quantity for a category, shows a refusal naming the field, edits and deletes', async () => {
    const sent: (OverrideInput & { id: number | null })[] = [];
    let stored: OverrideView[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_forecast_overrides') return list(stored);
      if (cmd === 'save_forecast_override') {
        const a = args as { id: number | null; input: OverrideInput };
        sent.push({ ...a.input, id: a.id });
        if (a.input.reason.trim() === '') throw { code: 'bad_input', message: 'reason: an override needs a reason' };
        stored = [{ ...ovr, id: a.id ?? 9, sku: null, variant_id: null, category: a.input.category, kind: a.input.kind, value: a.input.value, reason: a.input.reason }];
        return list(stored);
      }
      if (cmd === 'delete_forecast_override') {
        stored = [];
        return list(stored);
      }
      throw new Error(cmd);
    });
    const { container } = render(Overrides);
    await screen.findByText('No forecast overrides yet.');
    const field = (name: string) => container.querySelector(`[name="${name}"]`) as HTMLInputElement;
    await fireEvent.change(field('ovr-scope'), { target: { value: 'category' } });
    await waitFor(() => expect(field('ovr-category')).toBeTruthy());
    await fireEvent.change(field('ovr-category'), { target: { value: 'Home' } });
    await fireEvent.input(field('ovr-start'), { target: { value: '2027-03-01' } });
    await fireEvent.input(field('ovr-end'), { target: { value: '2027-03-31' } });
    await fireEvent.change(field('ovr-kind'), { target: { value: 'daily_qty' } });
    await fireEvent.input(field('ovr-value'), { target: { value: '12' } });
    await fireEvent.input(field('ovr-reason'), { target: { value: ' ' } });
    await fireEvent.submit(container.querySelector('form') as HTMLFormElement);
    await screen.findByText(/reason: an override needs a reason/);
    await fireEvent.input(field('ovr-reason'), { target: { value: 'trade fair' } });
    await fireEvent.submit(container.querySelector('form') as HTMLFormElement);
    await screen.findByText(/Override added/);
    expect(sent.at(-1)).toMatchObject({ id: null, sku: null, category: 'Home', location: null, kind: 'daily_qty', value: 12, reason: 'trade fair' });
    const row = await screen.findByRole('row', { name: /Category Home/ });
    expect(within(row).getByText('12/day')).toBeTruthy();
    await fireEvent.click(within(row).getByText('Edit'));
    await fireEvent.input(field('ovr-value'), { target: { value: '15' } });
    await fireEvent.submit(container.querySelector('form') as HTMLFormElement);
    await screen.findByText(/Override 9 changed/);
    expect(sent.at(-1)).toMatchObject({ id: 9, value: 15 });
    await fireEvent.click(within(await screen.findByRole('row', { name: /Category Home/ })).getByText('Delete'));
    await screen.findByText(/Override 9 deleted/);
    await screen.findByText('No forecast overrides yet.');
  });
});
