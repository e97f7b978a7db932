import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimFile } from '../catalogue-model.ts';
import type { RequestFaults, ResourceKind } from '../fault-plan.ts';
import { sendFile } from '../file-response.ts';
import type { FileStore } from '../file-store.ts';
import type { SimulatorStats } from '../simulator-stats.ts';
import { acceptsBytes, formatOf, sendApiError, sendEmptyList, sendRecord, type ApiFormat } from './api-answer.ts';
import type { ResolvedApiOptions } from './api-options.ts';
import type { ApiRateLimit } from './api-rate-limit.ts';
import type { ApiRecords } from './api-records.ts';
import { COMMON_SCOPE, routeApi, type ApiRoute } from './api-routes.ts';
import { applyShape, shapeFromQuery } from './api-shape.ts';
import type { OAuthServer } from './oauth-server.ts';

export interface ApiAppOptions {
  readonly api: ResolvedApiOptions;
  readonly records: ApiRecords;
  readonly store: FileStore;
  readonly stats: SimulatorStats;
  readonly oauth: OAuthServer;
  readonly limit: ApiRateLimit | null;
  readonly signal: AbortSignal;
  readonly fileLatencyMs: number;
  readonly bandwidthBytesPerSec: number | null;
  /** The fault plan's decision for one request (attempts counted by the simulator). */
  readonly decide: (resource: ResourceKind, key: string, poId: string | null, attId: string | null) => RequestFaults;
}

/** At most this many records per GET, as Coupa's docs say. */
export const MAX_RECORDS_PER_CALL = 50;

const FILE_ROUTE = /^\/attachment\/attachment_file\/file\/(\d+)(?:\/.*)?$/;

/**
 * The simulated REST API: `POST /oauth2/token` and `GET /api/...` over the catalogue the pages
 * show, plus file URLs (`file-url`) fetched with a Bearer token. Every request passes, in this
 * order: the rate limit (queue or 429), the token (401), the route (404), the scope (403), the
 * fault plan (latency, 429, 5xx, cut or stalled answers), then the answer.
 */
export class ApiApp {
  readonly #app: ApiAppOptions;

  constructor(app: ApiAppOptions) {
    this.#app = app;
  }

