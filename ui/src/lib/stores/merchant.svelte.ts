import { backend, toBackendError, type BackendError } from '../backend';
import type { MerchantSummary, OpenProgress } from '../bindings';

/** The open merchant: loaded once at start, refreshed after sync, runs and edits. */
class MerchantStore {
  summary = $state<MerchantSummary | null>(null);
  loading = $state(false);
  error = $state<BackendError | null>(null);
  /** Set while the first run creates the demo merchant. */
  progress = $state<OpenProgress | null>(null);

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      this.summary = await backend.openMerchant((p) => (this.progress = p));
    } catch (e) {
      this.error = toBackendError(e);
    } finally {
      this.loading = false;
      this.progress = null;
    }
  }
}

export const merchant = new MerchantStore();
export { MerchantStore };
