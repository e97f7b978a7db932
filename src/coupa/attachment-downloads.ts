import type { BrowserContext, Page } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import type { SavedFile } from '../domain/po-outcome.ts';
import type { FoundAttachment } from './attachment-list.ts';
import { runAborted } from './browser-error.ts';
import { withDownloadRetries } from './download-retry.ts';
import { lastUrlSegment } from './download-name.ts';
import { downloadLinkedFile, writeVerified } from './link-download.ts';
import { noteFileFor } from './note-files.ts';
import type { PoFolder } from './po-folder.ts';
import { failureReason, type FileFailure } from './po-result.ts';
import { downloadWidget } from './widget-download.ts';

/**
 * Saving every attachment of one PO into its work folder, several at once: linked files streamed
 * to disk with the context's cookies (link-download.ts); click widgets clicked on their page, one
 * click at a time, their downloads side by side (widget-download.ts); URL and Text notes written
 * directly. Names are given in page order whatever finishes first, so a re-run names duplicates
 * (`Invoice (2).pdf`) the same way.
 */

export interface DownloadJob {
  readonly attachment: FoundAttachment;
  /** The page the attachment is on (click widgets are clicked there). */
  readonly page: Page;
  /** That page's address when the attachment was read (the tab may have moved on since). */
  readonly pageUrl: string;
}

export interface DownloadSettings {
  readonly poNumber: string;
  readonly baseUrl: string;
  readonly signal: AbortSignal;
  readonly downloadTimeoutMs: number;
  readonly downloadConcurrency: number;
  readonly maxDownloadAttempts: number;
  onFileProgress(fileName: string, bytes: number, totalBytes: number | null): void;
  onFileSaved(file: SavedFile): void;
  /**
   * Once: every download of the first wave has its request on the way (or has ended). Leaving a
   * page before that would slow them: the browser, busy with the navigation, answers the requests'
   * cookie look-ups late (10–60 ms instead of 2–15, measured).
   */
  onUnderway?(): void;
}

export interface DownloadResult {
  /** In page order. */
  readonly saved: readonly SavedFile[];
  readonly failures: readonly FileFailure[];
}

/** What one attempt produced, before it is named: bytes in memory, or a temp file already written. */
type Fetched = { wantedName: string; sha256: string; sourceUrl: string } & ({ body: Buffer } | { tempPath: string; sizeBytes: number });

