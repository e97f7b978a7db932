import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { findBrowser } from '../../browser/find-browser.ts';
import { appDataDir, runLogin } from '../../browser/login-session.ts';
import { waitForInteractiveLogin } from '../../coupa/sign-in.ts';
import { CoupaDlError } from '../../domain/errors.ts';
import { EXIT, line, type App, type ExitCode } from '../../job/app.ts';
import { resolveConfig } from '../config.ts';
import { canShowWindow } from '../../job/session/interactive-sign-in.ts';
import { networkChoice } from '../../job/network.ts';
import { addSettingOptions, flagsBySetting } from './run.ts';

const BROWSER_NAMES = { edge: 'Microsoft Edge', chrome: 'Google Chrome', chromium: 'Chromium', custom: 'the browser' } as const;

/** Long enough to find a phone for a second factor; a forgotten window must not wait forever. */
const LOGIN_WAIT_MS = 15 * 60_000;

/**
 * `coupa-dl login`: a visible browser on the tool's own profile, the user signs in however their
 * company does it, and the session is saved (readable by this user only) for later runs.
 */
export function loginCommand(app: App, setExitCode: (code: ExitCode) => void): Command {
  const command = new Command('login')
    .description('Sign in to Coupa once in a browser window (company SSO or password); later runs use the saved session.')
    .addHelpText('after', `
Example:
  coupa-dl login --base-url https://acme.coupahost.com

A browser window opens on Coupa. Sign in the way you usually do; the window closes by itself once Coupa
shows its home page. The session is saved in your user folder, readable only by you, and "coupa-dl run"
uses it when neither --profile nor --storage-state is given.`);
  addSettingOptions(command, ['baseUrl', 'browser', 'proxy']);
  // For automated checks on machines without a screen; a person always gets a window.
  command.addOption(new Option('--headless').hideHelp());
  command.action(async () => {
    const flags = flagsBySetting(command);
    const headless = command.opts<{ headless?: boolean }>().headless === true;
    const { config } = resolveConfig({ flags, env: app.env, configFolders: [app.cwd] });
    if (config.baseUrl === undefined) {
      throw new CoupaDlError('CONFIG_INVALID', 'Missing --base-url: which Coupa to sign in to (or set COUPA_BASE_URL, or "baseUrl" in coupa-dl.config.json).', {
        hint: 'Example: coupa-dl login --base-url https://yourcompany.coupahost.com',
      });
    }
    if (!headless && !canShowWindow(app)) {
      throw new CoupaDlError('SIGNED_OUT', 'coupa-dl login needs a desktop session to show a browser window, and this one has no display (no DISPLAY or WAYLAND_DISPLAY).', {
        hint: 'Run `coupa-dl login` on a desktop (not over SSH). Runs on this machine can then use --storage-state <session file>, or COUPA_USERNAME and COUPA_PASSWORD if your Coupa has its own password form.',
      });
    }
    const browser = findBrowser(config.browser, { platform: app.platform, env: app.env, exists: existsSync });
    const baseUrl = config.baseUrl;
    line(app.stdout, `Opening ${BROWSER_NAMES[browser.kind]} on ${baseUrl}. Sign in there the way you usually do; the window closes by itself once Coupa shows its home page.`);
    const signal = AbortSignal.any([app.interrupt, AbortSignal.timeout(LOGIN_WAIT_MS)]);
    let file: string;
    try {
      file = await runLogin({
        executablePath: browser.executablePath,
        baseUrl,
        appDir: appDataDir(app.platform, app.env, app.homedir),
        headless,
        isRoot: app.isRoot,
        proxy: networkChoice(app, config).browserProxy,
        signal,
        waitForLogin: (page, s) => waitForInteractiveLogin(page, baseUrl, s),
      });
    } catch (error) {
      if (app.interrupt.aborted) throw new CoupaDlError('INTERRUPTED', 'Stopped before signing in finished; no session was saved.');
      if (signal.aborted) {
        throw new CoupaDlError('SIGNED_OUT', `Signing in did not finish within ${LOGIN_WAIT_MS / 60_000} minutes; no session was saved.`, { cause: error, hint: 'Run `coupa-dl login` again and finish signing in in the window that opens.' });
      }
      throw error;
    }
    line(app.stdout, `\nSigned in. Session saved to ${file} (readable only by you).`);
    line(app.stdout, `Next: ${app.commandName} run --input <your sheet.xlsx> --out <output folder> --base-url ${baseUrl}`);
    setExitCode(EXIT.ok);
  });
  return command;
}
