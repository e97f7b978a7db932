import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiApp } from './api/api-app.ts';
import type { ApiRateLimit } from './api/api-rate-limit.ts';
import type { ApiRecords } from './api/api-records.ts';
import type { OAuthServer } from './api/oauth-server.ts';
import type { Catalogue } from './catalogue-model.ts';
import { errorPage } from './error-page.ts';
import { AttemptCounter, decideFaults, type FaultPlan, type RequestFaults, type ResourceKind } from './fault-plan.ts';
import { sendFile } from './file-response.ts';
import type { FileStore } from './file-store.ts';
import { homePage, orderListPage } from './home-pages.ts';
import { LATE_PATH_ROUTE, poPage } from './po-page.ts';
import { printViewPage } from './print-view-page.ts';
import { requisitionPage } from './requisition-page.ts';
import type { Session } from './session-store.ts';
import type { SignInFlow } from './sign-in-flow.ts';
import type { ResolvedOptions } from './simulator-options.ts';
import type { SimulatorStats } from './simulator-stats.ts';

export interface SimulatorAppOptions {
  readonly options: ResolvedOptions;
  readonly catalogue: Catalogue;
  readonly store: FileStore;
  readonly signIn: SignInFlow;
  readonly stats: SimulatorStats;
  readonly baseUrl: string;
  readonly idpHost: string;
  readonly filler: string;
  readonly signal: AbortSignal;
  /** The REST API's parts; the API shares the fault plan and its attempt counts with the pages. */
  readonly api: { readonly records: ApiRecords; readonly oauth: OAuthServer; readonly limit: ApiRateLimit | null };
}

const FILE_ROUTE = /^\/attachment\/attachment_file\/file\/(\d+)(?:\/.*)?$/;

/** Routes one request of the simulated Coupa (and of its identity provider, on the IdP host). */
export class SimulatorApp {
  readonly #app: SimulatorAppOptions;
  readonly #attempts = new AttemptCounter();
  readonly #poOfFile = new Map<string, string>();
  readonly #api: ApiApp;
  #faults: FaultPlan = {};

