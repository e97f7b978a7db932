import pLimit, { type LimitFunction } from 'p-limit';
import { CoupaDlError } from '../domain/errors.ts';
import type { SavedFile } from '../domain/po-outcome.ts';
import type { FoundAttachment } from './attachment-list.ts';
import { runAborted } from './browser-error.ts';
import { withDownloadRetries, type RetryDelay } from './download-retry.ts';
import { lastUrlSegment } from './download-name.ts';
import { writeVerified } from './link-download.ts';
import { noteFileFor } from './note-files.ts';
import type { PoFolder } from './po-folder.ts';
import { failureReason, type FileFailure } from './po-result.ts';
import { Deadline } from '../net/deadline.ts';

/**
 * The downloads of one PO, several at once, whatever fetches their bytes (a `FileFetcher`: the
 * browser's, or the REST API's): URL and Text notes are written directly. Attachments can be added
 * while others download (a page read early, then again once settled). Each lands in a temp file;
 * `finish` names them in the order they were added, whatever finished first, so a re-run names
 * duplicates (`Invoice (2).pdf`) the same way.
 */

export interface DownloadJob {
  readonly attachment: FoundAttachment;
  /** Where the attachment is shown: a browser page (click widgets are clicked there), or nothing. */
  readonly page?: unknown;
  /** That page's address when the attachment was read (a Text note names it as its source). */
  readonly pageUrl: string;
}

/** One attempt at a file attachment's bytes, into `tempPath`; `onRequest` once its request is on its way. */
export type FileFetcher = (job: DownloadJob, tempPath: string, settings: FetchSettings, onRequest: () => void) => Promise<FetchedFile>;

export interface FetchSettings {
  readonly baseUrl: string;
  readonly signal: AbortSignal;
  readonly downloadTimeoutMs: number;
  onBytes(bytes: number, totalBytes: number | null): void;
}

export interface FetchedFile {
  /** The name the server or page gives the file, before cleaning. */
  readonly wantedName: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly sourceUrl: string;
}

export interface DownloadSettings {
  readonly poNumber: string;
  readonly baseUrl: string;
  readonly signal: AbortSignal;
  readonly downloadTimeoutMs: number;
  readonly downloadConcurrency: number;
  readonly maxDownloadAttempts: number;
  readonly retryDelayMs: RetryDelay;
  onFileProgress(fileName: string, bytes: number, totalBytes: number | null): void;
  onFileSaved(file: SavedFile): void;
}

export interface DownloadResult {
  /** In the order the attachments were added. */
  readonly saved: readonly SavedFile[];
  readonly failures: readonly FileFailure[];
}

/** What one download produced before it is named: bytes in memory, or a temp file already written. */
type Fetched = { wantedName: string; sha256: string; sourceUrl: string } & ({ body: Buffer } | { tempPath: string; sizeBytes: number });

type Ended = { fetched: Fetched } | { failure: FileFailure } | { fatal: unknown };

interface Entry {
  readonly job: DownloadJob;
  readonly ended: Promise<Ended>;
  /** Resolves once the request has its cookies and is on its way, or a widget's click started its download (or the download ended). */
  readonly underway: Promise<void>;
}

export class PoDownloads {
  readonly #fetchFile: FileFetcher;
  readonly #folder: PoFolder;
  readonly #settings: DownloadSettings;
  readonly #limit: LimitFunction;
  readonly #width: number;
  /** A session, disk or browser problem stops every other download of the PO. */
  readonly #stop: Deadline;
  readonly #signal: AbortSignal;
  readonly #entries: Entry[] = [];

