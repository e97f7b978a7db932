import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, writeSession, writeSheet } from '../support/cli.ts';
import { recordRequests } from '../support/request-recorder.ts';
import { readResultsCsv } from '../support/results-files.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startSimulator, type PoTruth, type Simulator } from '../../src/simulator/index.ts';

/** `coupa-dl retry --out <folder>`: only what did not finish well, from the stored sheet and address. */
describe('coupa-dl retry', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let out = '';
  let session = '';
  let partial: PoTruth;
  const env = (): Record<string, string> => ({ XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path });
  const statuses = async (): Promise<Map<string, string>> => new Map((await readResultsCsv(out)).rows.map((row) => [row['PO_NUMBER'] ?? '', row['STATUS'] ?? '']));

  before(async () => {
    sim = await startSimulator({ pos: 4, seed: 2, auth: { mode: 'sso' }, heavyPages: false });
    const found = sim.truth.pos.find((po) => po.kind === 'spread' && po.expectedFiles.length >= 2);
    assert.ok(found, 'the catalogue has a PO with two files');
    partial = found;
    work = await tempDir('coupa-dl-e2e-retry-');
    out = join(work.path, 'out');
    session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
    const sheet = await writeSheet(join(work.path, 'pos.csv'), sim.truth.pos.map((po) => po.poNumber));
    sim.setFaults({ byAttachment: { [partial.expectedFiles[0]?.attId ?? '']: { serverErrorTimes: 1_000 } } });
    const run = await runCli(['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--storage-state', session, '--workers', '2', '--max-attempts', '2'],
      { cwd: work.path, env: env() });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /npx coupa-dl retry --out /);
  });
  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  it('ends with one PARTIAL PO after the first run', async () => {
    const after = await statuses();
    assert.equal(after.get(partial.poNumber), 'PARTIAL');
    for (const po of sim.truth.pos) if (po !== partial) assert.equal(after.get(po.poNumber), po.expectedStatus);
  });

  it('fetches only the PARTIAL PO again, at the stored address, and ends it COMPLETED once Coupa is well', async () => {
    sim.setFaults({});
    using requests = recordRequests();
    const before = sim.stats();

    // No --input and no --base-url: both come from the output folder.
    const run = await runCli(['retry', '--out', out, '--storage-state', session, '--workers', '2', '--json'], { cwd: work.path, env: env() });

    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.ok(requests.requestsFor(partial) > 0, 'the PARTIAL PO was fetched again');
    for (const po of sim.truth.pos) if (po !== partial) assert.equal(requests.requestsFor(po), 0, `${po.poNumber} was fetched again`);
    assert.ok(sim.stats().fileRequests - before.fileRequests <= partial.expectedFiles.length);
    const finished = run.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>).filter((r) => r['type'] === 'task-finished');
    assert.deepEqual(finished.map((r) => [r['key'], r['status']]), [[partial.poNumber, 'COMPLETED']]);
    const after = await statuses();
    for (const po of sim.truth.pos) assert.equal(after.get(po.poNumber), po.expectedStatus);
  });

  it('says there is nothing to retry, and exits 0, once every PO ended well', async () => {
    using requests = recordRequests();
    const run = await runCli(['retry', '--out', out], { cwd: work.path, env: env() });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Nothing to retry in .*: every PO already ended with a final status/);
    assert.equal(requests.paths.length, 0);
  });
});
