import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { closeTab } from './close-tab.ts';

/**
 * The tab a worker opens its POs in. It is kept from PO to PO and each PO is opened in it as a new
 * document, rather than in a new tab: Chromium starts a new renderer process for every new tab,
 * which the benchmark measured at ~1.3 CPU seconds and 150–300 ms per PO (docs/benchmark.md).
 * Between POs the tab rests on `about:blank`, so nothing of the previous PO's page — document,
 * scripts, timers — is left running. A tab that cannot get there (crashed, hung on a dialog) is
 * closed and the next PO opens a new one; so does every PO after a PO that failed.
 *
 * A renderer that lives for many POs grows by ~7 MB per PO until V8 gets round to a full
 * collection (measured: +110 MB per worker over 15 POs), so a resting tab asks for one. It is
 * not awaited: it runs in the renderer while the next PO's request is on its way.
 */

export const BLANK_URL = 'about:blank';

/** How long sending a tab back to `about:blank` may take before it is closed instead. */
export const REST_TAB_MS = 5_000;

/** Tabs on their way to rest, per context: the next PO waits for its tab to get there. */
const settling = new WeakMap<BrowserContext, Promise<void>>();

/** The context's resting tab (once it has got there), or a new one when there is none. */
export async function takeTab(context: BrowserContext): Promise<Page> {
  await settling.get(context);
  const resting = context.pages().find((page) => !page.isClosed() && page.url() === BLANK_URL);
  return resting ?? (await context.newPage());
}

/**
 * Sends a tab back to `about:blank` for the next PO, or closes it when that does not work. Need
 * not be awaited: the next `takeTab` of the same context waits for it. Never rejects.
 */
export function restTab(page: Page): Promise<void> {
  const done = rest(page);
  settling.set(page.context(), done);
  return done;
}

async function rest(page: Page): Promise<void> {
  if (page.isClosed()) return;
  try {
    // `load`, not `commit`: the blank page's own load events must not reach the next PO's listeners.
    await page.goto(BLANK_URL, { waitUntil: 'load', timeout: REST_TAB_MS });
    if (page.url() === BLANK_URL) {
      collectGarbage(page);
      return;
    }
  } catch {
    // fall through: a tab that will not rest is not reused
  }
  await closeTab(page);
}

const sessions = new WeakMap<Page, Promise<CDPSession>>();

function collectGarbage(page: Page): void {
  let session = sessions.get(page);
  if (session === undefined) {
    session = page.context().newCDPSession(page);
    sessions.set(page, session);
  }
  // Best effort: a tab closed or crashed meanwhile simply is not collected.
  session.then((cdp) => cdp.send('HeapProfiler.collectGarbage')).catch(() => {});
}
