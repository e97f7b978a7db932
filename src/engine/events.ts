/**
 * The engine's progress, as a stream of typed events. Displays (dashboard, plain lines,
 * JSON lines, the log file) only listen; the engine never draws. Generic: a task is known
 * by its key, and its outcome by a short status string and message given by the caller.
 */
export type WorkerStopReason = 'recycled' | 'crashed' | 'hung' | 'memory' | 'retired' | 'scaled-down' | 'stopped';

export type EngineEvent =
  | { type: 'run-started'; at: number; total: number; targetWorkers: number }
  | { type: 'worker-started'; at: number; workerId: number; pids: number[]; startMs: number }
  | { type: 'worker-stopped'; at: number; workerId: number; reason: WorkerStopReason; detail?: string }
  | { type: 'task-started'; at: number; workerId: number; key: string; attempt: number }
  | { type: 'task-step'; at: number; workerId: number; key: string; step: string; detail?: string }
  | {
      type: 'task-file-progress';
      at: number;
      workerId: number;
      key: string;
      file: string;
      bytes: number;
      totalBytes: number | null;
    }
  | { type: 'task-retry'; at: number; key: string; attempt: number; delayMs: number; reason: string }
  | { type: 'task-finished'; at: number; workerId: number; key: string; status: string; ok: boolean; message: string; durationMs: number }
  /** Not finished in this run (interrupted, or the run stopped): handed back to be resumed. */
  | { type: 'task-returned'; at: number; key: string; reason: string }
  | { type: 'pool-scaled'; at: number; active: number; target: number; reason: string }
  | { type: 'pool-held'; at: number; reason: string }
  | { type: 'pool-resumed'; at: number }
  | { type: 'stats'; at: number; cpuPercent: number; memoryUsedPercent: number; browserMemoryBytes: number; activeWorkers: number; targetWorkers: number }
  | { type: 'interrupt'; at: number; second: boolean }
  /** Something the user should know about the whole run, said once (the job decides what). */
  | { type: 'run-note'; at: number; message: string }
  | { type: 'run-finished'; at: number; durationMs: number; interrupted: boolean; counts: Record<string, number> };

export type EngineEventType = EngineEvent['type'];

export type EventListener = (event: EngineEvent) => void;

/** Fans one event out to every listener; a listener that throws never stops the run. */
export class EventBus {
  readonly #listeners = new Set<EventListener>();
  #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  on(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
