import { runLogin, appDataDir } from '../../browser/login-session.ts';
import { waitForInteractiveLogin } from '../../coupa/sign-in.ts';
import type { BrowserProxy } from '../../net/proxy-choice.ts';
import type { App } from '../app.ts';

/**
 * Signing in with the user at the keyboard: a visible browser window on the tool's own login
 * profile, which needs a desktop.
 */

/** A visible browser window needs a desktop: on Linux an X11 or Wayland display. */
export function canShowWindow(app: Pick<App, 'platform' | 'env'>): boolean {
  if (app.platform === 'win32' || app.platform === 'darwin') return true;
  return Boolean(app.env['DISPLAY'] || app.env['WAYLAND_DISPLAY']);
}

/** Opens a visible browser on the tool's login profile; resolves with the saved session file once the user is in. */
export function signInInteractively(app: App, options: { executablePath: string; baseUrl: string; proxy: BrowserProxy | null; signal: AbortSignal }): Promise<string> {
  return runLogin({
    ...options,
    appDir: appDataDir(app.platform, app.env, app.homedir),
    headless: false,
    isRoot: app.isRoot,
    waitForLogin: (page, signal) => waitForInteractiveLogin(page, options.baseUrl, signal),
  });
}

