import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLONE_PREFIX } from '../../src/browser/profile-clone.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { describeEvents, eventsOf, finishedByKey, preparePoolJob, startPoolRun } from '../support/pool-harness.ts';
import { assertFilesMatchTruth, assertReportMatchesTruth } from '../support/pool-report.ts';
import { killLikeACrash } from '../support/processes.ts';
import { readResultsCsv } from '../support/results-files.ts';

for (const isolation of ['browser', 'context'] as const) {
  test(`[${isolation}] finishes every PO with its true status, each once, when a worker's browser is killed mid-PO`, async () => {
    // Slow pages: the kill lands while the PO page is still loading.
    const sim = await startSimulator({ pos: 8, seed: 11, auth: { mode: 'sso' }, heavyPages: false, pageLatencyMs: 1_500 });
    const job = await preparePoolJob(sim, sim.truth.pos);
    try {
      const run = startPoolRun(job, ['--workers', '2', '--isolation', isolation]);
      const victim = await run.waitForEvent((e) => e.type === 'task-started');
      assert.equal(victim.type, 'task-started');
      const worker = eventsOf(run.events, 'worker-started').find((e) => victim.type === 'task-started' && e.workerId === victim.workerId);
      const pid = worker?.pids[0];
      assert.ok(pid !== undefined, 'the worker that took the PO announced its browser PID');
      const killedAt = run.events.length;
      killLikeACrash(pid);

      const result = await run.done;
      const log = `${describeEvents(run.events)}\n${result.stderr}`;
      assert.equal(result.code, 0, log);

      const stopped = eventsOf(run.events, 'worker-stopped');
      assert.ok(stopped.some((e) => e.workerId === victim.workerId && e.reason === 'crashed'), `worker-stopped crashed for worker ${victim.workerId}\n${log}`);
      assert.ok(run.events.slice(killedAt).some((e) => e.type === 'worker-started'), `a new worker started after the crash\n${log}`);
      const victimStarts = eventsOf(run.events, 'task-started').filter((e) => victim.type === 'task-started' && e.key === victim.key);
      assert.ok(victimStarts.length >= 2, `the PO on the killed browser was started again\n${log}`);

      const finished = finishedByKey(run.events);
      for (const po of sim.truth.pos) {
        const finals = finished.get(po.poNumber) ?? [];
        assert.deepEqual(finals.map((e) => e.status), [po.expectedStatus], `${po.poNumber}: one task-finished with its true status\n${log}`);
      }
      const { rows } = await readResultsCsv(job.outDir);
      assertReportMatchesTruth(rows, sim.truth.pos);
      await assertFilesMatchTruth(job.outDir, rows, sim.truth.pos);
      assert.deepEqual(await run.watch.survivors([`${CLONE_PREFIX}${run.pid}-`]), [], 'no browser process of the run is left');
    } finally {
      await sim.close();
      await job.remove();
    }
  });
}
