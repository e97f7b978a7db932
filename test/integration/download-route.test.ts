import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { DownloadRoute } from '../../src/coupa/download-route.ts';
import { fetchLinkedFile } from '../../src/coupa/linked-file.ts';
import { openNodeHttp } from '../../src/net/node-http.ts';
import { chooseProxy } from '../../src/net/proxy-choice.ts';
import { listFiles } from '../support/output-tree.ts';
import { firstOfKind, runPo, sortedShas, usePoSite } from '../support/po-harness.ts';
import { tempDir } from '../support/temp-dir.ts';

/** A port nothing listens on: a proxy Node is told to use that refuses every connection. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("a run's downloads move to the browser when Node cannot connect and the browser can", () => {
  // Not 127.0.0.1: this computer's own names and address are never sent to a proxy.
  const site = usePoSite({ pos: 6, seed: 9, heavyPages: false, host: '127.0.0.2' });

  it('fetches every file through the browser after the first refusal, switching and saying so once', async () => {
    // Node goes through a proxy that is not there (as with a wrong HTTPS_PROXY); the browser goes direct.
    await using http = openNodeHttp({ proxy: chooseProxy(`http://127.0.0.1:${await closedPort()}`, {}) });
    const reasons: string[] = [];
    const route = new DownloadRoute(http.fetch, { onSwitch: (reason) => reasons.push(reason) });
    const out = await tempDir('coupa-po-');
    try {
      for (const kind of ['normal', 'spread'] as const) {
        const po = firstOfKind(site.sim, kind);
        const { outcome } = await runPo(site.context, site.sim, po, out.path, { downloadRoute: route });
        assert.equal(outcome.status, 'COMPLETED', outcome.errorMessage);
        assert.deepEqual(sortedShas(outcome.files), sortedShas(po.expectedFiles));
      }
      assert.equal(route.via, 'browser');
      assert.equal(reasons.length, 1, reasons.join('\n'));
      assert.match(reasons[0] ?? '', /Downloads from Node failed \(nothing answers at 127\.0\.0\.2:\d+: the connection was refused/);
      assert.ok((await listFiles(out.path)).length >= 2);
    } finally {
      await out.remove();
    }
  });

  it('stays with Node, and fails the file as before, when the browser cannot connect either', async () => {
    await using http = openNodeHttp({ proxy: chooseProxy(undefined, {}) });
    const reasons: string[] = [];
    const route = new DownloadRoute(http.fetch, { onSwitch: (reason) => reasons.push(reason) });
    const po = firstOfKind(site.sim, 'normal');
    const out = await tempDir('coupa-po-');
    // The simulator answers the page, but its files from a port nobody listens on: both sides are refused.
    const port = await closedPort();
    const moved = site.sim.url.replace(/:\d+$/, `:${port}`);
    try {
      const file = po.expectedFiles[0];
      assert.ok(file !== undefined);
      await assert.rejects(
        fetchLinkedFile(site.context, route, `${moved}${file.path}`, file.name, `${out.path}/x.tmp`, { baseUrl: site.sim.url, signal: new AbortController().signal, downloadTimeoutMs: 10_000, onBytes: () => {} }),
        (error: unknown) => error instanceof Error && /could not connect: nothing answers/.test(error.message),
      );
      assert.equal(route.via, 'node');
      assert.deepEqual(reasons, []);
    } finally {
      await out.remove();
    }
  });
});
