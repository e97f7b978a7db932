import path from 'node:path';
import { CoupaDlError } from '../domain/errors.ts';

export type BrowserKind = 'edge' | 'chrome' | 'chromium';

export interface FoundBrowser {
  kind: BrowserKind | 'custom';
  executablePath: string;
}

export interface BrowserSearchEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  exists(path: string): boolean;
}

/** Edge first: it is what locked-down corporate Windows laptops always have. */
export const BROWSER_ORDER: readonly BrowserKind[] = ['edge', 'chrome', 'chromium'];

/** Windows environment names are case-insensitive; a plain object copy of them is not. */
function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

function windowsPlaces(kind: BrowserKind, env: Record<string, string | undefined>): string[] {
  const programFiles = envValue(env, 'PROGRAMFILES') ?? 'C:\\Program Files';
  const programFilesX86 = envValue(env, 'PROGRAMFILES(X86)') ?? 'C:\\Program Files (x86)';
  const localAppData = envValue(env, 'LOCALAPPDATA');
  const bases = [programFiles, programFilesX86, ...(localAppData === undefined ? [] : [localAppData])];
  const tail = {
    edge: ['Microsoft', 'Edge', 'Application', 'msedge.exe'],
    chrome: ['Google', 'Chrome', 'Application', 'chrome.exe'],
    chromium: ['Chromium', 'Application', 'chrome.exe'],
  }[kind];
  return bases.map((base) => path.win32.join(base, ...tail));
}

function macPlaces(kind: BrowserKind, env: Record<string, string | undefined>): string[] {
  const app = {
    edge: 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    chrome: 'Google Chrome.app/Contents/MacOS/Google Chrome',
    chromium: 'Chromium.app/Contents/MacOS/Chromium',
  }[kind];
  const home = env.HOME;
  // Users without admin rights drag apps into ~/Applications instead.
  return [path.posix.join('/Applications', app), ...(home === undefined ? [] : [path.posix.join(home, 'Applications', app)])];
}

function linuxPlaces(kind: BrowserKind): string[] {
  return {
    edge: ['/usr/bin/microsoft-edge-stable', '/usr/bin/microsoft-edge', '/opt/microsoft/msedge/msedge'],
    chrome: ['/usr/bin/google-chrome-stable', '/usr/bin/google-chrome', '/opt/google/chrome/chrome'],
    chromium: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'],
  }[kind];
}

/** Where each browser is usually installed on this platform, most likely first. */
export function browserPlaces(kind: BrowserKind, platform: NodeJS.Platform, env: Record<string, string | undefined>): string[] {
  if (platform === 'win32') return windowsPlaces(kind, env);
  if (platform === 'darwin') return macPlaces(kind, env);
  return linuxPlaces(kind);
}

function isBrowserKind(value: string): value is BrowserKind {
  return (BROWSER_ORDER as readonly string[]).includes(value);
}

function noBrowser(what: string, looked: string[]): CoupaDlError {
  return new CoupaDlError('NO_BROWSER', `No ${what} found. Looked in:\n${looked.map((p) => `  ${p}`).join('\n')}`, {
    hint: 'Install Microsoft Edge or Google Chrome, or pass the path of a Chromium-based browser with `--browser <path>` (or set COUPA_BROWSER).',
  });
}

/**
 * The browser to drive: `choice` (a kind or a path), else `COUPA_BROWSER`, else the first of
 * Edge, Chrome, Chromium installed in a usual place.
 */
export function findBrowser(choice: BrowserKind | string | undefined, search: BrowserSearchEnv): FoundBrowser {
  const wanted = (choice ?? envValue(search.env, 'COUPA_BROWSER'))?.trim();
  if (wanted !== undefined && wanted !== '' && !isBrowserKind(wanted.toLowerCase())) {
    if (search.exists(wanted)) return { kind: 'custom', executablePath: wanted };
    throw noBrowser(`browser at ${wanted}`, [wanted]);
  }
  const kinds = wanted === undefined || wanted === '' ? BROWSER_ORDER : [wanted.toLowerCase() as BrowserKind];
  const looked: string[] = [];
  for (const kind of kinds) {
    for (const place of browserPlaces(kind, search.platform, search.env)) {
      looked.push(place);
      if (search.exists(place)) return { kind, executablePath: place };
    }
  }
  return throwNone(kinds, looked);
}

function throwNone(kinds: readonly BrowserKind[], looked: string[]): never {
  const names = { edge: 'Microsoft Edge', chrome: 'Google Chrome', chromium: 'Chromium' };
  throw noBrowser(kinds.map((k) => names[k]).join(', ').replace(/, ([^,]*)$/, ' or $1'), looked);
}
