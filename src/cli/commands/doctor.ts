import { existsSync } from 'node:fs';
import { rm, stat, statfs, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { browserVersion } from '../../browser/browser-version.ts';
import { findBrowser, type FoundBrowser } from '../../browser/find-browser.ts';
import { appDataDir, savedSessionPath } from '../../browser/login-session.ts';
import { profileRoots, resolveProfile } from '../../browser/profiles.ts';
import { classifyError, CoupaDlError } from '../../domain/errors.ts';
import { formatBytes, formatDuration } from '../../ui/human-units.ts';
import { EXIT, line, type App, type ExitCode } from '../../job/app.ts';
import { resolveConfig, type RunConfig } from '../config.ts';
import { openSession } from '../../job/session/open-session.ts';
import { checkApi, type Check as ApiCheck } from './doctor-api.ts';
import { addSettingOptions, flagsBySetting } from './run.ts';
import { openNetwork } from '../../job/network.ts';
import { networkProblem, problemInWords } from '../../net/network-problem.ts';
import type { NodeHttp } from '../../net/node-http.ts';

/** One line of the doctor's list; `warn` is printed but does not fail the check-up. */
type Check = ApiCheck;

const MARK = { pass: '✓', fail: '✗', warn: '!' } as const;
const LOW_DISK_BYTES = 2 * 1024 ** 3;
const REACH_TIMEOUT_MS = 15_000;
const SIGN_IN_TIMEOUT_MS = 90_000;
const LOGIN_FIX = (baseUrl: string): string => `Run \`coupa-dl login --base-url ${baseUrl}\` and sign in in the browser window, or pass --profile or --storage-state.`;

function failed(name: string, error: unknown, fix?: string): Check {
  const hint = fix ?? (error instanceof CoupaDlError ? error.hint : undefined);
  const detail = error instanceof CoupaDlError ? error.message : classifyError(error).message;
  return { name, status: 'fail', detail, ...(hint === undefined ? {} : { fix: hint }) };
}

async function checkBrowser(app: App, config: RunConfig): Promise<{ check: Check; browser: FoundBrowser | null }> {
  try {
    const browser = findBrowser(config.browser, { platform: app.platform, env: app.env, exists: existsSync });
    const version = await browserVersion(browser.executablePath, { platform: app.platform, isRoot: app.isRoot });
    const kind = browser.kind === 'custom' ? 'browser' : browser.kind;
    return { check: { name: 'Browser', status: 'pass', detail: `${kind} ${version} at ${browser.executablePath}` }, browser };
  } catch (error) {
    return { check: failed('Browser', error), browser: null };
  }
}

function checkNode(): Check {
  // The runtime's own version: a fact about this process, not a user input.
  const version = process.versions.node;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  // The packaged build's floor (bin/coupa-dl.js refuses anything older before loading it).
  return major > 22 || (major === 22 && minor >= 19)
    ? { name: 'Node.js', status: 'pass', detail: version }
    : { name: 'Node.js', status: 'fail', detail: `${version} (22.19 or newer is needed)`, fix: 'Install Node.js 24 LTS or newer from nodejs.org, or use the standalone program (see the user guide).' };
}

async function ageOf(file: string): Promise<string> {
  const { mtimeMs } = await stat(file);
  return `saved ${formatDuration(Date.now() - mtimeMs)} ago`;
}

/** Which session a run would start from, in the order openSession tries them; never prints a secret. */
async function checkSignInSource(app: App, config: RunConfig): Promise<Check> {
  const name = 'Sign-in';
  try {
    if (config.storageState) {
      const file = resolve(app.cwd, config.storageState);
      if (!existsSync(file)) return { name, status: 'fail', detail: `the session file ${file} does not exist`, fix: 'Check the --storage-state path, or sign in with `coupa-dl login`.' };
      return { name, status: 'pass', detail: `session file ${file} (${await ageOf(file)})` };
    }
    if (config.profile) {
      const profile = await resolveProfile(config.profile, profileRoots(app.platform, app.env, app.homedir));
      return { name, status: 'pass', detail: `a copy of the ${profile.browser} profile "${profile.name}"` };
    }
    const username = app.env['COUPA_USERNAME'];
    if (username && app.env['COUPA_PASSWORD']) return { name, status: 'pass', detail: `password sign-in as ${username} (COUPA_USERNAME and COUPA_PASSWORD are set)` };
    if (username) return { name, status: 'fail', detail: 'COUPA_USERNAME is set but COUPA_PASSWORD is not', fix: 'Set COUPA_PASSWORD too, or unset COUPA_USERNAME to use the saved login session.' };
    if (!config.baseUrl) return { name, status: 'fail', detail: 'no Coupa address, so no saved login session to look for', fix: 'Pass --base-url https://yourcompany.coupahost.com (or set COUPA_BASE_URL).' };
    const saved = savedSessionPath(appDataDir(app.platform, app.env, app.homedir), config.baseUrl);
    if (!existsSync(saved)) return { name, status: 'fail', detail: `no saved login session for ${new URL(config.baseUrl).host}`, fix: LOGIN_FIX(config.baseUrl) };
    return { name, status: 'pass', detail: `the session saved by \`coupa-dl login\` for ${new URL(config.baseUrl).host} (${await ageOf(saved)})` };
  } catch (error) {
    return failed(name, error);
  }
}

/** Any HTTP answer counts (a redirect to sign-in included); 5xx means Coupa itself is in trouble. Through the run's own client (its certificates and proxy). */
async function checkReachable(app: App, baseUrl: string, http: NodeHttp): Promise<Check> {
  const name = 'Coupa reachable';
  const startedAt = Date.now();
  const fix = 'Check the address (like https://yourcompany.coupahost.com), that you are on the company network or VPN, and that it opens in your browser. Behind a proxy, set --proxy (or HTTPS_PROXY); with TLS inspection, have the company certificate installed in the system store.';
  try {
    const response = await http.fetch(baseUrl, { redirect: 'manual', signal: AbortSignal.any([app.interrupt, AbortSignal.timeout(REACH_TIMEOUT_MS)]) });
    await response.body?.cancel();
    const detail = `${baseUrl} answered HTTP ${response.status} in ${Date.now() - startedAt} ms (Node ${http.describe()})`;
    if (response.status >= 500) return { name, status: 'fail', detail, fix: 'Coupa answers with a server error: try again later, or ask your Coupa administrator.' };
    return { name, status: 'pass', detail };
  } catch (error) {
    const problem = networkProblem(error);
    const host = new URL(baseUrl).host;
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${REACH_TIMEOUT_MS / 1000} s` : problem === null ? String(error) : problemInWords(problem, host);
    return { name, status: 'fail', detail: `${baseUrl} could not be reached from Node (${reason}; Node ${http.describe()})`, fix };
  }
}

/** The same session start a run makes, with a time limit: a check-up must not wait for ever. */
async function checkSignedIn(app: App, config: RunConfig & { baseUrl: string }): Promise<Check> {
  const name = 'Signed in';
  const limited: App = { ...app, interrupt: AbortSignal.any([app.interrupt, AbortSignal.timeout(SIGN_IN_TIMEOUT_MS)]) };
  try {
    await using session = await openSession({ app: limited, config: { ...config, headed: false } });
    return { name, status: 'pass', detail: `Coupa shows its pages with ${session.source}` };
  } catch (error) {
    if (limited.interrupt.aborted && !app.interrupt.aborted) {
      return { name, status: 'fail', detail: `Coupa did not finish signing in within ${SIGN_IN_TIMEOUT_MS / 1000} s`, fix: LOGIN_FIX(config.baseUrl) };
    }
    return failed(name, error, error instanceof CoupaDlError && error.code === 'SIGNED_OUT' ? LOGIN_FIX(config.baseUrl) : undefined);
  }
}

/** The folder itself, or the nearest folder above it that exists (a run creates the rest). */
function existingFolder(folder: string): string {
  let current = folder;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

async function checkOutput(outDir: string, pid: number): Promise<Check[]> {
  const folder = existingFolder(outDir);
  const created = folder === outDir ? '' : ` (it will be created in ${folder})`;
  const probe = join(folder, `.coupa-dl-doctor-${pid}.tmp`);
  const checks: Check[] = [];
  try {
    await writeFile(probe, 'coupa-dl doctor');
    checks.push({ name: 'Output folder writable', status: 'pass', detail: `${outDir}${created}` });
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? 'error');
    checks.push({ name: 'Output folder writable', status: 'fail', detail: `cannot write in ${folder} (${code})`, fix: 'Choose a folder of your own with --out (e.g. in Documents), or ask IT for write access.' });
  } finally {
    await rm(probe, { force: true });
  }
  try {
    const fs = await statfs(folder);
    const free = fs.bavail * fs.bsize;
    checks.push(free < LOW_DISK_BYTES
      ? { name: 'Free disk space', status: 'warn', detail: `only ${formatBytes(free)} free in ${folder}`, fix: 'Free some space or choose another drive with --out: attachments of many POs can take several GB.' }
      : { name: 'Free disk space', status: 'pass', detail: `${formatBytes(free)} free in ${folder}` });
  } catch (error) {
    checks.push(failed('Free disk space', error));
  }
  return checks;
}

function printCheck(app: App, check: Check): void {
  line(app.stdout, `${MARK[check.status]} ${check.name}: ${check.detail}`);
  if (check.fix !== undefined && check.status !== 'pass') line(app.stdout, `    Fix: ${check.fix}`);
}

/** Runs the checks one by one, printing each as soon as it is known (the sign-in check can take a while). */
async function runChecks(app: App, config: RunConfig, print: (check: Check) => void): Promise<Check[]> {
  await using http = openNetwork(app, config);
  const checks: Check[] = [];
  const add = (check: Check): Check => (print(check), checks.push(check), check);
  // Through the API alone no browser is needed; `auto` needs both (the browser takes what the API will not serve).
  const usesBrowser = config.source !== 'api';
  const { browser } = usesBrowser ? await checkBrowser(app, config).then((r) => (add(r.check), r)) : { browser: null };
  add(checkNode());
  const source = usesBrowser ? add(await checkSignInSource(app, config)) : null;
  const baseUrl = config.baseUrl;
  if (baseUrl === undefined) {
    add({ name: 'Coupa reachable', status: 'fail', detail: 'no Coupa address given', fix: 'Pass --base-url https://yourcompany.coupahost.com (or set COUPA_BASE_URL, or put "baseUrl" in coupa-dl.config.json).' });
  } else {
    const reachable = add(await checkReachable(app, baseUrl, http)).status === 'pass';
    if (config.source !== 'browser') {
      if (reachable) for (const check of await checkApi(app, { ...config, baseUrl }, config.source, http.fetch)) add(check);
      else add({ name: 'API token', status: 'fail', detail: 'not checked: fix the problems above first' });
    }
    if (usesBrowser) {
      if (reachable && browser && source?.status === 'pass') add(await checkSignedIn(app, { ...config, baseUrl }));
      else add({ name: 'Signed in', status: 'fail', detail: 'not checked: fix the problems above first' });
    }
  }
  for (const check of await checkOutput(resolve(app.cwd, config.out ?? '.'), app.pid)) add(check);
  return checks;
}

/** `coupa-dl doctor`: checks everything a run needs and says how to fix what is missing. */
export function doctorCommand(app: App, setExitCode: (code: ExitCode) => void): Command {
  const command = new Command('doctor')
    .description('Check that everything a run needs is in place (browser, Node.js, sign-in or API client, Coupa, output folder, disk space) and say how to fix what is not.')
    .addHelpText('after', `
Examples:
  coupa-dl doctor --base-url https://acme.coupahost.com
  coupa-dl doctor --base-url https://acme.coupahost.com --profile "Work" --out D:\\Coupa\\Audit2026
  coupa-dl doctor --base-url https://acme.coupahost.com --storage-state session.json --browser chrome
  coupa-dl doctor --base-url https://acme.coupahost.com --source api

It opens Coupa once in a hidden browser to check the sign-in (with --source api: asks Coupa's API for a
token and says which scopes are missing); nothing is downloaded.
Exit codes: 0 every check passed (warnings allowed); 1 some check failed; 2 bad usage.`);
  addSettingOptions(command, ['baseUrl', 'out', 'browser', 'profile', 'storageState', 'proxy', 'source', 'apiScopes', 'apiCredentialsFile']);
  command.action(async () => {
    const flags = flagsBySetting(command);
    const out = typeof flags['out'] === 'string' ? flags['out'] : app.env['COUPA_OUT'];
    const { config, configFile } = resolveConfig({ flags, env: app.env, configFolders: out ? [app.cwd, resolve(app.cwd, out)] : [app.cwd] });
    line(app.stdout, 'Checking what a coupa-dl run needs…');
    if (configFile) line(app.stdout, `  (settings from ${configFile} are used too)`);
    line(app.stdout);
    const checks = await runChecks(app, config, (check) => printCheck(app, check));
    const failures = checks.filter((c) => c.status === 'fail').length;
    line(app.stdout);
    line(app.stdout, failures === 0
      ? 'Everything is ready. Start with: coupa-dl run --input <sheet> --out <folder>' + (config.baseUrl ? ` --base-url ${config.baseUrl}` : '') + (config.source === 'browser' ? '' : ` --source ${config.source}`)
      : `${failures} check${failures === 1 ? '' : 's'} failed: follow the "Fix" line${failures === 1 ? '' : 's'} above, then run coupa-dl doctor again.`);
    setExitCode(failures === 0 ? EXIT.ok : EXIT.someFailed);
  });
  return command;
}
