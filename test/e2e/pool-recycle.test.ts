import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLONE_PREFIX } from '../../src/browser/profile-clone.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { describeEvents, eventsOf, finishedByKey, overlappingStarts, preparePoolJob, startPoolRun, type PoolRun } from '../support/pool-harness.ts';
import { assertFilesMatchTruth, assertReportMatchesTruth } from '../support/pool-report.ts';
import { readResultsCsv } from '../support/results-files.ts';

/** Runs the whole catalogue with `flags`; the batch must end exactly as the truth says, each PO once. */
async function runToTheEnd(sim: Simulator, flags: readonly string[]): Promise<PoolRun> {
  const job = await preparePoolJob(sim, sim.truth.pos);
  try {
    const run = startPoolRun(job, flags);
    const result = await run.done;
    const log = `${describeEvents(run.events)}\n${result.stderr}`;
    assert.equal(result.code, 0, log);
    const finished = finishedByKey(run.events);
    for (const po of sim.truth.pos) assert.deepEqual(finished.get(po.poNumber)?.map((e) => e.status), [po.expectedStatus], `${po.poNumber}\n${log}`);
    assert.deepEqual(overlappingStarts(run.events), []);
    const { rows } = await readResultsCsv(job.outDir);
    assertReportMatchesTruth(rows, sim.truth.pos);
    await assertFilesMatchTruth(job.outDir, rows, sim.truth.pos);
    assert.deepEqual(await run.watch.survivors([`${CLONE_PREFIX}${run.pid}-`]), [], 'no browser process of the run is left');
    return run;
  } finally {
    await job.remove();
  }
}

test('restarts a worker after --recycle-after POs and still finishes every PO with its true status', async () => {
  const sim = await startSimulator({ pos: 10, seed: 31, auth: { mode: 'sso' }, heavyPages: false });
  try {
    const run = await runToTheEnd(sim, ['--workers', '2', '--isolation', 'browser', '--recycle-after', '3']);
    const log = describeEvents(run.events);
    assert.ok(eventsOf(run.events, 'worker-stopped').some((e) => e.reason === 'recycled'), `worker-stopped recycled\n${log}`);
    assert.ok(eventsOf(run.events, 'worker-started').length > 2, `recycled workers are replaced\n${log}`);
  } finally {
    await sim.close();
  }
});

test('recycles workers whose browser uses more than --worker-memory-mb and still finishes every PO with its true status', async () => {
  // Some page latency keeps each PO running across the pool's memory samples.
  const sim = await startSimulator({ pos: 8, seed: 32, auth: { mode: 'sso' }, heavyPages: false, pageLatencyMs: 1_500 });
  try {
    const run = await runToTheEnd(sim, ['--workers', '2', '--isolation', 'browser', '--worker-memory-mb', '50']);
    const log = describeEvents(run.events);
    assert.ok(eventsOf(run.events, 'worker-stopped').some((e) => e.reason === 'memory'), `worker-stopped memory\n${log}`);
    assert.ok(eventsOf(run.events, 'worker-started').length > 2, `recycled workers are replaced\n${log}`);
  } finally {
    await sim.close();
  }
});
