import { Command } from 'commander';
import { CoupaDlError } from '../../domain/errors.ts';
import type { App, ExitCode } from '../../job/app.ts';
import { runCapture } from '../../job/capture-job.ts';
import { resolveConfig } from '../config.ts';
import { addSettingOptions, flagsBySetting } from './run.ts';

/** `coupa-dl capture --po …`: save real PO pages to look at, or to send to the tool's makers. */
export function captureCommand(app: App, setExitCode: (code: ExitCode) => void): Command {
  const command = new Command('capture')
    .description('Open some POs with your sign-in and save each page (as the browser shows it and as Coupa sent it), to look at or to send us. Downloads nothing.')
    .requiredOption('--po <numbers...>', 'the PO numbers to capture')
    .addHelpText('after', `
Examples:
  coupa-dl capture --po PO15262984 PO15262985 --base-url https://acme.coupahost.com
  coupa-dl capture --po PO15262984 --out pages-for-support --profile "Work"

The pages go to ./coupa-dl-pages (or --out), one folder per PO. They show prices, names and comments:
look at them before you send them. "coupa-dl simulator --replay <folder>" serves them back as a Coupa.`);
  addSettingOptions(command, ['baseUrl', 'out', 'browser', 'profile', 'storageState', 'proxy', 'headed', 'navigationTimeoutMs', 'settleTimeoutMs', 'savedPageMaxKb', 'poPrefixes', 'poMinDigits', 'notFoundMarkers', 'accessDeniedMarkers']);
  command.action(async (opts: { po: string[] }) => {
    const flags = flagsBySetting(command);
    const { config } = resolveConfig({ flags, env: app.env, configFolders: [app.cwd] });
    const baseUrl = config.baseUrl;
    if (baseUrl === undefined) {
      throw new CoupaDlError('CONFIG_INVALID', 'Missing --base-url: your Coupa address (or set COUPA_BASE_URL).', { hint: 'Example: coupa-dl capture --po PO15262984 --base-url https://yourcompany.coupahost.com' });
    }
    setExitCode(await runCapture({ app, config: { ...config, baseUrl }, poNumbers: opts.po }));
  });
  return command;
}
