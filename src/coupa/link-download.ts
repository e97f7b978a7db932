import { createHash } from 'node:crypto';
import { stat, unlink, writeFile } from 'node:fs/promises';
import type { APIRequestContext, APIResponse } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { diskError, isBrowserGone, isConnectionReset, isTimeoutError, rethrowAsCoupaError, runAborted } from './browser-error.ts';
import { parseRetryAfterMs } from './download-retry.ts';
import { downloadName } from './download-name.ts';
import { isSignInUrl } from './sign-in-page.ts';

/**
 * One attempt at fetching a linked file through the browser context's own request client, so
 * the session cookies go along. The answer is checked (status, sign-in redirect, byte count
 * against `Content-Length`) before anything is written; failures are coded so the retry loop
 * knows which are worth another try.
 */

export interface FetchedFile {
  /** The name the server or page gives the file, before cleaning. */
  readonly wantedName: string;
  readonly body: Buffer;
  readonly sha256: string;
}

export interface LinkFetchOptions {
  readonly baseUrl: string;
  readonly signal: AbortSignal;
  readonly downloadTimeoutMs: number;
}

export async function fetchLinkedFile(request: APIRequestContext, url: string, label: string, options: LinkFetchOptions): Promise<FetchedFile> {
  const attemptSignal = AbortSignal.any([options.signal, AbortSignal.timeout(options.downloadTimeoutMs)]);
  let response: APIResponse | undefined;
  let body: Buffer;
  try {
    response = await request.get(url, { timeout: options.downloadTimeoutMs, signal: attemptSignal, failOnStatusCode: false, maxRedirects: 10 });
    checkResponse(response, url, options.baseUrl);
    body = await response.body();
  } catch (error) {
    throw fetchError(error, url, options.signal);
  } finally {
    // Playwright keeps every response body until the context closes unless told otherwise:
    // without this a worker held every file it had downloaded (~250 MB per 100 POs).
    await response?.dispose().catch(() => {});
  }
  const headers = response.headers();
  const expected = headers['content-length'];
  if (expected !== undefined && /^\d+$/.test(expected) && Number(expected) !== body.length) {
    throw new CoupaDlError('TRUNCATED_DOWNLOAD', `got ${body.length} of ${expected} bytes`);
  }
  const sha256 = createHash('sha256').update(body).digest('hex');
  return { wantedName: downloadName({ contentDisposition: headers['content-disposition'], label, url }), body, sha256 };
}

/** Writes bytes to `tempPath` and checks what landed on disk is all of them. */
export async function writeVerified(tempPath: string, body: Uint8Array): Promise<number> {
  try {
    await writeFile(tempPath, body);
    const { size } = await stat(tempPath);
    if (size !== body.length) throw new CoupaDlError('TRUNCATED_DOWNLOAD', `wrote ${size} of ${body.length} bytes`);
    return size;
  } catch (error) {
    await unlink(tempPath).catch(() => {});
    throw diskError(error, tempPath) ?? error;
  }
}

function checkResponse(response: APIResponse, url: string, baseUrl: string): void {
  const status = response.status();
  // A download that lands on the sign-in page means the session is gone, not that the file is.
  if (status === 401 || status === 403 || isSignInUrl(response.url(), baseUrl)) {
    throw new CoupaDlError('SESSION_EXPIRED', `Coupa asked to sign in again (HTTP ${status}) when downloading ${url}.`);
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(response.headers()['retry-after'], Date.now());
    throw new CoupaDlError('HTTP_TOO_MANY_REQUESTS', 'HTTP 429 (too many requests)', retryAfterMs === undefined ? {} : { retryAfterMs });
  }
  if (status >= 500) throw new CoupaDlError('HTTP_SERVER_ERROR', `HTTP ${status}`);
  if (status < 200 || status >= 300) throw new CoupaDlError('DOWNLOAD_FAILED', `HTTP ${status}`);
}

function fetchError(error: unknown, url: string, runSignal: AbortSignal): unknown {
  if (error instanceof CoupaDlError) return error;
  if (runSignal.aborted) return runAborted(runSignal, error);
  if (isBrowserGone(error)) {
    try {
      rethrowAsCoupaError(error, `Downloading ${url}`);
    } catch (mapped) {
      return mapped;
    }
  }
  const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
  if (isTimeoutError(error) || (error instanceof Error && error.name === 'AbortError')) {
    return new CoupaDlError('NAVIGATION_TIMEOUT', 'timed out', { cause: error });
  }
  if (isConnectionReset(error)) return new CoupaDlError('CONNECTION_RESET', `connection lost (${message})`, { cause: error });
  return new CoupaDlError('UNEXPECTED', `unexpected error (a bug, please report it): ${message}`, { cause: error });
}
