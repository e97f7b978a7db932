import { existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Isolation } from './bench-options.ts';
import type { BenchSite } from './bench-site.ts';
import { CpuMeter } from './cpu-meter.ts';
import type { RunRecord, TaskRecord } from './run-record.ts';
import { TreeSampler } from './tree-sampler.ts';

/**
 * Runs the real CLI (`coupa-dl run --json`) as a user would, as a child process in its own
 * process group, reading its JSON-lines events and sampling its process tree while it works.
 */

export const REPO_ROOT = join(import.meta.dirname, '..');

export interface CliRunOptions {
  readonly site: BenchSite;
  /** `auto` lets the CLI choose (through the API: from the rate); the run's `run-started` event says how many. */
  readonly workers: number | 'auto';
  /** Through Coupa's REST API at this many requests per second (`--source api --api-rate`); browser pages when absent. */
  readonly apiRate?: number;
  readonly isolation: Isolation;
  readonly browserPath: string;
  readonly timeoutMs: number;
  readonly label: string;
  readonly onTask?: (done: number, total: number) => void;
  /** Another checkout to run instead of this one (an A/B against an earlier build). */
  readonly cliRoot?: string;
  /**
   * More flags for `run` (bench/pdf-cost.ts: `--no-mail-pdf`, `--save-po-pdf`). Without them a build
   * that converts mails is run with `--no-mail-pdf`: the runs measure fetching, and pdf-cost.ts what
   * the PDFs add (a conversion browser beside the pool, and 300 files more for the truth check).
   */
  readonly extraArgs?: readonly string[];
}

/** Whether the build in `root` (a checkout, or an installed package's bundle) converts mails to PDF (from 2026-12-06; earlier builds know no `--no-mail-pdf`). */
function convertsMails(root: string): boolean {
  const bundle = join(root, 'dist', 'coupa-dl.mjs');
  return existsSync(join(root, 'src', 'job', 'conversion')) || (existsSync(bundle) && readFileSync(bundle, 'utf8').includes('--no-mail-pdf'));
}

export function cliArgs(options: CliRunOptions): string[] {
  const { site } = options;
  const way = options.apiRate === undefined
    ? ['--storage-state', site.sessionPath, '--isolation', options.isolation, '--browser', options.browserPath]
    : ['--source', 'api', '--api-rate', String(options.apiRate)];
  return [
    // As the bin's shebang starts it (see bin/coupa-dl.js), so the figures are what users get.
    '--max-semi-space-size=16',
    join(options.cliRoot ?? REPO_ROOT, 'bin', 'coupa-dl.js'), 'run',
    '--input', site.inputPath, '--out', site.outPath, '--base-url', site.simulator.url,
    ...way, '--workers', String(options.workers), '--json', '--fresh', ...(options.extraArgs ?? (convertsMails(options.cliRoot ?? REPO_ROOT) ? ['--no-mail-pdf'] : [])),
  ];
}

/** The user's COUPA_* settings must not leak into a measured run; an API run gets the simulator's client. */
function runEnv(options: CliRunOptions): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('COUPA_')));
  if (options.apiRate === undefined) return env;
  return { ...env, COUPA_CLIENT_ID: options.site.simulator.apiClient.clientId, COUPA_CLIENT_SECRET: options.site.simulator.apiClient.clientSecret };
}

export async function runCli(options: CliRunOptions): Promise<RunRecord> {
  const tasks = new Map<string, TaskRecord>();
  const workerStartMs: number[] = [];
  let engineMs: number | null = null;
  let workers = options.workers === 'auto' ? 0 : options.workers;
  let stderr = '';
  const cpu = new CpuMeter();
  await cpu.start();
  const started = performance.now();
  const child = spawn(process.execPath, cliArgs(options), { cwd: options.cliRoot ?? REPO_ROOT, env: runEnv(options), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // Settling time per PO: from each 'settling' step to the PO's next step.
  const settleMs = new Map<string, number>();
  const settlingSince = new Map<string, number>();
  const rootPid = child.pid;
  if (rootPid === undefined) throw new Error(`Could not start the CLI for ${options.label}.`);
  const sampler = new TreeSampler({ rootPid, includeRoot: true, posDone: () => tasks.size });
  sampler.start();

  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return; // not an event (should not happen with --json)
    }
    if (event['type'] === 'worker-started' && typeof event['startMs'] === 'number') workerStartMs.push(event['startMs']);
    if (event['type'] === 'run-started' && typeof event['targetWorkers'] === 'number') workers = event['targetWorkers'];
    if (event['type'] === 'run-finished' && typeof event['durationMs'] === 'number') engineMs = event['durationMs'];
    if ((event['type'] === 'task-step' || event['type'] === 'task-finished') && typeof event['key'] === 'string' && typeof event['at'] === 'number') {
      const since = settlingSince.get(event['key']);
      if (since !== undefined) settleMs.set(event['key'], (settleMs.get(event['key']) ?? 0) + event['at'] - since);
      settlingSince.delete(event['key']);
      if (event['type'] === 'task-step' && event['step'] === 'settling') settlingSince.set(event['key'], event['at']);
    }
    if (event['type'] === 'task-finished' && typeof event['key'] === 'string') {
      tasks.set(event['key'], {
        key: event['key'],
        status: String(event['status']),
        durationMs: Number(event['durationMs']),
        finishedAtMs: Math.round(performance.now() - started),
        settleMs: settleMs.get(event['key']) ?? 0,
      });
      options.onTask?.(tasks.size, options.site.pos.length);
    }
  });

  // Bounded: a configuration that overruns is killed, its own process group and the browsers under it.
  const deadline = AbortSignal.timeout(options.timeoutMs);
  let timedOut = false;
  const onDeadline = (): void => {
    timedOut = true;
    void sampler.sample().finally(() => killTree(rootPid, sampler.pids));
  };
  deadline.addEventListener('abort', onDeadline, { once: true });
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  deadline.removeEventListener('abort', onDeadline);
  const wallMs = performance.now() - started;
  const samples = sampler.stop();
  const reading = await cpu.read();
  return {
    label: options.label,
    kind: 'cli',
    workers,
    isolation: options.apiRate === undefined ? options.isolation : 'none',
    ...(options.apiRate === undefined ? {} : { apiRate: options.apiRate }),
    pos: options.site.pos.length,
    wallMs,
    engineMs,
    exitCode,
    timedOut,
    tasks: [...tasks.values()],
    workerStartMs,
    samples,
    cpu: {
      // Reaped ticks are exact for what was reaped, but renderers reaped by Chromium's zygote and
      // orphans of a killed run never reach us: take the sampled sum when it is larger.
      toolSec: Math.max(reading.reapedSec, sampler.cpuSec),
      benchSec: reading.ownSec,
      machineBusyPercent: reading.machineBusyPercent,
      byKindSec: await sampler.cpuSecByKind(),
    },
    simulator: options.site.simulator.stats(),
    outPath: options.site.outPath,
    stderrTail: stderr,
  };
}

function killTree(rootPid: number, pids: readonly number[]): void {
  try {
    process.kill(-rootPid, 'SIGKILL');
  } catch {
    // group already gone
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
