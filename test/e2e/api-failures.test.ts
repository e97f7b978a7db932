import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startCli, waitForOutput, writeSession, writeSheet } from '../support/cli.ts';
import { filesOnDisk } from '../support/output-tree.ts';
import { recordRequests } from '../support/request-recorder.ts';
import { readResultsCsv } from '../support/results-files.ts';
import { tempDir } from '../support/temp-dir.ts';
import { checkRun, type ExpectedRow } from '../support/truth-check.ts';
import { StateStore } from '../../src/state/state-store.ts';
import { stateFilePath } from '../../src/state/state-file-path.ts';
import { API_SCOPES, startSimulator, type PoTruth, type Simulator, type SimulatorOptions } from '../../src/simulator/index.ts';

/**
 * `--source api` and `--source auto` when Coupa's API is not kind: a wrong secret, a missing
 * scope, JSON where a file's bytes were expected, tokens that expire mid-run, a storm of 429s,
 * POs the API refuses. Each case is one CLI run (or two) against its own simulator.
 */

const SHEET_POS = 12;

interface Case {
  readonly sim: Simulator;
  readonly dir: string;
  readonly out: string;
  /** `run` with the sheet, output folder, Coupa address and a signed-in session file (for the browser of `auto`). */
  readonly args: (extra: readonly string[]) => string[];
  readonly env: (extra?: Record<string, string>) => Record<string, string>;
  rows(statuses?: ReadonlyMap<PoTruth, string>): ExpectedRow[];
}

const cases: { sim: Simulator; remove(): Promise<void> }[] = [];

async function openCase(options: SimulatorOptions = {}): Promise<Case> {
  const sim = await startSimulator({ pos: SHEET_POS, seed: 11, auth: { mode: 'sso' }, heavyPages: false, pageLatencyMs: 20, ...options });
  const work = await tempDir('coupa-dl-e2e-api-fail-');
  cases.push({ sim, remove: work.remove });
  const out = join(work.path, 'out');
  const sheet = await writeSheet(join(work.path, 'pos.csv'), sim.truth.pos.map((po) => po.poNumber));
  const session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
  return {
    sim,
    dir: work.path,
    out,
    args: (extra) => ['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--storage-state', session, ...extra],
    env: (extra = {}) => ({ XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path, COUPA_CLIENT_ID: sim.apiClient.clientId, COUPA_CLIENT_SECRET: sim.apiClient.clientSecret, ...extra }),
    rows: (statuses = new Map()) => sim.truth.pos.map((po) => ({ poNumber: po.poNumber, status: statuses.get(po) ?? po.expectedStatus, truth: po })),
  };
}

function sourcesOf(out: string): Map<string, string | null> {
  using store = StateStore.open(stateFilePath(out));
  return new Map(store.listPos().map((po) => [po.poNumber, po.source]));
}

after(async () => {
  for (const open of cases) {
    await open.sim.close();
    await open.remove();
  }
});

describe('coupa-dl run --source api with credentials Coupa refuses', () => {
  it('stops with exit 2 and a plain message on a wrong secret, having fetched nothing and written nothing', async () => {
    const run = await openCase();
    const result = await runCli(run.args(['--source', 'api']), { cwd: run.dir, env: run.env({ COUPA_CLIENT_SECRET: 'not-the-secret-42' }) });

    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /Error: Coupa refused the API client id or secret \(HTTP 401, invalid_client\)\./);
    assert.match(result.stderr, /What to do: Check COUPA_CLIENT_ID and COUPA_CLIENT_SECRET/);
    assert.doesNotMatch(result.stdout + result.stderr, /not-the-secret-42/);
    assert.equal(run.sim.stats().apiRequests, 0);
    assert.ok(run.sim.stats().tokenRequests > 0, 'a token was asked for');
    assert.equal(existsSync(run.out), false);
  });

  it('stops with exit 2 naming the missing scope, having fetched nothing', async () => {
    const narrow = { clientId: 'narrow', clientSecret: 'narrow-secret', scopes: API_SCOPES.filter((scope) => scope !== 'core.comment.read') };
    const run = await openCase({ api: { clients: [narrow] } });
    const result = await runCli(run.args(['--source', 'api']), { cwd: run.dir, env: run.env() });

    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /Error: The API client \(credentials from COUPA_CLIENT_ID and COUPA_CLIENT_SECRET\) lacks the scope core\.comment\.read;/);
    assert.match(result.stderr, /What to do: Ask your Coupa administrator to add core\.comment\.read to the OAuth client/);
    assert.equal(run.sim.stats().apiRequests, 0);
    assert.equal(existsSync(run.out), false);

    // The same client with --source auto: the whole run goes through the browser.
    const auto = await runCli(run.args(['--source', 'auto', '--workers', '2']), { cwd: run.dir, env: run.env() });
    assert.equal(auto.code, 0, auto.stdout + auto.stderr);
    assert.match(auto.stderr, /lacks the scope core\.comment\.read.*This run uses the browser/);
    assert.equal(run.sim.stats().apiRequests, 0);
    assert.deepEqual(await checkRun({ outDir: run.out, baseUrl: run.sim.url, extraColumns: [], rows: run.rows() }), []);
    assert.deepEqual(new Set(sourcesOf(run.out).values()), new Set(['browser']));
  });
});