  constructor(fetchFile: FileFetcher, folder: PoFolder, settings: DownloadSettings) {
    [this.#fetchFile, this.#folder, this.#settings] = [fetchFile, folder, settings];
    this.#width = Math.max(1, settings.downloadConcurrency);
    this.#limit = pLimit(this.#width);
    this.#stop = new Deadline(settings.signal, null);
    this.#signal = this.#stop.signal;
  }

  get count(): number {
    return this.#entries.length;
  }

  /** Queues one more attachment; it starts as soon as one of the PO's download slots is free. */
  add(job: DownloadJob): void {
    const underway = Promise.withResolvers<void>();
    const ended = this.#limit(() => this.#fetch(job, underway.resolve)).finally(() => underway.resolve());
    this.#entries.push({ job, ended, underway: underway.promise });
  }

  /** Resolves once the first wave (as many downloads as run at once) has its requests on the way, or has ended. */
  async underway(): Promise<void> {
    await Promise.all(this.#entries.slice(0, this.#width).map((entry) => entry.underway));
  }

  /** Resolves once every click widget queued on `page` has been clicked (or has ended): the page may then show something else. */
  async clicked(page: unknown): Promise<void> {
    await Promise.all(this.#entries.filter((entry) => entry.job.page === page && entry.job.attachment.widget !== null).map((entry) => entry.underway));
  }

  /**
   * Waits for every download, including any added meanwhile; then names and files them in the
   * order added. Throws the first error that ends the whole PO (session, disk, browser, deadline).
   */
  async finish(): Promise<DownloadResult> {
    const ended: Ended[] = [];
    while (ended.length < this.#entries.length) ended.push(...(await Promise.all(this.#entries.slice(ended.length).map((entry) => entry.ended))));
    // Every download has ended: the PO's signal need not reach them any more.
    this.#stop.release();
    const fatal = ended.find((end): end is { fatal: unknown } => 'fatal' in end);
    // Temp files of the others stay in the work folder, which the PO removes when it fails.
    if (fatal !== undefined) throw fatal.fatal;
    const saved: SavedFile[] = [];
    const failures: FileFailure[] = [];
    for (const [index, end] of ended.entries()) {
      const entry = this.#entries[index];
      if (entry === undefined) continue;
      if ('failure' in end) failures.push(end.failure);
      else if ('fetched' in end) saved.push(await this.#file(entry.job, end.fetched));
    }
    return { saved, failures };
  }

  async #fetch(job: DownloadJob, onRequest: () => void): Promise<Ended> {
    const { attachment } = job;
    // Only a linked file asks the browser for cookies; notes and click widgets are under way at once.
    if (attachment.kind !== 'file') onRequest();
    const shownName = attachment.kind === 'file' ? attachment.label || lastUrlSegment(attachment.url) || 'attachment' : noteFileFor(attachment).wantedName;
    let attempts = 0;
    try {
      this.#settings.onFileProgress(shownName, 0, null);
      const fetched = await withDownloadRetries(async (attempt) => {
        attempts = attempt;
        return this.#fetchOnce(job, shownName, onRequest);
      }, { maxAttempts: this.#settings.maxDownloadAttempts, signal: this.#signal, delayMs: this.#settings.retryDelayMs });
      return { fetched };
    } catch (caught) {
      // An abort while waiting to retry surfaces as a bare AbortError: report why we were stopped.
      const error = this.#settings.signal.aborted && !(caught instanceof CoupaDlError) ? runAborted(this.#settings.signal, caught) : caught;
      if (!endsThePo(error)) return { failure: { name: shownName, reason: failureReason(error instanceof Error ? error.message : String(error), attempts) } };
      this.#stop.abort(error);
      return { fatal: error };
    }
  }

  async #fetchOnce(job: DownloadJob, shownName: string, onRequest: () => void): Promise<Fetched> {
    const { attachment } = job;
    if (attachment.kind === 'url' || attachment.kind === 'text') {
      return { ...noteFileFor(attachment), sourceUrl: attachment.kind === 'url' ? attachment.url : job.pageUrl };
    }
    const tempPath = this.#folder.tempPath();
    const settings = { ...this.#settings, signal: this.#signal, onBytes: (bytes: number, totalBytes: number | null) => this.#settings.onFileProgress(shownName, bytes, totalBytes) };
    const file = await this.#fetchFile(job, tempPath, settings, onRequest);
    return { ...file, tempPath };
  }

  /** Names a downloaded file and moves it into the PO's work folder. */
  async #file(job: DownloadJob, fetched: Fetched): Promise<SavedFile> {
    const name = this.#folder.reserveName(fetched.wantedName);
    const tempPath = 'body' in fetched ? this.#folder.tempPath() : fetched.tempPath;
    const sizeBytes = 'body' in fetched ? await writeVerified(tempPath, fetched.body) : fetched.sizeBytes;
    await this.#folder.commit(tempPath, name);
    const file: SavedFile = {
      poNumber: this.#settings.poNumber,
      name,
      relativePath: `${this.#folder.relativeWorkPath}/${name}`,
      sizeBytes,
      sha256: fetched.sha256,
      sourceUrl: fetched.sourceUrl,
      kind: job.attachment.kind,
      origin: job.attachment.origin,
    };
    this.#settings.onFileProgress(name, sizeBytes, sizeBytes);
    this.#settings.onFileSaved(file);
    return file;
  }
}

/** Errors that end the whole PO (or run) rather than just this file. */
function endsThePo(error: unknown): boolean {
  if (!(error instanceof CoupaDlError)) return true;
  if (error.kind === 'session' || error.kind === 'run') return true;
  return error.code === 'BROWSER_CRASHED' || error.code === 'PO_DEADLINE_EXCEEDED';
}
