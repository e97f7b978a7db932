import type { EngineEvent, WorkerStopReason } from './events.ts';
import type { WorkerFactory, WorkerHandle } from './pool-types.ts';
import { settleWithin } from './settle-within.ts';

/**
 * One place in the pool: a worker is started here, recycled, restarted after a crash, and
 * retired when it keeps dying. Only this class starts, closes or kills handles.
 */
export class WorkerSlot<S> {
  readonly id: number;
  handle: WorkerHandle<S> | null = null;
  tasksSinceStart = 0;
  /** Deaths (crash, hang, failed start) since the last task that ended normally. */
  deathsInRow = 0;
  retired = false;
  busy = false;
  /** The browser died while nobody asked it to. */
  exitedUnexpectedly = false;
  /** Close and start again before the next task. */
  recycle: { reason: WorkerStopReason; detail: string } | null = null;
  readonly #factory: WorkerFactory<S>;
  readonly #emit: (event: EngineEvent) => void;
  readonly #now: () => number;
  readonly #onExit: () => void;

  constructor(id: number, factory: WorkerFactory<S>, emit: (event: EngineEvent) => void, now: () => number, onExit: () => void) {
    this.id = id;
    this.#factory = factory;
    this.#emit = emit;
    this.#now = now;
    this.#onExit = onExit;
  }

  /** Starts a worker; throws what the factory threw. */
  async start(signal: AbortSignal): Promise<void> {
    const startedAt = this.#now();
    const handle = await this.#factory.start(this.id, signal);
    this.handle = handle;
    this.tasksSinceStart = 0;
    this.exitedUnexpectedly = false;
    this.recycle = null;
    void handle.exited.then(() => {
      if (this.handle !== handle) return;
      this.exitedUnexpectedly = true;
      this.#onExit();
    });
    this.#emit({ type: 'worker-started', at: this.#now(), workerId: this.id, pids: handle.pids(), startMs: this.#now() - startedAt });
  }

  /** Orderly close; a worker that does not close within `graceMs` (or fails to) is killed. */
  async stop(reason: WorkerStopReason, graceMs: number, detail?: string): Promise<void> {
    const handle = this.#detach();
    if (handle === null) return;
    const closed = await settleWithin(handle.close(), graceMs);
    if (closed === null || !closed.ok) await handle.kill().catch(() => {});
    this.#stopped(reason, detail);
  }

  /** Immediate: our own processes only. */
  async kill(reason: WorkerStopReason, detail?: string): Promise<void> {
    const handle = this.#detach();
    if (handle === null) return;
    await handle.kill().catch(() => {});
    this.#stopped(reason, detail);
  }

  /** Takes this slot out of the run for good (its worker is already stopped). */
  retire(detail: string): void {
    this.retired = true;
    this.#stopped('retired', detail);
  }

  #detach(): WorkerHandle<S> | null {
    const handle = this.handle;
    this.handle = null;
    this.recycle = null;
    this.exitedUnexpectedly = false;
    return handle;
  }

  #stopped(reason: WorkerStopReason, detail: string | undefined): void {
    this.#emit({ type: 'worker-stopped', at: this.#now(), workerId: this.id, reason, ...(detail === undefined ? {} : { detail }) });
  }
}
