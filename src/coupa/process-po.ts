import type { BrowserContext, Page } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { parentSegments, poFolderName } from '../domain/folder-name.ts';
import type { PoOutcome, PoTask, SavedFile } from '../domain/po-outcome.ts';
import type { PoStatus } from '../domain/status.ts';
import { rethrowAsCoupaError, runAborted } from './browser-error.ts';
import { closeTab } from './close-tab.ts';
import { openCoupaPage, sessionAlive, type OpenedPage } from './coupa-page.ts';
import type { RetryDelay } from './download-retry.ts';
import { showLinePage } from './line-pages.ts';
import { savePageCopy } from './page-copy.ts';
import { settlePage } from './page-settle.ts';
import { viewOf, type ExpectedPage } from './page-view.ts';
import { PoDownloads } from './po-downloads.ts';
import { PoFolder } from './po-folder.ts';
import { mergeAttachments, nextStep, START, type KeyedAttachment, type PageSeen, type PoFacts, type Verdict } from './po-steps.ts';
import type { LinePageLink } from './page-read.ts';
import { REST_DELAY_MS, restTab, takeTab } from './worker-tab.ts';

/** What a PO is busy with, for progress displays. */
export type PoStep = 'opening' | 'reading' | 'settling' | 'line-page' | 'requisition' | 'downloading' | 'filing';

export interface ProcessPoOptions {
  /** e.g. `https://acme.coupahost.com`, no trailing slash. */
  baseUrl: string;
  /** The output root. */
  outDir: string;
  /** The run's (and the PO deadline's) cancellation. */
  signal: AbortSignal;
  /** Page open + first reading. */
  navigationTimeoutMs: number;
  /** How long after its load a page may take to settle before it is taken as it is. */
  settleTimeoutMs: number;
  /** How long the parts we read must stay unchanged for a page to count as settled. */
  settleQuietMs: number;
  /** Per file. */
  downloadTimeoutMs: number;
  /** Files of one PO downloaded at once (links and click widgets). */
  downloadConcurrency: number;
  /** Per file, transient failures. */
  maxDownloadAttempts: number;
  /** The wait before a file's next attempt (the tool's one backoff, engine/retry-policy.ts). */
  retryDelayMs: RetryDelay;
  /** The user's own words for error pages (not-found and access-denied together). */
  errorMarkers: readonly string[];
  /** Of those, the words that mean access denied. */
  accessDeniedMarkers: readonly string[];
  /** A copy of a page is capped at this size. */
  pageCopyMaxBytes: number;
  onStep(step: PoStep, detail?: string): void;
  onFileProgress(fileName: string, bytes: number, totalBytes: number | null): void;
  /** The moment a file is verified on disk (relativePath in the `__WORK` folder). */
  onFileSaved(file: SavedFile): void;
}

/** Outcomes that are not clean: their page is copied into `<out>/.coupa-dl/pages/<PO>/` to look at. */
const COPIED_STATUSES: readonly PoStatus[] = ['NEEDS_REVIEW', 'NO_ATTACHMENTS', 'PARTIAL', 'FAILED', 'PR_NOT_ACCESSIBLE'];

/**
 * Everything that happens to one PO in a signed-in browser context. What to do next is decided
 * by `nextStep` (po-steps.ts) from what was read and downloaded so far; this function only applies
 * each step: open, settle and page through pages in the worker's tab (worker-tab.ts), download into
 * `<PO folder>__WORK`, then rename the folder to `<PO folder>_<STATUS>`.
 *
 * A folder is made only when something was found to download: error pages, NO_ATTACHMENTS and a
 * requisition out of reach with nothing on the PO leave no folder (`folder: ''`), so the tree
 * holds only POs with files. Throws coded errors (SESSION_EXPIRED, NAVIGATION_TIMEOUT, …) for the
 * engine to act on; on a throw the partial `__WORK` folder is removed so a retry starts clean
 * (its files were reported via onFileSaved; the store's finishPo replaces those file rows).
 */
