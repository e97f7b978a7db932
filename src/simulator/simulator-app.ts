import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiApp } from './api/api-app.ts';
import type { ApiRateLimit } from './api/api-rate-limit.ts';
import type { ApiRecords } from './api/api-records.ts';
import type { OAuthServer } from './api/oauth-server.ts';
import type { Catalogue } from './catalogue-model.ts';
import { errorPage } from './error-page.ts';
import { AttemptCounter, NO_SHAPE, decideFaults, pageShapeFor, type FaultPlan, type RequestFaults, type ResourceKind } from './fault-plan.ts';
import { sendFile } from './file-response.ts';
import type { FileStore } from './file-store.ts';
import { homePage, orderListPage } from './home-pages.ts';
import { LATE_PATH_ROUTE, LISTS_PATH_ROUTE } from './late-lists.ts';
import { LINE_TABLE_PATH, PER_PAGE_PARAM } from './line-table.ts';
import { printViewPage } from './print-view-page.ts';
import type { Session } from './session-store.ts';
import type { SignInFlow } from './sign-in-flow.ts';
import type { ResolvedOptions } from './simulator-options.ts';
import type { SimulatorStats } from './simulator-stats.ts';
import type { SiteAssets } from './site-assets.ts';
import type { PageRequest, SitePages } from './site-pages.ts';
import type { StorageHost } from './storage-host.ts';
import { UserPreferences } from './user-preferences.ts';

export interface SimulatorAppOptions {
  readonly options: ResolvedOptions;
  readonly catalogue: Catalogue;
  readonly store: FileStore;
  readonly signIn: SignInFlow;
  readonly stats: SimulatorStats;
  readonly baseUrl: string;
  readonly idpHost: string;
  readonly pages: SitePages;
  readonly assets: SiteAssets;
  /** Set with `fileHost: 'storage'`: files are redirected there. */
  readonly storage: StorageHost | null;
  readonly signal: AbortSignal;
  /** The REST API's parts; the API shares the fault plan and its attempt counts with the pages. */
  readonly api: { readonly records: ApiRecords; readonly oauth: OAuthServer; readonly limit: ApiRateLimit | null };
}

const FILE_ROUTE = /^\/attachment\/attachment_file\/file\/(\d+)(?:\/.*)?$/;

/** The CSRF token of pages served without sign-in (auth mode none). */
const OPEN_CSRF_TOKEN = 'simulated-open-session-token';

/** Routes one request of the simulated Coupa (and of its identity provider, on the IdP host). */
export class SimulatorApp {
  readonly #app: SimulatorAppOptions;
  readonly #attempts = new AttemptCounter();
  readonly #poOfFile = new Map<string, string>();
  readonly #preferences: UserPreferences;
  readonly #api: ApiApp;
  #faults: FaultPlan = {};

