import type { Page } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { rethrowAsCoupaError, runAborted } from './browser-error.ts';
import type { PageRead } from './page-read.ts';
import { nextReport, prepareContext } from './page-reporter.ts';
import { isSignInUrl } from './sign-in-page.ts';
import { BLANK_URL } from './worker-tab.ts';

/**
 * Opening a Coupa page (PO or requisition) and reading it once it is ready: its attachment lists
 * are present and filled (items, or "None"), or it is an error page. Never waits for `load`: real
 * pages keep loading scripts long after their content is there.
 */

export type PageView = Exclude<PageRead, { kind: 'signIn' }>;

export interface ShowPageOptions {
  readonly baseUrl: string;
  readonly signal: AbortSignal;
  readonly navigationTimeoutMs: number;
}

export async function showCoupaPage(page: Page, url: string, options: ShowPageOptions): Promise<PageView> {
  const deadline = AbortSignal.any([options.signal, AbortSignal.timeout(options.navigationTimeoutMs)]);
  const waiting = new AbortController();
  let contentLoaded = false;
  // A resting tab's about:blank may still fire its own event after this navigation began.
  const onContentLoaded = (): void => {
    if (page.url() !== BLANK_URL) contentLoaded = true;
  };
  page.on('domcontentloaded', onContentLoaded);
  try {
    await prepareContext(page.context());
    // Listening before navigating: a fast page can report before goto() returns.
    const report = nextReport(page, AbortSignal.any([deadline, waiting.signal]));
    report.catch(() => {});
    // `commit`: the response has started; readiness is what the page itself reports (page-reporter.ts).
    const response = await page.goto(url, { waitUntil: 'commit', timeout: options.navigationTimeoutMs, signal: deadline });
    throwIfSignIn(page, options.baseUrl);
    const status = response?.status() ?? 200;
    if (status === 429) throw new CoupaDlError('HTTP_TOO_MANY_REQUESTS', `Coupa answered 429 (too many requests) for ${url}.`);
    if (status >= 500) throw new CoupaDlError('HTTP_SERVER_ERROR', `Coupa answered ${status} for ${url}.`);
    const read = await report;
    if (read.kind === 'signIn') throw sessionExpired(read.url);
    throwIfSignIn(page, options.baseUrl);
    return read;
  } catch (error) {
    if (error instanceof CoupaDlError) throw error;
    if (options.signal.aborted) throw runAborted(options.signal, error);
    if (deadline.aborted || isTimeout(error)) {
      throwIfSignIn(page, options.baseUrl);
      // Until DOMContentLoaded the page never arrived; after it, it arrived but never showed its attachments.
      if (!contentLoaded) throw new CoupaDlError('NAVIGATION_TIMEOUT', `${url} did not load within ${options.navigationTimeoutMs} ms.`, { cause: error });
      throw new CoupaDlError('PAGE_NOT_READY', `${url} loaded but showed no attachments field within ${options.navigationTimeoutMs} ms.`, { cause: error });
    }
    return rethrowAsCoupaError(error, `Opening ${url}`);
  } finally {
    waiting.abort();
    page.off('domcontentloaded', onContentLoaded);
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
