import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { findBrowser, type FoundBrowser } from '../browser/find-browser.ts';
import { launchBrowser, launchPersistent, type StorageState } from '../browser/launch.ts';
import { appDataDir, loadSession, loginProfileDir, runLogin, saveSession, savedSessionPath } from '../browser/login-session.ts';
import { CLONE_PREFIX, cloneProfile, removeStaleClones, type ProfileClone } from '../browser/profile-clone.ts';
import { profileRoots, resolveProfile } from '../browser/profiles.ts';
import { isProcessAlive } from '../state/run-lock.ts';
import { signedInState, signInWithPassword, waitForInteractiveLogin, type Credentials } from '../coupa/sign-in.ts';
import { classifyError, CoupaDlError } from '../domain/errors.ts';
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
  /** Signs in again once for everybody; false or a SIGNED_OUT error when it cannot (the run then stops, resumably). */
  restore(signal: AbortSignal): Promise<boolean>;
}

type SessionConfig = Pick<JobConfig, 'baseUrl' | 'browser' | 'storageState' | 'profile' | 'headed'>;

/** A visible browser window needs a desktop: on Linux an X11 or Wayland display. */
export function canShowWindow(app: Pick<App, 'platform' | 'env'>): boolean {
  if (app.platform === 'win32' || app.platform === 'darwin') return true;
  return Boolean(app.env['DISPLAY'] || app.env['WAYLAND_DISPLAY']);
}

/** Opens a visible browser on the tool's login profile; resolves with the saved session file once the user is in. */
export function signInInteractively(app: App, options: { executablePath: string; baseUrl: string; signal: AbortSignal }): Promise<string> {
  return runLogin({
    ...options,
    appDir: appDataDir(app.platform, app.env, app.homedir),
    headless: false,
    isRoot: app.isRoot,
    waitForLogin: (page, signal) => waitForInteractiveLogin(page, options.baseUrl, signal),
  });
}

/**
 * Finds a signed-in session before the batch touches the output folder, and renews it for
 * everybody when it expires: silently when it can (the current cookies, which hold the identity
 * provider's too; COUPA_USERNAME/COUPA_PASSWORD; the profile clone; the `coupa-dl login` profile),
 * else in a visible window on a terminal, else it stops with advice. The clone is made once per run.
 */
