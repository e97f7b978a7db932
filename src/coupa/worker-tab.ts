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

interface RestingTab {
  readonly page: Page;
  /** Pending: the tab has not started for `about:blank` yet. */
  timer: NodeJS.Timeout | undefined;
  /** On its way to `about:blank`: true once there. */
  going: Promise<boolean> | undefined;
}

/** Each context's tab between two POs (one PO at a time per context). */
const restingTabs = new WeakMap<BrowserContext, RestingTab>();

/**
 * POs per tab: then it is closed and the next PO opens a new one. Playwright keeps a page's
 * request and response objects until the page closes: a tab kept for hundreds of POs grew our own
 * process by ~25 KB per PO (measured; flat when the tab is replaced every 25 POs).
 */
export const POS_PER_TAB = 25;

const uses = new WeakMap<Page, number>();

/** How long a tab put aside at the end of a PO waits for the next PO before going to rest. */
export const REST_DELAY_MS = 1_000;

/**
 * A tab opened ahead for a context whose tab was retired after POS_PER_TAB POs: opening one costs
 * a new renderer process (~200 ms measured), which then happens while the retiring PO's files
 * download or the next PO is dispatched, not on the next PO's way to its page.
 */
const openingTabs = new WeakMap<BrowserContext, Promise<Page | null>>();

/**
 * The context's resting tab, or one opened ahead, or a new one when there is none. A tab still on
 * its way to `about:blank` is waited for (a navigation started meanwhile would be cut short by it).
 */
export async function takeTab(context: BrowserContext): Promise<Page> {
  const resting = restingTabs.get(context);
  restingTabs.delete(context);
  if (resting !== undefined) {
    clearTimeout(resting.timer);
    const rested = await (resting.going ?? Promise.resolve(true));
    if (rested && !resting.page.isClosed()) return counted(resting.page);
    await closeTab(resting.page);
  }
  const opening = openingTabs.get(context);
  openingTabs.delete(context);
  const opened = await opening;
  if (opened !== undefined && opened !== null && !opened.isClosed()) return counted(opened);
  return counted(await context.newPage());
}

function counted(page: Page): Page {
  uses.set(page, (uses.get(page) ?? 0) + 1);
  return page;
}

/**
 * Puts a tab aside for the next PO. After `delayMs` without one (at once with 0) it goes to
 * `about:blank`, which stops the page's scripts, and is garbage-collected; a tab that cannot get
 * there is closed. At the end of a PO the delay lets the next PO navigate straight from the old
 * page: leaving it first would wait for the page's own work after it was read (~120 ms per page
 * on the simulator's heavy pages).
 */
export function restTab(page: Page, delayMs = 0): void {
  const context = page.context();
  if ((uses.get(page) ?? 0) >= POS_PER_TAB) {
    restingTabs.delete(context);
    void closeTab(page);
    // A context closed meanwhile (a worker recycled) simply has no tab opened ahead.
    if (!openingTabs.has(context)) openingTabs.set(context, context.newPage().catch(() => null));
    return;
  }
  const resting: RestingTab = { page, timer: undefined, going: undefined };
  restingTabs.set(context, resting);
  const go = (): void => {
    resting.timer = undefined;
    resting.going = goBlank(page).then((rested) => {
      if (!rested && restingTabs.get(context) === resting) {
        restingTabs.delete(context);
        void closeTab(page);
      }
      return rested;
    });
  };
  if (delayMs <= 0) go();
  else resting.timer = setTimeout(go, delayMs).unref();
}

async function goBlank(page: Page): Promise<boolean> {
  if (page.isClosed()) return false;
  try {
    await page.goto(BLANK_URL, { waitUntil: 'commit', timeout: REST_TAB_MS });
    collectGarbage(page);
    return true;
  } catch {
    return false;
  }
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
