import type { BrowserContext, Page } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import type { PoOutcome, PoTask } from '../domain/po-outcome.ts';
import { closeTab } from './close-tab.ts';
import { openCoupaPage, sessionAlive, type OpenedPage } from './coupa-page.ts';
import { showLinePage } from './line-pages.ts';
import type { DownloadRoute } from './download-route.ts';
import { fetchLinkedFile } from './linked-file.ts';
import { savePageCopy } from './page-copy.ts';
import type { LinePageLink } from './page-read.ts';
import { settlePage } from './page-settle.ts';
import { viewOf, type ExpectedPage } from './page-view.ts';
import type { DownloadResult, FileFetcher } from './po-downloads.ts';
import { COPIED_STATUSES, PoFiling, type FilingOptions } from './po-filing.ts';
import { poPdfFailureVerdict } from './po-pdf-verdict.ts';
import { PRINT_LINK_SELECTOR, savePoPdf, type PoPrintSettings } from './po-print.ts';
import type { PoSource } from './po-run.ts';
import { mergeAttachments, type KeyedAttachment, type PageSeen, type PoFacts, type Verdict } from './po-steps.ts';
import { downloadWidget } from './widget-download.ts';
import { REST_DELAY_MS, restTab, takeTab } from './worker-tab.ts';

/**
 * A PO read through Coupa's web pages in a signed-in browser context: pages opened in the worker's
 * tab (worker-tab.ts), settled, paged through; linked files streamed from Node with the context's
 * cookies, click widgets clicked on their page; a copy of the page kept when the outcome is not clean.
 */

export interface BrowserSourceOptions extends FilingOptions {
  readonly navigationTimeoutMs: number;
  readonly settleTimeoutMs: number;
  readonly settleQuietMs: number;
  readonly errorMarkers: readonly string[];
  readonly accessDeniedMarkers: readonly string[];
  readonly pageCopyMaxBytes: number;
  /** How to print the PO itself as a PDF into its folder (`--save-po-pdf`); absent when not asked for. */
  readonly poPdf?: PoPrintSettings;
  /** How this run fetches linked files: from Node, or (after Node could not connect) the browser. */
  readonly downloadRoute: DownloadRoute;
}

interface OpenPage {
  readonly tab: Page;
  readonly opened: OpenedPage;
  readonly expected: ExpectedPage;
}

export class BrowserPoSource implements PoSource {
  readonly #context: BrowserContext;
  readonly #task: PoTask;
  readonly #options: BrowserSourceOptions;
  readonly #filing: PoFiling;
  /** The worker's tab (the PO page). */
  #tab: Page | undefined;
  readonly #pages = new Map<'po' | 'requisition', OpenPage>();
  readonly #extraTabs: Page[] = [];
  /** Tabs whose click widgets were queued: they stay on their page until the downloads end. */
  readonly #widgetTabs = new Set<Page>();
  /** The PO page as HTML, kept when the requisition takes its tab (a copy may be needed at the end). */
  #poPageHtml: string | undefined;
  /** The PO page's print link, read before the requisition takes its tab (undefined: not read yet). */
  #printHref: string | null | undefined;

