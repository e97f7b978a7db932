import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimFile } from './catalogue-model.ts';
import { sendFile, type FileFault } from './file-response.ts';
import type { FileStore } from './file-store.ts';
import type { SimulatorStats } from './simulator-stats.ts';
import { checkStorageRequest, signStorageUrl, storageErrorXml } from './storage-url.ts';

/** How the one download a redirect was made for goes wrong (decided on the Coupa side, where attempts are counted). */
export interface StorageDelivery {
  readonly fault: FileFault;
  readonly bandwidthBytesPerSec: number | null;
}

/**
 * The storage host (`fileHost: 'storage'`): a second HTTP server, another origin, that serves file
 * bytes at signed URLs without cookies, as S3 serves Coupa's attachments. A wrong signature or an
 * expired URL answers 403 with an S3-like XML error.
 */
export class StorageHost {
  readonly #server: Server;
  readonly #secret = randomBytes(32).toString('hex');
  readonly #store: FileStore;
  readonly #stats: SimulatorStats;
  readonly #signal: AbortSignal;
  /** The first download of each signed URL carries the faults decided when it was handed out. */
  readonly #deliveries = new Map<string, StorageDelivery>();
  #origin = '';

  private constructor(store: FileStore, stats: SimulatorStats, signal: AbortSignal) {
    this.#store = store;
    this.#stats = stats;
    this.#signal = signal;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch(() => res.destroy());
    });
  }

  static async start(host: string, store: FileStore, stats: SimulatorStats, signal: AbortSignal): Promise<StorageHost> {
    const storage = new StorageHost(store, stats, signal);
    await new Promise<void>((resolve, reject) => {
      storage.#server.once('error', reject);
      storage.#server.listen(0, host, () => {
        storage.#server.off('error', reject);
        resolve();
      });
    });
    const { port } = storage.#server.address() as AddressInfo;
    storage.#origin = `http://${host.includes(':') ? `[${host}]` : host}:${String(port)}`;
    return storage;
  }

  get origin(): string {
    return this.#origin;
  }

  /** A fresh signed URL for the file; its first download gets `delivery`. */
  signedUrl(file: SimFile, delivery: StorageDelivery): string {
    const url = signStorageUrl(this.#origin, this.#secret, file, Date.now());
    const signature = new URL(url).searchParams.get('X-Amz-Signature') ?? '';
    if (delivery.fault !== 'none' || delivery.bandwidthBytesPerSec !== null) this.#deliveries.set(signature, delivery);
    return url;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#origin);
    if (req.method !== 'GET' && req.method !== 'HEAD') return xmlError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    const check = checkStorageRequest(url, this.#secret, Date.now());
    if (!check.ok) return xmlError(res, check.status, check.code, check.message);
    const file = this.#store.file(check.file.attId);
    if (file === undefined || file.name !== check.file.name) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    const delivery = this.#deliveries.get(check.signature) ?? { fault: 'none', bandwidthBytesPerSec: null };
    this.#deliveries.delete(check.signature);
    res.once('close', this.#stats.startRequest('file'));
    await sendFile(res, file, this.#store.bytes(file), {
      fault: delivery.fault,
      bandwidthBytesPerSec: delivery.bandwidthBytesPerSec,
      signal: this.#signal,
      onBytes: (count) => this.#stats.addBytes(count),
    });
  }
}

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = storageErrorXml(code, message);
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)), 'x-amz-request-id': 'SIMULATED' });
  res.end(body);
}