export async function processPo(context: BrowserContext, task: PoTask, options: ProcessPoOptions): Promise<PoOutcome> {
  const poUrl = `${options.baseUrl}/order_headers/${encodeURIComponent(task.poId)}`;
  const effects = new PoEffects(context, task, options);
  try {
    let facts: PoFacts = START;
    for (;;) {
      const next = nextStep(facts, poUrl);
      switch (next.step) {
        case 'read-po':
          options.onStep('opening', poUrl);
          facts = { ...facts, po: await effects.read(poUrl, 'po', task.poId) };
          options.onStep('reading');
          break;
        case 'download':
          await effects.download(next.from, next.attachments, facts);
          facts = { ...facts, queued: new Set([...facts.queued, ...next.attachments.map(({ key }) => key)]) };
          break;
        case 'settle':
          options.onStep('settling', next.which);
          facts = await effects.settle(next.which, facts);
          break;
        case 'next-line-page':
          options.onStep('line-page', next.link.text);
          facts = await effects.showLinePage(next.which, next.link, facts);
          break;
        case 'read-requisition':
          options.onStep('requisition', next.url);
          facts = { ...facts, requisition: await effects.read(next.url, 'requisition', lastSegment(next.url)) };
          break;
        case 'finish-downloads':
          facts = { ...facts, downloads: await effects.finishDownloads() };
          break;
        case 'end':
          options.onStep('filing');
          return await effects.end(next.verdict, facts, poUrl);
        default: {
          const unknown: never = next;
          throw new Error(`Unknown PO step ${JSON.stringify(unknown)} (a bug).`);
        }
      }
    }
  } catch (error) {
    const coded = error instanceof CoupaDlError ? error : options.signal.aborted ? runAborted(options.signal, error) : asCoded(error, task);
    await effects.copyAfterFailure(coded);
    throw coded;
  } finally {
    await effects.close();
  }
}

function asCoded(error: unknown, task: PoTask): CoupaDlError {
  try {
    return rethrowAsCoupaError(error, `PO ${task.poNumber}`);
  } catch (coded) {
    return coded as CoupaDlError;
  }
}

interface OpenPage {
  readonly tab: Page;
  readonly opened: OpenedPage;
  readonly expected: ExpectedPage;
}

/** The effects of one PO: its tabs, its folder and its downloads; `close` leaves nothing behind. */
class PoEffects {
  readonly #context: BrowserContext;
  readonly #task: PoTask;
  readonly #options: ProcessPoOptions;
  /** The worker's tab (the PO page). */
  #tab: Page | undefined;
  readonly #pages = new Map<'po' | 'requisition', OpenPage>();
  readonly #extraTabs: Page[] = [];
  #folder: PoFolder | null = null;
  #downloads: PoDownloads | null = null;
  /** Tabs whose click widgets were queued: they stay on their page until the downloads end. */
  readonly #widgetTabs = new Set<Page>();
  /** The PO page as HTML, kept when the requisition takes its tab (a copy may be needed at the end). */
  #poPageHtml: string | undefined;
  #ended = false;