  constructor(app: SimulatorAppOptions, faults: FaultPlan) {
    this.#app = app;
    this.#faults = faults;
    const { options, store, stats, signal } = app;
    this.#api = new ApiApp({
      ...app.api,
      api: options.api,
      store,
      stats,
      signal,
      fileLatencyMs: options.fileLatencyMs,
      bandwidthBytesPerSec: options.bandwidthBytesPerSec,
      decide: (resource, key, poId, attId) => this.#decide(resource, key, poId, attId),
    });
    for (const po of app.catalogue.pos) for (const { attachment } of po.placements) this.#poOfFile.set(attachment.attId, po.id);
    for (const requisition of app.catalogue.requisitions.values()) {
      for (const { attachment } of requisition.placements) if (requisition.poId !== null) this.#poOfFile.set(attachment.attId, requisition.poId);
    }
  }

  /** A new plan starts every resource's attempt count from zero. */
  setFaults(faults: FaultPlan): void {
    this.#faults = faults;
    this.#attempts.reset();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#app.baseUrl);
    if (req.headers.host === this.#app.idpHost) {
      await this.#app.signIn.handleIdp(req, res, url);
      return;
    }
    if (url.pathname.startsWith('/idp/')) return notFound(res);
    if (url.pathname === '/favicon.ico') return sendFavicon(res);
    if (this.#api.claims(req, url)) return this.#api.handle(req, res, url);
    if (await this.#app.signIn.handleCoupa(req, res, url)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(res);
    // Never answered: a script the page waits for, so `load` never fires (hanging-subresource fault).
    if (url.pathname.startsWith('/assets/hang/')) return;
    const path = url.pathname + url.search;
    const route = /^\/(order_headers|requisition_headers)\/(\d+)$/.exec(url.pathname);
    if (route !== null) return this.#page(req, res, path, route[1] === 'order_headers' ? 'po' : 'requisition', route[2] ?? '');
    if (url.pathname === '/order_headers/print_view') return this.#printView(req, res, path, url.searchParams.get('id') ?? '');
    const late = LATE_PATH_ROUTE.exec(url.pathname);
    if (late !== null) return this.#lateLists(req, res, path, late[1] ?? '');
    const file = FILE_ROUTE.exec(url.pathname);
    if (file !== null) return this.#file(req, res, path, file[1] ?? '');
    const legacy = /^\/attachments\/(\d+)$/.exec(url.pathname);
    const legacyFile = legacy === null ? undefined : this.#app.store.file(legacy[1] ?? '');
    if (legacyFile !== undefined) return redirect(res, legacyFile.pagePath);
    if (['/', '/user/home', '/order_headers'].includes(url.pathname)) {
      const session = this.#app.signIn.guard(req, res, path);
      if (session === undefined) return;
      this.#countView(session);
      const { pos } = this.#app.catalogue;
      return sendHtml(res, 200, url.pathname === '/order_headers' ? orderListPage(pos, url.searchParams.get('sf_order_header') ?? url.searchParams.get('search') ?? '') : homePage(pos));
    }
    return notFound(res);
  }

  async #page(req: IncomingMessage, res: ServerResponse, path: string, type: 'po' | 'requisition', id: string): Promise<void> {
    const session = this.#app.signIn.guard(req, res, path);
    if (session === undefined) return;
    res.once('close', this.#app.stats.startRequest('page'));
    const { catalogue, baseUrl, filler, options } = this.#app;
    const requisition = type === 'requisition' ? catalogue.requisitions.get(id) : undefined;
    const poId = type === 'po' ? id : (requisition?.poId ?? null);
    const faults = this.#decide('page', `page:${path}`, poId, null);
    await sleep(options.pageLatencyMs + faults.latencyMs, undefined, { signal: this.#app.signal });
    if (answeredWithError(res, faults)) return;
    this.#countView(session);
    const { decision } = faults;
    if (decision.type === 'neverFinishes') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.write(`<!DOCTYPE html>\n<html lang="en" data-controller="order_headers" data-action="show" data-id="${id}">\n<head><meta charset="utf-8"><title>Purchase Order #PO${id}</title>\n`);
      return;
    }
    const head = decision.type === 'hangingSubresource' ? `<script async src="/assets/hang/${encodeURIComponent(path)}.js"></script>` : undefined;
    const blocking = decision.type === 'blockingScript' ? `<script src="/assets/hang/${encodeURIComponent(path)}-end.js"></script>` : '';
    const send = (html: string): void => {
      if (decision.type === 'stallsMidBody') return stallBefore(res, html, '<section id="comments"');
      sendHtml(res, 200, blocking === '' ? html : html.replace(/<\/body>(?![\s\S]*<\/body>)/, `${blocking}</body>`));
    };
    if (type === 'requisition') {
      if (requisition === undefined) return send(errorPage('notFound', 0, filler));
      if (requisition.page !== 'ok') return send(errorPage(requisition.page, requisition.errorVariant, filler));
      return send(requisitionPage(requisition, baseUrl, filler, head));
    }
    const po = catalogue.poById.get(id);
    if (po === undefined) return send(errorPage('notFound', 0, filler));
    if (po.page !== 'ok') return send(errorPage(po.page, po.errorVariant, filler));
    return send(poPage(po, { baseUrl, filler, decoyRequisitionId: catalogue.decoyRequisitionId, ...(head === undefined ? {} : { head }) }));
  }

  /** A PO's printable view; an unknown PO or one whose page is an error page gets that error page. */
  #printView(req: IncomingMessage, res: ServerResponse, path: string, id: string): void {
    const session = this.#app.signIn.guard(req, res, path);
    if (session === undefined) return;
    this.#countView(session);
    const po = this.#app.catalogue.poById.get(id);
    if (po === undefined) return sendHtml(res, 404, errorPage('notFound', 0, ''));
    if (po.page !== 'ok') return sendHtml(res, 200, errorPage(po.page, po.errorVariant, ''));
    return sendHtml(res, 200, printViewPage(po));
  }

  /** A late PO's lists, asked for by its page script: the answer (an empty 204) comes after `lateMs`. */
  async #lateLists(req: IncomingMessage, res: ServerResponse, path: string, id: string): Promise<void> {
    const session = this.#app.signIn.guard(req, res, path);
    if (session === undefined) return;
    const lateMs = this.#app.catalogue.poById.get(id)?.lateMs ?? null;
    if (lateMs === null) return notFound(res);
    res.once('close', this.#app.stats.startRequest('page'));
    await sleep(lateMs, undefined, { signal: this.#app.signal });
    res.writeHead(204, { 'cache-control': 'no-store' });
    res.end();
  }

  async #file(req: IncomingMessage, res: ServerResponse, path: string, attId: string): Promise<void> {
    const session = this.#app.signIn.guard(req, res, path);
    if (session === undefined) return;
    const file = this.#app.store.file(attId);
    if (file === undefined) return notFound(res);
    const { options, stats, signal } = this.#app;
    stats.countFileRequest();
    res.once('close', stats.startRequest('file'));
    const faults = this.#decide('file', `file:${attId}`, this.#poOfFile.get(attId) ?? null, attId);
    await sleep(options.fileLatencyMs + faults.latencyMs, undefined, { signal });
    if (answeredWithError(res, faults)) return;
    const caps = [options.bandwidthBytesPerSec, faults.bandwidthBytesPerSec].filter((cap) => cap !== null);
    const { type } = faults.decision;
    const fault = type === 'resetMidFile' || type === 'truncate' || type === 'stallMidFile' ? type : 'none';
    await sendFile(res, file, this.#app.store.bytes(file), {
      fault,
      bandwidthBytesPerSec: caps.length === 0 ? null : Math.min(...caps),
      signal,
      onBytes: (count) => stats.addBytes(count),
    });
  }

  #decide(resource: ResourceKind, key: string, poId: string | null, attId: string | null): RequestFaults {
    const attempt = this.#attempts.next(key);
    return decideFaults(this.#faults, this.#app.catalogue.seed, { resource, key, attempt, poId, attId });
  }

  #countView(session: Session | 'open'): void {
    this.#app.stats.countPageView();
    if (session !== 'open') session.pageViews += 1;
  }
}

