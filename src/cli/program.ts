import type { Readable, Writable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { EXIT, line, type App, type ExitCode } from '../job/app.ts';
import { reportError } from './errors-out.ts';
import { registerCommands } from './commands/index.ts';
import { guidedStart } from './guided-start.ts';

/**
 * The command line, given an App: the one path from arguments to an exit code. main.ts runs it
 * on `process`; tests run it in-process with their own App (the fuzz test feeds it hundreds of
 * inputs without paying for a process each).
 */
export async function runProgram(app: App, argv: readonly string[], terminal?: { input: Readable; output: Writable }): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
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
    exitCode = code;
  });
  // addCommand() does not pass these on: without them an unknown option of a command would exit 1, not 2.
  for (const command of program.commands) {
    command.exitOverride().showSuggestionAfterError().configureOutput({ writeOut: (s) => app.stdout.write(s), writeErr: (s) => app.stderr.write(s) });
  }

  try {
    // `coupa-dl` alone: questions on a terminal; elsewhere commander prints the help (exit 2).
    if (argv.length <= 2 && app.isInteractive && terminal !== undefined) return await guidedStart(app, terminal);
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      if (error.exitCode !== 0) line(app.stderr, `Run \`${app.commandName} --help\` to see the commands and their options.`);
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(app, error);
  }
}
