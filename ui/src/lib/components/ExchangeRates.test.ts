import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import ExchangeRates from './ExchangeRates.svelte';
import type { RatesView } from '../bindings';
import { amounts, difference } from '../format';

const eur = { currency: 'EUR', rate: 1.087, updated_at: '2026-11-20T09:00:00', updated_by: 'app:ann' };

describe('Settings: exchange rates', () => {
  it('lists the rates and the currencies without one, sets, refuses and deletes', async () => {
    let view: RatesView = { merchant_currency: 'USD', rates: [eur], missing: ['GBP'] };
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'list_rates') return view;
      if (cmd === 'set_rate') {
        const a = args as { currency: string; rate: number };
        if (a.currency === 'USD') throw { code: 'bad_input', message: "invalid exchange rate: USD is the merchant's own currency: its rate is always 1" };
        view = { ...view, rates: [eur, { ...eur, currency: a.currency, rate: a.rate }], missing: [] };
        return view;
      }
      if (cmd === 'delete_rate') {
        view = { ...view, rates: view.rates.filter((r) => r.currency !== (args as { currency: string }).currency), missing: ['EUR'] };
        return view;
      }
      throw new Error(cmd);
    });
    render(ExchangeRates);
    expect(await screen.findByText('EUR')).toBeInTheDocument();
    expect(screen.getByTestId('rates-missing')).toHaveTextContent('No rate for GBP');

    // The merchant's own currency: the library's message is shown, nothing changes.
    await fireEvent.input(screen.getByLabelText('Currency'), { target: { value: 'usd' } });
    await fireEvent.input(screen.getByLabelText('USD per unit'), { target: { value: '1' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save rate' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("USD is the merchant's own currency");

    // Not a number: refused before asking the library.
    await fireEvent.input(screen.getByLabelText('Currency'), { target: { value: 'gbp' } });
    await fireEvent.input(screen.getByLabelText('USD per unit'), { target: { value: '1,25' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save rate' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('the rate "1,25" is not a number');
    expect(calls.filter(([c]) => c === 'set_rate')).toHaveLength(1);

    await fireEvent.input(screen.getByLabelText('USD per unit'), { target: { value: '1.25' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save rate' }));
    await waitFor(() => expect(screen.queryByTestId('rates-missing')).toBeNull());
    expect(calls.at(-1)).toEqual(['set_rate', { currency: 'GBP', rate: 1.25 }]);
    expect(screen.getByRole('status')).toHaveTextContent('Saved: 1 GBP = 1.25 USD.');

    await fireEvent.click(screen.getByRole('button', { name: 'Delete the rate of EUR' }));
    await waitFor(() => expect(screen.getByTestId('rates-missing')).toHaveTextContent('No rate for EUR'));
    expect(calls.at(-1)).toEqual(['delete_rate', { currency: 'EUR' }]);
  });
});

describe('money per currency', () => {
  it('is never added across currencies', () => {
    expect(amounts([{ currency: 'EUR', amount: 1200 }, { currency: 'USD', amount: 300 }])).toBe('€1,200 + $300');
    expect(amounts([], 'EUR')).toBe('€0');
  });
  it('differs currency by currency', () => {
    const before = [{ currency: 'EUR', amount: 100 }, { currency: 'USD', amount: 50 }];
    const after = [{ currency: 'GBP', amount: 5 }, { currency: 'USD', amount: 80 }];
    expect(difference(before, after)).toEqual([
      { currency: 'EUR', amount: -100 },
      { currency: 'GBP', amount: 5 },
      { currency: 'USD', amount: 30 },
    ]);
  });
});
