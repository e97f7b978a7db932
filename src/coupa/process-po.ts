import type { BrowserContext, Page } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { parentSegments, poFolderName } from '../domain/folder-name.ts';
import type { PoOutcome, PoTask, SavedFile } from '../domain/po-outcome.ts';
import { attachmentsFrom, type FoundAttachment } from './attachment-list.ts';
import { downloadAttachments, type DownloadJob } from './attachment-downloads.ts';
import { rethrowAsCoupaError, runAborted } from './browser-error.ts';
import { closeTab } from './close-tab.ts';
import { showCoupaPage } from './coupa-page.ts';
import { lastUrlSegment } from './download-name.ts';
import { errorPageMessage, errorPageStatus } from './error-page.ts';
import { PoFolder } from './po-folder.ts';
import { REST_DELAY_MS, restTab, takeTab } from './worker-tab.ts';
import { downloadMessage, downloadStatus, isPdfName } from './po-result.ts';

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
  onStep(step: PoStep, detail?: string): void;
  onFileProgress(fileName: string, bytes: number, totalBytes: number | null): void;
  /** The moment a file is verified on disk (relativePath in the `__WORK` folder). */
  onFileSaved(file: SavedFile): void;
}

/**
 * Everything that happens to one PO in a signed-in browser context: open its page in the worker's
 * tab (worker-tab.ts), read it, fall back to its requisition when the PO has no PDF, download every
 * attachment into `<PO folder>__WORK`, then rename the folder to `<PO folder>_<STATUS>`.
 *
 * A folder is made only when something was found to download: error pages, NO_ATTACHMENTS and a
 * requisition out of reach with nothing on the PO leave no folder (`folder: ''`), so the tree
 * holds only POs with files. Throws coded errors (SESSION_EXPIRED, NAVIGATION_TIMEOUT, …) for the
 * engine to act on; on a throw the partial `__WORK` folder is removed so a retry starts clean
 * (its files were reported via onFileSaved; the store's finishPo replaces those file rows).
 */
