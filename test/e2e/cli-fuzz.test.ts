import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { runProgram } from '../../src/cli/program.ts';
import type { App } from '../../src/job/app.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { testBrowserPath } from '../support/browser.ts';
import { startCli, type CliRun } from '../support/cli.ts';
import { fuzzCases, type FuzzCase } from '../support/fuzz-inputs.ts';
import { readResultsCsv } from '../support/results-files.ts';
import { tempDir } from '../support/temp-dir.ts';

// Every temporary file of this test process and of the CLIs it starts (the tool's, Playwright's,
// Chromium's) goes under `root`, which the test watches; HOME and XDG_CONFIG_HOME too.
const rootDir = await tempDir('coupa-dl-fuzz-');
const root = rootDir.path;
const tmp = join(root, 'tmp');
const home = join(root, 'home');
const appData = join(home, '.config', 'coupa-downloads');
mkdirSync(tmp, { recursive: true });
mkdirSync(home, { recursive: true });
process.env['TMPDIR'] = tmp;

const STACK_LINE = /^\s+at \S.*(:\d+:\d+\)?|\(native\))$/m;

/** Every file and folder under `folder` (relative, `/`-separated) with its size; folders as size -1. */
async function snapshot(folder: string): Promise<Map<string, number>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    const size = entry.isFile() ? (await lstat(path).catch(() => null))?.size ?? -2 : -1;
    seen.set(relative(folder, path).split(sep).join('/'), size);
  }
  return seen;
}

function changed(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([path, size]) => before.get(path) !== size && size !== -1).map(([path]) => path);
}

