import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { launchPersistent, readStorageState, type LaunchBrowserOptions, type StorageState } from './launch.ts';

/** Where the tool keeps its own login profile and saved sessions for this user. */
export function appDataDir(platform: NodeJS.Platform, env: Record<string, string | undefined>, homedir: string): string {
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA ?? path.win32.join(homedir, 'AppData', 'Local'), 'CoupaDownloads');
  if (platform === 'darwin') return path.posix.join(homedir, 'Library', 'Application Support', 'CoupaDownloads');
  return path.posix.join(env.XDG_CONFIG_HOME ?? path.posix.join(homedir, '.config'), 'coupa-downloads');
}

/** The browser profile `coupa-dl login` signs in with; it keeps the company's SSO cookies between runs. */
export function loginProfileDir(appDir: string): string {
  return path.join(appDir, 'login-profile');
}

/** One saved session per Coupa host (a user may work with production and a test instance). */
export function savedSessionPath(appDir: string, baseUrl: string): string {
  const host = new URL(baseUrl).host.toLowerCase().replace(/[^a-z0-9.-]/g, '_');
  return path.join(appDir, 'sessions', `${host}.json`);
}

/** Writes the session readable by this user only; temp file + rename so a crash never leaves half a file. */
export async function saveSession(file: string, state: StorageState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, JSON.stringify(state), { mode: 0o600 });
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * The shape Playwright's `storageState` accepts, checked here so a hand-edited or foreign file is
 * refused with words before a browser refuses it with a call log (the fuzz test found a cookie
 * with a numeric name, and one with neither domain nor url, ending "Unexpected error").
 */
function storageStateProblem(value: unknown): string | null {
  const v = value as { cookies?: unknown; origins?: unknown } | null;
  if (typeof v !== 'object' || v === null || !Array.isArray(v.cookies) || !Array.isArray(v.origins)) return 'it has no "cookies" and "origins" lists';
  for (const [index, cookie] of (v.cookies as unknown[]).entries()) {
    const c = cookie as Record<string, unknown> | null;
    if (typeof c !== 'object' || c === null || typeof c['name'] !== 'string' || typeof c['value'] !== 'string') return `cookie ${index + 1} has no text name and value`;
    const placed = (typeof c['domain'] === 'string' && typeof c['path'] === 'string') || typeof c['url'] === 'string';
    if (!placed) return `cookie ${index + 1} ("${c['name'].slice(0, 40)}") has neither a domain and path nor a url`;
    if (c['expires'] !== undefined && typeof c['expires'] !== 'number') return `cookie ${index + 1} has an expiry that is not a number`;
  }
  for (const [index, origin] of (v.origins as unknown[]).entries()) {
    const o = origin as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null || typeof o['origin'] !== 'string' || !Array.isArray(o['localStorage'])) return `origin ${index + 1} has no text origin and localStorage list`;
    if (!(o['localStorage'] as unknown[]).every((item) => typeof (item as { name?: unknown } | null)?.name === 'string' && typeof (item as { value?: unknown }).value === 'string')) return `origin ${index + 1} has a localStorage item that is not a text name and value`;
  }
  return null;
}

function isStorageState(value: unknown): value is StorageState {
  return storageStateProblem(value) === null;
}

const SESSION_HINT = 'Sign in again with `coupa-dl login` (its session is then used by itself), or give --storage-state a session file saved by coupa-dl or by Playwright.';

/** The saved session, or `undefined` when there is none yet. */
export async function loadSession(file: string): Promise<StorageState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') return undefined;
    const why = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'it may not be read' : String(code);
    throw new CoupaDlError('SIGNED_OUT', `The session file ${file} cannot be read (${why}).`, { cause: error, hint: SESSION_HINT });
  }
  let parsed: unknown;
  let notJson = false;
  try {
    parsed = JSON.parse(text);
  } catch {
    notJson = true;
  }
  // The content is never quoted: it is made of session cookies.
  if (!isStorageState(parsed)) {
    const why = notJson ? 'it is not JSON' : storageStateProblem(parsed) ?? 'it is not a session';
    throw new CoupaDlError('SIGNED_OUT', `The session file ${file} is damaged or is not a session file (${why}).`, { hint: SESSION_HINT });
  }
  return parsed;
}

export interface RunLoginOptions {
  executablePath: string;
  baseUrl: string;
  appDir: string;
  headless: boolean;
  isRoot?: boolean;
  /** `--proxy` for the browser; none: its own settings. */
  proxy?: LaunchBrowserOptions['proxy'];
  signal: AbortSignal;
  /**
   * Resolves once the user is signed in (e.g. `waitForInteractiveLogin` from src/coupa/sign-in.ts;
   * passed in because this ring knows nothing about Coupa's pages).
   */
  waitForLogin(page: Page, signal: AbortSignal): Promise<void>;
  /** Called once the sign-in page is open: lets a test play the user. */
  onReady?(page: Page): Promise<void>;
}

/**
 * Opens a browser on the tool's own profile at the Coupa home page, waits for the user to sign
 * in however their company does it, saves the session (readable by this user only) and closes
 * the browser. Returns the session file's path.
 */
export async function runLogin(options: RunLoginOptions): Promise<string> {
  const context = await launchPersistent(
    { userDataDir: loginProfileDir(options.appDir), profileDirectory: 'Default' },
    { executablePath: options.executablePath, headless: options.headless, isRoot: options.isRoot ?? false, proxy: options.proxy ?? null },
  );
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const stop = (): void => void context.close().catch(() => undefined);
    options.signal.throwIfAborted();
    options.signal.addEventListener('abort', stop, { once: true });
    try {
      await page.goto(new URL('/user/home', options.baseUrl).href, { waitUntil: 'domcontentloaded', timeout: 0 });
      await Promise.all([options.waitForLogin(page, options.signal), options.onReady?.(page)]);
    } catch (error) {
      options.signal.throwIfAborted();
      throw error;
    } finally {
      options.signal.removeEventListener('abort', stop);
    }
    const file = savedSessionPath(options.appDir, options.baseUrl);
    await saveSession(file, await readStorageState(context));
    return file;
  } finally {
    await context.close().catch(() => undefined);
  }
}
