import type { EngineEvent } from './events.ts';
import type { Failure } from './failure.ts';
import type { PoolSettings } from './pool-settings.ts';
import type { SystemSampler } from './system-sampler.ts';

/** One running worker: a browser (or a browser context) plus the processes it lives in. */
export interface WorkerHandle<S> {
  readonly session: S;
  /**
   * Root PIDs of the processes this worker runs in, for measuring and for the record. A PID
   * several workers share (one browser, many contexts) is counted once and never held
   * against a single worker's memory limit.
   */
  pids(): number[];
  /** Resolves when the worker dies without being asked to (browser crashed or was killed). */
  readonly exited: Promise<void>;
  /** Orderly close: tabs, context, browser; temp folders removed. */
  close(): Promise<void>;
  /** Immediate: SIGKILL to this worker's own processes, never anybody else's. */
  kill(): Promise<void>;
}

export interface WorkerFactory<S> {
  start(workerId: number, signal: AbortSignal): Promise<WorkerHandle<S>>;
  /** Releases what the factory shares between workers (one browser for many contexts). */
  close?(): Promise<void>;
}

export interface TaskContext {
  /** Aborts when the task must stop: no progress for too long, browser crashed, shutdown. */
  readonly signal: AbortSignal;
  /** 1-based; attempts lost to a session restore or an outage the pool held for are not counted. */
  readonly attempt: number;
  readonly workerId: number;
  /** Reports progress (and proves the task is alive: it resets the no-progress deadline). */
  step(step: string, detail?: string): void;
  fileProgress(file: string, bytes: number, total: number | null): void;
}

/** How a task the pool gave up on is shown and counted. */
export interface GiveUpEnding {
  status: string;
  message: string;
}

export interface PoolHooks<T, R> {
  started(task: T, attempt: number, workerId: number): void;
  /** run() returned: its result, good or bad, is final. */
  done(task: T, result: R): void;
  /**
   * Failed for good after `attempts` attempts. May return the status and message the task ends
   * with (shown and counted instead of the failure's code, e.g. TIMEOUT for a navigation timeout).
   */
  gaveUp(task: T, failure: Failure, attempts: number): GiveUpEnding | void;
  /** Not finished (interrupted, or the run stopped): the caller keeps it for the next run. */
  returned(task: T, reason: string): void;
}

export interface PoolOptions<T, S, R> {
  tasks: readonly T[];
  key(task: T): string;
  factory: WorkerFactory<S>;
  run(session: S, task: T, ctx: TaskContext): Promise<R>;
  classify(error: unknown): Failure;
  describe(result: R): { status: string; ok: boolean; message: string };
  hooks: PoolHooks<T, R>;
  /**
   * The session was lost: called once while the pool is held, however many tasks noticed.
   * true: every worker restarts (picking up the refreshed session) and the tasks run again;
   * false: the run stops, resumably.
   */
  restoreSession?(failure: Failure, signal: AbortSignal): Promise<boolean>;
  settings: PoolSettings;
  sampler?: SystemSampler;
  /** First interrupt: stop dispatching, let running tasks finish within `shutdownGraceMs`. */
  signal: AbortSignal;
  /** Second interrupt: kill our browsers now. */
  killSignal?: AbortSignal;
  emit(event: EngineEvent): void;
  now?(): number;
  random?(): number;
}

export interface PoolSummary {
  total: number;
  completed: number;
  gaveUp: number;
  returned: number;
  interrupted: boolean;
  /** Why the run stopped before the end, if it did (resumably: unfinished tasks were returned). */
  stopped?: Failure;
  workersStarted: number;
  restarts: number;
  retired: number;
  retries: number;
  durationMs: number;
}
