import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLONE_PREFIX } from '../../src/browser/profile-clone.ts';
import { UNSUCCESSFUL_STATUSES, type PoStatus } from '../../src/domain/status.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { describeEvents, eventsOf, finishedByKey, overlappingStarts, preparePoolJob, startPoolRun } from '../support/pool-harness.ts';
import { assertFilesMatchTruth, assertReportMatchesTruth } from '../support/pool-report.ts';
import { readResultsCsv } from '../support/results-files.ts';

// Sixty POs on two cores shared with other browser tests can take minutes: more room than the suite default.
test('six workers in one browser fetch sixty POs: every status and file as the truth says, no PO on two workers at once', { timeout: 600_000 }, async () => {
  const sim = await startSimulator({ pos: 60, seed: 41, auth: { mode: 'sso' }, heavyPages: false, pageLatencyMs: 100, fileLatencyMs: 20 });
  const job = await preparePoolJob(sim, sim.truth.pos);
  try {
    const run = startPoolRun(job, ['--workers', '6', '--isolation', 'context'], 570_000);
    const result = await run.done;
    const log = `${describeEvents(run.events)}\n${result.stderr}`;
    const unsuccessful = sim.truth.pos.some((po) => UNSUCCESSFUL_STATUSES.includes(po.expectedStatus as PoStatus));
    assert.equal(result.code, unsuccessful ? 1 : 0, log);

    assert.equal(new Set(eventsOf(run.events, 'task-started').map((e) => e.workerId)).size, 6, `all six workers took POs\n${log}`);
    assert.deepEqual(overlappingStarts(run.events), [], 'no PO is worked on by two workers at once');
    const finished = finishedByKey(run.events);
    const wrong = sim.truth.pos.filter((po) => finished.get(po.poNumber)?.map((e) => e.status).join() !== po.expectedStatus);
    assert.deepEqual(wrong.map((po) => `${po.poNumber}: ${JSON.stringify(finished.get(po.poNumber)?.map((e) => e.status))}`), [], 'one task-finished per PO, with its true status');

    const { rows } = await readResultsCsv(job.outDir);
    assertReportMatchesTruth(rows, sim.truth.pos);
    await assertFilesMatchTruth(job.outDir, rows, sim.truth.pos);
    assert.deepEqual(await run.watch.survivors([`${CLONE_PREFIX}${run.pid}-`]), [], 'no browser process of the run is left');
  } finally {
    await sim.close();
    await job.remove();
  }
});
