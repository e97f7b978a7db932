import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readCaptureFolder, type CapturedPo } from './capture-folder.ts';
import { contentDisposition } from './content-disposition.ts';
import { contentTypeOf, makeFileBytes } from './file-content.ts';
import { escapeHtml } from './html-escape.ts';
import { renderPage } from './page-shell.ts';

export interface ReplayOptions {
  /** A folder written by `coupa-dl capture`: `<PO number>/meta.json`, `page.html`, optionally `server.html`. */
  readonly folder: string;
  readonly host?: string;
  readonly port?: number;
  /** Serve the rendered DOM (`page`, default) or the HTML the server sent (`server`, where captured). */
  readonly source?: 'page' | 'server';
}

export interface Replay {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  readonly pos: readonly CapturedPo[];
  close(): Promise<void>;
}

/** Size of the placeholder bytes a replayed file link answers with. */
const PLACEHOLDER_FILE_BYTES = 4096;

const FILE_ROUTE = /^\/attachment\/attachment_file\/file\/(\d+)\/([^/]+)$/;

/**
 * Serves captured pages as a Coupa instance: `/order_headers/<poId>` answers the capture (absolute
 * links to the captured instance rewritten to point here), file links answer deterministic
 * placeholder bytes, `/user/home` a signed-in home page. No sign-in; everything else is a 404.
 */
export async function startReplay(options: ReplayOptions): Promise<Replay> {
  const pos = await readCaptureFolder(options.folder);
  const byId = new Map(pos.map((po) => [po.meta.poId, po]));
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const listening = options.host === undefined || ['0.0.0.0', '::'].includes(options.host) ? '127.0.0.1' : options.host;
  const url = `http://${listening.includes(':') ? `[${listening}]` : listening}:${String(port)}`;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    answer(req, res, url, byId, options.source ?? 'page').catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else send(res, 500, 'text/plain; charset=utf-8', `Replay error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  let closing: Promise<void> | undefined;
  return {
    url,
    pos,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, url: string, byId: ReadonlyMap<string, CapturedPo>, source: 'page' | 'server'): Promise<void> {
  const path = new URL(req.url ?? '/', url).pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 404, 'text/html; charset=utf-8', NOT_FOUND);
  const page = /^\/order_headers\/(\d+)$/.exec(path);
  const po = page === null ? undefined : byId.get(page[1] ?? '');
  if (po !== undefined) {
    const file = source === 'server' && po.serverPath !== null ? po.serverPath : po.pagePath;
    const html = await readFile(file, 'utf8');
    const origin = po.origin ?? inferOrigin(html);
    return send(res, 200, 'text/html; charset=utf-8', origin === null ? html : rewriteOrigin(html, origin, url));
  }
  const file = FILE_ROUTE.exec(path);
  if (file !== null) return sendPlaceholderFile(res, file[1] ?? '', file[2] ?? '');
  if (path === '/' || path === '/user/home') return send(res, 200, 'text/html; charset=utf-8', replayHome([...byId.values()]));
  // Nothing to sign in to: a sign-in link goes home.
  if (path === '/sessions/new') return redirect(res, '/user/home');
  return send(res, 404, 'text/html; charset=utf-8', NOT_FOUND);
}

/** Points the captured instance's absolute links (also protocol-relative ones) at the replay server. */
export function rewriteOrigin(html: string, capturedOrigin: string, replayUrl: string): string {
  const hostPart = capturedOrigin.replace(/^https?:/, '');
  return html.split(capturedOrigin).join(replayUrl).split(`"${hostPart}`).join(`"${replayUrl}`).split(`'${hostPart}`).join(`'${replayUrl}`);
}

/** The origin of the page's own absolute Coupa links, for a copy whose meta.json has no `url`. */
export function inferOrigin(html: string): string | null {
  return /(https?:\/\/[a-z0-9.-]+(?::\d+)?)\/(?:order_headers|requisition_headers|attachment\/attachment_file|user\/home)\b/i.exec(html)?.[1] ?? null;
}

function sendPlaceholderFile(res: ServerResponse, attId: string, encodedName: string): void {
  let name: string;
  try {
    name = decodeURIComponent(encodedName);
  } catch {
    return send(res, 404, 'text/html; charset=utf-8', NOT_FOUND);
  }
  // Made like the simulator's files, so a PDF is a valid PDF and the same link always gives the same bytes.
  const bytes = makeFileBytes(0, { kind: 'file', attId, name, intent: 'internal', targetSizeBytes: PLACEHOLDER_FILE_BYTES, pagePath: '' });
  res.writeHead(200, {
    'content-type': contentTypeOf(name),
    'content-length': String(bytes.length),
    'content-disposition': contentDisposition(name),
    'cache-control': 'private, no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

function replayHome(pos: readonly CapturedPo[]): string {
  const items = pos.map((po) => `<li><a href="/order_headers/${po.meta.poId}">${escapeHtml(po.meta.poNumber)}</a> <span class="captured">${escapeHtml(po.meta.title)}, captured ${escapeHtml(po.meta.capturedAt)}</span></li>`);
  return renderPage({
    title: 'Home | Coupa',
    controller: 'user',
    action: 'home',
    body: `<h1 id="pageHeader">Welcome back</h1><section id="recent_orders"><h2>Captured orders</h2><ul>${items.join('')}</ul></section>`,
    filler: '',
  });
}

const NOT_FOUND = `<!DOCTYPE html><html><body><h1>The page you were looking for doesn't exist.</h1><p>This replay serves only the captured POs.</p></body></html>`;

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'content-length': '0' });
  res.end();
}
