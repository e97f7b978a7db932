import { setTimeout as sleep } from 'node:timers/promises';
import { CoupaDlError } from '../domain/errors.ts';

/**
 * Retrying one file download through transient failures (5xx, 429, resets, truncation,
 * timeouts). How long to wait is the tool's one backoff (engine/retry-policy.ts), handed in by
 * the job with `DOWNLOAD_BACKOFF`: files retry sooner than whole POs, and a server's
 * `Retry-After` is obeyed up to 30 s, a PO having a deadline to keep.
 */

/** Steps for file retries (250 ms, 500 ms, … at most 10 s); the shape of the engine's `BackoffRule`. */
export const DOWNLOAD_BACKOFF = { baseMs: 250, maxMs: 10_000, maxRetryAfterMs: 30_000 } as const;

/** How long to wait before retry number `retry` (1 = first retry), given the server's `Retry-After`. */
export type RetryDelay = (retry: number, retryAfterMs: number | undefined) => number;

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function isRetryable(error: unknown): error is CoupaDlError {
  return error instanceof CoupaDlError && error.kind === 'retryable';
}

export interface RetryOptions {
  readonly maxAttempts: number;
  readonly signal: AbortSignal;
  readonly delayMs: RetryDelay;
  /** Called before each wait, e.g. to log "retrying X after Y". */
  readonly onRetry?: (attempt: number, delayMs: number, error: CoupaDlError) => void;
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or `maxAttempts` is reached. */
export async function withDownloadRetries<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!isRetryable(error) || attemptNumber >= options.maxAttempts || options.signal.aborted) throw error;
      const delayMs = options.delayMs(attemptNumber, error.retryAfterMs);
      options.onRetry?.(attemptNumber, delayMs, error);
      await sleep(delayMs, undefined, { signal: options.signal });
    }
  }
}
