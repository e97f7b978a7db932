import { Command } from 'commander';
import type { App, ExitCode } from '../app.ts';

/** `coupa-dl profiles` — being written. */
export function profilesCommand(_app: App, _setExitCode: (code: ExitCode) => void): Command {
  return new Command('profiles').description('(not yet available)');
}
