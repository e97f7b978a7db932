import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLONE_PREFIX } from '../../src/browser/profile-clone.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { describeEvents, eventsOf, finishedByKey, preparePoolJob, startPoolRun } from '../support/pool-harness.ts';
import { readResultsCsv } from '../support/results-files.ts';

test('retries a PO whose page never finishes loading, then marks it TIMEOUT while the others complete (exit 1)', async () => {
  const sim = await startSimulator({ pos: 6, seed: 5, auth: { mode: 'sso' }, heavyPages: false });
  const [stuck, ...others] = sim.truth.pos;
  assert.ok(stuck !== undefined);
  sim.setFaults({ byPo: { [stuck.id]: { neverFinishes: true } } });
  const job = await preparePoolJob(sim, sim.truth.pos);
  try {
    const run = startPoolRun(job, ['--workers', '2', '--navigation-timeout-ms', '5000', '--max-attempts', '2']);
    const result = await run.done;
    const log = `${describeEvents(run.events)}\n${result.stderr}`;
    assert.equal(result.code, 1, log);

    assert.ok(eventsOf(run.events, 'task-retry').some((e) => e.key === stuck.poNumber), `task-retry for ${stuck.poNumber}\n${log}`);
    assert.equal(eventsOf(run.events, 'task-started').filter((e) => e.key === stuck.poNumber).length, 2, `two attempts, as --max-attempts says\n${log}`);
    const { rows } = await readResultsCsv(job.outDir);
    const statuses = Object.fromEntries(rows.map((row) => [row['PO_NUMBER'], row['STATUS']]));
    assert.deepEqual(statuses, Object.fromEntries(sim.truth.pos.map((po) => [po.poNumber, po === stuck ? 'TIMEOUT' : po.expectedStatus])));
    assert.deepEqual(await run.watch.survivors([`${CLONE_PREFIX}${run.pid}-`]), [], 'no browser process of the run is left');

    // The JSON stream must tell scripts the same final status as the report.
    const finished = finishedByKey(run.events);
    for (const po of others) assert.deepEqual(finished.get(po.poNumber)?.map((e) => e.status), [po.expectedStatus], `${po.poNumber}\n${log}`);
    assert.deepEqual(finished.get(stuck.poNumber)?.map((e) => e.status), ['TIMEOUT'], log);
  } finally {
    await sim.close();
    await job.remove();
  }
});
