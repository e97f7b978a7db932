import type { BrowserType } from 'playwright-core';

/**
 * Playwright's Chromium, loaded the first time a browser is launched. Loading playwright-core
 * costs the CLI ~80 MB of memory (measured: 43 → 126 MB of RSS for a bare Node): a run through
 * Coupa's REST API never launches a browser and never pays it.
 */
let loading: Promise<BrowserType> | null = null;

export function chromium(): Promise<BrowserType> {
  loading ??= import('playwright-core').then((playwright) => playwright.chromium);
  return loading;
}