describe('coupa-dl run --source api when Coupa answers badly', () => {
  it('never saves a JSON answer as a file, says which byte shape to try, and the other shape then fetches every file', async () => {
    // This Coupa sends bytes only to `file-url`; its own endpoint answers with the attachment's record.
    const run = await openCase({ api: { fileShapes: ['file-url'] } });
    const first = await runCli(run.args(['--source', 'api', '--workers', '4']), { cwd: run.dir, env: run.env() });

    assert.equal(first.code, 1, first.stdout + first.stderr);
    assert.match(first.stdout, /coupa-dl retry --out \S+ --source api$/m, 'the retry command keeps the way in');
    const rows = (await readResultsCsv(run.out)).rows;
    for (const po of run.sim.truth.pos.filter((truth) => truth.expectedFiles.length > 0)) {
      const row = rows.find((candidate) => candidate['PO_NUMBER'] === po.poNumber);
      assert.match(row?.['STATUS'] ?? '', /^(FAILED|PARTIAL)$/, `${po.poNumber} (${po.kind})`);
      assert.match(row?.['ERROR_MESSAGE'] ?? '', /Coupa answered application\/json instead of the bytes of .*nothing was saved\. Set the API byte shape to file-url/, po.poNumber);
    }
    // URL and Text notes are all that is on disk: no JSON was kept as a file.
    for (const file of await filesOnDisk(run.out)) assert.match(file.path, /\.(url|txt)$/, file.path);

    const second = await runCli(run.args(['--source', 'api', '--workers', '4', '--api-file-shape', 'file-url']), { cwd: run.dir, env: run.env() });
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.deepEqual(await checkRun({ outDir: run.out, baseUrl: run.sim.url, extraColumns: [], rows: run.rows() }), []);
  });

  it('goes on through tokens that expire every two seconds and every token ended at once mid-run, every file right', async () => {
    const run = await openCase({ api: { tokenExpiresInSeconds: 2 } });
    // Slow enough that the run outlives several tokens.
    const cli = startCli(run.args(['--source', 'api', '--workers', '3', '--api-rate', '8']), { cwd: run.dir, env: run.env() });
    await waitForOutput(cli.output, /\[4\/12\]/);
    run.sim.expireApiTokens();
    const result = await cli.done;

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.ok(run.sim.stats().tokenRequests >= 3, `token requests: ${String(run.sim.stats().tokenRequests)}`);
    assert.deepEqual(await checkRun({ outDir: run.out, baseUrl: run.sim.url, extraColumns: [], rows: run.rows() }), []);
  });

  it('rides out a storm of 429s (a rate above Coupa\'s limit, and 429s drawn at random) with every PO right', async () => {
    const run = await openCase({ faults: { rates: { tooManyRequests: 0.15 } } });
    const result = await runCli(run.args(['--source', 'api', '--workers', '8', '--api-rate', '80']), { cwd: run.dir, env: run.env() });

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.ok(run.sim.stats().apiTooManyRequests > 5, `429s: ${String(run.sim.stats().apiTooManyRequests)}`);
    assert.deepEqual(await checkRun({ outDir: run.out, baseUrl: run.sim.url, extraColumns: [], rows: run.rows() }), []);
  });
});

describe('coupa-dl run --source auto', () => {
  let run: Case;

  before(async () => {
    run = await openCase();
  });

  it('sends only the POs the API refuses (HTTP 403) to the browser, and ends every PO as the truth says', async () => {
    using requests = recordRequests();
    const result = await runCli(run.args(['--source', 'auto', '--workers', '3']), { cwd: run.dir, env: run.env() });

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(await checkRun({ outDir: run.out, baseUrl: run.sim.url, extraColumns: [], rows: run.rows() }), []);
    const refused = run.sim.truth.pos.filter((po) => po.kind === 'accessDenied');
    assert.ok(refused.length > 0);
    const sources = sourcesOf(run.out);
    for (const po of run.sim.truth.pos) assert.equal(sources.get(po.poNumber), po.kind === 'accessDenied' ? 'browser' : 'api', `${po.poNumber} (${po.kind})`);
    const pagesOpened = new Set(requests.paths.filter((path) => /^\/(order|requisition)_headers\/\d+$/.test(path)));
    assert.deepEqual(pagesOpened, new Set(refused.map((po) => `/order_headers/${po.id}`)));
    assert.match(result.stdout, new RegExp(`Fetched: ${String(SHEET_POS - refused.length)} POs through Coupa's API, ${String(refused.length)} POs? in the browser\\.`));
  });

  it('runs in the browser, and says so, when no API client is set up', async () => {
    const result = await runCli(run.args(['--source', 'auto', '--workers', '2', '--fresh']), { cwd: run.dir, env: run.env({ COUPA_CLIENT_ID: '', COUPA_CLIENT_SECRET: '' }) });

    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stderr, /No API client is set up \(COUPA_CLIENT_ID and COUPA_CLIENT_SECRET, or --api-credentials-file\): this run uses the browser\./);
    assert.deepEqual(new Set(sourcesOf(run.out).values()), new Set(['browser']));
    assert.deepEqual(await checkRun({ outDir: run.out, baseUrl: run.sim.url, extraColumns: [], rows: run.rows() }), []);
  });
});
