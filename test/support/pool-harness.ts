import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineEvent } from '../../src/engine/events.ts';
import type { PoTruth, Simulator } from '../../src/simulator/index.ts';
import { parseJsonLine } from '../../src/ui/json-lines.ts';
import { startCli, writeSheet, writeSession, type CliRun } from './cli.ts';
import { ProcessWatch } from './processes.ts';
import { tempDir } from './temp-dir.ts';

/**
 * Shared by the pool-*.test.ts files: one `coupa-dl run --json` against the simulator, as a
 * user runs it, with its events read back from stdout as they come and its processes watched.
 */

export interface PoolJob {
  readonly dir: string;
  readonly outDir: string;
  /** `run` with input, output, base URL, session and --json; add the flags under test. */
  args(extra?: readonly string[]): string[];
  readonly env: Record<string, string>;
  remove(): Promise<void>;
}

/** A temp folder with the sheet of `pos`, a signed-in session file and private HOME/XDG folders. */
export async function preparePoolJob(sim: Simulator, pos: readonly PoTruth[]): Promise<PoolJob> {
  const temp = await tempDir('coupa-dl-pool-e2e-');
  const home = join(temp.path, 'home');
  const config = join(temp.path, 'config');
  await Promise.all([mkdir(home), mkdir(config)]);
  const sheet = await writeSheet(join(temp.path, 'pos.csv'), pos.map((po) => po.poNumber));
  const session = await writeSession(join(temp.path, 'session.json'), sim.createStorageState());
  const outDir = join(temp.path, 'out');
  const base = ['run', '--input', sheet, '--out', outDir, '--base-url', sim.url, '--storage-state', session, '--json'];
  return {
    dir: temp.path,
    outDir,
    args: (extra = []) => [...base, ...extra],
    env: { HOME: home, XDG_CONFIG_HOME: config },
    remove: temp.remove,
  };
}

/** A running CLI: its events so far, a way to wait for one, and the watch on its processes. */
export interface PoolRun {
  readonly pid: number;
  readonly events: EngineEvent[];
  readonly watch: ProcessWatch;
  waitForEvent<T extends EngineEvent>(test: (event: EngineEvent) => event is T, timeoutMs?: number): Promise<T>;
  waitForEvent(test: (event: EngineEvent) => boolean, timeoutMs?: number): Promise<EngineEvent>;
  signal(name: NodeJS.Signals): void;
  /** The exit; the process watch stops here too. */
  readonly done: Promise<CliRun>;
  stderr(): string;
}

export function startPoolRun(job: PoolJob, extra: readonly string[], timeoutMs = 280_000): PoolRun {
  const { child, done } = startCli(job.args(extra), { env: job.env, timeoutMs });
  const pid = child.pid;
  if (pid === undefined) throw new Error('The CLI did not start.');
  const watch = new ProcessWatch(pid);
  const events: EngineEvent[] = [];
  let pending = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  child.stdout?.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const event = parseJsonLine(line) as unknown as EngineEvent;
      if (event.type === 'worker-started') watch.noteWorker(event.pids);
      events.push(event);
    }
  });
  const exited = done.finally(() => watch.stop());
  let ended = false;
  void exited.then(() => (ended = true));
  async function waitForEvent(test: (event: EngineEvent) => boolean, waitMs = 120_000): Promise<EngineEvent> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const found = events.find(test);
      if (found !== undefined) return found;
      if (ended || Date.now() > deadline) {
        throw new Error(`${ended ? 'The CLI exited' : 'Timed out'} before the awaited event. Events:\n${events.map((e) => JSON.stringify(e)).join('\n')}\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    pid,
    events,
    watch,
    waitForEvent: waitForEvent as PoolRun['waitForEvent'],
    signal: (name) => void child.kill(name),
    done: exited,
    stderr: () => stderr,
  };
}

/** The task-finished events, by PO number. */
export function finishedByKey(events: readonly EngineEvent[]): Map<string, Extract<EngineEvent, { type: 'task-finished' }>[]> {
  const byKey = new Map<string, Extract<EngineEvent, { type: 'task-finished' }>[]>();
  for (const event of events) if (event.type === 'task-finished') byKey.set(event.key, [...(byKey.get(event.key) ?? []), event]);
  return byKey;
}

export function eventsOf<T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T): Extract<EngineEvent, { type: T }>[] {
  return events.filter((event): event is Extract<EngineEvent, { type: T }> => event.type === type);
}

/**
 * Every moment a PO was being worked on by two workers at once, reconstructed from the events:
 * a task runs on its worker from task-started until it finishes, is retried or returned, or
 * its worker stops.
 */
export function overlappingStarts(events: readonly EngineEvent[]): string[] {
  const runningOn = new Map<string, number>();
  const problems: string[] = [];
  for (const event of events) {
    if (event.type === 'task-started') {
      const other = runningOn.get(event.key);
      if (other !== undefined) problems.push(`${event.key} started on worker ${event.workerId} while running on worker ${other}`);
      runningOn.set(event.key, event.workerId);
    } else if (event.type === 'task-finished' || event.type === 'task-retry' || event.type === 'task-returned') {
      runningOn.delete(event.key);
    } else if (event.type === 'worker-stopped') {
      for (const [key, workerId] of runningOn) if (workerId === event.workerId) runningOn.delete(key);
    }
  }
  return problems;
}

export function describeEvents(events: readonly EngineEvent[]): string {
  return events
    .filter((event) => event.type !== 'task-step' && event.type !== 'task-file-progress' && event.type !== 'stats')
    .map((event) => JSON.stringify(event))
    .join('\n');
}
