import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import Promotions from './Promotions.svelte';
import NightlySettings from '../lib/components/NightlySettings.svelte';
import type { PromotionInput, PromotionList, PromotionView, ScheduleOutcome } from '../lib/bindings';

const promo: PromotionView = {
  id: 7,
  name: 'Winter push',
  sku: 'TEE-RED-M',
  variant_id: 3,
  category: null,
  location: null,
  start: '2027-01-04',
  end: '2027-01-10',
  discount_pct: 25,
  days: 7,
  forecast_units: 42.5,
  forecast_days: 7,
};
const list = (promotions: PromotionView[]): PromotionList => ({
  promotions,
  skus: ['TEE-RED-M', 'MUG-01'],
  categories: ['Apparel', 'Home'],
  locations: ['WH-EAST', 'SHOP'],
});

describe('Promotions screen', () => {
  it('lists promotions with the forecast over their days', async () => {
    mockIPC((cmd) => {
      if (cmd === 'list_promotions') return list([promo]);
      throw new Error(cmd);
    });
    render(Promotions);
    const row = await screen.findByRole('row', { name: /Winter push/ });
    expect(within(row).getByText('SKU TEE-RED-M')).toBeTruthy();
    expect(within(row).getByText(/42\.5/)).toBeTruthy();
  });

  it('adds a promotion for a category (no SKU sent) and shows the refusal of a bad one', async () => {
    const sent: (PromotionInput & { id: number | null })[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'list_promotions') return list([]);
      if (cmd === 'save_promotion') {
        const a = args as { id: number | null; input: PromotionInput };
        sent.push({ ...a.input, id: a.id });
        if (a.input.end < a.input.start) throw { code: 'bad_input', message: 'promotion "Sale" ends (2027-01-01) before it starts (2027-01-05)' };
        return list([{ ...promo, sku: null, variant_id: null, category: a.input.category, name: a.input.name }]);
      }
      throw new Error(cmd);
    });
    const { container } = render(Promotions);
    await screen.findByText('No promotions yet.');
    const field = (name: string) => container.querySelector(`[name="${name}"]`) as HTMLInputElement;
    await fireEvent.input(field('promo-name'), { target: { value: 'Sale' } });
    await fireEvent.change(field('promo-scope'), { target: { value: 'category' } });
    await waitFor(() => expect(field('promo-category')).toBeTruthy());
    await fireEvent.change(field('promo-category'), { target: { value: 'Home' } });
    await fireEvent.input(field('promo-start'), { target: { value: '2027-01-05' } });
    await fireEvent.input(field('promo-end'), { target: { value: '2027-01-01' } });
    await fireEvent.submit(container.querySelector('form') as HTMLFormElement);
    await screen.findByText(/ends \(2027-01-01\) before it starts/);
    await fireEvent.input(field('promo-end'), { target: { value: '2027-01-09' } });
    await fireEvent.submit(container.querySelector('form') as HTMLFormElement);
    await screen.findByText(/added; the next plan forecasts with it/);
    expect(sent.at(-1)).toMatchObject({ id: null, name: 'Sale', sku: null, category: 'Home', location: null, start: '2027-01-05', end: '2027-01-09' });
    await screen.findByRole('row', { name: /Category Home/ });
  });
});

describe('Nightly run setting', () => {
  it('installs the timer from the switch and shows the files it wrote', async () => {
    const outcome: ScheduleOutcome = {
      plan: {
        scheduler: 'systemd',
        at: '02:00',
        files: [{ path: '/home/ana/.config/systemd/user/forestock-nightly.timer', content: 'OnCalendar=*-*-* 02:00:00\n' }],
        commands: ['systemctl --user daemon-reload'],
      },
      applied: true,
      notes: ['wrote /home/ana/.config/systemd/user/forestock-nightly.timer'],
    };
    const calls: string[] = [];
    mockIPC((cmd, args) => {
      calls.push(cmd);
      if (cmd === 'nightly_status') return { scheduler: 'systemd', installed: false, files: [] };
      if (cmd === 'install_nightly') {
        expect((args as { at: string }).at).toBe('02:00');
        return outcome;
      }
      throw new Error(cmd);
    });
    render(NightlySettings);
    const sw = (await screen.findByTestId('nightly-switch')) as HTMLInputElement;
    await waitFor(() => expect(calls).toContain('nightly_status'));
    await fireEvent.click(sw);
    expect(await screen.findByText('/home/ana/.config/systemd/user/forestock-nightly.timer')).toBeTruthy();
    expect(screen.getByText(/OnCalendar=\*-\*-\* 02:00:00/)).toBeTruthy();
    expect(sw.checked).toBe(true);
  });
});
