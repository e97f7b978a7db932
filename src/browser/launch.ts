import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/**
 * Flags every browser we start gets. The network ones keep Chromium from calling Google's
 * services (which also fails noisily on closed corporate networks).
 */
export const QUIET_BROWSER_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-features=Translate,MediaRouter',
];

/** Chromium refuses to run as root without this (CI containers run as root). */
export function sandboxArgs(isRoot: boolean): string[] {
  return isRoot ? ['--no-sandbox'] : [];
}

export interface LaunchBrowserOptions {
  executablePath: string;
  headless: boolean;
  isRoot: boolean;
  extraArgs?: readonly string[];
}

export function launchOptions(options: LaunchBrowserOptions): LaunchOptions {
  return {
    executablePath: options.executablePath,
    headless: options.headless,
    args: [...QUIET_BROWSER_ARGS, ...sandboxArgs(options.isRoot), ...(options.extraArgs ?? [])],
  };
}

export async function launchBrowser(options: LaunchBrowserOptions): Promise<Browser> {
  return chromium.launch(launchOptions(options));
}
