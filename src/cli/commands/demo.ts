import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { line, type App, type ExitCode } from '../../job/app.ts';
import { resolveConfig } from '../config.ts';
import { integerOption } from '../parse-option.ts';
import { runJob } from '../../job/run-job.ts';
import type { JobConfig } from '../../job/settings.ts';
import { addSettingOptions, flagsBySetting } from './run.ts';

export const DEMO_FOLDER = 'coupa-dl-demo';

/**
 * `coupa-dl demo`: the real job, end to end, on the built-in simulator — so a newcomer sees real
 * downloads without a Coupa account. Signs in through the simulator's SSO chain with a session
 * file, like `--storage-state` on a real instance; with `--source api` it uses the simulator's
 * demo OAuth client, from a credentials file as a real client would come.
 */
export function demoCommand(app: App, setExitCode: (code: ExitCode) => void): Command {
  const command = new Command('demo')
    .description('Run a real job against the built-in Coupa simulator and show where the files and the report are.')
    .option('--pos <count>', 'how many purchase orders the sample sheet lists', integerOption('--pos', 1, 5_000), 40)
    .option('--latency-ms <ms>', 'simulated delay of each Coupa page', integerOption('--latency-ms', 0, 60_000), 300)
    .addHelpText('after', '\nExample:\n  coupa-dl demo --out my-demo --workers 2');
  addSettingOptions(command, ['out', 'browser', 'headed', 'workers', 'isolation', 'json', 'savePoPdf', 'mailPdf', 'source', 'apiRate', 'apiFileShape']);
  command.action(async (opts: { pos: number; latencyMs: number }) => {
    const flags = flagsBySetting(command);
    const outDir = resolve(app.cwd, typeof flags['out'] === 'string' ? flags['out'] : DEMO_FOLDER);
    // Loaded only for this command: the simulator weighs ~1 s and ~20 MB on every other command's start.
    const { startSimulator } = await import('../../simulator/index.ts');
    const simulator = await startSimulator({ pos: opts.pos, seed: 1, pageLatencyMs: opts.latencyMs, fileLatencyMs: 50, auth: { mode: 'sso' } });
    const sessionDir = await mkdtemp(join(tmpdir(), 'coupa-dl-demo-session-'));
    try {
      const sessionFile = join(sessionDir, 'session.json');
      await writeFile(sessionFile, JSON.stringify(simulator.createStorageState()), { mode: 0o600 });
      await chmod(sessionFile, 0o600);
      // The simulator's own OAuth client, in a file as a real one would be (never a flag).
      const credentialsFile = join(sessionDir, 'api-client.env');
      await writeFile(credentialsFile, `COUPA_CLIENT_ID=${simulator.apiClient.clientId}\nCOUPA_CLIENT_SECRET=${simulator.apiClient.clientSecret}\n`, { mode: 0o600 });
      await mkdir(outDir, { recursive: true });
      const input = join(outDir, 'demo-pos.csv');
      await writeFile(input, sampleSheet(simulator.truth.pos.map((po) => po.poNumber)));

      line(app.stdout, `Coupa simulator running at ${simulator.url} with ${opts.pos} purchase orders.`);
      line(app.stdout, `Sample sheet: ${input}`);
      const { config } = resolveConfig({ flags: { ...flags, out: outDir, input, baseUrl: simulator.url, storageState: sessionFile, apiCredentialsFile: credentialsFile, fresh: true }, env: app.env, configFolders: [] });
      const code = await runJob({ app, config: config as JobConfig, mode: 'fresh', input: { kind: 'sheet', path: input } });
      line(app.stdout, '');
      line(app.stdout, 'That was a real run on the built-in Coupa simulator: the mails it downloaded (.msg, .eml) are also PDFs beside them');
      line(app.stdout, '(add --save-po-pdf to save each PO as a PDF too). On your own Coupa:');
      line(app.stdout, `  ${app.commandName} login --base-url https://acme.coupahost.com`);
      line(app.stdout, `  ${app.commandName} run --input pos.xlsx --out results --base-url https://acme.coupahost.com`);
      if (config.source !== 'browser') {
        line(app.stdout, 'or, with an OAuth client from your Coupa administrator (COUPA_CLIENT_ID and COUPA_CLIENT_SECRET set):');
        line(app.stdout, `  ${app.commandName} run --source ${config.source} --input pos.xlsx --out results --base-url https://acme.coupahost.com`);
      }
      setExitCode(code);
    } finally {
      await rm(sessionDir, { recursive: true, force: true });
      await simulator.close();
    }
  });
  return command;
}

/** The demo's sheet: every simulated PO, plus one invalid number and one repeated row, like real sheets have. */
function sampleSheet(poNumbers: readonly string[]): string {
  const rows = ['PO_NUMBER;NOTE', ...poNumbers.map((po) => `${po};`), 'PO12;too short: shows INVALID_PO', `${poNumbers[0] ?? ''};listed twice: fetched once`];
  return `\uFEFF${rows.join('\r\n')}\r\n`;
}
