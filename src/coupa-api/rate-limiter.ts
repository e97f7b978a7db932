import { setTimeout as sleep } from 'node:timers/promises';

export interface RateLimiterOptions {
  /** The pace asked for: requests started per second, over all callers together. */
  readonly requestsPerSecond: number;
}

/** After a 429 the pace drops to this share of what it was ... */
const BACK_OFF_FACTOR = 0.5;
/** ... never below this share of the pace asked for ... */
const FLOOR_FACTOR = 0.1;
/** ... and climbs back by a tenth of the asked pace for every such spell without a 429. */
const RECOVERY_STEP_MS = 5_000;

/** Without Retry-After, a 429 pauses everybody this long. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * One pace for every request of a run, whoever sends it. Each request takes the next start
 * time (evenly spaced at the current pace) and waits for it; nothing is held once it has
 * started, so a long download never blocks the others. A 429 (`backOff`) pauses everybody
 * for its Retry-After and halves the pace; waiters already queued take new start times after
 * the pause. The pace then recovers step by step while no 429 comes.
 */
export class RateLimiter {
  readonly #maxRate: number;
  readonly #now: () => number;
  #rate: number;
  #nextStartAt = 0;
  #pausedUntil = 0;
  #changedAt: number;
  /** Bumped by every 429, so that waiters know their start time is no longer good. */
  #generation = 0;

  constructor(options: RateLimiterOptions, now: () => number = () => performance.now()) {
    if (!(options.requestsPerSecond > 0)) throw new Error(`Expected requestsPerSecond above 0, got ${String(options.requestsPerSecond)}.`);
    this.#maxRate = options.requestsPerSecond;
    this.#rate = options.requestsPerSecond;
    this.#now = now;
    this.#changedAt = now();
  }

  /** The pace now, in requests per second. */
  get requestsPerSecond(): number {
    this.#recover(this.#now());
    return this.#rate;
  }

  /** Resolves at this request's start time. */
  async acquire(signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const now = this.#now();
      this.#recover(now);
      const startAt = Math.max(now, this.#nextStartAt, this.#pausedUntil);
      this.#nextStartAt = startAt + 1000 / this.#rate;
      const generation = this.#generation;
      if (startAt > now) await sleep(startAt - now, undefined, { signal }).catch((error: unknown) => {
        // The caller's own reason (e.g. the run's INTERRUPTED), not timers' generic AbortError.
        throw signal.aborted ? signal.reason : error;
      });
      if (generation === this.#generation || startAt <= now) return;
    }
  }

  /** A 429: everybody waits `retryAfterMs`, then goes on at half the pace. */
  backOff(retryAfterMs: number = DEFAULT_RETRY_AFTER_MS): void {
    const now = this.#now();
    this.#generation += 1;
    this.#pausedUntil = Math.max(this.#pausedUntil, now + Math.max(0, retryAfterMs));
    this.#nextStartAt = this.#pausedUntil;
    this.#rate = Math.max(this.#maxRate * FLOOR_FACTOR, this.#rate * BACK_OFF_FACTOR);
    this.#changedAt = this.#pausedUntil;
  }

  #recover(now: number): void {
    while (this.#rate < this.#maxRate && now - this.#changedAt >= RECOVERY_STEP_MS) {
      this.#rate = Math.min(this.#maxRate, this.#rate + this.#maxRate / 10);
      this.#changedAt += RECOVERY_STEP_MS;
    }
  }
}
