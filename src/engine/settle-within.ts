import { setTimeout as sleep } from 'node:timers/promises';

export type Settled<V> = { ok: true; value: V } | { ok: false; error: unknown };

/**
 * Waits for a promise to settle, but no longer than `ms`: `null` when it had not settled by then.
 * Used where the other side may be hung for good (a browser that no longer answers).
 */
export async function settleWithin<V>(promise: Promise<V>, ms: number): Promise<Settled<V> | null> {
  const timer = new AbortController();
  const settled = promise.then(
    (value): Settled<V> => ({ ok: true, value }),
    (error: unknown): Settled<V> => ({ ok: false, error }),
  );
  const timeout = sleep(ms, null, { signal: timer.signal }).catch(() => null);
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    timer.abort();
  }
}

/** Resolves when the signal aborts (at once if it already has). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
