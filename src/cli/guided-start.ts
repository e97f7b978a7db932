import type { App, ExitCode } from './app.ts';

/** `coupa-dl` alone on a terminal: a short guided start — being written. */
export async function guidedStart(_app: App): Promise<ExitCode | null> {
  return null;
}
