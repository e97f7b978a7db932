import type { EngineEvent, WorkerStopReason } from '../engine/events.ts';

/**
 * What any display needs to know about a run, folded from the engine's events by a pure
 * reducer. Displays derive time-based figures (elapsed, ETA, rate) with `measureRun`.
 */
export type RunState = 'starting' | 'running' | 'held' | 'stopping' | 'finished';

export interface FileProgress {
  readonly name: string;
  readonly bytes: number;
  readonly totalBytes: number | null;
}

export interface WorkerView {
  readonly id: number;
  /** The task key (PO) the worker is on; `null` while idle. */
  readonly key: string | null;
  readonly step: string | null;
  readonly stepDetail: string | null;
  readonly attempt: number;
  /** Files of the current task, oldest first. */
  readonly files: readonly FileProgress[];
}

export type Activity =
  | { readonly kind: 'finished'; readonly at: number; readonly key: string; readonly status: string; readonly ok: boolean; readonly message: string; readonly durationMs: number }
  | { readonly kind: 'retry'; readonly at: number; readonly key: string; readonly attempt: number; readonly delayMs: number; readonly reason: string }
  | { readonly kind: 'worker-stopped'; readonly at: number; readonly workerId: number; readonly reason: WorkerStopReason; readonly detail: string };

export interface RunStats {
  readonly cpuPercent: number;
  readonly memoryUsedPercent: number;
  readonly browserMemoryBytes: number;
}

export interface RunEnd {
  readonly durationMs: number;
  readonly interrupted: boolean;
  readonly counts: Readonly<Record<string, number>>;
}

export interface RunView {
  readonly state: RunState;
  /** Why the pool is held (e.g. waiting for sign-in); `null` unless held. */
  readonly heldReason: string | null;
  readonly startedAt: number | null;
  readonly lastEventAt: number | null;
  readonly total: number;
  readonly done: number;
  /** Outcomes so far, by status string (unknown statuses are counted too). */
  readonly counts: Readonly<Record<string, number>>;
  readonly activeWorkers: number;
  readonly targetWorkers: number;
  /** Sorted by id; a stopped worker leaves the list. */
  readonly workers: readonly WorkerView[];
  /** Newest first, at most `RECENT_LIMIT`. */
  readonly recent: readonly Activity[];
  /** Finish times of the latest tasks, oldest first, for the recent throughput. */
  readonly finishTimes: readonly number[];
  readonly stats: RunStats | null;
  readonly end: RunEnd | null;
}

export const RECENT_LIMIT = 8;
/** How many recent finishes the throughput (and so the ETA) is measured over. */
export const THROUGHPUT_WINDOW = 20;

export const initialRunView: RunView = {
  state: 'starting',
  heldReason: null,
  startedAt: null,
  lastEventAt: null,
  total: 0,
  done: 0,
  counts: {},
  activeWorkers: 0,
  targetWorkers: 0,
  workers: [],
  recent: [],
  finishTimes: [],
  stats: null,
  end: null,
};

function withActivity(view: RunView, activity: Activity): readonly Activity[] {
  return [activity, ...view.recent].slice(0, RECENT_LIMIT);
}

function idleWorker(id: number): WorkerView {
  return { id, key: null, step: null, stepDetail: null, attempt: 0, files: [] };
}

function updateWorker(view: RunView, workerId: number, change: (worker: WorkerView) => WorkerView): readonly WorkerView[] {
  const existing = view.workers.find((worker) => worker.id === workerId);
  // Events for a worker we never saw start (e.g. listener attached late) still show up.
  const base = existing ?? idleWorker(workerId);
  const others = view.workers.filter((worker) => worker.id !== workerId);
  return [...others, change(base)].sort((a, b) => a.id - b.id);
}

function withFile(files: readonly FileProgress[], file: FileProgress): readonly FileProgress[] {
  const index = files.findIndex((existing) => existing.name === file.name);
  if (index === -1) return [...files, file];
  return files.map((existing, i) => (i === index ? file : existing));
}

/** Folds one engine event into the view; unknown event types leave it unchanged. */
export function reduceRunView(view: RunView, event: EngineEvent): RunView {
  const next: RunView = { ...view, lastEventAt: event.at };
  switch (event.type) {
    case 'run-started':
      return { ...next, state: 'running', startedAt: event.at, total: event.total, targetWorkers: event.targetWorkers };
    case 'worker-started': {
      const workers = updateWorker(view, event.workerId, (worker) => worker);
      return { ...next, workers, activeWorkers: Math.max(view.activeWorkers, workers.length) };
    }
    case 'worker-stopped': {
      const workers = view.workers.filter((worker) => worker.id !== event.workerId);
      const recent = event.reason === 'stopped' ? view.recent : withActivity(view, { kind: 'worker-stopped', at: event.at, workerId: event.workerId, reason: event.reason, detail: event.detail ?? '' });
      return { ...next, workers, recent, activeWorkers: Math.min(view.activeWorkers, workers.length) };
    }
    case 'task-started':
      return { ...next, workers: updateWorker(view, event.workerId, (worker) => ({ ...worker, key: event.key, step: null, stepDetail: null, attempt: event.attempt, files: [] })) };
    case 'task-step':
      return { ...next, workers: updateWorker(view, event.workerId, (worker) => ({ ...worker, key: event.key, step: event.step, stepDetail: event.detail ?? null })) };
    case 'task-file-progress': {
      const file: FileProgress = { name: event.file, bytes: event.bytes, totalBytes: event.totalBytes };
      return { ...next, workers: updateWorker(view, event.workerId, (worker) => ({ ...worker, key: event.key, files: withFile(worker.files, file) })) };
    }
    case 'task-retry':
      return { ...next, recent: withActivity(view, { kind: 'retry', at: event.at, key: event.key, attempt: event.attempt, delayMs: event.delayMs, reason: event.reason }) };
    case 'task-finished': {
      const counts = { ...view.counts, [event.status]: (view.counts[event.status] ?? 0) + 1 };
      // Tasks that end without a browser (an invalid PO number) must not invent a worker row.
      const workers = view.workers.map((worker) => (worker.id === event.workerId ? idleWorker(worker.id) : worker));
      const finishTimes = [...view.finishTimes, event.at].slice(-(THROUGHPUT_WINDOW + 1));
      const recent = withActivity(view, { kind: 'finished', at: event.at, key: event.key, status: event.status, ok: event.ok, message: event.message, durationMs: event.durationMs });
      return { ...next, counts, workers, finishTimes, recent, done: view.done + 1 };
    }
    case 'pool-scaled':
      return { ...next, activeWorkers: event.active, targetWorkers: event.target };
    case 'pool-held':
      return view.state === 'stopping' ? next : { ...next, state: 'held', heldReason: event.reason };
    case 'pool-resumed':
      return view.state === 'stopping' ? next : { ...next, state: 'running', heldReason: null };
    case 'stats':
      return {
        ...next,
        stats: { cpuPercent: event.cpuPercent, memoryUsedPercent: event.memoryUsedPercent, browserMemoryBytes: event.browserMemoryBytes },
        activeWorkers: event.activeWorkers,
        targetWorkers: event.targetWorkers,
      };
    case 'interrupt':
      return { ...next, state: 'stopping', heldReason: null };
    case 'run-finished':
      return { ...next, state: 'finished', heldReason: null, end: { durationMs: event.durationMs, interrupted: event.interrupted, counts: event.counts } };
    default:
      // The events module may grow new variants; a display that has not learnt them yet ignores them.
      return view;
  }
}
