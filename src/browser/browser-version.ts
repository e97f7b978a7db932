import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CoupaDlError } from '../domain/errors.ts';
import { launchBrowser } from './launch.ts';

const run = promisify(execFile);

export interface BrowserVersionOptions {
  platform?: NodeJS.Platform;
  /** Needed only for the fallback launch (Chromium as root needs `--no-sandbox`). */
  isRoot?: boolean;
}

/** The version number in text such as `Chromium 156.0.8078.79 built on Debian`. */
export function parseVersion(text: string): string | undefined {
  return /\b(\d+(?:\.\d+){1,3})\b/.exec(text)?.[1];
}

async function versionFlag(executablePath: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(executablePath, ['--version'], { timeout: 15_000, windowsHide: true });
    return parseVersion(stdout);
  } catch {
    return undefined;
  }
}

/**
 * The browser's version, e.g. `156.0.8078.79`. On Windows, `msedge.exe --version` prints
 * nothing (and opens a window), so there the browser is started headless and asked instead.
 */
export async function browserVersion(executablePath: string, options: BrowserVersionOptions = {}): Promise<string> {
  const platform = options.platform ?? process.platform;
  if (platform !== 'win32') {
    const version = await versionFlag(executablePath);
    if (version !== undefined) return version;
  }
  try {
    const browser = await launchBrowser({ executablePath, headless: true, isRoot: options.isRoot ?? false });
    try {
      return browser.version();
    } finally {
      await browser.close();
    }
  } catch (error) {
    throw new CoupaDlError('BROWSER_LAUNCH_FAILED', `Could not start the browser at ${executablePath} to read its version.`, {
      cause: error,
      hint: 'Check that the path is a Chromium-based browser (Edge, Chrome, Chromium) and that it opens normally.',
    });
  }
}
