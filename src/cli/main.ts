/**
 * The entry point and composition root: the only module that reads `process` (argv, env,
 * signals, stdout) and sets the exit code. Every command receives an App instead. The launcher
 * that started us (bin/coupa-dl.js, the standalone program) says how the user starts the tool.
 */
import { homedir } from 'node:os';
import { EXIT, type App } from '../job/app.ts';
import { runProgram } from './program.ts';

export interface Launch {
  /** What the user types to start the tool: `coupa-dl`, `npx coupa-dl`, `coupa-dl-win-x64`. */
  readonly commandName: string;
  /** `[node, script, ...args]`, as `process.argv` has it. */
  readonly argv: readonly string[];
}

export async function main(launch: Launch): Promise<void> {
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
  // `coupa-dl --help | head`: the reader went away; there is nobody left to tell anything to.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exitCode ??= EXIT.ok;
      stream.destroy();
    });
  }

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
    commandName: launch.commandName,
  };

  process.exitCode = await runProgram(app, launch.argv, { input: process.stdin, output: process.stdout });
}
