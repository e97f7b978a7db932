import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimFile } from './catalogue-model.ts';
import { contentDisposition } from './content-disposition.ts';
import { contentTypeOf } from './file-content.ts';

export type FileFault = 'none' | 'resetMidFile' | 'truncate' | 'stallMidFile';

export interface FileSend {
  readonly fault: FileFault;
  readonly bandwidthBytesPerSec: number | null;
  readonly signal: AbortSignal;
  /** Called with each chunk's size as it is handed to the socket. */
  readonly onBytes: (count: number) => void;
}

/** Writes per tick when throttling; ten ticks a second keeps the rate smooth without many timers. */
const TICKS_PER_SECOND = 10;
const RESET_GRACE_MS = 50;

/**
 * Sends one attachment with Coupa's headers. Faults: `resetMidFile` destroys the connection
 * (TCP reset) after half the bytes; `truncate` ends the connection cleanly after half the
 * bytes, short of the Content-Length it announced; `stallMidFile` sends half the bytes, then
 * nothing more until the client gives up (or the simulator closes).
 */
export async function sendFile(res: ServerResponse, file: SimFile, bytes: Uint8Array, send: FileSend): Promise<void> {
  res.writeHead(200, {
    'content-type': contentTypeOf(file.name),
    'content-length': String(bytes.length),
    'content-disposition': contentDisposition(file.name),
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  });
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  const limit = send.fault === 'none' ? bytes.length : Math.floor(bytes.length / 2);
  const rate = send.bandwidthBytesPerSec;
  const chunkSize = rate === null ? limit : Math.max(1, Math.floor(rate / TICKS_PER_SECOND));
  const started = performance.now();
  let offset = 0;
  while (offset < limit) {
    const chunk = bytes.subarray(offset, Math.min(limit, offset + chunkSize));
    offset += chunk.length;
    send.onBytes(chunk.length);
    if (!res.write(chunk)) await waitForDrain(res, send.signal);
    if (rate !== null && offset < limit) await sleep(nextChunkDelayMs(started, offset, rate), undefined, { signal: send.signal });
  }
  switch (send.fault) {
    case 'none':
      res.end();
      return;
    case 'resetMidFile':
      await flushed(res);
      // A reset makes the client's kernel drop bytes it has not read yet: give it a moment to read them.
      await sleep(RESET_GRACE_MS, undefined, { signal: send.signal });
      res.socket?.resetAndDestroy();
      return;
    case 'truncate':
      await flushed(res);
      res.socket?.end();
      return;
    case 'stallMidFile':
      await untilClosed(res, send.signal);
      return;
    default: {
      const unknown: never = send.fault;
      throw new Error(`Unknown file fault \`${String(unknown)}\`.`);
    }
  }
}

/**
 * How long to wait before the chunk that starts at `offset`: until the time the cap allows it,
 * counted from the first byte. Counting from the start, not from the last chunk, keeps the rate
 * at the cap when timers fire late (a busy machine): a late tick does not make every later one late.
 */
export function nextChunkDelayMs(startedMs: number, offset: number, bytesPerSec: number, nowMs = performance.now()): number {
  return Math.max(0, startedMs + (offset / bytesPerSec) * 1000 - nowMs);
}

async function waitForDrain(res: ServerResponse, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    res.once('drain', () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** Resolves when the client has closed the connection, or the simulator is closing. */
async function untilClosed(res: ServerResponse, signal: AbortSignal): Promise<void> {
  if (res.closed) return;
  await once(res, 'close', { signal }).catch(() => {});
}

/** Resolves once what was written so far has left for the socket, so the cut comes after it. */
async function flushed(res: ServerResponse): Promise<void> {
  await new Promise<void>((resolve) => res.write(new Uint8Array(0), () => resolve()));
}
