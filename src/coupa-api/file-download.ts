import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { CoupaDlError } from '../domain/errors.ts';
import { Deadline } from '../net/deadline.ts';
import type { ApiAttachment } from './api-attachment.ts';
import { diskFailure, fetchFailure, networkDetail } from './api-errors.ts';
import type { ApiTransport } from './api-transport.ts';

/**
 * How a file's bytes are fetched; Coupa documents neither:
 * - `own-endpoint`: GET the attachment's own endpoint (`…/attachments/<id>`), which public
 *   connector code streams as the file;
 * - `file-url`: GET the attachment's `file-url`, with the Bearer token when it is on Coupa's host.
 */
export type FileShape = 'own-endpoint' | 'file-url';

export interface DownloadOptions {
  readonly shape: FileShape;
  /** Where to write; the caller renames it into place. Removed on any failure. */
  readonly tempPath: string;
  readonly signal: AbortSignal;
  /** For the whole file, from sending the request to the last byte. */
  readonly downloadTimeoutMs: number;
  /** Bytes written so far (at most every 250 ms, and at the end). */
  readonly onBytes?: (written: number, total: number | null) => void;
}

export interface DownloadedFile {
  readonly tempPath: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  /** The response's content type, as sent. */
  readonly contentType: string | null;
}

/** Asks for anything but says bytes come first, so an endpoint that can answer either sends the file. */
const ACCEPT_BYTES = 'application/octet-stream, */*;q=0.8';
const PROGRESS_EVERY_MS = 250;

/**
 * One file attachment, streamed to `tempPath` while its bytes are counted and hashed. Checked
 * before the first byte is written: a JSON, XML or HTML answer where the file's bytes were
 * expected (an endpoint that gives the record, or a sign-in page) is `API_NOT_A_FILE` and
 * nothing is saved. Checked after: the count against `Content-Length` and against the size
 * Coupa lists (`file-file-size`). A short file is `TRUNCATED_DOWNLOAD` (worth another try).
 */
export async function downloadAttachment(transport: ApiTransport, attachment: ApiAttachment, options: DownloadOptions): Promise<DownloadedFile> {
  if (attachment.kind !== 'file') throw new CoupaDlError('UNEXPECTED', `Attachment ${attachment.id} is ${attachment.type}, not a file (a bug, please report it).`);
  const url = fileUrl(transport.baseUrl, attachment, options.shape);
  using deadline = new Deadline(options.signal, options.downloadTimeoutMs);
  const { signal } = deadline;
  const what = `the download of attachment ${attachment.id} (${attachment.fileName ?? 'no name'})`;
  let written = 0;
  let expected: number | null = null;
  try {
    using answer = await transport.open(url, ACCEPT_BYTES, signal);
    const { response } = answer;
    if (!response.ok) {
      await response.body?.cancel();
      throw statusFailure(response.status, attachment);
    }
    const contentType = response.headers.get('content-type');
    if (isApiAnswer(contentType, attachment)) {
      await response.body?.cancel();
      throw new CoupaDlError('API_NOT_A_FILE', `Coupa answered ${mediaType(contentType)} instead of the bytes of ${attachment.fileName ?? `attachment ${attachment.id}`} (${options.shape} shape, ${url.pathname}); nothing was saved.`, {
        hint: `Set the API byte shape to ${options.shape === 'own-endpoint' ? 'file-url' : 'own-endpoint'} (--api-file-shape) and run the same command again.`,
      });
    }
    expected = contentLength(response.headers);
    const hash = createHash('sha256');
    let reportedAt = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        written += chunk.length;
        const now = performance.now();
        if (now - reportedAt >= PROGRESS_EVERY_MS) {
          reportedAt = now;
          options.onBytes?.(written, expected ?? attachment.sizeBytes);
        }
        done(null, chunk);
      },
    });
    const body = response.body === null ? Readable.from([]) : Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
    await pipeline(body, count, createWriteStream(options.tempPath), { signal });
    const { size } = await stat(options.tempPath);
    if (size !== written) throw new CoupaDlError('TRUNCATED_DOWNLOAD', `Wrote ${String(size)} of ${String(written)} bytes of ${attachment.fileName ?? attachment.id}.`);
    checkSize(written, expected, attachment);
    options.onBytes?.(written, written);
    return { tempPath: options.tempPath, sizeBytes: written, sha256: hash.digest('hex'), contentType };
  } catch (error) {
    await rm(options.tempPath, { force: true });
    throw failure(error, what, options, { written, expected: expected ?? attachment.sizeBytes });
  }
}

