import { Command, Option } from 'commander';
import { CoupaDlError } from '../../domain/errors.ts';
import type { App, ExitCode } from '../../job/app.ts';
import { resolveConfig } from '../config.ts';
import { DEFAULTS, SETTINGS, type JobConfig, type RunConfig, type SettingKey } from '../../job/settings.ts';
import { runJob } from '../../job/run-job.ts';

/** Adds every setting of the table as a flag; values stay `undefined` unless given, so precedence works. */
export function addSettingOptions(command: Command, keys?: readonly SettingKey[]): Command {
  for (const spec of SETTINGS) {
    if (keys && !keys.includes(spec.key)) continue;
    const fallback = (DEFAULTS as Readonly<Record<string, unknown>>)[spec.key];
    const shown = fallback === undefined || typeof fallback === 'boolean' ? '' : `default ${Array.isArray(fallback) ? fallback.join(',') : String(fallback)}; `;
    command.addOption(new Option(spec.flag, `${spec.description} (${shown}env ${spec.env})`));
  }
  return command;
}

/** The values of the setting flags that were given, by setting key (commander names them after the flag). */
export function flagsBySetting(command: Command): Record<string, unknown> {
  const values = command.opts<Record<string, unknown>>();
  const flags: Record<string, unknown> = {};
  for (const spec of SETTINGS) {
    const option = command.options.find((o) => o.flags === spec.flag);
    if (!option) continue;
    const value = values[option.attributeName()];
    // A `--no-…` flag has a value (true) even when not given: only a given flag counts, so the variable and config file still apply.
    if (value !== undefined && command.getOptionValueSource(option.attributeName()) !== 'default') flags[spec.key] = value;
  }
  return flags;
}

/** Checks the three settings a run cannot do without, naming the flag and variable for each. */
export function requireJobSettings(config: RunConfig, required: readonly ('input' | 'out' | 'baseUrl')[]): JobConfig {
  const missing = SETTINGS.filter((s) => (required as readonly string[]).includes(s.key) && config[s.key as keyof RunConfig] === undefined);
  if (missing.length > 0) {
    throw new CoupaDlError(
      'CONFIG_INVALID',
      missing.map((s) => `Missing ${s.flag.split(' ')[0]}: ${s.description} (or set ${s.env}).`).join('\n'),
      { hint: 'Example: coupa-dl run --input pos.xlsx --out results --base-url https://yourcompany.coupahost.com' },
    );
  }
  return config as JobConfig;
}

export function runCommand(app: App, setExitCode: (code: ExitCode) => void): Command {
  const command = new Command('run')
    .description('Download the attachments of every PO in a sheet and write the report. Run it again to resume.')
    .addHelpText('after', `
Examples:
  coupa-dl run --input pos.xlsx --out D:\\Coupa\\Audit --base-url https://acme.coupahost.com
  coupa-dl run --input pos.csv --out out --base-url https://acme.coupahost.com --profile "Work" --workers 4
  coupa-dl run --input pos.csv --out out --base-url https://acme.coupahost.com --storage-state session.json

Sign-in: --storage-state, --profile, or the session saved by "coupa-dl login" (used when neither is given).
For instances without SSO, set COUPA_USERNAME and COUPA_PASSWORD in the environment (never on the command line).
Settings can also come from COUPA_* variables or a coupa-dl.config.json file in the working or output folder.

Exit codes: 0 every PO reached a final status; 1 some POs FAILED/PARTIAL/TIMEOUT/NEEDS_REVIEW or the run stopped resumably;
2 bad usage, input or sign-in; 130 interrupted (Ctrl-C).`);
  addSettingOptions(command);
  command.action(async () => {
    const flags = flagsBySetting(command);
    const out = typeof flags['out'] === 'string' ? flags['out'] : app.env['COUPA_OUT'];
    const { config } = resolveConfig({ flags, env: app.env, configFolders: out ? [app.cwd, out] : [app.cwd] });
    const job = requireJobSettings(config, ['input', 'out', 'baseUrl']);
    setExitCode(await runJob({ app, config: job, mode: job.fresh ? 'fresh' : 'resume', input: { kind: 'sheet', path: job.input } }));
  });
  return command;
}
