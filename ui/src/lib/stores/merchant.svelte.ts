import { backend, toBackendError, type BackendError } from '../backend';
import type { Checklist, MerchantFiles, MerchantSummary, NewMerchant, OpenProgress } from '../bindings';
import { nav } from './nav.svelte';
import { planner } from './planner.svelte';
import { run } from './run.svelte';

/** The open merchant: loaded at start, refreshed after sync, runs and edits; switched from the
 * header. The Rust side decides everything (which file opens, whether it is a Forestock
 * database, what the set-up checklist says); this store only holds what it answered. */
class MerchantStore {
  summary = $state<MerchantSummary | null>(null);
  loading = $state(false);
  error = $state<BackendError | null>(null);
  /** No merchant chosen yet (first run): the window offers the demo or setting up a shop. */
  firstRun = $state(false);
  /** Set while the demo merchant is being created. */
  progress = $state<OpenProgress | null>(null);
  /** The recent merchant files and where new ones go. */
  files = $state<MerchantFiles | null>(null);
  /** Why the last switch, set-up or file pick failed; the open merchant stays as it was. */
  switchError = $state<BackendError | null>(null);
  switching = $state(false);
  checklist = $state<Checklist | null>(null);
  /** Bumped on every switch, so the screens re-mount on the new merchant's data. */
  generation = $state(0);

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const s = await backend.openMerchant((p) => (this.progress = p));
      this.summary = s;
      this.firstRun = s === null;
      if (s === null) await this.loadFiles();
      else await this.loadChecklist();
    } catch (e) {
      this.error = toBackendError(e);
    } finally {
      this.loading = false;
      this.progress = null;
    }
  }

  async loadFiles(): Promise<void> {
    try {
      this.files = await backend.merchantFiles();
    } catch (e) {
      this.switchError = toBackendError(e);
    }
  }

  async loadChecklist(): Promise<void> {
    try {
      this.checklist = await backend.setupChecklist();
    } catch {
      // The checklist is a guide; the screens show their own errors.
      this.checklist = null;
    }
  }

  /** Run one of the switching actions; on success the new merchant is shown, on failure the
   * error is kept and the open merchant (if any) stays. Resolves true on success. */
  private async become(action: () => Promise<MerchantSummary>): Promise<boolean> {
    this.switching = true;
    this.switchError = null;
    try {
      this.summary = await action();
      this.firstRun = false;
      this.error = null;
      // Nothing of the previous merchant stays on screen.
      planner.reset();
      if (!run.running) {
        run.summary = null;
        run.synced = [];
      }
      this.generation += 1;
      nav.go('overview');
      await Promise.all([this.loadFiles(), this.loadChecklist()]);
      return true;
    } catch (e) {
      this.switchError = toBackendError(e);
      await this.loadFiles();
      return false;
    } finally {
      this.switching = false;
      this.progress = null;
    }
  }

  switchTo(path: string): Promise<boolean> {
    return this.become(() => backend.switchMerchant(path));
  }

  create(form: NewMerchant): Promise<boolean> {
    return this.become(() => backend.createMerchant(form));
  }

  openDemo(): Promise<boolean> {
    return this.become(() => backend.openDemo((p) => (this.progress = p)));
  }

  /** "Open file…": the native dialog, then the same checks as a typed path. */
  async pickFile(): Promise<boolean> {
    this.switchError = null;
    try {
      const path = await backend.pickMerchantFile();
      return path === null ? false : await this.switchTo(path);
    } catch (e) {
      this.switchError = toBackendError(e);
      return false;
    }
  }
}

export const merchant = new MerchantStore();
export { MerchantStore };
