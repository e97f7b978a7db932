import type { BrowserContext, Page } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { parentSegments, poFolderName } from '../domain/folder-name.ts';
import type { PoOutcome, PoTask, SavedFile } from '../domain/po-outcome.ts';
import { rethrowAsCoupaError, runAborted } from './browser-error.ts';
import { closeTab } from './close-tab.ts';
import { showCoupaPage } from './coupa-page.ts';
import type { RetryDelay } from './download-retry.ts';
import { PoDownloads } from './po-downloads.ts';
import { PoFolder } from './po-folder.ts';
import { nextStep, START, type KeyedAttachment, type PageSeen, type PoFacts, type Verdict } from './po-steps.ts';
import { REST_DELAY_MS, restTab, takeTab } from './worker-tab.ts';

/** What a PO is busy with, for progress displays. */
export type PoStep = 'opening' | 'reading' | 'requisition' | 'downloading' | 'filing';

export interface ProcessPoOptions {
  /** e.g. `https://acme.coupahost.com`, no trailing slash. */
  baseUrl: string;
  /** The output root. */
  outDir: string;
  /** The run's (and the PO deadline's) cancellation. */
  signal: AbortSignal;
  /** Page open + ready. */
  navigationTimeoutMs: number;
  /** Per file. */
  downloadTimeoutMs: number;
  /** Files of one PO downloaded at once (links and click widgets). */
  downloadConcurrency: number;
  /** Per file, transient failures. */
  maxDownloadAttempts: number;
  /** The wait before a file's next attempt (the tool's one backoff, engine/retry-policy.ts). */
  retryDelayMs: RetryDelay;
  onStep(step: PoStep, detail?: string): void;
  onFileProgress(fileName: string, bytes: number, totalBytes: number | null): void;
  /** The moment a file is verified on disk (relativePath in the `__WORK` folder). */
  onFileSaved(file: SavedFile): void;
}

/**
 * Everything that happens to one PO in a signed-in browser context. What to do next is decided
 * by `nextStep` (po-steps.ts) from what was read and downloaded so far; this function only applies
 * each step: open and read pages in the worker's tab (worker-tab.ts), download into
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
          facts = { ...facts, po: await effects.read(poUrl, 'po') };
          options.onStep('reading');
          break;
        case 'download':
          await effects.download(next.from, next.attachments, facts);
          facts = { ...facts, queued: new Set([...facts.queued, ...next.attachments.map(({ key }) => key)]) };
          break;
        case 'conclude-po':
          facts = { ...facts, po: facts.po && { ...facts.po, concluded: true } };
          break;
        case 'read-requisition':
          options.onStep('requisition', next.url);
          facts = { ...facts, requisition: await effects.read(next.url, 'requisition') };
          break;
        case 'conclude-requisition':
          facts = { ...facts, requisition: facts.requisition && { ...facts.requisition, concluded: true } };
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
    if (error instanceof CoupaDlError) throw error;
    if (options.signal.aborted) throw runAborted(options.signal, error);
    return rethrowAsCoupaError(error, `PO ${task.poNumber}`);
  } finally {
    await effects.close();
  }
}

/** The effects of one PO: its tabs, its folder and its downloads; `close` leaves nothing behind. */
class PoEffects {
  readonly #context: BrowserContext;
  readonly #task: PoTask;
  readonly #options: ProcessPoOptions;
  /** The worker's tab (the PO page), and the tab the requisition is read in (the same one unless click widgets need the PO page). */
  #tab: Page | undefined;
  #requisitionTab: Page | undefined;
  readonly #extraTabs: Page[] = [];
  #folder: PoFolder | null = null;
  #downloads: PoDownloads | null = null;
  /** Tabs whose click widgets were queued: they stay on their page until the downloads end. */
  readonly #widgetTabs = new Set<Page>();
  #resting = false;
  #ended = false;

  constructor(context: BrowserContext, task: PoTask, options: ProcessPoOptions) {
    [this.#context, this.#task, this.#options] = [context, task, options];
  }

  async read(url: string, which: 'po' | 'requisition'): Promise<PageSeen> {
    let tab: Page;
    if (which === 'po') {
      tab = this.#tab = await takeTab(this.#context);
    } else {
      // The PO page stays open only when its click widgets need it; else the requisition takes its tab.
      const poTab = this.#tab;
      if (poTab === undefined || this.#widgetTabs.has(poTab)) {
        tab = await this.#context.newPage();
        this.#extraTabs.push(tab);
      } else tab = poTab;
      this.#requisitionTab = tab;
    }
    const view = await showCoupaPage(tab, url, this.#options);
    return { view, url: tab.url(), concluded: true };
  }

  async download(from: 'po' | 'requisition', attachments: readonly KeyedAttachment[], facts: PoFacts): Promise<void> {
    const seen = from === 'po' ? facts.po : facts.requisition;
    const page = from === 'po' ? this.#tab : this.#requisitionTab;
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
    // Pages no click-download needs are left while the files download (links are fetched from Node
    // with the context's cookies), once the downloads have their cookies: the browser, busy with a
    // navigation, answers those look-ups late (10–60 ms instead of 2–15, measured).
    await Promise.all(this.#extraTabs.filter((page) => !this.#widgetTabs.has(page)).map(closeTab));
    void downloads.underway().then(() => this.#restPoTab());
    return downloads.finish();
  }

  async end(verdict: Verdict, facts: PoFacts, poUrl: string): Promise<PoOutcome> {
    const folder = this.#folder ?? (facts.po?.view.kind === 'ready' ? this.#newFolder(verdict.supplier) : null);
    if (folder === null || this.#downloads === null) {
      await folder?.discardStaleWork();
      this.#ended = true;
      return { status: verdict.status, supplier: verdict.supplier, attachmentsFound: 0, attachmentsDownloaded: 0, files: [], errorMessage: verdict.message, folder: '', coupaUrl: verdict.coupaUrl || poUrl };
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
    };
  }

  /** After a PO that ended normally its tab waits for the next one; after a failure it is closed. */
  async close(): Promise<void> {
    await Promise.all(this.#extraTabs.map(closeTab));
    const tab = this.#tab;
    if (tab !== undefined) {
      if (!this.#ended) await closeTab(tab);
      else if (!this.#resting) restTab(tab, REST_DELAY_MS);
    }
    if (!this.#ended && this.#folder !== null) await this.#folder.discardStaleWork().catch(() => {});
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

  #restPoTab(): void {
    const tab = this.#tab;
    if (this.#resting || this.#ended || tab === undefined || this.#widgetTabs.has(tab)) return;
    restTab(tab);
    this.#resting = true;
  }
}
