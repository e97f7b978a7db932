import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { findBrowser, type FoundBrowser } from '../browser/find-browser.ts';
import { launchBrowser, launchPersistent, type StorageState } from '../browser/launch.ts';
import { appDataDir, loadSession, loginProfileDir, runLogin, savedSessionPath } from '../browser/login-session.ts';
import { CLONE_PREFIX, cloneProfile, isProcessAlive, removeStaleClones, type ProfileClone } from '../browser/profile-clone.ts';
import { profileRoots, resolveProfile } from '../browser/profiles.ts';
import { checkSignedIn, signInWithPassword, waitForInteractiveLogin, type Credentials } from '../coupa/sign-in.ts';
import { CoupaDlError } from '../domain/errors.ts';
import { line, type App } from './app.ts';
import type { JobConfig } from './commands/run.ts';

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
  /** Signs in again once for everybody; false when it cannot (the run then stops, resumably). */
  restore(signal: AbortSignal): Promise<boolean>;
}

type SessionConfig = Pick<JobConfig, 'baseUrl' | 'browser' | 'storageState' | 'profile' | 'headed'>;

export async function openSession({ app, config }: { app: App; config: SessionConfig }): Promise<OpenSession> {
  // Runs killed before they could clean up leave their private folders behind: remove them first.
  await removeStaleClones(tmpdir(), isProcessAlive);
  const browser = findBrowser(config.browser, { platform: app.platform, env: app.env, exists: existsSync });
  const tempRoot = await mkdtemp(join(tmpdir(), `${CLONE_PREFIX}${app.pid}-run-`));
  await chmod(tempRoot, 0o700);
  const storageStatePath = join(tempRoot, 'session.json');
  const appDir = appDataDir(app.platform, app.env, app.homedir);
  const credentials = passwordFromEnv(app.env);
  let clone: ProfileClone | null = null;
  const launch = { executablePath: browser.executablePath, headless: true, isRoot: app.isRoot };

  const save = async (state: StorageState): Promise<void> => {
    await writeFile(storageStatePath, JSON.stringify(state), { mode: 0o600 });
  };
  /** A throwaway browser with a session: signed in after following any SSO redirects? */
  const signedInWith = async (state: StorageState | undefined, signal: AbortSignal, work?: (c: BrowserContext) => Promise<void>): Promise<StorageState | null> => {
    const b: Browser = await launchBrowser(launch);
    try {
      const context = await b.newContext(state ? { storageState: state } : {});
      if (work) await work(context);
      const check = await checkSignedIn(context, config.baseUrl, signal);
      return check.signedIn ? await context.storageState() : null;
    } finally {
      await b.close().catch(() => {});
    }
  };
  /** A profile folder (clone or the login profile) whose identity-provider cookies may sign in silently. */
  const signedInWithProfile = async (userDataDir: string, profileDirectory: string, signal: AbortSignal): Promise<StorageState | null> => {
    const context = await launchPersistent({ userDataDir, profileDirectory }, { ...launch, useOsKeyring: clone !== null });
    try {
      return (await checkSignedIn(context, config.baseUrl, signal)).signedIn ? await context.storageState() : null;
    } finally {
      await context.close().catch(() => {});
    }
  };
  const current = async (): Promise<StorageState | undefined> =>
    existsSync(storageStatePath) ? (JSON.parse(await readFile(storageStatePath, 'utf8')) as StorageState) : undefined;

  /** Every silent way back in, most direct first. */
  const silently = async (signal: AbortSignal): Promise<StorageState | null> =>
    (await signedInWith(await current(), signal)) ??
    (credentials ? await signedInWith(undefined, signal, (c) => signInWithPassword(c, config.baseUrl, credentials, signal)) : null) ??
    (clone ? await signedInWithProfile(clone.userDataDir, clone.profileDirectory, signal) : null) ??
    (existsSync(loginProfileDir(appDir)) && !config.profile ? await signedInWithProfile(loginProfileDir(appDir), 'Default', signal) : null);

  try {
    let source: string;
    if (config.storageState) {
      const file = resolve(app.cwd, config.storageState);
      const state = await loadSession(file);
      if (!state) throw new CoupaDlError('SIGNED_OUT', `The session file ${file} does not exist.`, { hint: 'Check the --storage-state path, or sign in with `coupa-dl login`.' });
      await save(state);
      source = `session file ${file}`;
    } else if (config.profile) {
      const profile = await resolveProfile(config.profile, profileRoots(app.platform, app.env, app.homedir));
      clone = await cloneProfile({ root: profile.root, dir: profile.dir }, { tempRoot: tmpdir(), pid: app.pid });
      for (const skipped of clone.skipped) line(app.stderr, `Note: could not copy ${skipped.path} from your profile (${skipped.reason}); carrying on without it.`);
      source = `a copy of the ${profile.browser} profile "${profile.name}"`;
    } else if (credentials) {
      source = `password sign-in as ${credentials.username}`;
    } else {
      const saved = await loadSession(savedSessionPath(appDir, config.baseUrl));
      if (saved) await save(saved);
      source = saved ? 'the session saved by `coupa-dl login`' : 'no saved session';
    }

    const state = await silently(app.interrupt);
    if (!state) throw notSignedIn(config.baseUrl, source);
    await save(state);

    const restore = async (signal: AbortSignal): Promise<boolean> => {
      const again = await silently(signal).catch(() => null);
      if (again) return save(again).then(() => true);
      if (!app.isInteractive) return false;
      line(app.stderr, '\nYour Coupa session expired. A browser window is opening: sign in there, and the run carries on.');
      await runLogin({ executablePath: browser.executablePath, baseUrl: config.baseUrl, appDir, headless: false, isRoot: app.isRoot, signal, waitForLogin: (page, s) => waitForInteractiveLogin(page, config.baseUrl, s) });
      const fresh = await loadSession(savedSessionPath(appDir, config.baseUrl));
      return fresh ? save(fresh).then(() => true) : false;
    };

    const opened = clone;
    return {
      browser, executablePath: browser.executablePath, storageStatePath, tempRoot, source, restore,
      async [Symbol.asyncDispose]() {
        await opened?.remove();
        await rm(tempRoot, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await clone?.remove();
    await rm(tempRoot, { recursive: true, force: true });
    throw error;
  }
}

function passwordFromEnv(env: App['env']): Credentials | null {
  const username = env['COUPA_USERNAME'];
  const password = env['COUPA_PASSWORD'];
  return username && password ? { username, password } : null;
}

function notSignedIn(baseUrl: string, source: string): CoupaDlError {
  return new CoupaDlError('SIGNED_OUT', `Not signed in to ${baseUrl} (tried ${source}).`, {
    hint: `Run \`npx coupa-dl login --base-url ${baseUrl}\` and sign in in the browser window that opens, or pick a browser profile that is signed in to Coupa with --profile (see \`npx coupa-dl profiles\`). Nothing was downloaded and the output folder was not touched.`,
  });
}
