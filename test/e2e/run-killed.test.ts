import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli, startCli, waitForOutput, writeSession, writeSheet } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { checkRun } from '../support/truth-check.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

/**
 * A power cut, as near as a test gets: SIGKILL to the CLI in the middle of a batch (no cleanup
 * code runs), then the same command again. Nothing may be lost, duplicated or left behind. Files
 * are slow, so the kill most likely lands while a PO's `__WORK` folder is half full.
 */
describe('coupa-dl run killed mid-batch, then run again', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let args: string[] = [];
  let env: Record<string, string> = {};
  let out = '';

  before(async () => {
    sim = await startSimulator({ pos: 24, seed: 9, auth: { mode: 'sso' }, heavyPages: false, pageLatencyMs: 300, fileLatencyMs: 400 });
    work = await tempDir('coupa-dl-e2e-killed-');
    out = join(work.path, 'out');
    env = { XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path };
    const sheet = await writeSheet(join(work.path, 'pos.csv'), sim.truth.pos.map((po) => po.poNumber));
    const session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
    args = ['run', '--input', sheet, '--out', out, '--base-url', sim.url, '--storage-state', session, '--workers', '2'];
  });

  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  it('leaves no browser of the killed run behind, and the next run ends every PO right with each file once', async () => {
    const killed = startCli(args, { cwd: work.path, env });
    const seen = new Map<number, string>();
    try {
      // Remember every process the run starts (browsers, renderers…) while it works.
      const watching = (async () => {
        while (killed.child.exitCode === null && killed.child.signalCode === null) {
          for (const [pid, start] of descendants(killed.child.pid ?? -1)) seen.set(pid, start);
          await sleep(200);
        }
      })();
      await waitForOutput(killed.output, /\[5\/24\]/, 180_000);
      // Best moment: while a PO's files are half saved. Not every run shows one in time, so not for ever.
      for (let tries = 0; tries < 100 && !(await hasWorkFolder(out)) && !/\[16\/24\]/.test(killed.output()); tries += 1) await sleep(50);
      for (const [pid, start] of descendants(killed.child.pid ?? -1)) seen.set(pid, start);
      killed.child.kill('SIGKILL');
      const ended = await killed.done;
      await watching;
      assert.equal(ended.signal, 'SIGKILL');
      assert.doesNotMatch(killed.output(), /\[24\/24\]/, 'the run finished before it could be killed');
    } finally {
      killed.child.kill('SIGKILL');
    }
    assert.ok(seen.size > 0, 'the killed run had started no browser');

    const survivors = await waitForExit(seen, 30_000);
    assert.deepEqual(survivors, [], 'processes of the killed run are still running');

    const again = await runCli(args, { cwd: work.path, env });

    assert.equal(again.code, 0, again.stdout + again.stderr);
    const rows = sim.truth.pos.map((po) => ({ poNumber: po.poNumber, status: po.expectedStatus, truth: po }));
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows }), []);
    const leftovers = (await readdir(tmpdir())).filter((name) => name.startsWith(`coupa-dl-profile-${killed.child.pid}-`));
    assert.deepEqual(leftovers, [], 'the killed run\'s private temp folders were not cleaned up by the next run');
  });
});

async function hasWorkFolder(out: string): Promise<boolean> {
  const entries = await readdir(out, { recursive: true }).catch(() => []);
  return entries.some((entry) => entry.endsWith('__WORK'));
}

/** Every live process under `root` (not zombies), as pid → start time (so a reused PID is not mistaken for it). */
function descendants(root: number): Map<number, string> {
  const children = new Map<number, number[]>();
  const starts = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    const info = procStat(Number(entry));
    if (info === null || info.state === 'Z') continue;
    starts.set(info.pid, info.start);
    children.set(info.ppid, [...(children.get(info.ppid) ?? []), info.pid]);
  }
  const found = new Map<number, string>();
  const queue = [...(children.get(root) ?? [])];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    found.set(pid, starts.get(pid) ?? '');
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

function procStat(pid: number): { pid: number; ppid: number; state: string; start: string } | null {
  if (!Number.isInteger(pid)) return null;
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields start after its last `)`.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0] ?? '', ppid: Number(fields[1]), start: fields[19] ?? '' };
  } catch {
    return null;
  }
}

/** Waits until none of `processes` runs any more; returns those still running (with their command) at the deadline. */
async function waitForExit(processes: ReadonlyMap<number, string>, timeoutMs: number): Promise<string[]> {
  const alive = (): string[] => [...processes].flatMap(([pid, start]) => {
    const info = procStat(pid);
    if (info === null || info.state === 'Z' || info.start !== start) return [];
    return [`${pid} ${commandLine(pid)}`];
  });
  const deadline = Date.now() + timeoutMs;
  while (alive().length > 0 && Date.now() < deadline) await sleep(250);
  return alive();
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 120);
  } catch {
    return '(gone)';
  }
}
