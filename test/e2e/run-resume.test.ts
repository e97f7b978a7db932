import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli, writeSession, writeSheet } from '../support/cli.ts';
import { recordRequests } from '../support/request-recorder.ts';
import { readResultsCsv } from '../support/results-files.ts';
import { tempDir } from '../support/temp-dir.ts';
import { checkRun, type ExpectedRow } from '../support/truth-check.ts';
import { startSimulator, type PoTruth, type Simulator } from '../../src/simulator/index.ts';

/**
 * Running the same command again after a run with failures fetches only what did not finish
 * well; `--fresh` fetches everything again. Checked by the requests the simulator receives.
 */
describe('coupa-dl run, run again', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let args: string[] = [];
  let out = '';
  let timesOut: PoTruth;
  let partial: PoTruth;
  const env = (): Record<string, string> => ({ XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path });
  const expectedRows = (statuses: ReadonlyMap<PoTruth, string> = new Map()): ExpectedRow[] =>
    sim.truth.pos.map((po) => ({ poNumber: po.poNumber, status: statuses.get(po) ?? po.expectedStatus, truth: po }));

  before(async () => {
    sim = await startSimulator({ pos: 8, seed: 3, auth: { mode: 'sso' }, heavyPages: false, pageLatencyMs: 20 });
    [timesOut, partial] = pickFaultyPos(sim.truth.pos);
    work = await tempDir('coupa-dl-e2e-resume-');
    out = join(work.path, 'out');
    const sheet = await writeSheet(join(work.path, 'pos.csv'), sim.truth.pos.map((po) => po.poNumber));
    const session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
    args = ['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--storage-state', session,
      '--workers', '1', '--navigation-timeout-ms', '5000', '--max-attempts', '2'];
  });

  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  it('exits 1 when a PO times out and another misses a file, and says so per PO', async () => {
    const failingFile = partial.expectedFiles[0]?.attId ?? '';
    sim.setFaults({
      byPo: { [timesOut.id]: { neverFinishes: true, scope: 'pages' } },
      byAttachment: { [failingFile]: { serverErrorTimes: 1_000 } },
    });

    const run = await runCli(args, { cwd: work.path, env: env() });

    assert.equal(run.code, 1, run.stdout + run.stderr);
    const statuses = new Map([[timesOut, 'TIMEOUT'], [partial, 'PARTIAL']]);
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows: expectedRows(statuses) }), []);
  });

  it('fetches only the unfinished POs again once Coupa is well, and ends every PO right', async () => {
    sim.setFaults({});
    using requests = recordRequests();

    const run = await runCli(args, { cwd: work.path, env: env() });

    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (const po of sim.truth.pos) {
      const again = po === timesOut || po === partial;
      assert.equal(requests.requestsFor(po) > 0, again, `${po.poNumber} (${po.kind}) was ${again ? 'not ' : ''}fetched again`);
    }
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows: expectedRows() }), []);
  });

  it('fetches every PO again with --fresh, without duplicating a file', async () => {
    const before = await readResultsCsv(out);
    using requests = recordRequests();

    const run = await runCli([...args, '--fresh'], { cwd: work.path, env: env() });

    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (const po of sim.truth.pos) assert.ok(requests.requestsFor(po) > 0, `${po.poNumber} was not fetched again`);
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows: expectedRows() }), []);
    const after = await readResultsCsv(out);
    assert.deepEqual(after.rows.map((row) => row['STATUS']), before.rows.map((row) => row['STATUS']));
  });
});

/** A PO to time out (any with a page) and a PO with at least two files, to end PARTIAL when one fails. */
function pickFaultyPos(pos: readonly PoTruth[]): [PoTruth, PoTruth] {
  const partial = pos.find((po) => po.expectedStatus === 'COMPLETED' && po.expectedFiles.length >= 2);
  const timesOut = pos.find((po) => po.expectedStatus === 'COMPLETED' && po !== partial);
  if (partial === undefined || timesOut === undefined) throw new Error('The catalogue lacks the POs this test needs.');
  return [timesOut, partial];
}
