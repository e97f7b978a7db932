import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../src/simulator/index.ts';
import { installedPackage, nodeFirstPath, packedTarball, type InstalledPackage, type PackedTarball } from '../support/built-package.ts';
import { cliEnv, repoRoot, writeSession } from '../support/cli.ts';
import { checkDemo } from '../support/demo-check.ts';
import { runProgram, WARNING } from '../support/program-run.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * The npm package as a user gets it: `npm pack` (which builds), `npm install -g` of the tarball
 * into a fresh prefix, then the `coupa-dl` command npm made, run from a folder that is not the
 * repository, on the Node.js that runs the tests.
 */
describe('coupa-dl installed with npm install -g from the packed tarball', () => {
  let packed: PackedTarball;
  let installed: InstalledPackage;
  let work: { path: string; remove(): Promise<void> };
  const env = (): NodeJS.ProcessEnv => cliEnv({ PATH: nodeFirstPath([installed.binDir, process.env['PATH'] ?? ''].join(delimiter)), HOME: work.path, XDG_CONFIG_HOME: join(work.path, 'config') });
  const coupaDl = (args: readonly string[]) => runProgram(join(installed.binDir, 'coupa-dl'), args, { cwd: work.path, env: env() });

  before(async () => {
    packed = await packedTarball();
    installed = await installedPackage();
    work = await tempDir('coupa-dl-e2e-installed-');
  });
  after(async () => {
    await work?.remove();
  });

  it('packs the launcher, the bundle and the docs, and depends on nothing', async () => {
    assert.deepEqual([...packed.files].sort(), ['README.md', 'bin/coupa-dl.js', 'dist/THIRD-PARTY-LICENSES.txt', 'dist/coupa-dl.mjs', 'dist/quiet-warnings.mjs', 'docs/user-guide.md', 'package.json']);
    const manifest = JSON.parse(await readFile(join(installed.packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest['dependencies'], undefined);
    assert.deepEqual(manifest['engines'], { node: '>=22.19' });
    assert.ok(!existsSync(join(installed.packageDir, 'node_modules')), 'npm installed dependencies with the package');
    assert.ok(!existsSync(join(installed.packageDir, 'src')), 'the package carries src/');
  });

  it('installs without a warning and puts the coupa-dl command on the prefix', () => {
    assert.doesNotMatch(installed.stdout + installed.stderr, WARNING);
    assert.ok(existsSync(join(installed.binDir, 'coupa-dl')));
  });

  it('prints its help and its version, and nothing else', async () => {
    const help = await coupaDl(['--help']);
    assert.equal(help.code, 0, help.stdout + help.stderr);
    assert.match(help.stdout, /^Usage: coupa-dl \[options\] \[command\]/);
    assert.equal(help.stderr, '');

    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const printed = await coupaDl(['--version']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(printed.stdout, `${version}\n`);
    assert.equal(printed.stderr, '');
  });

  it('runs the demo: every PO of the sample sheet as the simulator says, the report, and commands without npx', async () => {
    const demo = await coupaDl(['demo', '--pos', '12', '--latency-ms', '20']);

    assert.equal(demo.code, 0, demo.stdout + demo.stderr);
    assert.deepEqual(await checkDemo(work.path, demo.stdout, 12), []);
    assert.doesNotMatch(demo.stdout + demo.stderr, WARNING);
    // The tool was installed with npm: the user types `coupa-dl`, not `npx coupa-dl`.
    assert.match(demo.stdout, /^ {2}coupa-dl login --base-url /m);
    assert.doesNotMatch(demo.stdout + demo.stderr, /npx /);
  });

  it('passes every doctor check against a reachable Coupa with a signed-in session file', async () => {
    const sim = await startSimulator({ pos: 2, seed: 1, auth: { mode: 'sso' }, heavyPages: false });
    try {
      const session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
      const doctor = await coupaDl(['doctor', '--base-url', sim.url, '--storage-state', session, '--out', join(work.path, 'doctor-out')]);

      assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
      assert.match(doctor.stdout, new RegExp(`^✓ Node.js: ${process.versions.node}$`, 'm'));
      assert.doesNotMatch(doctor.stdout, /^✗/m);
      assert.doesNotMatch(doctor.stdout + doctor.stderr, WARNING);
    } finally {
      await sim.close();
    }
  });
});
