import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { findBrowser } from '../browser/find-browser.ts';
import { appDataDir, runLogin } from '../browser/login-session.ts';
import { waitForInteractiveLogin } from '../coupa/sign-in.ts';
import { stateFilePath } from '../state/state-file-path.ts';
import { StateStore } from '../state/state-store.ts';
import { EXIT, type App, type ExitCode } from '../job/app.ts';
import { resolveConfig } from './config.ts';
import { answersToFlags, runCommandFor, type GuidedAnswers } from './guided-command.ts';
import { openPrompter, PromptClosed } from './guided-prompt.ts';
import { askJob } from './guided-questions.ts';
import { requireJobSettings } from './commands/run.ts';
import { runJob } from '../job/run-job.ts';

export interface GuidedStartOptions {
  /** Where the answers come from and the questions go (the terminal; a PassThrough in tests). */
  readonly input: Readable;
  readonly output: Writable;
  /** Stop after printing the command, without signing in or fetching anything. */
  readonly dryRun?: boolean;
}

/** The newest host with a session saved by `coupa-dl login`; hosts with a port are left out (their scheme is unknown). */
async function lastSavedHost(app: App): Promise<string | undefined> {
  const folder = join(appDataDir(app.platform, app.env, app.homedir), 'sessions');
  const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !n.includes('_'));
  const dated = await Promise.all(names.map(async (n) => ({ n, at: (await stat(join(folder, n)).catch(() => null))?.mtimeMs ?? 0 })));
  const newest = dated.sort((a, b) => b.at - a.at)[0];
  return newest === undefined ? undefined : `https://${newest.n.slice(0, -'.json'.length)}`;
}

/** The Coupa address to offer: the config file or COUPA_BASE_URL, else the folder's last run, else the last sign-in. */
async function addressFor(app: App, outDir: string): Promise<string | undefined> {
  try {
    const configured = resolveConfig({ flags: {}, env: app.env, configFolders: [app.cwd, outDir] }).config.baseUrl;
    if (configured !== undefined) return configured;
  } catch {
    // A broken config file is reported when the run starts; here it only means no default.
  }
  if (existsSync(stateFilePath(outDir))) {
    using store = StateStore.open(stateFilePath(outDir));
    const last = store.lastRun()?.baseUrl;
    if (last) return last;
  }
  return lastSavedHost(app);
}

/** "Sign in now": the same browser window `coupa-dl login` opens; the run then finds the saved session. */
async function signInNow(app: App, baseUrl: string, say: (text: string) => void): Promise<void> {
  const browser = findBrowser(undefined, { platform: app.platform, env: app.env, exists: existsSync });
  say('A browser window is opening: sign in to Coupa there as you usually do. It closes by itself once you are in.');
  await runLogin({
    executablePath: browser.executablePath, baseUrl, appDir: appDataDir(app.platform, app.env, app.homedir),
    headless: false, isRoot: app.isRoot, signal: app.interrupt,
    waitForLogin: (page, signal) => waitForInteractiveLogin(page, baseUrl, signal),
  });
}

/** Sign-in settings from the environment would override the choice just made; the choice wins. */
function envForChoice(app: App, answers: GuidedAnswers): App['env'] {
  const { COUPA_PROFILE: _profile, COUPA_STORAGE_STATE: _state, ...rest } = app.env;
  return answers.signIn.kind === 'profile' || answers.signIn.kind === 'storage-state' ? app.env : rest;
}

/**
 * `coupa-dl` alone on a terminal: a few questions with sensible defaults, then the job itself,
 * and the command that does the same next time without the questions.
 */
export async function guidedStart(app: App, options: GuidedStartOptions): Promise<ExitCode> {
  let answers: GuidedAnswers;
  {
    using prompter = openPrompter(options.input, options.output);
    prompter.say('coupa-dl downloads the attachments of the Coupa purchase orders listed in a sheet.');
    prompter.say('A few questions (press Enter to take the suggestion in [brackets], Ctrl-C to stop):');
    prompter.say();
    try {
      answers = await askJob({ app, prompter, addressFor: (out) => addressFor(app, out) });
    } catch (error) {
      if (!(error instanceof PromptClosed)) throw error;
      prompter.say(`\n${error.message} Nothing was done.`);
      return error.reason === 'interrupted' ? EXIT.interrupted : EXIT.usage;
    }
  }
  const command = runCommandFor(app.commandName, answers, app.platform);
  const say = (text = ''): void => void options.output.write(`${text}\n`);
  say();
  say('Next time, this command does the same without the questions (and resumes if the run was stopped):');
  say(`  ${command}`);
  say();
  if (options.dryRun === true) return EXIT.ok;

  if (answers.signIn.kind === 'login-now') await signInNow(app, answers.baseUrl, say);
  const { config } = resolveConfig({ flags: answersToFlags(answers), env: envForChoice(app, answers), configFolders: [app.cwd, answers.out] });
  const job = requireJobSettings(config, ['input', 'out', 'baseUrl']);
  const code = await runJob({ app, config: job, mode: job.fresh ? 'fresh' : 'resume', input: { kind: 'sheet', path: job.input } });
  say();
  say('To do the same next time:');
  say(`  ${command}`);
  return code;
}
