import assert from 'node:assert/strict';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { installedPackage, registryNode, type InstalledPackage } from '../support/built-package.ts';
import { cliEnv } from '../support/cli.ts';
import { checkDemo } from '../support/demo-check.ts';
import { runProgram, WARNING } from '../support/program-run.ts';
import { tempDir } from '../support/temp-dir.ts';

/** The oldest Node.js the bundle is built for (package.json's engines: >=22.19), from the registry. */
const NODE_22 = '22.23.2';

/**
 * The npm-installed package on Node.js 22, the oldest line it supports: the bundle must parse there
 * (src/ uses `await using`, which Node 22 cannot), and Node 22's warning about node:sqlite must not show.
 */
describe('coupa-dl installed with npm, on Node.js 22', () => {
  let installed: InstalledPackage;
  let node22 = '';
  let work: { path: string; remove(): Promise<void> };

  before(async () => {
    [installed, node22] = await Promise.all([installedPackage(), registryNode(NODE_22)]);
    work = await tempDir('coupa-dl-e2e-node22-');
  });
  after(async () => {
    await work?.remove();
  });

  it('runs the demo on Node.js 22 with every PO right and no warning', async () => {
    // The command's `#!/usr/bin/env node` finds Node 22 first on the PATH, as on a user's machine with it.
    const env = cliEnv({ PATH: [installed.binDir, dirname(node22), process.env['PATH'] ?? ''].join(delimiter), HOME: work.path, XDG_CONFIG_HOME: join(work.path, 'config') });
    // doctor names the Node.js it runs on: proof that this is Node 22, not the tests' own.
    const doctor = await runProgram(join(installed.binDir, 'coupa-dl'), ['doctor'], { cwd: work.path, env });
    assert.match(doctor.stdout, new RegExp(`^✓ Node.js: ${NODE_22.replaceAll('.', '\\.')}$`, 'm'), doctor.stdout + doctor.stderr);

    const demo = await runProgram(join(installed.binDir, 'coupa-dl'), ['demo', '--pos', '12', '--latency-ms', '20'], { cwd: work.path, env });

    assert.equal(demo.code, 0, demo.stdout + demo.stderr);
    assert.deepEqual(await checkDemo(work.path, demo.stdout, 12), []);
    assert.doesNotMatch(demo.stdout + demo.stderr, WARNING);
  });
});
