import { basename } from 'node:path';
import { parentSegments, poFolderName } from '../domain/folder-name.ts';
import type { PoOutcome, PoPdfFile, PoTask, SavedFile } from '../domain/po-outcome.ts';
import type { PoStatus } from '../domain/status.ts';
import type { RetryDelay } from './download-retry.ts';
import { PoDownloads, type DownloadResult, type FileFetcher } from './po-downloads.ts';
import { PoFolder } from './po-folder.ts';
import type { PoPdfResult } from './po-print.ts';
import type { KeyedAttachment, PoFacts, Verdict } from './po-steps.ts';

/**
 * A PO's folder and downloads, whatever source read it: the work folder is made when the first
 * attachment is queued, and at the end it is filed under its status (po-folder.ts) and the
 * outcome — one report row — is built. A folder is made only when something was found to
 * download: error pages, NO_ATTACHMENTS and a requisition out of reach with nothing on the PO leave
 * no folder (`folder: ''`), so the tree holds only POs with files.
 */

/** Outcomes that are not clean: their page (or the API's answers) is kept to look at. */
export const COPIED_STATUSES: readonly PoStatus[] = ['NEEDS_REVIEW', 'NO_ATTACHMENTS', 'PARTIAL', 'FAILED', 'PR_NOT_ACCESSIBLE'];

export interface FilingOptions {
  readonly outDir: string;
  readonly baseUrl: string;
  readonly signal: AbortSignal;
  readonly downloadTimeoutMs: number;
  readonly downloadConcurrency: number;
  readonly maxDownloadAttempts: number;
  readonly retryDelayMs: RetryDelay;
  onFileProgress(fileName: string, bytes: number, totalBytes: number | null): void;
  onFileSaved(file: SavedFile): void;
  /** Files an earlier run made in the PO's folder from its downloads (mail PDFs, the PO PDF), relative to the output folder: never carried over as attachments. */
  readonly derivedFiles?: ReadonlySet<string>;
}

/** Writes the PO PDF into the folder given, named after the PO folder (po-print.ts's `savePoPdf`). */
export type PoPdfPrinter = (folder: string, poFolderName: string) => Promise<PoPdfResult>;

export class PoFiling {
  readonly #task: PoTask;
  readonly #options: FilingOptions;
  readonly #fetchFile: FileFetcher;
  #folder: PoFolder | null = null;
  #downloads: PoDownloads | null = null;
  /** The PO PDF written into the work folder, its path to be known once the folder is filed. */
  #poPdf: Omit<PoPdfFile, 'relativePath'> | null = null;
  #ended = false;

  constructor(task: PoTask, options: FilingOptions, fetchFile: FileFetcher) {
    [this.#task, this.#options, this.#fetchFile] = [task, options, fetchFile];
  }

  /** The PO ended normally (its folder is filed): nothing to clean up. */
  get ended(): boolean {
    return this.#ended;
  }

  get downloads(): PoDownloads | null {
    return this.#downloads;
  }

  async queue(attachments: readonly KeyedAttachment[], facts: PoFacts, where: { page?: unknown; pageUrl: string }): Promise<void> {
    const downloads = this.#downloads ?? (await this.#openDownloads(facts));
    for (const { attachment } of attachments) downloads.add({ attachment, pageUrl: where.pageUrl, ...(where.page === undefined ? {} : { page: where.page }) });
  }

  async finishDownloads(): Promise<DownloadResult> {
    return this.#downloads === null ? { saved: [], failures: [] } : this.#downloads.finish();
  }

  /**
   * The PO itself as a PDF, written into the work folder before it is filed (a PO with nothing to
   * download gets a folder for it). Not an attachment: it is in the outcome's `poPdf`, never in its
   * files or counts. A failure is the caller's to weigh (po-pdf-verdict.ts).
   */
  async addPoPdf(facts: PoFacts, print: PoPdfPrinter): Promise<PoPdfResult> {
    let folder = this.#folder;
    if (folder === null) {
      folder = this.#newFolder(facts.po?.view.kind === 'ready' ? facts.po.view.supplier : '');
      this.#folder = folder;
      await folder.open();
    }
    const result = await print(folder.workPath, poFolderName(this.#task.poNumber));
    if (result.status === 'saved') {
      const name = basename(result.path);
      folder.reserveMadeName(name);
      this.#poPdf = { name, sizeBytes: result.sizeBytes, sha256: result.sha256, sourceUrl: result.sourceUrl };
    }
    return result;
  }

  /** Files the folder under the verdict's status and builds the outcome. `savedPage`: where evidence was kept. */
  async end(verdict: Verdict, facts: PoFacts, poUrl: string, savedPage: string): Promise<PoOutcome> {
    const errorPage = verdict.status === 'PO_NOT_FOUND' || verdict.status === 'ACCESS_DENIED';
    const folder = errorPage ? this.#folder : (this.#folder ?? (facts.po?.view.kind === 'ready' ? this.#newFolder(verdict.supplier) : null));
    if (folder === null || (this.#downloads === null && this.#poPdf === null) || errorPage) {
      await folder?.discardStaleWork();
      this.#ended = true;
      return { status: verdict.status, supplier: verdict.supplier, attachmentsFound: errorPage ? 0 : verdict.found, attachmentsDownloaded: 0, files: [], errorMessage: verdict.message, folder: '', coupaUrl: verdict.coupaUrl || poUrl, savedPage };
    }
    const saved = facts.downloads?.saved ?? [];
    const finished = await folder.finish(verdict.status, saved.length + (this.#poPdf === null ? 0 : 1));
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
      ...(this.#poPdf === null || finished.folder === '' ? {} : { poPdf: { ...this.#poPdf, relativePath: `${finished.folder}/${this.#poPdf.name}` } }),
    };
  }

  /** A PO that did not end normally leaves no work folder: a retry starts clean. */
  async discardUnfinished(): Promise<void> {
    if (!this.#ended && this.#folder !== null) await this.#folder.discardStaleWork().catch(() => {});
  }

  async #openDownloads(facts: PoFacts): Promise<PoDownloads> {
    const supplier = facts.po?.view.kind === 'ready' ? facts.po.view.supplier : '';
    const folder = this.#newFolder(supplier);
    this.#folder = folder;
    await folder.open();
    this.#downloads = new PoDownloads(this.#fetchFile, folder, { ...this.#options, poNumber: this.#task.poNumber });
    return this.#downloads;
  }

  #newFolder(supplier: string): PoFolder {
    return new PoFolder(this.#options.outDir, parentSegments(this.#task, supplier), poFolderName(this.#task.poNumber), this.#options.derivedFiles);
  }
}
