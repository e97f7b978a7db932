/**
 * The entry point and composition root: the only module that reads `process` (argv, env,
 * signals, stdout) and sets the exit code. Every command receives an App instead.
 */
import { homedir } from 'node:os';
import { Command, CommanderError } from 'commander';
import { EXIT, line, type App } from './app.ts';
import { reportError } from './errors-out.ts';
import { registerCommands } from './commands/index.ts';

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

const program = new Command('coupa-dl')
  .description('Download every attachment of many Coupa purchase orders into organised folders, with a status per PO.')
  .version('0.1.0', '-V, --version')
  .showSuggestionAfterError()
  .exitOverride()
  .configureOutput({ writeOut: (s) => app.stdout.write(s), writeErr: (s) => app.stderr.write(s) });

registerCommands(program, app, (code) => {
  process.exitCode = code;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error.exitCode !== 0) line(app.stderr, 'Run `coupa-dl --help` to see the commands and their options.');
  } else {
    process.exitCode = reportError(app, error);
  }
}
