import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findBrowser, type FoundBrowser } from '../../browser/find-browser.ts';
import { appDataDir, loadSession, loginProfileDir, saveSession, savedSessionPath } from '../../browser/login-session.ts';
import { cloneProfile, type ProfileClone } from '../../browser/profile-clone.ts';
import { profileRoots, resolveProfile } from '../../browser/profiles.ts';
import { CoupaDlError } from '../../domain/errors.ts';
import { line, type App } from '../app.ts';
import { networkChoice } from '../network.ts';
import type { JobConfig } from '../settings.ts';
import { passwordFromEnv, withoutSecret } from './credentials.ts';
import { canShowWindow, signInInteractively } from './interactive-sign-in.ts';
import { makeRunTempFolder } from './run-temp-folder.ts';
import { restoreSession } from './session-restore.ts';
import { SignInWays } from './sign-in-ways.ts';

/** The signed-in session every worker starts from, and how to get it back when it expires. */
export interface OpenSession extends AsyncDisposable {
  readonly browser: FoundBrowser;
  readonly executablePath: string;
  /** A 0600 file in a 0700 private folder; rewritten by `restore`, removed at dispose. */
  readonly storageStatePath: string;
  /** This run's private temp folder (workers' profiles, the session file). */
  readonly tempRoot: string;
  /** Where the session came from, in words (never its content). */
  readonly source: string;
  /** Signs in again once for everybody; false or a SIGNED_OUT error when it cannot (the run then stops, resumably). */
  restore(signal: AbortSignal): Promise<boolean>;
}

type SessionConfig = Pick<JobConfig, 'baseUrl' | 'browser' | 'storageState' | 'profile' | 'headed' | 'proxy'>;

/**
 * Finds a signed-in session before the batch touches the output folder: the first of
 * --storage-state, --profile (a clone made once per run), COUPA_USERNAME/COUPA_PASSWORD, and the
 * session saved by `coupa-dl login`; checked silently (sign-in-ways.ts), else in a visible window
 * on a terminal, else it stops with advice. Renewing it mid-run is session-restore.ts.
 */
export async function openSession({ app, config }: { app: App; config: SessionConfig }): Promise<OpenSession> {
  const browser = findBrowser(config.browser, { platform: app.platform, env: app.env, exists: existsSync });
  const temp = await makeRunTempFolder(app.pid);
  const credentials = passwordFromEnv(app.env);
  let clone: ProfileClone | null = null;
  try {
    const storageStatePath = join(temp.path, 'session.json');
    const appDir = appDataDir(app.platform, app.env, app.homedir);
    const first = await firstSource(app, config, { storageStatePath, appDir, hasPassword: credentials !== null, username: credentials?.username ?? '' });
    clone = first.clone;
    const proxy = networkChoice(app, config).browserProxy;
    const ways = new SignInWays(app, config.baseUrl, browser.executablePath, storageStatePath, credentials, clone, config.profile ? null : loginProfileDir(appDir), proxy);
    const interactive = app.isInteractive && canShowWindow(app);
    let state = await ways.silently(app.interrupt);
    if (!state && interactive) {
      line(app.stderr, `You are not signed in to ${config.baseUrl} (tried ${first.source}). A browser window is opening: sign in there the way you usually do, and the run starts.`);
      state = (await loadSession(await signInInteractively(app, { executablePath: browser.executablePath, baseUrl: config.baseUrl, proxy, signal: app.interrupt }))) ?? null;
    }
    if (!state) throw notSignedIn(app.commandName, config.baseUrl, first.source);
    await saveSession(storageStatePath, state);

    const policy = { app, baseUrl: config.baseUrl, executablePath: browser.executablePath, proxy, storageStatePath, interactive, silently: (signal: AbortSignal) => ways.silently(signal) };
    const opened = clone;
    return {
      browser, executablePath: browser.executablePath, storageStatePath, tempRoot: temp.path, source: first.source,
      restore: (signal) => restoreSession(policy, signal).catch((error: unknown) => Promise.reject(withoutSecret(error, credentials))),
      async [Symbol.asyncDispose]() {
        await opened?.remove();
        await temp[Symbol.asyncDispose]();
      },
    };
  } catch (error) {
    await clone?.remove();
    await temp[Symbol.asyncDispose]();
    if (app.interrupt.aborted) throw new CoupaDlError('INTERRUPTED', 'Stopped while signing in to Coupa. Nothing was downloaded and the output folder was not touched.', { hint: 'Run the same command again when you are ready.' });
    throw withoutSecret(error, credentials);
  }
}

interface FirstSource {
  /** In words, for messages. */
  readonly source: string;
  readonly clone: ProfileClone | null;
}

/** Where the first session comes from, first that applies; a session file found is copied to `storageStatePath`. */
async function firstSource(app: App, config: SessionConfig, where: { storageStatePath: string; appDir: string; hasPassword: boolean; username: string }): Promise<FirstSource> {
  if (config.storageState) {
    const file = resolve(app.cwd, config.storageState);
    const state = await loadSession(file);
    if (!state) throw new CoupaDlError('SIGNED_OUT', `The session file ${file} does not exist.`, { hint: 'Check the --storage-state path, or sign in with `coupa-dl login`.' });
    await saveSession(where.storageStatePath, state);
    return { source: `session file ${file}`, clone: null };
  }
  if (config.profile) {
    const profile = await resolveProfile(config.profile, profileRoots(app.platform, app.env, app.homedir));
    const clone = await cloneProfile({ root: profile.root, dir: profile.dir }, { tempRoot: tmpdir(), pid: app.pid });
    for (const skipped of clone.skipped) line(app.stderr, `Note: could not copy ${skipped.path} from your profile (${skipped.reason}); carrying on without it.`);
    return { source: `a copy of the ${profile.browser} profile "${profile.name}"`, clone };
  }
  if (where.hasPassword) return { source: `password sign-in as ${where.username}`, clone: null };
  const saved = await loadSession(savedSessionPath(where.appDir, config.baseUrl));
  if (saved) await saveSession(where.storageStatePath, saved);
  return { source: saved ? 'the session saved by `coupa-dl login`' : 'no saved session', clone: null };
}

function notSignedIn(commandName: string, baseUrl: string, source: string): CoupaDlError {
  return new CoupaDlError('SIGNED_OUT', `Not signed in to ${baseUrl} (tried ${source}).`, {
    hint: `Run \`${commandName} login --base-url ${baseUrl}\` and sign in in the browser window that opens, or pick a browser profile that is signed in to Coupa with --profile (see \`${commandName} profiles\`). Nothing was downloaded and the output folder was not touched.`,
  });
}
