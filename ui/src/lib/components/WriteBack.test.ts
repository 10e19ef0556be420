import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import WriteBack from './WriteBack.svelte';
import type { WritebackBatch, WritebackPreview, WritebackPushReport } from '../bindings';

const preview = (batch: WritebackBatch | null, written: boolean): WritebackPreview => ({
  store_id: 4,
  store: 'Shop',
  platform: 'shopify',
  plan_run_id: 9,
  from: '2026-06-01',
  to: '2026-06-30',
  skus: [
    {
      variant_id: 11,
      sku: 'TEE-RED-M',
      owner: 'gid://shopify/ProductVariant/11',
      units: 42.5,
      p10: 30,
      p90: 57.5,
      locations: 2,
      fields: [
        { key: 'forecast_units_30d', kind: 'number_decimal', value: '42.5', last_written: written ? '42.5' : null },
        { key: 'forecast_confidence', kind: 'json', value: '{}', last_written: written ? '{}' : null },
      ],
    },
  ],
  skipped_not_synced: 3,
  synced_without_forecast: 0,
  to_write: written ? 0 : 2,
  content_hash: 'a'.repeat(64),
  batch,
  batch_matches: batch !== null,
});

const batch: WritebackBatch = {
  id: 1,
  content_hash: 'a'.repeat(64),
  lines: 2,
  skipped: 3,
  approved_by: 'app:ana',
  approved_at: '2026-05-31T10:00:00',
  status: 'approved',
  pushed_at: null,
  plan_run_id: 9,
};

describe('Write-back', () => {
  it('previews, approves the hash it showed, then pushes', async () => {
    const calls: [string, unknown][] = [];
    let state: 'new' | 'approved' | 'pushed' = 'new';
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === 'writeback_preview')
        return state === 'pushed' ? preview({ ...batch, status: 'pushed' }, true) : preview(state === 'approved' ? batch : null, false);
      if (cmd === 'writeback_approve') {
        state = 'approved';
        return preview(batch, false);
      }
      if (cmd === 'writeback_push') {
        state = 'pushed';
        const r: WritebackPushReport = { batch_id: 1, store: 'Shop', written: 2, unchanged: 0, failed: [], status: 'pushed' };
        return r;
      }
      throw new Error(cmd);
    });
    render(WriteBack, { storeId: 4, storeName: 'Shop' });
    const approve = screen.getByTestId('writeback-approve');
    const push = screen.getByTestId('writeback-push');
    expect(approve).toBeDisabled();
    expect(push).toBeDisabled();
    await fireEvent.click(screen.getByTestId('writeback-preview'));
    await screen.findByRole('row', { name: /TEE-RED-M/ });
    expect(screen.getByTestId('writeback-summary').textContent).toMatch(/3 planned SKU\(s\) not synced/);
    expect(screen.getByTestId('writeback-batch').textContent).toMatch(/nothing is sent before approval/);
    expect(push).toBeDisabled();
    await waitFor(() => expect(approve).toBeEnabled());
    await fireEvent.click(approve);
    await waitFor(() => expect(push).toBeEnabled());
    expect(screen.getByTestId('writeback-batch').textContent).toMatch(/Approved by app:ana at 2026-05-31 10:00 UTC/);
    expect(calls.find(([c]) => c === 'writeback_approve')?.[1]).toMatchObject({ store: 4, hash: 'a'.repeat(64) });
    await fireEvent.click(push);
    const done = await screen.findByTestId('writeback-result');
    expect(done.textContent).toMatch(/2 written, 0 already up to date, 0 failed/);
  });

  it('shows a refused push with its reason', async () => {
    mockIPC((cmd) => {
      if (cmd === 'writeback_preview') return preview({ ...batch }, false);
      if (cmd === 'writeback_push')
        throw { code: 'remote', message: 'Shop: permission missing: writing variant metafields needs the write_products scope' };
      throw new Error(cmd);
    });
    render(WriteBack, { storeId: 4, storeName: 'Shop' });
    await fireEvent.click(screen.getByTestId('writeback-preview'));
    const push = screen.getByTestId('writeback-push');
    await waitFor(() => expect(push).toBeEnabled());
    await fireEvent.click(push);
    await screen.findByText(/write_products scope/);
  });
});
