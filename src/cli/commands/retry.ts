import { Command } from 'commander';
import type { App, ExitCode } from '../app.ts';

/** `coupa-dl retry` — being written. */
export function retryCommand(_app: App, _setExitCode: (code: ExitCode) => void): Command {
  return new Command('retry').description('(not yet available)');
}
