import { join, relative, sep } from 'node:path';
import type { Browser } from 'playwright-core';
import type { SavedFile } from '../../domain/po-outcome.ts';
import {
  MailPdfRenderer,
  conversionRows,
  convertMailFile,
  countConversions,
  planMailConversions,
  type ConversionCounts,
  type DownloadedFile,
  type MailConversion,
  type MailPdfSettings,
} from '../../mail/index.ts';
import type { StateStore } from '../../state/state-store.ts';

/** Where each conversion is written down for the person reading the log. */
export interface ConversionLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface MailConversionsOptions {
  readonly outDir: string;
  readonly settings: MailPdfSettings;
  /** Starts the headless browser that prints the mails; called only once there is a mail to print. */
  readonly launchBrowser: () => Promise<Browser>;
  readonly store: StateStore;
  readonly log: ConversionLog;
  /** Stops converting (Ctrl-C): the mail being printed and those queued are left for the next run. */
  readonly signal: AbortSignal;
  /** Whether mails found unreadable before are tried again (`report --convert` does; a run does not). */
  readonly retryUnreadable: boolean;
  /** Queue without converting until `start()` (to look at what is queued first). */
  readonly paused?: boolean;
}

/**
 * Converts downloaded mails to PDF one after the other, beside the run rather than inside it: a PO
 * is finished (and its worker free for the next PO) before its mails are printed, so conversions
 * never hold a worker or count against a PO's deadline. Mails are printed by a headless browser
 * of their own, started when the first mail comes (it also prints for `--headed` runs, as only a
 * headless Chromium prints to PDF). Each result goes to the state store at once, one downloaded
 * mail at a time, so a stop loses at most the mail being printed; that one is converted next time.
 * A conversion never changes a PO's status.
 */
export class MailConversions implements AsyncDisposable {
  readonly #options: MailConversionsOptions;
  #queue: Promise<void>;
  #start: () => void = () => {};
  readonly #results: MailConversion[] = [];
  #queued = 0;
  #browser: Browser | null = null;
  #renderer: MailPdfRenderer | null = null;
  /** Why the browser could not start: every mail after it fails at once with that reason. */
  #launchProblem: string | null = null;

  constructor(options: MailConversionsOptions) {
    this.#options = options;
    this.#queue = options.paused === true ? new Promise<void>((resolve) => (this.#start = resolve)) : Promise.resolve();
  }

  /** Starts converting what was queued while paused. */
  start(): void {
    this.#start();
  }

  /** How many mails were queued so far. */
  get queued(): number {
    return this.#queued;
  }

  /** Queues a finished PO's downloaded mails that need converting (new, fetched again, or a passing failure); returns how many. */
  add(poId: string, files: readonly SavedFile[]): number {
    const downloaded = files.map((file): DownloadedFile => ({ poId, relativePath: file.relativePath, sha256: file.sha256 }));
    const plan = planMailConversions(downloaded, this.#options.store.listConversions(poId), { retryUnreadable: this.#options.retryUnreadable });
    let added = 0;
    for (const decision of plan) {
      if (decision.action !== 'convert') continue;
      added += 1;
      this.#queue = this.#queue.then(() => this.#convertSafely(decision.file));
    }
    this.#queued += added;
    return added;
  }

  /** Waits until every queued mail is converted (or the signal stopped the rest); the counts of this run. */
  async finish(): Promise<ConversionCounts> {
    await this.#queue;
    return countConversions(this.#results);
  }

  async close(): Promise<void> {
    await this.#renderer?.close();
    await this.#browser?.close().catch(() => {});
    this.#renderer = null;
    this.#browser = null;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #convertSafely(file: DownloadedFile): Promise<void> {
    try {
      await this.#convert(file);
    } catch (error) {
      // The state could not be written (a full disk, say): the run goes on, and so do the PO downloads.
      this.#options.log.warn('A mail conversion could not be recorded', { po: file.poId, mail: file.relativePath, error: String(error) });
    }
  }

  async #convert(file: DownloadedFile): Promise<void> {
    const { outDir, settings, signal, store, log } = this.#options;
    if (signal.aborted) return;
    const path = join(outDir, ...file.relativePath.split('/'));
    const renderer = await this.#rendererOrNull();
    const conversion: MailConversion = renderer === null
      ? { status: 'failed', sourcePath: path, depth: 1, code: 'MAIL_RENDER_FAILED', reason: `The browser that prints mails to PDF could not start (${this.#launchProblem ?? 'unknown reason'}). The original file is kept; the next run tries again.` }
      : await convertMailFile(path, renderer, settings, { signal });
    // Stopped half-way: nothing was kept, and nothing is recorded, so the next run converts it.
    if (conversion.status === 'failed' && conversion.code === 'MAIL_INTERRUPTED') return;
    this.#results.push(conversion);
    const rows = conversionRows(conversion).map((row) => ({ ...row, sourcePath: this.#relative(row.sourcePath), outputPath: row.outputPath === null ? null : this.#relative(row.outputPath) }));
    store.recordConversions({ poId: file.poId, rootPath: file.relativePath, rootSha256: file.sha256 }, rows);
    const counts = countConversions([conversion]);
    if (conversion.status === 'done') {
      log.info('Mail converted to PDF', { po: file.poId, mail: file.relativePath, pdf: this.#relative(conversion.pdf.path), files: rows.filter((row) => row.kind === 'attachment' && row.status === 'done').length, mails: counts, bodySource: conversion.bodySource, blockedRequests: conversion.blockedRequests.length, ms: Math.round(conversion.durationMs) });
    }
    for (const row of rows) {
      if (row.status === 'failed') log.warn('Mail not converted to PDF', { po: file.poId, mail: row.sourcePath, code: row.code, reason: row.reason });
      else if (row.status === 'skipped' && row.kind === null) log.info('Attached mail not converted', { po: file.poId, mail: row.sourcePath, reason: row.reason });
    }
  }

  /** The renderer, with a browser (re)started when there is none or it went away; null when it cannot start. */
  async #rendererOrNull(): Promise<MailPdfRenderer | null> {
    if (this.#launchProblem !== null) return null;
    if (this.#renderer !== null && this.#browser?.isConnected() === true) return this.#renderer;
    await this.close();
    try {
      this.#browser = await this.#options.launchBrowser();
      this.#renderer = await MailPdfRenderer.open(this.#browser);
      return this.#renderer;
    } catch (error) {
      await this.close();
      this.#launchProblem = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      return null;
    }
  }

  #relative(path: string): string {
    return relative(this.#options.outDir, path).split(sep).join('/');
  }
}
