import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, writeSession, writeSheet, type CliRun } from '../support/cli.ts';
import { filesOnDisk } from '../support/output-tree.ts';
import { readResultsCsv } from '../support/results-files.ts';
import { tempDir } from '../support/temp-dir.ts';
import { checkRun, type ExpectedRow } from '../support/truth-check.ts';
import { StateStore } from '../../src/state/state-store.ts';
import { stateFilePath } from '../../src/state/state-file-path.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

/**
 * `coupa-dl run --source api` end to end: every kind of PO of a catalogue (every status) and a
 * PO of 300 lines, fetched through Coupa's REST API only, checked against the simulator's truth
 * — and against a browser run of the same sheet: the same report, the same files, byte for byte.
 */
describe('coupa-dl run --source api over every kind of PO', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let apiOut = '';
  let browserOut = '';
  let api: CliRun;
  let browser: CliRun;
  let expected: ExpectedRow[] = [];
  let pageViewsByApi = -1;
  const env = (): Record<string, string> => ({ XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path });

  before(async () => {
    // PO 100001 gets 300 lines: its files on line 51 and line 300 are past the first 50-record page.
    sim = await startSimulator({ pos: 16, seed: 11, auth: { mode: 'sso' }, heavyPages: false, pageLatencyMs: 20, longPos: { '100001': 300 } });
    work = await tempDir('coupa-dl-e2e-api-');
    apiOut = join(work.path, 'api-out');
    browserOut = join(work.path, 'browser-out');
    const sheet = await writeSheet(join(work.path, 'pos.csv'), [...sim.truth.pos.map((po) => po.poNumber), 'PO12'], []);
    expected = [...sim.truth.pos.map((po): ExpectedRow => ({ poNumber: po.poNumber, status: po.expectedStatus, truth: po })), { poNumber: 'PO12', status: 'INVALID_PO' }];
    const credentials = { COUPA_CLIENT_ID: sim.apiClient.clientId, COUPA_CLIENT_SECRET: sim.apiClient.clientSecret };
    api = await runCli(['run', '--input', sheet, '--out', apiOut, '--base-url', sim.url, '--source', 'api', '--api-rate', '20', '--workers', '4'], { cwd: work.path, env: { ...env(), ...credentials } });
    pageViewsByApi = sim.stats().pageViews;
    const session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
    browser = await runCli(['run', '--input', sheet, '--out', browserOut, '--base-url', sim.url, '--storage-state', session, '--workers', '2'], { cwd: work.path, env: env() });
  });

  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  it('exits 0 with every PO at its final status, having opened no web page', () => {
    assert.equal(api.code, 0, api.stdout + api.stderr);
    assert.equal(pageViewsByApi, 0);
    assert.match(api.stdout, /Fetched: 16 POs through Coupa's API\./);
  });

  it('leaves every file with the bytes of the truth and a report that matches, the 300-line PO included', async () => {
    assert.deepEqual(await checkRun({ outDir: apiOut, baseUrl: sim.url, extraColumns: [], rows: expected }), []);
    const long = (await readResultsCsv(apiOut)).rows.find((row) => row['PO_NUMBER'] === 'PO100001');
    assert.match(long?.['AttachmentName'] ?? '', /\.xlsx/, 'the file on line 51 was found');
  });

  it('writes the same report and the same files as a browser run of the same sheet', async () => {
    assert.equal(browser.code, 0, browser.stdout + browser.stderr);
    // The time differs, and so do the words of an error (each says what Coupa answered, a page or the API); not whether there is one.
    const comparable = (rows: Record<string, string>[]) => rows.map(({ LAST_PROCESSED: _time, ERROR_MESSAGE: message, ...rest }) => ({ ...rest, error: message !== '' }));
    assert.deepEqual(comparable((await readResultsCsv(apiOut)).rows), comparable((await readResultsCsv(browserOut)).rows));
    // The PDFs made from mails hold the time they were printed: the same files, not the same bytes.
    const made = (files: Awaited<ReturnType<typeof filesOnDisk>>) => files.map((file) => (/\.(msg|eml)\.pdf$/.test(file.path) ? { path: file.path } : file));
    assert.deepEqual(made(await filesOnDisk(apiOut)), made(await filesOnDisk(browserOut)));
  });

  it('records that each PO came through the API', () => {
    using store = StateStore.open(stateFilePath(apiOut));
    assert.deepEqual(new Set(store.listPos().map((po) => po.source)), new Set(['api']));
    assert.deepEqual(store.countBySource(), { browser: 0, api: 16 });
  });

  it('keeps the API answers of each PO that did not end cleanly, without the secret or a token', async () => {
    const rows = (await readResultsCsv(apiOut)).rows.filter((row) => row['SAVED_PAGE'] !== '');
    assert.ok(rows.length > 0, 'the catalogue has POs that do not end cleanly');
    for (const row of rows) {
      const text = await readFile(join(apiOut, row['SAVED_PAGE'] ?? '', 'api.json'), 'utf8');
      const evidence = JSON.parse(text) as { poNumber: string; answers: { path: string; status: number }[] };
      assert.equal(evidence.poNumber, row['PO_NUMBER']);
      assert.ok(evidence.answers.some((answer) => answer.path.startsWith('/api/purchase_orders?po-number=')), `${row['PO_NUMBER']}: the lookup is kept`);
      assert.doesNotMatch(text, /demo-secret|access_token|Bearer/i);
    }
  });
});
