import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import type { BrowserContext, Download, Page } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { isBrowserGone, isTimeoutError, rethrowAsCoupaError, runAborted } from './browser-error.ts';
import { closeTab } from './close-tab.ts';
import { downloadName } from './download-name.ts';
import type { SavedLink } from './link-download.ts';
import { isSignInLanding } from './sign-in-page.ts';
import { refuseWebPage } from './widget-download.ts';
import { Deadline } from '../net/deadline.ts';

/**
 * One attempt at a linked file through the browser's own network stack: a tab of the worker's
 * context opens the file's address and the browser downloads it, with the context's cookies and
 * whatever proxy, PAC script and certificates the browser uses. The fallback when Node cannot
 * reach what the browser can (download-route.ts). Chromium fails a download whose body falls
 * short of `Content-Length`, so a download without a failure is complete; its bytes are hashed
 * from disk. No progress until the end: Playwright reports none for downloads.
 */
export interface BrowserDownloadOptions {
  readonly baseUrl: string;
  readonly signal: AbortSignal;
  readonly downloadTimeoutMs: number;
  onBytes(bytes: number, totalBytes: number | null): void;
  onRequest?(): void;
}

export async function downloadThroughBrowser(context: BrowserContext, url: string, label: string, tempPath: string, options: BrowserDownloadOptions): Promise<SavedLink> {
  using deadline = new Deadline(options.signal, options.downloadTimeoutMs);
  const attemptSignal = deadline.signal;
  let tab: Page | undefined;
  let download: Download | undefined;
  try {
    attemptSignal.throwIfAborted();
    tab = await context.newPage();
    const started = tab.waitForEvent('download', { timeout: options.downloadTimeoutMs, signal: attemptSignal });
    started.catch(() => {});
    // Opening a file's address starts a download: Playwright's goto then fails with "Download is starting".
    const shown = tab.goto(url, { waitUntil: 'commit', timeout: options.downloadTimeoutMs }).then(
      () => 'page' as const,
      (error: unknown) => (error instanceof Error && /download is starting/i.test(error.message) ? 'download' as const : Promise.reject(error)),
    );
    shown.catch(() => {});
    options.onRequest?.();
    const first = await Promise.race([started, shown]);
    if (first === 'page') {
      const landed = tab.url();
      if (isSignInLanding(landed, options.baseUrl)) throw new CoupaDlError('SESSION_EXPIRED', `Coupa asked to sign in again when the browser downloaded ${label || url}.`);
      // A page that starts its download a moment later (a hand-over page) still counts.
      download = await started.catch(() => undefined);
      if (download === undefined) throw new CoupaDlError('DOWNLOAD_FAILED', `Coupa showed a web page (${landed}) instead of the file`);
    } else {
      download = first === 'download' ? await started : first;
    }
    const failure = await download.failure();
    if (failure !== null) throw new CoupaDlError('TRUNCATED_DOWNLOAD', `the browser's download failed (${failure})`);
    if (isSignInLanding(download.url(), options.baseUrl)) throw new CoupaDlError('SESSION_EXPIRED', `Coupa asked to sign in again when the browser downloaded ${label || url}.`);
    await download.saveAs(tempPath);
    await refuseWebPage(tempPath, label, download);
    const { sizeBytes, sha256 } = await hashFile(tempPath);
    options.onBytes(sizeBytes, sizeBytes);
    return { wantedName: downloadName({ contentDisposition: undefined, label: download.suggestedFilename() || label, url: download.url() }), sizeBytes, sha256 };
  } catch (error) {
    await download?.cancel().catch(() => {});
    await unlink(tempPath).catch(() => {});
    if (error instanceof CoupaDlError) throw error;
    if (options.signal.aborted) throw runAborted(options.signal, error);
    if (isBrowserGone(error)) rethrowAsCoupaError(error, `Downloading ${label}`);
    if (isTimeoutError(error) || (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))) {
      throw new CoupaDlError('NAVIGATION_TIMEOUT', 'the browser did not finish the download in time', { cause: error });
    }
    const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    // net::ERR_… from the browser's own network stack: worth another try.
    if (/net::ERR_/.test(message)) throw new CoupaDlError('CONNECTION_RESET', `the browser could not download it (${message.replace(/^.*?(net::ERR_\w+).*$/, '$1')})`, { cause: error });
    return rethrowAsCoupaError(error, `Downloading ${label}`);
  } finally {
    await download?.delete().catch(() => {});
    if (tab !== undefined) await closeTab(tab);
  }
}

async function hashFile(path: string): Promise<{ sizeBytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    sizeBytes += bytes.length;
  }
  return { sizeBytes, sha256: hash.digest('hex') };
}
