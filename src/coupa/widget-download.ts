import { createHash } from 'node:crypto';
import { open, readFile, unlink } from 'node:fs/promises';
import type { Download, Frame, Page } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { abortable } from './abortable.ts';
import { isBrowserGone, isTimeoutError, rethrowAsCoupaError, runAborted } from './browser-error.ts';
import { WIDGET_MARK } from './page-read.ts';
import { PARSE_GRACE_MS } from './page-reporter.ts';
import { downloadName } from './download-name.ts';
import { isSignInLanding, isSignInUrl, looksLikeSignIn } from './sign-in-page.ts';
import { Deadline } from '../net/deadline.ts';

/**
 * One attempt at an old-theme file widget: a `span` with no href that starts a browser download
 * when clicked. Chromium itself fails a download whose body falls short of `Content-Length`,
 * so a download that reports no failure is complete; the bytes are then hashed from disk.
 *
 * The widgets of one page are clicked one at a time, each click waiting until its download has
 * started (so every download belongs to its click); the downloads themselves then run side by
 * side, like linked files. The floating bar that covers old themes is hidden by every page itself
 * (floating-bar.ts).
 */

export interface WidgetFetchOptions {
  readonly baseUrl: string;
  readonly signal: AbortSignal;
  readonly downloadTimeoutMs: number;
  /** The click has started its download: the page may move on (another page of lines). */
  onClicked?(): void;
}

export interface SavedDownload {
  readonly wantedName: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly url: string;
}

/** Clicks widget `widget`, saves the download to `tempPath`, and returns what was saved. */
export async function downloadWidget(page: Page, widget: number, label: string, tempPath: string, options: WidgetFetchOptions): Promise<SavedDownload> {
  const signedOut = watchForSignIn(page, options.baseUrl);
  let download: Download | undefined;
  let attempt: Deadline | undefined;
  try {
    // The attempt's time starts with its own click, not while earlier widgets are being clicked.
    const clicked = await oneClickAtATime(page, () => clickForDownload(page, widget, label, options, signedOut.promise));
    ({ started: download, attempt } = clicked);
    options.onClicked?.();
    const failure = await abortable(download.failure(), attempt.signal);
    if (failure !== null) throw new CoupaDlError('TRUNCATED_DOWNLOAD', `the browser's download failed (${failure})`);
    if (isSignInLanding(download.url(), options.baseUrl)) throw sessionExpired(label);
    await download.saveAs(tempPath);
    await refuseWebPage(tempPath, label, download);
  } catch (error) {
    // A download still running (timed out, or the PO stopped) must not go on filling the disk.
    await download?.cancel().catch(() => {});
    await unlink(tempPath).catch(() => {});
    if (error instanceof CoupaDlError) throw error;
    if (signedOut.seen()) throw sessionExpired(label);
    if (options.signal.aborted) throw runAborted(options.signal, error);
    if (isBrowserGone(error)) rethrowAsCoupaError(error, `Downloading ${label}`);
    if (isTimeoutError(error) || (error instanceof Error && error.name === 'AbortError')) {
      throw new CoupaDlError('NAVIGATION_TIMEOUT', 'no download started or finished in time', { cause: error });
    }
    return rethrowAsCoupaError(error, `Downloading ${label}`);
  } finally {
    signedOut.stop();
    attempt?.release();
  }
  const saved: Download = download;
  const bytes = await readFile(tempPath);
  await saved.delete().catch(() => {});
  return {
    wantedName: downloadName({ contentDisposition: undefined, label: saved.suggestedFilename() || label, url: saved.url() }),
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    url: saved.url(),
  };
}

/** Clicks the widget and waits until the browser has started its download. */
async function clickForDownload(page: Page, widget: number, label: string, options: WidgetFetchOptions, signedOut: Promise<'signed-out'>): Promise<{ started: Download; attempt: Deadline }> {
  const attempt = new Deadline(options.signal, options.downloadTimeoutMs);
  try {
    return { started: await clickAndWait(page, widget, label, options, signedOut, attempt.signal), attempt };
  } catch (error) {
    attempt.release();
    throw error;
  }
}

