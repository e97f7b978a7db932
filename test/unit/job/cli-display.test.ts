import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../../src/job/app.ts';
import { openDisplay } from '../../../src/job/display.ts';
import { stripAnsi } from '../../../src/ui/text-width.ts';
import { FakeTerminal } from '../../support/fake-terminal.ts';
import { recordedRun } from '../../support/recorded-run.ts';
import { tempDir } from '../../support/temp-dir.ts';

function appWith(stdout: App['stdout'], cwd: string): App {
  const never = new AbortController().signal;
  return { stdout, stderr: new PassThrough(), env: {}, cwd, platform: process.platform, homedir: cwd, pid: process.pid, isRoot: false, interrupt: never, kill: never, isInteractive: false, commandName: 'npx coupa-dl' };
}

/**
 * Plays the recorded run through the display a run would open and returns what reached stdout;
 * whatever the screen shows, the run's log file must be under <out>/.coupa-dl/logs.
 */
async function play(stdout: Writable & { isTTY?: boolean }, json: boolean, outDir: string, chunks: () => string[]): Promise<string> {
  const display = await openDisplay({ app: appWith(stdout, outDir), json, outDir });
  for (const event of recordedRun) display.emit(event);
  await display.finish({ outDir, reportPaths: [join(outDir, 'report.xlsx')], retryCommand: null });
  const logs = await readdir(join(outDir, '.coupa-dl', 'logs'));
  assert.equal(logs.length, 1);
  assert.match(await readFile(join(outDir, '.coupa-dl', 'logs', logs[0] ?? ''), 'utf8'), /"msg"/);
  return stripAnsi(chunks().join(''));
}

function collect(): { stream: PassThrough; chunks: string[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return { stream, chunks };
}

describe('what a run shows', () => {
  let work: { path: string; remove(): Promise<void> };
  before(async () => {
    work = await tempDir('coupa-dl-display-');
  });
  after(() => work.remove());

  it('draws the dashboard on a terminal', async () => {
    const terminal = new FakeTerminal();
    const out = await play(terminal as unknown as Writable & { isTTY: boolean }, false, join(work.path, 'tty'), () => terminal.chunks);
    assert.match(out, /FINISHED {2}11\/11 done/);
  });

  it('writes plain lines when stdout is not a terminal, and JSON lines with --json', async () => {
    const plain = collect();
    const lines = await play(plain.stream, false, join(work.path, 'plain'), () => plain.chunks);
    assert.match(lines, /^starting: 11 POs with 3 browsers$/m);
    assert.doesNotMatch(lines, /FINISHED/);
    const json = collect();
    const events = (await play(json.stream, true, join(work.path, 'json'), () => json.chunks)).trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    assert.ok(events.some((event) => event.type === 'run-finished'));
  });
});