export async function openSession({ app, config }: { app: App; config: SessionConfig }): Promise<OpenSession> {
  // Runs killed before they could clean up leave their private folders behind: remove them first.
  await removeStaleClones(tmpdir(), isProcessAlive);
  const browser = findBrowser(config.browser, { platform: app.platform, env: app.env, exists: existsSync });
  const tempRoot = await mkdtemp(join(tmpdir(), `${CLONE_PREFIX}${app.pid}-run-`));
  const credentials = passwordFromEnv(app.env);
  let clone: ProfileClone | null = null;
  try {
    await chmod(tempRoot, 0o700);
    const storageStatePath = join(tempRoot, 'session.json');
    const appDir = appDataDir(app.platform, app.env, app.homedir);
    let source: string;
    if (config.storageState) {
      const file = resolve(app.cwd, config.storageState);
      const state = await loadSession(file);
      if (!state) throw new CoupaDlError('SIGNED_OUT', `The session file ${file} does not exist.`, { hint: 'Check the --storage-state path, or sign in with `coupa-dl login`.' });
      await saveSession(storageStatePath, state);
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
      if (saved) await saveSession(storageStatePath, saved);
      source = saved ? 'the session saved by `coupa-dl login`' : 'no saved session';
    }

    const ways = new SignInWays(app, config.baseUrl, browser.executablePath, storageStatePath, credentials, clone, config.profile ? null : loginProfileDir(appDir));
    const interactive = app.isInteractive && canShowWindow(app);
    let state = await ways.silently(app.interrupt);
    if (!state && interactive) {
      line(app.stderr, `You are not signed in to ${config.baseUrl} (tried ${source}). A browser window is opening: sign in there the way you usually do, and the run starts.`);
      state = (await loadSession(await signInInteractively(app, { executablePath: browser.executablePath, baseUrl: config.baseUrl, signal: app.interrupt }))) ?? null;
    }
    if (!state) throw notSignedIn(app.commandName, config.baseUrl, source);
    await saveSession(storageStatePath, state);

    const restore = async (signal: AbortSignal): Promise<boolean> => {
      let problem: unknown = null;
      const again = await ways.silently(signal).catch((error: unknown) => {
        if (signal.aborted) throw error;
        problem = error;
        return null;
      });
      if (again) return saveSession(storageStatePath, again).then(() => true);
      if (!interactive) throw problem ?? cannotRestore(app.commandName, config.baseUrl);
      line(app.stderr, '\nYour Coupa session expired. A browser window is opening: sign in there, and the run carries on.');
      const fresh = await loadSession(await signInInteractively(app, { executablePath: browser.executablePath, baseUrl: config.baseUrl, signal }));
      return fresh ? saveSession(storageStatePath, fresh).then(() => true) : false;
    };
    const opened = clone;
    return {
      browser, executablePath: browser.executablePath, storageStatePath, tempRoot, source,
      restore: (signal) => restore(signal).catch((error: unknown) => Promise.reject(withoutSecret(error, credentials))),
      async [Symbol.asyncDispose]() {
        await opened?.remove();
        await rm(tempRoot, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      },
    };
  } catch (error) {
    await clone?.remove();
    await rm(tempRoot, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    if (app.interrupt.aborted) throw new CoupaDlError('INTERRUPTED', 'Stopped while signing in to Coupa. Nothing was downloaded and the output folder was not touched.', { hint: 'Run the same command again when you are ready.' });
    throw withoutSecret(error, credentials);
  }
}

/** The silent ways back in, most direct first; each answers with a session or null. */
class SignInWays {
  readonly #app: App;
  readonly #baseUrl: string;
  readonly #executablePath: string;
  readonly #statePath: string;
  readonly #credentials: Credentials | null;
  readonly #clone: ProfileClone | null;
  readonly #loginProfile: string | null;

  constructor(app: App, baseUrl: string, executablePath: string, statePath: string, credentials: Credentials | null, clone: ProfileClone | null, loginProfile: string | null) {
    [this.#app, this.#baseUrl, this.#executablePath, this.#statePath] = [app, baseUrl, executablePath, statePath];
    [this.#credentials, this.#clone, this.#loginProfile] = [credentials, clone, loginProfile];
  }

  async silently(signal: AbortSignal): Promise<StorageState | null> {
    const current = await loadSession(this.#statePath);
    const loginProfile = this.#loginProfile !== null && existsSync(this.#loginProfile) ? this.#loginProfile : null;
    const credentials = this.#credentials;
    let passwordProblem: unknown = null;
    const attempts: (() => Promise<StorageState | null>)[] = [];
    if (current) attempts.push(() => this.#fresh(current, signal));
    if (credentials) {
      attempts.push(() => this.#fresh(undefined, signal, (c) => signInWithPassword(c, this.#baseUrl, credentials, signal)).catch((error: unknown) => {
        if (signal.aborted) throw error;
        passwordProblem = error;
        return null;
      }));
    }
    const clone = this.#clone;
    if (clone) attempts.push(() => this.#profile(clone.userDataDir, clone.profileDirectory, true, signal));
    if (loginProfile) attempts.push(() => this.#profile(loginProfile, 'Default', false, signal));
    // Nothing to sign in with: an instance open to this machine (or SSO by network identity) may still let a blank browser in.
    if (attempts.length === 0) attempts.push(() => this.#fresh(undefined, signal));
    for (const attempt of attempts) {
      const state = await attempt();
      if (state) return state;
    }
    // A wrong password is worth saying in its own words.
    if (passwordProblem !== null) throw passwordProblem;
    return null;
  }

  /** A throwaway headless browser with the given cookies: signed in after following any SSO redirects? */
  async #fresh(state: StorageState | undefined, signal: AbortSignal, work?: (c: BrowserContext) => Promise<void>): Promise<StorageState | null> {
    const browser = await launchBrowser({ executablePath: this.#executablePath, headless: true, isRoot: this.#app.isRoot });
    try {
      const context = await browser.newContext(state ? { storageState: state } : {});
      if (work) await work(context);
      return await signedInState(context, this.#baseUrl, signal);
    } finally {
      await browser.close().catch(() => undefined);
    }
  }

  /** A profile folder whose identity-provider cookies may sign in silently; a profile in use just doesn't count. */
  async #profile(userDataDir: string, profileDirectory: string, useOsKeyring: boolean, signal: AbortSignal): Promise<StorageState | null> {
    const launch = { executablePath: this.#executablePath, headless: true, isRoot: this.#app.isRoot, useOsKeyring };
    const context = await launchPersistent({ userDataDir, profileDirectory }, launch).catch((error: unknown) => {
      if (classifyError(error).code === 'BROWSER_LAUNCH_FAILED') return null;
      throw error;
    });
    if (context === null) return null;
    try {
      return await signedInState(context, this.#baseUrl, signal);
    } finally {
      await context.close().catch(() => undefined);
    }
  }
}

function passwordFromEnv(env: App['env']): Credentials | null {
  const username = env['COUPA_USERNAME'];
  const password = env['COUPA_PASSWORD'];
  return username && password ? { username, password } : null;
}

/** Whatever a browser or server says, the password never reaches a message, a log or a report. */
function withoutSecret(error: unknown, credentials: Credentials | null): unknown {
  const secret = credentials?.password;
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof CoupaDlError ? error.hint ?? '' : '';
  if (!secret || (!message.includes(secret) && !hint.includes(secret))) return error;
  const { code } = classifyError(error);
  return new CoupaDlError(code === 'UNEXPECTED' ? 'SIGNED_OUT' : code, message.replaceAll(secret, '***'), { hint: hint.replaceAll(secret, '***') });
}

function notSignedIn(commandName: string, baseUrl: string, source: string): CoupaDlError {
  return new CoupaDlError('SIGNED_OUT', `Not signed in to ${baseUrl} (tried ${source}).`, {
    hint: `Run \`${commandName} login --base-url ${baseUrl}\` and sign in in the browser window that opens, or pick a browser profile that is signed in to Coupa with --profile (see \`${commandName} profiles\`). Nothing was downloaded and the output folder was not touched.`,
  });
}

function cannotRestore(commandName: string, baseUrl: string): CoupaDlError {
  return new CoupaDlError('SIGNED_OUT', `Coupa asked to sign in again and no saved sign-in worked without you. Run \`${commandName} login --base-url ${baseUrl}\` on a computer where a browser window can open, then run the same command again to resume`);
}
