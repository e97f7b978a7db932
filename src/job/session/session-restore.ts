import type { StorageState } from '../../browser/launch.ts';
import { loadSession, saveSession } from '../../browser/login-session.ts';
import { CoupaDlError } from '../../domain/errors.ts';
import type { BrowserProxy } from '../../net/proxy-choice.ts';
import { line, type App } from '../app.ts';
import { signInInteractively } from './interactive-sign-in.ts';

/**
 * What happens when Coupa asks to sign in again in the middle of a run: silently when a saved
 * way still works, else in a window when the user is there to see it, else a SIGNED_OUT stop
 * (resumable) with advice. Called once for every worker (the pool holds them meanwhile).
 */
export interface RestorePolicy {
  readonly app: App;
  readonly baseUrl: string;
  readonly executablePath: string;
  readonly proxy: BrowserProxy | null;
  /** The session file every worker starts from: rewritten when the sign-in is back. */
  readonly storageStatePath: string;
  /** A window can be shown and someone can answer it. */
  readonly interactive: boolean;
  silently(signal: AbortSignal): Promise<StorageState | null>;
}

export async function restoreSession(policy: RestorePolicy, signal: AbortSignal): Promise<boolean> {
  let problem: unknown = null;
  const again = await policy.silently(signal).catch((error: unknown) => {
    if (signal.aborted) throw error;
    problem = error;
    return null;
  });
  if (again) return saveSession(policy.storageStatePath, again).then(() => true);
  if (!policy.interactive) throw problem ?? cannotRestore(policy.app.commandName, policy.baseUrl);
  line(policy.app.stderr, '\nYour Coupa session expired. A browser window is opening: sign in there, and the run carries on.');
  const fresh = await loadSession(await signInInteractively(policy.app, { executablePath: policy.executablePath, baseUrl: policy.baseUrl, proxy: policy.proxy, signal }));
  return fresh ? saveSession(policy.storageStatePath, fresh).then(() => true) : false;
}

function cannotRestore(commandName: string, baseUrl: string): CoupaDlError {
  return new CoupaDlError('SIGNED_OUT', `Coupa asked to sign in again and no saved sign-in worked without you. Run \`${commandName} login --base-url ${baseUrl}\` on a computer where a browser window can open, then run the same command again to resume`);
}
