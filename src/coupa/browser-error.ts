import { CoupaDlError } from '../domain/errors.ts';

/**
 * Turning what Playwright and the file system throw into the tool's coded errors, so the
 * scheduler knows whether to retry the PO, restart the browser or stop the run. Anything not
 * recognised stays a bug (`UNEXPECTED`) with its cause attached, never swallowed.
 */

// Playwright's wording when the page, context or browser went away (closed, crashed, killed).
const CLOSED_PATTERN = /has been closed|target closed|target crashed|page crashed|browser closed|browser has disconnected|connection closed|websocket.*closed/i;
// What Node's network stack says when a connection dies mid-transfer.
const RESET_PATTERN = /ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|aborted|premature close|ERR_CONNECTION|ERR_EMPTY_RESPONSE|other side closed/i;

export function isBrowserGone(error: unknown): boolean {
  return error instanceof Error && CLOSED_PATTERN.test(error.message);
}

export function isConnectionReset(error: unknown): boolean {
  return error instanceof Error && RESET_PATTERN.test(error.message);
}

export function isTimeoutError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || /Timeout \d+ms exceeded/i.test(error.message));
}

/** The coded error for a disk problem, or null when `error` is not one. */
export function diskError(error: unknown, path: string): CoupaDlError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new CoupaDlError('DISK_FULL', `The disk is full while writing ${path}.`, { cause: error, hint: 'Free some space, then run again: finished POs are kept.' });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new CoupaDlError('OUTPUT_NOT_WRITABLE', `Cannot write ${path} (${String(code)}).`, { cause: error });
  }
  return null;
}

/** Why the run's signal stopped us: the reason the engine gave, else an interruption. */
export function runAborted(signal: AbortSignal, cause?: unknown): CoupaDlError {
  const reason: unknown = signal.reason;
  if (reason instanceof CoupaDlError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new CoupaDlError('PO_DEADLINE_EXCEEDED', 'The PO took longer than its deadline.', { cause: cause ?? reason });
  }
  return new CoupaDlError('INTERRUPTED', 'The run was stopped.', { cause: cause ?? reason });
}

/** Throws `error` as a coded error; `what` says what we were doing ("Opening …"). */
export function rethrowAsCoupaError(error: unknown, what: string): never {
  if (error instanceof CoupaDlError) throw error;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if (isBrowserGone(error)) throw new CoupaDlError('BROWSER_CRASHED', `${what}: the browser went away (${message}).`, { cause: error });
  if (isTimeoutError(error)) throw new CoupaDlError('NAVIGATION_TIMEOUT', `${what}: timed out (${message}).`, { cause: error });
  const disk = diskError(error, what);
  if (disk !== null) throw disk;
  throw new CoupaDlError('UNEXPECTED', `${what}: unexpected error (a bug, please report it): ${message}`, { cause: error });
}
