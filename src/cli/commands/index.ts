import type { Command } from 'commander';
import type { App, ExitCode } from '../../job/app.ts';
import { captureCommand } from './capture.ts';
import { demoCommand } from './demo.ts';
import { doctorCommand } from './doctor.ts';
import { loginCommand } from './login.ts';
import { profilesCommand } from './profiles.ts';
import { reportCommand } from './report.ts';
import { retryCommand } from './retry.ts';
import { runCommand } from './run.ts';
import { simulatorCommand } from './simulator.ts';

/** Every command of `coupa-dl`, in the order `--help` lists them. */
export function registerCommands(program: Command, app: App, setExitCode: (code: ExitCode) => void): void {
  program.addCommand(runCommand(app, setExitCode));
  program.addCommand(retryCommand(app, setExitCode));
  program.addCommand(reportCommand(app, setExitCode));
  program.addCommand(loginCommand(app, setExitCode));
  program.addCommand(profilesCommand(app, setExitCode));
  program.addCommand(doctorCommand(app, setExitCode));
  program.addCommand(captureCommand(app, setExitCode));
  program.addCommand(demoCommand(app, setExitCode));
  program.addCommand(simulatorCommand(app));
}
