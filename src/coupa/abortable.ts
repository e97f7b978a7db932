/** Rejects with the signal's reason as soon as it aborts; Playwright's waits don't take a signal. */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // Handle the work's rejection first: when we give up on it, it must not crash the process later.
  work.catch(() => undefined);
  signal.throwIfAborted();
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
