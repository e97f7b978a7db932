import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { runCli, startCli, writeSheet } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/** A browser's "User Data" folder as Chrome leaves it while it runs: Local State, Default, lock symlinks. */
async function fakeProfileRoot(root: string, names: Record<string, string>): Promise<void> {
  const infoCache = Object.fromEntries(Object.entries(names).map(([dir, name]) => [dir, { name }]));
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'Local State'), JSON.stringify({ profile: { info_cache: infoCache } }));
  await symlink('coupa-test-host-4242', join(root, 'SingletonLock'));
  for (const dir of Object.keys(names)) {
    await mkdir(join(root, dir, 'Cache'), { recursive: true });
    await writeFile(join(root, dir, 'Preferences'), JSON.stringify({ profile: { name: names[dir] } }));
    await writeFile(join(root, dir, 'Cache', 'data_0'), 'cached bytes');
    await symlink('coupa-test-host-4242', join(root, dir, 'SingletonLock'));
  }
}

/** Path → content hash (symlinks by their target), for every entry under the folder. */
async function fingerprint(root: string): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const full = join(entry.parentPath, entry.name);
    const info = await lstat(full);
    const content = info.isSymbolicLink() ? `link:${await readlink(full)}` : info.isFile() ? await readFile(full) : `dir`;
    result.set(relative(root, full), `${info.mode}:${info.mtimeMs}:${createHash('sha256').update(content).digest('hex')}`);
  }
  return result;
}

/** This run's private folders in the temp dir, found by the owner pid in their names. */
async function foldersOf(pid: number | undefined): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith(`coupa-dl-profile-${pid}-`));
}

describe('browser profiles', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  const env = (): Record<string, string> => ({ XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path });

  before(async () => {
    sim = await startSimulator({ pos: 4, seed: 2, heavyPages: false, auth: { mode: 'none' }, pageLatencyMs: 400 });
    work = await tempDir('coupa-dl-e2e-profiles-');
  });

  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  it('`profiles` says where it looked when there are none', async () => {
    const run = await runCli(['profiles'], { cwd: work.path, env: env() });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /No Edge, Chrome or Chromium profiles found/);
    assert.ok(run.stdout.includes(join(work.path, 'config', 'microsoft-edge')), run.stdout);
    assert.ok(run.stdout.includes(join(work.path, 'config', 'google-chrome')), run.stdout);
  });

  it('`profiles` lists each profile with its browser, name, folder and whether the browser is open, and how to use one', async () => {
    await fakeProfileRoot(join(work.path, 'config', 'google-chrome'), { Default: 'Person 1', 'Profile 2': 'Work' });
    const run = await runCli(['profiles'], { cwd: work.path, env: env() });
    assert.equal(run.code, 0, run.stderr);
    const work2 = run.stdout.split('\n').find((text) => text.includes('Work'));
    assert.match(work2 ?? '', /Chrome\s+Work\s+.*google-chrome\/Profile 2\s+yes/);
    assert.match(run.stdout, /Chrome\s+Person 1\s+.*google-chrome\/Default/);
    assert.match(run.stdout, /--profile "Person 1"/);
  });

  it('runs on a copy of a profile given by path, leaves the original as it was and removes the copy', async () => {
    const root = join(work.path, 'User Data');
    await fakeProfileRoot(root, { Default: 'Person 1' });
    const before = await fingerprint(root);
    const sheet = await writeSheet(join(work.path, 'pos.csv'), sim.truth.pos.map((po) => po.poNumber));
    const started = startCli(['run', '--input', sheet, '--out', join(work.path, 'out'), '--base-url', sim.url, '--profile', root, '--workers', '2'], { cwd: work.path, env: env() });
    const run = await started.done;
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(await fingerprint(root), before);
    assert.deepEqual(await foldersOf(started.child.pid), []);
  });

  it('removes the copy a SIGKILLed run left behind when the next run starts', async () => {
    const root = join(work.path, 'User Data');
    const sheet = await writeSheet(join(work.path, 'killed.csv'), sim.truth.pos.map((po) => po.poNumber));
    const args = ['run', '--input', sheet, '--out', join(work.path, 'killed'), '--base-url', sim.url, '--profile', root, '--workers', '2'];
    const killed = startCli(args, { cwd: work.path, env: env() });
    const deadline = Date.now() + 120_000;
    // The copy is made before the batch starts; wait for the batch so the copy surely exists.
    while (!/\[1\/4\]/.test(killed.output()) && Date.now() < deadline && killed.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 100));
    const left = await foldersOf(killed.child.pid);
    killed.child.kill('SIGKILL');
    await killed.done;
    assert.ok(left.length > 0, `the killed run had its copy: ${killed.output()}`);
    assert.ok(left.every((name) => existsSync(join(tmpdir(), name))), 'a killed run cannot clean up');

    const next = await runCli(args, { cwd: work.path, env: env() });
    assert.equal(next.code, 0, next.stdout + next.stderr);
    assert.deepEqual(left.filter((name) => existsSync(join(tmpdir(), name))), []);
  });
});