/** A stdout or stderr for an in-process run. */
function capture(): { stream: Writable; text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('coupa-dl on malformed and hostile inputs', () => {
  let sim: Simulator;
  let cases: FuzzCase[] = [];
  let session = '';
  const env = (extra: Readonly<Record<string, string>> = {}): Record<string, string> => ({
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    TMPDIR: tmp,
    COUPA_BROWSER: testBrowserPath,
    ...extra,
  });

  before(async () => {
    sim = await startSimulator({ pos: 3, seed: 11, heavyPages: false });
    cases = await fuzzCases(sim.truth.pos.map((po) => po.poNumber));
    session = join(root, 'session.json');
    await writeFile(session, JSON.stringify(sim.createStorageState()));
  });
  after(async () => {
    await sim?.close();
    await rootDir.remove();
  });

  async function prepare(index: number, fuzz: FuzzCase): Promise<{ folder: string; args: string[]; out: string }> {
    const folder = join(root, 'work', `case-${index}`);
    await mkdir(folder, { recursive: true });
    for (const [name, content] of Object.entries(fuzz.files)) {
      await mkdir(dirname(join(folder, name)), { recursive: true });
      await writeFile(join(folder, name), content);
    }
    const args = fuzz.args.map((arg) => arg.replace('{out}', 'out').replace('{url}', sim.url).replace('{session}', session).replace('{work}', folder));
    const outAt = args.indexOf('--out');
    const out = join(folder, outAt >= 0 && args[outAt + 1] !== undefined ? args[outAt + 1] ?? 'out' : 'out');
    return { folder, args, out };
  }

  function inProcess(folder: string, args: readonly string[], extra: Readonly<Record<string, string>> = {}): Promise<CliRun> {
    const stdout = capture();
    const stderr = capture();
    const app: App = {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: env(extra),
      cwd: folder,
      platform: process.platform,
      homedir: home,
      pid: process.pid,
      isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
      interrupt: new AbortController().signal,
      kill: new AbortController().signal,
      isInteractive: false,
      commandName: 'coupa-dl',
    };
    return runProgram(app, ['node', 'coupa-dl', ...args]).then(
      (code) => ({ code, signal: null, stdout: stdout.text(), stderr: stderr.text() }),
      (error: unknown) => ({ code: -1, signal: null, stdout: stdout.text(), stderr: `${stderr.text()}\nTHROWN OUT OF runProgram: ${error instanceof Error ? error.stack : String(error)}` }),
    );
  }

  /** Exit 2 with words, or a correct run; never a stack trace or "Unexpected error". */
  async function judge(fuzz: FuzzCase, run: CliRun, out: string): Promise<string[]> {
    const problems: string[] = [];
    const output = `${run.stdout}\n${run.stderr}`;
    if (STACK_LINE.test(output)) problems.push('prints a stack trace');
    if (/Unexpected error|a bug, please report/i.test(output)) problems.push('says "Unexpected error"');
    if (fuzz.reportRows === undefined) {
      if (run.code === 2) {
        if (run.stderr.trim() === '') problems.push('exit 2 without a word');
      } else if (run.code !== 0) problems.push(`exit ${String(run.code)}`);
    } else if (run.code !== 0) {
      problems.push(`exit ${String(run.code)} where a correct run was expected`);
    }
    if (run.code === 0 && !/^(report|--help|--version)$/.test(fuzz.args[0] ?? '')) {
      if (!existsSync(join(out, 'results.csv'))) problems.push('exit 0 without results.csv');
      else {
        const { grid } = await readResultsCsv(out, { raggedRows: true });
        if (fuzz.reportRows !== undefined && grid.length !== fuzz.reportRows) problems.push(`results.csv has ${grid.length} rows, expected ${fuzz.reportRows}`);
        // Cells from the sheet or Coupa must never run as formulas when Excel opens the CSV.
        for (const cells of grid) for (const cell of cells) if (/^[=+@\t\r]|^-[^\d]/.test(cell)) problems.push(`results.csv has an unguarded formula cell: ${cell.slice(0, 40)}`);
      }
    }
    return problems;
  }

  /**
   * New or changed files outside the output folder, the app-data folder and the temp folder.
   * Two places are the browser's own, written whatever `--user-data-dir` says, as when the user
   * opens Chromium: its crash-report settings in its default config folder and GTK's dconf cache.
   */
  function strayWrites(before: Map<string, number>, after: Map<string, number>, out: string): string[] {
    const browserOwn = ['home/.config/chromium/Crash Reports', 'home/.cache/dconf'];
    const allowed = [relative(root, out), relative(root, appData), relative(root, tmp), ...browserOwn].map((path) => path.split(sep).join('/'));
    return changed(before, after).filter((path) => !allowed.some((place) => path === place || path.startsWith(`${place}/`)));
  }

  it('ends every input with exit 2 and words, or a correct run; no stack trace; nothing written elsewhere', async () => {
    assert.ok(cases.length >= 100, `only ${cases.length} cases`);
    const failures: string[] = [];
    let spawned = 0;
    for (const [index, fuzz] of cases.entries()) {
      const ways: ('in-process' | 'cli')[] = fuzz.spawn === true ? ['in-process', 'cli'] : ['in-process'];
      if (fuzz.spawn === true) spawned += 1;
      for (const way of ways) {
        // Each way starts from the case's own files (a run may have changed or removed them).
        await rm(join(root, 'work', `case-${index}`), { recursive: true, force: true });
        const { folder, args, out } = await prepare(index, fuzz);
        const before = await snapshot(root);
        const run = way === 'cli' ? await startCli(args, { cwd: folder, env: env(fuzz.env), timeoutMs: 120_000 }).done : await inProcess(folder, args, fuzz.env);
        const after = await snapshot(root);
        const problems = [...(await judge(fuzz, run, out)), ...strayWrites(before, after, out).map((path) => `wrote ${path}`)];
        const said = (run.stderr || run.stdout).trim().split('\n').slice(0, 6).map((text) => text.slice(0, 300));
        if (problems.length > 0) failures.push(`${fuzz.name} (${way}, exit ${String(run.code)}): ${problems.join('; ')}\n    ${said.join('\n    ')}`);
      }
    }
    assert.ok(spawned >= 10, `only ${spawned} cases through the real CLI`);
    assert.deepEqual(failures, []);
  });

  it('runs sheets of 200,000 rows (CSV and workbook), one report row each', async () => {
    const pos = sim.truth.pos.map((po) => po.poNumber);
    const rows = 200_000;
    const folder = join(root, 'work', 'big');
    await mkdir(folder, { recursive: true });
    const lines = ['PO_NUMBER,NOTE'];
    for (let index = 0; index < rows; index += 1) lines.push(`${pos[index % pos.length] ?? ''},row ${index}`);
    await writeFile(join(folder, 'big.csv'), `${lines.join('\n')}\n`);
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(folder, 'big.xlsx') });
    const sheet = writer.addWorksheet('PO_Data');
    sheet.addRow(['PO_NUMBER', 'NOTE']).commit();
    for (let index = 0; index < rows; index += 1) sheet.addRow([pos[index % pos.length] ?? '', `row ${index}`]).commit();
    sheet.commit();
    await writer.commit();
    for (const input of ['big.csv', 'big.xlsx']) {
      const out = join(folder, `out-${input}`);
      const run = await inProcess(folder, ['run', '--input', input, '--out', out, '--base-url', sim.url, '--storage-state', session, '--workers', '1']);
      assert.equal(run.code, 0, `${input}: ${run.stderr.slice(0, 2000)}`);
      assert.doesNotMatch(run.stdout + run.stderr, STACK_LINE);
      const csv = await readFile(join(out, 'results.csv'), 'utf8');
      assert.equal(csv.split('\r\n').filter((line) => line !== '').length, rows + 1, `${input}: one report row per sheet row`);
    }
  });
});
