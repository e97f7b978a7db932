import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, writeSession, writeSheet } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

/** What a run prints when its output is not a terminal (a log file, CI) and with --json (for scripts). */
describe('coupa-dl run output without a terminal', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let common: string[] = [];
  const env = (): Record<string, string> => ({ XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path });

  before(async () => {
    sim = await startSimulator({ pos: 4, seed: 5, auth: { mode: 'sso' }, heavyPages: false });
    work = await tempDir('coupa-dl-e2e-output-');
    const sheet = await writeSheet(join(work.path, 'pos.csv'), sim.truth.pos.map((po) => po.poNumber));
    const session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
    common = ['--input', sheet, '--base-url', sim.url, '--storage-state', session, '--workers', '2'];
  });
  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  it('prints one plain line per PO, `[n/N] PO STATUS`, then the summary', async () => {
    const out = join(work.path, 'plain');
    const run = await runCli(['run', ...common, '--out', out], { cwd: work.path, env: env() });
    assert.equal(run.code, 0, run.stdout + run.stderr);

    const finished = [...run.stdout.matchAll(/^\[(\d+)\/(\d+)\] (P[OM]\d+) {2}([A-Z_]+)/gm)];
    assert.deepEqual(finished.map((m) => Number(m[1])), [1, 2, 3, 4], run.stdout);
    assert.ok(finished.every((m) => m[2] === '4'));
    assert.deepEqual(finished.map((m) => m[3]).sort(), sim.truth.pos.map((po) => po.poNumber).sort());
    for (const po of sim.truth.pos) assert.ok(finished.some((m) => m[3] === po.poNumber && m[4] === po.expectedStatus), `${po.poNumber} should end ${po.expectedStatus}`);
    assert.match(run.stdout, /^Finished in .*: 4 of 4 POs\./m);
    assert.match(run.stdout, new RegExp(`^Report: +${join(out, 'results').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`, 'm'));
    // No cursor movement or colour: the output reads the same in a log file.
    assert.ok(!run.stdout.includes('\u001b['), 'escape sequences in the output');
  });

  it('prints only JSON lines with --json, each with a type and a time, one task-finished per PO', async () => {
    const out = join(work.path, 'json');
    const run = await runCli(['run', ...common, '--out', out, '--json'], { cwd: work.path, env: env() });
    assert.equal(run.code, 0, run.stdout + run.stderr);

    const lines = run.stdout.split('\n').filter((line) => line !== '');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const record of records) {
      assert.equal(typeof record['type'], 'string');
      assert.ok(!Number.isNaN(Date.parse(String(record['time']))), `no time in ${JSON.stringify(record)}`);
    }
    const types = records.map((r) => r['type']);
    assert.equal(types.filter((t) => t === 'run-started').length, 1);
    assert.equal(types.filter((t) => t === 'run-finished').length, 1);
    assert.ok(types.indexOf('run-started') < types.indexOf('run-finished'));
    const finished = records.filter((r) => r['type'] === 'task-finished');
    assert.deepEqual(finished.map((r) => r['key']).sort(), sim.truth.pos.map((po) => po.poNumber).sort());
    for (const po of sim.truth.pos) assert.equal(finished.find((r) => r['key'] === po.poNumber)?.['status'], po.expectedStatus);
  });
});