  constructor(context: BrowserContext, task: PoTask, options: BrowserSourceOptions) {
    [this.#context, this.#task, this.#options] = [context, task, options];
    this.#filing = new PoFiling(task, options, browserFetcher(context, options.downloadRoute));
  }

  async read(url: string, which: 'po' | 'requisition', id: string): Promise<PageSeen> {
    let tab: Page;
    if (which === 'po') {
      tab = this.#tab = await takeTab(this.#context);
    } else {
      // The PO page stays open only when its click widgets need it; else the requisition takes its tab.
      const poTab = this.#tab;
      if (poTab === undefined || this.#widgetTabs.has(poTab)) {
        tab = await this.#context.newPage();
        this.#extraTabs.push(tab);
      } else {
        tab = poTab;
        this.#poPageHtml = await tab.content().catch(() => undefined);
        // The PO page's watch would take the requisition's events for its own.
        this.#pages.get('po')?.opened[Symbol.dispose]();
        if (this.#options.poPdf !== undefined) this.#printHref = await printHrefOf(tab);
      }
    }
    this.#pages.get(which)?.opened[Symbol.dispose]();
    const opened = await openCoupaPage(tab, url, this.#options);
    const expected: ExpectedPage = { kind: which, id, httpStatus: opened.status, accessDeniedMarkers: this.#options.accessDeniedMarkers };
    this.#pages.set(which, { tab, opened, expected });
    if (opened.status === 403) {
      // A 403 is ACCESS_DENIED only when Coupa still knows us; otherwise the session is gone.
      if (!(await sessionAlive(tab, this.#options))) throw new CoupaDlError('SESSION_EXPIRED', `Coupa answered HTTP 403 for ${url} and no longer knows this session.`);
      const message = `Coupa answered HTTP 403 (forbidden) for ${url}; the session is signed in, so this account may not open it`;
      return { view: { kind: 'error', status: 'ACCESS_DENIED', message }, url, attachments: [], settled: true, linePagesSeen: [], review: [] };
    }
    const view = viewOf(opened.read, expected, null);
    return { view, url: tab.url(), attachments: view.kind === 'ready' ? view.attachments : [], settled: view.kind === 'error', linePagesSeen: [], review: [] };
  }

  async settle(which: 'po' | 'requisition', facts: PoFacts): Promise<PoFacts> {
    const open = this.#pages.get(which);
    const seen = facts[which];
    if (open === undefined || seen === null) throw new Error(`Settling the ${which} page before it was read (a bug).`);
    const settled = await settlePage(open.tab, open.opened.watch, { settleTimeoutMs: this.#options.settleTimeoutMs, quietMs: this.#options.settleQuietMs, signal: this.#options.signal });
    if (settled.read.signIn) throw new CoupaDlError('SESSION_EXPIRED', `Coupa showed its sign-in page (${settled.read.url}) while ${seen.url} was read.`);
    const view = viewOf(settled.read, open.expected, settled);
    const attachments = view.kind === 'ready' ? mergeAttachments(seen.attachments, view.attachments, which) : seen.attachments;
    const review = [...new Set([...seen.review, ...(view.kind === 'ready' ? view.review : [])])];
    return { ...facts, [which]: { ...seen, view, attachments, settled: true, review } };
  }

  async showLinePage(which: 'po' | 'requisition', link: LinePageLink, facts: PoFacts): Promise<PoFacts> {
    const open = this.#pages.get(which);
    const seen = facts[which];
    if (open === undefined || seen === null) throw new Error(`Paging the ${which} page before it was read (a bug).`);
    // Click widgets of the rows shown now are clicked before the table shows other rows.
    await this.#filing.downloads?.clicked(open.tab);
    const shown = await showLinePage(open.tab, link, open.opened.watch, { settleTimeoutMs: this.#options.settleTimeoutMs, signal: this.#options.signal });
    const review = shown ? seen.review : [...seen.review, `page "${link.text}" of the lines table did not show when its link was clicked`];
    return { ...facts, [which]: { ...seen, settled: !shown, linePagesSeen: [...seen.linePagesSeen, link.text], review } };
  }

  async download(from: 'po' | 'requisition', attachments: readonly KeyedAttachment[], facts: PoFacts): Promise<void> {
    const seen = facts[from];
    const page = this.#pages.get(from)?.tab;
    if (seen === null || page === undefined) throw new Error(`Attachments of the ${from} page before it was read (a bug).`);
    if (attachments.some(({ attachment }) => attachment.widget !== null)) this.#widgetTabs.add(page);
    await this.#filing.queue(attachments, facts, { page, pageUrl: seen.url });
  }

  async finishDownloads(): Promise<DownloadResult> {
    // Tabs no click-download needs are closed while the files download (links are fetched from Node).
    await Promise.all(this.#extraTabs.filter((page) => !this.#widgetTabs.has(page)).map(closeTab));
    return this.#filing.finishDownloads();
  }

  async end(verdict: Verdict, facts: PoFacts, poUrl: string): Promise<PoOutcome> {
    let final = verdict;
    let savedPage = '';
    const settings = this.#options.poPdf;
    const tab = this.#tab;
    if (settings !== undefined && tab !== undefined && facts.po?.view.kind === 'ready' && verdict.status !== 'PO_NOT_FOUND' && verdict.status !== 'ACCESS_DENIED') {
      // The page is copied before the tab leaves it for the print view.
      if (COPIED_STATUSES.includes(verdict.status)) savedPage = await this.#copy(`${verdict.status}: ${verdict.message}`, facts);
      const printHref = this.#printHref !== undefined ? this.#printHref : await printHrefOf(tab);
      const request = { baseUrl: this.#options.baseUrl, poId: this.#task.poId, printHref };
      const result = await this.#filing.addPoPdf(facts, (folder, poFolderName) => savePoPdf(tab, { ...request, folder, poFolderName }, settings, this.#options.signal));
      if (result.status === 'failed') final = { ...verdict, ...poPdfFailureVerdict(verdict.status, verdict.message, result.message) };
    }
    // A PO the PDF made unclean keeps a copy of what the tab shows: the page that could not be printed.
    if (savedPage === '' && COPIED_STATUSES.includes(final.status)) savedPage = await this.#copy(`${final.status}: ${final.message}`, facts);
    return this.#filing.end(final, facts, poUrl, savedPage);
  }

  /** A PO that fails (and may be given up) keeps a copy of the page it was on. */
  async copyAfterFailure(error: CoupaDlError): Promise<void> {
    if (error.kind === 'session' || error.kind === 'run' || error.code === 'BROWSER_CRASHED') return;
    await this.#copy(`${error.code}: ${error.message}`, null, 2_000).catch(() => '');
  }

  /** After a PO that ended normally its tab waits for the next one; after a failure it is closed. */
  async close(): Promise<void> {
    for (const open of this.#pages.values()) open.opened[Symbol.dispose]();
    await Promise.all(this.#extraTabs.map(closeTab));
    const tab = this.#tab;
    if (tab !== undefined) {
      if (!this.#filing.ended) await closeTab(tab);
      else restTab(tab, REST_DELAY_MS);
    }
    await this.#filing.discardUnfinished();
  }

  /** Copies the PO page (or, when the requisition is what went wrong, the requisition page). */
  async #copy(reason: string, facts: PoFacts | null, screenshotTimeoutMs = 5_000): Promise<string> {
    const requisition = facts?.requisition ?? null;
    const which = requisition !== null && (requisition.view.kind === 'error' || requisition.review.length > 0) ? 'requisition' : 'po';
    const tab = this.#pages.get(which)?.tab ?? this.#tab ?? null;
    // The requisition took the PO page's tab: the PO page's HTML was kept before it left.
    const moved = which === 'po' && tab !== null && tab === this.#pages.get('requisition')?.tab;
    const info = { poNumber: this.#task.poNumber, poId: this.#task.poId, reason, screenshotTimeoutMs, ...(moved && this.#poPageHtml !== undefined ? { earlierHtml: this.#poPageHtml } : {}) };
    return savePageCopy(tab, this.#options.outDir, info, this.#options.pageCopyMaxBytes);
  }
}

/** The page's own print link (`a.s-printButton`), or null when it shows none. */
async function printHrefOf(tab: Page): Promise<string | null> {
  return tab.evaluate((selector) => document.querySelector(selector)?.getAttribute('href') ?? null, PRINT_LINK_SELECTOR).catch(() => null);
}

/** File bytes through the browser: a link streamed from Node with the context's cookies (or fetched by the browser), or a widget clicked on its page. */
function browserFetcher(context: BrowserContext, route: DownloadRoute): FileFetcher {
  return async (job, tempPath, settings, onRequest) => {
    const { attachment } = job;
    if (attachment.widget !== null) {
      const download = await downloadWidget(job.page as Page, attachment.widget, attachment.label, tempPath, { ...settings, onClicked: onRequest });
      return { wantedName: download.wantedName, sha256: download.sha256, sourceUrl: download.url, sizeBytes: download.sizeBytes };
    }
    const file = await fetchLinkedFile(context, route, attachment.url, attachment.label, tempPath, { ...settings, onRequest });
    return { ...file, sourceUrl: attachment.url };
  };
}
