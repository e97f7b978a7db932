/**
 * What the pool must do about a failed attempt, decided by the caller's `classify`:
 * - `retryable`: try the task again (with backoff), up to `maxAttempts`
 * - `item`: this task only: give up on it at once and go on
 * - `session`: the shared sign-in is gone: hold the pool, restore it once, retry without counting
 * - `run`: stop the whole run, resumably: hand every unfinished task back
 */
export type FailureKind = 'retryable' | 'item' | 'session' | 'run';

export interface Failure {
  kind: FailureKind;
  /** Stable code that lands in the state store and the report. */
  code: string;
  message: string;
  /** The server asked us to wait this long (HTTP 429 Retry-After). */
  retryAfterMs?: number;
}

/** Codes the pool itself produces; the caller's own codes come from `classify`. */
export const POOL_CODES = {
  /** The worker's browser died while the task ran. */
  browserCrashed: 'BROWSER_CRASHED',
  /** The task reported no progress for `taskDeadlineMs`. */
  deadline: 'TASK_DEADLINE_EXCEEDED',
  /** Every worker was retired after dying again and again. */
  noWorkers: 'NO_WORKERS',
  /** The session was lost and `restoreSession` could not bring it back. */
  sessionLost: 'SESSION_NOT_RESTORED',
  /** The user interrupted the run. */
  interrupted: 'INTERRUPTED',
} as const;

export function failure(kind: FailureKind, code: string, message: string): Failure {
  return { kind, code, message };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
