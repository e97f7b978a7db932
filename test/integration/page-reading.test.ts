import assert from 'node:assert/strict';
import { DownloadRoute } from '../../src/coupa/download-route.ts';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { DOWNLOAD_BACKOFF } from '../../src/coupa/download-retry.ts';
import { processPo, type ProcessPoOptions } from '../../src/coupa/process-po.ts';
import { SETTLE_QUIET_MS } from '../../src/coupa/page-settle.ts';
import { CoupaDlError } from '../../src/domain/errors.ts';
import type { PoOutcome } from '../../src/domain/po-outcome.ts';
import { backoffDelayMs } from '../../src/engine/retry-policy.ts';
import { launchTestBrowser } from '../support/browser.ts';
import { tempDir, type TempDir } from '../support/temp-dir.ts';

/**
 * The reader against pages that are NOT the simulator's: hand-written pages shaped the ways a real
 * Coupa page might be (the simulator is one guess among several). Each page here is a PO page a
 * careless reader gets wrong without a word; each must end as the truth says, or say it is unsure.
 */

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

class FixtureServer {
  readonly routes = new Map<string, Handler>();
  #server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', this.url);
      const handler = this.routes.get(url.pathname) ?? (url.pathname.startsWith('/attachment/attachment_file/file/') ? sendFile : undefined);
      if (handler === undefined) {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><head><title>Not found</title></head><body></body></html>');
        return;
      }
      void Promise.resolve(handler(req, res, url)).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }
}

/** The bytes of the fixture file with this id: `file <id>` repeated. */
function fileBytes(id: string): Buffer {
  return Buffer.from(`file ${id}\n`.repeat(200));
}

function sendFile(_req: IncomingMessage, res: ServerResponse, url: URL): void {
  const [, , , , id = '0', name = 'x.pdf'] = url.pathname.split('/');
  const bytes = fileBytes(id);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length), 'content-disposition': `attachment; filename="${decodeURIComponent(name)}"` });
  res.end(bytes);
}

function html(res: ServerResponse, body: string, status = 200): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

const fileItem = (base: string, id: number, name: string) => `<li class="attachment attachmentFile s-attachmentFile" aria-label="Attachments File"><a href="${base}/attachment/attachment_file/file/${id}/${encodeURIComponent(name)}" title="${name}" target="_blank">${name}</a></li>`;

interface PoPageParts {
  readonly id: string;
  readonly header?: string;
  readonly lines?: string;
  readonly commentsMount?: string;
  readonly navComments?: number;
  readonly tail?: string;
  readonly title?: string;
}

