/**
 * Every error the tool raises on purpose carries a stable code and a kind that tells the
 * scheduler what to do with it:
 * - `retryable`: try the same PO again (navigation timeout, 5xx, browser crash)
 * - `item`: this PO only: record it and go on (not found, access denied)
 * - `session`: the Coupa session is gone: hold the pool, sign in again, retry the PO
 * - `run`: stop the whole run, resumably (disk full, session cannot be restored)
 * An error without a code is a bug and is reported as `UNEXPECTED`.
 */
export type ErrorKind = 'retryable' | 'item' | 'session' | 'run';

export const ERROR_CODES = {
  NAVIGATION_TIMEOUT: 'retryable',
  PAGE_NOT_READY: 'retryable',
  HTTP_SERVER_ERROR: 'retryable',
  HTTP_TOO_MANY_REQUESTS: 'retryable',
  CONNECTION_RESET: 'retryable',
  TRUNCATED_DOWNLOAD: 'retryable',
  BROWSER_CRASHED: 'retryable',
  PO_DEADLINE_EXCEEDED: 'retryable',
  API_TIMEOUT: 'retryable',
  PO_NOT_FOUND: 'item',
  ACCESS_DENIED: 'item',
  DOWNLOAD_FAILED: 'item',
  API_NOT_A_FILE: 'item',
  SESSION_EXPIRED: 'session',
  SIGNED_OUT: 'run',
  COUPA_UNREACHABLE: 'run',
  NOT_COUPA: 'run',
  API_AUTH_FAILED: 'run',
  API_SCOPE_MISSING: 'run',
  DISK_FULL: 'run',
  OUTPUT_NOT_WRITABLE: 'run',
  NO_BROWSER: 'run',
  BROWSER_LAUNCH_FAILED: 'run',
  PROFILE_NOT_FOUND: 'run',
  INPUT_UNREADABLE: 'run',
  INPUT_INVALID: 'run',
  CONFIG_INVALID: 'run',
  INTERRUPTED: 'run',
  UNEXPECTED: 'run',
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface CoupaDlErrorOptions {
  cause?: unknown;
  /** What the user should do next, in plain words. */
  hint?: string;
  /** For 429: how long the server asked us to wait. */
  retryAfterMs?: number;
}

export class CoupaDlError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly hint: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: CoupaDlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CoupaDlError';
    this.code = code;
    this.kind = ERROR_CODES[code];
    this.hint = options.hint;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The code and kind of any thrown value; unknown errors are `UNEXPECTED` (a bug). */
export function classifyError(error: unknown): { code: ErrorCode; kind: ErrorKind; message: string } {
  if (error instanceof CoupaDlError) return { code: error.code, kind: error.kind, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'UNEXPECTED', kind: 'run', message: `Unexpected error (a bug, please report it): ${message}` };
}
