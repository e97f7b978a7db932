import { existsSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser, launchPersistent, type StorageState } from '../../browser/launch.ts';
import { loadSession } from '../../browser/login-session.ts';
import type { ProfileClone } from '../../browser/profile-clone.ts';
import { signedInState, signInWithPassword, type Credentials } from '../../coupa/sign-in.ts';
import { classifyError } from '../../domain/errors.ts';
import type { BrowserProxy } from '../../net/proxy-choice.ts';
import type { App } from '../app.ts';

/** The silent ways back in, most direct first; each answers with a session or null. */
export class SignInWays {
  readonly #app: App;
  readonly #baseUrl: string;
  readonly #executablePath: string;
  readonly #statePath: string;
  readonly #credentials: Credentials | null;
  readonly #clone: ProfileClone | null;
  readonly #loginProfile: string | null;
  readonly #proxy: BrowserProxy | null;

  constructor(app: App, baseUrl: string, executablePath: string, statePath: string, credentials: Credentials | null, clone: ProfileClone | null, loginProfile: string | null, proxy: BrowserProxy | null = null) {
    [this.#app, this.#baseUrl, this.#executablePath, this.#statePath] = [app, baseUrl, executablePath, statePath];
    [this.#credentials, this.#clone, this.#loginProfile, this.#proxy] = [credentials, clone, loginProfile, proxy];
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
    const browser = await launchBrowser({ executablePath: this.#executablePath, headless: true, isRoot: this.#app.isRoot, proxy: this.#proxy });
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
    const launch = { executablePath: this.#executablePath, headless: true, isRoot: this.#app.isRoot, useOsKeyring, proxy: this.#proxy };
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

