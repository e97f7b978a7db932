import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { appDataDir, savedSessionPath } from '../../src/browser/login-session.ts';
import type { App } from '../../src/job/app.ts';
import { guidedStart } from '../../src/cli/guided-start.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { testBrowserPath, isRoot } from '../support/browser.ts';
import { writeSession, writeSheet } from '../support/cli.ts';
import { readResultsCsv } from '../support/results-files.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * `coupa-dl` alone on a terminal, driven in-process: the answers are typed into a PassThrough
 * (a child process would not see a terminal), the job runs for real against the simulator.
 */
describe('coupa-dl guided start', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let sheet = '';
  let session = '';

  before(async () => {
    sim = await startSimulator({ pos: 3, seed: 4, auth: { mode: 'sso' }, heavyPages: false });
    work = await tempDir('coupa-dl-e2e-guided-');
    sheet = await writeSheet(join(work.path, 'orders.csv'), sim.truth.pos.map((po) => po.poNumber));
    session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
  });
  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  /** Types `answers` (one per line) into a guided start and returns what it printed and its exit code. */
  async function guided(answers: readonly string[], options: { env?: Record<string, string>; dryRun?: boolean } = {}) {
    let printed = '';
    const output = new PassThrough().setEncoding('utf8');
    output.on('data', (chunk: string) => (printed += chunk));
    const input = new PassThrough();
    input.end(answers.map((a) => `${a}\n`).join(''));
    const app: App = {
      stdout: output, stderr: output, cwd: work.path, platform: process.platform, homedir: work.path, pid: process.pid, isRoot: isRoot(),
      env: { XDG_CONFIG_HOME: join(work.path, 'config'), COUPA_BROWSER: testBrowserPath, ...options.env },
      interrupt: new AbortController().signal, kill: new AbortController().signal, isInteractive: true, commandName: 'npx coupa-dl',
    };
    const code = await guidedStart(app, { input, output, dryRun: options.dryRun ?? true });
    return { code, printed };
  }

  it('offers the only sheet of the folder, a folder next to it and the address of COUPA_BASE_URL', async () => {
    // Enter, Enter, Enter, 2 = a session file (no saved sign-in, no browser profiles here), its path, Enter.
    const { code, printed } = await guided(['', '', '', '2', session, ''], { env: { COUPA_BASE_URL: sim.url } });

    assert.equal(code, 0, printed);
    assert.ok(printed.includes(`Sheet of PO numbers (CSV or Excel file) [${sheet}]`), printed);
    assert.ok(printed.includes(`[${join(work.path, 'orders-downloads')}]`), printed);
    assert.ok(printed.includes(`Coupa address [${sim.url}]`), printed);
    assert.ok(printed.includes(`npx coupa-dl run --input ${sheet} --out ${join(work.path, 'orders-downloads')} --base-url ${sim.url} --storage-state ${session}\n`), printed);
  });

  it('asks again, saying why, when an answer cannot be used', async () => {
    const { code, printed } = await guided(['missing.csv', 'session.json', sheet, 'out', 'not a url', sim.url, '9', '2', session, '0', '3']);

    assert.equal(code, 0, printed);
    assert.ok(printed.includes(`There is no file at ${join(work.path, 'missing.csv')}.`), printed);
    assert.match(printed, /Expected a \.csv or \.xlsx file, got `session\.json`/);
    assert.match(printed, /Expected an address like https:\/\/acme\.coupahost\.com, got `not a url`\./);
    assert.match(printed, /Type a number from 1 to 2\./);
    assert.match(printed, /Expected an integer from 1 to 16 \(to 32 with --source api\), or auto, got `0`\./);
    assert.ok(printed.includes(`--out ${join(work.path, 'out')} --base-url ${sim.url} --storage-state ${session} --workers 3\n`), printed);
  });

  it('offers the sign-in saved by `coupa-dl login` first, and needs no sign-in flag for it', async () => {
    // A config folder of its own, so the other tests see no saved sign-in.
    const configHome = join(work.path, 'config-with-login');
    const saved = savedSessionPath(appDataDir(process.platform, { XDG_CONFIG_HOME: configHome }, work.path), sim.url);
    await mkdir(join(saved, '..'), { recursive: true });
    await writeFile(saved, JSON.stringify(sim.createStorageState()), { mode: 0o600 });

    const { code, printed } = await guided([sheet, '', sim.url, '', ''], { env: { XDG_CONFIG_HOME: configHome } });

    assert.equal(code, 0, printed);
    assert.match(printed, /1\. The sign-in saved by `coupa-dl login` \(\d+ s ago\)/);
    assert.match(printed, /--base-url \S+\n/);
    assert.doesNotMatch(printed, /--storage-state|--profile/);
  });

  it('stops without doing anything when the answers run out', async () => {
    const { code, printed } = await guided([sheet]);
    assert.equal(code, 2);
    assert.match(printed, /Nothing was done\./);
    assert.ok(!existsSync(join(work.path, 'orders-downloads')));
  });

  it('runs the job it was given, then repeats the command for next time', async () => {
    const out = join(work.path, 'guided-run');
    const { code, printed } = await guided([sheet, out, sim.url, '2', session, '2'], { dryRun: false });

    assert.equal(code, 0, printed);
    const rows = (await readResultsCsv(out)).rows;
    assert.deepEqual(rows.map((r) => [r['PO_NUMBER'], r['STATUS']]), sim.truth.pos.map((po) => [po.poNumber, po.expectedStatus]));
    assert.match(printed, /^\[3\/3\] /m);
    assert.match(printed, /To do the same next time:\n {2}npx coupa-dl run --input .* --workers 2\n$/);
  });
});
