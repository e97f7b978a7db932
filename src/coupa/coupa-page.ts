import type { Page, Response } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { rethrowAsCoupaError, runAborted } from './browser-error.ts';
import { nextReport, prepareContext, probePage, type ReportedRead } from './page-reporter.ts';
import { PageWatch } from './page-settle.ts';
import { isSignInUrl } from './sign-in-page.ts';
import { Deadline } from '../net/deadline.ts';

/**
 * Opening a Coupa page (PO or requisition) and taking its first reading: as soon as the page itself
 * reports its attachment lists (page-reporter.ts), or at its `load` event, or — for a page that never
 * loads — some time after it was parsed, whichever comes first. That first reading starts the
 * downloads; whether the page has settled is page-settle.ts's question, asked with the `watch` this
 * returns (the caller disposes it). Never waits for `load` to start: real pages keep loading
 * scripts long after their content is there.
 */

export interface OpenedPage extends Disposable {
  readonly read: ReportedRead;
  /** The HTTP status of the page's document. */
  readonly status: number;
  /** The document's response (its body is what the server sent: `coupa-dl capture` keeps it). */
  readonly response: Response | null;
  readonly watch: PageWatch;
}

export interface ShowPageOptions {
  readonly baseUrl: string;
  readonly signal: AbortSignal;
  readonly navigationTimeoutMs: number;
  /** A page that was parsed but never loads is first read this long after it was parsed. */
  readonly settleTimeoutMs: number;
  /** The user's own words for error pages, found anywhere on a page (page-reporter.ts). */
  readonly errorMarkers: readonly string[];
}

export async function openCoupaPage(page: Page, url: string, options: ShowPageOptions): Promise<OpenedPage> {
  using timeLimit = new Deadline(options.signal, options.navigationTimeoutMs);
  const deadline = timeLimit.signal;
  using waiting = new Deadline(deadline, null);
  const watch = new PageWatch(page, options.baseUrl);
  try {
    await prepareContext(page.context(), options.errorMarkers);
    // Listening before navigating: a fast page can report before goto() returns.
    const { signal } = waiting;
    const report = nextReport(page, signal);
    report.catch(() => {});
    // `commit`: the response has started; the first reading is what the page itself reports.
    const response = await page.goto(url, { waitUntil: 'commit', timeout: options.navigationTimeoutMs, signal: deadline });
    throwIfSignIn(page, options.baseUrl);
    const status = response?.status() ?? 200;
    if (status === 429) throw new CoupaDlError('HTTP_TOO_MANY_REQUESTS', `Coupa answered 429 (too many requests) for ${url}.`);
    if (status >= 500) throw new CoupaDlError('HTTP_SERVER_ERROR', `Coupa answered ${status} for ${url}.`);
    const look = firstLookWithoutReport(page, watch, options, signal);
    look.catch(() => {});
    const read = await Promise.race([report, look]);
    if (read.signIn) throw sessionExpired(read.url);
    throwIfSignIn(page, options.baseUrl);
    return { read, status, response, watch, [Symbol.dispose]: () => watch[Symbol.dispose]() };
  } catch (error) {
    watch[Symbol.dispose]();
    if (error instanceof CoupaDlError) throw error;
    if (options.signal.aborted) throw runAborted(options.signal, error);
    if (deadline.aborted || isTimeout(error)) {
      throwIfSignIn(page, options.baseUrl);
      // Until DOMContentLoaded the page never arrived; after it, it arrived but could not be read.
      if (watch.contentLoadedAt === null) throw new CoupaDlError('NAVIGATION_TIMEOUT', `${url} did not load within ${options.navigationTimeoutMs} ms.`, { cause: error });
      throw new CoupaDlError('PAGE_NOT_READY', `${url} loaded but could not be read within ${options.navigationTimeoutMs} ms.`, { cause: error });
    }
    return rethrowAsCoupaError(error, `Opening ${url}`);
  } finally {
    waiting.abort();
  }
}

/**
 * A page whose lists never fill (not a PO page at all, a layout we do not know, lists still loading)
 * does not report itself: it is looked at once it has loaded, or `settleTimeoutMs` after it was
 * parsed when it never loads.
 */
async function firstLookWithoutReport(page: Page, watch: PageWatch, options: ShowPageOptions, signal: AbortSignal): Promise<ReportedRead> {
  for (;;) {
    const parsedAt = watch.contentLoadedAt;
    const now = performance.now();
    if (watch.loadedAt !== null || (parsedAt !== null && now - parsedAt >= options.settleTimeoutMs)) {
      const read = await probePage(page);
      if (read !== null) return read;
    }
    await watch.changeOrTimeout(parsedAt === null ? 250 : Math.max(10, parsedAt + options.settleTimeoutMs - now), signal);
  }
}

/** Whether Coupa still knows us: its home page opens without a sign-in. A 403 means ACCESS_DENIED only then. */
export async function sessionAlive(page: Page, options: Pick<ShowPageOptions, 'baseUrl' | 'navigationTimeoutMs' | 'signal'>): Promise<boolean> {
  using deadline = new Deadline(options.signal, options.navigationTimeoutMs);
  const { signal } = deadline;
  try {
    const response = await page.goto(`${options.baseUrl}/user/home`, { waitUntil: 'domcontentloaded', timeout: options.navigationTimeoutMs, signal });
    if (isSignInUrl(page.url(), options.baseUrl)) return false;
    const status = response?.status() ?? 200;
    if (status === 401 || status === 403) return false;
    const read = await probePage(page);
    return read === null || !read.signIn;
  } catch (error) {
    if (options.signal.aborted) throw runAborted(options.signal, error);
    return rethrowAsCoupaError(error, 'Checking the Coupa session');
  }
}

function throwIfSignIn(page: Page, baseUrl: string): void {
  if (isSignInUrl(page.url(), baseUrl)) throw sessionExpired(page.url());
}

function sessionExpired(atUrl: string): CoupaDlError {
  return new CoupaDlError('SESSION_EXPIRED', `Coupa showed its sign-in page (${atUrl}) instead of the page asked for.`);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}
