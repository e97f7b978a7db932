import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../src/browser/launch.ts';

/** The browser tests use: COUPA_TEST_BROWSER, else Debian's chromium (installed by .ci/run). */
export const testBrowserPath = process.env.COUPA_TEST_BROWSER ?? '/usr/bin/chromium';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export async function launchTestBrowser(): Promise<Browser> {
  if (!existsSync(testBrowserPath)) {
    throw new Error(`No test browser at ${testBrowserPath}: run "apt-get install -y chromium" or set COUPA_TEST_BROWSER.`);
  }
  return launchBrowser({ executablePath: testBrowserPath, headless: true, isRoot: isRoot() });
}
