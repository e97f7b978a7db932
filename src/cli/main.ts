/**
 * The entry point and composition root: the only module that reads `process` (argv, env,
 * signals, stdout) and sets the exit code. Every command receives an App instead.
 */
import { homedir } from 'node:os';
import type { App } from '../job/app.ts';
import { runProgram } from './program.ts';

const interrupt = new AbortController();
const kill = new AbortController();

function onSignal(signal: NodeJS.Signals): void {
  if (!interrupt.signal.aborted) {
    process.stderr.write(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: finishing the POs in progress, then stopping. Press Ctrl-C again to stop at once.\n`);
    interrupt.abort(new Error(signal));
  } else if (!kill.signal.aborted) {
    process.stderr.write('\nStopping at once: closing the browsers. Nothing is lost; run the same command again to resume.\n');
    kill.abort(new Error(signal));
  }
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const app: App = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  platform: process.platform,
  homedir: homedir(),
  pid: process.pid,
  isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
  interrupt: interrupt.signal,
  kill: kill.signal,
  isInteractive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
};

process.exitCode = await runProgram(app, process.argv, { input: process.stdin, output: process.stdout });
