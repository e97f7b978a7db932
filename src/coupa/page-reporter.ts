import type { BrowserContext, Page } from 'playwright-core';
import { HIDE_FLOATING_BAR_SCRIPT } from './floating-bar.ts';
import { READ_ARGS, readPage, type PageRead, type ReadArgs } from './page-read.ts';

/**
 * Pages tell us when they are ready, instead of us asking again and again. Every document in a
 * worker's context runs a small script from its first moment (an init script): it reads the page
 * (page-read.ts) as soon as the page can be trusted to be whole, and again at every change until
 * it shows a sign-in form, an error page or filled attachment lists; then it hands what it read to
 * a binding, once. Reading inside the page, as it parses, comes before the page's own heavy work:
 * asking from outside had to queue behind that work (~100 ms per page on the simulator's heavy
 * pages, docs/benchmark.md).
 *
 * When a page is whole enough to read:
 * - once parsed (`DOMContentLoaded`);
 * - a PO page still parsing, once the parser has gone past its body (`#order_body`) with the
 *   comments inside it: everything after that (menus, templates, script bundles) holds no
 *   attachment, and the lists are there 40 ms (simulator) to seconds (real bundles) sooner;
 * - an error page still parsing, once the parser has gone past its message (an error container
 *   of error-page.ts): read at DOMContentLoaded it would be the same error page;
 * - any other page stuck parsing (a script that never arrives) after a grace period, except a PO
 *   page whose body is still arriving: half a body would be read as "all the attachments".
 *
 * Once read, a PO, requisition or error page is stopped (`window.stop()`): nothing after the read
 * needs the rest of it, and its parsing, script bundles and Chromium's own work after
 * `DOMContentLoaded` (form scanning, layout) took a quarter of the renderer's CPU per PO
 * (docs/benchmark.md). Pages with click widgets run on: the clicks need their scripts.
 */

export type ReportedRead = PageRead & { readonly url: string };

const BINDING = '__coupaDlPageRead';

/**
 * A document still loading may show half its lists; one stuck loading (a script that never
 * arrives) is read anyway after this long — unless it is a PO page whose body is still arriving.
 * Click widgets wait at most this long for the end of parsing (widget-download.ts).
 */
export const PARSE_GRACE_MS = 3_000;

/** Safety net for changes no observer sees (attributes, a page stuck loading). */
const RECHECK_MS = 250;

/** Runs in every document: the reporter itself. Self-contained, like everything sent to a page. */
function installReporter(binding: string, read: (args: ReadArgs) => PageRead | null, args: ReadArgs, graceMs: number, recheckMs: number): void {
  if (window !== window.top) return;
  let sent = false;
  // An element is whole once the parser has put something after it (or after one of its parents).
  const parsedPast = (element: Element): boolean => {
    for (let node: Element | null = element; node !== null && node !== document.body; node = node.parentElement) if (node.nextElementSibling !== null) return true;
    return false;
  };
  const wholeEnough = (): boolean => {
    if (document.readyState !== 'loading') return true;
    // An error message the parser has gone past is whole, and nothing later turns the page into a PO.
    if (args.errorContainers.some((selector) => Array.from(document.querySelectorAll(selector)).some(parsedPast))) return true;
    const graceOver = performance.now() >= graceMs;
    const body = document.querySelector(args.poBody);
    if (body === null) return graceOver;
    return parsedPast(body) && (body.querySelector(args.comments) !== null || graceOver);
  };
  const check = (): void => {
    if (sent || !wholeEnough()) return;
    let result: PageRead | null;
    try {
      result = read(args);
    } catch {
      return; // a page half torn down by its own scripts: look again at the next change
    }
    if (result === null) return;
    sent = true;
    observer.disconnect();
    clearInterval(timer);
    const report = (window as unknown as Record<string, (value: unknown) => Promise<unknown>>)[binding];
    void report?.({ ...result, url: location.href }).catch(() => {});
    // Read: stop parsing and loading the rest. A click widget needs the page's scripts; a sign-in page its form.
    if (result.kind === 'error' || (result.kind === 'ready' && result.attachments.every((attachment) => attachment.widget === null))) window.stop();
  };
  const observer = new MutationObserver(check);
  const timer = setInterval(check, recheckMs);
  observer.observe(document, { childList: true, subtree: true, characterData: true });
  document.addEventListener('DOMContentLoaded', check, { once: true });
  check();
}

const REPORTER_SCRIPT = `(${installReporter.toString()})(${JSON.stringify(BINDING)}, ${readPage.toString()}, ${JSON.stringify(READ_ARGS)}, ${String(PARSE_GRACE_MS)}, ${String(RECHECK_MS)});`;

const prepared = new WeakMap<BrowserContext, Promise<void>>();
const waiters = new WeakMap<Page, (read: ReportedRead) => void>();

/** Installs the binding, the reporter and the floating bar's hiding (floating-bar.ts) in a context, once; every page opened in it reports. */
export function prepareContext(context: BrowserContext): Promise<void> {
  let ready = prepared.get(context);
  if (ready === undefined) {
    ready = (async () => {
      await context.exposeBinding(BINDING, (source: { page: Page; frame: unknown }, read: unknown) => {
        if (source.frame !== source.page.mainFrame() || !isReportedRead(read)) return;
        waiters.get(source.page)?.(read);
      });
      await context.addInitScript({ content: REPORTER_SCRIPT });
      await context.addInitScript({ content: HIDE_FLOATING_BAR_SCRIPT });
    })();
    prepared.set(context, ready);
    ready.catch(() => prepared.delete(context));
  }
  return ready;
}

/**
 * What the next document of `page` reports. Call before navigating (a fast page can report
 * before the navigation returns). Rejects with the signal's reason when it aborts first.
 */
export function nextReport(page: Page, signal: AbortSignal): Promise<ReportedRead> {
  return new Promise<ReportedRead>((resolve, reject) => {
    const stop = (): void => {
      if (waiters.get(page) === deliver) waiters.delete(page);
      signal.removeEventListener('abort', onAbort);
    };
    const deliver = (read: ReportedRead): void => {
      stop();
      resolve(read);
    };
    const onAbort = (): void => {
      stop();
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    if (signal.aborted) return onAbort();
    waiters.set(page, deliver);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function isReportedRead(value: unknown): value is ReportedRead {
  if (typeof value !== 'object' || value === null) return false;
  const read = value as Record<string, unknown>;
  if (typeof read['url'] !== 'string') return false;
  if (read['kind'] === 'signIn') return true;
  if (read['kind'] === 'error') return typeof read['text'] === 'string';
  return read['kind'] === 'ready' && typeof read['supplier'] === 'string' && Array.isArray(read['attachments']);
}
