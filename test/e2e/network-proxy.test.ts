import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { runCli, writeSession, writeSheet, type CliRun } from '../support/cli.ts';
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.ts';
import { tempDir } from '../support/temp-dir.ts';
import { checkRun, type ExpectedRow } from '../support/truth-check.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

const PROXY_VARIABLES = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

/** A run behind a forwarding proxy: every request it makes from Node, and with --proxy the browser's too, goes through it. */
describe('coupa-dl run behind a forwarding proxy', () => {
  let sim: Simulator;
  let proxy: ForwardProxy;
  let work: { path: string; remove(): Promise<void> };
  let common: string[] = [];
  let expected: ExpectedRow[] = [];

  before(async () => {
    // Not 127.0.0.1: this computer's own names and address are never sent to a proxy.
    sim = await startSimulator({ pos: 4, seed: 8, heavyPages: false, host: '127.0.0.2' });
    proxy = await startForwardProxy();
    work = await tempDir('coupa-dl-e2e-proxy-');
    const sheet = await writeSheet(join(work.path, 'pos.csv'), sim.truth.pos.map((po) => po.poNumber));
    const session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
    common = ['--input', sheet, '--base-url', sim.url, '--storage-state', session, '--workers', '2'];
    expected = sim.truth.pos.map((po) => ({ poNumber: po.poNumber, status: po.expectedStatus, truth: po }));
  });
  beforeEach(() => {
    proxy.log.length = 0;
  });
  after(async () => {
    await proxy?.close();
    await sim?.close();
    await work?.remove();
  });

  const run = (out: string, args: readonly string[], env: Record<string, string>): Promise<CliRun> =>
    runCli(['run', ...common, '--out', out, ...args], { cwd: work.path, env: { HOME: work.path, XDG_CONFIG_HOME: join(work.path, 'config'), ...env }, unset: PROXY_VARIABLES });
  const filePaths = (): string[] => sim.truth.pos.flatMap((po) => po.expectedFiles.map((file) => file.path));
  // Files behind links are fetched from Node; old-theme click widgets are downloaded by the browser itself.
  const linkedFilePaths = (): string[] =>
    sim.truth.pos.flatMap((po) => po.attachments.filter((a) => a.kind === 'file' && a.widget === 'link' && po.expectedFiles.some((file) => file.attId === a.attId)).map((a) => (a.kind === 'file' ? a.path : '')));
  const proxied = (kind: 'files' | 'pages'): string[] =>
    proxy.log.filter((entry) => entry.includes(sim.url) && (kind === 'files' ? entry.includes('/attachment/attachment_file/file/') : /\/order_headers\/\d+/.test(entry)));

  it('sends the browser and the downloads through --proxy, and every file arrives', async () => {
    const out = join(work.path, 'flag');
    const result = await run(out, ['--proxy', proxy.url], {});
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows: expected }), []);
    for (const path of filePaths()) assert.ok(proxied('files').some((entry) => entry.endsWith(path)), `${path} did not go through the proxy:\n${proxy.log.join('\n')}`);
    for (const po of sim.truth.pos) assert.ok(proxied('pages').some((entry) => entry.endsWith(`/order_headers/${po.id}`)), `the page of ${po.poNumber} did not go through the proxy`);
  });

  it('sends the downloads from Node through HTTP_PROXY, and every file arrives', async () => {
    const out = join(work.path, 'variable');
    const result = await run(out, [], { HTTP_PROXY: proxy.url });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows: expected }), []);
    assert.ok(linkedFilePaths().length >= 3, 'the catalogue has linked files');
    for (const path of linkedFilePaths()) assert.ok(proxied('files').some((entry) => entry.endsWith(path)), `${path} did not go through the proxy:\n${proxy.log.join('\n')}`);
  });

  it('goes direct for a host in NO_PROXY', async () => {
    const out = join(work.path, 'no-proxy');
    const result = await run(out, [], { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.2' });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows: expected }), []);
    assert.deepEqual(proxied('files'), []);
  });

  it('stops before touching the output folder, exit 2, naming the proxy, when the proxy refuses', async () => {
    const out = join(work.path, 'refused');
    const closed = await startForwardProxy();
    await closed.close();
    const result = await run(out, ['--proxy', closed.url], {});
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, new RegExp(`Error: Cannot reach ${sim.url.replace(/[.]/g, '\\.')} through the proxy ${closed.url.replace(/[.]/g, '\\.')}`));
    assert.match(result.stderr, /What to do: /);
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
    assert.equal(existsSync(out), false);
  });
});
