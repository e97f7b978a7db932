import { setTimeout as sleep } from 'node:timers/promises';
import { CoupaDlError } from '../domain/errors.ts';
import type { Frame, Page, Request } from 'playwright-core';
import { probePage, type ReportedRead } from './page-reporter.ts';
import { isSignInLanding } from './sign-in-page.ts';
import { BLANK_URL } from './worker-tab.ts';

/**
 * Waiting until a page has settled: nothing more is coming into the parts we read (the header's
 * attachments, the lines table, the comments). Settled means all of these:
 * - the document has loaded;
 * - the parts have not changed for `quietMs`;
 * - no request the page started (XHR, fetch, script, frame) is still running, long-polls aside;
 * - no visible loading sign is left inside the parts;
 * - the known client-side mounts (the comments app) are rendered.
 * At the deadline (`settleTimeoutMs` after load, or after the document was parsed when it never
 * loads) the page is taken as it is, with the reasons it had not settled: the caller decides
 * which of them make the reading uncertain.
 */

export interface SettleOptions {
  readonly settleTimeoutMs: number;
  readonly quietMs: number;
  readonly signal: AbortSignal;
}

export interface SettledRead {
  readonly read: ReportedRead;
  readonly settled: boolean;
  /** What was still going on at the deadline, in words (empty when settled). */
  readonly unsettled: readonly string[];
  /** What only delays settling (still loading, requests running) and never makes a reading uncertain. */
  readonly slow: readonly string[];
}

/**
 * How long the parts we read must stay unchanged: long enough for a script that inserts a list in
 * steps, short enough to hide behind the downloads (docs/benchmark.md has the cost per PO).
 */
export const SETTLE_QUIET_MS = 300;

/** Requests that can bring content into a page; images, fonts, beacons and the like cannot. */
const CONTENT_TYPES = new Set(['xhr', 'fetch', 'script', 'document', 'eventsource']);
/** A request running longer than this is a long-poll (or stuck): it no longer holds settling back. */
export const LONG_REQUEST_MS = 4_000;
/** How often a page still showing a loading sign is looked at again. */
const POLL_MS = 100;

/**
 * What happens to one page while it is read: its load events and the requests it starts. Watch
 * before navigating: nothing counts until the new document has committed, because the tab's
 * previous document (an error page read before it finished parsing, say) may still fire its own
 * `DOMContentLoaded` in between.
 */
export class PageWatch implements Disposable {
  readonly #page: Page;
  readonly #running = new Map<Request, number>();
  startedAt = performance.now();
  /** The new document has committed (or no navigation is awaited). */
  #committed: boolean;
  #contentLoadedAt: number | null = null;
  #loadedAt: number | null = null;
  #lastRequestEndAt = 0;
  #wake: (() => void) | null = null;

  readonly #baseUrl: string;
  /** A request of the page was sent to sign in (its lists will never come: the session is gone). */
  #signInSeen: string | null = null;