/** A PO page shaped on the real one: title, heading, nav count, header field, lines table, comments mount. */
function poPage(parts: PoPageParts): string {
  const header = parts.header ?? '<ul class="attachments-list"><li>None</li></ul>';
  return `<!DOCTYPE html><html data-controller="order_headers" data-action="show" data-id="${parts.id}"><head><title>${parts.title ?? `Purchase Order #PO${parts.id}`}</title></head><body>
<h1 id="pageHeader">Purchase Order #PO${parts.id}</h1>
<nav id="page_sections"><a href="#comments">Comments<span class="comments_count"> (${parts.navComments ?? 0})</span></a></nav>
<div class="sticky" id="flash_container" style="display:none;"></div>
<div id="order_body">
<div id="topForm"><span class="supplier-name">Fixture Supplier</span>
<div class="form_element"><span class="group_label">Attachments</span><div class="attachments">${header}</div></div></div>
<section id="order_line_table_section"><table id="order_line_table_tag"><tbody id="order_line_tbody">${parts.lines ?? ''}</tbody></table>
<span id="order_line_page_links"></span></section>
<section id="comments"><div id="s-mountCommentsApp">${parts.commentsMount ?? ''}</div></section>
</div>
<div id="filler">${'<div class="x">filler</div>'.repeat(50)}</div>
${parts.tail ?? ''}
</body></html>`;
}

function comments(base: string, files: readonly [number, string][], count = files.length): string {
  const items = files.map(([id, name], index) => `<li class="comment s-comment"><div class="comment_text">Comment ${index}</div><div class="form_element commentAttachments"><div role="status"><ul class="attachments__list s-attachmentList">${fileItem(base, id, name)}</ul></div></div></li>`);
  return `<section class="s-commentsSection"><span class="s-numComments">${count}</span><button class="s-viewFileAttachment" type="button"><span>View Attachments (${files.length})</span></button><ul class="comments_list s-commentList">${items.join('')}</ul></section>`;
}

describe('reading pages shaped differently from the simulator', () => {
  const server = new FixtureServer();
  const other = new FixtureServer();
  let browser: Browser;
  let context: BrowserContext;
  let out: TempDir | undefined;
  let outDir: string;

  before(async () => {
    await server.start();
    await other.start();
    browser = await launchTestBrowser();
    context = await browser.newContext({ acceptDownloads: true });
    out = await tempDir('coupa-po-');
    outDir = out.path;
  });
  after(async () => {
    await context.close();
    await browser.close();
    await server.close();
    await other.close();
    await out?.remove();
  });

  function options(overrides: Partial<ProcessPoOptions> = {}): ProcessPoOptions {
    return {
      baseUrl: server.url,
      outDir,
      signal: new AbortController().signal,
      downloadRoute: new DownloadRoute(fetch, { onSwitch: () => {} }),
      navigationTimeoutMs: 20_000,
      settleTimeoutMs: 2_000,
      settleQuietMs: SETTLE_QUIET_MS,
      downloadTimeoutMs: 15_000,
      downloadConcurrency: 3,
      maxDownloadAttempts: 2,
      retryDelayMs: (retry, retryAfterMs) => backoffDelayMs(retry, DOWNLOAD_BACKOFF, () => 0, retryAfterMs),
      errorMarkers: [],
      accessDeniedMarkers: [],
      pageCopyMaxBytes: 2 * 1024 * 1024,
      onStep: () => {},
      onFileProgress: () => {},
      onFileSaved: () => {},
      ...overrides,
    };
  }

  let nextId = 200000;
  /** Serves `page` (given the server's address) at a fresh PO id and runs the PO. */
  async function run(page: (base: string, id: string) => string, more: Partial<ProcessPoOptions> = {}, status = 200): Promise<{ outcome: PoOutcome; id: string }> {
    const id = String((nextId += 1));
    server.routes.set(`/order_headers/${id}`, (_req, res) => html(res, page(server.url, id), status));
    const outcome = await processPo(context, { poNumber: `PO${id}`, poId: id, folderLevels: null }, options(more));
    return { outcome, id };
  }

  async function bytesOf(outcome: PoOutcome, name: string): Promise<Buffer> {
    const file = outcome.files.find((saved) => saved.name === name);
    assert.ok(file, `${name} is among ${outcome.files.map((saved) => saved.name).join(', ')}`);
    return readFile(join(outDir, file.relativePath));
  }

  it('waits for a comments app mounted by a bundle after the page body, and downloads the files only it shows', async () => {
    server.routes.set('/assets/comments-bundle.js', async (req, res) => {
      const id = new URL(req.headers.referer ?? server.url).pathname.split('/').at(-1) ?? '';
      await new Promise((resolve) => setTimeout(resolve, 600));
      res.writeHead(200, { 'content-type': 'application/javascript' });
      res.end(`document.getElementById('s-mountCommentsApp').innerHTML = ${JSON.stringify(comments(server.url, [[701, 'Signed PO.pdf'], [702, 'Delivery note.pdf']]))}; void ${JSON.stringify(id)};`);
    });
    const { outcome } = await run((base, id) => poPage({ id, navComments: 2, tail: '<script src="/assets/comments-bundle.js"></script>' }));
    assert.equal(outcome.status, 'COMPLETED', outcome.errorMessage);
    assert.deepEqual(outcome.files.map((file) => file.name).sort(), ['Delivery note.pdf', 'Signed PO.pdf']);
    assert.deepEqual(await bytesOf(outcome, 'Signed PO.pdf'), fileBytes('701'));
  });

  it('waits for lists that arrive by XHR after the load event, behind a spinner', async () => {
    server.routes.set('/late-list', async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 700));
      html(res, `<ul class="attachments-list">${fileItem(server.url, 711, 'Late invoice.pdf')}</ul>`);
    });
    const { outcome } = await run((_base, id) =>
      poPage({ id, header: '<span class="spinner" aria-busy="true">Loading</span>', commentsMount: comments(server.url, []), tail: `<script>addEventListener('load',()=>setTimeout(()=>fetch('/late-list').then(r=>r.text()).then(t=>{document.querySelector('div.attachments').innerHTML=t;}),150));</script>` }),
    );
    assert.equal(outcome.status, 'COMPLETED', outcome.errorMessage);
    assert.deepEqual(outcome.files.map((file) => file.name), ['Late invoice.pdf']);
  });

  it('says NEEDS_REVIEW, never NO_ATTACHMENTS, when a spinner is still showing in the attachments at the deadline, and keeps a copy of the page', async () => {
    const { outcome } = await run((_base, id) => poPage({ id, header: '<span class="spinner" aria-busy="true">Loading</span>', commentsMount: comments(server.url, []) }));
    assert.equal(outcome.status, 'NEEDS_REVIEW');
    assert.match(outcome.errorMessage, /still showed a loading sign/);
    assert.equal(outcome.savedPage, `.coupa-dl/pages/PO${nextId}`);
    const copy = await readFile(join(outDir, outcome.savedPage, 'page.html'), 'utf8');
    assert.match(copy, /id="pageHeader"/);
    assert.ok(existsSync(join(outDir, outcome.savedPage, 'screenshot.jpg')));
  });

  it('says NEEDS_REVIEW when the comments app never renders', async () => {
    const { outcome } = await run((_base, id) => poPage({ id, navComments: 1, header: `<ul class="attachments-list">${fileItem(server.url, 721, 'Quote.pdf')}</ul>` }));
    assert.equal(outcome.status, 'NEEDS_REVIEW');
    assert.match(outcome.errorMessage, /comments app had not rendered/);
    assert.deepEqual(outcome.files.map((file) => file.name), ['Quote.pdf'], 'what was found is downloaded all the same');
  });

  it('says NEEDS_REVIEW with both numbers when the page counts more comments than it shows', async () => {
    const { outcome } = await run((base, id) => poPage({ id, navComments: 3, commentsMount: comments(base, [[731, 'A.pdf'], [732, 'B.pdf']], 3) }));
    assert.equal(outcome.status, 'NEEDS_REVIEW');
    assert.match(outcome.errorMessage, /counts 3 comments but 2 were read/);
  });

  it('says NEEDS_REVIEW and names an attachment item it cannot classify, rather than dropping it', async () => {
    const { outcome } = await run((base, id) =>
      poPage({ id, header: `<ul class="attachments-list">${fileItem(base, 741, 'Known.pdf')}<li class="attachment attachmentSharepoint" aria-label="Attachments Sharepoint"><span>Contract folder</span></li></ul>`, commentsMount: comments(base, []) }),
    );
    assert.equal(outcome.status, 'NEEDS_REVIEW');
    assert.match(outcome.errorMessage, /cannot classify: <li\.attachment\.attachmentSharepoint> "Contract folder"/);
  });

  it('ends PO_NOT_FOUND at once for a whole page that is not the PO, saying what it showed', async () => {
    const started = performance.now();
    const { outcome } = await run(() => '<!DOCTYPE html><html data-controller="user" data-action="home"><head><title>Home | Coupa</title></head><body><h1>Welcome back</h1><div>Your dashboard</div></body></html>');
    assert.equal(outcome.status, 'PO_NOT_FOUND');
    assert.match(outcome.errorMessage, /not PO \d+ \(title "Home \| Coupa", heading "Welcome back"\)/);
    assert.ok(performance.now() - started < 15_000, 'not retried as "not ready"');
  });

  it('says NEEDS_REVIEW for a page that names the PO but whose attachments it cannot find (a new theme)', async () => {
    const { outcome } = await run((_base, id) => `<!DOCTYPE html><html><head><title>PO #${id}</title></head><body><h1>Purchase Order #${id}</h1><div class="docs-panel"><a href="/documents/1/download">Invoice.pdf</a></div></body></html>`);
    assert.equal(outcome.status, 'NEEDS_REVIEW');
    assert.match(outcome.errorMessage, /shows no attachments field this tool knows/);
  });

  it('ends PO_NOT_FOUND for HTTP 404 and 410, and reads an error flash with a typographic apostrophe', async () => {
    assert.equal((await run(() => '<!DOCTYPE html><html><body><h1>Gone</h1></body></html>', {}, 404)).outcome.status, 'PO_NOT_FOUND');
    assert.equal((await run(() => '<!DOCTYPE html><html><body></body></html>', {}, 410)).outcome.status, 'PO_NOT_FOUND');
    const flash = await run(() => '<!DOCTYPE html><html><body><div id="flash_container"><div class="esErrorFlashMessages">Oops! We couldn’t find what you wanted.</div></div></body></html>');
    assert.equal(flash.outcome.status, 'PO_NOT_FOUND');
    assert.match(flash.outcome.errorMessage, /couldn't find/);
  });

  it('ends ACCESS_DENIED for HTTP 403 only after checking that the session is alive', async () => {
    server.routes.set('/user/home', (_req, res) => html(res, '<!DOCTYPE html><html><head><title>Home</title></head><body><h1>Home</h1></body></html>'));
    const { outcome } = await run(() => '<!DOCTYPE html><html><body><h1>Forbidden</h1></body></html>', {}, 403);
    assert.equal(outcome.status, 'ACCESS_DENIED');
    server.routes.set('/user/home', (_req, res) => {
      res.writeHead(302, { location: '/sessions/new' }).end();
    });
    server.routes.set('/sessions/new', (_req, res) => html(res, '<!DOCTYPE html><html><body><form id="login_form"><input id="user_login"></form></body></html>'));
    await assert.rejects(run(() => '<!DOCTYPE html><html><body></body></html>', {}, 403), (error: unknown) => error instanceof CoupaDlError && error.code === 'SESSION_EXPIRED');
  });

  it('reads every page of a paginated lines table, following its page links', async () => {
    const rows = (page: number) => [1, 2].map((n) => `<tr class="coupa_datatable_row" id="order_line_row_${page}${n}"><td><div class="line-wrapper">Line ${page}.${n}<div class="attachments"><ul class="attachments-list">${fileItem(server.url, 750 + page * 2 + n, `Line ${page}-${n}.pdf`)}</ul></div></div></td></tr>`).join('');
    const links = (current: number) => [1, 2, 3].map((n) => (n === current ? `<span class="current">${n}</span>` : `<a href="/order_headers/search_order_line_table?page=${n}" data-remote="true">${n}</a>`)).join(' ');
    server.routes.set('/order_headers/search_order_line_table', async (_req, res, url) => {
      const page = Number(url.searchParams.get('page'));
      await new Promise((resolve) => setTimeout(resolve, 400));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rows: rows(page), links: links(page) }));
    });
    const handler = `<script>document.addEventListener('click',e=>{const a=e.target.closest('#order_line_page_links a[data-remote]');if(!a)return;e.preventDefault();
fetch(a.href).then(r=>r.json()).then(d=>{document.getElementById('order_line_tbody').innerHTML=d.rows;document.getElementById('order_line_page_links').innerHTML=d.links;});});</script>`;
    // Paging takes longer than one settling time (1 s): each page gets its own.
    const { outcome } = await run((base, id) => poPage({ id, lines: rows(1), commentsMount: comments(base, []), tail: handler }).replace('<span id="order_line_page_links"></span>', `<span id="order_line_page_links">${links(1)}</span>`), { settleTimeoutMs: 1_000 });
    assert.equal(outcome.status, 'COMPLETED', outcome.errorMessage);
    assert.deepEqual(outcome.files.map((file) => file.name).sort(), ['Line 1-1.pdf', 'Line 1-2.pdf', 'Line 2-1.pdf', 'Line 2-2.pdf', 'Line 3-1.pdf', 'Line 3-2.pdf']);
  });

  it('follows a file link to a storage host, and never saves a sign-in page or another web page as the file', async () => {
    other.routes.set('/bucket/signed.pdf', (_req, res) => {
      const bytes = fileBytes('stored');
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(bytes.length) }).end(bytes);
    });
    server.routes.set('/attachment/attachment_file/file/761/Stored.pdf', (_req, res) => {
      res.writeHead(302, { location: `${other.url}/bucket/signed.pdf?X-Amz-Signature=abc` }).end();
    });
    const stored = await run((base, id) => poPage({ id, header: `<ul class="attachments-list">${fileItem(base, 761, 'Stored.pdf')}</ul>`, commentsMount: comments(base, []) }));
    assert.equal(stored.outcome.status, 'COMPLETED', stored.outcome.errorMessage);
    assert.deepEqual(await bytesOf(stored.outcome, 'Stored.pdf'), fileBytes('stored'));

    server.routes.set('/attachment/attachment_file/file/762/Bounced.pdf', (_req, res) => html(res, '<!DOCTYPE html><html><body><form method="post" action="https://idp.example.com/saml2/sso"><input type="hidden" name="SAMLRequest" value="x"></form><script>document.forms[0].submit()</script></body></html>'));
    await assert.rejects(
      run((base, id) => poPage({ id, header: `<ul class="attachments-list">${fileItem(base, 762, 'Bounced.pdf')}</ul>`, commentsMount: comments(base, []) })),
      (error: unknown) => error instanceof CoupaDlError && error.code === 'SESSION_EXPIRED',
    );

    server.routes.set('/attachment/attachment_file/file/763/Error.pdf', (_req, res) => html(res, '<!DOCTYPE html><html><head><title>Something went wrong</title></head><body>Sorry</body></html>'));
    const failed = await run((base, id) => poPage({ id, header: `<ul class="attachments-list">${fileItem(base, 763, 'Error.pdf')}</ul>`, commentsMount: comments(base, []) }));
    assert.equal(failed.outcome.status, 'FAILED');
    assert.match(failed.outcome.errorMessage, /web page \("Something went wrong"\) instead of the file/);
    assert.ok(!existsSync(join(outDir, failed.outcome.folder, 'Error.pdf')));
  });

  it("never takes the previous page's late DOMContentLoaded for the new page's (a page that never arrives still times out)", async () => {
    // An error page read before it finished parsing: its DOMContentLoaded comes ~300 ms later, while the next PO is on its way.
    server.routes.set('/assets/slow.js', async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      res.writeHead(200, { 'content-type': 'application/javascript' }).end('void 0;');
    });
    const notFound = await run(() => '<!DOCTYPE html><html><body><div class="flash_error">Oops! We couldn\'t find what you wanted.</div><h1>Oops</h1><p>more</p><script src="/assets/slow.js"></script><p>end</p></body></html>');
    assert.equal(notFound.outcome.status, 'PO_NOT_FOUND');
    const id = String((nextId += 1));
    server.routes.set(`/order_headers/${id}`, async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write(`<!DOCTYPE html><html data-controller="order_headers" data-id="${id}"><head><title>Purchase Order #PO${id}</title>`);
    });
    await assert.rejects(processPo(context, { poNumber: `PO${id}`, poId: id, folderLevels: null }, options({ navigationTimeoutMs: 4_000 })), (error: unknown) => error instanceof CoupaDlError && error.code === 'NAVIGATION_TIMEOUT');
  });

  it('says the session expired when the page\'s own request for its lists is sent to sign in', async () => {
    server.routes.set('/late-list-expired', (_req, res) => {
      res.writeHead(302, { location: '/sessions/new' }).end();
    });
    server.routes.set('/sessions/new', (_req, res) => html(res, '<!DOCTYPE html><html><body><form id="login_form"><input id="user_login"></form></body></html>'));
    await assert.rejects(
      run((_base, id) => poPage({ id, header: '<span class="spinner" aria-busy="true">Loading</span>', commentsMount: comments(server.url, []), tail: "<script>addEventListener('load',()=>fetch('/late-list-expired').then(r=>{if(r.redirected)return;}));</script>" })),
      (error: unknown) => error instanceof CoupaDlError && error.code === 'SESSION_EXPIRED',
    );
  });
});
