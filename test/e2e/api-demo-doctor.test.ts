import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { checkRun, type ExpectedRow } from '../support/truth-check.ts';
import { API_SCOPES, startSimulator, type Simulator } from '../../src/simulator/index.ts';

/** `coupa-dl demo --source api` and `coupa-dl doctor --source api`, as a user runs them. */
describe('coupa-dl demo --source api', () => {
  let work: { path: string; remove(): Promise<void> };
  // The demo's own simulator is inside the CLI; one with the same catalogue options knows its truth.
  let twin: Simulator;

  before(async () => {
    work = await tempDir('coupa-dl-e2e-api-demo-');
    twin = await startSimulator({ pos: 12, seed: 1, heavyPages: false });
  });

  after(async () => {
    await twin?.close();
    await work?.remove();
  });

  it('runs the demo through the simulator\'s API and ends every PO as the truth says', async () => {
    const out = join(work.path, 'demo');
    const run = await runCli(['demo', '--source', 'api', '--pos', '12', '--latency-ms', '0', '--out', out], { cwd: work.path, env: { HOME: work.path, XDG_CONFIG_HOME: join(work.path, 'config') } });

    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Fetched: 12 POs through Coupa's API\./);
    assert.match(run.stdout, /coupa-dl run --source api/);
    const baseUrl = /Coupa simulator running at (http:\/\/\S+) with/.exec(run.stdout)?.[1] ?? '';
    const pos = twin.truth.pos;
    const first = pos[0];
    assert.ok(first !== undefined);
    const rows: ExpectedRow[] = [
      ...pos.map((po): ExpectedRow => ({ poNumber: po.poNumber, status: po.expectedStatus, truth: po, cells: { NOTE: '' } })),
      { poNumber: 'PO12', status: 'INVALID_PO', cells: { NOTE: 'too short: shows INVALID_PO' } },
      { poNumber: first.poNumber, status: first.expectedStatus, truth: first, cells: { NOTE: 'listed twice: fetched once' } },
    ];
    // The demo writes its sample sheet into its output folder: that file is no PO's.
    const problems = await checkRun({ outDir: out, baseUrl, extraColumns: ['NOTE'], rows });
    assert.deepEqual(problems.filter((problem) => !problem.includes('demo-pos.csv')), []);
  });
});

describe('coupa-dl doctor --source api', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  const narrow = { clientId: 'narrow', clientSecret: 'narrow-secret', scopes: API_SCOPES.filter((scope) => scope !== 'core.requisition.read') };

  before(async () => {
    sim = await startSimulator({ pos: 4, heavyPages: false, api: { clients: [{ clientId: 'full', clientSecret: 'full-secret', scopes: API_SCOPES }, narrow] } });
    work = await tempDir('coupa-dl-e2e-api-doctor-');
  });

  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  const doctor = (clientId: string, clientSecret: string) =>
    runCli(['doctor', '--base-url', sim.url, '--source', 'api', '--out', join(work.path, 'out')], { cwd: work.path, env: { HOME: work.path, XDG_CONFIG_HOME: join(work.path, 'config'), COUPA_CLIENT_ID: clientId, COUPA_CLIENT_SECRET: clientSecret } });

  it('passes with a token and every scope, checking no browser and no sign-in', async () => {
    const run = await doctor('full', 'full-secret');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✓ API client: client full, from COUPA_CLIENT_ID and COUPA_CLIENT_SECRET/);
    assert.match(run.stdout, /✓ API scopes: every scope asked for: core\.purchase_order\.read, core\.requisition\.read, core\.comment\.read, core\.common\.read/);
    assert.doesNotMatch(run.stdout, /Browser:|Signed in:|Sign-in:/);
    assert.match(run.stdout, /--source api$/m);
  });

  it('names the missing scope and who can add it, and fails', async () => {
    const run = await doctor('narrow', 'narrow-secret');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /✗ API scopes: missing core\.requisition\.read \(granted: /);
    assert.match(run.stdout, /Fix: Ask your Coupa administrator to add core\.requisition\.read to the OAuth client/);
  });

  it('says the secret is refused without printing it, and fails', async () => {
    const run = await doctor('full', 'wrong-secret-77');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /✗ API token: Coupa refused the API client id or secret/);
    assert.doesNotMatch(run.stdout + run.stderr, /wrong-secret-77/);
  });
});