  constructor(page: Page, baseUrl: string, awaitingNavigation = true) {
    this.#page = page;
    this.#baseUrl = baseUrl;
    this.#committed = !awaitingNavigation;
    page.on('framenavigated', this.#onNavigated);
    page.on('request', this.#onRequest);
    page.on('requestfinished', this.#onRequestEnd);
    page.on('requestfailed', this.#onRequestEnd);
    page.on('domcontentloaded', this.#onContentLoaded);
    page.on('load', this.#onLoad);
  }

  get contentLoadedAt(): number | null {
    return this.#contentLoadedAt;
  }

  get loadedAt(): number | null {
    return this.#loadedAt;
  }

  /** The address a request of the page was bounced to for a sign-in, or null. */
  get signInSeen(): string | null {
    return this.#signInSeen;
  }

  /** Content requests still running, long-polls excepted. */
  running(now: number): number {
    let count = 0;
    for (const started of this.#running.values()) if (now - started < LONG_REQUEST_MS) count += 1;
    return count;
  }

  /** Milliseconds since the last content request ended (or since the watch began). */
  sinceLastRequest(now: number): number {
    return now - Math.max(this.#lastRequestEndAt, this.startedAt);
  }

  /** Resolves at the next load event or request end, or after `ms`. */
  async changeOrTimeout(ms: number, signal: AbortSignal): Promise<void> {
    const woken = new Promise<void>((resolve) => (this.#wake = resolve));
    await Promise.race([woken, sleep(Math.max(0, ms), undefined, { signal })]);
    this.#wake = null;
  }

  [Symbol.dispose](): void {
    this.#page.off('framenavigated', this.#onNavigated);
    this.#page.off('request', this.#onRequest);
    this.#page.off('requestfinished', this.#onRequestEnd);
    this.#page.off('requestfailed', this.#onRequestEnd);
    this.#page.off('domcontentloaded', this.#onContentLoaded);
    this.#page.off('load', this.#onLoad);
  }

  #onNavigated = (frame: Frame): void => {
    if (this.#committed || frame !== this.#page.mainFrame() || frame.url() === BLANK_URL) return;
    this.#committed = true;
    this.startedAt = performance.now();
    this.#running.clear();
  };

  #onRequest = (request: Request): void => {
    if (!this.#committed || !CONTENT_TYPES.has(request.resourceType()) || request.frame().page() !== this.#page) return;
    if (request.redirectedFrom() !== null && isSignInLanding(request.url(), this.#baseUrl)) this.#signInSeen ??= request.url();
    // The navigation itself is watched through the load events.
    if (request.isNavigationRequest() && request.frame() === this.#page.mainFrame()) return;
    this.#running.set(request, performance.now());
  };

  #onRequestEnd = (request: Request): void => {
    if (!this.#running.delete(request)) return;
    this.#lastRequestEndAt = performance.now();
    this.#wake?.();
  };

  // A resting tab's about:blank may still fire its own events after this navigation began.
  #onContentLoaded = (): void => {
    if (this.#committed && this.#page.url() !== BLANK_URL) this.#contentLoadedAt ??= performance.now();
  };

  #onLoad = (): void => {
    if (!this.#committed || this.#page.url() === BLANK_URL) return;
    this.#loadedAt ??= performance.now();
    this.#wake?.();
  };
}

/** Waits until the page has settled or its deadline has come; returns the last reading either way. */
export async function settlePage(page: Page, watch: PageWatch, options: SettleOptions): Promise<SettledRead> {
  for (;;) {
    options.signal.throwIfAborted();
    const read = await probePage(page);
    const now = performance.now();
    if (read === null) throw new Error(`The page at ${page.url()} has no reader (it went to another document while it was read).`);
    // The page's own requests were sent to sign in: what they were fetching will never come.
    if (watch.signInSeen !== null) throw new CoupaDlError('SESSION_EXPIRED', `Coupa sent a request of ${read.url} to sign in (${watch.signInSeen}).`);
    // A sign-in or error page needs no settling: it is one already.
    if (read.signIn || read.error !== null) return { read, settled: true, unsettled: [], slow: [] };
    const anchor = watch.loadedAt ?? watch.contentLoadedAt ?? watch.startedAt;
    const deadline = anchor + options.settleTimeoutMs;
    const quietFor = Math.min(read.quietMs, watch.sinceLastRequest(now));
    const running = watch.running(now);
    const unsettled: string[] = [];
    const slow: string[] = [];
    if (watch.loadedAt === null) slow.push('the page had not finished loading');
    if (running > 0) slow.push(`${running} request${running === 1 ? ' was' : 's were'} still running`);
    if (read.loading.length > 0) unsettled.push(`it still showed a loading sign (${read.loading.slice(0, 3).join('; ')})`);
    if (read.mountsPending.length > 0) unsettled.push(`its ${read.mountsPending.join(', ')} part was still empty (the comments app had not rendered)`);
    if (quietFor < options.quietMs) unsettled.push(`its attachments, lines or comments were still changing`);
    if (unsettled.length === 0 && slow.length === 0) return { read, settled: true, unsettled, slow };
    if (now >= deadline) return { read, settled: false, unsettled, slow };
    // Sleep only as long as the first thing that can change: the quiet period's end, a load or request event, the next poll.
    const waitMs = read.loading.length > 0 || read.mountsPending.length > 0 ? POLL_MS : quietFor < options.quietMs ? options.quietMs - quietFor : POLL_MS * 5;
    await watch.changeOrTimeout(Math.min(deadline - now, Math.max(10, waitMs)), options.signal);
  }
}
