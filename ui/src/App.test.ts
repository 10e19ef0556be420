import { describe, expect, it } from 'vitest';
import { render, screen, fireEvent } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import App from './App.svelte';
import { summary } from './test/fixtures';

describe('App', () => {
  it('shows the merchant name and SKU count in the header', async () => {
    mockIPC((cmd) => (cmd === 'open_merchant' ? summary : null));
    render(App);
    expect(await screen.findByTestId('merchant-name')).toHaveTextContent('Fernhill Outfitters');
    expect(screen.getByTestId('sku-count')).toHaveTextContent('800 SKUs');
  });

  it('shows a readable error with a retry when the database cannot be opened', async () => {
    let fail = true;
    mockIPC(() => {
      if (fail) throw { code: 'database', message: 'merchant.db is not a Forestock database' };
      return summary;
    });
    render(App);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('not a Forestock database');
    fail = false;
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('merchant-name')).toHaveTextContent('Fernhill Outfitters');
  });
});
