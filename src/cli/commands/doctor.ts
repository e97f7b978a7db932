import { Command } from 'commander';
import type { App, ExitCode } from '../app.ts';

/** `coupa-dl doctor` — being written. */
export function doctorCommand(_app: App, _setExitCode: (code: ExitCode) => void): Command {
  return new Command('doctor').description('(not yet available)');
}
