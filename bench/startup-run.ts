import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { linuxProgram } from '../scripts/package.ts';
import { REPO_ROOT } from './cli-run.ts';
import { measureStartup, startupTable, type StartCommand, type StartupFigures } from './startup.ts';

const run = promisify(execFile);

/**
 * `npm run bench -- --startup`: the start-up figures (docs/benchmark.md, "Start-up") for every way
 * the tool is started — from the source (`node bin/coupa-dl.js`, `npx coupa-dl`), the bundle
 * (`node <package>/bin/coupa-dl.js` of the packed tarball), the npm-installed `coupa-dl` and the Linux
 * standalone program — made here from the current source: `npm pack`, `npm install -g` into a
 * temporary prefix, the standalone program built next to it.
 */
export async function runStartupBench(options: { browserPath: string; repeat: number }): Promise<StartupFigures[]> {
  const folder = await mkdtemp(join(tmpdir(), 'coupa-startup-bench-'));
  try {
    // The bench's own Node (the pinned one under `npm run`) runs npm and every `node` below.
    const path = [dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter);
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('COUPA_') && !name.startsWith('npm_'))), PATH: path };
    const npm = (args: string[], cwd: string) => run('npm', args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });

    console.error('Packing (npm pack builds the bundle), installing it, building the Linux program…');
    const packed = JSON.parse((await npm(['pack', '--json', '--pack-destination', folder], REPO_ROOT)).stdout.replace(/^[^[]*/, '')) as { filename: string }[];
    const tarball = join(folder, packed[0]?.filename ?? '');
    const unpacked = join(folder, 'unpacked');
    await mkdir(unpacked);
    await run('tar', ['-xzf', tarball, '-C', unpacked]);
    const prefix = join(folder, 'prefix');
    await npm(['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', tarball], folder);
    const program = join(folder, 'coupa-dl-linux-x64');
    await linuxProgram(program);

    const away = join(folder, 'elsewhere');
    await mkdir(away);
    const commands: StartCommand[] = [
      { label: 'source: `node bin/coupa-dl.js` (checkout)', file: process.execPath, args: ['--max-semi-space-size=16', join(REPO_ROOT, 'bin', 'coupa-dl.js')], cwd: REPO_ROOT, env },
      { label: 'source: `npx coupa-dl` (checkout)', file: 'npx', args: ['coupa-dl'], cwd: REPO_ROOT, env },
      { label: 'bundle: `node package/bin/coupa-dl.js`', file: process.execPath, args: ['--max-semi-space-size=16', join(unpacked, 'package', 'bin', 'coupa-dl.js')], cwd: away, env },
      { label: 'installed: `coupa-dl` (npm install -g)', file: join(prefix, 'bin', 'coupa-dl'), args: [], cwd: away, env: { ...env, PATH: [join(prefix, 'bin'), path].join(delimiter) } },
      { label: 'standalone: `coupa-dl-linux-x64`', file: program, args: [], cwd: away, env },
    ];
    console.error(`Measuring ${String(commands.length)} ways to start, ${String(options.repeat)} rounds…`);
    const rows = await measureStartup(commands, options);
    console.log(startupTable(rows));
    return rows;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