export async function processPo(context: BrowserContext, task: PoTask, options: ProcessPoOptions): Promise<PoOutcome> {
  const poUrl = `${options.baseUrl}/order_headers/${encodeURIComponent(task.poId)}`;
  let tab: Page | undefined;
  const extraTabs: Page[] = [];
  let resting = false;
  let folder: PoFolder | null = null;
  let done = false;
  try {
    options.onStep('opening', poUrl);
    tab = await takeTab(context);
    const poTab = tab;
    const view = await showCoupaPage(poTab, poUrl, options);
    if (view.kind === 'error') {
      done = true;
      return emptyOutcome(errorPageStatus(view.text), '', errorPageMessage(view.text), poUrl);
    }
    options.onStep('reading');
    const poAttachments = attachmentsFrom(view.attachments, 'po');
    const jobs: DownloadJob[] = poAttachments.map((attachment) => ({ attachment, page: poTab, pageUrl: poTab.url() }));
    let coupaUrl = poUrl;
    let requisitionError: string | null = null;
    if (needsRequisition(poAttachments) && view.requisitionUrl !== null) {
      options.onStep('requisition', view.requisitionUrl);
      // The PO page stays open only when its click widgets need it; else the requisition takes its tab.
      const requisitionTab = jobs.some((job) => job.attachment.widget !== null) ? await openExtraTab(context, extraTabs) : poTab;
      const requisitionView = await showCoupaPage(requisitionTab, view.requisitionUrl, options);
      if (requisitionView.kind === 'error') {
        requisitionError = `${view.requisitionUrl}: ${errorPageMessage(requisitionView.text)}`;
      } else {
        const found = attachmentsFrom(requisitionView.attachments, 'requisition');
        jobs.push(...found.map((attachment) => ({ attachment, page: requisitionTab, pageUrl: requisitionTab.url() })));
        if (found.some((attachment) => attachment.kind === 'file')) coupaUrl = view.requisitionUrl;
      }
    }

    folder = new PoFolder(options.outDir, parentSegments(task, view.supplier), poFolderName(task.poNumber));
    if (jobs.length === 0) {
      await folder.discardStaleWork();
      done = true;
      const tally = { found: 0, downloaded: 0, failures: [], requisitionError };
      return emptyOutcome(downloadStatus(tally), view.supplier, downloadMessage(tally), coupaUrl);
    }
    // A Coupa page keeps its scripts busy for seconds: pages no click-download needs are left while
    // the files download (links are fetched from Node with the context's cookies), freeing CPU;
    // the PO's tab once the downloads are under way (attachment-downloads.ts says why).
    const neededTabs = new Set(jobs.filter((job) => job.attachment.widget !== null).map((job) => job.page));
    const restPoTab = (): void => {
      if (resting || neededTabs.has(poTab)) return;
      restTab(poTab);
      resting = true;
    };
    await Promise.all(extraTabs.filter((page) => !neededTabs.has(page)).map(closeTab));
    await folder.open();
    options.onStep('downloading', `${jobs.length} attachment${jobs.length === 1 ? '' : 's'}`);
    const result = await downloadAttachments(context, folder, jobs, { ...options, poNumber: task.poNumber, onUnderway: restPoTab });
    options.onStep('filing');
    const tally = { found: jobs.length, downloaded: result.saved.length, failures: result.failures, requisitionError };
    const status = downloadStatus(tally);
    const finished = await folder.finish(status, result.saved.length);
    done = true;
    const kept = finished.carried.map((file): SavedFile => ({ ...file, poNumber: task.poNumber, relativePath: '', sourceUrl: '', kind: 'file', origin: 'po' }));
    const files = [...result.saved, ...kept].map((file) => ({ ...file, relativePath: `${finished.folder}/${file.name}` }));
    const keptNote = kept.length === 0 ? '' : ` Kept ${kept.length} file(s) saved by an earlier attempt: ${kept.map((file) => file.name).join('; ')}.`;
    return {
      status,
      supplier: view.supplier,
      attachmentsFound: tally.found,
      attachmentsDownloaded: tally.downloaded,
      files: finished.folder === '' ? [] : files,
      errorMessage: `${downloadMessage(tally)}${keptNote}`.trim(),
      folder: finished.folder,
      coupaUrl,
    };
  } catch (error) {
    if (error instanceof CoupaDlError) throw error;
    if (options.signal.aborted) throw runAborted(options.signal, error);
    return rethrowAsCoupaError(error, `PO ${task.poNumber}`);
  } finally {
    await Promise.all(extraTabs.map(closeTab));
    if (tab !== undefined) await settleTab(tab, done, resting);
    if (!done && folder !== null) await folder.discardStaleWork().catch(() => {});
  }
}

async function openExtraTab(context: BrowserContext, extraTabs: Page[]): Promise<Page> {
  const page = await context.newPage();
  extraTabs.push(page);
  return page;
}

/** After a PO that ended normally the tab waits for the next one; after a failure it is closed. */
async function settleTab(tab: Page, done: boolean, resting: boolean): Promise<void> {
  if (!done) await closeTab(tab);
  else if (!resting) restTab(tab, REST_DELAY_MS);
}

/** The requisition is read when the PO has no file attachment that is a PDF. */
function needsRequisition(attachments: readonly FoundAttachment[]): boolean {
  return !attachments.some((attachment) => attachment.kind === 'file' && (isPdfName(attachment.label) || isPdfName(lastUrlSegment(attachment.url))));
}

function emptyOutcome(status: PoOutcome['status'], supplier: string, errorMessage: string, coupaUrl: string): PoOutcome {
  return { status, supplier, attachmentsFound: 0, attachmentsDownloaded: 0, files: [], errorMessage, folder: '', coupaUrl };
}