  constructor(app: SimulatorAppOptions, faults: FaultPlan) {
    this.#app = app;
    this.#faults = faults;
    this.#preferences = new UserPreferences(app.options.linesPerPage);
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

  /** The signed-in user's saved lines-per-page preference (every session signs in as the one account). */
  linesPerPage(): number {
    return this.#preferences.linesPerPage(this.#user());
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
    // Never answered: a script the page waits for, so `load` never fires (hanging-subresource fault).
    if (url.pathname.startsWith('/assets/hang/')) return;
    if (url.pathname.startsWith('/assets/')) return this.#asset(res, url.pathname);
    if (await this.#app.signIn.handleCoupa(req, res, url)) return;
    const path = url.pathname + url.search;
    if (url.pathname === LINE_TABLE_PATH && (req.method === 'GET' || req.method === 'POST')) return this.#lineTable(req, res, url, path);
    if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(res);
    const route = /^\/(order_headers|requisition_headers)\/(\d+)$/.exec(url.pathname);
    if (route !== null) return this.#page(req, res, path, route[1] === 'order_headers' ? 'po' : 'requisition', route[2] ?? '');
    if (url.pathname === '/order_headers/print_view') return this.#printView(req, res, path, url.searchParams.get('id') ?? '');
    const late = LATE_PATH_ROUTE.exec(url.pathname);
    if (late !== null) return this.#lateLists(req, res, path, late[1] ?? '');
    const lists = LISTS_PATH_ROUTE.exec(url.pathname);
    if (lists !== null) return this.#styleLists(req, res, path, lists[1] === 'order_headers' ? 'order_headers' : 'requisition_headers', lists[2] ?? '');
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
    const { catalogue, options, pages } = this.#app;
    const poId = type === 'po' ? id : (catalogue.requisitions.get(id)?.poId ?? null);
    const faults = this.#decide('page', `page:${path}`, poId, null, type);
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
    const request: PageRequest = {
      shape: faults.shape ?? NO_SHAPE,
      ...(head === undefined ? {} : { head }),
      perPage: this.#preferences.linesPerPage(this.#user()),
      csrfToken: session === 'open' ? OPEN_CSRF_TOKEN : session.csrfToken,
    };
    const answer = type === 'po' ? pages.po(id, request) : pages.requisition(id, request);
    if (decision.type === 'stallsMidBody') return stallBefore(res, answer.html, '<section id="comments"');
    sendHtml(res, answer.status, blocking === '' ? answer.html : answer.html.replace(/<\/body>(?![\s\S]*<\/body>)/, `${blocking}</body>`));
  }

  /**
   * The lines table's reload (`a[data-remote]` links): JavaScript that replaces the rows and the page
   * links. A "Per page" link saves the choice on the user's account and shows the first page.
   */
  async #lineTable(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const session = this.#app.signIn.guard(req, res, path);
    if (session === undefined) return;
    await drain(req);
    res.once('close', this.#app.stats.startRequest('page'));
    await sleep(this.#app.options.pageLatencyMs, undefined, { signal: this.#app.signal });
    const chosen = Number(url.searchParams.get(PER_PAGE_PARAM) ?? NaN);
    if (Number.isInteger(chosen) && chosen >= 1 && chosen <= 500) this.#preferences.setLinesPerPage(this.#user(), chosen);
    const page = url.searchParams.has(PER_PAGE_PARAM) ? 1 : Number(url.searchParams.get('page') ?? '1') || 1;
    const script = this.#app.pages.lineTable(url.searchParams.get('id') ?? '', page, this.#preferences.linesPerPage(this.#user()));
    if (script === undefined) return notFound(res);
    send(res, 200, 'text/javascript; charset=utf-8', script);
  }

  /** A PO's printable view; an unknown PO or one whose page is an error page gets that error page. The PO's page faults (errors, latency) apply. */
  async #printView(req: IncomingMessage, res: ServerResponse, path: string, id: string): Promise<void> {
    const session = this.#app.signIn.guard(req, res, path);
    if (session === undefined) return;
    const faults = this.#decide('page', `page:${path}`, id, null);
    await sleep(this.#app.options.pageLatencyMs + faults.latencyMs, undefined, { signal: this.#app.signal });
    if (answeredWithError(res, faults)) return;
    this.#countView(session);
    const po = this.#app.catalogue.poById.get(id);
    if (po === undefined) return sendHtml(res, 404, errorPage('notFound', 0, '', this.#app.catalogue.pos).html);
    if (po.page !== 'ok') {
      const answer = errorPage(po.page, po.errorVariant, '', this.#app.catalogue.pos);
      return sendHtml(res, answer.status, answer.html);
    }
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

  /** The xhrAfterLoad style's lists for a page, held for the page's delay (server time). */
  async #styleLists(req: IncomingMessage, res: ServerResponse, path: string, type: 'order_headers' | 'requisition_headers', id: string): Promise<void> {
    const session = this.#app.signIn.guard(req, res, path);
    if (session === undefined) return;
    const poId = type === 'order_headers' ? id : (this.#app.catalogue.requisitions.get(id)?.poId ?? null);
    const shape = pageShapeFor(this.#faults, poId, type === 'order_headers' ? 'po' : 'requisition');
    const answer = this.#app.pages.lists(type, id, shape);
    if (answer === undefined) return notFound(res);
    res.once('close', this.#app.stats.startRequest('page'));
    await sleep(answer.delayMs, undefined, { signal: this.#app.signal });
    send(res, 200, 'application/json; charset=utf-8', answer.json);
  }

  /** The page's static files: to anyone, cacheable for a year; the comments bundle after its own latency. */
  async #asset(res: ServerResponse, pathname: string): Promise<void> {
    const asset = this.#app.assets.find(pathname);
    if (asset === undefined) return notFound(res);
    res.once('close', this.#app.stats.startRequest('page'));
    await sleep(asset.latencyMs, undefined, { signal: this.#app.signal });
    res.writeHead(200, { 'content-type': asset.contentType, 'content-length': String(asset.body.length), 'cache-control': 'public, max-age=31536000, immutable' });
    res.end(asset.body);
  }

  async #file(req: IncomingMessage, res: ServerResponse, path: string, attId: string): Promise<void> {
    const session = this.#app.signIn.guard(req, res, path);
    if (session === undefined) return;
    const file = this.#app.store.file(attId);
    if (file === undefined) return notFound(res);
    const { options, stats, signal, storage } = this.#app;
    stats.countFileRequest();
    res.once('close', stats.startRequest('file'));
    const faults = this.#decide('file', `file:${attId}`, this.#poOfFile.get(attId) ?? null, attId, null);
    await sleep(options.fileLatencyMs + faults.latencyMs, undefined, { signal });
    if (answeredWithError(res, faults)) return;
    const { type } = faults.decision;
    if (type === 'htmlBounce') return sendHtml(res, 200, this.#app.signIn.bouncePage(path));
    const caps = [options.bandwidthBytesPerSec, faults.bandwidthBytesPerSec].filter((cap) => cap !== null);
    const fault = type === 'resetMidFile' || type === 'truncate' || type === 'stallMidFile' ? type : 'none';
    const bandwidthBytesPerSec = caps.length === 0 ? null : Math.min(...caps);
    if (storage !== null) {
      res.writeHead(302, { location: storage.signedUrl(file, { fault, bandwidthBytesPerSec }), 'content-length': '0', 'cache-control': 'no-store' });
      res.end();
      return;
    }
    await sendFile(res, file, this.#app.store.bytes(file), { fault, bandwidthBytesPerSec, signal, onBytes: (count) => stats.addBytes(count) });
  }

  #decide(resource: ResourceKind, key: string, poId: string | null, attId: string | null, page: 'po' | 'requisition' | null = null): RequestFaults {
    const attempt = this.#attempts.next(key);
    return decideFaults(this.#faults, this.#app.catalogue.seed, { resource, key, attempt, poId, attId, page });
  }

  /** Every session signs in as the simulator's one account. */
  #user(): string {
    return this.#app.options.auth.username;
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
  send(res, status, 'text/html; charset=utf-8', body, extra);
}

function send(res: ServerResponse, status: number, contentType: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store', ...extra });
  res.end(body);
}

/** Reads and drops a request body (the table's POST carries its parameters in the URL). */
async function drain(req: IncomingMessage): Promise<void> {
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 65_536) throw new Error('Expected a lines-table request under 64 KB.');
  }
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
