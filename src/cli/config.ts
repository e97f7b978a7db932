import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoupaDlError } from '../domain/errors.ts';
import { MAX_API_WORKERS, MAX_WORKERS } from '../engine/pool-settings.ts';
import { DEFAULTS, SETTINGS, type RunConfig, type SettingKey } from '../job/settings.ts';

export type { RunConfig };

export type SettingSource = 'flag' | 'environment' | 'config file' | 'default';

export const CONFIG_FILE_NAME = 'coupa-dl.config.json';

export interface ConfigLayers {
  /** Values from command-line flags (already named by setting key). */
  flags: Partial<Record<string, unknown>>;
  env: Readonly<Record<string, string | undefined>>;
  /** Folders searched for coupa-dl.config.json, first found wins (working folder, then output folder). */
  configFolders: readonly string[];
}

export interface ResolvedConfig {
  config: RunConfig;
  sources: Record<SettingKey, SettingSource>;
  configFile: string | null;
}

/** Reads the first config file found; a malformed one is an error that names the file. */
export function readConfigFile(folders: readonly string[]): { path: string; values: Record<string, unknown> } | null {
  for (const folder of folders) {
    const path = join(folder, CONFIG_FILE_NAME);
    if (!existsSync(path)) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new CoupaDlError('CONFIG_INVALID', `The config file ${path} is not valid JSON.`, {
        cause: error,
        hint: 'Fix the file (it must be one JSON object like {"workers": 4}) or delete it.',
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new CoupaDlError('CONFIG_INVALID', `The config file ${path} must hold one JSON object like {"workers": 4}.`);
    }
    return { path, values: parsed as Record<string, unknown> };
  }
  return null;
}

/**
 * Flag > COUPA_* variable > config file > default, validated once. Every bad value is reported
 * together, each naming the setting, what is expected and what was given.
 */
export function resolveConfig(layers: ConfigLayers): ResolvedConfig {
  const file = readConfigFile(layers.configFolders);
  const known = new Set<string>(SETTINGS.map((s) => s.key));
  const problems: string[] = [];
  for (const key of Object.keys(file?.values ?? {})) {
    if (!known.has(key)) problems.push(`Unknown setting \`${key}\` in ${file?.path}. Known settings: ${[...known].join(', ')}.`);
  }
  const values: Record<string, unknown> = { ...DEFAULTS };
  const sources = {} as Record<SettingKey, SettingSource>;
  for (const spec of SETTINGS) {
    const fromFlag = layers.flags[spec.key];
    const fromEnv = layers.env[spec.env];
    const fromFile = file?.values[spec.key];
    const [raw, source, label]: [unknown, SettingSource, string] =
      fromFlag !== undefined ? [fromFlag, 'flag', spec.flag.split(' ')[0] ?? spec.key]
      : fromEnv !== undefined && fromEnv !== '' ? [fromEnv, 'environment', spec.env]
      : fromFile !== undefined ? [fromFile, 'config file', `${spec.key} in ${file?.path}`]
      : [undefined, 'default', spec.key];
    sources[spec.key] = source;
    if (raw === undefined) continue;
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) values[spec.key] = parsed.data;
    else problems.push(`Expected \`${label}\` to be ${spec.expected}, got \`${String(raw)}\`.`);
  }
  // More workers than browsers may be only where workers hold no browser.
  const workers = values['workers'];
  if (typeof workers === 'number' && workers > MAX_WORKERS && values['source'] !== 'api') {
    problems.push(`\`--workers ${workers}\` would start ${workers} browsers: at most ${MAX_WORKERS}. More (up to ${MAX_API_WORKERS}) only through Coupa's API alone (--source api), whose workers hold no browser.`);
  }
  if (problems.length > 0) {
    throw new CoupaDlError('CONFIG_INVALID', problems.join('\n'), { hint: 'Run `coupa-dl run --help` to see every option.' });
  }
  // Each value was parsed by its own setting's schema above, and every other key holds its default.
  return { config: values as RunConfig, sources, configFile: file?.path ?? null };
}
