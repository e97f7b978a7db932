import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, writeSession } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

/** `coupa-dl doctor`: every check a run depends on, each ✓ or ✗ with a fix. */
describe('coupa-dl doctor', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let session = '';
  const env = (): Record<string, string> => ({ XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path });

  before(async () => {
    sim = await startSimulator({ pos: 2, seed: 1, auth: { mode: 'sso' }, heavyPages: false });
    work = await tempDir('coupa-dl-e2e-doctor-');
    session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
  });
  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  it('passes every check against a reachable Coupa with a signed-in session file', async () => {
    const out = join(work.path, 'out');
    const run = await runCli(['doctor', '--base-url', sim.url, '--storage-state', session, '--out', out], { cwd: work.path, env: env() });

    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (const check of ['Browser', 'Node.js', 'Sign-in', 'Coupa reachable', 'Signed in', 'Output folder writable', 'Free disk space']) {
      assert.match(run.stdout, new RegExp(`^✓ ${check}: `, 'm'), `${check} should pass:\n${run.stdout}`);
    }
    assert.doesNotMatch(run.stdout, /^✗/m);
    assert.match(run.stdout, new RegExp(`^✓ Sign-in: session file ${session.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(saved `, 'm'));
    // The session's cookies never reach the screen.
    const cookie = sim.createStorageState().cookies[0]?.value ?? 'no cookie';
    assert.ok(!run.stdout.includes(cookie) && !run.stderr.includes(cookie));
  });

  it('fails "Coupa reachable" with a fix, and exits 1, when nothing answers at the address', async () => {
    // The simulator's port, on an address it does not listen on.
    const wrong = sim.url.replace('127.0.0.1', '127.0.0.2');
    const run = await runCli(['doctor', '--base-url', wrong, '--storage-state', session], { cwd: work.path, env: env() });

    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^✗ Coupa reachable: .* could not be reached/m);
    assert.match(run.stdout, /^✗ Coupa reachable: .*\n {4}Fix: Check the address/m);
    assert.match(run.stdout, /^✗ Signed in: not checked/m);
    assert.match(run.stdout, /^✓ Browser: /m);
    assert.match(run.stdout, /check(s)? failed/);
  });

  it('says which sign-in is missing and how to get it when there is none', async () => {
    const run = await runCli(['doctor', '--base-url', sim.url], { cwd: work.path, env: env() });

    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^✗ Sign-in: no saved login session for 127\.0\.0\.1:\d+\n {4}Fix: Run `coupa-dl login --base-url /m);
    assert.match(run.stdout, /^✓ Coupa reachable: /m);
  });
});
