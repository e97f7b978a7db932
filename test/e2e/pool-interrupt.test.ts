import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLONE_PREFIX } from '../../src/browser/profile-clone.ts';
import { startSimulator, type PoTruth, type Simulator } from '../../src/simulator/index.ts';
import { describeEvents, eventsOf, preparePoolJob, startPoolRun, type PoolJob, type PoolRun } from '../support/pool-harness.ts';
import { assertFilesMatchTruth, assertReportMatchesTruth, assertResumableState } from '../support/pool-report.ts';
import { readResultsCsv } from '../support/results-files.ts';

/** Exit 130, no browser of ours left, a state a re-run can pick up: every stop must leave this. */
async function assertStoppedCleanly(run: PoolRun, job: PoolJob, pos: readonly PoTruth[]): Promise<void> {
  const result = await run.done;
  const log = `${describeEvents(run.events)}\n${result.stderr}`;
  assert.equal(result.code, 130, log);
  assert.ok(eventsOf(run.events, 'interrupt').length > 0, `the JSON says it is stopping\n${log}`);
  assert.match(result.stderr, /stopping/i);
  assert.deepEqual(await run.watch.survivors([`${CLONE_PREFIX}${run.pid}-`]), [], 'no browser process of the run is left');
  assert.ok(run.watch.seen().length > 0, 'the watch saw the browsers');
  const rows = await assertResumableState(job.outDir, pos);
  assert.ok(rows.some((row) => row['STATUS'] === 'PENDING'), 'the stop left work for the next run');
}

/** The same command again finishes the job, without fetching again what the first run finished. */
async function assertRerunCompletes(job: PoolJob, sim: Simulator, extra: readonly string[], first: PoolRun): Promise<void> {
  const done = new Set(eventsOf(first.events, 'task-finished').map((e) => e.key));
  const again = startPoolRun(job, extra);
  const result = await again.done;
  const log = `${describeEvents(again.events)}\n${result.stderr}`;
  assert.equal(result.code, 0, log);
  const refetched = eventsOf(again.events, 'task-started').filter((e) => done.has(e.key)).map((e) => e.key);
  assert.deepEqual(refetched, [], 'POs finished before the stop are not fetched again');
  const { rows } = await readResultsCsv(job.outDir);
  assertReportMatchesTruth(rows, sim.truth.pos);
  await assertFilesMatchTruth(job.outDir, rows, sim.truth.pos);
  assert.deepEqual(await again.watch.survivors([`${CLONE_PREFIX}${again.pid}-`]), [], 'no browser process of the re-run is left');
}

// Two runs in one test (the stopped one and the re-run): more room than the suite default.
test('Ctrl-C mid-run lets running POs finish, exits 130 with no browser left, and the same command resumes to the end', { timeout: 600_000 }, async () => {
  const sim = await startSimulator({ pos: 24, seed: 21, auth: { mode: 'sso' }, heavyPages: false, pageLatencyMs: 1_000 });
  const job = await preparePoolJob(sim, sim.truth.pos);
  const flags = ['--workers', '2', '--isolation', 'browser', '--shutdown-grace-ms', '20000'];
  try {
    const run = startPoolRun(job, flags);
    await run.waitForEvent(() => eventsOf(run.events, 'task-finished').length >= 3);
    run.signal('SIGINT');
    await assertStoppedCleanly(run, job, sim.truth.pos);
    assert.deepEqual(eventsOf(run.events, 'interrupt').map((e) => e.second), [false]);
    // Within the grace period the POs in progress at Ctrl-C end normally rather than being handed back.
    const at = run.events.findIndex((e) => e.type === 'interrupt');
    const before = run.events.slice(0, at);
    const running = eventsOf(before, 'task-started').map((e) => e.key).filter((key) => !eventsOf(before, 'task-finished').some((e) => e.key === key));
    const finishedAfter = eventsOf(run.events.slice(at), 'task-finished').map((e) => e.key);
    assert.ok(running.length > 0 && running.every((key) => finishedAfter.includes(key)), `POs in progress at Ctrl-C finished: ${running.join()}\n${describeEvents(run.events)}`);
    await assertRerunCompletes(job, sim, flags, run);
  } finally {
    await sim.close();
    await job.remove();
  }
});

test('a second Ctrl-C stops at once even while POs hang, with no browser left, and the same command resumes to the end', { timeout: 600_000 }, async () => {
  const sim = await startSimulator({ pos: 12, seed: 22, auth: { mode: 'sso' }, heavyPages: false, pageLatencyMs: 300 });
  const [first, second] = sim.truth.pos;
  assert.ok(first !== undefined && second !== undefined);
  // Pages that never load and limits that never run out: only the second Ctrl-C can end this run.
  sim.setFaults({ byPo: { [first.id]: { neverFinishes: true }, [second.id]: { neverFinishes: true } } });
  const job = await preparePoolJob(sim, sim.truth.pos);
  const flags = ['--workers', '2', '--shutdown-grace-ms', '600000', '--navigation-timeout-ms', '600000', '--po-deadline-ms', '7200000'];
  try {
    const run = startPoolRun(job, flags);
    const stuck = new Set([first.poNumber, second.poNumber]);
    await run.waitForEvent(() => new Set(eventsOf(run.events, 'task-started').filter((e) => stuck.has(e.key)).map((e) => e.key)).size === 2);
    run.signal('SIGINT');
    await run.waitForEvent((e) => e.type === 'interrupt');
    run.signal('SIGINT');
    await assertStoppedCleanly(run, job, sim.truth.pos);
    assert.deepEqual(eventsOf(run.events, 'interrupt').map((e) => e.second), [false, true]);
    const { rows } = await readResultsCsv(job.outDir);
    assert.deepEqual(rows.filter((row) => stuck.has(row['PO_NUMBER'] ?? '')).map((row) => row['STATUS']), ['PENDING', 'PENDING']);

    sim.setFaults({});
    await assertRerunCompletes(job, sim, flags, run);
  } finally {
    await sim.close();
    await job.remove();
  }
});
