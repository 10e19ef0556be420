import { describe, expect, it } from 'vitest';
import { mockIPC } from '@tauri-apps/api/mocks';
import { backend, BackendError, remedy, toBackendError } from './backend';
import { summary } from '../test/fixtures';

describe('backend', () => {
  it('invokes open_merchant and returns the summary', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === 'open_merchant') return summary;
      throw new Error(`unexpected ${cmd}`);
    });
    await expect(backend.openMerchant()).resolves.toEqual(summary);
    expect(calls).toEqual(['open_merchant']);
  });

  it('turns a {code, message} rejection into a BackendError', async () => {
    mockIPC(() => {
      throw { code: 'database', message: 'x.db was written by a newer Forestock' };
    });
    const err = await backend.openMerchant().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).code).toBe('database');
    expect((err as BackendError).message).toMatch(/newer Forestock/);
  });

  it('maps unknown rejections to internal', () => {
    expect(toBackendError('boom').code).toBe('internal');
    expect(toBackendError(new Error('bad')).message).toBe('bad');
  });

  it('has a remedy for every code', () => {
    for (const code of ['not_found', 'bad_input', 'database', 'busy', 'cancelled', 'remote', 'internal'] as const) {
      expect(remedy(code).length).toBeGreaterThan(10);
    }
  });
});
