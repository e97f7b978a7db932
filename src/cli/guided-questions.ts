import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { appDataDir, savedSessionPath } from '../browser/login-session.ts';
import { listProfiles, profileRoots, type BrowserProfile } from '../browser/profiles.ts';
import { formatDuration } from '../ui/human-units.ts';
import type { App } from '../job/app.ts';
import type { GuidedAnswers } from './guided-command.ts';
import type { Prompter } from './guided-prompt.ts';
import { SETTINGS } from '../job/settings.ts';

const SHEET_EXTENSIONS = ['.csv', '.txt', '.xlsx', '.xlsm'];
const REPORT_NAMES = ['results.csv', 'results.xlsx'];

function setting(key: string) {
  const spec = SETTINGS.find((s) => s.key === key);
  if (!spec) throw new Error(`No setting ${key}`);
  return spec;
}

/** The sheet to offer: the only CSV/Excel file in the working folder (reports excluded), if there is exactly one. */
async function sheetInFolder(folder: string): Promise<string | undefined> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const sheets = names.filter((n) => SHEET_EXTENSIONS.includes(extname(n).toLowerCase()) && !REPORT_NAMES.includes(n.toLowerCase()));
  return sheets.length === 1 && sheets[0] !== undefined ? join(folder, sheets[0]) : undefined;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

async function sheetProblem(path: string): Promise<string | null> {
  if (!(await isFile(path))) return `There is no file at ${path}. Type its path (you can drag the file into this window).`;
  if (!SHEET_EXTENSIONS.includes(extname(path).toLowerCase())) return `Expected a .csv or .xlsx file, got \`${basename(path)}\`. In Excel, save the list as "Excel Workbook (.xlsx)" or "CSV UTF-8".`;
  return null;
}

/** `acme.coupahost.com` is what people copy from the address bar's display; they mean https. */
export function normaliseAddress(answer: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(answer) ? answer : `https://${answer}`;
}

export interface QuestionContext {
  readonly app: App;
  readonly prompter: Prompter;
  /** The Coupa address to offer when nothing better is known (config file, COUPA_BASE_URL, last run). */
  readonly addressFor: (outDir: string) => Promise<string | undefined>;
}

function profileChoice(profile: BrowserProfile, all: readonly BrowserProfile[]): { label: string; value: string } {
  const names = { edge: 'Edge', chrome: 'Chrome', chromium: 'Chromium' };
  // `--profile` takes the first profile of that name; a later one with the same name is given by its folder.
  const first = all.find((p) => p.name.toLowerCase() === profile.name.toLowerCase()) === profile;
  return { label: `A copy of your ${names[profile.browser]} profile "${profile.name}"`, value: first ? profile.name : join(profile.root, profile.dir) };
}

async function askSignIn({ app, prompter }: QuestionContext, baseUrl: string): Promise<GuidedAnswers['signIn']> {
  type Option = { label: string; answer: () => Promise<GuidedAnswers['signIn']> };
  const options: Option[] = [];
  const username = app.env['COUPA_USERNAME'];
  const saved = savedSessionPath(appDataDir(app.platform, app.env, app.homedir), baseUrl);
  if (username && app.env['COUPA_PASSWORD']) {
    options.push({ label: `Password sign-in as ${username} (from COUPA_USERNAME and COUPA_PASSWORD)`, answer: async () => ({ kind: 'password' }) });
  } else if (existsSync(saved)) {
    const age = formatDuration(Date.now() - (await stat(saved)).mtimeMs);
    options.push({ label: `The sign-in saved by \`coupa-dl login\` (${age} ago)`, answer: async () => ({ kind: 'saved' }) });
  }
  const profiles = await listProfiles(profileRoots(app.platform, app.env, app.homedir)).catch(() => [] as BrowserProfile[]);
  for (const profile of profiles) {
    const { label, value } = profileChoice(profile, profiles);
    options.push({ label, answer: async () => ({ kind: 'profile', profile: value }) });
  }
  options.push({ label: 'Sign in now in a browser window (remembered for next time)', answer: async () => ({ kind: 'login-now' }) });
  options.push({
    label: 'A session file (Playwright storage state)',
    answer: async () => {
      const file = await prompter.ask('Session file', { check: async (a) => ((await isFile(resolve(app.cwd, a))) ? null : `There is no file at ${resolve(app.cwd, a)}.`) });
      return { kind: 'storage-state', file: resolve(app.cwd, file) };
    },
  });
  const picked = options[await prompter.choose('How should coupa-dl sign in to Coupa?', options.map((o) => o.label))];
  if (!picked) throw new Error('The chosen sign-in is not in the list.');
  return picked.answer();
}

/** The questions of the guided start, each with a sensible default, each answer checked before the next. */
export async function askJob(context: QuestionContext): Promise<GuidedAnswers> {
  const { app, prompter } = context;
  const sheetDefault = await sheetInFolder(app.cwd);
  const input = resolve(app.cwd, await prompter.ask('Sheet of PO numbers (CSV or Excel file)', {
    ...(sheetDefault === undefined ? {} : { fallback: sheetDefault }),
    check: async (answer) => sheetProblem(resolve(app.cwd, answer)),
  }));

  const outDefault = join(dirname(input), `${basename(input, extname(input))}-downloads`);
  const out = resolve(app.cwd, await prompter.ask('Output folder (files and reports go here)', {
    fallback: outDefault,
    check: async (answer) => ((await isFile(resolve(app.cwd, answer))) ? `${resolve(app.cwd, answer)} is a file; type a folder.` : null),
  }));

  const address = setting('baseUrl');
  const addressDefault = await context.addressFor(out);
  const baseUrl = address.schema.parse(normaliseAddress(await prompter.ask("Your company's Coupa address", {
    ...(addressDefault === undefined ? {} : { fallback: addressDefault }),
    check: (answer) => (address.schema.safeParse(normaliseAddress(answer)).success ? null : `Expected ${address.expected}, got \`${answer}\`.`),
  }))) as string;

  const signIn = await askSignIn(context, baseUrl);

  const workers = setting('workers');
  const workerAnswer = await prompter.ask(`How many browsers should work in parallel (${workers.expected.replace(/^an integer /, '')})`, {
    fallback: 'auto',
    check: (answer) => (workers.schema.safeParse(answer).success ? null : `Expected ${workers.expected}, got \`${answer}\`.`),
  });
  return { input, out, baseUrl, signIn, workers: workers.schema.parse(workerAnswer) as number | 'auto' };
}
