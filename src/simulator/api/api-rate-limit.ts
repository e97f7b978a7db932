import type { ApiRateLimitOptions } from './api-options.ts';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
}

/** How a request fared at the limit. */
export type Admission = 'served' | 'queued' | 'rejected';

/**
 * Coupa's limit as its docs state it: a token bucket of `burst` requests refilled at
 * `requestsPerSecond`; when it is empty, up to `queue` requests wait their turn (slow answers)
 * and any more are refused (the caller answers 429 with Retry-After).
 */
export class ApiRateLimit {
  readonly #options: ApiRateLimitOptions;
  readonly #now: () => number;
  readonly #waiters: Waiter[] = [];
  #tokens: number;
  #refilledAt: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ApiRateLimitOptions, now: () => number = () => performance.now()) {
    this.#options = options;
    this.#now = now;
    this.#tokens = options.burst;
    this.#refilledAt = now();
  }

  /** Resolves once the request may be served; `rejected` at once when the queue is full. */
  async admit(signal: AbortSignal): Promise<Admission> {
    this.#refill();
    if (this.#waiters.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return 'served';
    }
    if (this.#waiters.length >= this.#options.queue) return 'rejected';
    signal.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      // A client that gave up leaves the queue: its place goes to the next one.
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index !== -1) this.#waiters.splice(index, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#schedule();
    });
    return 'queued';
  }

  /** Refuses every waiting request (the simulator is closing). */
  close(reason: unknown): void {
    clearTimeout(this.#timer);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(reason);
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#options.burst, this.#tokens + ((now - this.#refilledAt) / 1000) * this.#options.requestsPerSecond);
    this.#refilledAt = now;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#waiters.length === 0) return;
    const waitMs = Math.max(0, ((1 - this.#tokens) / this.#options.requestsPerSecond) * 1000);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#refill();
      while (this.#tokens >= 1 && this.#waiters.length > 0) {
        this.#tokens -= 1;
        this.#waiters.shift()?.resolve();
      }
      this.#schedule();
    }, Math.ceil(waitMs));
  }
}
