import type { EngineEvent } from '../../src/engine/events.ts';
import type { Failure } from '../../src/engine/failure.ts';
import { DEFAULT_POOL_SETTINGS, type PoolSettings } from '../../src/engine/pool-settings.ts';
import type { PoolOptions, TaskContext, WorkerFactory, WorkerHandle } from '../../src/engine/pool-types.ts';
import type { SystemSampler } from '../../src/engine/system-sampler.ts';

/** In-process stand-ins for browsers: fast, deterministic, and they remember whether they were stopped. */
export class FakeWorker implements WorkerHandle<FakeWorker> {
  readonly workerId: number;
  readonly pid: number;
  alive = true;
  killed = false;
  readonly #exited = Promise.withResolvers<void>();
  readonly exited = this.#exited.promise;

  constructor(workerId: number, pid: number) {
    this.workerId = workerId;
    this.pid = pid;
  }

  get session(): FakeWorker {
    return this;
  }

  pids(): number[] {
    return [this.pid];
  }

  /** The browser dies on its own. */
  crash(): void {
    this.alive = false;
    this.#exited.resolve();
  }

  async close(): Promise<void> {
    this.alive = false;
  }

  async kill(): Promise<void> {
    this.alive = false;
    this.killed = true;
  }
}

export class FakeFactory implements WorkerFactory<FakeWorker> {
  readonly workers: FakeWorker[] = [];
  startFails: (workerId: number) => boolean = () => false;

  async start(workerId: number): Promise<FakeWorker> {
    await Promise.resolve();
    if (this.startFails(workerId)) throw new TestError('retryable', 'LAUNCH_FLAKY', 'could not start');
    const worker = new FakeWorker(workerId, 1000 + this.workers.length);
    this.workers.push(worker);
    return worker;
  }

  alive(): FakeWorker[] {
    return this.workers.filter((worker) => worker.alive);
  }
}

export class TestError extends Error {
  readonly failure: Failure;
  constructor(kind: Failure['kind'], code: string, message = code, retryAfterMs?: number) {
    super(message);
    this.failure = { kind, code, message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
}

export function classify(error: unknown): Failure {
  if (error instanceof TestError) return error.failure;
  return { kind: 'run', code: 'UNEXPECTED', message: String(error) };
}

export function fakeSampler(load = { cpuPercent: 30, memoryUsedPercent: 40 }, memoryOf: (pids: readonly number[]) => number = () => 1): SystemSampler {
  return {
    machine: async () => ({ cpuCount: 4, totalMemoryBytes: 16 * 2 ** 30, availableMemoryBytes: 12 * 2 ** 30 }),
    load: async () => load,
    processTreesMemoryBytes: async (groups) => groups.map((pids) => memoryOf(pids)),
  };
}

export const testSettings: PoolSettings = {
  ...DEFAULT_POOL_SETTINGS,
  workers: 4,
  backoffBaseMs: 1,
  backoffMaxMs: 4,
  taskDeadlineMs: 10_000,
  abortGraceMs: 50,
  shutdownGraceMs: 2_000,
  sampleIntervalMs: 60_000,
  breakerProbeMs: 5,
};

export type Outcome = { key: string; how: 'done' | 'gave-up' | 'returned'; detail: string; attempts?: number };

export type RunFn = (worker: FakeWorker, task: number, ctx: TaskContext) => Promise<string>;

/** Options for runPool over numbered tasks, recording every hook call and event. */
export function poolOptions(
  count: number,
  run: RunFn,
  overrides: Partial<Omit<PoolOptions<number, FakeWorker, string>, 'settings'>> & { settings?: Partial<PoolSettings> } = {},
) {
  const factory = new FakeFactory();
  const events: EngineEvent[] = [];
  const outcomes: Outcome[] = [];
  const started: { key: string; attempt: number; workerId: number }[] = [];
  const controller = new AbortController();
  const { settings, ...rest } = overrides;
  const options: PoolOptions<number, FakeWorker, string> = {
    tasks: Array.from({ length: count }, (_, index) => index + 1),
    key: (task) => `T${task}`,
    factory,
    run,
    classify,
    describe: (result) => ({ status: result, ok: result === 'OK', message: '' }),
    hooks: {
      started: (task, attempt, workerId) => started.push({ key: `T${task}`, attempt, workerId }),
      done: (task, result) => outcomes.push({ key: `T${task}`, how: 'done', detail: result }),
      gaveUp: (task, failure, attempts) => void outcomes.push({ key: `T${task}`, how: 'gave-up', detail: failure.code, attempts }),
      returned: (task, reason) => outcomes.push({ key: `T${task}`, how: 'returned', detail: reason }),
    },
    settings: { ...testSettings, ...settings },
    sampler: fakeSampler(),
    signal: controller.signal,
    emit: (event) => events.push(event),
    ...rest,
  };
  return { options, factory, events, outcomes, started, controller };
}

/** A promise that resolves once `count` callers have arrived: proves that many ran at once. */
export function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  const all = Promise.withResolvers<void>();
  return () => {
    arrived++;
    if (arrived >= count) all.resolve();
    return all.promise;
  };
}

export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
