import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkRun } from '../support/truth-check.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { describeEvents, eventsOf, preparePoolJob, startPoolRun, type PoolJob, type PoolRun } from '../support/pool-harness.ts';
import { assertResumableState } from '../support/pool-report.ts';

/**
 * A run through Coupa's API stopped the two ways users stop runs — SIGKILL (a power cut, as near
 * as a test gets) and Ctrl-C — then the same command again: nothing lost, duplicated or left
 * behind, and POs finished before the stop are not fetched again.
 */
describe('coupa-dl run --source api, stopped and run again', () => {
  let sim: Simulator;
  let job: PoolJob;
  // Slow files, and a pace slow enough that the stop lands mid-run with files half saved.
  const flags = ['--source', 'api', '--workers', '4', '--api-rate', '8', '--shutdown-grace-ms', '20000'];

  before(async () => {
    sim = await startSimulator({ pos: 24, seed: 9, heavyPages: false, pageLatencyMs: 50, fileLatencyMs: 400 });
    const prepared = await preparePoolJob(sim, sim.truth.pos);
    job = { ...prepared, env: { ...prepared.env, COUPA_CLIENT_ID: sim.apiClient.clientId, COUPA_CLIENT_SECRET: sim.apiClient.clientSecret } };
  });

  after(async () => {
    await sim?.close();
    await job?.remove();
  });

  const rows = () => sim.truth.pos.map((po) => ({ poNumber: po.poNumber, status: po.expectedStatus, truth: po }));

  /** The same command again: exit 0, every PO right, and none finished before fetched again. */
  async function rerun(first: PoolRun): Promise<void> {
    const done = new Set(eventsOf(first.events, 'task-finished').map((e) => e.key));
    const again = startPoolRun(job, flags);
    const result = await again.done;
    assert.equal(result.code, 0, `${describeEvents(again.events)}\n${result.stderr}`);
    assert.deepEqual(eventsOf(again.events, 'task-started').filter((e) => done.has(e.key)).map((e) => e.key), [], 'POs finished before the stop are not fetched again');
    assert.deepEqual(await checkRun({ outDir: job.outDir, baseUrl: sim.url, extraColumns: [], rows: rows() }), []);
  }

  it('after SIGKILL mid-batch, the same command ends every PO right with each file once', async () => {
    const killed = startPoolRun(job, [...flags, '--fresh']);
    await killed.waitForEvent(() => eventsOf(killed.events, 'task-finished').length >= 5);
    // Best moment: while a PO's files are half saved; not every run shows one in time.
    for (let tries = 0; tries < 100 && !(await hasWorkFolder(job.outDir)); tries += 1) await sleep(50);
    killed.signal('SIGKILL');
    const ended = await killed.done;
    assert.equal(ended.signal, 'SIGKILL');
    assert.ok(eventsOf(killed.events, 'task-finished').length < sim.truth.pos.length, 'the run finished before it could be killed');
    await rerun(killed);
  });

  it('after Ctrl-C, running POs finish, the run exits 130 resumably, and the same command finishes the job', async () => {
    const stopped = startPoolRun(job, [...flags, '--fresh']);
    await stopped.waitForEvent(() => eventsOf(stopped.events, 'task-finished').length >= 3);
    stopped.signal('SIGINT');
    const result = await stopped.done;
    const log = `${describeEvents(stopped.events)}\n${result.stderr}`;
    assert.equal(result.code, 130, log);
    assert.match(result.stderr, /stopping/i);
    // Within the grace period the POs in progress at Ctrl-C end normally rather than being handed back.
    const at = stopped.events.findIndex((e) => e.type === 'interrupt');
    const before = stopped.events.slice(0, at);
    const running = eventsOf(before, 'task-started').map((e) => e.key).filter((key) => !eventsOf(before, 'task-finished').some((e) => e.key === key));
    const finishedAfter = eventsOf(stopped.events.slice(at), 'task-finished').map((e) => e.key);
    assert.ok(running.length > 0 && running.every((key) => finishedAfter.includes(key)), `POs in progress at Ctrl-C finished: ${running.join()}\n${log}`);
    const left = await assertResumableState(job.outDir, sim.truth.pos);
    assert.ok(left.some((row) => row['STATUS'] === 'PENDING'), 'the stop left work for the next run');
    await rerun(stopped);
  });
});

async function hasWorkFolder(out: string): Promise<boolean> {
  const entries = await readdir(out, { recursive: true }).catch(() => []);
  return entries.some((entry) => entry.endsWith('__WORK'));
}
