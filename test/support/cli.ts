import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testBrowserPath } from './browser.ts';

/** The repository root, and the CLI as a user runs it. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = join(repoRoot, 'bin', 'coupa-dl.js');

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to a clean environment (no COUPA_* from the developer's shell leaks in). */
  env?: Record<string, string>;
  /** Variables of the test's own environment the CLI must not see (e.g. this machine's CA settings). */
  unset?: readonly string[];
  timeoutMs?: number;
}

/** The environment a test CLI run gets: the test browser, a private app-data folder, no stray COUPA_*. */
export function cliEnv(extra: Record<string, string> = {}, unset: readonly string[] = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('COUPA_') && !unset.includes(key)) env[key] = value;
  return { ...env, COUPA_BROWSER: testBrowserPath, ...extra };
}

/** Starts the CLI (`node bin/coupa-dl.js …`) with the Node that runs the tests (24). */
export function startCli(args: readonly string[], options: CliOptions = {}): { child: ChildProcess; done: Promise<CliRun>; output(): string } {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: cliEnv(options.env, options.unset),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done, output: () => stdout + stderr };
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

/** Resolves when `test` matches the output so far (polls; the CLI prints as it goes). */
export async function waitForOutput(output: () => string, test: RegExp, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test.test(output())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${test} in:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Writes a PO sheet as CSV (header PO_NUMBER plus any extra columns). */
export async function writeSheet(file: string, rows: readonly (string | Record<string, string>)[], extraColumns: readonly string[] = []): Promise<string> {
  const header = ['PO_NUMBER', ...extraColumns];
  const lines = rows.map((row) => (typeof row === 'string' ? [row, ...extraColumns.map(() => '')] : header.map((h) => row[h] ?? '')).join(','));
  await writeFile(file, `${[header.join(','), ...lines].join('\n')}\n`);
  return file;
}

/** Writes a simulator session as a Playwright storage-state file (mode 0600), for --storage-state. */
export async function writeSession(file: string, state: unknown): Promise<string> {
  await writeFile(file, JSON.stringify(state), { mode: 0o600 });
  return file;
}
