import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext } from 'playwright-core';
import { CoupaDlError } from '../../src/domain/errors.ts';
import { downloadLinkedFile } from '../../src/coupa/link-download.ts';
import { launchTestBrowser } from '../support/browser.ts';
import { tempDir, type TempDir } from '../support/temp-dir.ts';

/**
 * Linked files are fetched from Node with the browser context's cookies: a real browser context
 * and a real HTTP server that checks the cookie on every hop.
 */

const FILE = randomBytes(300_000);
const SHA = createHash('sha256').update(FILE).digest('hex');
const SESSION = 'session=abc123';

type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const routes: Record<string, Route> = {
  '/file': (_req, res) => {
    res.writeHead(200, { 'content-length': String(FILE.length), 'content-disposition': 'attachment; filename="Invoice 7.pdf"' });
    res.end(FILE);
  },
  '/hop': (_req, res) => {
    res.writeHead(302, { location: '/files/deep/file', 'set-cookie': 'rolled=yes; Path=/; HttpOnly' });
    res.end();
  },
  '/files/deep/file': (req, res) => routes['/file']!(req, res),
  '/expired': (_req, res) => {
    res.writeHead(302, { location: '/sessions/new' });
    res.end();
  },
  '/gzip': (_req, res) => {
    const packed = gzipSync(FILE);
    res.writeHead(200, { 'content-length': String(packed.length), 'content-encoding': 'gzip' });
    res.end(packed);
  },
  '/slow': async (_req, res) => {
    res.writeHead(200, { 'content-length': String(FILE.length) });
    for (let offset = 0; offset < FILE.length; offset += 60_000) {
      res.write(FILE.subarray(offset, offset + 60_000));
      await sleep(120);
    }
    res.end();
  },
  '/short': (_req, res) => {
    res.writeHead(200, { 'content-length': String(FILE.length) });
    res.write(FILE.subarray(0, 1000), () => res.socket?.end());
  },
  '/gone': (_req, res) => {
    res.writeHead(404);
    res.end('not here');
  },
};

describe('downloadLinkedFile', () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let folder: string;
  let folderTemp: TempDir | undefined;
  const seen: { path: string; cookie: string; agent: string }[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      seen.push({ path, cookie: req.headers.cookie ?? '', agent: req.headers['user-agent'] ?? '' });
      if (!(req.headers.cookie ?? '').includes(SESSION)) {
        res.writeHead(401);
        res.end();
        return;
      }
      void routes[path]?.(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address !== null && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
    browser = await launchTestBrowser();
    context = await browser.newContext();
    await context.addCookies([{ name: 'session', value: 'abc123', url: base }]);
    folderTemp = await tempDir('coupa-link-');
    folder = folderTemp.path;
  });

  after(async () => {
    await browser?.close();
    server?.close();
    await folderTemp?.remove();
  });

  const fetchTo = (path: string, name: string, onBytes: (bytes: number, total: number | null) => void = () => {}) =>
    downloadLinkedFile(context, `${base}${path}`, 'label.pdf', join(folder, name), {
      baseUrl: base,
      fetch,
      signal: new AbortController().signal,
      downloadTimeoutMs: 10_000,
      onBytes,
    });

  it('streams the file to disk with its digest and the name from Content-Disposition, as the browser', async () => {
    const saved = await fetchTo('/file', 'a.tmp');
    assert.deepEqual(saved, { wantedName: 'Invoice 7.pdf', sizeBytes: FILE.length, sha256: SHA });
    assert.deepEqual(await readFile(join(folder, 'a.tmp')), FILE);
    const agent = await (await context.newPage()).evaluate(() => navigator.userAgent);
    assert.equal(seen.at(-1)?.agent, agent);
  });

  it('follows a redirect with the cookies on every hop and keeps a cookie set on the way', async () => {
    seen.length = 0;
    const saved = await fetchTo('/hop', 'b.tmp');
    assert.equal(saved.sha256, SHA);
    assert.deepEqual(seen.map((request) => request.path), ['/hop', '/files/deep/file']);
    assert.match(seen[1]?.cookie ?? '', /rolled=yes/);
    const rolled = (await context.cookies(base)).find((cookie) => cookie.name === 'rolled');
    assert.equal(rolled?.httpOnly, true);
    assert.equal(rolled?.domain, '127.0.0.1');
  });

  it('says SESSION_EXPIRED when sent to sign in, and leaves no temp file', async () => {
    await assert.rejects(fetchTo('/expired', 'c.tmp'), (error: unknown) => error instanceof CoupaDlError && error.code === 'SESSION_EXPIRED');
    assert.equal(existsSync(join(folder, 'c.tmp')), false);
  });

  it('says SESSION_EXPIRED on HTTP 401 (the session cookie is gone)', async () => {
    const bare = await browser.newContext();
    try {
      const attempt = downloadLinkedFile(bare, `${base}/file`, 'x', join(folder, 'd.tmp'), { baseUrl: base, fetch, signal: new AbortController().signal, downloadTimeoutMs: 10_000, onBytes: () => {} });
      await assert.rejects(attempt, (error: unknown) => error instanceof CoupaDlError && error.code === 'SESSION_EXPIRED');
    } finally {
      await bare.close();
    }
  });

  it('saves a compressed transfer unpacked, without calling it truncated', async () => {
    const saved = await fetchTo('/gzip', 'e.tmp');
    assert.equal(saved.sha256, SHA);
    assert.equal(saved.sizeBytes, FILE.length);
  });

  it('reports progress while the bytes arrive, ending at the full size', async () => {
    const reports: number[] = [];
    await fetchTo('/slow', 'f.tmp', (bytes, total) => {
      assert.equal(total, FILE.length);
      reports.push(bytes);
    });
    assert.ok(reports.length >= 2, `progress reports: ${reports.join(', ')}`);
    assert.ok(reports.some((bytes) => bytes > 0 && bytes < FILE.length), `progress reports: ${reports.join(', ')}`);
    assert.equal(reports.at(-1), FILE.length);
  });

  it('says TRUNCATED_DOWNLOAD when the connection ends short of Content-Length', async () => {
    await assert.rejects(fetchTo('/short', 'g.tmp'), (error: unknown) => error instanceof CoupaDlError && error.code === 'TRUNCATED_DOWNLOAD' && /of 300000 bytes/.test(error.message));
    assert.equal(existsSync(join(folder, 'g.tmp')), false);
  });

  it('says DOWNLOAD_FAILED with the HTTP status for a missing file', async () => {
    await assert.rejects(fetchTo('/gone', 'h.tmp'), (error: unknown) => error instanceof CoupaDlError && error.code === 'DOWNLOAD_FAILED' && error.message === 'HTTP 404');
  });
});