  constructor(context: BrowserContext, task: PoTask, options: ProcessPoOptions) {
    [this.#context, this.#task, this.#options] = [context, task, options];
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
    await this.#downloads?.clicked(open.tab);
    const shown = await showLinePage(open.tab, link, open.opened.watch, { settleTimeoutMs: this.#options.settleTimeoutMs, signal: this.#options.signal });
    const review = shown ? seen.review : [...seen.review, `page "${link.text}" of the lines table did not show when its link was clicked`];
    return { ...facts, [which]: { ...seen, settled: !shown, linePagesSeen: [...seen.linePagesSeen, link.text], review } };
  }

  async download(from: 'po' | 'requisition', attachments: readonly KeyedAttachment[], facts: PoFacts): Promise<void> {
    const seen = facts[from];
    const page = this.#pages.get(from)?.tab;
    if (seen === null || page === undefined) throw new Error(`Attachments of the ${from} page before it was read (a bug).`);
    const downloads = this.#downloads ?? (await this.#openDownloads(facts));
    for (const { attachment } of attachments) {
      if (attachment.widget !== null) this.#widgetTabs.add(page);
      downloads.add({ attachment, page, pageUrl: seen.url });
    }
  }

  async finishDownloads(): Promise<PoFacts['downloads']> {
    const downloads = this.#downloads;
    if (downloads === null) return { saved: [], failures: [] };
    this.#options.onStep('downloading', `${downloads.count} attachment${downloads.count === 1 ? '' : 's'}`);
    // Tabs no click-download needs are closed while the files download (links are fetched from Node).
    await Promise.all(this.#extraTabs.filter((page) => !this.#widgetTabs.has(page)).map(closeTab));
    return downloads.finish();
  }

  async end(verdict: Verdict, facts: PoFacts, poUrl: string): Promise<PoOutcome> {
    const savedPage = COPIED_STATUSES.includes(verdict.status) ? await this.#copy(`${verdict.status}: ${verdict.message}`, facts) : '';
    const errorPage = verdict.status === 'PO_NOT_FOUND' || verdict.status === 'ACCESS_DENIED';
    const folder = errorPage ? this.#folder : (this.#folder ?? (facts.po?.view.kind === 'ready' ? this.#newFolder(verdict.supplier) : null));
    if (folder === null || this.#downloads === null || errorPage) {
      await folder?.discardStaleWork();
      this.#ended = true;
      return { status: verdict.status, supplier: verdict.supplier, attachmentsFound: errorPage ? 0 : verdict.found, attachmentsDownloaded: 0, files: [], errorMessage: verdict.message, folder: '', coupaUrl: verdict.coupaUrl || poUrl, savedPage };
    }
    const saved = facts.downloads?.saved ?? [];
    const finished = await folder.finish(verdict.status, saved.length);
    this.#ended = true;
    const kept = finished.carried.map((file): SavedFile => ({ ...file, poNumber: this.#task.poNumber, relativePath: '', sourceUrl: '', kind: 'file', origin: 'po' }));
    const files = [...saved, ...kept].map((file) => ({ ...file, relativePath: `${finished.folder}/${file.name}` }));
    const keptNote = kept.length === 0 ? '' : ` Kept ${kept.length} file(s) saved by an earlier attempt: ${kept.map((file) => file.name).join('; ')}.`;
    return {
      status: verdict.status,
      supplier: verdict.supplier,
      attachmentsFound: verdict.found,
      attachmentsDownloaded: saved.length,
      files: finished.folder === '' ? [] : files,
      errorMessage: `${verdict.message}${keptNote}`.trim(),
      folder: finished.folder,
      coupaUrl: verdict.coupaUrl,
      savedPage,
    };
  }

  /** A PO that fails (and may be given up) keeps a copy of the page it was on, when that says anything. */
  async copyAfterFailure(error: CoupaDlError): Promise<void> {
    if (error.kind === 'session' || error.kind === 'run' || error.code === 'BROWSER_CRASHED') return;
    await this.#copy(`${error.code}: ${error.message}`, null).catch(() => '');
  }

  /** After a PO that ended normally its tab waits for the next one; after a failure it is closed. */
  async close(): Promise<void> {
    for (const open of this.#pages.values()) open.opened[Symbol.dispose]();
    await Promise.all(this.#extraTabs.map(closeTab));
    const tab = this.#tab;
    if (tab !== undefined) {
      if (!this.#ended) await closeTab(tab);
      else restTab(tab, REST_DELAY_MS);
    }
    if (!this.#ended && this.#folder !== null) await this.#folder.discardStaleWork().catch(() => {});
  }

  /** Copies the PO page (or, when the requisition is what went wrong, the requisition page). */
  async #copy(reason: string, facts: PoFacts | null): Promise<string> {
    const requisition = facts?.requisition ?? null;
    const which = requisition !== null && (requisition.view.kind === 'error' || requisition.review.length > 0) ? 'requisition' : 'po';
    const tab = this.#pages.get(which)?.tab ?? this.#tab ?? null;
    // The requisition took the PO page's tab: the PO page's HTML was kept before it left.
    const moved = which === 'po' && tab !== null && tab === this.#pages.get('requisition')?.tab;
    const info = { poNumber: this.#task.poNumber, poId: this.#task.poId, reason, ...(moved && this.#poPageHtml !== undefined ? { earlierHtml: this.#poPageHtml } : {}) };
    return savePageCopy(tab, this.#options.outDir, info, this.#options.pageCopyMaxBytes);
  }

  /** The PO's work folder and its downloads, made when the first attachment is found. */
  async #openDownloads(facts: PoFacts): Promise<PoDownloads> {
    const supplier = facts.po?.view.kind === 'ready' ? facts.po.view.supplier : '';
    const folder = this.#newFolder(supplier);
    this.#folder = folder;
    await folder.open();
    this.#downloads = new PoDownloads(this.#context, folder, { ...this.#options, poNumber: this.#task.poNumber });
    return this.#downloads;
  }

  #newFolder(supplier: string): PoFolder {
    return new PoFolder(this.#options.outDir, parentSegments(this.#task, supplier), poFolderName(this.#task.poNumber));
  }
}

function lastSegment(url: string): string {
  return new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? '';
}
