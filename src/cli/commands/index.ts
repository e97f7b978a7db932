import type { Command } from 'commander';
import type { App, ExitCode } from '../app.ts';
import { demoCommand } from './demo.ts';
import { runCommand } from './run.ts';
import { simulatorCommand } from './simulator.ts';

/** Every command of `coupa-dl`, in the order `--help` lists them. */
export function registerCommands(program: Command, app: App, setExitCode: (code: ExitCode) => void): void {
  program.addCommand(runCommand(app, setExitCode));
  program.addCommand(demoCommand(app, setExitCode));
  program.addCommand(simulatorCommand(app));
}
