import type { Browser, BrowserContext, BrowserContextOptions, LaunchOptions } from 'playwright-core';
import { chromium } from './chromium.ts';
import { CoupaDlError } from '../domain/errors.ts';

/**
 * Flags every browser we start gets, on top of Playwright's own. The network ones keep Chromium
 * from calling Google's services (which also fails noisily on closed corporate networks).
 *
 * No `--disable-features=` or `--enable-features=` here: Chromium keeps only the last of each, so
 * one more would replace Playwright's whole list (which stops Edge's forced sign-in, update checks
 * and Google preconnects, among others); features we turn off join Playwright's list instead
 * (`OUR_DISABLED_FEATURES`). The back-forward cache, which would keep every PO page a worker's tab
 * left alive in memory (measured: +130 MB per worker over 15 POs), is off through Playwright's
 * `--disable-back-forward-cache` (checked in browser-launch.test.ts).
 */
export const QUIET_BROWSER_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

/**
 * Playwright's own `--disable-features` list, as playwright-core 1.65 passes it. browser-launch.test.ts
 * compares it with what the installed Playwright really passes: after an upgrade that changes it,
 * copy the new list here.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades', 'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay', 'MediaRouter', 'PaintHolding', 'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin', 'OptimizationHints', 'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch',
  'msForceBrowserSignIn', 'msEdgeUpdateLaunchServicesPreferredVersion',
];

/**
 * Features we turn off as well. Chromium 14x+ builds the address bar's suggestion popup as a web
 * page of its own and loads it in every window it opens, so in every context a worker opens: a
 * renderer process of ~50 MB and ~0.6 CPU s at each start, for a popup nobody ever opens
 * (docs/benchmark.md, 2026-11-23 fourth round). A browser that does not know a name ignores it.
 */
const OUR_DISABLED_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup'];

/** The switch Playwright passes, replaced by `DISABLED_FEATURES_ARG`. */
const PLAYWRIGHT_DISABLED_FEATURES_ARG = `--disable-features=${PLAYWRIGHT_DISABLED_FEATURES.join(',')}`;
const DISABLED_FEATURES_ARG = `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...OUR_DISABLED_FEATURES].join(',')}`;

/** Chromium refuses to run as root without this (CI containers run as root). */
export function sandboxArgs(isRoot: boolean): string[] {
  return isRoot ? ['--no-sandbox'] : [];
}

export interface LaunchBrowserOptions {
  executablePath: string;
  headless: boolean;
  isRoot: boolean;
  extraArgs?: readonly string[];
  /** `--proxy`: the browser's proxy instead of its own settings (Playwright's `proxy` option). */
  proxy?: LaunchOptions['proxy'] | null;
}

export function launchOptions(options: LaunchBrowserOptions): LaunchOptions {
  return {
    executablePath: options.executablePath,
    headless: options.headless,
    args: [...QUIET_BROWSER_ARGS, DISABLED_FEATURES_ARG, ...sandboxArgs(options.isRoot), ...(options.extraArgs ?? [])],
    ignoreDefaultArgs: [PLAYWRIGHT_DISABLED_FEATURES_ARG],
    ...(options.proxy ? { proxy: options.proxy } : {}),
  };
}

export async function launchBrowser(options: LaunchBrowserOptions): Promise<Browser> {
  return (await chromium()).launch(launchOptions(options));
}

/** A user-data folder to run on: a profile clone, or the tool's own login profile. */
export interface PersistentProfile {
  userDataDir: string;
  /** Sub-folder to open (`Default`, `Profile 1`, …). */
  profileDirectory: string;
}

export interface LaunchPersistentOptions extends LaunchBrowserOptions {
  /**
   * Use the system keychain (macOS) / keyring (Linux) for cookie encryption, as the user's own
   * browser did: needed to read cookies in a clone of a real profile. Playwright turns it off by
   * default, which leaves such cookies unreadable.
   */
  useOsKeyring?: boolean;
  contextOptions?: Omit<BrowserContextOptions, 'storageState'>;
}

/** Chromium's log lines when another browser already runs on the same user-data folder. */
const PROFILE_IN_USE = /ProcessSingleton|Opening in existing browser session|profile appears to be in use|exitCode=21/i;

/** Starts a browser on a profile folder; the caller closes the returned context. */
export async function launchPersistent(profile: PersistentProfile, options: LaunchPersistentOptions): Promise<BrowserContext> {
  const base = launchOptions({ ...options, extraArgs: [`--profile-directory=${profile.profileDirectory}`, ...(options.extraArgs ?? [])] });
  try {
    return await (await chromium()).launchPersistentContext(profile.userDataDir, {
      ...options.contextOptions,
      ...base,
      ignoreDefaultArgs: [PLAYWRIGHT_DISABLED_FEATURES_ARG, ...(options.useOsKeyring === true ? ['--password-store=basic', '--use-mock-keychain'] : [])],
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (PROFILE_IN_USE.test(message)) {
      throw new CoupaDlError('BROWSER_LAUNCH_FAILED', `The browser profile at ${profile.userDataDir} is already in use by another browser window.`, {
        cause: error,
        hint: 'Close the other browser (or the other coupa-dl run) using this profile, then try again.',
      });
    }
    throw new CoupaDlError('BROWSER_LAUNCH_FAILED', `The browser at ${options.executablePath} did not start.`, {
      cause: error,
      hint: 'Check that it opens normally by itself, or choose another one with `--browser <path>`.',
    });
  }
}

/** Cookies and local storage of a signed-in context, in the shape `storageState` takes. */
export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/**
 * The session of a context, to hand to every worker: each starts its own context with
 * `browser.newContext({ storageState })` instead of sharing one profile folder.
 */
export async function readStorageState(context: BrowserContext): Promise<StorageState> {
  return context.storageState();
}