function answeredWithError(res: ServerResponse, faults: RequestFaults): boolean {
  const { decision } = faults;
  if (decision.type === 'tooManyRequests') {
    sendHtml(res, 429, '<!DOCTYPE html><html><body><h1>Too Many Requests</h1></body></html>', { 'retry-after': String(decision.retryAfterSeconds) });
    return true;
  }
  if (decision.type === 'serverError') {
    sendHtml(res, 503, '<!DOCTYPE html><html><body><h1>We\'re sorry, but something went wrong.</h1></body></html>');
    return true;
  }
  return false;
}

function sendHtml(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store', ...extra });
  res.end(body);
}

/** Sends `html` up to `marker` (or half of it, without the marker) and then nothing more: the response never ends. */
function stallBefore(res: ServerResponse, html: string, marker: string): void {
  const at = html.indexOf(marker);
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.write(html.slice(0, at === -1 ? Math.floor(html.length / 2) : at));
}

/** A 1×1 PNG. */
const FAVICON = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/**
 * The site's icon, to anyone, cacheable for a day, as a production server sends it. A browser
 * asks for it after every page it shows; a 404 would have it asked again after each PO.
 */
function sendFavicon(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(FAVICON.length), 'cache-control': 'public, max-age=86400' });
  res.end(FAVICON);
}

function notFound(res: ServerResponse): void {
  sendHtml(res, 404, `<!DOCTYPE html><html><body><h1>The page you were looking for doesn't exist.</h1></body></html>`);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'content-length': '0' });
  res.end();
}
