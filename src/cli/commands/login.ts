import { Command } from 'commander';
import type { App, ExitCode } from '../app.ts';

/** `coupa-dl login` — being written. */
export function loginCommand(_app: App, _setExitCode: (code: ExitCode) => void): Command {
  return new Command('login').description('(not yet available)');
}
