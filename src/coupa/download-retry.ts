import { setTimeout as sleep } from 'node:timers/promises';
import { CoupaDlError } from '../domain/errors.ts';

/**
 * Retrying one file download through transient failures (5xx, 429, resets, truncation,
 * timeouts) with exponential backoff and full jitter, honouring a server's `Retry-After`.
 */

export const BASE_BACKOFF_MS = 250;
export const MAX_BACKOFF_MS = 10_000;
/** A `Retry-After` longer than this is treated as this: a PO has a deadline to keep. */
export const MAX_RETRY_AFTER_MS = 30_000;

/** Delay before retry number `retry` (1 = first retry); `random` in [0, 1). */
export function backoffDelayMs(retry: number, random: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (retry - 1));
  // Half fixed, half random: spreads parallel workers without ever retrying instantly.
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

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
  readonly random?: () => number;
  /** Called before each wait, e.g. to log "retrying X after Y". */
  readonly onRetry?: (attempt: number, delayMs: number, error: CoupaDlError) => void;
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or `maxAttempts` is reached. */
export async function withDownloadRetries<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const random = options.random ?? Math.random;
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!isRetryable(error) || attemptNumber >= options.maxAttempts || options.signal.aborted) throw error;
      const delayMs = backoffDelayMs(attemptNumber, random(), error.retryAfterMs);
      options.onRetry?.(attemptNumber, delayMs, error);
      await sleep(delayMs, undefined, { signal: options.signal });
    }
  }
}
