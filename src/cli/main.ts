/**
 * The entry point and composition root: the only module that reads `process` (argv, env,
 * signals, stdout) and sets the exit code. Every command receives an App instead. The launcher
 * that started us (bin/coupa-dl.js, the standalone program) says how the user starts the tool.
 */
import { homedir } from 'node:os';
import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { EXIT, line, type App } from '../job/app.ts';
import { reportError } from './errors-out.ts';
import { registerCommands } from './commands/index.ts';
import { guidedStart } from './guided-start.ts';

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

  const program = new Command('coupa-dl')
    .description('Download every attachment of many Coupa purchase orders into organised folders, with a status per PO.')
    .version(packageJson.version, '-V, --version')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => app.stdout.write(s), writeErr: (s) => app.stderr.write(s) })
    .addHelpText('after', `
Examples:
  coupa-dl                      a guided start: a few questions, then the job (on a terminal)
  coupa-dl demo                 try it on the built-in Coupa simulator
  coupa-dl doctor --base-url https://acme.coupahost.com
  coupa-dl run --input pos.xlsx --out D:\\Coupa\\Audit --base-url https://acme.coupahost.com
  coupa-dl retry --out D:\\Coupa\\Audit

Run "coupa-dl <command> --help" for the options and examples of a command.

Exit codes:
  0    every PO reached a final status
  1    some POs ended FAILED, PARTIAL, TIMEOUT or NEEDS_REVIEW, or the run stopped and can be resumed
  2    bad usage, input, sign-in or API client (nothing was fetched)
  130  interrupted with Ctrl-C`);

  registerCommands(program, app, (code) => {
    process.exitCode = code;
  });
  // addCommand() does not pass these on: without them an unknown option of a command would exit 1, not 2.
  for (const command of program.commands) {
    command.exitOverride().showSuggestionAfterError().configureOutput({ writeOut: (s) => app.stdout.write(s), writeErr: (s) => app.stderr.write(s) });
  }

  try {
    // `coupa-dl` alone: questions on a terminal; elsewhere commander prints the help (exit 2).
    if (launch.argv.length <= 2 && app.isInteractive) process.exitCode = await guidedStart(app, { input: process.stdin, output: process.stdout });
    else await program.parseAsync([...launch.argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      if (error.exitCode !== 0) line(app.stderr, `Run \`${app.commandName} --help\` to see the commands and their options.`);
    } else {
      process.exitCode = reportError(app, error);
    }
  }
}
