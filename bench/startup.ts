import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PO_KINDS, startSimulator } from '../src/simulator/index.ts';

/**
 * Start-up figures: from `spawn` to the first byte of `--help`, and from `spawn` to the first PO
 * page the simulator is asked for (`/order_headers/…`), for one way of starting the CLI. The run
 * goes through a small forwarding server in front of the simulator, which notes when each request
 * arrives; the run then finishes normally (two POs without attachments), so no browser is left behind.
 */

/** How to start the CLI: a program and the arguments before the command's own. */
export interface StartCommand {
  readonly label: string;
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface StartupFigures {
  readonly label: string;
  /** Milliseconds, one per repetition. */
  readonly helpMs: readonly number[];
  readonly firstPoMs: readonly number[];
}

interface Spawned {
  readonly firstStdoutMs: Promise<number>;
  readonly exit: Promise<{ code: number | null; output: string }>;
}

function spawnTimed(command: StartCommand, args: readonly string[], started: number): Spawned {
  const child = spawn(command.file, [...command.args, ...args], { cwd: command.cwd, env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const firstStdoutMs = new Promise<number>((resolve) => {
    child.stdout.once('data', () => resolve(performance.now() - started));
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exit = new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
  return { firstStdoutMs, exit };
}

async function helpOnce(command: StartCommand): Promise<number> {
  const started = performance.now();
  const run = spawnTimed(command, ['--help'], started);
  const { code, output } = await run.exit;
  if (code !== 0) throw new Error(`${command.label}: --help exited ${String(code)}:\n${output}`);
  return run.firstStdoutMs;
}

/** A forwarding server in front of `target` that resolves when the first PO page is asked for. */
async function watchFirstPo(target: URL): Promise<{ url: string; firstPoAt: Promise<number>; close(): Promise<void> }> {
  let seen: (at: number) => void = () => undefined;
  const firstPoAt = new Promise<number>((resolve) => (seen = resolve));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/order_headers/')) seen(performance.now());
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    firstPoAt,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function firstPoOnce(command: StartCommand, browserPath: string): Promise<number> {
  // POs without attachments: the figure is the start, and the run then ends at once.
  const mix = Object.fromEntries(PO_KINDS.map((kind) => [kind, kind === 'noAttachments' ? 1 : 0]));
  const simulator = await startSimulator({ pos: 2, seed: 1, mix, pageLatencyMs: 0, heavyPages: false, auth: { mode: 'sso' } });
  const folder = await mkdtemp(join(tmpdir(), 'coupa-startup-'));
  const proxy = await watchFirstPo(new URL(simulator.url));
  try {
    const input = join(folder, 'pos.csv');
    await writeFile(input, `PO_NUMBER\n${simulator.truth.pos.map((po) => po.poNumber).join('\n')}\n`);
    const session = join(folder, 'session.json');
    await writeFile(session, JSON.stringify(simulator.createStorageState()), { mode: 0o600 });
    const started = performance.now();
    const run = spawnTimed(command, ['run', '--input', input, '--out', join(folder, 'out'), '--base-url', proxy.url, '--storage-state', session, '--workers', '1', '--json', '--browser', browserPath], started);
    const { code, output } = await run.exit;
    if (code !== 0) throw new Error(`${command.label}: the run exited ${String(code)}:\n${output.slice(-2000)}`);
    return (await proxy.firstPoAt) - started;
  } finally {
    await proxy.close();
    await simulator.close();
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Each measure `repeat` times per command, interleaved (round after round, every command once per
 * round, one CLI at a time): the machine's load drifts, and interleaving spreads it over all of them.
 */
export async function measureStartup(commands: readonly StartCommand[], options: { repeat: number; browserPath: string }): Promise<StartupFigures[]> {
  const figures = commands.map((command) => ({ label: command.label, helpMs: [] as number[], firstPoMs: [] as number[] }));
  for (let round = 0; round < options.repeat; round += 1) {
    for (const [index, command] of commands.entries()) figures[index]?.helpMs.push(await helpOnce(command));
    for (const [index, command] of commands.entries()) figures[index]?.firstPoMs.push(await firstPoOnce(command, options.browserPath));
  }
  return figures;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);

export function startupTable(rows: readonly StartupFigures[]): string {
  const lines = ['| start | `--help` s (median, min–max) | first PO request s (median, min–max) |', '|---|---|---|'];
  for (const row of rows) {
    const range = (values: readonly number[]): string => `${seconds(median(values))} (${seconds(Math.min(...values))}–${seconds(Math.max(...values))})`;
    lines.push(`| ${row.label} | ${range(row.helpMs)} | ${range(row.firstPoMs)} |`);
  }
  return lines.join('\n');
}
