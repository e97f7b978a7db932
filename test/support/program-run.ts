import { spawn } from 'node:child_process';
import type { CliRun } from './cli.ts';

/**
 * Runs an installed program (the npm-installed `coupa-dl`, a standalone program) as a user's
 * shell would: its own file, arguments, working folder and environment, nothing of the test's.
 */
export function runProgram(file: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliRun> {
  const child = spawn(file, [...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
  return new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** What Node or npm print when they warn (`(node:123) ExperimentalWarning: …`, `npm warn …`). */
export const WARNING = /\(node:\d+\)|\bWarning: |npm warn/i;
