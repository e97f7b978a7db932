import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { runCli, writeSheet, type CliRun } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { checkRun } from '../support/truth-check.ts';

const username = 'ana.buyer';
const password = 'Pa55-w0rd!only-in-env-7f3a';

/** Every file under a folder, read as bytes (the SQLite state file and the run logs included). */
async function everyFile(root: string): Promise<{ path: string; bytes: Buffer }[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(files.map(async (path) => ({ path, bytes: await readFile(path) })));
}

/** Runs against an instance with Coupa's own password form, signed in with COUPA_USERNAME/COUPA_PASSWORD. */
describe('coupa-dl run with COUPA_USERNAME and COUPA_PASSWORD', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let run: CliRun;
  const env = (extra: Record<string, string>): Record<string, string> => ({ XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path, ...extra });
  const out = (): string => join(work.path, 'out');

  before(async () => {
    sim = await startSimulator({ pos: 8, seed: 21, heavyPages: false, auth: { mode: 'password', username, password, expireAfterPageViews: 5 } });
    work = await tempDir('coupa-dl-e2e-password-');
    const sheet = await writeSheet(join(work.path, 'pos.csv'), sim.truth.pos.map((po) => po.poNumber));
    run = await runCli(['run', '--input', sheet, '--out', out(), '--base-url', sim.url, '--workers', '2'], {
      cwd: work.path,
      env: env({ COUPA_USERNAME: username, COUPA_PASSWORD: password }),
    });
  });

  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  it('signs in with the password at the start and again at every expiry, and every PO ends as the truth says', async () => {
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const rows = sim.truth.pos.map((po) => ({ poNumber: po.poNumber, status: po.expectedStatus, truth: po }));
    assert.deepEqual(await checkRun({ outDir: out(), baseUrl: sim.url, extraColumns: [], rows }), []);
    assert.match(run.stdout, /paused: session lost \(SESSION_EXPIRED\)/);
    assert.ok(sim.stats().signIns >= 2, 'signed in again after the session expired');
  });

  it('writes the password nowhere: not in the output folder, the state file, the logs, stdout or stderr', async () => {
    const files = await everyFile(out());
    assert.ok(files.some((file) => file.path.endsWith('state.sqlite')), 'the state file was checked');
    assert.ok(files.some((file) => file.path.includes('logs')), 'a run log was checked');
    const needle = Buffer.from(password);
    assert.deepEqual(files.filter((file) => file.bytes.includes(needle)).map((file) => file.path), []);
    assert.equal(run.stdout.includes(password), false);
    assert.equal(run.stderr.includes(password), false);
  });

  it('exits 2 with Coupa\'s message and writes nothing when the password is wrong', async () => {
    const wrongOut = join(work.path, 'wrong', 'out');
    const sheet = join(work.path, 'pos.csv');
    const wrong = 'not-the-Pa55word-9c1e';
    const signInsBefore = sim.stats().signIns;
    const failed = await runCli(['run', '--input', sheet, '--out', wrongOut, '--base-url', sim.url, '--workers', '2'], {
      cwd: work.path,
      env: env({ COUPA_USERNAME: username, COUPA_PASSWORD: wrong }),
    });
    assert.equal(failed.code, 2, failed.stdout + failed.stderr);
    assert.match(failed.stderr, /Coupa did not accept the sign-in for user "ana\.buyer": Invalid login or password\./);
    assert.match(failed.stderr, /What to do: .*user name and password/);
    assert.equal(failed.stderr.includes(wrong) || failed.stdout.includes(wrong), false, 'the wrong password is not echoed either');
    assert.equal(existsSync(wrongOut), false, 'the output folder was not created');
    assert.equal(sim.stats().signIns, signInsBefore);
  });
});
