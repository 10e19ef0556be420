import { backend, toBackendError, type BackendError } from '../backend';
import type { PlanRunSummary, RunEvent, RunStage, StoreSyncView } from '../bindings';

export type StageState = 'waiting' | 'running' | 'done' | 'skipped' | 'cancelled';

export interface StageView {
  state: StageState;
  note: string;
  done: number | null;
  total: number | null;
}

const fresh = (): Record<RunStage, StageView> => ({
  sync: { state: 'waiting', note: '', done: null, total: null },
  plan: { state: 'waiting', note: '', done: null, total: null },
});

/** "Sync & run": the stages' progress as the Rust side streams it, cancel, and the summary. */
class RunStore {
  running = $state(false);
  cancelling = $state(false);
  stages = $state(fresh());
  summary = $state<PlanRunSummary | null>(null);
  /** What the sync stage copied, per store (empty when it was skipped). */
  synced = $state<StoreSyncView[]>([]);
  /** How many progress events each stage streamed (shown as a data attribute for the e2e). */
  progressEvents = $state<Record<RunStage, number>>({ sync: 0, plan: 0 });
  cancelled = $state(false);
  error = $state<BackendError | null>(null);

  apply(e: RunEvent): void {
    switch (e.event) {
      case 'started':
        this.stages[e.stage] = { state: 'running', note: '', done: null, total: null };
        break;
      case 'progress':
        this.progressEvents[e.stage] += 1;
        this.stages[e.stage] = { state: 'running', note: e.label, done: e.done, total: e.total };
        break;
      case 'skipped':
        this.stages[e.stage] = { state: 'skipped', note: e.reason, done: null, total: null };
        break;
      case 'finished':
        this.stages[e.stage] = { state: 'done', note: `${(e.elapsed_ms / 1000).toFixed(1)} s`, done: null, total: null };
        break;
      case 'synced':
        this.synced = e.stores;
        break;
      case 'done':
        this.summary = e.plan;
        break;
      case 'cancelled':
        this.cancelled = true;
        for (const s of ['sync', 'plan'] as const) {
          if (this.stages[s].state === 'waiting' || this.stages[s].state === 'running') this.stages[s].state = 'cancelled';
        }
        break;
    }
  }

  /** Start a run; resolves when it ended. `onDone` runs after a successful, uncancelled run. */
  async start(onDone?: () => Promise<void> | void): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.cancelling = false;
    this.cancelled = false;
    this.summary = null;
    this.synced = [];
    this.progressEvents = { sync: 0, plan: 0 };
    this.error = null;
    this.stages = fresh();
    try {
      await backend.syncAndRun((e) => this.apply(e));
      if (!this.cancelled) await onDone?.();
    } catch (e) {
      this.error = toBackendError(e);
    } finally {
      this.running = false;
      this.cancelling = false;
    }
  }

  async cancel(): Promise<void> {
    if (!this.running) return;
    this.cancelling = true;
    try {
      await backend.cancelRun();
    } catch (e) {
      this.error = toBackendError(e);
    }
  }
}

export { RunStore };
export const run = new RunStore();
