import { classifyError, CoupaDlError, type ErrorCode } from '../domain/errors.ts';
import { EXIT, line, type App, type ExitCode } from '../job/app.ts';

/** Errors that mean "the user's command or files need fixing" → exit code 2. */
const USAGE_CODES: readonly ErrorCode[] = [
  'CONFIG_INVALID', 'INPUT_INVALID', 'INPUT_UNREADABLE', 'NO_BROWSER', 'PROFILE_NOT_FOUND', 'SIGNED_OUT', 'OUTPUT_NOT_WRITABLE',
  // The API client's id, secret or scopes: fixed in Coupa's setup or the credentials, not by running again.
  'API_AUTH_FAILED', 'API_SCOPE_MISSING',
  // The Coupa address: mistyped, not reachable from here, or not Coupa.
  'COUPA_UNREACHABLE', 'NOT_COUPA',
];

/** Prints an error the way a non-developer can act on it, and says which exit code it means. */
export function reportError(app: App, error: unknown): ExitCode {
  // Ctrl-C while signing in or reading the sheet surfaces as an abort error: it is not a bug.
  if (app.interrupt.aborted && !(error instanceof CoupaDlError)) {
    line(app.stderr, '\nStopped (Ctrl-C). Nothing was lost: run the same command again to carry on.');
    return EXIT.interrupted;
  }
  const { code, message } = classifyError(error);
  line(app.stderr, `\nError: ${message}`);
  if (error instanceof CoupaDlError && error.hint) line(app.stderr, `What to do: ${error.hint}`);
  if (code === 'UNEXPECTED' && error instanceof Error && error.stack) line(app.stderr, error.stack);
  if (code === 'INTERRUPTED') return EXIT.interrupted;
  return USAGE_CODES.includes(code) ? EXIT.usage : EXIT.someFailed;
}
