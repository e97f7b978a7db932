/** A task with what the pool knows about it so far. */
export interface QueuedTask<T> {
  readonly task: T;
  readonly key: string;
  /** Position in the input: dispatch follows it. */
  readonly index: number;
  /** Attempts made that count towards `maxAttempts`. */
  attempts: number;
  /** Times it went back because the session was lost. */
  sessionRetries: number;
}

/**
 * Tasks waiting for a worker, in input order. A task taken from a dead or hung worker goes to
 * the front (it was next in line already); a retry after backoff waits on a timer and then
 * joins the back.
 */
export class TaskQueue<E> {
  #ready: E[] = [];
  readonly #delayed = new Map<E, NodeJS.Timeout>();
  readonly #onReady: () => void;

  constructor(entries: Iterable<E>, onReady: () => void) {
    this.#ready = [...entries];
    this.#onReady = onReady;
  }

  /** Ready now plus waiting on a backoff timer. */
  get size(): number {
    return this.#ready.length + this.#delayed.size;
  }

  get readyCount(): number {
    return this.#ready.length;
  }

  take(): E | undefined {
    return this.#ready.shift();
  }

  pushFront(entry: E): void {
    this.#ready.unshift(entry);
    this.#onReady();
  }

  pushBack(entry: E): void {
    this.#ready.push(entry);
    this.#onReady();
  }

  later(entry: E, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#delayed.delete(entry);
      this.pushBack(entry);
    }, delayMs);
    this.#delayed.set(entry, timer);
  }

  /** Empties the queue (timers cleared): ready tasks first, then those still waiting to retry. */
  drain(): E[] {
    for (const timer of this.#delayed.values()) clearTimeout(timer);
    const all = [...this.#ready, ...this.#delayed.keys()];
    this.#ready = [];
    this.#delayed.clear();
    return all;
  }
}
