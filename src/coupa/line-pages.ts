import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { READ_ARGS, type LinePageLink } from './page-read.ts';
import { probePage } from './page-reporter.ts';
import type { PageWatch } from './page-settle.ts';

/**
 * Showing another page of a PO's lines table: Coupa shows one page of lines at a time (15, 45 or
 * 90 per page, the user's choice saved on their account) and reloads the table by XHR when a page
 * link is clicked. The link is clicked inside the page, the way the page's own handler expects;
 * then we wait until the table has started to change (a request or a change in the parts). The
 * caller settles the page again before reading it. We never change the user's "per page" choice.
 */

export interface LinePageOptions {
  readonly settleTimeoutMs: number;
  readonly signal: AbortSignal;
}

/** Whether the table started to change after the click (false: the link did nothing we could see). */
export async function showLinePage(page: Page, link: LinePageLink, watch: PageWatch, options: LinePageOptions): Promise<boolean> {
  const clickedAt = performance.now();
  const clicked = await page.evaluate(clickLink, { selector: READ_ARGS.linePageLinks, href: link.href, text: link.text.replace(/^next \d+$/, '') });
  if (!clicked) return false;
  const deadline = clickedAt + options.settleTimeoutMs;
  for (;;) {
    const now = performance.now();
    if (watch.running(now) > 0) return true;
    const read = await probePage(page);
    if (read !== null && read.quietMs < performance.now() - clickedAt) return true;
    if (performance.now() >= deadline) return false;
    await sleep(50, undefined, { signal: options.signal });
  }
}

/** Runs in the page: clicks the pagination link with this address (and text, when given). Self-contained. */
function clickLink(args: { selector: string; href: string; text: string }): boolean {
  const squash = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ').trim();
  const links = Array.from(document.querySelectorAll<HTMLAnchorElement>(args.selector));
  const link = links.find((a) => a.href === args.href && (args.text === '' || squash(a.textContent) === args.text || squash(a.getAttribute('aria-label')) === args.text)) ?? links.find((a) => a.href === args.href);
  if (link === undefined) return false;
  link.click();
  return true;
}
