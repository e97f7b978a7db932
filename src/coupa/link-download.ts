import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat, unlink, writeFile } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BrowserContext } from 'playwright-core';
import { CoupaDlError } from '../domain/errors.ts';
import { browserRequestHeaders, keepResponseCookies } from './browser-request.ts';
import { diskError, isBrowserGone, isConnectionReset, isTimeoutError, rethrowAsCoupaError, runAborted } from './browser-error.ts';
import { parseRetryAfterMs } from './download-retry.ts';
import { downloadName, lastUrlSegment } from './download-name.ts';
import { isSignInLanding, looksLikeSignIn } from './sign-in-page.ts';
import { isConnectProblem, networkProblem, problemInWords } from '../net/network-problem.ts';
import { Deadline } from '../net/deadline.ts';

/**
 * One attempt at a linked file, streamed from Coupa straight to a temp file: the request carries
 * the browser context's cookies for each address (redirects are followed here, one hop at a
 * time), cookies Coupa sets on the way go back into the context, and the bytes are hashed and
 * counted as they pass. The answer is checked (status, sign-in redirect, byte count against
 * `Content-Length`) and coded, so the retry loop knows which failures are worth another try.
 *
 * Not Playwright's `context.request`: it holds each whole body in the CLI's memory and reports no
 * progress until the last byte (a large file on a slow line showed 0 bytes for minutes, and with
 * `--download-timeout-ms` above `--po-deadline-ms` its PO would have been called stalled).
 */

export interface SavedLink {
  /** The name the server or page gives the file, before cleaning. */
  readonly wantedName: string;
  readonly sizeBytes: number;
  readonly sha256: string;
}

export interface LinkFetchOptions {
  readonly baseUrl: string;
  /** Node's HTTP client for this run (its trusted authorities and proxy: net/node-http.ts). */
  readonly fetch: typeof globalThis.fetch;
  readonly signal: AbortSignal;
  readonly downloadTimeoutMs: number;
  /** Bytes written so far (at most every PROGRESS_EVERY_MS, and at the end). */
  onBytes(bytes: number, totalBytes: number | null): void;
  /** The request has its cookies and is on its way (each hop of a redirect calls it again). */
  onRequest?(): void;
}

const MAX_REDIRECTS = 10;
const PROGRESS_EVERY_MS = 250;

export async function downloadLinkedFile(context: BrowserContext, url: string, label: string, tempPath: string, options: LinkFetchOptions): Promise<SavedLink> {
  using deadline = new Deadline(options.signal, options.downloadTimeoutMs);
  const { signal } = deadline;
  let written = 0;
  let expected: number | null = null;
  try {
    const response = await openFile(context, url, options, signal);
    expected = expectedLength(response.headers);
    const hash = createHash('sha256');
    let reportedAt = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        written += chunk.length;
        const now = performance.now();
        if (now - reportedAt >= PROGRESS_EVERY_MS) {
          reportedAt = now;
          options.onBytes(written, expected);
        }
        done(null, chunk);
      },
    });
    const body = await fileBody(response, url, label);
    await pipeline(body, count, createWriteStream(tempPath), { signal });
    const { size } = await stat(tempPath);
    if (size !== written) throw new CoupaDlError('TRUNCATED_DOWNLOAD', `wrote ${size} of ${written} bytes`);
    if (expected !== null && written !== expected) throw new CoupaDlError('TRUNCATED_DOWNLOAD', `got ${written} of ${expected} bytes`);
    options.onBytes(written, expected);
    const contentDisposition = response.headers.get('content-disposition') ?? undefined;
    return { wantedName: downloadName({ contentDisposition, label, url }), sizeBytes: written, sha256: hash.digest('hex') };
  } catch (error) {
    await rm(tempPath, { force: true });
    throw fetchError(error, url, tempPath, options.signal, { written, expected });
  }
}

/** How much of an answer is looked at before it is trusted to be the file. */
const SNIFF_BYTES = 16 * 1024;

/**
 * The answer's body, once it is known to be the file: a web page where a file was expected (even
 * with status 200) is not the file. A sign-in or identity-provider hand-over page means the
 * session is gone (the caller restores it and fetches again); any other page is a failed
 * download. An attachment that is itself a web page (`.htm`, `.html`) is kept, unless the answer
 * is a sign-in page. Never saved under the file's name either way.
 */
async function fileBody(response: Response, url: string, label: string): Promise<Readable> {
  if (response.body === null) return Readable.from([]);
  const reader = response.body.getReader();
  const head: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < SNIFF_BYTES) {
    const next = await reader.read();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    size += next.value.length;
  }
  const start = Buffer.concat(head);
  const type = response.headers.get('content-type') ?? '';
  const text = start.toString('utf8', 0, Math.min(start.length, SNIFF_BYTES));
  const isHtml = /text\/html|application\/xhtml/i.test(type) || /^\s*(<!doctype html|<html[\s>])/i.test(text);
  if (isHtml) {
    const wantsHtml = /\.x?html?$/i.test(label.trim()) || /\.x?html?$/i.test(lastUrlSegment(url));
    if (looksLikeSignIn(text)) {
      await reader.cancel().catch(() => {});
      throw new CoupaDlError('SESSION_EXPIRED', `Coupa answered a sign-in page instead of ${label || url} (HTTP ${response.status}, ${type || 'no content type'}).`);
    }
    if (!wantsHtml) {
      await reader.cancel().catch(() => {});
      const title = /<title[^>]*>([^<]{0,120})/i.exec(text)?.[1]?.trim() ?? '';
      throw new CoupaDlError('DOWNLOAD_FAILED', `Coupa answered a web page${title ? ` ("${title}")` : ''} instead of the file (HTTP ${response.status})`);
    }
  }
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (start.length > 0) yield start;
    if (done) return;
    for (;;) {
      const next = await reader.read();
      if (next.done) return;
      yield next.value;
    }
  }
  return Readable.from(rest());
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