/**
 * Whether a response with this content type is an API answer rather than the file: JSON, XML
 * or HTML, unless the attachment itself is a file of that type.
 */
export function isApiAnswer(contentType: string | null, attachment: Pick<ApiAttachment, 'contentType' | 'fileName'>): boolean {
  const type = mediaType(contentType);
  const family = familyOf(type);
  if (family === null) return false;
  const declared = familyOf(mediaType(attachment.contentType)) ?? familyOf(extensionType(attachment.fileName ?? ''));
  return declared !== family;
}

function fileUrl(baseUrl: string, attachment: ApiAttachment, shape: FileShape): URL {
  if (shape === 'own-endpoint') return new URL(attachment.ownPath, baseUrl);
  if (attachment.fileUrl === null || attachment.fileUrl === '') {
    throw new CoupaDlError('DOWNLOAD_FAILED', `Coupa lists no file-url for attachment ${attachment.id} (${attachment.fileName ?? 'no name'}).`, { hint: 'Set the API byte shape to own-endpoint (--api-file-shape) and run the same command again.' });
  }
  return new URL(attachment.fileUrl, baseUrl);
}

function checkSize(written: number, expected: number | null, attachment: ApiAttachment): void {
  const name = attachment.fileName ?? attachment.id;
  if (expected !== null && written < expected) throw new CoupaDlError('TRUNCATED_DOWNLOAD', `Got ${String(written)} of ${String(expected)} bytes of ${name}.`);
  const listed = attachment.sizeBytes;
  if (listed === null || written === listed) return;
  if (written < listed) throw new CoupaDlError('TRUNCATED_DOWNLOAD', `Got ${String(written)} bytes of ${name}; Coupa lists ${String(listed)}.`);
  throw new CoupaDlError('DOWNLOAD_FAILED', `Got ${String(written)} bytes of ${name}, more than the ${String(listed)} Coupa lists; the file was not kept.`);
}

function statusFailure(status: number, attachment: ApiAttachment): CoupaDlError {
  const name = attachment.fileName ?? `attachment ${attachment.id}`;
  if (status >= 500) return new CoupaDlError('HTTP_SERVER_ERROR', `Coupa failed to send ${name} (HTTP ${String(status)}).`);
  if (status === 403) return new CoupaDlError('DOWNLOAD_FAILED', `Coupa refused ${name} (HTTP 403).`);
  return new CoupaDlError('DOWNLOAD_FAILED', `Coupa did not send ${name} (HTTP ${String(status)}).`);
}

function failure(error: unknown, what: string, options: DownloadOptions, bytes: { written: number; expected: number | null }): unknown {
  if (error instanceof CoupaDlError) return error;
  const disk = diskFailure(error, options.tempPath);
  if (disk !== null) return disk;
  // The server closed the connection before sending what it announced.
  if (!options.signal.aborted && networkDetail(error) !== null && bytes.expected !== null && bytes.written < bytes.expected) {
    return new CoupaDlError('TRUNCATED_DOWNLOAD', `Got ${String(bytes.written)} of ${String(bytes.expected)} bytes during ${what} (${networkDetail(error) ?? ''}).`, { cause: error });
  }
  return fetchFailure(error, what, options.signal, options.downloadTimeoutMs);
}

function contentLength(headers: Headers): number | null {
  const length = headers.get('content-length');
  const encoding = headers.get('content-encoding');
  if (length === null || !/^\d+$/.test(length)) return null;
  // fetch unpacks compressed answers, so their Content-Length is not the size on disk.
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return null;
  return Number(length);
}

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function familyOf(type: string): 'json' | 'xml' | 'html' | null {
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')) return 'xml';
  if (type === 'text/html') return 'html';
  return null;
}

function extensionType(name: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (extension === 'json') return 'application/json';
  if (extension === 'xml') return 'application/xml';
  if (extension === 'html' || extension === 'htm') return 'text/html';
  if (extension === 'svg') return 'image/svg+xml';
  return '';
}
