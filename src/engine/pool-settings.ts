/** The most workers a run may have; `--workers` is checked against it. */
export const MAX_WORKERS = 16;

/**
 * The most workers a run through Coupa's REST API alone may have: its workers hold no browser
 * (a few KB each), and at 20 requests/s a PO's ~5 s of Coupa answers and file bytes need ~20
 * POs at once to keep the pace busy (docs/benchmark.md, "API mode").
 */
export const MAX_API_WORKERS = 32;

/** Every knob of the pool in one place; milliseconds and bytes are named as such. */
export interface PoolSettings {
  /** How many browsers: a fixed number (1–`maxWorkers`) or `'auto'` (from CPU cores and free memory, then adjusted). */
  workers: number | 'auto';
  maxWorkers: number;
  /**
   * `'auto'` never goes above this many: one user's run should not open more browsers than that
   * against the company's Coupa. A fixed `workers` may go up to `maxWorkers`.
   */
  maxAutoWorkers: number;
  /** `'auto'` starts this many workers per CPU core at most (browsers mostly wait on the network). */
  autoWorkersPerCore: number;
  /** `'auto'` assumes each worker costs this much memory when choosing how many to start. */
  autoWorkerCostBytes: number;
  maxAttempts: number;
  /** Times one task may go back for a lost session before it is given up (restores themselves are not limited). */
  maxSessionRetries: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A task that reports no progress (no step, no file bytes) for this long is aborted and retried. */
  taskDeadlineMs: number;
  /** How long run() gets to return after its signal aborts before its worker is killed. */
  abortGraceMs: number;
  /** A worker's browser is restarted after this many tasks (long-lived browsers grow). */
  recycleAfterTasks: number;
  /** …or when its process tree uses more than this (PSS). */
  workerMemoryLimitBytes: number;
  /** Workers are shed while the machine uses more memory than this. */
  systemMemoryLimitPercent: number;
  /** `'auto'` sheds a worker above this CPU use and adds one below `scaleUpBelowPercent`. */
  cpuHighPercent: number;
  scaleUpBelowPercent: number;
  /** Consecutive samples a pressure must last before the worker count changes (hysteresis). */
  scaleAfterSamples: number;
  /** A worker that dies this many times in a row is retired. */
  maxWorkerRestarts: number;
  /** This many tasks in a row failing with the same code hold the pool. */
  breakerThreshold: number;
  breakerProbeMs: number;
  /** Failed probes after which the run stops, resumably. */
  breakerMaxProbes: number;
  /** After the first interrupt, running tasks get this long to finish. */
  shutdownGraceMs: number;
  /** How often the machine's CPU and memory are looked at (cheap). */
  sampleIntervalMs: number;
  /**
   * How often our browsers' memory is measured (at the first sample, then at most this often):
   * each measurement costs ~30 ms of CPU and holds up the browsers' own memory work while the
   * kernel walks their page tables; every 2 s that added ~16 ms to each PO on average (docs/benchmark.md).
   */
  memorySampleIntervalMs: number;
}

export const DEFAULT_POOL_SETTINGS: Readonly<PoolSettings> = Object.freeze({
  workers: 'auto',
  maxWorkers: MAX_WORKERS,
  maxAutoWorkers: 6,
  autoWorkersPerCore: 2,
  autoWorkerCostBytes: 250 * 1024 * 1024,
  maxAttempts: 3,
  maxSessionRetries: 10,
  backoffBaseMs: 2_000,
  backoffMaxMs: 60_000,
  taskDeadlineMs: 600_000,
  abortGraceMs: 5_000,
  recycleAfterTasks: 100,
  workerMemoryLimitBytes: 1024 * 1024 * 1024,
  systemMemoryLimitPercent: 75,
  cpuHighPercent: 90,
  scaleUpBelowPercent: 60,
  scaleAfterSamples: 3,
  maxWorkerRestarts: 3,
  breakerThreshold: 5,
  breakerProbeMs: 30_000,
  breakerMaxProbes: 3,
  shutdownGraceMs: 60_000,
  sampleIntervalMs: 2_000,
  memorySampleIntervalMs: 10_000,
});