/** The file's response, after following redirects; its body not read yet. */
async function openFile(context: BrowserContext, url: string, options: Pick<LinkFetchOptions, 'baseUrl' | 'fetch' | 'onRequest'>, signal: AbortSignal): Promise<Response> {
  const { baseUrl } = options;
  let current = url;
  for (let hops = 0; ; hops += 1) {
    const sending = options.fetch(current, { redirect: 'manual', signal, headers: await browserRequestHeaders(context, current) });
    options.onRequest?.();
    const response = await sending;
    await keepResponseCookies(context, current, response.headers);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      const next = new URL(location, current).href;
      // A download that is sent to sign in means the session is gone, not that the file is; any
      // other host is followed (files are kept on storage hosts behind signed URLs).
      if (isSignInLanding(next, baseUrl)) throw new CoupaDlError('SESSION_EXPIRED', `Coupa asked to sign in again (HTTP ${response.status} to ${next}) when downloading ${url}.`);
      if (hops >= MAX_REDIRECTS) throw new CoupaDlError('DOWNLOAD_FAILED', `more than ${MAX_REDIRECTS} redirects`);
      current = next;
      continue;
    }
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel();
      throw statusError(response, url);
    }
    return response;
  }
}

function statusError(response: Response, url: string): CoupaDlError {
  const { status } = response;
  if (status === 401 || status === 403) return new CoupaDlError('SESSION_EXPIRED', `Coupa asked to sign in again (HTTP ${status}) when downloading ${url}.`);
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after') ?? undefined, Date.now());
    return new CoupaDlError('HTTP_TOO_MANY_REQUESTS', 'HTTP 429 (too many requests)', retryAfterMs === undefined ? {} : { retryAfterMs });
  }
  if (status >= 500) return new CoupaDlError('HTTP_SERVER_ERROR', `HTTP ${status}`);
  return new CoupaDlError('DOWNLOAD_FAILED', `HTTP ${status}`);
}

/** `Content-Length` when it tells the size on disk (not with a compressed transfer, which fetch unpacks). */
function expectedLength(headers: Headers): number | null {
  const length = headers.get('content-length');
  const encoding = headers.get('content-encoding');
  if (length === null || !/^\d+$/.test(length)) return null;
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return null;
  return Number(length);
}

function fetchError(error: unknown, url: string, tempPath: string, runSignal: AbortSignal, bytes: { written: number; expected: number | null }): unknown {
  if (error instanceof CoupaDlError) return error;
  if (runSignal.aborted) return runAborted(runSignal, error);
  const disk = diskError(error, tempPath);
  if (disk !== null) return disk;
  if (isBrowserGone(error)) {
    try {
      rethrowAsCoupaError(error, `Downloading ${url}`);
    } catch (mapped) {
      return mapped;
    }
  }
  if (isTimeoutError(error) || (error instanceof Error && error.name === 'AbortError')) {
    return new CoupaDlError('NAVIGATION_TIMEOUT', 'timed out', { cause: error });
  }
  const problem = networkProblem(error);
  if (problem !== null && isConnectProblem(problem) && bytes.written === 0) {
    return new CoupaDlError('CONNECTION_RESET', `could not connect: ${problemInWords(problem, hostOf(url))}`, { cause: error });
  }
  const network = networkFailure(error);
  if (network !== null) {
    // The server closed the connection before sending what it announced.
    if (bytes.expected !== null && bytes.written < bytes.expected) {
      return new CoupaDlError('TRUNCATED_DOWNLOAD', `got ${bytes.written} of ${bytes.expected} bytes (${network})`, { cause: error });
    }
    return new CoupaDlError('CONNECTION_RESET', `connection lost (${network})`, { cause: error });
  }
  const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
  return new CoupaDlError('UNEXPECTED', `unexpected error (a bug, please report it): ${message}`, { cause: error });
}

/**
 * What fetch says when the network failed ("fetch failed", or "terminated" mid-body) with the
 * reason from its cause (`ECONNRESET`, `other side closed`, `ENOTFOUND` …); null for anything else.
 */
function networkFailure(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const cause = error.cause instanceof Error ? error.cause : null;
  const causeCode = (cause as NodeJS.ErrnoException | null)?.code;
  const detail = [cause?.message, causeCode].filter((part) => part !== undefined && part !== '').join(', ');
  if (error instanceof TypeError && (error.message === 'fetch failed' || error.message === 'terminated')) return detail || error.message;
  if (isConnectionReset(error)) return error.message.split('\n')[0] ?? error.message;
  return null;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