export async function downloadAttachments(context: BrowserContext, folder: PoFolder, jobs: readonly DownloadJob[], settings: DownloadSettings): Promise<DownloadResult> {
  // A session, disk or browser problem stops every other download of the PO before we return.
  const stop = new AbortController();
  const signal = AbortSignal.any([settings.signal, stop.signal]);
  const saved: (SavedFile | undefined)[] = jobs.map(() => undefined);
  const failures: (FileFailure | undefined)[] = jobs.map(() => undefined);
  const turns = jobs.map(() => Promise.withResolvers<void>());
  let fatal: unknown = undefined;
  const width = Math.max(1, Math.min(settings.downloadConcurrency, jobs.length));
  let firstWaveLeft = width;
  const underwayOnce = (index: number): (() => void) => {
    let counted = index >= width;
    return () => {
      if (counted) return;
      counted = true;
      firstWaveLeft -= 1;
      if (firstWaveLeft === 0) settings.onUnderway?.();
    };
  };

  const runJob = async (index: number, job: DownloadJob): Promise<void> => {
    const { attachment } = job;
    const underway = underwayOnce(index);
    // Only a linked file asks the browser for cookies; notes and click widgets are under way at once.
    if (attachment.kind !== 'file' || attachment.widget !== null) underway();
    const shownName = attachment.kind === 'file' ? attachment.label || lastUrlSegment(attachment.url) || 'attachment' : noteFileFor(attachment).wantedName;
    let attempts = 0;
    let fetched: Fetched | null = null;
    try {
      settings.onFileProgress(shownName, 0, null);
      fetched = await withDownloadRetries(async (attempt) => {
        attempts = attempt;
        return fetchOnce(context, folder, job, shownName, { ...settings, signal }, underway);
      }, { maxAttempts: settings.maxDownloadAttempts, signal });
    } catch (caught) {
      // An abort while waiting to retry surfaces as a bare AbortError: report why we were stopped.
      const error = settings.signal.aborted && !(caught instanceof CoupaDlError) ? runAborted(settings.signal, caught) : caught;
      if (isFatal(error)) {
        fatal ??= error;
        stop.abort(error);
      } else {
        failures[index] = { name: shownName, reason: failureReason(error instanceof Error ? error.message : String(error), attempts) };
      }
    } finally {
      underway();
    }
    // Names are handed out in page order: wait for the previous attachment to take its name.
    await (index > 0 ? turns[index - 1]?.promise : undefined);
    try {
      if (fetched === null || fatal !== undefined) return;
      const name = folder.reserveName(fetched.wantedName);
      turns[index]?.resolve();
      const tempPath = 'body' in fetched ? folder.tempPath() : fetched.tempPath;
      const sizeBytes = 'body' in fetched ? await writeVerified(tempPath, fetched.body) : fetched.sizeBytes;
      await folder.commit(tempPath, name);
      const file: SavedFile = {
        poNumber: settings.poNumber,
        name,
        relativePath: `${folder.relativeWorkPath}/${name}`,
        sizeBytes,
        sha256: fetched.sha256,
        sourceUrl: fetched.sourceUrl,
        kind: attachment.kind,
        origin: attachment.origin,
      };
      saved[index] = file;
      settings.onFileProgress(name, sizeBytes, sizeBytes);
      settings.onFileSaved(file);
    } catch (error) {
      fatal ??= error;
      stop.abort(error);
    } finally {
      turns[index]?.resolve();
    }
  };

  // Page order, several at once; a page's click widgets take turns only for their clicks (widget-download.ts).
  let next = 0;
  const workers = Array.from({ length: width }, async () => {
    for (let index = next++; index < jobs.length; index = next++) {
      const job = jobs[index];
      if (job !== undefined) await runJob(index, job);
    }
  });
  await Promise.all(workers);
  if (fatal !== undefined) throw fatal;
  return { saved: saved.filter((file) => file !== undefined), failures: failures.filter((failure) => failure !== undefined) };
}

async function fetchOnce(context: BrowserContext, folder: PoFolder, job: DownloadJob, shownName: string, settings: DownloadSettings, onRequest: () => void): Promise<Fetched> {
  const { attachment } = job;
  if (attachment.kind === 'url' || attachment.kind === 'text') {
    return { ...noteFileFor(attachment), sourceUrl: attachment.kind === 'url' ? attachment.url : job.pageUrl };
  }
  if (attachment.widget !== null) {
    const tempPath = folder.tempPath();
    const download = await downloadWidget(job.page, attachment.widget, attachment.label, tempPath, settings);
    return { wantedName: download.wantedName, sha256: download.sha256, sourceUrl: download.url, tempPath, sizeBytes: download.sizeBytes };
  }
  const tempPath = folder.tempPath();
  const file = await downloadLinkedFile(context, attachment.url, attachment.label, tempPath, {
    ...settings,
    onBytes: (bytes, totalBytes) => settings.onFileProgress(shownName, bytes, totalBytes),
    onRequest,
  });
  return { ...file, sourceUrl: attachment.url, tempPath };
}

/** Errors that end the whole PO (or run) rather than just this file. */
function isFatal(error: unknown): boolean {
  if (!(error instanceof CoupaDlError)) return true;
  if (error.kind === 'session' || error.kind === 'run') return true;
  return error.code === 'BROWSER_CRASHED' || error.code === 'PO_DEADLINE_EXCEEDED';
}
