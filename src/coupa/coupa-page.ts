import type { Page } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { ERROR_CONTAINER_SELECTORS, ERROR_HEADING_PATTERN, ERROR_TEXT_MARKERS } from './error-page.ts';
import { isSignInUrl, SIGN_IN_FORM_SELECTOR } from './sign-in-page.ts';
import { rethrowAsCoupaError, runAborted } from './browser-error.ts';

/**
 * Opening a Coupa page (PO or requisition) and deciding, from what it shows, that it is ready:
 * its attachment lists are present and filled (items, or "None"), or it is an error page.
 * Never waits for `load`: real pages keep loading scripts long after their content is there.
 */

export type PageView = { readonly kind: 'ready' } | { readonly kind: 'error'; readonly text: string };

export interface ShowPageOptions {
  readonly baseUrl: string;
  readonly signal: AbortSignal;
  readonly navigationTimeoutMs: number;
}

type ProbeResult = { kind: 'ready' } | { kind: 'error'; text: string } | { kind: 'signIn' } | null;

interface ProbeArgs {
  signInSelector: string;
  containers: readonly string[];
  headingPattern: string;
  markers: readonly string[];
}

// Readiness is checked this often; at 100 ms the wait alone added ~50 ms per page (benchmark, docs/benchmark.md).
const POLL_MS = 25;

export async function showCoupaPage(page: Page, url: string, options: ShowPageOptions): Promise<PageView> {
  const deadline = AbortSignal.any([options.signal, AbortSignal.timeout(options.navigationTimeoutMs)]);
  let contentLoaded = false;
  page.once('domcontentloaded', () => {
    contentLoaded = true;
  });
  const args: ProbeArgs = {
    signInSelector: SIGN_IN_FORM_SELECTOR,
    containers: ERROR_CONTAINER_SELECTORS,
    headingPattern: ERROR_HEADING_PATTERN,
    markers: ERROR_TEXT_MARKERS,
  };
  try {
    // `commit`: the response has started; readiness is decided below from the DOM.
    const response = await page.goto(url, { waitUntil: 'commit', timeout: options.navigationTimeoutMs, signal: deadline });
    throwIfSignIn(page, options.baseUrl);
    const status = response?.status() ?? 200;
    if (status === 429) throw new CoupaDlError('HTTP_TOO_MANY_REQUESTS', `Coupa answered 429 (too many requests) for ${url}.`);
    if (status >= 500) throw new CoupaDlError('HTTP_SERVER_ERROR', `Coupa answered ${status} for ${url}.`);
    const handle = await page.waitForFunction(probePage, args, { polling: POLL_MS, timeout: options.navigationTimeoutMs, signal: deadline });
    const result = (await handle.jsonValue()) as ProbeResult;
    await handle.dispose();
    if (result === null || result.kind === 'signIn') throw sessionExpired(page.url());
    throwIfSignIn(page, options.baseUrl);
    return result;
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

/** Runs in the page: what it shows right now, or null while it is still filling in. */
function probePage(args: ProbeArgs): ProbeResult {
  if (document.querySelector(args.signInSelector) !== null) return { kind: 'signIn' };
  for (const selector of args.containers) {
    // innerText, not textContent: it keeps the line breaks between a heading and its paragraph.
    const text = document.querySelector<HTMLElement>(selector)?.innerText.trim() ?? '';
    if (text !== '') return { kind: 'error', text };
  }
  const heading = new RegExp(args.headingPattern, 'i');
  for (const h1 of Array.from(document.querySelectorAll('h1'))) {
    const text = h1.textContent?.trim() ?? '';
    if (heading.test(text)) return { kind: 'error', text };
  }
  const body = document.body;
  if (body === null) return null;
  // Comments are people's words: "access denied" in a comment does not make the PO an error page.
  const comments = document.querySelector<HTMLElement>('section#comments');
  const text = body.innerText.replace(comments?.innerText ?? '\u0000', '').toLowerCase();
  for (const marker of args.markers) if (text.includes(marker.toLowerCase())) return { kind: 'error', text: marker };
  const lists = Array.from(document.querySelectorAll('ul.attachments-list, ul.attachments__list'));
  const fields = Array.from(document.querySelectorAll('div.attachments'));
  if (lists.length === 0 && fields.length === 0) return null;
  // An empty list is "not yet" (script fills it later); "None" is an item, so it counts as filled.
  if (lists.some((list) => list.querySelector('li') === null)) return null;
  if (fields.some((field) => (field.textContent?.trim() ?? '') === '')) return null;
  return { kind: 'ready' };
}
