import type { Failure } from './failure.ts';
import type { GiveUpEnding, PoolOptions } from './pool-types.ts';
import type { QueuedTask } from './task-queue.ts';

type EndingOptions<T, R> = Pick<PoolOptions<T, unknown, R>, 'hooks' | 'describe' | 'emit'>;

/**
 * How each task of a run ends, exactly once: done (its result is final), given up (failed for
 * good) or returned unfinished (the caller keeps it for the next run). Each ending goes to the
 * caller's hook, out as an event, and into the counts the run finishes with.
 */
export class TaskEndings<T, R> {
  readonly #o: EndingOptions<T, R>;
  readonly #now: () => number;
  /** Runs a hook; one that throws (the state store could not write) stops the run. */
  readonly #hook: (call: () => void) => void;
  #remaining: number;
  /** Tasks per final status (`COMPLETED`, `TIMEOUT`, …, and `returned`). */
  readonly counts: Record<string, number> = {};
  readonly tally = { completed: 0, gaveUp: 0, returned: 0 };

  constructor(total: number, options: EndingOptions<T, R>, now: () => number, hook: (call: () => void) => void) {
    this.#remaining = total;
    this.#o = options;
    this.#now = now;
    this.#hook = hook;
  }

  /** Tasks that have not ended yet. */
  get remaining(): number {
    return this.#remaining;
  }

  done(entry: QueuedTask<T>, workerId: number, result: R, startedAt: number): void {
    const { status, ok, message } = this.#o.describe(result);
    this.#end('completed', status);
    this.#hook(() => this.#o.hooks.done(entry.task, result));
    this.#o.emit({ type: 'task-finished', at: this.#now(), workerId, key: entry.key, status, ok, message, durationMs: this.#now() - startedAt });
  }

  gaveUp(entry: QueuedTask<T>, workerId: number, cause: Failure, attempts: number, startedAt: number): void {
    let ending: GiveUpEnding = { status: cause.code, message: cause.message };
    this.#hook(() => {
      ending = this.#o.hooks.gaveUp(entry.task, cause, attempts) ?? ending;
    });
    this.#end('gaveUp', ending.status);
    this.#o.emit({
      type: 'task-finished', at: this.#now(), workerId, key: entry.key, status: ending.status, ok: false,
      message: ending.message, durationMs: this.#now() - startedAt,
    });
  }

  returned(entry: QueuedTask<T>, reason: string): void {
    this.#end('returned', 'returned');
    this.#hook(() => this.#o.hooks.returned(entry.task, reason));
    this.#o.emit({ type: 'task-returned', at: this.#now(), key: entry.key, reason });
  }

  #end(kind: keyof TaskEndings<T, R>['tally'], status: string): void {
    this.#remaining--;
    this.tally[kind]++;
    this.counts[status] = (this.counts[status] ?? 0) + 1;
  }
}
