import type { BrowserContext, Page } from 'playwright-core';
import { HIDE_FLOATING_BAR_SCRIPT } from './floating-bar.ts';
import { READ_ARGS, readPage, type PageSnapshot, type ReadArgs } from './page-read.ts';

/**
 * Pages tell us when they can first be read, instead of us asking again and again. Every document
 * in a worker's context runs a small script from its first moment (an init script): it watches the
 * parts we read (the header's attachments, the lines table, the comments) for changes, reads the
 * page (page-read.ts) as soon as it can be trusted to be whole enough to start downloads, and hands
 * that first reading to a binding, once. Reading inside the page, as it parses, comes before the
 * page's own heavy work: asking from outside had to queue behind that work.
 *
 * That first reading only starts the downloads early. Whether the page has settled — nothing more
 * coming into the parts we read — is decided later (page-settle.ts), through `probePage`: the
 * page is never stopped before that, because comments and later pages of lines arrive after it.
 *
 * When a page is whole enough for its first reading:
 * - once parsed (`DOMContentLoaded`);
 * - a PO page still parsing, once the parser has gone past its body (`#order_body`) with the
 *   comments section inside it;
 * - an error page still parsing, once the parser has gone past its message;
 * - any other page stuck parsing (a script that never arrives) after a grace period, except a PO
 *   page whose body is still arriving: half a body would be read as "all the attachments".
 */

export type ReportedRead = PageSnapshot & { readonly url: string };

const BINDING = '__coupaDlPageRead';
const PROBE = '__coupaDlProbe';

/**
 * A document still loading may show half its lists; one stuck loading (a script that never
 * arrives) is read anyway after this long — unless it is a PO page whose body is still arriving.
 * Click widgets wait at most this long for the end of parsing (widget-download.ts).
 */
export const PARSE_GRACE_MS = 3_000;

/** Safety net for changes no observer sees (attributes, a page stuck loading). */
const RECHECK_MS = 250;

/** Runs in every document: the reporter itself. Self-contained, like everything sent to a page. */
function installReporter(binding: string, probe: string, read: (args: ReadArgs, changedAt: number) => PageSnapshot, args: ReadArgs, graceMs: number, recheckMs: number): void {
  if (window !== window.top) return;
  let sent = false;
  let changedAt = 0;
  (window as unknown as Record<string, unknown>)[probe] = () => ({ ...read(args, changedAt), url: location.href });
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
  // A change inside a part, or a node added that is or holds a part.
  const withinPart = (node: Node | null): boolean => {
    const element = node instanceof Element ? node : (node?.parentElement ?? null);
    return element !== null && element.closest(args.parts) !== null;
  };
  const holdsPart = (node: Node): boolean => node instanceof Element && (node.matches(args.parts) || node.querySelector(args.parts) !== null);
  const check = (): void => {
    if (sent || !wholeEnough()) return;
    let result: PageSnapshot;
    try {
      result = read(args, changedAt);
    } catch {
      return; // a page half torn down by its own scripts: look again at the next change
    }
    if (!result.signIn && result.error === null && !result.listsFilled) return;
    sent = true;
    clearInterval(timer);
    const report = (window as unknown as Record<string, (value: unknown) => Promise<unknown>>)[binding];
    void report?.({ ...result, url: location.href }).catch(() => {});
  };
  const observer = new MutationObserver((records) => {
    if (records.some((record) => withinPart(record.target) || Array.from(record.addedNodes).some(holdsPart) || Array.from(record.removedNodes).some(holdsPart))) {
      changedAt = performance.now();
    }
    check();
  });
  const timer = setInterval(check, recheckMs);
  observer.observe(document, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['class', 'style', 'hidden', 'aria-busy', 'href'] });
  document.addEventListener('DOMContentLoaded', check, { once: true });
  check();
}

/** The reporter for a run, with the user's own error markers (their language) added to ours. */
function reporterScript(errorMarkers: readonly string[]): string {
  const args: ReadArgs = { ...READ_ARGS, errorMarkers: [...READ_ARGS.errorMarkers, ...errorMarkers.filter((marker) => marker.trim() !== '')] };
  return `(${installReporter.toString()})(${JSON.stringify(BINDING)}, ${JSON.stringify(PROBE)}, ${readPage.toString()}, ${JSON.stringify(args)}, ${String(PARSE_GRACE_MS)}, ${String(RECHECK_MS)});`;
}

const prepared = new WeakMap<BrowserContext, Promise<void>>();
const waiters = new WeakMap<Page, (read: ReportedRead) => void>();

/**
 * Installs the binding, the reporter and the floating bar's hiding (floating-bar.ts) in a context,
 * once; every page opened in it reports. `errorMarkers`: the user's own words for error pages.
 */
export function prepareContext(context: BrowserContext, errorMarkers: readonly string[] = []): Promise<void> {
  let ready = prepared.get(context);
  if (ready === undefined) {
    ready = (async () => {
      await context.exposeBinding(BINDING, (source: { page: Page; frame: unknown }, read: unknown) => {
        if (source.frame !== source.page.mainFrame() || !isReportedRead(read)) return;
        waiters.get(source.page)?.(read);
      });
      await context.addInitScript({ content: reporterScript(errorMarkers) });
      await context.addInitScript({ content: HIDE_FLOATING_BAR_SCRIPT });
    })();
    prepared.set(context, ready);
    ready.catch(() => prepared.delete(context));
  }
  return ready;
}

/**
 * What the next document of `page` first reports. Call before navigating (a fast page can report
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

/** What the page shows now, read in the page by the reporter (null when the document has no reporter yet, e.g. about:blank). */
export async function probePage(page: Page): Promise<ReportedRead | null> {
  const read: unknown = await page.evaluate((name) => {
    const probe = (window as unknown as Record<string, (() => unknown) | undefined>)[name];
    return typeof probe === 'function' ? probe() : null;
  }, PROBE);
  return isReportedRead(read) ? read : null;
}

function isReportedRead(value: unknown): value is ReportedRead {
  if (typeof value !== 'object' || value === null) return false;
  const read = value as Record<string, unknown>;
  return typeof read['url'] === 'string' && typeof read['signIn'] === 'boolean' && Array.isArray(read['attachments']) && typeof read['quietMs'] === 'number';
}
