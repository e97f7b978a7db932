import { CoupaDlError } from '../domain/errors.ts';

/** `Retry-After` in milliseconds (seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The parameters of a `WWW-Authenticate: Bearer …` header (`error`, `scope`, …). */
export function bearerChallenge(header: string | null): Record<string, string> {
  const params: Record<string, string> = {};
  if (header === null) return params;
  for (const match of header.matchAll(/([a-z_]+)="([^"]*)"/gi)) {
    const [, key, value] = match;
    if (key !== undefined && value !== undefined) params[key.toLowerCase()] = value;
  }
  return params;
}

/**
 * A failed fetch as a coded error: the run's own abort (Ctrl-C) passes through as it came; a
 * time-out is `API_TIMEOUT`; a network failure `CONNECTION_RESET`. `what` names the request.
 */
export function fetchFailure(error: unknown, what: string, runSignal: AbortSignal, timeoutMs: number): unknown {
  if (error instanceof CoupaDlError) return error;
  if (runSignal.aborted) return runSignal.reason instanceof Error ? runSignal.reason : new CoupaDlError('INTERRUPTED', 'The run was stopped.', { cause: error });
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new CoupaDlError('API_TIMEOUT', `Coupa's API did not answer ${what} within ${String(Math.round(timeoutMs / 1000))} s.`, { cause: error });
  }
  const network = networkDetail(error);
  if (network !== null) return new CoupaDlError('CONNECTION_RESET', `The connection to Coupa's API was lost during ${what} (${network}).`, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new CoupaDlError('UNEXPECTED', `Unexpected error during ${what} (a bug, please report it): ${message}`, { cause: error });
}

/** Why fetch failed ("fetch failed" with `ECONNRESET`, "terminated" mid-body …), or null if it was no network failure. */
export function networkDetail(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const cause = error.cause instanceof Error ? error.cause : null;
  const code = (cause as NodeJS.ErrnoException | null)?.code ?? (error as NodeJS.ErrnoException).code;
  const detail = [cause?.message, code].filter((part) => part !== undefined && part !== '').join(', ');
  if (error instanceof TypeError && (error.message === 'fetch failed' || error.message === 'terminated')) return detail || error.message;
  if (code !== undefined && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR_\w+)$/.test(code)) return detail;
  if (error.message === 'terminated' || /other side closed|socket hang up/i.test(error.message)) return error.message;
  return null;
}

/** A disk error while writing `path` as a coded run-stopping error, or null for anything else. */
export function diskFailure(error: unknown, path: string): CoupaDlError | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new CoupaDlError('DISK_FULL', `The disk is full: could not write ${path}.`, { cause: error, hint: 'Free some space (or choose another output folder) and run the same command again; finished POs are kept.' });
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new CoupaDlError('OUTPUT_NOT_WRITABLE', `Cannot write ${path} (${code}).`, { cause: error, hint: 'Choose an output folder you can write to, or fix its permissions.' });
  return null;
}