async function clickAndWait(page: Page, widget: number, label: string, options: WidgetFetchOptions, signedOut: Promise<'signed-out'>, attemptSignal: AbortSignal): Promise<Download> {
  const timeout = options.downloadTimeoutMs;
  // A PO stopped while this click waited for its turn clicks nothing.
  options.signal.throwIfAborted();
  // An earlier click may have taken the page through an expired session's sign-in redirects.
  if (isSignInUrl(page.url(), options.baseUrl)) throw sessionExpired(label);
  await untilParsed(page, timeout);
  // The click itself scrolls the widget into view (Playwright's actionability checks).
  const target = page.locator(`[${WIDGET_MARK}="${widget}"]`);
  const started = page.waitForEvent('download', { timeout, signal: attemptSignal });
  // If the click fails, nobody awaits `started`: its rejection must not crash the process.
  started.catch(() => {});
  // Chromium reports a click that starts a download as finished at once; the event carries the file.
  await target.click({ timeout, noWaitAfter: true });
  const first = await Promise.race([started, signedOut]);
  if (first === 'signed-out') throw sessionExpired(label);
  return first;
}

const clickQueues = new WeakMap<Page, Promise<unknown>>();

/** Runs `click` after every click queued before it on the same page has finished, well or not. */
function oneClickAtATime<T>(page: Page, click: () => Promise<T>): Promise<T> {
  const turn = (clickQueues.get(page) ?? Promise.resolve()).then(click);
  clickQueues.set(page, turn.catch(() => {}));
  return turn;
}

/**
 * A PO page is read as soon as its body is in (page-reporter.ts), but a widget's click handler and
 * the floating bar come later in the page: wait for the end of parsing, or go on after the grace a
 * page stuck parsing gets.
 */
async function untilParsed(page: Page, timeoutMs: number): Promise<void> {
  try {
    await page.waitForLoadState('domcontentloaded', { timeout: Math.min(timeoutMs, PARSE_GRACE_MS) });
  } catch (error) {
    if (!isTimeoutError(error)) throw error;
  }
}

/**
 * A web page saved where a file was expected is not the file (an expired SSO session answers the
 * click with its sign-in page, status 200): a sign-in page means the session is gone, another page
 * a failed download. An attachment that is itself a web page is kept.
 */
export async function refuseWebPage(tempPath: string, label: string, download: Download): Promise<void> {
  const head = await readHead(tempPath, 16 * 1024);
  const text = head.toString('utf8');
  if (!/^\s*(<!doctype html|<html[\s>])/i.test(text)) return;
  if (looksLikeSignIn(text)) throw sessionExpired(label);
  if (/\.x?html?$/i.test(label.trim()) || /\.x?html?$/i.test(download.suggestedFilename())) return;
  const title = /<title[^>]*>([^<]{0,120})/i.exec(text)?.[1]?.trim() ?? '';
  throw new CoupaDlError('DOWNLOAD_FAILED', `Coupa answered a web page${title ? ` ("${title}")` : ''} instead of the file`);
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

function sessionExpired(label: string): CoupaDlError {
  return new CoupaDlError('SESSION_EXPIRED', `Coupa asked to sign in again when downloading ${label}.`);
}

/**
 * Resolves when the page itself is sent to a sign-in page: an old-theme click on an expired
 * session navigates the whole tab through the sign-in redirects instead of downloading.
 */
function watchForSignIn(page: Page, baseUrl: string): { promise: Promise<'signed-out'>; seen(): boolean; stop(): void } {
  let seen = false;
  let listener: (frame: Frame) => void = () => {};
  const promise = new Promise<'signed-out'>((resolve) => {
    listener = (frame) => {
      if (frame !== page.mainFrame() || !isSignInUrl(frame.url(), baseUrl)) return;
      seen = true;
      resolve('signed-out');
    };
    page.on('framenavigated', listener);
  });
  return { promise, seen: () => seen, stop: () => void page.off('framenavigated', listener) };
}