  /** Whether this request is the API's (token endpoint, `/api/`, or a file URL with a Bearer token). */
  claims(req: IncomingMessage, url: URL): boolean {
    if (url.pathname === '/oauth2/token' || url.pathname.startsWith('/api/')) return true;
    return FILE_ROUTE.test(url.pathname) && /^Bearer\s/i.test(req.headers.authorization ?? '');
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { stats, oauth } = this.#app;
    if (url.pathname === '/oauth2/token') {
      stats.countTokenRequest();
      await oauth.handleToken(req, res);
      return;
    }
    stats.countApiRequest();
    res.once('close', stats.startRequest('api'));
    const format = formatOf(req);
    if (!(await this.#admitted(res, format))) return;
    const token = oauth.check(req.headers.authorization);
    if (!token.ok) {
      const description = token.reason === 'expired' ? 'The access token expired' : token.reason === 'missing' ? 'No access token' : 'The access token is invalid';
      this.#error(res, format, 401, description, { 'www-authenticate': `Bearer realm="Coupa", error="invalid_token", error_description="${description}"` });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.#error(res, format, 405, `${req.method ?? ''} is not served by this simulator.`);
    const file = FILE_ROUTE.exec(url.pathname);
    if (file !== null) return this.#fileUrl(res, url, file[1] ?? '', token.scopes, format);
    const route = routeApi(this.#app.records, url.pathname, url.searchParams);
    if (route === null) return this.#error(res, format, 404, `No API endpoint ${url.pathname}.`);
    if (!token.scopes.has(route.scope)) return this.#insufficientScope(res, format, route.scope);
    await this.#answer(req, res, url, route, format);
  }

  async #answer(req: IncomingMessage, res: ServerResponse, url: URL, route: ApiRoute, format: ApiFormat): Promise<void> {
    const { answer } = route;
    const bytes = answer.type === 'attachment' && answer.attachment.kind === 'file' && this.#app.api.fileShapes.includes('own-endpoint') && acceptsBytes(req);
    const faults = this.#app.decide(bytes ? 'file' : 'page', `api:${url.pathname}${url.search}`, route.poId, answer.type === 'attachment' ? answer.attachment.attId : null);
    if (bytes && answer.attachment.kind === 'file') return this.#sendBytes(res, answer.attachment, faults, format);
    await sleep(this.#app.api.latencyMs + faults.latencyMs, undefined, { signal: this.#app.signal });
    if (this.#faulted(res, faults, format)) return;
    if (answer.type === 'error') return this.#error(res, format, answer.status, answer.message);
    const shape = shapeFromQuery(url.searchParams);
    if ('problem' in shape) return this.#error(res, format, 400, shape.problem);
    if (answer.type === 'record') return this.#sent(sendRecord(res, format, answer.root, applyShape(answer.record(), shape)).bytes);
    if (answer.type === 'attachment') return this.#sent(sendRecord(res, format, 'attachment', applyShape(this.#app.records.attachmentRecord(answer.attachment), shape)).bytes);
    const page = pageOf(url.searchParams);
    if ('problem' in page) return this.#error(res, format, 400, page.problem);
    const items = answer.items().slice(page.offset, page.offset + page.limit);
    if (items.length === 0) return this.#sent(sendEmptyList(res, format, answer.root).bytes);
    this.#sent(sendRecord(res, format, answer.root, items.map((item) => applyShape(item, shape))).bytes);
  }

  /** A file URL fetched with a Bearer token: the bytes, or (shape off) the sign-in redirect a session route gives. */
  async #fileUrl(res: ServerResponse, url: URL, attId: string, scopes: ReadonlySet<string>, format: ApiFormat): Promise<void> {
    if (!this.#app.api.fileShapes.includes('file-url')) {
      res.writeHead(302, { location: `/sessions/new?return_to=${encodeURIComponent(url.pathname)}`, 'content-length': '0' });
      res.end();
      return;
    }
    if (!scopes.has(COMMON_SCOPE)) return this.#insufficientScope(res, format, COMMON_SCOPE);
    const found = this.#app.records.attachmentAnywhere(attId);
    if (found === undefined || found.attachment.kind !== 'file') return this.#error(res, format, 404, `No file attachment with id ${attId}.`);
    const faults = this.#app.decide('file', `api:${url.pathname}`, found.poId, attId);
    await this.#sendBytes(res, found.attachment, faults, format);
  }

  async #sendBytes(res: ServerResponse, attachment: SimFile, faults: RequestFaults, format: ApiFormat): Promise<void> {
    const { stats, store, signal } = this.#app;
    stats.countFileRequest();
    await sleep(this.#app.fileLatencyMs + faults.latencyMs, undefined, { signal });
    if (this.#faulted(res, faults, format)) return;
    const { type } = faults.decision;
    const fault = type === 'resetMidFile' || type === 'truncate' || type === 'stallMidFile' ? type : 'none';
    const caps = [this.#app.bandwidthBytesPerSec, faults.bandwidthBytesPerSec].filter((cap) => cap !== null);
    await sendFile(res, attachment, store.bytes(attachment), {
      fault,
      bandwidthBytesPerSec: caps.length === 0 ? null : Math.min(...caps),
      signal,
      onBytes: (count) => stats.addBytes(count),
    });
  }

  /** Waits for the rate limit; false after answering 429 when its queue is full. */
  async #admitted(res: ServerResponse, format: ApiFormat): Promise<boolean> {
    const { limit, stats, api } = this.#app;
    if (limit === null) return true;
    const closed = new AbortController();
    const onClose = () => closed.abort(new Error('The client closed the connection.'));
    res.once('close', onClose);
    try {
      const admission = await limit.admit(AbortSignal.any([closed.signal, this.#app.signal]));
      if (admission === 'queued') stats.countApiQueued();
      if (admission !== 'rejected') return true;
    } finally {
      res.off('close', onClose);
    }
    stats.countApiTooManyRequests();
    this.#error(res, format, 429, 'Rate limit exceeded: too many requests.', { 'retry-after': String(api.rateLimit?.retryAfterSeconds ?? 1) });
    return false;
  }

  /** Applies a fault decision that replaces the answer; true when it did. */
  #faulted(res: ServerResponse, faults: RequestFaults, format: ApiFormat): boolean {
    const { decision } = faults;
    switch (decision.type) {
      case 'tooManyRequests':
        this.#app.stats.countApiTooManyRequests();
        this.#error(res, format, 429, 'Rate limit exceeded: too many requests.', { 'retry-after': String(decision.retryAfterSeconds) });
        return true;
      case 'serverError': {
        // Errors from in front of Coupa's application are HTML, as the pages' are.
        const body = "<!DOCTYPE html><html><body><h1>We're sorry, but something went wrong.</h1></body></html>";
        res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
        res.end(body);
        return true;
      }
      case 'neverFinishes':
      case 'stallsMidBody':
        // Headers and the start of a body, then nothing more, ever.
        res.writeHead(200, { 'content-type': format === 'xml' ? 'application/xml; charset=utf-8' : 'application/json; charset=utf-8' });
        res.write(format === 'xml' ? '<?xml version="1.0" encoding="UTF-8"?>\n<' : '[{"id":');
        return true;
      default:
        return false;
    }
  }

  #insufficientScope(res: ServerResponse, format: ApiFormat, scope: string): void {
    this.#error(res, format, 403, `This request needs the scope ${scope}, which the access token does not have.`, {
      'www-authenticate': `Bearer realm="Coupa", error="insufficient_scope", scope="${scope}"`,
    });
  }

  #error(res: ServerResponse, format: ApiFormat, status: number, message: string, headers: Record<string, string> = {}): void {
    this.#sent(sendApiError(res, format, status, message, headers).bytes);
  }

  #sent(bytes: number): void {
    this.#app.stats.addApiBytes(bytes);
  }
}

function pageOf(query: URLSearchParams): { readonly offset: number; readonly limit: number } | { readonly problem: string } {
  const offset = Number(query.get('offset') ?? '0');
  const limit = Number(query.get('limit') ?? String(MAX_RECORDS_PER_CALL));
  if (!Number.isInteger(offset) || offset < 0) return { problem: `offset must be a whole number of at least 0, got ${query.get('offset') ?? ''}` };
  if (!Number.isInteger(limit) || limit < 0) return { problem: `limit must be a whole number of at least 0, got ${query.get('limit') ?? ''}` };
  return { offset, limit: limit === 0 ? MAX_RECORDS_PER_CALL : Math.min(limit, MAX_RECORDS_PER_CALL) };
}
